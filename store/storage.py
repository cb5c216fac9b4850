"""The JSON storage under TinyDB: parsed whole, checked for shape before anything indexes
into it, refused (never written over) when empty or damaged, written through `files`."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import stat
from datetime import date
from pathlib import Path
from typing import Iterator

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .messages import say
from .errors import StoreCorrupt, StoreReadOnly, WeekRefused
from .files import atomic_write, rotate_backups
from .models import MAX_YEAR, MIN_YEAR, Metric
from .text import visible

WEEKS = "weeks"
META = "meta"


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a store can hold")  # NaN/Infinity: not JSON


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A parsed year is tens of thousands of new dicts and lists, none in a cycle: the cyclic
    collector would walk the whole heap several times meanwhile (half the parse at start-up)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def stored_metrics(doc: dict) -> list[Metric]:
    """A stored week's metrics, validated by the week model's own Metric; the rest of the
    week is left as it is stored (a trend needs nothing else)."""
    return [Metric.model_validate(m) for m in doc.get("metrics", [])]


def _json_type(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
            bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)


def _shape_problem(data: object, year: int | None) -> str | None:
    """What makes parsed JSON something other than a Weekly file, or None. Checked before
    anything indexes into it: TinyDB and the store take these shapes for granted.
    `year`: a year file's year; None for the main file (meta, and weeks before schema 2)."""
    if not isinstance(data, dict):
        return "not a Weekly store (no tables)"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table '{visible(name)[:40]}' is {_json_type(table)}, not a table"
        for key, doc in table.items():
            if not (key.isascii() and key.isdigit() and len(key) <= 7):
                return f"table '{visible(name)[:40]}' has the key '{visible(key)[:40]}', not a number"
            if not isinstance(doc, dict):
                return f"table '{visible(name)[:40]}', entry {key} is {_json_type(doc)}, not a record"
    meta = data.get(META, {}).get("1")
    if meta is not None:
        version = meta.get("schema_version", 1)
        if type(version) is not int or version < 1:
            return f"schema_version {visible(json.dumps(version))[:40]} is not a version number"
    if year is None:
        return None  # a schema-1 main file numbers its weeks 1, 2, …: migration checks them
    first, last = date(MIN_YEAR, 1, 1).toordinal(), date(MAX_YEAR, 12, 31).toordinal()
    for key in data.get(WEEKS, {}):
        ordinal = int(key)
        if not first <= ordinal <= last:
            return f"week {key} is outside the dates Weekly supports (years {MIN_YEAR}–{MAX_YEAR})"
        monday = date.fromordinal(ordinal)
        if monday.weekday() != 0 or monday.year != year:
            return f"week {key} ({monday}) is not a Monday of {year}"
    return None


class SafeJSONStorage(Storage):
    """TinyDB storage with atomic, durable writes and a parsed copy reused until the file changes."""

    def __init__(self, path: str | Path, read_only: bool = False, year: int | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.year = year
        self._stamp: tuple | None = None
        self._data: dict | None = None

    def stamp(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def read(self) -> dict | None:
        stamp = self.stamp()
        if stamp is None:
            self._stamp, self._data = None, None
            return None
        if stamp == self._stamp and self._data is not None:
            return self._data
        try:
            if not stat.S_ISREG(os.stat(self.path).st_mode):  # a pipe would block the read for good
                raise StoreCorrupt(say("store_not_regular_kept", path=self.path))
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreCorrupt(say("store_cannot_read", path=self.path, why=exc.strerror)) from None
        self._data = self.parse(raw)
        self._stamp = stamp
        return self._data

    def parse(self, raw: bytes) -> dict:
        if not raw:
            raise StoreCorrupt(say("store_empty_file", path=self.path, backup=f"{self.path.name}.bak1"))
        try:
            # json, not orjson, to read: orjson's parse peaks at ~14x the file (7 MB for a
            # year of weeks) against ~4x, for 1 ms more. orjson still writes (much faster).
            with collector_paused():
                data = json.loads(raw, parse_constant=_no_constant)
        except ValueError as exc:
            raise StoreCorrupt(say("store_damaged", path=self.path, why=visible(str(exc)),
                                   backup=f"{self.path.name}.bak1")) from None
        except RecursionError:
            raise StoreCorrupt(say("store_too_deep", path=self.path)) from None
        problem = _shape_problem(data, self.year)
        if problem:
            raise StoreCorrupt(say("store_bad_shape", path=self.path, problem=problem,
                                   backup=f"{self.path.name}.bak1"))
        return data

    def write(self, data: dict) -> None:
        if self.read_only:
            raise StoreReadOnly(say("store_read_only", path=self.path))
        try:
            try:
                payload = orjson.dumps(data)
            except (TypeError, orjson.JSONEncodeError) as exc:
                raise WeekRefused(f"could not save {self.path.name}: {visible(str(exc))}; "
                                  f"nothing was changed") from None
            try:
                rotate_backups(self.path)
            except OSError:
                pass  # a missed backup must not stop the save itself
            # a symlinked file is written through: its target is replaced, the link stays
            atomic_write(Path(os.path.realpath(self.path)) if os.path.islink(self.path) else self.path,
                         payload)
        except BaseException:
            # TinyDB changed our parsed copy before calling write: it no longer equals the
            # file, so forget it (the next read parses the file again).
            self._stamp, self._data = None, None
            raise
        self._data, self._stamp = data, self.stamp()

    def forget(self) -> None:
        """Drop the parsed copy; the next read parses the file again."""
        self._stamp, self._data = None, None

    def holds_data(self) -> bool:
        return self._data is not None

    def close(self) -> None:
        pass


class WeekTable(Table):
    def put(self, doc_id: int, doc: dict) -> None:
        """Insert or replace a whole document in one write (`upsert` writes twice for a new
        document and merges fields instead of replacing them)."""

        def replace(table: dict) -> None:
            table[doc_id] = doc

        self._update_table(replace)

    def put_many(self, docs: dict[int, dict]) -> None:
        self._update_table(lambda table: table.update(docs))


class WeekDB(TinyDB):
    table_class = WeekTable

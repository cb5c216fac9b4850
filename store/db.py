"""The TinyDB store, made safe for years of history.

Layout: `--db PATH` names the main file (schema version and meta). Weeks live in one
file per year beside it, named after it (`weekly.json` -> `weekly.2023.json`), so a save
rewrites one year, never all of history. Each file is a TinyDB database whose storage:
  * writes a temp file beside the target, fsyncs it, `os.replace`s it, fsyncs the folder;
  * refuses a zero-byte or unparseable file with a clear message and never writes over it;
  * keeps rotating backups (hard links to the replaced version, at most one an hour);
  * re-reads a file that changed on disk (another writer) before anything is built on it.
Writers hold an exclusive lock on `PATH.lock` only for one read-modify-write, so the TUI
can stay open all week while `weekly incident` writes from another shell.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator

import orjson
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from .errors import StoreCorrupt, StoreError, StoreReadOnly, describe_validation
from .models import SCHEMA_VERSION, Metric, Week, monday_of
from .rules import carry_over

WEEKS = "weeks"
META = "meta"
BACKUPS_KEPT = 5
BACKUP_EVERY = timedelta(hours=1)
LOCK_TIMEOUT = 10.0  # seconds; a save holds the lock for milliseconds
YEARS_PARSED = 3  # year files kept parsed in memory (~1.5 MB each): browsing years stays bounded
WEEKS_SHARED = 64  # history weeks kept validated (whole, or their metrics for trends)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a store can hold")  # NaN/Infinity: not JSON


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """A parsed year is tens of thousands of new dicts and lists, none in a cycle: the cyclic
    collector would walk the whole heap several times meanwhile (half the parse at start-up)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the store is read-only"
    return exc.strerror or str(exc)


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so that a crash at any moment leaves old or new, whole."""
    # os.urandom, not secrets: a unique name needs no hashlib/hmac at start-up
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{os.urandom(3).hex()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StoreError(f"could not save {path.name}: {_why(exc)}; nothing was changed") from exc
    _fsync_dir(path.parent)


def backup_paths(path: Path) -> list[Path]:
    return [path.with_name(f"{path.name}.bak{i}") for i in range(1, BACKUPS_KEPT + 1)]


def rotate_backups(path: Path, now: float | None = None) -> None:
    """Keep the version about to be replaced, at most once per BACKUP_EVERY."""
    if not path.exists():
        return
    baks = backup_paths(path)
    now = time.time() if now is None else now
    with contextlib.suppress(FileNotFoundError):
        if now - baks[0].stat().st_mtime < BACKUP_EVERY.total_seconds():
            return
    with contextlib.suppress(FileNotFoundError):
        baks[-1].unlink()
    for older, newer in zip(reversed(baks[1:]), reversed(baks[:-1])):
        with contextlib.suppress(FileNotFoundError):
            os.replace(newer, older)
    try:
        os.link(path, baks[0])  # the inode survives the coming os.replace: a free copy
    except OSError:
        import shutil

        shutil.copy2(path, baks[0])
    os.utime(baks[0], (now, now))


def _metrics_of(doc: dict) -> list[Metric]:
    """A stored week's metrics, validated by the week model's own Metric; the rest of the
    week is left as it is stored (a trend needs nothing else)."""
    return [Metric.model_validate(m) for m in doc.get("metrics", [])]


class SafeJSONStorage(Storage):
    """TinyDB storage with atomic, durable writes and a parsed copy reused until the file changes."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
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
        raw = self.path.read_bytes()
        self._data = self.parse(raw)
        self._stamp = stamp
        return self._data

    def parse(self, raw: bytes) -> dict:
        if not raw:
            raise StoreCorrupt(
                f"{self.path}: the file is empty (0 bytes), so it is not a store; it was left "
                f"untouched. Restore a backup ({self.path.name}.bak1) or move it away.")
        try:
            # json, not orjson, to read: orjson's parse peaks at ~14x the file (7 MB for a
            # year of weeks) against ~4x, for 1 ms more. orjson still writes (much faster).
            with _collector_paused():
                data = json.loads(raw, parse_constant=_no_constant)
        except ValueError as exc:
            raise StoreCorrupt(
                f"{self.path}: the file is damaged ({exc}); it was left untouched. Restore a "
                f"backup ({self.path.name}.bak1) or move it away.") from None
        if not isinstance(data, dict):
            raise StoreCorrupt(f"{self.path}: not a Weekly store (no tables); it was left untouched")
        return data

    def write(self, data: dict) -> None:
        if self.read_only:
            raise StoreReadOnly(f"{self.path}: the store is read-only; nothing was saved")
        payload = orjson.dumps(data)
        try:
            rotate_backups(self.path)
        except OSError:
            pass  # a missed backup must not stop the save itself
        try:
            atomic_write(self.path, payload)
        except StoreError:
            self._stamp, self._data = None, None  # TinyDB mutated our copy: forget it
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


class WeekStore:
    """Weeks by their Monday, one TinyDB per year, behind one lock."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._dbs: dict[int, WeekDB] = {}
        self._parsed: dict[tuple[date, bool], tuple[tuple | None, object]] = {}
        self.read_only = self._detect_read_only()
        self._meta_db = WeekDB(self.path, storage=SafeJSONStorage, read_only=self.read_only)
        self._check_and_migrate()
        self.finish_interrupted_move()  # a move cut short by a crash: one stat when there was none

    # --- opening -----------------------------------------------------------------------

    def _detect_read_only(self) -> bool:
        folder = self.path.parent
        if self.path.exists():
            return not os.access(self.path, os.W_OK) or not os.access(folder, os.W_OK)
        existing = next((p for p in [folder, *folder.parents] if p.exists()), None)
        return existing is not None and not os.access(existing, os.W_OK)

    def _check_and_migrate(self) -> None:
        if not self.path.exists():
            return
        tables = self._meta_db.storage.read()  # raises StoreCorrupt for an empty or broken file
        meta = (tables or {}).get(META, {}).get("1", {})
        version = meta.get("schema_version", 1)
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer Weekly (schema {version}); "
                             f"upgrade Weekly to open it")
        if version < SCHEMA_VERSION:
            if self.read_only:
                raise StoreReadOnly(f"{self.path}: an older store that needs upgrading, but it "
                                    f"is read-only")
            with self.locked():
                self._migrate(tables or {}, version)
        if not self.read_only:
            self._clean_stale_temp_files()

    def _migrate(self, tables: dict, version: int) -> None:
        """v1: every week in the one file (a stock TinyDB layout). v2: one file per year."""
        import shutil

        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        shutil.copy2(self.path, backup)
        from .migrations import migrate_week_doc

        for raw in (tables.get(WEEKS) or {}).values():
            doc = migrate_week_doc(raw)
            week = Week.model_validate(doc)
            self._table(week.monday.year).put(week.monday.toordinal(), week.model_dump(mode="json"))
        self._write_meta()

    def _write_meta(self) -> None:
        self._meta_db.storage.write({META: {"1": {"schema_version": SCHEMA_VERSION}}})

    def _clean_stale_temp_files(self) -> None:
        """Temp files left by a writer that died mid-save: the real file is whole, drop them."""
        for tmp in self.path.parent.glob(f".{self.path.stem}*.tmp-*"):
            try:
                pid = int(tmp.name.rsplit(".tmp-", 1)[1].split("-")[0])
                os.kill(pid, 0)
                continue  # its writer is alive and may be mid-save
            except (ValueError, IndexError, ProcessLookupError):
                pass
            except PermissionError:
                continue
            with contextlib.suppress(OSError):
                tmp.unlink()

    # --- files and locking -------------------------------------------------------------

    def year_path(self, year: int) -> Path:
        return self.path.with_name(f"{self.path.stem}.{year}{self.path.suffix or '.json'}")

    def _db(self, year: int) -> WeekDB:
        db = self._dbs.pop(year, None)
        if db is None:
            db = WeekDB(self.year_path(year), storage=SafeJSONStorage, read_only=self.read_only)
        self._dbs[year] = db  # the most recently used last
        parsed = [d.storage for d in self._dbs.values() if d.storage.holds_data()]
        for storage in parsed[:-YEARS_PARSED]:
            storage.forget()
        return db

    def _table(self, year: int) -> WeekTable:
        return self._db(year).table(WEEKS, cache_size=0)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        if self.read_only:
            raise StoreReadOnly(f"{self.path}: the store is read-only; nothing was saved")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the store ({_why(exc)}); nothing was saved") from exc
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"{self.path}: another Weekly is saving and did not "
                                         f"finish; nothing was saved") from None
                    time.sleep(0.005)
            if not self.path.exists():
                self._write_meta()
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def stamp(self, monday: date) -> tuple:
        """Changes whenever the file holding this week changes (for watching other writers)."""
        return (self._db(monday.year).storage.stamp(), self._db(monday.year - 1).storage.stamp())

    # --- reading ------------------------------------------------------------------------

    def _stored(self, monday: date, read: Callable[[dict], object] = Week.model_validate):
        """The stored week holding `monday` brought to this schema and read by `read` (the
        whole week, by default), or None when there is none."""
        from .migrations import migrate_week_doc

        doc = self._table(monday.year).get(doc_id=monday.toordinal())
        if doc is None:
            return None
        try:
            return read(migrate_week_doc(dict(doc)))
        except ValidationError as exc:
            raise StoreCorrupt(f"{self.year_path(monday.year)}: a stored week does not validate "
                               f"({describe_validation(exc)}); it was left untouched") from None

    def get(self, monday: date) -> Week | None:
        """A fresh copy of the stored week, the caller's to change."""
        return self._stored(monday_of(monday))

    def _shared(self, monday: date, metrics_only: bool = False):
        """The stored week (or only its metrics) as parsed last time its file was read: for
        reading only (trends, last week's progress), so switching weeks does not validate
        history again."""
        stamp = self._db(monday.year).storage.stamp()
        key = (monday, metrics_only)
        cached = self._parsed.pop(key, None)
        if cached is None or cached[0] != stamp:
            cached = (stamp, self._stored(monday, _metrics_of) if metrics_only else self.get(monday))
        self._parsed[key] = cached  # the most recently used last
        while len(self._parsed) > WEEKS_SHARED:
            del self._parsed[next(iter(self._parsed))]
        return cached[1]

    def years(self) -> list[int]:
        years = []
        for p in self.path.parent.glob(f"{self.path.stem}.*{self.path.suffix or '.json'}"):
            middle = p.name[len(self.path.stem) + 1: len(p.name) - len(self.path.suffix or '.json')]
            if middle.isdigit() and len(middle) == 4:
                years.append(int(middle))
        return sorted(years)

    def mondays(self, year: int | None = None) -> list[date]:
        years = [year] if year is not None else self.years()
        out = []
        for y in years:
            tables = self._db(y).storage.read() or {}
            out += [date.fromordinal(int(k)) for k in (tables.get(WEEKS) or {})]
        return sorted(out)

    def all_weeks(self) -> Iterator[Week]:
        for monday in self.mondays():
            week = self.get(monday)
            if week is not None:
                yield week

    def latest_before(self, monday: date) -> Week | None:
        """The latest written week before `monday`: this year's file, then earlier ones."""
        for year in sorted((y for y in self.years() if y <= monday.year), reverse=True):
            earlier = [m for m in self.mondays(year) if m < monday]
            if earlier:
                return self.get(earlier[-1])
        return None

    def recent(self, monday: date, count: int) -> tuple[Week | None, list[list[Metric]]]:
        """What a week is compared with (read-only): the latest written week before `monday`,
        whole, and the metrics of up to `count` written weeks before it, oldest first (trends)."""
        found: list[date] = []  # newest first
        for year in sorted((y for y in self.years() if y <= monday.year), reverse=True):
            earlier = [m for m in self.mondays(year) if m < monday]
            found += reversed(earlier[max(0, len(earlier) - (count - len(found))):])
            if len(found) >= count:
                break
        if not found:
            return None, []
        trends = [self._shared(m, metrics_only=True) for m in reversed(found)]
        return self._shared(found[0]), [m for m in trends if m is not None]

    def incidents_earlier_in_year(self, monday: date) -> list:
        return [inc for m in self.mondays(monday.year) if m < monday
                for inc in (self.get(m) or Week(monday=m)).incidents]

    def week(self, monday: date, default_host: str = "O3") -> Week:
        """The stored week, or a proposal carried over from the latest earlier one."""
        monday = monday_of(monday)
        stored = self.get(monday)
        if stored is not None:
            return stored
        previous = self.latest_before(monday)
        if previous is not None:
            return carry_over(previous, monday)
        return first_week(monday, default_host)

    # --- writing ------------------------------------------------------------------------

    def _put(self, week: Week) -> None:
        week.carried_from = None
        self._table(week.monday.year).put(week.monday.toordinal(), week.model_dump(mode="json"))

    def update(self, day: date, change: Callable[[Week], object], default_host: str = "O3") -> Week:
        """Apply `change` to the freshest copy of the week holding `day` and save it.
        Changes made by another writer meanwhile are read first, so none is lost."""
        with self.locked():
            week = self.week(monday_of(day), default_host)
            change(week)
            week = Week.model_validate(week.model_dump())  # re-run every validator on the result
            self._put(week)
            return week

    # --- changing several weeks at once (a move between weeks) ---------------------------

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(self.path.name + ".moving")

    def update_weeks(self, days: list[date], change: Callable[[dict[date, Week]], object],
                     default_host: str = "O3", guard: contextlib.AbstractContextManager | None = None
                     ) -> tuple[dict[date, Week], object]:
        """Apply `change` to the freshest copies of the weeks holding `days` and write them
        in that order, under one lock: either all of them change or none does.

        Each week is read (and refused, if its file is damaged) before any is written. A
        move lists its destination first: should the process die between two writes, an
        incident is in both weeks, never in none; a journal beside the store names the
        weeks, and the next open keeps the copy in the week written first. Should a later
        write fail, the earlier ones are put back. `guard` is entered once the file lock is
        held (a session's lock on the store's caches). Returns the weeks as written and
        what `change` returned."""
        mondays = list(dict.fromkeys(monday_of(d) for d in days))
        with self.locked(), (guard or contextlib.nullcontext()):
            self._finish_interrupted_move()
            weeks = {m: self.week(m, default_host) for m in mondays}
            result = change(weeks)
            # the weeks' own validators again; their parts were checked as they were made or
            # assigned (validate_assignment), so they are not validated twice
            weeks = {m: Week.model_validate(dict(w)) for m, w in weeks.items()}
            if len(mondays) > 1:
                atomic_write(self.journal_path, orjson.dumps([m.isoformat() for m in mondays]))
            written: list[tuple[date, dict | None]] = []
            try:
                for monday in mondays:
                    before = self._table(monday.year).get(doc_id=monday.toordinal())
                    self._put(weeks[monday])
                    written.append((monday, None if before is None else dict(before)))
            except BaseException:
                for monday in mondays:  # a failed write may leave TinyDB's copy changed: read again
                    self._db(monday.year).storage.forget()
                self._put_back(written)
                raise
            if len(mondays) > 1:
                with contextlib.suppress(OSError):
                    self.journal_path.unlink()
            return weeks, result

    def _put_back(self, written: list[tuple[date, dict | None]]) -> None:
        """Undo the writes of a change that could not finish, newest first. Should that fail
        too, the journal stays and the next open keeps the moved copy (no loss)."""
        try:
            for monday, before in reversed(written):
                table = self._table(monday.year)
                if before is None:
                    table.remove(doc_ids=[monday.toordinal()])
                else:
                    table.put(monday.toordinal(), before)
        except Exception:
            for monday, _ in written:
                self._db(monday.year).storage.forget()
            return
        with contextlib.suppress(OSError):
            self.journal_path.unlink()

    def _finish_interrupted_move(self) -> None:
        """A writer died between the writes of a move: an incident in the week written first
        (its destination) and still in a later one is dropped from the later one."""
        try:
            raw = self.journal_path.read_bytes()
        except FileNotFoundError:
            return
        try:
            mondays = [date.fromisoformat(d) for d in json.loads(raw)]
        except (ValueError, TypeError):
            mondays = []  # a torn journal: its move never started writing (it is written first)
        seen: set[str] = set()
        try:
            for monday in mondays:
                week = self.get(monday)
                if week is None:
                    continue
                kept = [i for i in week.incidents if i.id not in seen]
                seen |= {i.id for i in week.incidents}
                if len(kept) != len(week.incidents):
                    week.incidents = kept
                    self._put(week)
        except StoreError:
            return  # a file it names is damaged or cannot be written: the copy waits (no loss)
        with contextlib.suppress(OSError):
            self.journal_path.unlink()

    def finish_interrupted_move(self) -> None:
        if self.read_only or not self.journal_path.exists():
            return
        with self.locked():
            self._finish_interrupted_move()

    def put(self, week: Week) -> None:
        with self.locked():
            self._put(week)

    def put_many(self, weeks: list[Week]) -> None:
        """Many weeks (an import) in one write per year, all under one lock."""
        if not weeks:
            return
        by_year: dict[int, list[Week]] = {}
        for week in weeks:
            week.carried_from = None
            by_year.setdefault(week.monday.year, []).append(week)
        with self.locked():
            for year, group in by_year.items():
                docs = {w.monday.toordinal(): w.model_dump(mode="json") for w in group}
                self._table(year).put_many(docs)

    def delete(self, monday: date) -> bool:
        with self.locked():
            return bool(self._table(monday.year).remove(doc_ids=[monday.toordinal()]))


def first_week(monday: date, incident_host: str = "O3") -> Week:
    """A store's first week: the incident counts line is there from the start (derived)."""
    from .models import Metric

    return Week(monday=monday, incident_host=incident_host,
                metrics=[Metric(group="系统可用性", name="事故数", kind="incident_counts")])


def open_store(path: str | Path | None = None) -> WeekStore:
    from .settings import default_db_path

    return WeekStore(path or default_db_path())


def now_minute() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)

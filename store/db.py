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
import fcntl
import json
import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import orjson
from pydantic import ValidationError

from .errors import (
    StoreBusy, StoreCorrupt, StoreError, StoreReadOnly, WeeklyError, WeekRefused, describe_validation,
)
from .messages import say
from .files import FILE_MODE, atomic_write, failure_reason, make_folders, write_new
from .models import SCHEMA_VERSION, Metric, Week, check_day, monday_of
from .storage import META, WEEKS, SafeJSONStorage, WeekDB, WeekTable, stored_metrics
from .text import visible
from .carry import carry_over

LOCK_TIMEOUT = 10.0  # seconds; a save holds the lock for milliseconds
WEEK_CAP = 4_000_000  # bytes of one stored week: a week at every other limit saves in < 100 ms
YEARS_PARSED = 3  # year files kept parsed in memory (~1.5 MB each): browsing years stays bounded
WEEKS_SHARED = 64  # history weeks kept validated (whole, or their metrics for trends)


class WeekStore:
    """Weeks by their Monday, one TinyDB per year, behind one lock."""

    def __init__(self, path: str | Path, lang: str = "zh") -> None:
        """`lang`: the store's language (the config's), which its first week is written in."""
        self.lang = lang
        if not str(path).strip():
            raise StoreError(say("store_path_empty"))
        # Resolved once: a symlinked store keeps its year files, backups and lock beside the
        # real file, and every write goes to it.
        self.path = Path(os.path.realpath(Path(path).expanduser()))
        if self.path.is_dir():
            raise StoreCorrupt(say("store_is_folder", path=self.path, file=self.path / "weekly.json"))
        if self.path.exists() and not self.path.is_file():
            raise StoreCorrupt(say("store_not_regular", path=self.path))
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

    def _version(self) -> int:
        """The main file's schema version (read afresh); raises StoreCorrupt for a broken file."""
        tables = self._meta_db.storage.read() or {}
        version = tables.get(META, {}).get("1", {}).get("schema_version", 1)
        if version > SCHEMA_VERSION:
            raise StoreError(say("store_newer", path=self.path, version=version))
        return version

    def _check_and_migrate(self) -> None:
        if not self.path.exists():
            return
        if self._version() < SCHEMA_VERSION:
            if self.read_only:
                raise StoreReadOnly(say("store_old_read_only", path=self.path))
            with self.locked():
                # Another process may have migrated while this one waited: read again, under
                # the lock, and migrate only what is still old.
                self._meta_db.storage.forget()
                version = self._version()
                if version < SCHEMA_VERSION:
                    self._migrate(self._meta_db.storage.read() or {}, version)
        if not self.read_only:
            self._clean_stale_temp_files()

    def _migrate(self, tables: dict, version: int) -> None:
        """v1: every week in the one file (a stock TinyDB layout). v2: one file per year.
        Called under the lock. Every week is validated before any file is written."""
        from .migrations import migrate_week_doc

        weeks = []
        for key, raw in (tables.get(WEEKS) or {}).items():
            try:
                weeks.append(Week.model_validate(migrate_week_doc(dict(raw))))
            except ValueError as exc:  # pydantic's ValidationError is a ValueError
                why = describe_validation(exc) if isinstance(exc, ValidationError) else visible(str(exc))
                raise StoreCorrupt(say("store_old_week_invalid", path=self.path, key=key, why=why)) from None
        # Every file beside it must read before any is written: a refused migration changes
        # nothing (and files of this schema beside an older main file are a half-done migration).
        for year in self.years():
            for monday in self.mondays(year):
                self.get(monday)
        self._keep_original(version)
        for week in weeks:
            self._table(week.monday.year).put(week.monday.toordinal(), week.model_dump(mode="json"))
        # tables Weekly does not know (another tool's, a later feature's) stay in the main file
        self._write_meta({name: table for name, table in tables.items() if name not in (WEEKS, META) and table})

    def _keep_original(self, version: int) -> None:
        """The file as it was before migrating, byte for byte, mode 0600: written once, never
        over an earlier backup (a different earlier one keeps its name; this gets the next)."""
        original = Path(os.path.realpath(self.path)).read_bytes()
        for n in range(1, 100):
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak" + (f"{n}" if n > 1 else ""))
            if backup.exists() or backup.is_symlink():
                if backup.is_file() and not backup.is_symlink() and backup.read_bytes() == original:
                    return
                continue
            if write_new(backup, original):
                return
        raise StoreError(say("store_old_backups", path=self.path))

    def _write_meta(self, kept: dict | None = None) -> None:
        self._meta_db.storage.write({**(kept or {}), META: {"1": {"schema_version": SCHEMA_VERSION}}})

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
            db = WeekDB(self.year_path(year), storage=SafeJSONStorage, read_only=self.read_only,
                        year=year)
        self._dbs[year] = db  # the most recently used last
        parsed = [d.storage for d in self._dbs.values() if d.storage.holds_data()]
        for storage in parsed[:-YEARS_PARSED]:
            storage.forget()
        return db

    def forget_parsed(self) -> None:
        """Drop every parsed year file (the next read parses again): after the TUI's first
        load, the memory they held is reused for drawing the first screen, not added to it."""
        for db in self._dbs.values():
            db.storage.forget()

    def _table(self, year: int) -> WeekTable:
        return self._db(year).table(WEEKS, cache_size=0)

    @contextlib.contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the store's lock for one read-modify-write. `timeout`: seconds to wait for
        another writer (default LOCK_TIMEOUT); 0 tries once, and raises StoreBusy at once if
        the lock is taken (for a UI thread, which must never wait)."""
        if self.read_only:
            raise StoreReadOnly(say("store_read_only", path=self.path))
        try:
            make_folders(self.path.parent)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
            os.fchmod(fd, FILE_MODE)
        except OSError as exc:
            raise StoreError(say("store_cannot_write", path=self.path, why=failure_reason(exc))) from exc
        try:
            deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        if timeout is not None and timeout <= 0:
                            raise StoreBusy(say("store_busy_now", path=self.path)) from None
                        raise StoreBusy(say("store_busy", path=self.path)) from None
                    time.sleep(0.005)
            yield
            if not self.path.exists():  # the main file comes with the first save that succeeds
                self._write_meta()
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
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            why = describe_validation(exc) if isinstance(exc, ValidationError) else visible(str(exc))
            raise StoreCorrupt(say("store_week_invalid", path=self.year_path(monday.year), monday=monday,
                                   why=why)) from None

    def is_stored(self, monday: date) -> bool:
        """Whether the week holding `monday` is written (not a proposal), without reading it."""
        monday = monday_of(monday)
        return self._table(monday.year).contains(doc_id=monday.toordinal())

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
            cached = (stamp, self._stored(monday, stored_metrics) if metrics_only else self.get(monday))
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

    def stored_docs(self, start: date | None = None, end: date | None = None) -> Iterator[tuple[date, dict]]:
        """The stored weeks holding a day from `start` to `end` (each optional), oldest first,
        as their documents brought to this schema but not validated: for reading many weeks
        fast (search). A year file that cannot be read raises StoreCorrupt, as `get` does."""
        from .migrations import migrate_week_doc

        first = monday_of(start) if start else date.min
        for year in self.years():
            if (start and year < first.year) or (end and year > end.year):
                continue
            weeks = (self._db(year).storage.read() or {}).get(WEEKS) or {}
            for key in sorted(weeks, key=int):
                monday = date.fromordinal(int(key))
                if monday < first or (end and monday > end):
                    continue
                try:
                    yield monday, migrate_week_doc(dict(weeks[key]))
                except ValueError as exc:
                    raise StoreCorrupt(say("store_week_unreadable", path=self.year_path(year), monday=monday,
                                           why=visible(str(exc)))) from None

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

    def incidents_earlier_in_year(self, monday: date, year: int | None = None) -> list:
        """The incidents dated in `year` (default: the year of `monday`) of the stored weeks
        before `monday`, across year files: week 1 of a year starts in the one before."""
        year = monday.year if year is None else year
        first = monday_of(date(year, 1, 1))
        return [inc for y in (year - 1, year) for m in self.mondays(y) if first <= m < monday
                for inc in self._shared(m).incidents if inc.at.year == year]

    def week(self, monday: date, default_host: str = "O3", template: str = "default") -> Week:
        """The stored week, or a proposal carried over from the latest earlier one (in that
        week's template), or, in a store with no earlier week, a first week in `template`
        (the config's `template`)."""
        try:
            monday = check_day(monday_of(monday))
        except ValueError as exc:
            raise WeeklyError(str(exc)) from None
        stored = self.get(monday)
        if stored is not None:
            return stored
        previous = self.latest_before(monday)
        if previous is not None:
            return carry_over(previous, monday)
        return first_week(monday, default_host, template, self.lang)

    # --- writing ------------------------------------------------------------------------

    def _put(self, week: Week) -> None:
        week.carried_from = None
        self._table(week.monday.year).put(week.monday.toordinal(), _sized(week))

    def update(self, day: date, change: Callable[[Week], object], default_host: str = "O3",
               lock_timeout: float | None = None, template: str = "default") -> Week:
        """Apply `change` to the freshest copy of the week holding `day` and save it.
        Changes made by another writer meanwhile are read first, so none is lost.
        `lock_timeout`: as `locked(timeout)`; 0 raises StoreBusy at once if another writer holds it."""
        with self.locked(lock_timeout):
            week = self.week(monday_of(day), default_host, template)
            change(week)
            # The week's own validators again (list caps, items and depth in all, dates): what a
            # change did in place, appending or nesting, has not been checked yet. Its parts were
            # checked as they were made or assigned (validate_assignment), so they are not
            # validated again: at the limits that would double the save (~12k objects).
            week = Week.model_validate(dict(week))
            self._put(week)
            return week

    # --- changing several weeks at once (a move between weeks) ---------------------------

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(self.path.name + ".moving")

    def update_weeks(self, days: list[date], change: Callable[[dict[date, Week]], object],
                     default_host: str = "O3", guard: contextlib.AbstractContextManager | None = None,
                     lock_timeout: float | None = None, template: str = "default") -> tuple[dict[date, Week], object]:
        """Apply `change` to the freshest copies of the weeks holding `days` and write them
        in that order, under one lock: either all of them change or none does.

        Each week is read (and refused, if its file is damaged) before any is written. A
        move lists its destination first: should the process die between two writes, an
        incident is in both weeks, never in none; a journal beside the store names the
        weeks, and the next open keeps the copy in the week written first. Should a later
        write fail, the earlier ones are put back. `guard` is entered once the file lock is
        held (a session's lock on the store's caches). `lock_timeout`: as `locked(timeout)`
        (0: StoreBusy at once). A week `change` takes out of the dict is deleted (an undo
        of the op that created it: ops.UndoCreation). Returns the weeks as written and what
        `change` returned."""
        mondays = list(dict.fromkeys(monday_of(d) for d in days))
        with self.locked(lock_timeout), (guard or contextlib.nullcontext()):
            self._finish_interrupted_move()
            weeks = {m: self.week(m, default_host, template) for m in mondays}
            result = change(weeks)
            # the weeks' own validators again; their parts were checked as they were made or
            # assigned (validate_assignment), so they are not validated twice
            weeks = {m: Week.model_validate(dict(w)) for m, w in weeks.items()}
            if len(mondays) > 1:
                atomic_write(self.journal_path, orjson.dumps([m.isoformat() for m in mondays]))
            written: list[tuple[date, dict | None]] = []
            try:
                for monday in mondays:
                    table = self._table(monday.year)
                    before = table.get(doc_id=monday.toordinal())
                    if monday in weeks:
                        self._put(weeks[monday])
                    elif before is not None:
                        table.remove(doc_ids=[monday.toordinal()])
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

    def put(self, week: Week, lock_timeout: float | None = None) -> None:
        with self.locked(lock_timeout):
            self._put(week)

    def put_many(self, weeks: list[Week]) -> None:
        """Many weeks (an import) in one write per year, all under one lock."""
        if not weeks:
            return
        by_year: dict[int, dict[int, dict]] = {}
        for week in weeks:  # every week checked (size) before any year file is written
            week.carried_from = None
            by_year.setdefault(week.monday.year, {})[week.monday.toordinal()] = _sized(week)
        with self.locked():
            for year, docs in by_year.items():
                self._table(year).put_many(docs)

    def delete(self, monday: date) -> bool:
        with self.locked():
            return bool(self._table(monday.year).remove(doc_ids=[monday.toordinal()]))


def _sized(week: Week) -> dict:
    """The week as stored, refused if it is over WEEK_CAP (a save rewrites its year file)."""
    doc = week.model_dump(mode="json")
    try:
        size = len(orjson.dumps(doc))
    except orjson.JSONEncodeError as exc:  # deeper than JSON writers go: the models cap depth
        raise WeekRefused(say("week_unsavable", monday=week.monday, why=visible(str(exc)))) from None
    if size > WEEK_CAP:
        raise WeekRefused(say("week_too_large", monday=week.monday, size=size / 1e6, cap=WEEK_CAP / 1e6))
    return doc


def first_week(monday: date, incident_host: str = "O3", template: str = "default", lang: str = "zh") -> Week:
    """A store's first week, in the config's template and the store's language: the incident
    counts line is there from the start (derived)."""
    from .counts import COUNTS_GROUPS, COUNTS_NAMES
    from .errors import WeeklyError
    from .models import Metric
    from .sections import template_sections
    from .user_templates import load_template

    try:  # the store reads the user's template (the config's folder); the rules never do
        sections = template_sections(load_template(template))
    except WeeklyError:
        sections = []  # a template that cannot be read: the week is written in the default layout
    return Week(monday=monday, incident_host=incident_host, template=template, sections=sections,
                metrics=[Metric(group=COUNTS_GROUPS[lang], name=COUNTS_NAMES[lang], kind="incident_counts")])


def now_minute() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)

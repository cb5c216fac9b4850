"""The session engine under the TUI: the week on screen and what it is compared with, and
every edit as an op (store/ops.py) saved by one worker thread, in order, one at a time.

Threads. The session belongs to one thread, its owner (the TUI's): every method and every
attribute is for that thread. The worker thread only takes the store's file lock (waiting
for another process there, never on the owner's thread), applies an op to the freshest
stored weeks and writes them; what it did waits in a queue until the owner calls
`collect()`. The worker calls `wake()` (from its own thread) when something is ready: the
TUI passes a function that posts a message (`App.post_message` is thread-safe) and calls
`collect()` in the handler. The worker never waits for the owner, so `flush()` on the
owner thread cannot deadlock.

What the screen shows (`week`) is the stored week with the ops not yet saved applied on
top; `stored` is the week as the file holds it. An op the freshest stored week refuses
(the model says no) is dropped and said (event "refused"). A save the store cannot make
(a damaged file, the lock held too long, a full disk) stops the queue, as later ops may
build on it: `save_error` says why, `unsaved` counts what is not saved, `retry()` tries
again, `discard_unsaved()` gives up, and the week shown goes back to the file.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

import orjson
from pydantic import ValidationError

from .counts import count_mismatch, counts, year_to_date_counts
from .errors import WeeklyError, WeekRefused, describe_validation
from .models import Incident, Metric, Week, monday_of
from .ops import Batch, MoveIncident, Notice, Op, Outcome, SetText, stored_form, text_of, undo_creating
from .storage import collector_paused
from .weeks import report_date

TREND_WEEKS = 12
UNDO_STEPS = 500  # a week of edits; older steps go (each holds what it would restore)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return describe_validation(exc)
    return str(exc) or exc.__class__.__name__


def _now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


# --- what the owner is told ---------------------------------------------------------------------

EVENTS = {
    "save_failed": ("保存失败：{error}", "save failed: {error}"),
    "refused": ("未保存，该修改与已保存的内容不符：{error}", "not saved: the change does not fit what is stored: {error}"),
    "undone": ("已撤销", "undone"),
    "redone": ("已重做", "redone"),
    "nothing_to_undo": ("没有可撤销的操作", "nothing to undo"),
    "nothing_to_redo": ("没有可重做的操作", "nothing to redo"),
    "changed_elsewhere": ("已载入别处所做的修改", "reloaded a change made elsewhere"),
    "other_week": ("已保存到 {monday} 那一周", "saved in the week of {monday}"),
}


@dataclass(frozen=True)
class Event:
    """Something to tell the user. code: an EVENTS key, or a Notice code (ops.NOTICES)
    carried in `notice`. `mondays`: the weeks the step touched (undo/redo, other_week)."""
    code: str
    params: dict = field(default_factory=dict)
    notice: Notice | None = None
    mondays: tuple = ()

    @property
    def severity(self) -> str:
        if self.code in ("save_failed", "refused"):
            return "error"
        if self.notice is not None and self.notice.code in ("conflict", "kept_theirs", "gone", "parent_gone"):
            return "warning"
        return "information"

    def text(self, lang: str = "en") -> str:
        if self.notice is not None:
            return self.notice.text(lang)
        zh, en = EVENTS[self.code]
        return (zh if lang == "zh" else en).format(**self.params)


@dataclass(frozen=True)
class Result:
    """What `apply` (or undo/redo) says at once: ok, or why nothing was done."""
    ok: bool
    error: str | None = None

    def __bool__(self) -> bool:
        return self.ok


# --- the queue --------------------------------------------------------------------------------

@dataclass(eq=False)
class Step:
    """One user action: one undo step, however many ops (an editor's keystrokes) and weeks."""
    group: str | None = None
    jobs: list = field(default_factory=list)
    inverses: list = field(default_factory=list)  # filled by the worker, in order

    def complete(self) -> bool:
        return all(job.reported for job in self.jobs)

    def inverse(self) -> Op | None:
        return Batch(tuple(reversed(self.inverses))) if self.inverses else None

    def mondays(self) -> tuple:
        return tuple(dict.fromkeys(m for inv in self.inverses for m in inv.mondays))


@dataclass(eq=False)
class Job:
    op: Op | None  # None for an undo/redo whose op the worker works out from `undo_of`
    step: Step
    undo_of: Step | None = None
    kind: str = "do"  # do | undo | redo
    # set by the worker:
    error: str | None = None
    outcome: Outcome | None = None
    weeks: dict = field(default_factory=dict)
    stamps: dict = field(default_factory=dict)
    written: bool = False
    refused: str | None = None  # the op cannot apply to the stored weeks: dropped, and said
    # set on the owner thread:
    reported: bool = False

    def known_op(self) -> Op | None:
        if self.op is not None:
            return self.op
        if self.undo_of is not None and self.undo_of.complete():
            return self.undo_of.inverse()
        return None


def _add_inverse(inverses: list, inverse: Op) -> None:
    """An editor saves at every pause in typing: consecutive reverts of one text, with no
    change from elsewhere between them, become one (R2→R1 then R1→R0 is R2→R0), so an hour
    of typing keeps one text to undo to, not thousands."""
    last = inverses[-1] if inverses else None
    if (isinstance(inverse, SetText) and isinstance(last, SetText) and last.monday == inverse.monday
            and last.target == inverse.target and last.base == inverse.new):
        inverses[-1] = SetText(inverse.monday, inverse.target, inverse.base, last.new, undoing=True)
    else:
        inverses.append(inverse)


def copy_for(week: Week, ops: list[Op]) -> Week:
    """A copy of `week` that these ops may change without changing `week`: the fields they
    change copied deep, the others shared (the week shown is never changed in place)."""
    fields = set()
    for op in ops:
        if op.fields is None:
            return week.model_copy(deep=True)
        fields.update(op.fields)
    return week.model_copy(update={name: copy.deepcopy(getattr(week, name)) for name in fields})


def share_fields(week: Week, like: Week, names=None) -> None:
    """Give `week` the very objects of `like`'s fields `names` (default: those equal in
    both): whoever draws a week (the TUI's panes) draws again only a field that is not the
    same object as last time. Neither week is ever changed in place (ops change copies)."""
    for name in Week.model_fields if names is None else names:
        mine, theirs = week.__dict__[name], like.__dict__[name]
        if mine is not theirs and (names is not None or mine == theirs):
            week.__dict__[name] = theirs


class _Scratch(dict):
    """Weeks for showing an op at once: those not on screen are empty stand-ins (the
    worker applies the op to the real ones)."""

    def __missing__(self, monday: date) -> Week:
        week = Week(monday=monday)
        self[monday] = week
        return week


class Session:
    def __init__(self, store, settings=None, *, clock: Callable[[], datetime] | None = None,
                 start: date | None = None, wake: Callable[[], None] | None = None,
                 trend_weeks: int = TREND_WEEKS) -> None:
        from .settings import Settings

        self.store = store
        self.settings = settings or Settings()
        self.clock = clock or _now
        self.wake = wake or (lambda: None)
        self.trend_weeks = trend_weeks
        self._store_guard = threading.RLock()  # the store's caches: worker writes, owner reads
        self._cond = threading.Condition()
        self._todo: deque[Job] = deque()  # not yet saved, oldest first (shared with the worker)
        self._done: deque[Job] = deque()  # saved or failed, not yet collected
        self._paused = False
        self._busy = False
        self._closed = False
        self._worker: threading.Thread | None = None
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self.save_error: str | None = None
        self._known: dict[date, Week] = {}  # stored copies of weeks with open editors
        self._known_stamps: dict[date, tuple] = {}
        self._day = self.today
        self.week: Week = Week(monday=monday_of(self._day))
        self.stored: Week = self.week
        self.last_week: Week | None = None
        self.trends: list[list[Metric]] = []
        self.earlier_incidents: list[Incident] = []
        self.derived: tuple[int, int] = (0, 0)
        self.history_problem: str | None = None  # last week or the trends could not be read: why
        self._stamp = None
        self.open(start or self._day)

    # --- the clock ----------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.clock().date()

    def now(self) -> datetime:
        return self.clock().replace(second=0, microsecond=0)

    def tick(self) -> bool:
        """True once when the date has changed since the last tick (midnight passed): "this
        week", the default note day and overdue marks are to be drawn again."""
        today = self.today
        if today == self._day:
            return False
        self._day = today
        return True

    # --- reading ---------------------------------------------------------------------------------

    def open(self, day: date) -> None:
        """Show the week holding `day` (read from the store, or a proposal carried over).
        Raises WeeklyError when the week's own file is damaged (one line to show; the week
        shown stays); a damaged older file only empties last week and the trends, and
        `history_problem` says why."""
        monday = monday_of(day)
        with self._store_guard:
            stored = self.store.week(monday, self.settings.incident_host, self.settings.template)
            try:
                last_week, trends = self.store.recent(monday, self.trend_weeks)
                year = report_date(stored, self.settings.report_day).year  # week 1 may start in December
                earlier = (self.store.incidents_earlier_in_year(monday, year)
                           if self.settings.count_scope == "ytd" else [])
                self.history_problem = None
            except WeeklyError as exc:  # an older year's file is damaged: the week still shows
                last_week, trends, earlier = None, [], []
                self.history_problem = str(exc)
            self._stamp = self.store.stamp(monday)
        self.stored = stored
        self.last_week, self.trends, self.earlier_incidents = last_week, trends, earlier
        self._rebuild()

    def reading(self):
        """Hold this while reading the store directly (an export): the worker may be writing."""
        return self._store_guard

    def read_week(self, monday: date) -> Week:
        """The stored copy of another week (an editor on a day not on screen)."""
        monday = monday_of(monday)
        if monday == self.week.monday:
            return self.stored
        if monday not in self._known:
            with self._store_guard:
                self._known_stamps[monday] = self.store.stamp(monday)
                self._known[monday] = self.store.week(monday, self.settings.incident_host, self.settings.template)
        return self._known[monday]

    def refresh(self) -> bool:
        """Poll for another writer: reload the week on screen when its file changed. True
        when what is shown changed. Waits while our own saves are under way (their
        reports bring the fresh week). Raises WeeklyError (once) when the file is damaged;
        the week shown stays."""
        with self._cond:
            if (self._todo and not self._paused) or self._done:
                return False  # our own write is not news: collect() brings it
        with self._store_guard:
            stamp = self.store.stamp(self.week.monday)
            for monday, known in list(self._known_stamps.items()):
                if self.store.stamp(monday) != known:  # an editor on another week reads it again
                    self._known.pop(monday, None)
                    self._known_stamps.pop(monday, None)
        if stamp == self._stamp:
            return False
        self._stamp = stamp  # a damaged file is reported once, not at every poll
        before = self.week.model_dump()
        self.open(self.week.monday)
        return self.week.model_dump() != before

    @property
    def stated_mismatch(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """(stated, derived) when an imported report states incident counts its log does
        not support (SPEC §1.1); None otherwise. The one place this is worked out."""
        return count_mismatch(self.week, self.derived)

    def _rebuild(self) -> None:
        """The week shown: stored, with what is not saved yet applied on top."""
        week = self.stored
        pending = self._pending_ops(week.monday)
        if pending:
            week = copy_for(self.stored, pending)
            for op in pending:
                try:
                    op.apply(_Scratch({week.monday: week}))
                except (ValueError, ValidationError, KeyError):
                    continue  # it will fail in the worker too and say so there
        self.week = week
        self.derived = self._derive(week)

    def _derive(self, week: Week) -> tuple[int, int]:
        """Incident counts by grade from the log (SPEC §1.1): the week's, or the year's so far
        (1 January to the report day)."""
        if self.settings.count_scope == "ytd":
            return year_to_date_counts(week, self.earlier_incidents, self.settings.report_day)
        return counts(week.incidents)

    def _pending_ops(self, monday: date) -> list[Op]:
        with self._cond:
            jobs = [job for job in self._todo if not job.written]
        ops = [job.known_op() for job in jobs]
        return [op for op in ops if op is not None and monday in op.mondays]

    # --- changing ------------------------------------------------------------------------------

    def apply(self, op: Op, group: str | None = None) -> Result:
        """Show `op` at once and queue it for the store. A bad op (a value the model refuses)
        says why and changes nothing. Ops with the same `group` in a row are one undo step
        (an editor open while the user types)."""
        if self.store.read_only:
            return Result(False, f"{self.store.path}: the store is read-only; nothing was saved")
        preview = None
        if self.week.monday in op.mondays:
            preview = copy_for(self.week, [op])
            try:
                op.apply(_Scratch({preview.monday: preview}))
                preview = Week.model_validate(dict(preview))  # the week's own rules (parts checked on assignment)
            except (ValueError, ValidationError) as exc:
                return Result(False, _error_text(exc))
            if op.fields is not None:  # validating copied the lists the op left as they were
                share_fields(preview, self.week, Week.model_fields.keys() - set(op.fields))
        if group is not None and self.undo_stack and self.undo_stack[-1].group == group:
            step = self.undo_stack[-1]
        else:
            step = Step(group)
            self.undo_stack.append(step)
            del self.undo_stack[:-UNDO_STEPS]
        self.redo_stack.clear()
        if preview is not None:  # before the worker starts: it shares what it writes with this week
            self.week = preview
            self.derived = self._derive(preview)
        self._queue(Job(op, step))
        return Result(True)

    def undo(self) -> Result:
        """Apply the inverse of the last user action to the latest stored weeks. What
        changed elsewhere since is left as it is (the events of `collect()` say so)."""
        return self._reverse(self.undo_stack, self.redo_stack, "undo")

    def redo(self) -> Result:
        return self._reverse(self.redo_stack, self.undo_stack, "redo")

    def _reverse(self, source: list[Step], target: list[Step], kind: str) -> Result:
        if not source:
            return Result(False, EVENTS["nothing_to_undo" if kind == "undo" else "nothing_to_redo"][1])
        step = source.pop()
        again = Step()
        target.append(again)
        job = Job(None, again, undo_of=step, kind=kind)
        self._queue(job)
        op = job.known_op()
        if op is not None and self.week.monday in op.mondays:
            self._rebuild()
        return Result(True)

    def _queue(self, job: Job) -> None:
        job.step.jobs.append(job)
        with self._cond:
            self._todo.append(job)
            self._cond.notify_all()
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="weekly-save", daemon=True)
            self._worker.start()

    # --- the worker ------------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._todo or self._paused):
                    self._cond.wait()
                if not self._todo or self._paused:
                    return  # closed
                job = self._todo[0]
                self._busy = True
            self._save(job)
            with self._cond:
                self._busy = False
                if job.error is None:
                    self._todo.popleft()
                else:
                    self._paused = True  # in order: what follows may build on this one
                self._done.append(job)
                self._cond.notify_all()
            try:
                self.wake()
            except Exception:  # noqa: BLE001 - the owner is gone (the app closed); the queue is what matters
                pass

    def _save(self, job: Job) -> None:
        op = job.op
        if op is None:
            op = job.undo_of.inverse()
            if op is None:
                job.outcome = Outcome()
                return
            job.op = op
        job.error = job.refused = None
        stamps: dict = {}
        created: set = set()

        @contextlib.contextmanager
        def guard():
            with self._store_guard:
                # under the file lock: the weeks this op is the first to write
                created.update(m for m in op.mondays if not self.store.is_stored(m))
                yield
                # written (still under the file lock and the cache guard): from now on the
                # owner reads this op from the file, never again from the queue
                stamps.update({m: self.store.stamp(m) for m in op.mondays})
                with self._cond:
                    job.written = True

        try:
            weeks, outcome = self._write(op, guard())
        except WeeklyError as exc:  # the store: damaged, busy, read-only, disk full — worth a retry
            if isinstance(exc, WeekRefused):  # ...unless the week as changed can never be written
                job.refused = _error_text(exc)
            else:
                job.error = _error_text(exc)
            return
        except (ValidationError, ValueError, RecursionError, orjson.JSONEncodeError) as exc:  # (a TypeError)
            # the op itself, on the freshest weeks: refused by the model (or too deep to write);
            # trying again cannot help, so it is dropped and said, and the queue goes on
            job.refused = _error_text(exc)
            return
        except Exception as exc:  # noqa: BLE001 - a save never takes the worker down; it says why
            job.error = _error_text(exc)
            return
        job.outcome, job.weeks, job.stamps = outcome, weeks, stamps
        if outcome.inverse is not None:
            _add_inverse(job.step.inverses, undo_creating(outcome.inverse, weeks, created))

    def _write(self, op: Op, guard) -> tuple[dict, Outcome]:
        """The worker's write of `op`; the weeks written share what is equal in the week shown.
        A week at the limits is read and checked afresh as ~100k new objects, most gone again
        once it shares: meanwhile the cyclic collector is paused (it walked them, and the UI's
        objects, in the middle of typing: ~40 ms)."""
        with collector_paused():
            weeks, outcome = self.store.update_weeks(list(op.mondays), op.apply, self.settings.incident_host,
                                                     guard=guard, template=self.settings.template)
            shown = self.week  # read only: the owner replaces it, never changes it in place
            if shown.monday in weeks:  # here, not on the owner's thread: comparing a big week takes a while
                share_fields(weeks[shown.monday], shown)
        return weeks, outcome

    # --- the owner takes in what the worker did ----------------------------------------------------

    def collect(self) -> list[Event]:
        """Take in the saves that ended: the week shown is rebuilt from what was written,
        and the events say what to tell the user. Call it on the owner thread after wake()."""
        with self._cond:
            done = list(self._done)
            self._done.clear()
        events: list[Event] = []
        on_screen = self.week.monday
        for job in done:
            if job.error is not None:
                if job.error != self.save_error:
                    events.append(Event("save_failed", {"error": job.error}))
                self.save_error = job.error
                continue
            job.reported = True
            if job.refused is not None:
                events.append(Event("refused", {"error": job.refused}))
                continue
            self.save_error = None
            for monday, week in job.weeks.items():
                if monday == on_screen:
                    self.stored = week
                    self._stamp = job.stamps.get(monday)
                elif monday in self._known:
                    self._known[monday] = week
                    self._known_stamps[monday] = job.stamps.get(monday)
            for monday in job.op.mondays:
                if monday in job.weeks:
                    continue
                # deleted (an undo of the op that created it): a proposal again
                self._known.pop(monday, None)
                self._known_stamps.pop(monday, None)
                if monday == on_screen:
                    with self._store_guard:
                        self.stored = self.store.week(monday, self.settings.incident_host, self.settings.template)
                    self._stamp = job.stamps.get(monday)
            notices = job.outcome.notices if job.outcome else []
            events += [Event(n.code, n.params, notice=n) for n in notices]
            mondays = tuple(job.weeks)
            if job.kind in ("undo", "redo"):
                events.append(Event("undone" if job.kind == "undo" else "redone", mondays=mondays))
            elif mondays and on_screen not in mondays:
                events.append(Event("other_week", {"monday": f"{mondays[0]:%Y-%m-%d}"}, mondays=mondays))
            elif isinstance(job.op, MoveIncident) and job.op.destination in mondays and job.op.destination != on_screen:
                moved_to = job.op.destination  # an incident given a time in another week went there
                events.append(Event("other_week", {"monday": f"{moved_to:%Y-%m-%d}"}, mondays=(moved_to,)))
        if done:
            self._rebuild()
        return events

    @property
    def unsaved(self) -> int:
        """How many ops are not saved yet (queued, being saved, or failed)."""
        with self._cond:
            return len(self._todo)

    @property
    def saving(self) -> bool:
        with self._cond:
            return bool(self._todo) and not self._paused

    def retry(self) -> None:
        """Try the failed save again (and what is queued after it)."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def discard_unsaved(self) -> int:
        """Give up what could not be saved: the week shown goes back to the file. Returns how
        many ops were dropped."""
        with self._cond:
            keep = deque([self._todo[0]]) if self._busy and self._todo else deque()
            dropped = [job for job in self._todo if job not in keep]
            self._todo = keep
            self._paused = False
            self._done = deque(job for job in self._done if job.error is None)
        for job in dropped:
            job.step.jobs.remove(job)
        for stack in (self.undo_stack, self.redo_stack):
            stack[:] = [s for s in stack if s.jobs]
        self.save_error = None
        self.open(self.week.monday)  # the file as it is now, others' writes included
        return len(dropped)

    def flush(self, timeout: float | None = 30.0) -> str | None:
        """Wait until every queued op is saved, or one failed. Returns the error when
        something is not saved (then `unsaved` > 0); call collect() next for the events.
        Blocks the calling thread: for quitting (or a TUI worker), not for each keystroke."""
        with self._cond:
            self._cond.wait_for(lambda: (not self._todo and not self._busy) or (self._paused and not self._busy),
                                timeout)
            if not self._todo:
                return None
            return self._todo[0].error or "still saving"

    def close(self, timeout: float | None = 30.0) -> str | None:
        error = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        return error

    # --- text editors ----------------------------------------------------------------------------

    def draft(self, target: tuple, day: date | None = None, lang: str = "en") -> "Draft":
        """An editor's link to a text: ("note", day), ("reflections", None), ("key_work", id),
        ("other"|"next_week", None). `day` (default: the target's own, or the week on
        screen) names the week; `lang` the language of a conflict's markers."""
        monday = monday_of(target[1]) if target[0] == "note" else monday_of(day or self.week.monday)
        return Draft(self, monday, target, lang)

    def text(self, monday: date, target: tuple) -> str | None:
        week = self.week if monday == self.week.monday else self.read_week(monday)
        return text_of(week, target)

    def pending_group(self, group: str) -> bool:
        """Whether an op of this group (an editor) is queued, being saved or not collected."""
        with self._cond:
            return any(job.step.group == group for job in (*self._todo, *self._done))


class Draft:
    """What an open editor sends: each save is the text typed now against the text the
    last save was typed over, merged three-way with what is stored (store/ops.SetText).
    `catch_up(typed)` brings a change made elsewhere into the editor's text."""

    _count = 0

    def __init__(self, session: Session, monday: date, target: tuple, lang: str = "en") -> None:
        from .merge3 import labels_for

        Draft._count += 1
        self.labels = labels_for(lang)
        self.session = session
        self.monday = monday
        self.target = target
        self.group = f"draft-{Draft._count}"
        self.sent = session.text(monday, target) or ""
        # what the store made of the last text sent (a list is renumbered, its blank lines
        # dropped): the base of the next merge, so that this editor's own saves never come
        # back into it as a change made elsewhere (eating the Enter just typed)
        self.base = self.sent
        self.conflicts = False

    @property
    def opened_with(self) -> str:
        return self.sent

    def save(self, typed: str) -> Result:
        if typed == self.sent:
            return Result(True)
        op = SetText(self.monday, self.target, self.base, typed, labels=self.labels)
        result = self.session.apply(op, group=self.group)
        if result:
            self.sent = typed
            self.base = stored_form(self.target, typed)
        return result

    def catch_up(self, typed: str) -> str | None:
        """After collect()/refresh(): the text the editor should hold now that a change made
        elsewhere is stored (typed text not yet sent is kept, merged), or None when the
        editor is up to date. Waits while a save of this editor is under way."""
        session = self.session
        if session.pending_group(self.group):
            return None
        stored = session.stored if self.monday == session.week.monday else session.read_week(self.monday)
        text = text_of(stored, self.target)
        if text is None or text == self.base:
            return None
        from .merge3 import merge3

        merged = merge3(self.base, typed, text, self.labels)
        self.sent = self.base = text
        self.conflicts = merged.conflicts > 0
        return None if merged.text == typed else merged.text


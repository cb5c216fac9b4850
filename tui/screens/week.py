"""The week screen: the panes, the live preview and the keys that act on the week. Its keys
belong to the screen, so a dialog on top silences them all. Every change of the store goes
through `edit`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from store import edits
from store.db import WeekStore
from store.errors import WeeklyError, describe_validation
from store.models import Incident, KeyWorkItem, Metric, Objective, ObjectiveItem, Week, monday_of
from store.rules import counts_differ, default_note_day, derived_counts, parse_day, pre_export_check, \
    progress_into_text, title, week_number
from store.settings import Settings, default_export_dir

from ..forms import ConfirmScreen
from ..i18n import t
from ..keybar import KeyBar
from ..panes import IncidentsPane, KeyWorkPane, MetricsPane, NotesPane, ObjectivesPane, Pane, PreviewView
from ..panes.notes import DAILY
from . import dialogs

WEEK_KEYS = Binding.Group("week_keys")
PANES = ["key_work", "metrics", "objectives", "incidents", "notes", "preview"]
TREND_WEEKS = 12
NOTICE_SECONDS = 6.0

Edit = Callable[[Week], object]
Change = tuple[date, Edit]  # an edit of the week of that Monday


class ChangedElsewhere(Exception):
    """An undo or redo found the week no longer as it left it: another writer changed it."""


def _error_text(exc: Exception) -> str:
    return describe_validation(exc) if isinstance(exc, ValidationError) else str(exc)


def _state(week: Week) -> dict:
    return week.model_dump(mode="json", exclude={"carried_from"})


def _restore(expected: dict, snapshot: dict) -> Edit:
    """Put the week back as `snapshot`, only if it is still exactly `expected` when saved:
    a change written meanwhile by another writer is never reverted."""
    def edit(week: Week) -> None:
        if _state(week) != expected:
            raise ChangedElsewhere
        old = Week.model_validate(snapshot)
        for name in Week.model_fields:
            setattr(week, name, getattr(old, name))
    return edit


@dataclass
class Step:
    """One user action, undoable as one, though it may touch two weeks."""
    forward: list[Change]
    backward: list[Change]
    label: str = ""
    shown: list[tuple[date, dict, dict]] = field(default_factory=list)  # the week on screen: before, after


class WeekScreen(Screen):
    BINDINGS = [
        # one footer entry for the pair, so that every key that applies fits in 120 columns
        Binding("left_square_bracket", "prev_week", "prev_week", id="prev_week", group=WEEK_KEYS),
        Binding("right_square_bracket", "next_week", "next_week", id="next_week", group=WEEK_KEYS),
        Binding("t", "this_week", "this_week", id="this_week"),
        Binding("g", "goto_week", "goto_week", id="goto_week"),
        Binding("i", "log_incident", "log_incident", id="log_incident"),
        Binding("n", "daily_note", "daily_note", id="daily_note"),
        Binding("e", "export", "export", id="export"),
        Binding("y", "copy_report", "copy", id="copy"),
        Binding("ctrl+z", "undo", "undo", id="undo"),
        Binding("f6", "undo", "undo_fkey", id="undo_fkey", show=False),
        # ctrl+y, and a function key for terminals that take it (ctrl+shift+z never arrives)
        Binding("ctrl+y", "redo", "redo", id="redo", show=False),
        Binding("f7", "redo", "redo_fkey", id="redo_fkey", show=False),
        *[Binding(str(n), f"focus_pane({n})", "focus_pane", id=f"pane_{n}", show=False) for n in range(1, 7)],
    ]

    def __init__(self, settings: Settings, start: date | None, poll_seconds: float) -> None:
        super().__init__()
        self.store: WeekStore  # the app's: read on the UI thread; the save thread writes through its own
        self.settings = settings
        self.lang = settings.lang
        self.start = start
        self.poll_seconds = poll_seconds
        self.week: Week = Week(monday=monday_of(start or date.today()))
        self.last_week: Week | None = None  # the latest written week before this one
        self.trends: list[list[Metric]] = []  # the metrics of the weeks before, oldest first
        self.derived = (0, 0)
        self._earlier_incidents: list[Incident] = []  # this year's before this week (ytd counts)
        self._trend_problem: str | None = None  # said once, not at every poll
        self._shown_day: date | None = None
        # saving: edits queue here; one thread writes them, in order, one run at a time
        self.pending: list[Change] = []
        self.pending_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: WeekStore | None = None
        self._saving = False
        self.save_error: str | None = None
        self._stamp = None
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self._shown_status: tuple[str, str] | None = None
        self._notice: tuple[str, float] | None = None

    @property
    def today(self) -> date:
        return self.app.clock().date()  # read each time: the app stays open past midnight

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="week-title", markup=False)
            yield Static("", id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="col-a"):
                yield KeyWorkPane(self.lang)
                yield MetricsPane(self.lang)
                yield IncidentsPane(self.lang)
                yield NotesPane(self.lang)
            yield ObjectivesPane(self.lang)
            preview = PreviewView(id="pane-preview")
            preview.border_title = t("pane_preview", self.lang)
            yield preview
        yield KeyBar()

    def on_mount(self) -> None:
        store = self.app.open_store()
        if store is None:
            return
        self.store = store
        self._shown_day = self.today
        self.load_week(self.start or self.today)
        self.query_one("#pane-key_work").focus()
        self.set_interval(self.poll_seconds, self.tick)

    # --- loading and showing ------------------------------------------------------------

    def load_week(self, day: date) -> bool:
        """Show the week holding `day`. The week itself must load; what it is compared with
        (last week, trends, the year's counts) degrades to nothing, said once."""
        monday = monday_of(day)
        try:
            week = self.store.week(monday, self.settings.incident_host)
            stamp = self.store.stamp(monday)
            title(week, self.lang, self.settings.numbering, self.settings.report_day)  # a nameable week
        except (WeeklyError, ValueError, OverflowError) as exc:
            self.app.say(str(exc), severity="error")
            return False
        self.week, self._stamp = week, stamp
        try:
            self.last_week, self.trends = self.store.recent(monday, TREND_WEEKS)
            self._earlier_incidents = (self.store.incidents_earlier_in_year(monday)
                                       if self.settings.count_scope == "ytd" else [])
            self._trend_problem = None
        except (WeeklyError, ValueError) as exc:
            self.last_week, self.trends, self._earlier_incidents = None, [], []
            if str(exc) != self._trend_problem:
                self._trend_problem = str(exc)
                self.app.say(t("trend_unreadable", self.lang, why=str(exc)), severity="warning")
        self.show_week()
        return True

    def show_week(self) -> None:
        week = self.week
        self.derived = derived_counts(week, self._earlier_incidents)
        heading = title(week, self.lang, self.settings.numbering, self.settings.report_day)
        span = f"{week.monday:%Y-%m-%d} – {week.sunday:%m-%d}"
        # fixed width and height: a new title needs no layout of the screen
        self.query_one("#week-title", Static).update(Content(f" {heading}  ·  {span}"), layout=False)
        self.query_one(KeyWorkPane).show(week)
        self.query_one(MetricsPane).show(week, self.trends, self.derived)
        self.query_one(IncidentsPane).show(week)
        self.query_one(NotesPane).show(week)
        self.query_one(ObjectivesPane).show(week, self.last_week, self.today)
        self.update_status()
        self.refresh_preview()

    def report_text(self) -> str:
        from exporters.files import options
        from exporters.markdown import render

        ytd = self.derived if self.settings.count_scope == "ytd" else None
        return render(self.week, options(self.settings, self.lang, ytd))

    def refresh_preview(self) -> None:
        # Not Textual's Markdown widget: it remounts a widget per block (~100 ms a keystroke).
        self.query_one(PreviewView).show(self.report_text())

    def week_name(self, day: date) -> str:
        return title(Week(monday=monday_of(day)), self.lang, self.settings.numbering, self.settings.report_day)

    def update_status(self, message: str | None = None) -> None:
        """Save state first (a failure stays loud); a notice (exported to…, logged in…) stays a
        few seconds rather than being replaced by the next "saved"."""
        if message:
            self._notice = (message, time.monotonic())
        elif self._notice and time.monotonic() - self._notice[1] < NOTICE_SECONDS:
            message = self._notice[0]
        look = "plain"
        if self.save_error:
            look = "failed"
            text = f"{t('save_failed', self.lang)}: {self.save_error} — {t('unsaved', self.lang)} ({len(self.pending)})"
        elif self.store.read_only:
            look, text = "failed", t("read_only", self.lang)
        elif message:
            look, text = "notice", message
        elif self.pending or self._saving:
            text = t("saving", self.lang)
        elif self.week.carried_from:
            text = t("carried", self.lang, d=f"{self.week.carried_from:%m/%d}")
        else:
            text = t("saved", self.lang)
        status = self.query_one("#status", Static)
        status.set_class(look == "failed", "failed")
        status.set_class(look == "notice", "notice")
        if (text, look) != self._shown_status:  # unchanged: no layout, no repaint
            self._shown_status = (text, look)
            status.update(Content(text + " "))

    def tick(self) -> None:
        """Every poll: a new day redraws what depends on today; another writer's change shows."""
        if self.today != self._shown_day:
            self._shown_day: date | None = None
            self.show_week()
        if self.pending or self._saving:
            return
        if self.store.stamp(self.week.monday) != self._stamp:
            before = _state(self.week)
            if self.load_week(self.week.monday) and _state(self.week) != before:
                self.update_status(t("changed_elsewhere", self.lang))

    # --- changing the store: the one way in ---------------------------------------------

    def edit(self, *changes: Change, backward: list[Change] | None = None, label: str = "") -> bool:
        """Apply one user action: edits of one or more weeks, shown at once and queued for
        the store in order. A bad edit says why and changes nothing. `backward`: how to undo
        the edits of weeks not on screen (the week on screen undoes to what it was)."""
        if self.store.read_only:
            self.app.say(t("read_only", self.lang), severity="error")
            return False
        step = Step(forward=[], backward=list(backward or []), label=label)
        candidate = None
        for monday, change in changes:
            if monday != self.week.monday:
                step.forward.append((monday, change))
                continue
            before = _state(self.week) if candidate is None else _state(candidate)
            try:
                candidate = Week.model_validate(before)
                change(candidate)
                candidate = Week.model_validate(candidate.model_dump())
            except (ValidationError, ValueError) as exc:
                self.app.say(_error_text(exc), severity="error")
                return False
            step.forward.append((monday, change))
            step.shown.append((monday, before, _state(candidate)))
        if candidate is not None:
            first, last = step.shown[0][1], step.shown[-1][2]
            step.backward.insert(0, (self.week.monday, _restore(last, first)))
            self.week = candidate
        self.undo_stack.append(step)
        self.redo_stack.clear()
        self._queue(step.forward)
        return True

    def _queue(self, changes: list[Change]) -> None:
        with self.pending_lock:
            self.pending.extend(changes)
        self.show_week()
        self.save_pending()

    def save_pending(self) -> None:
        if not self._saving:  # set here, on the UI thread: two quick edits start one writer
            self._saving = True
            self._save_worker()

    @work(thread=True, exclusive=False, group="save")
    def _save_worker(self) -> None:
        error, refused = self._write_queued()
        self.app.call_from_thread(self._after_save, error, refused)

    def _write_queued(self) -> tuple[str | None, int]:
        """Write queued edits, oldest first, a week at a time under the store's lock. Returns
        the error that stopped it and how many undo/redo steps met a change made elsewhere."""
        refused = 0
        with self._write_lock:
            if self._writer is None:
                self._writer = WeekStore(self.store.path)
            while True:
                with self.pending_lock:
                    if not self.pending:
                        return None, refused
                    monday = self.pending[0][0]
                    batch = [e for m, e in self.pending if m == monday]

                def apply_all(week: Week) -> None:
                    nonlocal refused
                    for change in batch:
                        try:
                            change(week)
                        except ChangedElsewhere:
                            refused += 1

                try:
                    self._writer.update(monday, apply_all, self.settings.incident_host)
                except (WeeklyError, ValidationError, ValueError, OSError) as exc:
                    return _error_text(exc), refused
                with self.pending_lock:
                    done = set(map(id, batch))
                    self.pending = [(m, e) for m, e in self.pending if id(e) not in done]

    def _after_save(self, error: str | None, refused: int) -> None:
        self._saving = False
        if error:
            first = self.save_error is None
            self.save_error = error
            if first:  # loudly, once; the status line stays red until a save succeeds
                self.app.say(f"{t('save_failed', self.lang)}: {error}", severity="error", timeout=10)
            self.set_timer(3.0, self.save_pending)
        else:
            self.save_error = None
        if refused:
            self.app.say(t("cannot_undo", self.lang))
        if self.pending and not error:
            self.save_pending()
            return
        if not self.pending and not error:
            # what is stored now: ours, plus any other writer's change that came along
            self.load_week(self.week.monday)
            return
        self.update_status()

    def save_now(self) -> str | None:
        """Write what is queued before leaving (off the UI thread); the error if it cannot."""
        error, _ = self._write_queued()
        return error

    # --- undo and redo ------------------------------------------------------------------

    def action_undo(self) -> None:
        self._replay(self.undo_stack, self.redo_stack, "backward", "nothing_to_undo", "undone")

    def action_redo(self) -> None:
        self._replay(self.redo_stack, self.undo_stack, "forward", "nothing_to_redo", "redone")

    def _replay(self, source: list[Step], target: list[Step], direction: str, empty: str, done: str) -> None:
        if not source:
            self.update_status(t(empty, self.lang))
            return
        step = source.pop()
        changes = step.backward if direction == "backward" else self._redo_changes(step)
        for monday, before, after in step.shown:
            expected = after if direction == "backward" else before
            if monday == self.week.monday and _state(self.week) != expected:
                self.update_status(t("cannot_undo", self.lang))
                return
        target.append(step)
        shown = [m for m, _ in changes if m == self.week.monday]
        if shown:
            candidate = Week.model_validate(_state(self.week))
            for monday, change in changes:
                if monday == self.week.monday:
                    change(candidate)
            self.week = candidate
        self._queue(changes)
        self.update_status(t(done, self.lang))

    @staticmethod
    def _redo_changes(step: Step) -> list[Change]:
        """Redo: the week on screen goes back to what the action made of it; other weeks get
        the action's own edits again (each finds its target by id: applied twice, once)."""
        changes = [(m, e) for m, e in step.forward if not any(m == s[0] for s in step.shown)]
        if step.shown:
            monday, first, last = step.shown[0][0], step.shown[0][1], step.shown[-1][2]
            changes.insert(0, (monday, _restore(first, last)))
        return changes

    # --- week navigation ----------------------------------------------------------------

    def action_prev_week(self) -> None:
        self.load_week(self.week.monday - timedelta(days=7))

    def action_next_week(self) -> None:
        self.load_week(self.week.monday + timedelta(days=7))

    def action_this_week(self) -> None:
        self.load_week(self.today)

    def action_goto_week(self) -> None:
        def read(text: str) -> date:
            day = parse_day(text)
            week_number(monday_of(day) + timedelta(days=6), self.settings.numbering)  # a week we can name
            return day

        self.app.push_screen(dialogs.goto_form(self.lang, self.week.monday, read, self.load_week))

    def action_focus_pane(self, number: int) -> None:
        self.query_one(f"#pane-{PANES[number - 1]}").focus()

    # --- capture --------------------------------------------------------------------------

    def action_log_incident(self) -> None:
        if self.app.screen.id == "incident-form":
            return

        def save(incident: Incident, _changed: dict) -> None:
            monday = monday_of(incident.at.date())
            elsewhere = monday != self.week.monday
            if self.edit((monday, edits.add_incident(incident)),
                         backward=[(monday, edits.delete(incident.id))] if elsewhere else None) and elsewhere:
                self.update_status(t("logged_in", self.lang, w=self.week_name(monday)))

        self.app.push_screen(dialogs.incident_form(self.lang, None, self.app.clock(), self._anchor(), save,
                                                   self.week_name))

    def _anchor(self) -> date:
        """What a yearless date is read nearest to: the week on screen (its report day)."""
        return self.week.monday + timedelta(days=self.settings.report_day)

    def action_daily_note(self, day: date | None = None) -> None:
        from exporters.markdown import daily_label

        day = day or self.today
        monday = monday_of(day)
        try:
            week = self.week if monday == self.week.monday else self.store.week(monday)
        except WeeklyError as exc:
            self.app.say(str(exc), severity="error")
            return
        note = week.note_for(day)

        def save(_title, body):
            return None if self.edit((monday, edits.set_note(day, body)),
                                     backward=[(monday, edits.set_note(day, note.text if note else ""))]
                                     if monday != self.week.monday else None) else "!"

        self.app.push_screen(self.app.editor(f"{t('daily', self.lang)} {daily_label(day, self.lang)}",
                                             note.text if note else "", self.lang, save))

    # --- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        problems = pre_export_check(self.week, self.today, self.last_week, self.derived, self.lang)

        def go(ok: bool | None = True) -> None:
            if not ok:
                return
            from exporters.files import export_week

            try:
                paths = export_week(self.store, self.week, self.settings, self.lang,
                                    default_export_dir(self.settings), folder=True)
            except (WeeklyError, OSError) as exc:
                self.app.say(str(exc), severity="error", timeout=10)
                return
            self.update_status(t("exported", self.lang, p=str(paths[0])))
            self.app.say(t("exported", self.lang, p=str(paths[0])))

        if problems:
            self.app.push_screen(ConfirmScreen(t("check_title", self.lang), problems, t("check_keys", self.lang)), go)
        else:
            go()

    def action_copy_report(self) -> None:
        self.app.copy_to_clipboard(self.report_text())
        self.update_status(t("copied", self.lang))

    # --- what the panes ask for -----------------------------------------------------------

    def _on_screen(self, change: Edit, prefer: Pane | None = None, new_id: str | None = None) -> bool:
        if prefer is not None:
            prefer.prefer = new_id  # the cursor goes to the new element
        return self.edit((self.week.monday, change))

    @on(Pane.Delete)
    def delete(self, event: Pane.Delete) -> None:
        if isinstance(event.pane, NotesPane):
            self._delete_note(event.selected)
        else:
            self._on_screen(edits.delete(event.selected))

    @on(Pane.Move)
    def move(self, event: Pane.Move) -> None:
        if isinstance(event.pane, (IncidentsPane, NotesPane)):
            return  # listed by time, by kind and day: no order of the user's
        self._on_screen(edits.move(event.selected, event.step))

    # key work
    @on(Pane.Add, "#pane-key_work")
    def add_key_work(self, event: Pane.Add) -> None:
        self._key_work_editor(None, event.selected, event.pane)

    @on(Pane.Edit, "#pane-key_work")
    def edit_key_work(self, event: Pane.Edit) -> None:
        self._key_work_editor(edits.find(self.week, event.selected), None, event.pane)

    def _key_work_editor(self, item: KeyWorkItem | None, after: str | None, pane: Pane) -> None:
        state = {"id": item.id if item else None}

        def save(title_text: str | None, body: str) -> str | None:
            try:
                new = KeyWorkItem(title=title_text or "", body=body)
            except ValidationError as exc:
                return describe_validation(exc)
            if state["id"] is None:
                if not self._on_screen(edits.add("key_work", new, after_id=after), pane, new.id):
                    return "!"
                state["id"] = new.id
                return None
            return None if self._on_screen(edits.update(state["id"], title=title_text, body=body)) else "!"

        self.app.push_screen(self.app.editor(t("pane_key_work", self.lang)[2:], item.body if item else "",
                                             self.lang, save, title=item.title if item else ""))

    # metrics
    @on(Pane.Add, "#pane-metrics")
    def add_metric(self, event: Pane.Add) -> None:
        group = next((m.group for m in self.week.metrics if m.id == event.selected), "")

        def save(metric: Metric, _changed: dict) -> None:
            self._on_screen(edits.add("metrics", metric, after_id=event.selected), event.pane, metric.id)

        self.app.push_screen(dialogs.metric_form(self.lang, None, group, save))

    @on(Pane.Edit, "#pane-metrics")
    def edit_metric(self, event: Pane.Edit) -> None:
        metric = edits.find(self.week, event.selected)
        if metric.kind != "incident_counts":
            self.app.push_screen(dialogs.metric_form(
                self.lang, metric, metric.group,
                lambda new, changed: changed and self._on_screen(edits.update(metric.id, **changed))))
        elif counts_differ(self.week, self.derived):
            a, c = self.week.stated_incident_counts
            line = t("stated_differs", self.lang, a=a, c=c, da=self.derived[0], dc=self.derived[1])
            self.app.push_screen(ConfirmScreen(t("counts_line", self.lang), [line], t("use_log_counts", self.lang)),
                                 lambda ok: ok and self._on_screen(edits.drop_stated_counts()))
        else:
            self.app.say(t("counts_line", self.lang))

    # incidents
    @on(Pane.Add, "#pane-incidents")
    def add_incident(self, event: Pane.Add) -> None:
        self.action_log_incident()

    @on(Pane.Edit, "#pane-incidents")
    def edit_incident(self, event: Pane.Edit) -> None:
        old = edits.find(self.week, event.selected)

        def save(incident: Incident, changed: dict) -> None:
            monday = monday_of(incident.at.date())
            if monday != self.week.monday:  # a new time in another week moves the incident there
                self.edit((self.week.monday, edits.delete(old.id)), (monday, edits.add_incident(incident)),
                          backward=[(monday, edits.delete(incident.id))])
            elif changed:
                self._on_screen(edits.update_incident(old.id, **changed))

        self.app.push_screen(dialogs.incident_form(self.lang, old, self.app.clock(), self._anchor(), save,
                                                   self.week_name))

    # objectives
    @on(Pane.AddObjective)
    def add_objective(self, event: Pane.AddObjective) -> None:
        self._objective_form(None, event.pane)

    @on(Pane.Add, "#pane-objectives")
    def add_item(self, event: Pane.Add) -> None:
        target = edits.find(self.week, event.selected) if event.selected else None
        if target is None and not self.week.objectives:
            self._objective_form(None, event.pane)
        elif target is None:
            self._item_form(self.week.objectives[-1].id, None, event.pane)
        elif isinstance(target, Objective):
            self._item_form(target.id, None, event.pane)
        else:
            self._item_form(self._parent_of(event.selected), event.selected, event.pane)

    @on(Pane.AddChild)
    def add_child(self, event: Pane.AddChild) -> None:
        self._item_form(event.selected, None, event.pane)

    @on(Pane.Edit, "#pane-objectives")
    def edit_objective_or_item(self, event: Pane.Edit) -> None:
        target = edits.find(self.week, event.selected)
        if isinstance(target, Objective):
            self._objective_form(target, event.pane)
        elif target is not None:
            def save(item: ObjectiveItem, changed: dict) -> None:
                if "progress" in changed:  # the new figure goes into the words too
                    changed["text"] = progress_into_text(changed.get("text", target.text), item.progress,
                                                         target.progress)
                if changed:
                    self._on_screen(edits.update(target.id, carried_done=False, **changed))

            self.app.push_screen(dialogs.item_form(self.lang, target, save))

    def _parent_of(self, item_id: str) -> str | None:
        for objective in self.week.objectives:
            if any(i.id == item_id for i in objective.items):
                return objective.id
            for item in objective.walk():
                if any(c.id == item_id for c in item.children):
                    return item.id
        return None

    def _objective_form(self, objective: Objective | None, pane: Pane) -> None:
        def save(new: Objective, changed: dict) -> None:
            if objective is None:
                self._on_screen(edits.add("objectives", new), pane, new.id)
            elif changed:
                self._on_screen(edits.update(objective.id, **changed))

        self.app.push_screen(dialogs.objective_form(self.lang, self.week, objective, save))

    def _item_form(self, parent_id: str | None, after: str | None, pane: Pane) -> None:
        def save(item: ObjectiveItem, _changed: dict) -> None:
            item.text = progress_into_text(item.text, item.progress) if item.text else item.text
            self._on_screen(edits.add("item", item, parent_id=parent_id, after_id=after), pane, item.id)

        self.app.push_screen(dialogs.item_form(self.lang, None, save))

    # notes
    @on(Pane.Add, "#pane-notes")
    def add_note(self, event: Pane.Add) -> None:
        self.action_daily_note(default_note_day(self.week, self.today, self.settings.report_day))

    @on(Pane.Edit, "#pane-notes")
    def edit_note(self, event: Pane.Edit) -> None:
        selected = event.selected
        if selected.startswith(DAILY):
            self.action_daily_note(date.fromisoformat(selected.removeprefix(DAILY)))
            return
        if selected == "reflections":
            text, make, hint = self.week.reflections, edits.set_reflections, ""
        else:
            text, hint = edits.list_text(getattr(self.week, selected)), t("list_hint", self.lang)

            def make(body: str) -> Edit:
                return edits.set_list(selected, body)
        heading = t({"other": "other", "next_week": "next_week_list"}.get(selected, selected), self.lang)
        self.app.push_screen(self.app.editor(heading, text, self.lang,
                                             lambda _title, body: None if self._on_screen(make(body)) else "!",
                                             hint=hint))

    def _delete_note(self, selected: str) -> None:
        if selected.startswith(DAILY):
            self._on_screen(edits.delete_note(date.fromisoformat(selected.removeprefix(DAILY))))
        elif selected == "reflections":
            self._on_screen(edits.set_reflections(""))
        else:
            self._on_screen(edits.set_list(selected, ""))

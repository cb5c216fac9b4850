"""The week screen: the panes, the live preview and the keys that act on the week. Its keys
belong to the screen, so a dialog on top silences them all. The week lives in a session
(store/session.py); every change is an op handed to `edit`, saved by the session's worker."""

from __future__ import annotations

import asyncio
import gc
import time
from datetime import date, timedelta
from functools import partial
from typing import Callable

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from weekly_zhoubao.store import counts, dates, inputs, metric_lines, ops, sections
from weekly_zhoubao.store.errors import WeeklyError, describe_validation
from weekly_zhoubao.store.models import KeyWorkItem, Metric, Objective, ObjectiveItem, Week, monday_of
from weekly_zhoubao.store.carry import default_note_day, overdue_day
from weekly_zhoubao.store.export_check import pre_export_check
from weekly_zhoubao.store.weeks import title, week_number
from weekly_zhoubao.store.session import Session
from weekly_zhoubao.store.settings import Settings, default_export_dir

from ..forms import ConfirmScreen
from weekly_zhoubao.store.text import visible
from ..i18n import t
from weekly_zhoubao.store.messages import say
from ..keybar import KeyBar
from ..panes import IncidentsPane, KeyWorkPane, MetricsPane, NotesPane, ObjectivesPane, Pane, PreviewView
from ..panes.base import first_line
from ..panes.metrics import COUNTS_MISSING, GROUP
from ..panes.notes import DAILY, SECTION
from . import dialogs
from .tabs import PaneTabs, TabbedScreen

WEEK_KEYS = Binding.Group("week_keys")
PANES = ["key_work", "metrics", "objectives", "incidents", "notes", "preview"]
NOTICE_SECONDS = 6.0
RETRY_SECONDS = 3.0
RENDER_HERE_SECONDS = 0.015  # a report that renders slower is rendered off the UI thread
STATUS_NAME_CELLS = 22  # a file's name in the header: with the week's title, within 80 columns


def short_name(name: str, cells: int) -> str:
    """A file's name in at most `cells` columns: its start, `…`, its extension kept."""
    from rich.cells import cell_len

    if cell_len(name) <= cells:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    tail = f"…{dot}{suffix}"
    while stem and cell_len(stem + tail) > cells:
        stem = stem[:-1]
    return stem.rstrip() + tail


def _out_of_gc_sight() -> None:
    """The week just shown and what draws it (a week at the limits: ~300k objects) live as
    long as it is on screen: frozen, the cyclic collector stops walking them, a pass that
    took ~100 ms in the middle of typing. (Objects freed by reference counting still are.)"""
    gc.freeze()


class SessionChanged(Message):
    """The session's worker finished saving (posted from its thread)."""


class WeekScreen(TabbedScreen):
    BINDINGS = [
        # one footer entry for the pair, so that every key that applies fits in 120 columns
        Binding("left_square_bracket", "prev_week", "prev_week", id="prev_week", group=WEEK_KEYS),
        Binding("right_square_bracket", "next_week", "next_week", id="next_week", group=WEEK_KEYS),
        Binding("t", "this_week", "this_week", id="this_week"),
        Binding("g", "goto_week", "goto_week", id="goto_week"),
        Binding("i", "log_incident", "log_incident", id="log_incident"),
        Binding("n", "daily_note", "daily_note", id="daily_note"),
        Binding("N", "daily_note_day", "note_for_day", id="note_for_day", show=False),  # any day of the week
        Binding("e", "export", "export", id="export"),
        Binding("y", "copy_report", "copy", id="copy"),
        Binding("ctrl+z", "undo", "undo", id="undo"),
        Binding("f6", "undo", "undo_fkey", id="undo_fkey", show=False),
        # ctrl+y, and a function key for terminals that take it (ctrl+shift+z never arrives)
        Binding("ctrl+y", "redo", "redo", id="redo", show=False),
        Binding("f7", "redo", "redo_fkey", id="redo_fkey", show=False),
        Binding("r", "review", "review", id="review", show=False),  # in `?` and the palette: the footer is full
        Binding("m", "team", "team", id="team", show=False),  # members' weeks (issue #18)
        Binding("slash", "search", "search", id="search", show=False),  # every week (tui/search_screen.py)
        # each named by its pane (`切换到窗格 2 系统运行数据`): six alike say nothing in the palette
        *[Binding(str(n), f"focus_pane({n})", f"focus_pane_{n}", id=f"pane_{n}", show=False) for n in range(1, 7)],
    ]

    def __init__(self, settings: Settings, start: date | None, poll_seconds: float) -> None:
        super().__init__()
        self.settings = settings
        self.lang = settings.lang
        self.start = start
        self.poll_seconds = poll_seconds
        self.session: Session | None = None  # opened on mount, on the app's store
        self._history_problem: str | None = None  # said once, not at every poll
        self._shown_status: tuple[str, str] | None = None
        self._notice: tuple[str, float] | None = None
        self._last_child: tuple[str, str] | None = None  # (the sub-item `c` added last, its parent)
        self._drawn_from: dict[type, tuple] = {}  # per pane: what it was drawn from last
        self._stale = False  # changed while another screen was on top: drawn when this one is again
        self._render_seconds = 0.0  # how long the report took to render last
        self._preview_asked = 0  # reports asked for: only the latest is shown

    @property
    def week(self) -> Week:
        return self.session.week

    @property
    def today(self) -> date:
        return self.session.today  # the session's clock: it rolls over at midnight

    @property
    def overdue_day(self) -> date:
        """What the week's dates are judged overdue against (store/carry.overdue_day)."""
        return overdue_day(self.week, self.today, self.settings.report_day)

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="week-title", markup=False)
            yield Static("", id="status", markup=False)
        yield PaneTabs(self.lang)
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
        try:
            self.session = Session(store, self.settings, clock=self.app.clock, start=self.start,
                                   wake=lambda: self.post_message(SessionChanged()))
        except (WeeklyError, ValueError) as exc:
            self.app.exit(1, return_code=1, message=visible(str(exc)))
            return
        self.query_one("#pane-key_work").focus()
        self.show_week()
        _out_of_gc_sight()
        self._say_history_problem()
        self.set_interval(self.poll_seconds, self.tick)

    def on_screen_resume(self) -> None:
        if self._stale and self.session is not None:
            self.show_week()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close(timeout=0)  # what is queued was flushed on quit; the worker stops

    # --- loading and showing ------------------------------------------------------------

    def load_week(self, day: date) -> bool:
        """Show the week holding `day`; a week that cannot be read says why and the screen
        keeps the week it shows."""
        try:
            title(Week(monday=monday_of(day)), self.lang, self.settings.numbering, self.settings.report_day)
            self.session.open(day)
        except (WeeklyError, ValueError, OverflowError) as exc:
            self.app.say(str(exc), severity="error")
            return False
        self.show_week()
        _out_of_gc_sight()
        self._say_history_problem()
        return True

    def _say_history_problem(self) -> None:
        """Last week or the trend could not be read (a damaged older year file): the week
        still shows; the user is told once, not at every poll."""
        problem = getattr(self.session, "history_problem", None)
        if problem and problem != self._history_problem:
            self.app.say(t("trend_unreadable", self.lang, why=problem), severity="warning")
        self._history_problem = problem

    def show_week(self) -> None:
        if not self.is_active:
            # Under an editor, a redraw of this screen (its status too: its width changes the
            # layout) is a redraw of the whole dimmed background, ~75 ms at 140×45: done once,
            # when it is on top again. The editor says itself what it could not save.
            self._stale = True
            return
        self._stale = False
        session = self.session
        week = session.week
        heading = title(week, self.lang, self.settings.numbering, self.settings.report_day)
        span = f"{week.monday:%Y-%m-%d} – {week.sunday:%m-%d}"
        # fixed width and height: a new title needs no layout of the screen
        self.query_one("#week-title", Static).update(Content(f" {heading}  ·  {span}"), layout=False)
        self._show(KeyWorkPane, (week.key_work,), week)
        mismatch = session.stated_mismatch
        self._show(MetricsPane, (week.metrics, session.trends, session.derived, mismatch),
                   week, session.trends, session.derived, mismatch)
        self._show(IncidentsPane, (week.incidents,), week)
        self._show(NotesPane, (week.daily_notes, week.other, week.next_week, week.reflections, week.sections), week)
        self._show(ObjectivesPane, (week.objectives, session.last_week, self.overdue_day),
                   week, session.last_week, self.overdue_day)
        self.update_status()
        self.refresh_preview()

    def _show(self, pane: type[Pane], drawn_from: tuple, *args) -> None:
        """Draw a pane again only when what it is drawn from changed: the session shares
        the objects of the fields an edit left as they were (store/session.share_fields), so
        a keystroke's save in a week at the limits redraws one pane, not five (~0.2 s)."""
        widget = self.query_one(pane)
        last = self._drawn_from.get(pane)
        if last is not None and all(a is b or (type(a) in (tuple, str, date) and a == b)
                                    for a, b in zip(drawn_from, last)):
            return
        self._drawn_from[pane] = drawn_from
        widget.show(*args)

    def report_text(self) -> str:
        return self._report_job()()

    def _report_job(self) -> Callable[[], str]:
        """The report of the week shown now, to render here or on another thread (the week
        is never changed in place: a later edit makes a new one)."""
        from weekly_zhoubao.exporters.files import options
        from weekly_zhoubao.exporters.markdown import render

        week = self.week
        ytd = self.session.derived if self.settings.count_scope == "ytd" else None
        settings = options(self.settings, self.lang, ytd, week)
        return lambda: render(week, settings)

    def refresh_preview(self) -> None:
        # Not Textual's Markdown widget: it remounts a widget per block (~100 ms a keystroke).
        job = self._report_job()
        self._preview_asked += 1
        if self._render_seconds <= RENDER_HERE_SECONDS:  # an ordinary week: at once, in this frame
            started = time.thread_time()  # CPU: another process on the machine cannot lengthen it
            text = job()
            self._render_seconds = time.thread_time() - started
            self.query_one(PreviewView).show(text)
            return
        # A week near the limits takes ~50 ms to render: on a thread, so typing never waits.
        self.run_worker(partial(self._render_off_thread, job, self._preview_asked), thread=True,
                        group="preview", exit_on_error=False)

    def _render_off_thread(self, job: Callable[[], str], asked: int) -> None:
        started = time.thread_time()
        text = job()
        self.app.call_from_thread(self._rendered, text, asked, time.thread_time() - started)

    @on(PreviewView.Wrapped)
    def _preview_wrapped(self) -> None:
        _out_of_gc_sight()

    def _rendered(self, text: str, asked: int, seconds: float) -> None:
        self._render_seconds = seconds
        if asked == self._preview_asked:  # a later edit's report is on its way: this one is old
            self.query_one(PreviewView).show(text)
            _out_of_gc_sight()

    def week_name(self, day: date) -> str:
        return title(Week(monday=monday_of(day)), self.lang, self.settings.numbering, self.settings.report_day)

    def update_status(self, message: str | None = None) -> None:
        """Save state first (a failure stays loud); a notice (exported to…, logged in…) stays a
        few seconds rather than being replaced by the next "saved"."""
        session = self.session
        if message:
            self._notice = (message, time.monotonic())
        elif self._notice and time.monotonic() - self._notice[1] < NOTICE_SECONDS:
            message = self._notice[0]
        look = "plain"
        if session.save_error:
            look = "failed"
            text = f"{t('save_failed', self.lang)}: {session.save_error} — {t('unsaved', self.lang)} ({session.unsaved})"
        elif session.store.read_only:
            look, text = "failed", t("read_only", self.lang)
        elif message:
            look, text = "notice", message
        elif session.unsaved:
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
            status.update(Content(visible(text) + " "))  # a path or an error may hold anything

    def tick(self) -> None:
        """Every poll: a new day redraws what depends on today; another writer's change shows,
        in open editors too."""
        if self.session.tick():
            self.show_week()
        try:
            changed = self.session.refresh()
        except (WeeklyError, ValueError) as exc:
            if str(exc) != self._history_problem:
                self._history_problem = str(exc)
                self.app.say(str(exc), severity="error")
            return
        self._say_history_problem()
        if changed:
            self.show_week()
            self.update_status(t("changed_elsewhere", self.lang))
        self._merge_into_editors()

    def _merge_into_editors(self) -> None:
        for screen in self.app.screen_stack:
            merge_in = getattr(screen, "merge_in", None)
            if merge_in is not None:
                merge_in()

    # --- changing the week: the one way in ------------------------------------------------

    def edit(self, op: ops.Op | None, group: str | None = None) -> bool:
        """Hand one intention to the session: shown at once, saved by its worker. A refused
        op says why and changes nothing. Ops of one `group` in a row undo as one."""
        if op is None:
            return True  # nothing changed
        result = self.session.apply(op, group)
        if not result:
            self.app.say(result.error or "", severity="error")
            return False
        self.show_week()
        return True

    @on(SessionChanged)
    def saved(self) -> None:
        for event in self.session.collect():
            if event.code == "other_week":
                self.update_status(t("logged_in", self.lang, w=self.week_name(event.mondays[0])))
            elif event.code in ("undone", "redone"):
                self.update_status(t(event.code, self.lang))
            elif event.code == "save_failed":
                self.app.say(f"{t('save_failed', self.lang)}: {event.params['error']}", severity="error", timeout=10)
            else:
                self.app.say(event.text(self.lang), severity=event.severity)
        if self.session.save_error:
            self.set_timer(RETRY_SECONDS, self.session.retry)
        self.show_week()
        self._merge_into_editors()

    def save_now(self) -> str | None:
        """Wait for every queued op to be saved (off the UI thread); the error if one cannot."""
        return self.session.flush() if self.session is not None else None

    # --- undo and redo ------------------------------------------------------------------

    def action_undo(self) -> None:
        self._replay(self.session.undo(), "nothing_to_undo")

    def action_redo(self) -> None:
        self._replay(self.session.redo(), "nothing_to_redo")

    def _replay(self, result, nothing: str) -> None:
        if not result:
            self.update_status(t(nothing, self.lang))
            return
        self.show_week()

    # --- week navigation ----------------------------------------------------------------

    def action_prev_week(self) -> None:
        self.load_week(self.week.monday - timedelta(days=7))

    def action_next_week(self) -> None:
        self.load_week(self.week.monday + timedelta(days=7))

    def action_this_week(self) -> None:
        self.load_week(self.today)

    def action_goto_week(self) -> None:
        def read(text: str) -> date:
            day = dates.parse_week_day(text, self.today, self._anchor(), self.settings.numbering)
            try:  # a week we can show and name (9999-12-27 has no Sunday)
                week_number(monday_of(day) + timedelta(days=6), self.settings.numbering)
            except (ValueError, OverflowError):
                raise ValueError(t("no_such_week", self.lang, d=f"{day:%Y-%m-%d}")) from None
            return day

        self.app.push_screen(dialogs.goto_form(self.lang, self.week.monday, read, self.load_week, self.week_name))

    def action_focus_pane(self, number: int) -> None:
        # at once, not deferred as Widget.focus() is: a key typed right after (`2a`, sent in
        # one burst by a fast hand, a paste or tmux) belongs to the pane just chosen
        self.set_focus(self.query_one(f"#pane-{PANES[number - 1]}"))

    def _anchor(self) -> date:
        """What a yearless date is read nearest to: the week on screen (its report day)."""
        return self.week.monday + timedelta(days=self.settings.report_day)

    # --- capture --------------------------------------------------------------------------

    def action_log_incident(self) -> None:
        if self.app.screen.id == "incident-form":
            return
        self.app.push_screen(dialogs.incident_form(self.lang, None, self.session.now(), self._anchor(),
                                                   lambda incident: self.edit(ops.add_incident(incident)),
                                                   self.week_name))

    def action_daily_note(self, day: date | None = None) -> None:
        from weekly_zhoubao.exporters.markdown import daily_label

        day = day or self.today
        try:
            draft = self.session.draft(("note", day), lang=self.lang)
        except WeeklyError as exc:
            self.app.say(str(exc), severity="error")
            return
        self._text_editor(f"{t('daily', self.lang)} {daily_label(day, self.lang)}", draft)

    def action_daily_note_day(self) -> None:
        """The note of a day of the week on screen, asked in a form prefilled with the day `a`
        in pane 5 would write."""
        def read(text: str) -> date:
            return dates.parse_note_day(text, self.today, self.week.monday, self._anchor())

        day = default_note_day(self.week, self.today, self.settings.report_day)
        # after the form has closed: the editor opens over the week, not under the form
        self.app.push_screen(dialogs.note_day_form(self.lang, day, read,
                                                   lambda chosen: self.call_later(self.action_daily_note, chosen)))

    def _text_editor(self, heading: str, draft, hint: str = "") -> None:
        """An editor of a stored text: each save sends what is typed against the text it
        was typed over, merged with what is stored; a change made elsewhere shows in it."""
        def save(_title, body: str) -> str | None:
            result = draft.save(body)
            if not result:
                return result.error or "!"
            self.show_week()
            return None

        self.app.push_screen(self.app.editor(heading, draft.sent, self.lang, save, hint=hint, draft=draft))

    # --- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        session = self.session
        problems = pre_export_check(self.week, self.overdue_day, session.last_week, session.derived, self.lang)

        def go(ok: bool | None = True) -> None:
            if not ok:
                return
            from weekly_zhoubao.exporters.files import export_week

            try:
                with session.reading():
                    paths = export_week(session.store, self.week, self.settings, self.lang,
                                        default_export_dir(self.settings), folder=True)
            except (WeeklyError, OSError) as exc:
                self.app.say(str(exc), severity="error", timeout=10)
                return
            # the header names the file, short: the week's dates keep their room at 80 columns;
            # the whole path is in the notification
            self.update_status(t("exported_short", self.lang, f=short_name(paths[0].name, STATUS_NAME_CELLS)))
            self.app.say(t("exported", self.lang, p=str(paths[0])))

        if problems:
            self.app.push_screen(ConfirmScreen(t("check_title", self.lang), problems, t("check_keys", self.lang)), go)
        else:
            go()

    def action_review(self) -> None:
        """The review of the quarter holding the week on screen (SPEC §8)."""
        from ..review_screen import ReviewScreen  # loaded when first opened

        self.app.push_screen(ReviewScreen(self.session.store, self.settings, self.week.monday,
                                          lock=self.session.reading()))

    def action_search(self) -> None:
        from ..search_screen import SearchScreen  # loaded when first opened

        def go(hit) -> None:
            if hit is not None and self.load_week(hit.monday):
                self.action_focus_pane(PANES.index(hit.pane) + 1)
                self.query_one(f"#pane-{hit.pane}").select_key(hit.row)

        self.app.push_screen(SearchScreen(self.session.store, self.settings, lock=self.session.reading()), go)

    def action_team(self) -> None:
        """The team's weeks for the week on screen; `p` there pulls an item into one's own
        week through this screen's session. Not in a team: the one line that says how."""
        from weekly_zhoubao.store.team.repo import config_path

        from ..team_screen import TeamScreen  # loaded when first opened

        path = self.session.store.path
        try:
            screen = TeamScreen.for_store(path, self.week.monday, self.pull_from_team, self.lang)
        except WeeklyError as exc:
            joined = config_path(path).exists()  # a damaged config or a missing clone says so itself
            self.app.say(str(exc) if joined else t("team_not_joined", self.lang), severity="error")
            return
        self.app.push_screen(screen)

    def pull_from_team(self, monday: date, change) -> bool:
        """A team pull (`change`, a function of a Week) as ops: run on a copy of that week as
        shown (or as stored, for another week), applied by the session to the freshest
        stored week, so another writer's changes stay; one undo step. False when refused
        (said here)."""
        try:
            week = self.week if monday == self.week.monday else self.session.read_week(monday)
            op = ops.from_change(week, change)
        except (WeeklyError, ValueError) as exc:
            self.app.say(str(exc), severity="error")
            return False
        return self.edit(op)

    def action_copy_report(self) -> None:
        """The system's clipboard tool if there is one (off the UI thread: it may hang),
        else OSC 52; the status says which (tui/clipboard.py)."""
        from .. import clipboard

        text = self.report_text()

        async def copy() -> None:
            tool = await asyncio.to_thread(clipboard.copy_with_tool, text)
            said = clipboard.outcome(tool, self.lang)
            self.update_status(said)
            if tool is None:
                self.app.copy_to_clipboard(text)
                self.app.say(said)  # whole, wrapped: the advice must not be cut at 80 columns

        self.run_worker(copy(), group="copy", exclusive=True)

    # --- what the panes ask for -----------------------------------------------------------

    async def _on_message(self, message) -> None:
        # Two keys typed fast (`a` `a`, `o` `o`, `d` `d`) both reach a pane before the form the
        # first one asked for is up: the second request is for a screen no longer on top, and
        # a second form with the same id would crash the app. Dropped here, for every pane.
        if isinstance(message, Pane.Request) and self.app.screen is not self:
            return
        await super()._on_message(message)

    def _add(self, pane: Pane, op: ops.AddElement) -> bool:
        pane.prefer = op.element.id  # the cursor goes to the new element
        return self.edit(op)

    def _change(self, element, fields: dict) -> bool:
        """A form's fields: the op writes only those that differ from what the form showed."""
        return self.edit(ops.edit_element(self.week.monday, element, fields))

    @on(Pane.Delete)
    def delete(self, event: Pane.Delete) -> None:
        if event.selected.startswith(SECTION):
            self._delete_section(event.selected.removeprefix(SECTION))
        elif isinstance(event.pane, NotesPane):
            self._clear_notes(self._text_target(event.selected))
        elif isinstance(target := ops.find(self.week, event.selected), Objective) and target.items:
            self._delete_objective(target)
        else:
            self.edit(ops.DeleteElement(self.week.monday, event.selected))

    @on(Pane.Move)
    def move(self, event: Pane.Move) -> None:
        if event.selected.startswith(SECTION):
            section_id = event.selected.removeprefix(SECTION)
            self._edit_sections(lambda week: sections.move_section(week, section_id, event.step))
            event.pane.prefer = event.selected
            return
        if isinstance(event.pane, (IncidentsPane, NotesPane)):
            return  # listed by time, by kind and day: no order of the user's
        self.edit(ops.MoveElement(self.week.monday, event.selected, event.step))

    # key work
    @on(Pane.Add, "#pane-key_work")
    def add_key_work(self, event: Pane.Add) -> None:
        self._key_work_editor(None, event.selected, event.pane)

    @on(Pane.Edit, "#pane-key_work")
    def edit_key_work(self, event: Pane.Edit) -> None:
        self._key_work_editor(ops.find(self.week, event.selected), None, event.pane)

    def _key_work_editor(self, item: KeyWorkItem | None, after: str | None, pane: Pane) -> None:
        """A title and a body. A new item is added at its first valid save; from then on the
        body is a merged text (a draft) and the title a field, one undo step."""
        state = {"draft": self.session.draft(("key_work", item.id), lang=self.lang) if item else None,
                 "title": item.title if item else None}

        def save(title_text: str | None, body: str) -> str | None:
            title_text = inputs.key_work_title(title_text) if title_text is not None else None  # 【】: the export's
            try:
                new = KeyWorkItem(title=title_text or "", body=body)
            except ValidationError as exc:
                return describe_validation(exc)
            draft = state["draft"]
            if draft is None:
                if not self._add(pane, ops.AddElement(self.week.monday, "key_work", new, after_id=after)):
                    return "!"
                state["draft"], state["title"] = self.session.draft(("key_work", new.id), lang=self.lang), new.title
                return None
            if title_text != state["title"]:
                op = ops.SetFields(draft.monday, draft.target[1], {"title": (state["title"], title_text)})
                if not self.edit(op, group=draft.group):  # with the body: one undo step
                    return "!"
                state["title"] = title_text
            result = draft.save(body)
            self.show_week()
            return None if result else (result.error or "!")

        editor = self.app.editor(t("pane_key_work", self.lang)[2:], item.body if item else "", self.lang, save,
                                 title=item.title if item else "", draft=state["draft"])
        self.app.push_screen(editor)

    # metrics: readings in groups (store/metric_lines.py metric_runs); a group is the run of readings
    # printed under one heading, so every change keeps each group in one piece
    @on(Pane.Add, "#pane-metrics")
    def add_metric(self, event: Pane.Add) -> None:
        selected = event.selected
        metrics = self.week.metrics
        run = metric_lines.run_of(metrics, selected.removeprefix(GROUP)) if selected else None
        if run is None:  # nothing to add to (an empty pane, the count line's offer): a group comes first
            self.add_metric_group(event)
            return
        group, start, end = run
        # on a group's row: at the group's end; on a reading: after its line
        after = metrics[end - 1].id if selected.startswith(GROUP) else metric_lines.insert_after(metrics, selected)
        self.app.push_screen(dialogs.metric_form(self.lang, None, group, lambda metric: self._add(
            event.pane, ops.AddElement(self.week.monday, "metrics", metric, after_id=after)), self.week))

    @on(MetricsPane.AddGroup)
    def add_metric_group(self, event: Pane.Request) -> None:
        """After the selected row's group (at the end when none)."""
        metrics = self.week.metrics
        run = metric_lines.run_of(metrics, (event.selected or "").removeprefix(GROUP))
        after = metrics[run[2] - 1].id if run else (metrics[-1].id if metrics else None)

        def save(metric: Metric) -> None:
            event.pane.prefer = f"{GROUP}{metric.id}"  # the cursor goes to the new group's row
            self.edit(ops.AddElement(self.week.monday, "metrics", metric, after_id=after))

        self.app.push_screen(dialogs.new_group_form(self.lang, self.week, save))

    def _add_counts_line(self, pane: Pane) -> None:
        group, after = counts.counts_line_place(self.week.metrics)
        line = Metric(group=group, name=counts.COUNTS_NAME, kind="incident_counts")
        if self._add(pane, ops.AddElement(self.week.monday, "metrics", line, after_id=after)):
            self.update_status(t("counts_added", self.lang))

    @on(Pane.Edit, "#pane-metrics")
    def edit_metric(self, event: Pane.Edit) -> None:
        selected = event.selected
        if selected == COUNTS_MISSING:
            self._add_counts_line(event.pane)
            return
        if selected.startswith(GROUP):
            self._rename_metric_group(selected.removeprefix(GROUP))
            return
        metric = ops.find(self.week, selected)
        if metric is None:
            return
        if metric.kind == "incident_counts":
            self._counts_form()
            return
        group, start, _ = metric_lines.run_of(self.week.metrics, metric.id)
        joinable = self.week.metrics[start].id != metric.id
        self.app.push_screen(dialogs.metric_form(self.lang, metric, group, lambda fields: self._change(metric, fields),
                                                 self.week, joinable))

    def _counts_form(self) -> None:
        """The counts the report states, apart from the log's; blank falls back to the log's."""
        derived = self.session.derived
        shown = counts.reported_counts(self.week, derived)

        def save(stated) -> None:  # a week-level field: one op, one undo step
            self.edit(ops.from_change(self.week, lambda week: setattr(week, "stated_incident_counts", stated)))

        self.app.push_screen(dialogs.counts_form(self.lang, shown, derived, save))

    def _rename_metric_group(self, first_id: str) -> None:
        run = metric_lines.run_of(self.week.metrics, first_id)
        if run is None:
            return
        group, start, end = run
        readings = self.week.metrics[start:end]

        def save(name: str) -> None:
            if name != group:
                self.edit(ops.Batch(tuple(ops.SetFields(self.week.monday, m.id, {"group": (group, name)})
                                          for m in readings)))

        self.app.push_screen(dialogs.group_form(self.lang, self.week, group, save))

    @on(MetricsPane.MoveMetric)
    def move_metric(self, event: MetricsPane.MoveMetric) -> None:
        """A reading stays in its group; a group's row moves the group, its readings with it."""
        selected = event.selected
        if selected == COUNTS_MISSING:
            return
        metrics = self.week.metrics
        if selected.startswith(GROUP):
            steps = metric_lines.group_moves(metrics, selected.removeprefix(GROUP), event.step)
        else:
            steps = metric_lines.reading_moves(metrics, selected, event.step)
        if steps:
            event.pane.prefer = selected
            self.edit(ops.Batch(tuple(ops.MoveElement(self.week.monday, id_, step) for id_, step in steps)))

    @on(MetricsPane.DeleteMetric)
    def delete_metric(self, event: MetricsPane.DeleteMetric) -> None:
        selected, monday = event.selected, self.week.monday
        if not selected.startswith(GROUP):
            after = metric_lines.joined_after(self.week.metrics, selected)
            self.edit(ops.Batch((ops.DeleteElement(monday, selected),
                                 *(ops.SetFields(monday, m.id, {"joined_by": (m.joined_by, None)}) for m in after))))
            return
        run = metric_lines.run_of(self.week.metrics, selected.removeprefix(GROUP))
        if run is None:
            return
        group, start, end = run
        readings = self.week.metrics[start:end]
        delete = ops.Batch(tuple(ops.DeleteElement(monday, m.id) for m in readings))
        self.app.push_screen(ConfirmScreen(t("delete_group", self.lang, g=dialogs.group_label(group, self.lang),
                                             n=len(readings)), [m.name for m in readings],
                                           t("delete_keys", self.lang)), lambda ok: ok and self.edit(delete))

    # incidents
    @on(Pane.Add, "#pane-incidents")
    def add_incident(self, event: Pane.Add) -> None:
        self.action_log_incident()

    @on(Pane.Edit, "#pane-incidents")
    def edit_incident(self, event: Pane.Edit) -> None:
        old = ops.find(self.week, event.selected)
        # a new time in another week moves the incident there (ops.edit_element)
        self.app.push_screen(dialogs.incident_form(self.lang, old, self.session.now(), self._anchor(),
                                                   lambda fields: self._change(old, fields), self.week_name))

    # objectives
    @on(Pane.AddObjective)
    def add_objective(self, event: Pane.AddObjective) -> None:
        self._objective_form(None, event.pane)

    @on(Pane.Add, "#pane-objectives")
    def add_item(self, event: Pane.Add) -> None:
        target = ops.find(self.week, event.selected) if event.selected else None
        if target is None and not self.week.objectives:
            self._objective_form(None, event.pane)
        elif target is None:
            self._item_form(self.week.objectives[-1].id, None, event.pane)
        elif isinstance(target, Objective):
            self._item_form(target.id, None, event.pane)
        else:
            found = ops.locate(self.week, event.selected)
            self._item_form(found[1], event.selected, event.pane)

    @on(Pane.AddChild)
    def add_child(self, event: Pane.AddChild) -> None:
        parent_id, after = event.selected, None
        # `c` again on the sub-item `c` just added (still a leaf): its sibling, as in an
        # outliner, not a grandchild; `c` on any other item nests under it
        last = self._last_child
        if last and last[0] == parent_id and not getattr(ops.find(self.week, parent_id), "children", True):
            parent_id, after = last[1], last[0]
        parent = ops.find(self.week, parent_id)
        if isinstance(parent, (Objective, ObjectiveItem)):
            name = parent.heading if isinstance(parent, Objective) else first_line(parent.name or parent.text)
            self._item_form(parent_id, after, event.pane, title=f"{t('add_child', self.lang)} · {name}")

    @on(Pane.Edit, "#pane-objectives")
    def edit_objective_or_item(self, event: Pane.Edit) -> None:
        target = ops.find(self.week, event.selected)
        if isinstance(target, Objective):
            self._objective_form(target, event.pane)
        elif target is not None:
            self.app.push_screen(dialogs.item_form(self.lang, target, self.today, self._anchor(),
                                                   lambda fields: self._change(target, fields)))

    def _delete_objective(self, objective: Objective) -> None:
        """An objective that holds items goes only when the user says so (undo restores it)."""
        lines = [first_line(item.line) for item in objective.items[:5]]
        count = sum(1 for _ in objective.walk())
        self.app.push_screen(ConfirmScreen(t("delete_objective", self.lang, name=objective.heading, n=count), lines,
                                           t("delete_keys", self.lang)),
                             lambda ok: ok and self.edit(ops.DeleteElement(self.week.monday, objective.id)))

    def _objective_form(self, objective: Objective | None, pane: Pane) -> None:
        def save(new) -> None:
            if objective is None:
                self._add(pane, ops.add_item(self.week.monday, new))
            else:
                self._change(objective, new)

        self.app.push_screen(dialogs.objective_form(self.lang, self.week, objective, save))

    def _item_form(self, parent_id: str | None, after: str | None, pane: Pane, title: str | None = None) -> None:
        def save(item: ObjectiveItem) -> None:
            if self._add(pane, ops.add_item(self.week.monday, item, parent_id, after)) and title:
                self._last_child = (item.id, parent_id)

        self.app.push_screen(dialogs.item_form(self.lang, None, self.today, self._anchor(), save, title))

    # notes
    @on(Pane.Add, "#pane-notes")
    def add_note(self, event: Pane.Add) -> None:
        if (event.selected or "").startswith(SECTION):
            self.action_add_section()
            return
        self.action_daily_note_day()

    @on(Pane.Edit, "#pane-notes")
    def edit_note(self, event: Pane.Edit) -> None:
        target = self._text_target(event.selected)
        if target[0] == "section":
            section = next((x for x in self.week.sections if x.id == target[1]), None)
            if section is not None:
                self._text_editor(section.title or section.key, self.session.draft(target, lang=self.lang),
                                  t("section_list_hint", self.lang) if section.form == "list" else "")
            return
        if target[0] == "note":
            self.action_daily_note(target[1])
            return
        heading = t({"other": "other", "next_week": "next_week_list"}.get(target[0], target[0]), self.lang)
        self._text_editor(heading, self.session.draft(target, lang=self.lang), t("list_hint", self.lang) if target[0] != "reflections"
                          else "")

    @staticmethod
    def _text_target(selected: str) -> tuple:
        """The notes pane's row as the text it stands for (store/ops.text_of)."""
        if selected.startswith(DAILY):
            return ("note", date.fromisoformat(selected.removeprefix(DAILY)))
        if selected.startswith(SECTION):
            return ("section", selected.removeprefix(SECTION))
        return (selected, None)

    # the week's own sections (store/sections.py): each change one week-level op, one undo step
    def _edit_sections(self, change) -> bool:
        try:
            op = ops.from_change(self.week, change)
        except ValueError as exc:
            self.app.say(str(exc), severity="error")
            return False
        return self.edit(op)

    def action_add_section(self) -> None:
        from ..forms import Field, FormScreen

        forms = [("markdown", t("section_form:markdown", self.lang)), ("list", t("section_form:list", self.lang))]
        fields = [Field("title", t("section_title", self.lang)),
                  Field("form", t("section_form_kind", self.lang), "markdown", choices=forms)]

        def read(values: dict) -> tuple[str, str]:
            form = values["form"].strip().lower() or "markdown"
            if form not in ("markdown", "list"):
                raise ValueError(say("section_form_choice"))
            if not values["title"].strip():
                raise ValueError(say("section_needs_name"))
            return values["title"], form

        def check(values: dict) -> str | None:
            try:
                read(values)
            except ValueError as exc:
                return str(exc)  # in the UI's language already (store/messages.py)
            return None

        def save(values: dict) -> None:
            title, form = read(values)
            added: dict = {}
            if self._edit_sections(lambda week: added.update(id=sections.add_section(week, title, form).id)):
                self.query_one(NotesPane).prefer = f"{SECTION}{added['id']}"  # the cursor goes to it
                self.show_week()

        self.app.push_screen(FormScreen(t("add_section", self.lang), fields, self.lang, check, save, "section-form"))

    @on(NotesPane.Rename)
    def rename_section(self, event: NotesPane.Rename) -> None:
        from ..forms import Field, FormScreen

        if not event.selected.startswith(SECTION):
            self.app.say(t("rename_own_only", self.lang))  # the template's sections keep their names
            return
        section_id = event.selected.removeprefix(SECTION)
        section = next((x for x in self.week.sections if x.id == section_id), None)
        if section is None:
            return

        def check(values: dict) -> str | None:
            return None if values["title"].strip() else say("section_needs_name")

        def save(values: dict) -> None:
            self._edit_sections(lambda week: sections.rename_section(week, section_id, values["title"]))

        self.app.push_screen(FormScreen(t("rename_section", self.lang), [Field("title", t("section_title", self.lang),
                                                                                section.title)],
                                        self.lang, check, save, "section-form"))

    def _clear_notes(self, target: tuple) -> None:
        """【其他】, 下周, 收获与反思 or a day's note: emptied only when the user says so (undo
        restores it); an empty one goes at once."""
        clear = ops.clear_text(self.week, target)
        lines = [line.strip() for line in clear.base.splitlines() if line.strip()]
        if not lines:  # nothing to lose; an empty list stays as it is (no empty undo step)
            if target[0] == "note" or clear.base:
                self.edit(clear)
            return
        kind = target[0]
        if kind == "note":
            name = f"{t('daily', self.lang)} {target[1]:%m/%d}"
        else:
            name = t({"other": "other", "next_week": "next_week_list"}.get(kind, kind), self.lang)
        heading = (t("clear_list", self.lang, name=name, n=len(lines)) if kind in ("other", "next_week")
                   else t("clear_text", self.lang, name=name))
        self.app.push_screen(ConfirmScreen(heading, [first_line(line) for line in lines[:5]],
                                           t("delete_keys", self.lang)), lambda ok: ok and self.edit(clear))

    def _delete_section(self, section_id: str) -> None:
        section = next((x for x in self.week.sections if x.id == section_id), None)
        if section is None:
            return

        def go(ok: bool | None = True) -> None:
            if ok:
                self._edit_sections(lambda week: sections.delete_section(week, section_id))

        if not section.body.strip():
            go()
            return
        self.app.push_screen(ConfirmScreen(t("delete_section", self.lang, name=section.title or section.key),
                                           [first_line(section.body)], t("delete_keys", self.lang)), go)

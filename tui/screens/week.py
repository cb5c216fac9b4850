"""The week screen: the panes, the live preview and the keys that act on the whole week. Its
keys belong to the screen, so a dialog on top silences them all. The week lives in a session
(store/session.py); every change is an op handed to `edit`, saved by the session's worker.
Each pane's own add/edit/delete flows live beside it (tui/panes/) and hand their ops here."""

from __future__ import annotations

import gc
import time
from datetime import date, timedelta
from functools import partial
from typing import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.carry import overdue_day
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.models import Week, monday_of
from weekly_zhoubao.store.weeks import title
from weekly_zhoubao.store.session import Session
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.store.text import visible

from ..i18n import t
from ..keybar import KeyBar
from ..panes import (IncidentsPane, KeyWorkPane, MetricsPane, NotesPane, ObjectivesPane, Pane, PreviewView,
                     incidents, notes)
from ..status import StatusLine
from . import flows
from .tabs import PaneTabs, TabbedScreen

WEEK_KEYS = Binding.Group("week_keys")
PANES = ["key_work", "metrics", "objectives", "incidents", "notes", "preview"]
RETRY_SECONDS = 3.0
RENDER_HERE_SECONDS = 0.015  # a report that renders slower is rendered off the UI thread


def _out_of_gc_sight() -> None:
    """The week just shown and what draws it (a week at the limits: ~300k objects) live as
    long as it is on screen: frozen, the cyclic collector stops walking them, a pass that
    took ~100 ms in the middle of typing. (Objects freed by reference counting still are.)"""
    gc.freeze()


class SessionChanged(Message):
    """The session's worker finished saving (posted from its thread)."""


class WeekScreen(TabbedScreen):
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"  # the keys stay in view
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
        # on the preview's border, not the footer (full at 120 columns); Esc gives it back too
        Binding("v", "toggle_preview", "toggle_preview", id="toggle_preview", show=False),
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
        self._focus_before = None  # what had focus before the preview took the whole screen
        self._drawn_from: dict[type, tuple] = {}  # per pane: what it was drawn from last
        self._stale = False  # changed while another screen was on top: drawn when this one is again
        self._resumed = False  # shown once: its styles were applied at mount
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

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="week-title", markup=False)
            yield StatusLine()
        yield PaneTabs(self.lang)
        with Horizontal(id="main"):
            with Vertical(id="col-a"):
                yield KeyWorkPane(self.lang)
                yield MetricsPane(self.lang)
                yield IncidentsPane(self.lang)
                yield NotesPane(self.lang)
            with Vertical(id="col-b"):  # objectives over the preview; beside it on a wide screen
                yield ObjectivesPane(self.lang)
                preview = PreviewView(id="pane-preview")
                preview.border_title = t("pane_preview", self.lang)
                preview.border_subtitle = t("preview_whole", self.lang)
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
        store.forget_parsed()  # the weeks are validated: the first frame reuses that memory
        self.query_one("#pane-key_work").focus()
        self.show_week()
        _out_of_gc_sight()
        self._say_history_problem()
        self.set_interval(self.poll_seconds, self.tick)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # The first resume follows the mount, whose styles are fresh: Textual would style the
        # whole screen again (~5 ms of the first frame). Later ones (back from a dialog, a new
        # theme meanwhile) restyle as Textual does.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        if self._stale and self.session is not None:
            self.show_week()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close(timeout=0)  # what is queued was flushed on quit; the worker stops

    # --- loading and showing ------------------------------------------------------------

    def load_week(self, day: date) -> bool:
        """Show the week holding `day`; one that cannot be read says why, and this one stays."""
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
        """Last week or the trend unreadable (a damaged older year file): said once, not each poll."""
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
        self._show(KeyWorkPane, (week.key_work, week.drafts), week)
        mismatch = session.stated_mismatch
        self._show(MetricsPane, (week.metrics, session.trends, session.derived, mismatch),
                   week, session.trends, session.derived, mismatch)
        self._show(IncidentsPane, (week.incidents, week.drafts), week)
        self._show(NotesPane, (week.daily_notes, week.other, week.next_week, week.reflections, week.sections,
                            week.drafts), week)
        self._show(ObjectivesPane, (week.objectives, week.drafts, session.last_week, self.overdue_day),
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
            self.query_one(PreviewView).show(text, incidents.open_lines(self.week, self.lang))
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
            self.query_one(PreviewView).show(text, incidents.open_lines(self.week, self.lang))
            _out_of_gc_sight()

    def week_name(self, day: date) -> str:
        return title(Week(monday=monday_of(day)), self.lang, self.settings.numbering, self.settings.report_day)

    def update_status(self, message: str | None = None) -> None:
        self.query_one(StatusLine).show(self.session, self.lang, message)

    def tick(self) -> None:
        """Every poll: a new day redraws what depends on it; another writer's change shows (in editors too)."""
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
                continue  # said when the key was pressed, naming what it undid (_replay)
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

    def action_undo(self) -> None:
        self._replay(self.session.undo, "undo")

    def action_redo(self) -> None:
        self._replay(self.session.redo, "redo")

    def _replay(self, step, kind: str) -> None:
        """Undo or redo, saying what it did to which element (to a text: that it was done)."""
        before = self.week.model_copy(deep=True)
        if not step():
            self.update_status(t(f"nothing_to_{kind}", self.lang))
            return
        self.show_week()
        change = ops.changed_element(before, self.week)
        self.update_status(t(f"{kind}:{change[0]}", self.lang, what=change[1]) if change
                           else t({"undo": "undone", "redo": "redone"}[kind], self.lang))

    # --- week navigation ----------------------------------------------------------------

    def action_prev_week(self) -> None:
        self.load_week(self.week.monday - timedelta(days=7))

    def action_next_week(self) -> None:
        self.load_week(self.week.monday + timedelta(days=7))

    def action_this_week(self) -> None:
        self.load_week(self.today)

    def action_goto_week(self) -> None:
        flows.goto_week(self)

    def action_focus_pane(self, number: int) -> None:
        # at once, not deferred as Widget.focus() is: a key typed right after (`2a`, sent in
        # one burst by a fast hand, a paste or tmux) belongs to the pane just chosen
        self.set_focus(self.query_one(f"#pane-{PANES[number - 1]}"))

    def action_toggle_preview(self) -> None:
        """The preview alone on the screen, to read; again (or Esc) and the panes are back."""
        if self.maximized is not None:
            self.minimize()
            return
        self._focus_before = self.focused
        preview = self.query_one(PreviewView)
        self.set_focus(preview)  # the arrows and page keys scroll it
        self.maximize(preview, container=False)

    def watch_maximized(self, maximized) -> None:
        preview = self.query_one(PreviewView)
        preview.border_subtitle = t("preview_back" if maximized is preview else "preview_whole", self.lang)
        if maximized is None and self._focus_before is not None and self._focus_before.is_attached:
            self.set_focus(self._focus_before)  # Esc too: back where the user was
            self._focus_before = None

    def anchor(self) -> date:
        """What a yearless date is read nearest to: the week on screen (its report day)."""
        return self.week.monday + timedelta(days=self.settings.report_day)

    def action_log_incident(self) -> None:
        incidents.log_incident(self)

    def action_daily_note(self, day: date | None = None) -> None:
        notes.daily_note(self, day)

    def action_daily_note_day(self) -> None:
        notes.note_for_day(self)

    def action_export(self) -> None:  # these three: tui/screens/flows.py
        flows.export(self)

    def action_review(self) -> None:
        flows.open_review(self)

    def action_team(self) -> None:
        flows.open_team(self)

    def action_search(self) -> None:
        flows.search(self)

    def action_copy_report(self) -> None:
        from ..clipboard import copy_report

        copy_report(self)

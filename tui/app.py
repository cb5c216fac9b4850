"""The Weekly TUI: one screen with the whole week and a live preview of its export."""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable

from pydantic import ValidationError
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from store import edits
from store.db import WeekStore
from store.errors import WeeklyError, describe_validation
from store.models import STATUSES, Incident, KeyWorkItem, Metric, Objective, ObjectiveItem, Week, monday_of
from store.rules import counts, parse_day, parse_when, pre_export_check, report_date, title, year_to_date_counts
from store.settings import Settings, default_export_dir

from .forms import ConfirmScreen, Field, FormScreen, KeysScreen
from .i18n import footer_label, t
from .keybar import KeyBar, name_of
from .preview import PreviewView
from .panes import IncidentsPane, KeyWorkPane, MetricsPane, NotesPane, ObjectivesPane

WEEK_KEYS = Binding.Group("week_keys")

PANES = ["key_work", "metrics", "objectives", "incidents", "notes", "preview"]
TREND_WEEKS = 12


def _error_text(exc: Exception) -> str:
    return describe_validation(exc) if isinstance(exc, ValidationError) else str(exc)


class WeeklyCommands(Provider):
    """Every action of the app in the command palette, named in the app's language: the
    app's own, then each pane's (add, edit, ...) under the pane's title."""

    def _commands(self):
        app = self.app
        seen = set()
        for binding in app.all_bindings():
            if binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            yield name_of(binding), partial(app.run_action, binding.action), app.get_key_display(binding)
        for pane in app.query(".pane"):
            for _, binding in pane._bindings:
                if binding.description and binding.action.startswith("pane("):
                    yield (f"{pane.border_title} · {name_of(binding)}", partial(app.run_pane_action, pane, binding.action),
                           app.get_key_display(binding))

    async def discover(self) -> Hits:
        for name, run, key in self._commands():
            yield DiscoveryHit(name, run, help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, key in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=key)


class WeeklyApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses may live anywhere
    TITLE = "Weekly"
    COMMANDS = App.COMMANDS | {WeeklyCommands}
    BINDINGS = [
        # one footer entry for the pair, so that every key that applies fits in 120 columns
        Binding("left_square_bracket", "prev_week", "prev_week", id="prev_week", group=WEEK_KEYS),
        Binding("right_square_bracket", "next_week", "next_week", id="next_week", group=WEEK_KEYS),
        Binding("t", "this_week", "this_week", id="this_week"),
        Binding("g", "goto_week", "goto_week", id="goto_week"),
        Binding("i", "log_incident", "log_incident", id="log_incident"),
        # a function key too: it works while a text field has focus
        Binding("f2", "log_incident", "log_incident_fkey", id="log_incident_fkey", priority=True, show=False),
        Binding("n", "daily_note", "daily_note", id="daily_note"),
        Binding("e", "export", "export", id="export"),
        Binding("y", "copy_report", "copy", id="copy"),
        Binding("ctrl+z", "undo", "undo", id="undo"),
        Binding("f6", "undo", "undo_fkey", id="undo_fkey", show=False),
        Binding("question_mark", "show_keys", "keys", id="keys"),
        Binding("q", "quit", "quit", id="quit"),
        Binding("ctrl+q", "quit", "quit", id="quit_ctrl", show=False, priority=True),  # Textual's, in our words
        Binding("f9", "toggle_theme", "theme", id="theme", show=False),
        Binding("ctrl+p", "command_palette", "palette", id="palette", priority=True),  # named, in the footer
        *[Binding(str(n), f"focus_pane({n})", "focus_pane", id=f"pane_{n}", show=False) for n in range(1, 7)],
    ]

    def __init__(self, db_path: Path | str, settings: Settings | None = None, today: date | None = None,
                 start: date | None = None, now: Callable[[], datetime] | None = None,
                 poll_seconds: float = 1.0, store: WeekStore | None = None) -> None:
        # Everything imported so far (Textual, pydantic, our modules: ~300k objects) lives as
        # long as the app. Frozen, the cyclic collector stops walking it again and again: it
        # cost ~50 ms of the first screen, a full pass landing in the week's load.
        gc.freeze()
        self.settings = settings or Settings()
        self.lang = self.settings.lang
        super().__init__()
        self.db_path = Path(db_path)
        self.today = today or date.today()
        self.now = now or (lambda: datetime.now().replace(second=0, microsecond=0))
        self.start = start
        self.poll_seconds = poll_seconds
        self.store: WeekStore | None = store
        self.store_lock = threading.RLock()  # the store is shared with the save thread
        self.week: Week = Week(monday=monday_of(self.today))
        self.last_week: Week | None = None  # the latest written week before this one
        self.trends: list[list[Metric]] = []  # the metrics of the weeks before, oldest first
        self.derived = (0, 0)
        self._earlier_incidents: list[Incident] = []  # this year's before this week (ytd counts)
        self.pending: list[tuple[date, Callable]] = []
        self.pending_lock = threading.Lock()
        self.save_error: str | None = None
        self.undo_stack: list[tuple[date, dict, dict]] = []
        self._stamp = None
        self._saving = False
        self._shown_status: tuple[str, str] | None = None
        self.last_export: Path | None = None
        self.theme = "textual-light" if self.settings.theme == "light" else "textual-dark"
        if self.settings.keys:
            self.set_keymap(self.settings.keys)

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="week-title", markup=False)
            yield Static("", id="status", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="col-a"):
                yield localized(KeyWorkPane, self.lang)("key_work", self.lang)
                yield localized(MetricsPane, self.lang)("metrics", self.lang)
                yield localized(IncidentsPane, self.lang)("incidents", self.lang)
                yield localized(NotesPane, self.lang)("notes", self.lang)
            yield localized(ObjectivesPane, self.lang)(self.lang)
            preview = PreviewView(id="pane-preview")
            preview.border_title = t("pane_preview", self.lang)
            yield preview
        yield KeyBar()

    def on_mount(self) -> None:
        if self.store is None:
            try:
                self.store = WeekStore(self.db_path)
            except WeeklyError as exc:
                self.exit(1, message=Text(str(exc)))
                return
        self.load_week(self.start or self.today)
        self.query_one("#pane-key_work").focus()
        self.set_interval(self.poll_seconds, self.poll_other_writers)

    def on_unmount(self) -> None:
        gc.unfreeze()  # what this app froze may now be collected (tests run many apps a process)

    # --- loading and showing ------------------------------------------------------------

    def load_week(self, day: date) -> None:
        monday = monday_of(day)
        with self.store_lock:
            try:
                self.week = self.store.week(monday, self.settings.incident_host)
                last_week, trends = self.store.recent(monday, TREND_WEEKS)
                year = report_date(self.week, self.settings.report_day).year
                earlier = self.store.incidents_earlier_in_year(monday, year) if self.settings.count_scope == "ytd" else []
            except WeeklyError as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=10)
                return
            self._stamp = self.store.stamp(monday)
        self.last_week, self.trends = last_week, trends
        self._earlier_incidents = earlier
        self.show_week()

    def show_week(self) -> None:
        week = self.week
        self.derived = (year_to_date_counts(week, self._earlier_incidents, self.settings.report_day)
                        if self.settings.count_scope == "ytd" else counts(week.incidents))
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

    def report_text(self, week: Week | None = None) -> str:
        from exporters.markdown import ExportOptions, render

        week = week or self.week
        return render(week, ExportOptions(lang=self.lang, numbering=self.settings.numbering,
                                          report_day=self.settings.report_day,
                                          incident_counts=self.derived if self.settings.count_scope == "ytd" else None))

    def refresh_preview(self) -> None:
        # Not Textual's Markdown widget: it remounts a widget per block (~100 ms a keystroke).
        self.query_one(PreviewView).show(self.report_text())

    NOTICE_SECONDS = 6.0

    def update_status(self, message: str | None = None) -> None:
        """Save state first (a failure stays loud); a notice (exported to…, logged in…) stays a
        few seconds rather than being replaced by the next "saved"."""
        import time

        if message:
            self._notice = (message, time.monotonic())
        elif getattr(self, "_notice", None) and time.monotonic() - self._notice[1] < self.NOTICE_SECONDS:
            message = self._notice[0]
        status = self.query_one("#status", Static)
        look = "plain"
        if self.save_error:
            look = "failed"
            text = f"{t('save_failed', self.lang)}: {self.save_error} — {t('unsaved', self.lang)} ({len(self.pending)})"
        elif self.store is not None and self.store.read_only:
            look = "failed"
            text = t("read_only", self.lang)
        elif message:
            look = "notice"
            text = message
        elif self.pending or self._saving:
            text = t("saving", self.lang)
        elif self.week.carried_from:
            text = t("carried", self.lang, d=f"{self.week.carried_from:%m/%d}")
        else:
            text = t("saved", self.lang)
        status.set_class(look == "failed", "failed")
        status.set_class(look == "notice", "notice")
        if (text, look) != self._shown_status:  # unchanged: no layout, no repaint
            self._shown_status = (text, look)
            status.update(Content(text + " "))

    # --- changing the week ----------------------------------------------------------------

    def apply(self, edit: Callable[[Week], object], monday: date | None = None) -> bool:
        """Apply an edit on screen at once and queue it for the store. A bad edit says why
        and changes nothing."""
        if self.store is not None and self.store.read_only:
            self.notify(t("read_only", self.lang), severity="error", markup=False)
            return False
        monday = monday or self.week.monday
        if monday == self.week.monday:
            before = self.week.model_dump(mode="json")
            try:
                candidate = Week.model_validate(before)
                edit(candidate)
                candidate = Week.model_validate(candidate.model_dump())
            except (ValidationError, ValueError) as exc:
                self.notify(_error_text(exc), severity="error", markup=False, timeout=8)
                return False
            candidate.carried_from = None
            self.week = candidate
            self.undo_stack.append((monday, before, candidate.model_dump(mode="json")))
        with self.pending_lock:
            self.pending.append((monday, edit))
        self.show_week()
        self.save_pending()
        return True

    @work(thread=True, exclusive=False, group="save")
    def save_pending(self) -> None:
        """Write queued edits, oldest first, each week under the store's lock. Runs off the
        UI thread; one run at a time."""
        if self._saving:
            return
        self._saving = True
        error = None
        own_stamp = None
        saved_weeks: dict[date, Week] = {}
        try:
            while True:
                with self.pending_lock:
                    if not self.pending:
                        break
                    monday = self.pending[0][0]
                    batch = [e for m, e in self.pending if m == monday]
                try:
                    with self.store_lock:
                        saved = self.store.update(monday, lambda w: [e(w) for e in batch],
                                                  self.settings.incident_host)
                        own_stamp = self.store.stamp(self.week.monday)
                except (WeeklyError, ValidationError, ValueError, OSError) as exc:
                    error = _error_text(exc)
                    break
                with self.pending_lock:
                    done = set(map(id, batch))
                    self.pending = [(m, e) for m, e in self.pending if id(e) not in done]
                saved_weeks[monday] = saved
        finally:
            self._saving = False
        self.call_from_thread(self._after_save, error, saved_weeks, own_stamp)

    def _after_save(self, error: str | None, saved_weeks: dict[date, Week], own_stamp=None) -> None:
        if error:
            first = self.save_error is None
            self.save_error = error
            if first:  # loudly, once; the status line stays red until a save succeeds
                self.notify(f"{t('save_failed', self.lang)}: {error}", severity="error", markup=False, timeout=10)
            self.set_timer(3.0, self.save_pending)
        else:
            self.save_error = None
        if own_stamp is not None and not self.pending:
            self._stamp = own_stamp  # our own write is not news from another writer
        mine = saved_weeks.get(self.week.monday)
        if mine is not None and not self.pending:
            if mine.model_dump() != self.week.model_dump():
                self.week = mine  # another writer's change came along with ours
                self.show_week()
                return
        self.update_status()

    def poll_other_writers(self) -> None:
        if self.store is None or self.pending or self._saving:
            return
        with self.store_lock:
            stamp = self.store.stamp(self.week.monday)
        if stamp != self._stamp:
            before = self.week.model_dump()
            self.load_week(self.week.monday)
            if self.week.model_dump() != before:
                self.update_status(t("changed_elsewhere", self.lang))

    @staticmethod
    def editor(*args, **kw):
        from .editor import EditorScreen

        return EditorScreen(*args, **kw)

    def flush_editors(self) -> None:
        for screen in self.screen_stack:
            if screen.id == "editor":  # not isinstance: that would load the editor's module
                screen.flush()

    def save_now(self) -> str | None:
        """Write what is queued before leaving; returns the error if it cannot be saved."""
        self.flush_editors()
        with self.pending_lock:
            queued = list(self.pending)
        for monday in dict.fromkeys(m for m, _ in queued):
            batch = [e for m, e in queued if m == monday]
            try:
                with self.store_lock:
                    self.store.update(monday, lambda w: [e(w) for e in batch], self.settings.incident_host)
            except (WeeklyError, ValidationError, ValueError, OSError) as exc:
                return _error_text(exc)
            with self.pending_lock:
                done = set(map(id, batch))
                self.pending = [(m, e) for m, e in self.pending if id(e) not in done]
        return None

    async def action_quit(self) -> None:
        if self.store is None:
            self.exit(1)
            return
        error = self.save_now()
        if error is None:
            self.exit(0)
            return

        def decided(really: bool | None) -> None:
            if really:
                self.exit(1)

        self.push_screen(ConfirmScreen(t("save_failed", self.lang), [error],
                                       t("quit_unsaved", self.lang, why=error)), decided)

    # While a dialog is open these would act on the week behind it; Textual's own actions
    # (focus_next for tab, the palette) stay enabled.
    BLOCKED_IN_DIALOGS = {"prev_week", "next_week", "this_week", "goto_week", "daily_note", "export",
                          "copy_report", "show_keys", "toggle_theme", "focus_pane"}

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if isinstance(self.screen, ModalScreen) and action in self.BLOCKED_IN_DIALOGS:
            return False
        return True

    # --- week navigation ----------------------------------------------------------------

    def action_prev_week(self) -> None:
        self.load_week(self.week.monday - timedelta(days=7))

    def action_next_week(self) -> None:
        self.load_week(self.week.monday + timedelta(days=7))

    def action_this_week(self) -> None:
        self.load_week(self.today)

    def action_goto_week(self) -> None:
        def check(values):
            try:
                parse_day(values["day"])
            except ValueError as exc:
                return str(exc)

        def go(values):
            if values:
                self.load_week(parse_day(values["day"]))

        self.push_screen(FormScreen(t("goto_week", self.lang), [Field("day", t("date_to_open", self.lang),
                                    f"{self.week.monday:%Y-%m-%d}")], self.lang, check), go)

    def action_focus_pane(self, number: int) -> None:
        self.query_one(f"#pane-{PANES[number - 1]}").focus()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    # --- capture --------------------------------------------------------------------------

    def incident_form(self, incident: Incident | None) -> FormScreen:
        now = incident.at if incident else self.now()
        fields = [
            Field("summary", t("summary", self.lang), incident.summary if incident else ""),
            Field("when", t("when", self.lang), f"{now:%Y-%m-%d %H:%M}", "15:37 · 10/9 15:37 · 2023-10-09 15:37"),
            Field("grade", t("grade", self.lang), (incident.grade or "") if incident else ""),
            Field("impact", t("impact", self.lang), incident.impact if incident else ""),
            Field("duration", t("duration", self.lang),
                  str(incident.duration_min) if incident and incident.duration_min is not None else ""),
            Field("resolution", t("resolution", self.lang), incident.resolution if incident else ""),
        ]
        return FormScreen(t("edit_incident" if incident else "new_incident", self.lang), fields, self.lang,
                          lambda v: self._incident_from(v, incident)[1], form_id="incident-form")

    def _incident_from(self, values: dict, old: Incident | None) -> tuple[Incident | None, str | None]:
        try:
            at = parse_when(values["when"], self.now())
            grade = values["grade"].strip().upper() or None
            if grade not in (None, "A", "B", "C", "D"):
                return None, f"{t('grade', self.lang)}: A, B, C, D"
            raw_duration = values["duration"].strip()
            if raw_duration and not raw_duration.isdigit():
                return None, f"{t('duration', self.lang)}: '{raw_duration}'?"
            fields = dict(at=at, summary=values["summary"].strip(), grade=grade,
                          impact=values["impact"].strip(), resolution=values["resolution"].strip(),
                          duration_min=int(raw_duration) if raw_duration else None,
                          status="resolved" if values["resolution"].strip() else "open")
            incident = old.model_copy(update=fields) if old else Incident(**fields)
            Incident.model_validate(incident.model_dump())
            return incident, None
        except ValidationError as exc:
            return None, describe_validation(exc)
        except ValueError as exc:
            return None, str(exc)

    def action_log_incident(self) -> None:
        if isinstance(self.screen, FormScreen) and self.screen.id == "incident-form":
            return

        def done(values):
            if not values:
                return
            incident, _ = self._incident_from(values, None)
            monday = monday_of(incident.at.date())
            if self.apply(edits.add_incident(incident), monday=monday) and monday != self.week.monday:
                target = Week(monday=monday)
                self.update_status(t("logged_in", self.lang, w=title(
                    target, self.lang, self.settings.numbering, self.settings.report_day)))

        self.push_screen(self.incident_form(None), done)

    def action_daily_note(self, day: date | None = None) -> None:
        day = day or self.today
        monday = monday_of(day)
        with self.store_lock:
            week = self.week if monday == self.week.monday else self.store.week(monday)
        note = week.note_for(day)
        from exporters.markdown import daily_label

        def save(_title, body):
            return None if self.apply(edits.set_note(day, body), monday=monday) else "!"

        self.push_screen(self.editor(f"{t('daily', self.lang)} {daily_label(day, self.lang)}",
                                     note.text if note else "", self.lang, save))

    # --- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        problems = pre_export_check(self.week, self.today, self.last_week, self.derived, self.lang)

        def go(ok: bool | None = True) -> None:
            if not ok:
                return
            from exporters.files import export_week

            target = default_export_dir(self.settings)
            try:
                with self.store_lock:
                    paths = export_week(self.store, self.week, self.settings, self.lang, target, folder=True)
            except (WeeklyError, OSError) as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=10)
                return
            self.last_export = paths[0]
            self.update_status(t("exported", self.lang, p=str(paths[0])))
            self.notify(t("exported", self.lang, p=str(paths[0])), markup=False)

        if problems:
            self.push_screen(ConfirmScreen(t("check_title", self.lang), problems, t("check_keys", self.lang)), go)
        else:
            go()

    def action_copy_report(self) -> None:
        self.copy_to_clipboard(self.report_text())
        self.update_status(t("copied", self.lang))

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.update_status(t("nothing_to_undo", self.lang))
            return
        monday, before, after = self.undo_stack.pop()
        if monday != self.week.monday:
            self.load_week(monday)
        if self.week.model_dump(mode="json") != after:
            self.update_status(t("cannot_undo", self.lang))
            return
        if self.apply(edits.restore(before)):
            self.undo_stack.pop()  # the restore itself is not undone by the next ctrl+z
            self.update_status(t("undone", self.lang))

    def action_show_keys(self) -> None:
        rows = [(self.get_key_display(b), name_of(b), where) for where, b in self.binding_rows()]
        self.push_screen(KeysScreen(t("keys_title", self.lang), rows))

    def binding_rows(self):
        """Every key that does something named (the arrows and scrolling go without saying)."""
        for binding in self.all_bindings():
            if binding.description:
                yield "", binding
        for pane in self.query(".pane"):
            for _, binding in pane._bindings:
                if binding.id:  # ours, named in the app's language
                    yield pane.border_title or "", binding

    def get_system_commands(self, screen):
        """Textual's own palette entries, in the app's language. Theme, quit and keys are
        already ours (f9, q, ?): listed twice they would read as two different things."""
        if screen.maximized is not None:
            yield SystemCommand(t("minimize", self.lang), t("minimize_help", self.lang), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("maximize", self.lang), t("maximize_help", self.lang), screen.action_maximize)
        yield SystemCommand(t("screenshot", self.lang), t("screenshot_help", self.lang),
                            lambda: self.set_timer(0.1, self.deliver_screenshot))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # as Textual's, in our words
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("palette_search", self.lang)))

    async def run_pane_action(self, pane, action: str) -> None:
        """A pane's action from the palette: on that pane, as if its key were pressed there."""
        pane.focus()
        await self.run_action(action, pane)

    def get_key_display(self, binding: Binding) -> str:
        # ⇧ for shift, as ^ stands for ctrl: the footer must hold every key in 120 columns
        display = super().get_key_display(binding)
        return display if binding.key_display else display.replace("shift+", "⇧")

    def all_bindings(self):
        return [binding for _, binding in self._bindings]

    # --- pane requests --------------------------------------------------------------------

    def pane_request(self, pane: str, what: str, selected: str | None) -> None:
        if selected == "__empty__":
            selected = None
        # A pane's own handler where it differs (notes), else the shared one by id.
        handler = getattr(self, f"{pane}_{what}", None) or getattr(self, f"any_{what}", None)
        if handler is None:
            return
        if what in ("edit", "delete", "move_up", "move_down", "add_child") and selected is None:
            self.notify(t("no_item", self.lang), markup=False)
            return
        handler(selected)

    def add_element(self, pane: str, kind: str, element, parent_id: str | None = None,
                    after_id: str | None = None) -> bool:
        """Add and put the cursor on the new element."""
        self.query_one(f"#pane-{pane}").prefer = element.id
        return self.apply(edits.add(kind, element, parent_id=parent_id, after_id=after_id))

    def any_delete(self, selected: str) -> None:
        self.apply(edits.delete(selected))

    def any_move_up(self, selected: str) -> None:
        self.apply(edits.move(selected, -1))

    def any_move_down(self, selected: str) -> None:
        self.apply(edits.move(selected, 1))

    # key work
    def key_work_add(self, selected: str | None) -> None:
        self._key_work_editor(None, selected)

    def key_work_edit(self, selected: str) -> None:
        self._key_work_editor(edits.find(self.week, selected), None)

    def _key_work_editor(self, item: KeyWorkItem | None, after: str | None) -> None:
        state = {"id": item.id if item else None}

        def save(title_text: str | None, body: str) -> str | None:
            try:
                if state["id"] is None:
                    new = KeyWorkItem(title=title_text or "", body=body)
                    if self.add_element("key_work", "key_work", new, after_id=after):
                        state["id"] = new.id
                        return None
                    return "!"
                KeyWorkItem(title=title_text or "", body=body)
            except ValidationError as exc:
                return describe_validation(exc)
            return None if self.apply(edits.update(state["id"], title=title_text, body=body)) else "!"

        self.push_screen(self.editor(t("pane_key_work", self.lang)[2:], item.body if item else "", self.lang,
                                     save, title=item.title if item else ""))

    # metrics
    def metrics_add(self, selected: str | None) -> None:
        group = next((m.group for m in self.week.metrics if m.id == selected), "")
        self._metric_form(None, group, selected)

    def metrics_edit(self, selected: str) -> None:
        metric = edits.find(self.week, selected)
        if metric.kind == "incident_counts":
            if self.week.stated_incident_counts and self.week.stated_incident_counts != self.derived:
                a, c = self.week.stated_incident_counts
                line = t("stated_differs", self.lang, a=a, c=c, da=self.derived[0], dc=self.derived[1])
                self.push_screen(ConfirmScreen(t("counts_line", self.lang), [line],
                                               "Enter: " + ("使用记录得出的数 · Esc 保留" if self.lang == "zh"
                                                            else "use the log's counts · Esc keeps them")),
                                 lambda ok: ok and self.apply(edits.drop_stated_counts()))
            else:
                self.notify(t("counts_line", self.lang), markup=False)
            return
        self._metric_form(metric, metric.group, None)

    def _metric_form(self, metric: Metric | None, group: str, after: str | None) -> None:
        m = metric
        fields = [
            Field("name", t("name", self.lang), m.name if m else ""),
            Field("group", t("group", self.lang), group),
            Field("value", t("value", self.lang), (m.value or "") if m else "", "99.997%"),
            Field("target", t("target", self.lang), f"{m.target:g}" if m and m.target is not None else ""),
            Field("better", t("better", self.lang), "n" if m and not m.higher_is_better else "y"),
            Field("kind", t("kind", self.lang), m.kind if m else "percent"),
            Field("unit", t("unit", self.lang), m.unit if m else ""),
        ]

        def build(values: dict) -> tuple[Metric | None, str | None]:
            try:
                kind = values["kind"].strip() or "percent"
                if kind not in ("percent", "number", "text"):
                    return None, f"{t('kind', self.lang)}: percent / number / text"
                target = values["target"].strip()
                base = m or Metric(name="x")
                candidate = Metric(id=base.id, name=values["name"].strip(), group=values["group"].strip(),
                                   kind=kind, unit=values["unit"].strip(), joined_by=base.joined_by,
                                   higher_is_better=values["better"].strip().lower() not in ("n", "no", "否"),
                                   target=None)
                if target:
                    from store.models import parse_number
                    candidate.target = parse_number(target)
                candidate.value = candidate.check_value(values["value"])
                return candidate, None
            except ValidationError as exc:
                return None, describe_validation(exc)
            except ValueError as exc:
                return None, str(exc)

        def done(values):
            if not values:
                return
            candidate, _ = build(values)
            if m is None:
                self.add_element("metrics", "metrics", candidate, after_id=after)
            else:
                self.apply(edits.update(m.id, **{k: getattr(candidate, k) for k in
                                                 ("name", "group", "kind", "unit", "higher_is_better", "target",
                                                  "value")}))

        self.push_screen(FormScreen(t("pane_metrics", self.lang)[2:], fields, self.lang,
                                    lambda v: build(v)[1]), done)

    # incidents
    def incidents_add(self, selected: str | None) -> None:
        self.action_log_incident()

    def incidents_edit(self, selected: str) -> None:
        old = edits.find(self.week, selected)

        def done(values):
            if values:
                incident, _ = self._incident_from(values, old)
                if monday_of(incident.at.date()) != self.week.monday:
                    # a new time in another week moves the incident there
                    if self.apply(edits.delete(old.id)):
                        self.apply(edits.add_incident(incident), monday=monday_of(incident.at.date()))
                    return
                self.apply(edits.update_incident(old.id, **{k: getattr(incident, k) for k in
                                                   ("at", "summary", "grade", "impact", "duration_min",
                                                    "resolution", "status")}))

        self.push_screen(self.incident_form(old), done)

    # objectives
    def objectives_add_objective(self, selected: str | None) -> None:
        self._objective_form(None)

    def objectives_add(self, selected: str | None) -> None:
        target = edits.find(self.week, selected) if selected else None
        if target is None:
            if not self.week.objectives:
                self._objective_form(None)
                return
            self._item_form(None, parent_id=self.week.objectives[-1].id, after=None)
        elif isinstance(target, Objective):
            self._item_form(None, parent_id=target.id, after=None)
        else:
            parent = self._parent_of(selected)
            self._item_form(None, parent_id=parent, after=selected)

    def objectives_add_child(self, selected: str) -> None:
        self._item_form(None, parent_id=selected, after=None)

    def _parent_of(self, item_id: str) -> str | None:
        for objective in self.week.objectives:
            if any(i.id == item_id for i in objective.items):
                return objective.id
            for item in objective.walk():
                if any(c.id == item_id for c in item.children):
                    return item.id
        return None

    def objectives_edit(self, selected: str) -> None:
        target = edits.find(self.week, selected)
        if isinstance(target, Objective):
            self._objective_form(target)
        elif target is not None:
            self._item_form(target, parent_id=None, after=None)

    def _objective_form(self, objective: Objective | None) -> None:
        next_code = f"O{len(self.week.objectives) + 1}"
        fields = [Field("code", t("code", self.lang), objective.code if objective else next_code),
                  Field("title", t("title", self.lang), objective.title if objective else "")]

        def check(values):
            try:
                Objective(code=values["code"].strip(), title=values["title"].strip())
            except ValidationError as exc:
                return describe_validation(exc)
            code = values["code"].strip()
            if any(o.code == code and o is not objective for o in self.week.objectives):
                return f"{code} ✗ (exists)"

        def done(values):
            if not values:
                return
            code, name = values["code"].strip(), values["title"].strip()
            if objective is None:
                self.add_element("objectives", "objectives", Objective(code=code, title=name))
            else:
                self.apply(edits.update(objective.id, code=code, title=name))

        self.push_screen(FormScreen(t("pane_objectives", self.lang)[2:], fields, self.lang, check), done)

    def _item_form(self, item: ObjectiveItem | None, parent_id: str | None, after: str | None) -> None:
        fields = [
            Field("name", t("name", self.lang), item.name if item else ""),
            Field("text", t("text", self.lang), item.text if item else ""),
            Field("progress", t("progress", self.lang), f"{item.progress:g}" if item and item.progress is not None else ""),
            Field("due", t("due", self.lang), f"{item.due:%Y-%m-%d}" if item and item.due else ""),
            Field("status", t("status", self.lang), item.status if item else "planned", " / ".join(STATUSES)),
        ]

        def parse(values):
            progress = values["progress"].strip().rstrip("%％")
            from store.models import parse_number

            progress_value = parse_number(progress) if progress else None
            if progress_value is not None and not 0 <= progress_value <= 100:
                raise ValueError(f"{t('progress', self.lang)}: {progress_value:g} is outside 0–100")
            due = parse_day(values["due"]) if values["due"].strip() else None
            status = values["status"].strip() or "planned"
            if status not in STATUSES:
                raise ValueError(f"{t('status', self.lang)}: {' / '.join(STATUSES)}")
            if not (values["name"].strip() or values["text"].strip()):
                raise ValueError(f"{t('name', self.lang)} / {t('text', self.lang)}: must not both be empty")
            return values["name"].strip(), values["text"].strip(), progress_value, due, status

        def check(values):
            try:
                name, text, progress, due, status = parse(values)
                ObjectiveItem(name=name, text=text, progress=progress, due=due, status=status)
            except ValidationError as exc:
                return describe_validation(exc)
            except ValueError as exc:
                return str(exc)

        def done(values):
            if not values:
                return
            name, text, progress, due, status = parse(values)
            if item is None:
                from store.rules import write_progress

                new = ObjectiveItem(name=name, text=write_progress(text, progress) if text else text,
                                    progress=progress, due=due, status=status)
                self.add_element("objectives", "item", new, parent_id=parent_id, after_id=after)
            else:
                self.apply(edits.update_item(item.id, name, text, progress, due, status))

        self.push_screen(FormScreen(t("pane_objectives", self.lang)[2:], fields, self.lang, check), done)

    # notes
    def notes_add(self, selected: str | None) -> None:
        day = self.today if self.week.holds(self.today) else self.week.monday + timedelta(days=4)
        self.action_daily_note(day)

    def notes_edit(self, selected: str) -> None:
        if selected.startswith("daily:"):
            self.action_daily_note(date.fromisoformat(selected[6:]))
            return
        if selected == "reflections":
            text, make = self.week.reflections, edits.set_reflections
            hint = ""
        else:
            text, make = edits.list_text(getattr(self.week, selected)), lambda body: edits.set_list(selected, body)
            hint = t("list_hint", self.lang)
        heading = t({"other": "other", "next_week": "next_week_list"}.get(selected, selected), self.lang)

        def save(_title, body):
            return None if self.apply(make(body)) else "!"

        self.push_screen(self.editor(heading, text, self.lang, save, hint=hint))

    def notes_delete(self, selected: str) -> None:
        if selected.startswith("daily:"):
            self.apply(edits.delete_note(date.fromisoformat(selected[6:])))
        elif selected == "reflections":
            self.apply(edits.set_reflections(""))
        else:
            self.apply(edits.set_list(selected, ""))


@lru_cache(maxsize=None)
def localized(cls, lang: str):
    """The class with its bindings described in the app's language (the footer, `?` and
    the palette read these descriptions). The footer shows the short label; the full name is
    the tooltip, which `?` and the palette show."""
    bindings = [replace(b, description=footer_label(b.description, lang), tooltip=t(b.description, lang),
                        group=b.group and replace(b.group, description=footer_label(b.group.description, lang)))
                if isinstance(b, Binding) else b for b in cls.BINDINGS]
    return type(cls.__name__, (cls,), {"BINDINGS": bindings, "__module__": cls.__module__,
                                       "DEFAULT_CSS": "", "__doc__": cls.__doc__})


def create_app(db_path: Path | str, settings: Settings | None = None, **kw) -> WeeklyApp:
    settings = settings or Settings()
    return localized(WeeklyApp, settings.lang)(db_path, settings, **kw)

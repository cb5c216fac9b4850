"""The Weekly TUI: the app holds what is app-wide (theme, keymap, global keys, the store it
opens, quitting); the week screen holds the week."""

from __future__ import annotations

import gc
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.messages import set_language
from weekly_zhoubao.store.settings import Settings, config_path

from .i18n import t
from .keybar import key_shown
from .palette import WeeklyCommands, WeeklyPalette
from .quitting import Quitting
from .screens.week import WeekScreen
from weekly_zhoubao.store.text import visible

SHORT_BELOW = 32  # rows: fewer, and dialogs drop their spacing
THEMES = {"dark": "textual-dark", "light": "textual-light"}  # the config's words for Textual's own two


class WeeklyApp(Quitting, App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses may live anywhere
    TITLE = "Weekly"
    COMMANDS = App.COMMANDS | {WeeklyCommands}
    BINDINGS = [
        # a function key: it works while a text field has focus, and from any dialog
        Binding("f2", "log_incident", "log_incident_fkey", id="log_incident_fkey", priority=True, show=False),
        Binding("question_mark", "show_keys", "keys", id="keys"),
        # from a form too, where `?` is typed text
        Binding("f1", "show_keys", "keys_fkey", id="keys_fkey", priority=True, show=False),
        Binding("q", "quit", "quit", id="quit"),
        Binding("ctrl+q", "quit", "quit", id="quit_ctrl", show=False, priority=True),  # Textual's, in our words
        Binding("f9", "toggle_theme", "theme", id="theme", show=False),
        Binding("ctrl+p", "command_palette", "palette", id="palette", priority=True),  # named, in the footer
    ]

    def __init__(self, db_path: Path | str, settings: Settings | None = None, today: date | None = None,
                 start: date | None = None, now: Callable[[], datetime] | None = None,
                 poll_seconds: float = 1.0, store: WeekStore | None = None, keeps_settings: bool = True) -> None:
        # Everything imported so far (Textual, pydantic, our modules: ~300k objects) lives as
        # long as the app. Frozen, the cyclic collector stops walking it again and again: it
        # cost ~50 ms of the first screen, a full pass landing in the week's load.
        gc.freeze()
        self.settings = settings or Settings()
        self.lang = self.settings.lang
        set_language(self.lang)  # the rules' messages, in the app's language (one app, one store)
        super().__init__()
        self.db_path = Path(db_path)
        if now is None:
            def now() -> datetime:
                moment = datetime.now().replace(second=0, microsecond=0)
                return datetime.combine(today, moment.time()) if today else moment
        self.clock = now  # the time, to the minute; today is its date (it rolls over at midnight)
        self.start = start
        self.poll_seconds = poll_seconds
        self.store = store
        self._sent_to: WeakKeyDictionary = WeakKeyDictionary()  # key event -> the screen on top when it came
        self.keeps_settings = keeps_settings  # False in the demo: trying it never changes the user's config
        theme = THEMES.get(self.settings.theme, self.settings.theme)
        if theme not in self.available_themes:
            names = ", ".join([*THEMES, *sorted(set(self.available_themes) - set(THEMES.values()))])
            raise WeeklyError(f"{config_path()}: setting 'theme': '{theme}' is not a theme ({names})")
        self._started = False  # a theme chosen once the app runs is remembered (watch_theme)
        self.theme = theme
        if self.settings.keys:
            self.set_keymap(self.settings.keys)

    def get_default_screen(self) -> WeekScreen:
        return WeekScreen(self.settings, self.start, self.poll_seconds)

    def open_store(self) -> WeekStore | None:
        if self.store is None:
            try:
                self.store = WeekStore(self.db_path, self.lang)
            except WeeklyError as exc:
                self.exit(1, return_code=1, message=Text(visible(str(exc))))
        return self.store

    async def on_event(self, event) -> None:
        # Keys typed in one burst (a fast hand, a paste, tmux send-keys) are each sent to the
        # widget with focus as they arrive, before the key ahead of them has acted: after `i`
        # opens the incident form, `abc` still goes to the week's pane. A key that comes back
        # from a screen that is no longer on top was meant for the one now there: sent again.
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self._sent_to[event] = self.screen
            elif self._sent_to.pop(event, self.screen) is not self.screen:
                event = events.Key(event.key, event.character)  # handled now, as if it came in now
                self._sent_to[event] = self.screen
        await super().on_event(event)

    def on_mount(self) -> None:
        self._started = True
        self.listen_for_hang_up()

    def on_resize(self, event) -> None:
        # A short terminal: dialogs drop their spacing (app.tcss) so forms and their keys fit.
        self.set_class(event.size.height < SHORT_BELOW, "-short")

    def on_unmount(self) -> None:
        self.stop_listening_for_hang_up()
        gc.unfreeze()  # what this app froze may now be collected (tests run many apps a process)

    @property
    def week_screen(self) -> WeekScreen:
        return self.default_screen

    def say(self, message: str, severity: str = "information", timeout: float | None = None) -> None:
        """A notification: file content and user text in it are shown, never interpreted
        (no markup, controls made visible)."""
        self.notify(visible(message), severity=severity, markup=False,
                    timeout=timeout or (8 if severity == "error" else None))

    @staticmethod
    def editor(*args, **kw):
        from .editor import EditorScreen  # TextArea loads when an editor first opens

        return EditorScreen(*args, **kw)

    # --- global keys ----------------------------------------------------------------------

    def action_log_incident(self) -> None:
        self.week_screen.action_log_incident()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def watch_theme(self, theme: str) -> None:
        """A theme chosen (F9, or by name in the palette's picker) opens the next start too;
        the config file keeps everything else as written."""
        if not self._started or not self.keeps_settings:
            return
        from weekly_zhoubao.store.settings import remember_setting

        name = next((word for word, textual in THEMES.items() if textual == theme), theme)
        try:
            remember_setting("theme", name)
        except WeeklyError as exc:
            self.say(t("theme_not_kept", self.lang, why=str(exc)), severity="warning")

    def search_themes(self) -> None:
        """Textual's theme picker, in the app's language."""
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=t("theme_search", self.lang)))

    def save_screenshot(self, folder: Path | None = None) -> Path | None:
        """The screen as an SVG, in a folder beside the exports that is made if missing
        (Textual's own goes to ~/Downloads and fails where there is none)."""
        from weekly_zhoubao.store.settings import default_export_dir

        folder = folder or default_export_dir(self.settings) / "screenshots"
        path = folder / f"{self.title}_{datetime.now():%Y-%m-%dT%H_%M_%S}.svg"
        from weekly_zhoubao.store.files import make_folders, write_file

        try:
            make_folders(folder)
            write_file(path, self.export_screenshot().encode("utf-8"), what=f"the folder {folder}")
        except OSError as exc:
            self.say(t("screenshot_failed", self.lang, why=f"{folder}: {exc.strerror}"), severity="error")
            return None
        except WeeklyError as exc:
            self.say(t("screenshot_failed", self.lang, why=str(exc)), severity="error")
            return None
        self.say(t("screenshot_saved", self.lang, p=str(path)))
        return path

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.save_screenshot(Path(path) if path else None)

    def action_show_keys(self) -> None:
        from .help import show_keys

        show_keys(self)

    def get_system_commands(self, screen):
        """Textual's own palette entries, in the app's language: the theme picker (any theme by
        name; f9 only toggles dark and light). Quit and keys are already ours (q, ?): listed
        twice they would read as two different things."""
        if screen.maximized is not None:
            yield SystemCommand(t("minimize", self.lang), t("minimize_help", self.lang), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("maximize", self.lang), t("maximize_help", self.lang), screen.action_maximize)
        yield SystemCommand(t("theme_pick", self.lang), t("theme_pick_help", self.lang), self.action_change_theme)
        yield SystemCommand(t("screenshot", self.lang), t("screenshot_help", self.lang),
                            lambda: self.set_timer(0.1, self.save_screenshot))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # as Textual's, in our words
            self.push_screen(WeeklyPalette(self.lang))

    def action_help_quit(self) -> None:
        """ctrl+c (which copies a selection) says how to quit, as Textual's does, in our words."""
        quits = [active.binding for active in self.active_bindings.values()
                 if active.binding.action in ("quit", "app.quit")]
        quits.sort(key=lambda binding: not binding.show)  # the key the footer shows first
        if quits:
            self.notify(t("help_quit", self.lang, k=self.get_key_display(quits[0])),
                        title=t("help_quit_title", self.lang), markup=False)

    def get_key_display(self, binding: Binding) -> str:
        """As Textual shows a key (keybar.key_shown), with ⇧ for shift, as ^ stands for ctrl:
        the footer must hold every key in 120 columns."""
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        key = key_shown(key)
        if "ctrl" in modifiers:  # as Textual's get_key_display
            modifiers.remove("ctrl")
            key = f"^{key}"
        return "+".join([*modifiers, key]).replace("shift+", "⇧")


def create_app(db_path: Path | str, settings: Settings | None = None, **kw) -> WeeklyApp:
    return WeeklyApp(db_path, settings, **kw)

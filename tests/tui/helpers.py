"""What the Pilot tests share: building the app, waiting for it, reading what it said."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.notifications import Notification
from textual.widgets import Static

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.tui.app import WeeklyApp, create_app
from weekly_zhoubao.tui.rowlist import RowList
from tests.conftest import SAMPLE_MONDAY

_SAID: WeakKeyDictionary = WeakKeyDictionary()


def new_app(path: Path, settings: Settings, *, now: datetime | Callable[[], datetime], start=None,
            poll_seconds: float = 0.1) -> WeeklyApp:
    """The app at a fixed clock with animations off, recording what it notifies. For a test
    that cannot take the `make_app` fixture (a module-scoped one, its own config)."""
    clock = now if callable(now) else (lambda: now)
    app = create_app(path, settings, start=start, now=clock, poll_seconds=poll_seconds)
    app.animation_level = "none"
    record_notifications(app)
    return app


class ScreenHost(App):
    """A bare app that shows one screen (a screen tested without the week screen)."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.shown = screen

    def on_mount(self) -> None:
        self.push_screen(self.shown)


def host_app(screen) -> ScreenHost:
    app = ScreenHost(screen)
    app.animation_level = "none"
    record_notifications(app)
    return app


def record_notifications(app) -> None:
    """Every notification the app is asked to show, kept in order (run_test hides the toasts,
    and a toast leaves Textual's list when it times out). Widgets' and screens' `notify` call
    the app's."""
    said: list[Notification] = []
    _SAID[app] = said
    notify = app.notify

    def recording(message, *, title="", severity="information", timeout=None, markup=True):
        said.append(Notification(message, title, severity, app.NOTIFICATION_TIMEOUT if timeout is None else timeout,
                                 markup=markup))
        notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
    app.notify = recording


def notifications(app) -> list[Notification]:
    return _SAID[app]


def notices(app) -> list[str]:
    return [n.message for n in _SAID[app]]


async def until(pilot, condition: Callable[[], object], timeout: float = 30) -> None:
    """Until `condition()` holds: an event the test waits for, however loaded the machine
    (a wait for idle can end before a key is handled when other processes take the CPU)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not so after {timeout}s"
        await pilot.pause(0.01)


def terminal_key(ch: str) -> events.Key:
    """A character as a terminal sends it: the key named after it, with the character.
    (Pilot.press cannot type `，` `。` `：`: it looks their names up in unicodedata, finds
    none and sends no character.) Textual's own naming rule (a private function: no public
    one maps a character to its key name)."""
    return events.Key(_character_to_key(ch), ch)


def send(app, event: events.Event) -> None:
    """An event into the app's queue behind the ones before it, as the driver delivers a
    terminal's input (a key, a paste): the app hands it to the focused widget."""
    event.set_sender(app)
    app.post_message(event)


@dataclass
class Words:
    """Text the user types (not counted as keys)."""
    text: str


async def type_keys(pilot, *steps) -> int:
    """Press each step: a key name, or Words typed character by character. Returns the
    number of keys pressed beyond the words."""
    keys = 0
    for step in steps:
        if isinstance(step, Words):
            await type_text(pilot, step.text)
        else:
            await pilot.press(step)
            keys += 1
    await pilot.pause()
    return keys


async def type_text(pilot, text: str) -> None:
    """Characters as a terminal sends them. (Pilot.press drops `，` `。` `：`: their key names
    are no Unicode names; a terminal sends the character itself.)"""
    for ch in text:
        send(pilot.app, terminal_key(ch))
        await pilot.pause()


async def settle(pilot) -> None:
    """Until the screen has acted on every key and the session has saved every edit: workers
    done, messages handled, the save queue flushed (a wait on each, not a sleep)."""
    app = pilot.app
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    session = getattr(app.week_screen, "session", None) if isinstance(app, WeeklyApp) else None
    if session is not None and session.unsaved:
        await asyncio.to_thread(session.flush, 10)
        await pilot.pause()


def stored(db_path: Path, monday=SAMPLE_MONDAY) -> Week:
    return WeekStore(db_path).get(monday)


def painted(app, selector) -> str:
    """The pane's lines as the screen would draw them now: through Textual's line cache, so a
    line that was not repainted when it should have been shows its old text here."""
    from textual.geometry import Region

    widget = app.query_one(selector)
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def table_texts(app, selector) -> list[str]:
    table = app.query_one(selector, RowList)
    return [str(table.get_row_at(i)[-1]) for i in range(table.row_count)] + \
        [str(c) for i in range(table.row_count) for c in table.get_row_at(i)]


def fill(screen, **values) -> None:
    """Type into a form's fields at once (by field name)."""
    from textual.widgets import Input

    for name, value in values.items():
        screen.query_one(f"#field-{name}", Input).value = value


async def open_list(pilot, row: str):
    """Pane 5's row `row` (other / next_week) in its editor: the editor's text area."""
    from textual.widgets import TextArea

    from weekly_zhoubao.tui.editor import EditorScreen
    from weekly_zhoubao.tui.panes.notes import NotesPane

    await pilot.press("5")
    pane = pilot.app.query_one(NotesPane)
    pane.move_cursor(row=[pane.row_key(i) for i in range(pane.row_count)].index(row))
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, EditorScreen)
    return pilot.app.screen.query_one("#editor-body", TextArea)


def preview_lines(app) -> list[str]:
    """The preview's lines as laid out now."""
    from weekly_zhoubao.tui.panes import PreviewView

    return ["".join(segment.text for segment in segments) for segments, _ in app.query_one(PreviewView).rows]


TEXT_KEYS = {"\n": "enter", "\t": "tab", " ": "space", "⇤": "shift+tab", "⌫": "backspace"}


async def press_text(pilot, text: str) -> int:
    """Types `text` key by key (newline = Enter, tab = Tab, ⇤ = shift+tab, ⌫ = backspace);
    returns how many keys were not the words' own characters."""
    for c in text:
        if c in TEXT_KEYS or c.isascii():
            await pilot.press(TEXT_KEYS.get(c, c))
            continue
        # Pilot.press drops the character of a key like `，` (it looks up `fullwidth_comma`
        # by a name unicodedata does not know): send it as a terminal does, key and character
        send(pilot.app, terminal_key(c))
        await pilot.pause(0)
    return sum(text.count(c) for c in "\n\t⇤⌫")

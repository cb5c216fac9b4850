"""The footer: the keys that apply now, on one line.

Textual's Footer makes a widget of every key (16 here), each styled, laid out and painted
on its own: 25 ms of the first screen and 1.8 MB of its memory. This draws the same line as
one widget: a key or a group of keys, then what it does, one space apart."""

from __future__ import annotations

from itertools import groupby

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual import screen as textual_screen
from textual.binding import Binding
from textual.keys import KEY_DISPLAY_ALIASES, Keys, format_key
from textual.widget import Widget

from .i18n import footer_label, t


# What Textual shows for the keys named after punctuation. Textual finds each by its Unicode
# name (unicodedata.lookup), which pages in the name tables: 0.8 MB of the first screen's
# memory for the footer's keys. The same answers, written down (a test compares them).
PUNCTUATION_KEYS = {
    "exclamation_mark": "!", "quotation_mark": '"', "number_sign": "#", "dollar_sign": "$",
    "percent_sign": "%", "ampersand": "&", "apostrophe": "'", "left_parenthesis": "(",
    "right_parenthesis": ")", "asterisk": "*", "plus": "+", "comma": ",", "minus": "-", "full_stop": ".",
    "slash": "/", "colon": ":", "semicolon": ";", "less_than_sign": "<", "equals_sign": "=",
    "greater_than_sign": ">", "question_mark": "?", "at": "@", "left_square_bracket": "[",
    "backslash": "\\", "right_square_bracket": "]", "circumflex_accent": "^", "underscore": "_",
    "grave_accent": "`", "left_curly_bracket": "{", "vertical_line": "|", "right_curly_bracket": "}",
    "tilde": "~",
}


def key_shown(key: str) -> str:
    """What Textual's `format_key` shows for a key without modifiers, by table where it can."""
    if key in KEY_DISPLAY_ALIASES:
        return KEY_DISPLAY_ALIASES[key]
    if key in PUNCTUATION_KEYS:
        return PUNCTUATION_KEYS[key]
    if len(key) == 1 or key in Keys._value2member_map_:  # a character, or a key no character names
        return key
    return format_key(key)


# What Textual's key_to_character answers for the keys it names, when not None (it asks for
# the footer's keys at each change of focus, by Unicode name, as above).
KEY_CHARACTERS = {
    "exclamation_mark": "!", "quotation_mark": '"', "number_sign": "#", "dollar_sign": "$",
    "percent_sign": "%", "ampersand": "&", "apostrophe": "'", "left_parenthesis": "(",
    "right_parenthesis": ")", "asterisk": "*", "comma": ",", "full_stop": ".", "colon": ":",
    "semicolon": ";", "less_than_sign": "<", "equals_sign": "=", "greater_than_sign": ">",
    "question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]",
    "circumflex_accent": "^", "grave_accent": "`", "left_curly_bracket": "{", "vertical_line": "|",
    "right_curly_bracket": "}", "tilde": "~", "escape": "\x1b", "delete": "\x7f", "tab": "\t",
    "space": " ", "backspace": "\x08",
}


def key_character(key: str) -> str | None:
    """Textual's `key_to_character`, by table where it can."""
    _, modified, name = key.rpartition("+")
    if modified:
        return None
    if len(name) == 1:
        return name
    if name in KEY_CHARACTERS:
        return KEY_CHARACTERS[name]
    if name in PUNCTUATION_KEYS or name in Keys._value2member_map_:
        return None
    return _key_to_character(key)


_key_to_character = textual_screen.key_to_character
textual_screen.key_to_character = key_character  # where Screen looks it up


def name_of(binding: Binding, lang: str) -> str:
    """What an action is called in full (`?`, the palette, a footer key's tooltip), in the
    app's language: a binding's description is the id of its words. The footer may say it
    shorter."""
    return t(binding.description, lang)


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; background: $footer-description-background; }
    }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        # keys, what they do, whether they are the app's own
        self._entries: list[tuple[list[tuple[Binding, bool]], str, bool]] | None = None
        # where each entry sits on the line: first and end cell, the binding, whether enabled
        self._places: list[tuple[int, int, Binding, bool]] = []

    @property
    def lang(self) -> str:
        """The screen's language (a screen pushed on a bare app, as a test does, has one too)."""
        return getattr(self.screen, "lang", None) or getattr(self.app, "lang", "zh")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._update()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.call_after_refresh(self._update)

    def _update(self) -> None:
        if not self.is_attached:  # its screen was dismissed before this scheduled update ran
            return
        # One entry an action, as Textual's Footer: its first key that is shown. The app's own
        # keys (?, q, the palette) stay in view at every width: others give way first.
        by_action: dict[str, tuple[Binding, bool, bool]] = {}
        for namespace, binding, enabled, _ in self.screen.active_bindings.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, namespace is self.app)
        # the screen's keys a pane calls its own (`n` in the notes) come right after the pane's,
        # so a narrow footer drops the others first
        focused = self.screen.focused
        keeps = set(getattr(focused, "FOOTER_KEEPS", ()))
        if keeps:
            own = {binding.action for _, binding in (focused._bindings if focused else ())}
            order = list(by_action)
            place = max((n + 1 for n, action in enumerate(order) if action in own), default=0)
            moved = [action for action in order if action in keeps]
            rest = [action for action in order if action not in keeps]
            by_action = {action: by_action[action] for action in rest[:place] + moved + rest[place:]}
        entries = []
        for group, keys in groupby(by_action.values(), key=lambda entry: entry[0].group or entry[0].action):
            keys = list(keys)
            grouped = isinstance(group, Binding.Group) and len(keys) > 1
            label = group.description if grouped else keys[0][0].description
            entries.append(([(b, enabled) for b, enabled, _ in keys], footer_label(label, self.lang),
                            all(app_wide for _, _, app_wide in keys)))
        if entries != self._entries:  # the same keys: moving between panes alike repaints nothing
            self._entries = entries
            self.refresh()

    def _fitting(self) -> list:
        """The entries that fit the line: the app's own kept, the last of the others dropped first."""
        entries = list(self._entries or [])

        def width(entry) -> int:
            keys, label, _ = entry
            return sum(cell_len(self.app.get_key_display(b)) for b, _ in keys) + 1 + cell_len(label)

        total = sum(width(e) for e in entries) + max(0, len(entries) - 1)
        for entry in reversed(list(entries)):
            if total <= self.size.width or not self.size.width:
                break
            if not entry[2]:
                entries.remove(entry)
                total -= width(entry) + 1
        return entries

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        description_style = self.get_component_rich_style("keybar--description", partial=True)
        dim = Style(dim=True)
        text, places = Text(end=""), []
        for keys, label, _ in self._fitting():
            if text:
                text.append(" ")
            for binding, enabled in keys:
                start = text.cell_len
                text.append(self.app.get_key_display(binding), key_style if enabled else key_style + dim)
                places.append([start, text.cell_len, binding, enabled])
            enabled = all(enabled for _, enabled in keys)
            text.append(f" {label}", description_style if enabled else description_style + dim)
            if len(keys) == 1:  # a lone key's label is part of what a click hits
                places[-1][1] = text.cell_len
        self._places = places
        return text

    def _place_at(self, x: int):
        return next((place for place in self._places if place[0] <= x < place[1]), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        place = self._place_at(event.x)
        self.tooltip = name_of(place[2], self.lang) if place else None

    def on_click(self, event: events.Click) -> None:
        place = self._place_at(event.x)
        if place is None:
            return
        if place[3]:
            self.app.simulate_key(place[2].key)
        else:
            self.app.bell()

"""Modal screens: short forms (Enter saves, Escape cancels), text editors that save as you
type, confirmations, the key list. Everything a user typed is shown with markup off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static, TextArea

from .i18n import t


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""


class FormScreen(ModalScreen[dict | None]):
    """A short form. `validate(values)` returns an error message or None; on None the form
    closes with the values. Errors show in the form and nothing is changed."""

    # priority: handled as the key arrives, so keys typed right after tab (fast typists,
    # pasted sequences) land in the next field, not the one tab left
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False),
                Binding("tab", "app.focus_next", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", show=False, priority=True)]

    def __init__(self, title: str, fields: list[Field], lang: str,
                 validate: Callable[[dict], str | None] | None = None, form_id: str = "form") -> None:
        super().__init__(id=form_id)
        self.form_title = title
        self.fields = fields
        self.lang = lang
        self.validate = validate or (lambda values: None)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.form_title, classes="dialog-title", markup=False)
            for f in self.fields:
                yield Label(f.label, markup=False)
                yield Input(value=f.value, placeholder=f.placeholder, id=f"field-{f.name}")
            yield Static("", id="form-error", markup=False)
            yield Static(t("form_keys", self.lang), classes="dialog-keys", markup=False)

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields}

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        values = self.values()
        error = self.validate(values)
        if error:
            self.query_one("#form-error", Static).update(Text(error, style="bold red"))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditorScreen(ModalScreen[None]):
    """A title and a Markdown body, saved as you type (debounced), closed with Escape.
    `save(title, body)` returns an error to show (nothing saved) or None."""

    # priority: TextArea (indenting with tab, as outlines need) would otherwise take escape
    BINDINGS = [Binding("escape", "close", "Close", show=False, priority=True)]
    DEBOUNCE = 0.4

    def __init__(self, heading: str, body: str, lang: str, save: Callable[[str | None, str], str | None],
                 title: str | None = None, hint: str = "") -> None:
        super().__init__(id="editor")
        self.heading = heading
        self.initial_title = title
        self.initial_body = body
        self.lang = lang
        self.save = save
        self.hint = hint
        self._timer: Timer | None = None
        self.last_saved = (title, body)  # compared with what is typed: no event can be missed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            if self.initial_title is not None:
                yield Label(t("title", self.lang), markup=False)
                yield Input(value=self.initial_title, id="editor-title")
            if self.hint:
                yield Static(self.hint, classes="dialog-keys", markup=False)
            yield TextArea(self.initial_body, id="editor-body", soft_wrap=True, tab_behavior="indent")
            yield Static("", id="form-error", markup=False)
            yield Static(t("editor_keys", self.lang), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        target = "#editor-title" if self.initial_title is not None and not self.initial_title else "#editor-body"
        self.query_one(target).focus()

    def current(self) -> tuple[str | None, str]:
        title = self.query_one("#editor-title", Input).value if self.initial_title is not None else None
        return title, self.query_one("#editor-body", TextArea).text

    @on(TextArea.Changed)
    @on(Input.Changed)
    def changed(self, event) -> None:
        event.stop()
        if self._timer:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE, self.flush)

    @on(Input.Submitted)
    def title_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#editor-body", TextArea).focus()

    def flush(self) -> bool:
        """Save what is typed now. Returns False (and says why) when it cannot be saved."""
        if self._timer:
            self._timer.stop()
            self._timer = None
        typed = self.current()
        if typed == self.last_saved:
            return True
        error = self.save(*typed)
        box = self.query_one("#form-error", Static)
        if error:
            box.update(Text(error, style="bold red"))
            return False
        box.update("")
        self.last_saved = typed
        return True

    def action_close(self) -> None:
        if self.flush():
            self.dismiss(None)
            return
        title, body = self.current()
        if not (title or "").strip() and not body.strip():
            self.dismiss(None)  # nothing typed: nothing to keep


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "no", show=False), Binding("enter", "yes", show=False),
                Binding("y", "yes", show=False), Binding("n", "no", show=False)]

    def __init__(self, title: str, lines: list[str], keys: str) -> None:
        super().__init__(id="confirm")
        self.heading, self.lines, self.keys = title, lines, keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            with VerticalScroll(classes="confirm-lines"):
                for line in self.lines:
                    yield Static(f"• {line}", markup=False)
            yield Static(self.keys, classes="dialog-keys", markup=False)

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class KeysScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", show=False)]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__(id="keys")
        self.heading, self.rows = title, rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog keys-dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            table = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("key", "action", "where")
            for key, description, where in self.rows:
                table.add_row(Text(key), Text(description), Text(where))
            yield table

    def action_close(self) -> None:
        self.dismiss(None)

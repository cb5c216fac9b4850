"""Modal screens: short forms (Enter saves, Escape cancels), confirmations, the key list.
Everything a user typed is shown with markup off. The text editor lives in `editor.py`:
TextArea is loaded when an editor first opens, not at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

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
            from textual.widgets import DataTable  # loaded when the list is first opened

            table = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("key", "action", "where")
            for key, description, where in self.rows:
                table.add_row(Text(key), Text(description), Text(where))
            yield table

    def action_close(self) -> None:
        self.dismiss(None)

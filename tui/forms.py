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


class FieldsScroll(VerticalScroll, can_focus=False):
    """A form's fields, scrolled to the one with focus; never focused itself."""


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""


class FormScreen(ModalScreen[None]):
    """A short form. `check(values)` returns an error message or None; on None, `save(values)`
    runs and the form closes. Errors show in the form and nothing is changed. `explain(values)`,
    if given, says below the fields what the typed text is read as (a date's full form)."""

    # priority: handled as the key arrives, so keys typed right after tab (fast typists,
    # pasted sequences) land in the next field, not the one tab left
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False),
                Binding("tab", "app.focus_next", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", show=False, priority=True)]

    def __init__(self, title: str, fields: list[Field], lang: str, check: Callable[[dict], str | None],
                 save: Callable[[dict], object], form_id: str = "form",
                 explain: Callable[[dict], str] | None = None) -> None:
        super().__init__(id=form_id)
        self.form_title = title
        self.fields = fields
        self.lang = lang
        self.check = check
        self.save = save
        self.explain = explain

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.form_title, classes="dialog-title", markup=False)
            # the fields scroll on a short screen; what the form says and its keys stay in view
            with FieldsScroll(classes="form-fields"):
                for f in self.fields:
                    yield Label(f.label, markup=False)
                    yield Input(value=f.value, placeholder=f.placeholder, id=f"field-{f.name}")
            if self.explain is not None:
                yield Static("", id="form-understood", markup=False)
            yield Static("", id="form-error", markup=False)
            yield Static(t("form_keys", self.lang), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        self._explain()

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.fields}

    def changed(self) -> bool:
        return self.values() != {f.name: f.value for f in self.fields}

    @on(Input.Changed)
    def _explain(self, event: Input.Changed | None = None) -> None:
        if self.explain is not None:
            self.query_one("#form-understood", Static).update(self.explain(self.values()))

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        if self.save_typed() is None:
            self.dismiss(None)

    def save_typed(self) -> str | None:
        """Save what is typed if it is valid (quitting saves it too); else show and return why."""
        values = self.values()
        error = self.check(values)
        if error:
            self.query_one("#form-error", Static).update(Text(error, style="bold red"))
            return error
        self.save(values)
        return None

    def unsaved(self) -> str | None:
        """On quit: save typed changes; returns why they cannot be saved, None when all is kept."""
        return self.save_typed() if self.changed() else None

    def heading_text(self) -> str:
        return self.form_title

    def typed_text(self) -> str:
        values = self.values()
        return "\n".join(f"{f.label}: {values[f.name]}" for f in self.fields)

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

    def __init__(self, title: str, rows: list[tuple[str, str, str]], columns: tuple[str, str, str] = ("key", "action", "where")) -> None:
        super().__init__(id="keys")
        self.heading, self.rows, self.columns = title, rows, columns

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog keys-dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            from textual.widgets import DataTable  # loaded when the list is first opened

            table = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns(*self.columns)
            for key, description, where in self.rows:
                table.add_row(Text(key), Text(description), Text(where))
            yield table

    def action_close(self) -> None:
        self.dismiss(None)

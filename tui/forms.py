"""Modal screens: short forms (Enter saves, Escape cancels), confirmations, the key list.
Everything a user typed is shown with markup off. The text editor lives in `editor.py`:
TextArea is loaded when an editor first opens, not at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from .i18n import t

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # not the line breaks splitlines() knows
Choices = list[tuple[str, str]]  # (stored value, label shown in the UI's language)


class FieldsScroll(VerticalScroll, can_focus=False):
    """A form's fields, scrolled to the one with focus; never focused itself."""


@dataclass
class Field:
    """One line of a form. With `choices` [(stored value, shown label), ...] the line is a
    ChoiceInput: `value` is the stored value, the form's values() give stored values back."""
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    choices: Choices | None = None


class LineInput(Input):
    """A one-line field that keeps every line of a paste. Textual's Input keeps only the first
    line; here the lines are joined by a space (blank ones dropped) and the user is told.
    Control characters a paste may carry (escape sequences, tabs) are not text: dropped, a tab
    becomes a space (the rules would refuse the field, which would look blank)."""

    def _on_paste(self, event: events.Paste) -> None:
        # Input._on_paste (the base class's handler, run after this one) inserts event.text
        text = _CONTROL.sub("", event.text.replace("\t", " "))
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) == 1:
            text = lines[0]  # a line with line breaks around it: the line, as it is
        elif len(lines) > 1:
            text = " ".join(line.strip() for line in lines)
        event.text = text
        if len(lines) > 1:
            self.app.notify(t("paste_joined", getattr(self.app, "lang", "zh"), n=len(lines)),
                            markup=False)


class ChoiceInput(Input):
    """A choice from a short list, in the UI's language, on one line: ←/→ or space step
    through the choices, a letter jumps to the next choice whose value or label starts with
    it, Enter saves the form, tab moves on. Nothing else is typed into it. An Input, so the
    form treats it as any other field (a value set by a program that is no label is kept as
    typed and read by the form's rules, e.g. an English status word)."""

    BINDINGS = [Binding("right,down", "step(1)", show=False), Binding("left,up", "step(-1)", show=False),
                Binding("home", "step_to(0)", show=False), Binding("end", "step_to(-1)", show=False)]

    def __init__(self, choices: Choices, value: str = "", **kwargs) -> None:
        self.choices = list(choices)
        super().__init__(value=self.label_of(value), select_on_focus=False, **kwargs)

    def label_of(self, value: str) -> str:
        return next((label for stored, label in self.choices if stored == value), value)

    @property
    def chosen(self) -> str:
        """The stored value of the label shown; text that is no label, as it is."""
        return next((stored for stored, label in self.choices if label == self.value), self.value)

    def choose(self, value: str) -> None:
        self.value = self.label_of(value)
        self.cursor_position = len(self.value)

    def _index(self) -> int:
        values = [stored for stored, _ in self.choices]
        return values.index(self.chosen) if self.chosen in values else -1

    def action_step(self, step: int) -> None:
        index = self._index()
        start = (0 if step > 0 else -1) if index < 0 else (index + step) % len(self.choices)
        self.choose(self.choices[start][0])

    def action_step_to(self, index: int) -> None:
        self.choose(self.choices[index][0])

    async def _on_key(self, event) -> None:
        if not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        if event.character == " ":
            self.action_step(1)
            return
        typed = event.character.casefold()
        count, index = len(self.choices), self._index()
        for n in range(1, count + 1):
            stored, label = self.choices[(index + n) % count]
            if stored.casefold().startswith(typed) or label.casefold().startswith(typed):
                self.choose(stored)
                return

    def _on_paste(self, event) -> None:
        event.stop()
        event.prevent_default()
        text = event.text.strip()
        for stored, label in self.choices:
            if text.casefold() in (stored.casefold(), label.casefold()):
                self.choose(stored)

    # typing, deleting and pasting do not edit the shown label (values are set by choose)
    def insert_text_at_cursor(self, text: str) -> None:
        pass

    def replace(self, text: str, start: int, end: int):
        pass

    def delete(self, start: int, end: int):
        pass


class FormScreen(ModalScreen[None]):
    """A short form. `check(values)` returns an error message or None; on None, `save(values)`
    runs and the form closes. Errors show in the form and nothing is changed. `explain(values)`,
    if given, says below the fields what the typed text is read as (a date's full form).
    `follow(values)`, if given, returns {field: value} for fields that follow what is typed
    elsewhere (an item's date read from its words): each is set, unless the user has typed into
    it (its value is no longer the one the form last put there)."""

    # priority: handled as the key arrives, so keys typed right after tab (fast typists,
    # pasted sequences) land in the next field, not the one tab left
    BINDINGS = [Binding("escape", "cancel", "form_cancel", id="form_cancel", show=False),
                Binding("tab", "app.focus_next", "next_field", id="next_field", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", "prev_field", id="prev_field", show=False, priority=True)]
    keys_hint: str | None = None  # set on a form whose Enter does not save (go-to: `Enter 跳转`)

    def __init__(self, title: str, fields: list[Field], lang: str, check: Callable[[dict], str | None],
                 save: Callable[[dict], object], form_id: str = "form",
                 explain: Callable[[dict], str] | None = None,
                 follow: Callable[[dict], dict] | None = None) -> None:
        super().__init__(id=form_id)
        self.form_title = title
        self.fields = fields
        self.lang = lang
        self.check = check
        self.save = save
        self.explain = explain
        self.follow = follow
        self._put = {f.name: f.value for f in fields}  # what the form last put in each field

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.form_title, classes="dialog-title", markup=False)
            # the fields scroll on a short screen; what the form says and its keys stay in view
            with FieldsScroll(classes="form-fields"):
                for f in self.fields:
                    if f.choices:
                        hint = "  ←/→ " + " · ".join(label for _, label in f.choices)
                        yield Label(Text.assemble(f.label, (hint, "dim")), markup=False)
                        yield ChoiceInput(f.choices, f.value, placeholder=f.placeholder, id=f"field-{f.name}")
                    else:
                        yield Label(f.label, markup=False)
                        yield LineInput(value=f.value, placeholder=f.placeholder, id=f"field-{f.name}")
            if self.explain is not None:
                yield Static("", id="form-understood", markup=False)
            yield Static("", id="form-error", markup=False)
            yield Static(self.keys_hint or t("form_keys", self.lang), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        self._explain()

    def values(self) -> dict[str, str]:
        return {f.name: self.field_value(f.name) for f in self.fields}

    def field_value(self, name: str) -> str:
        field = self.query_one(f"#field-{name}", Input)
        return field.chosen if isinstance(field, ChoiceInput) else field.value

    def set_field(self, name: str, value: str) -> None:
        field = self.query_one(f"#field-{name}", Input)
        if isinstance(field, ChoiceInput):
            field.choose(value)
        else:
            field.value = value

    def changed(self) -> bool:
        return self.values() != {f.name: f.value for f in self.fields}

    @on(Input.Changed)
    def _explain(self, event: Input.Changed | None = None) -> None:
        if self.follow is not None and event is not None:
            values = self.values()
            for name, value in self.follow(values).items():
                if values[name] == self._put[name] and value != values[name]:
                    self._put[name] = value
                    self.set_field(name, value)
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
        """What is typed, as shown (a choice by its label), for the user to keep on quitting."""
        return "\n".join(f"{f.label}: {self.query_one(f'#field-{f.name}', Input).value}" for f in self.fields)

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

    def __init__(self, title: str, rows: list[tuple[str, ...]], columns: tuple[str, ...] = ("key", "action", "where")) -> None:
        super().__init__(id="keys")
        self.heading, self.rows, self.columns = title, rows, columns

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog keys-dialog"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            from textual.widgets import DataTable  # loaded when the list is first opened

            class KeysTable(DataTable):
                # home/end go to the first and last key, as in any list (DataTable's scroll
                # sideways, and the key column out of view)
                BINDINGS = [Binding("home", "scroll_top", show=False), Binding("end", "scroll_bottom", show=False)]

            table = KeysTable(cursor_type="row", zebra_stripes=True)
            table.add_columns(*(Text(column) for column in self.columns))
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row))
            yield table

    def action_close(self) -> None:
        self.dismiss(None)

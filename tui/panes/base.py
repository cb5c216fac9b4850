"""What every pane of the week screen shares: its keys, its add/edit/delete flows and a row
list that keeps the cursor on the same item across redraws. Panes draw a Week and turn keys
into forms and ops; each op goes up to the week screen's `edit`, the one way into the
session. They hold no rules: those are in store/."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store import ops

from ..i18n import t
from ..rowlist import RowList

if TYPE_CHECKING:
    from textual.app import App

    from weekly_zhoubao.store.models import Week
    from weekly_zhoubao.store.session import Session
    from weekly_zhoubao.store.settings import Settings

EMPTY = "__empty__"  # the key of the placeholder row of an empty pane

EDIT_BINDINGS = [
    Binding("a", "add", "add", id="add"),
    Binding("enter", "edit", "edit", id="edit"),
    Binding("d", "delete", "delete", id="delete"),
]
# Only where the order is the user's: incidents are listed by time, notes by kind and day
# (but for the week's own sections).
MOVE_KEYS = Binding.Group("move")  # one footer entry: ⇧↑⇧↓ 移动
MOVE_BINDINGS = [
    Binding("shift+up", "move(-1)", "move_up", id="move_up", group=MOVE_KEYS),
    Binding("shift+down", "move(1)", "move_down", id="move_down", group=MOVE_KEYS),
]


class WeekHost(Protocol):
    """What a pane's flows need of the screen that holds it (tui/screens/week.py)."""

    app: App
    lang: str
    settings: Settings
    session: Session
    week: Week
    today: date

    def edit(self, op: ops.Op | None, group: str | None = None) -> bool: ...
    def show_week(self) -> None: ...
    def update_status(self, message: str | None = None) -> None: ...
    def anchor(self) -> date: ...
    def week_name(self, day: date) -> str: ...
    def call_later(self, callback, *args) -> bool: ...


class Pane(RowList):
    """A pane: rows keyed by the id of what they show, and a cursor. Its keys act on the
    selected row: `add`, `edit`, `delete` and `move` below, overridden by each pane."""

    BINDINGS = EDIT_BINDINGS
    EMPTY_TEXT = "empty_pane"

    def __init__(self, name: str, lang: str, **kw) -> None:
        super().__init__(id=f"pane-{name}", classes="pane", **kw)
        self.lang = lang
        self.border_title = t(f"pane_{name}", lang)
        self.prefer: str | None = None  # the row to put the cursor on at the next redraw (a new item)

    def selected(self) -> str | None:
        key = self.row_key(self.cursor_row)
        return None if key == EMPTY else key

    @property
    def host(self) -> WeekHost:
        return self.screen

    def _ask(self, flow, *args, needs_row: bool = True) -> None:
        """Run a flow on the selected row, once the keys already typed are handled."""
        selected = self.selected()
        if needs_row and selected is None:
            self.notify(t("no_item", self.lang), markup=False)
            return
        self.call_later(self._run, flow, selected, *args)

    def _run(self, flow, *args) -> None:
        # Two keys typed fast (`a` `a`, `enter` `enter`) both reach the pane before the form
        # the first one opens is up: the second is for a screen no longer on top (a second
        # form with the same id would crash the app; a second Enter would submit the first).
        if self.app.screen is self.screen:
            flow(*args)

    def action_add(self) -> None:
        self._ask(self.add_row, needs_row=False)

    def action_edit(self) -> None:
        self._ask(self.edit_row)

    def action_delete(self) -> None:
        self._ask(self.delete_row)

    def action_move(self, step: int) -> None:
        self._ask(self.move_row, step)

    # the flows: each pane has its own `add_row(selected)` and `edit_row(selected)`
    def delete_row(self, selected: str) -> None:
        self.delete(ops.DeleteElement(self.host.week.monday, selected), ops.label(ops.find(self.host.week, selected)))

    def delete(self, op: ops.Op, what: str) -> bool:
        """A delete, and the message that names what went and how to bring it back."""
        if not self.host.edit(op):
            return False
        self.said_deleted(what)
        return True

    def said_deleted(self, what: str) -> None:
        """What went, and the key that brings it back (a toast: the status line keeps saying
        whether it is saved)."""
        undo = next(b for _, b, _, _ in self.screen.active_bindings.values() if b.action == "undo" and b.show)
        self.app.say(t("deleted_named", self.lang, what=what, k=self.app.get_key_display(undo)))

    def move_row(self, selected: str, step: int) -> None:
        self.host.edit(ops.MoveElement(self.host.week.monday, selected, step))

    def add_element(self, op: ops.AddElement) -> bool:
        self.prefer = op.element.id  # the cursor goes to the new element
        return self.host.edit(op)

    def change(self, element, fields: dict) -> bool:
        """A form's fields: the op writes only those that differ from what the form showed."""
        return self.host.edit(ops.edit_element(self.host.week.monday, element, fields))

    def fill(self, rows: list[tuple[str, list]]) -> None:
        keep, self.prefer = self.prefer or self.selected(), None
        keys = [k for k, _ in rows]
        # the same item if it is still there, else the same place (after a delete, the next one)
        cursor = keys.index(keep) if keep in keys else self.cursor_row
        if not rows:
            empty = Text(t(self.EMPTY_TEXT, self.lang), style="dim")
            rows = [(EMPTY, [empty] + [""] * (len(self.columns) - 1) if self.columns else [empty])]
        self.set_rows(rows, cursor)

    def select_key(self, key: str) -> None:
        for index, (row_key, _) in enumerate(self._rows):
            if row_key == key:
                self.move_cursor(row=index)
                return


DRAFT = "⇣ "  # before an element pulled from a member's week and not edited since (Week.drafts)


SHOWN_CHARS = 400  # of a text's first line in a row: more than a row ever shows


def first_line(text: str) -> str:
    """The first line with words, as far as a row can show it: measuring a 99,000-character
    line to cut it to the row took 0.17 s (Chinese), each time the pane was drawn."""
    return next((line.strip()[:SHOWN_CHARS] for line in text.split("\n") if line.strip()), "")

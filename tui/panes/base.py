"""What every pane of the week screen shares: its keys, the messages it posts up, and a row
list that keeps the cursor on the same item across redraws. Panes draw a Week and turn keys
into typed messages; the week screen decides what they do. They hold no rules."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from ..i18n import t
from ..rowlist import RowList

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


class Pane(RowList):
    """A pane: rows keyed by the id of what they show, and a cursor."""

    class Request(Message):
        """The user asks for something on the pane's selected row (None: nothing selected)."""

        def __init__(self, pane: Pane, selected: str | None) -> None:
            super().__init__()
            self.pane = pane
            self.selected = selected

        @property
        def control(self) -> Pane:
            return self.pane

    class Add(Request):
        pass

    class Edit(Request):
        pass

    class Delete(Request):
        pass

    class Move(Request):
        def __init__(self, pane: Pane, selected: str | None, step: int) -> None:
            super().__init__(pane, selected)
            self.step = step

    class AddChild(Request):
        pass

    class AddObjective(Request):
        pass

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

    def _ask(self, request: type[Request], *args, needs_row: bool = True) -> None:
        selected = self.selected()
        if needs_row and selected is None:
            self.notify(t("no_item", self.lang), markup=False)
            return
        self.post_message(request(self, selected, *args))

    def action_add(self) -> None:
        self._ask(self.Add, needs_row=False)

    def action_edit(self) -> None:
        self._ask(self.Edit)

    def action_delete(self) -> None:
        self._ask(self.Delete)

    def action_move(self, step: int) -> None:
        self._ask(self.Move, step)

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


def first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")

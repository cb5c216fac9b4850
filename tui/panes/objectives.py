"""Pane 3: objectives and their items as an outline, always expanded (the report prints them
all), with status, progress against last week and dates."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.models import Objective, ObjectiveItem, Week
from weekly_zhoubao.store.carry import is_overdue, progress_change

# forms and dialogs are imported where one opens: they load then, not with the first screen
from ..i18n import t
from .base import DRAFT, EDIT_BINDINGS, MOVE_BINDINGS, Pane, first_line

STATUS_GLYPH = {"planned": ("○", "dim"), "in progress": ("◐", "cyan"), "done": ("●", "green"),
                "at risk": ("▲", "yellow"), "blocked": ("■", "red")}


def progress_bar(progress: float, width: int = 5) -> str:
    filled = round(progress / 100 * width)
    return "▰" * filled + "▱" * (width - filled)


class ObjectivesPane(Pane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS, Binding("c", "add_child", "add_child", id="add_child"),
                Binding("o", "add_objective", "add_objective", id="add_objective")]
    EMPTY_TEXT = "empty_objectives"

    def __init__(self, lang: str) -> None:
        super().__init__("objectives", lang, show_header=False)
        self._last_child: tuple[str, str] | None = None  # (the sub-item `c` added last, its parent)

    def action_add_child(self) -> None:
        self._ask(self.add_child)

    def action_add_objective(self) -> None:
        self._ask(lambda _selected: self._objective_form(None), needs_row=False)

    @classmethod
    def item_label(cls, item: ObjectiveItem, last_week: Week | None, today: date) -> Text:
        words, tail = cls.item_parts(item, last_week, today)
        return words + tail

    @staticmethod
    def item_parts(item: ObjectiveItem, last_week: Week | None, today: date) -> tuple[Text, Text]:
        """The item's status and words, and what follows them (progress, change, date): on a
        narrow pane the words give way, so that the figures stay in view."""
        glyph, style = STATUS_GLYPH.get(item.status, ("○", "dim"))
        words = Text(glyph + " ", style=style)
        words.append(item.name or item.text, style="strike dim" if item.carried_done else "")
        tail = Text()
        if item.progress is not None:
            tail.append(f" {progress_bar(item.progress)} {item.progress:g}%", style="cyan")
            change = progress_change(item, last_week)
            if change:
                tail.append(f" {change:+g}", style="green" if change > 0 else "bold red")
        if item.due:
            tail.append(f" {item.due:%m/%d}", style="bold red" if is_overdue(item, today) else "dim")
        return words, tail

    def show(self, week: Week, last_week: Week | None, today: date) -> None:
        rows: list[tuple[str, list]] = []

        def add_items(items: list[ObjectiveItem], guides: str) -> None:
            for n, item in enumerate(items):
                last = n == len(items) - 1
                line = Text(guides + ("└ " if last else "├ "), style="dim")
                if item.children:
                    line.append("▼ ")
                words, tail = self.item_parts(item, last_week, today)
                if item.id in week.drafts:
                    line.append(DRAFT, style="cyan")
                line.append_text(words)
                rows.append((item.id, [line, tail]))
                add_items(item.children, guides + ("  " if last else "│ "))

        for objective in week.objectives:
            heading = Text("▼ " if objective.items else "  ")
            heading.append(objective.heading, style="bold")
            rows.append((objective.id, [heading]))
            add_items(objective.items, "")
        self.fill(rows)

    # --- the flows ------------------------------------------------------------------------

    def add_row(self, selected: str | None) -> None:
        week = self.host.week
        target = ops.find(week, selected) if selected else None
        if target is None and not week.objectives:
            self._objective_form(None)
        elif target is None:
            self._item_form(week.objectives[-1].id, None)
        elif isinstance(target, Objective):
            self._item_form(target.id, None)
        else:
            found = ops.locate(week, selected)
            self._item_form(found[1], selected)

    def add_child(self, selected: str) -> None:
        week = self.host.week
        parent_id, after = selected, None
        # `c` again on the sub-item `c` just added (still a leaf): its sibling, as in an
        # outliner, not a grandchild; `c` on any other item nests under it
        last = self._last_child
        if last and last[0] == parent_id and not getattr(ops.find(week, parent_id), "children", True):
            parent_id, after = last[1], last[0]
        parent = ops.find(week, parent_id)
        if isinstance(parent, (Objective, ObjectiveItem)):
            name = parent.heading if isinstance(parent, Objective) else first_line(parent.name or parent.text)
            self._item_form(parent_id, after, title=f"{t('add_child', self.lang)} · {name}")

    def edit_row(self, selected: str) -> None:
        from .. import dialogs
        host = self.host
        target = ops.find(host.week, selected)
        if isinstance(target, Objective):
            self._objective_form(target)
        elif target is not None:
            self.app.push_screen(dialogs.item_form(self.lang, target, host.today, host.anchor(),
                                                   lambda fields: self.change(target, fields)))

    def delete_row(self, selected: str) -> None:
        """An objective that holds items goes only when the user says so (undo restores it)."""
        from ..forms import ConfirmScreen
        objective = ops.find(self.host.week, selected)
        if not (isinstance(objective, Objective) and objective.items):
            super().delete_row(selected)
            return
        lines = [first_line(item.line) for item in objective.items[:5]]
        count = sum(1 for _ in objective.walk())
        monday = self.host.week.monday
        self.app.push_screen(ConfirmScreen(t("delete_objective", self.lang, name=objective.heading, n=count), lines,
                                           t("delete_keys", self.lang)),
                             lambda ok: ok and self.delete(ops.DeleteElement(monday, objective.id), objective.heading))

    def _objective_form(self, objective: Objective | None) -> None:
        from .. import dialogs
        host = self.host

        def save(new) -> None:
            if objective is None:
                self.add_element(ops.add_item(host.week.monday, new))
            else:
                self.change(objective, new)

        self.app.push_screen(dialogs.objective_form(self.lang, host.week, objective, save))

    def _item_form(self, parent_id: str | None, after: str | None, title: str | None = None) -> None:
        from .. import dialogs
        host = self.host

        def save(item: ObjectiveItem) -> None:
            if self.add_element(ops.add_item(host.week.monday, item, parent_id, after)) and title:
                self._last_child = (item.id, parent_id)

        self.app.push_screen(dialogs.item_form(self.lang, None, host.today, host.anchor(), save, title))

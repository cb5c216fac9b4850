"""Pane 3: objectives and their items as an outline, always expanded (the report prints them
all), with status, progress against last week and dates."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store.models import ObjectiveItem, Week
from weekly_zhoubao.store.carry import is_overdue, progress_change

from .base import EDIT_BINDINGS, MOVE_BINDINGS, Pane

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

    def action_add_child(self) -> None:
        self._ask(self.AddChild)

    def action_add_objective(self) -> None:
        self._ask(self.AddObjective, needs_row=False)

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
                line.append_text(words)
                rows.append((item.id, [line, tail]))
                add_items(item.children, guides + ("  " if last else "│ "))

        for objective in week.objectives:
            heading = Text("▼ " if objective.items else "  ")
            heading.append(objective.heading, style="bold")
            rows.append((objective.id, [heading]))
            add_items(objective.items, "")
        self.fill(rows)

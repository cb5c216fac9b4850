"""Pane 1: the week's key work, a title and the first line of its body."""

from __future__ import annotations

from rich.text import Text

from weekly_zhoubao.store.models import Week

from .base import EDIT_BINDINGS, MOVE_BINDINGS, Pane, first_line


class KeyWorkPane(Pane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS]

    def __init__(self, lang: str) -> None:
        super().__init__("key_work", lang, show_header=False)

    def on_mount(self) -> None:
        self.add_column("title", width=18)
        self.add_column("body", width=22)

    def show(self, week: Week) -> None:
        self.fill([(item.id, [Text(item.title, style="bold"), Text(first_line(item.body), style="dim")])
                   for item in week.key_work])

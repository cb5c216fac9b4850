"""Pane 4: the week's incident log, newest first; open ones stand out."""

from __future__ import annotations

from rich.text import Text

from weekly_zhoubao.store.models import Week

from ..i18n import t
from .base import Pane


class IncidentsPane(Pane):
    def __init__(self, lang: str) -> None:
        super().__init__("incidents", lang)

    def on_mount(self) -> None:
        for label, width in (("col_when", 11), ("col_grade", 2), ("col_summary", 27)):
            self.add_column(t(label, self.lang), width=width)

    def show(self, week: Week) -> None:
        rows = []
        for inc in sorted(week.incidents, key=lambda i: i.at, reverse=True):
            style = "" if inc.status == "resolved" else "yellow"
            rows.append((inc.id, [Text(f"{inc.at:%m/%d %H:%M}", style=style),
                                  Text(inc.grade or "·", style="bold red" if inc.grade in ("A", "B") else ""),
                                  Text(inc.summary)]))
        self.fill(rows)

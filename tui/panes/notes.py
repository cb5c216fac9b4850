"""Pane 5: other, reflections, next week, the week's own sections, and its daily notes."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store.models import Week

from ..i18n import t
from .base import EDIT_BINDINGS, MOVE_BINDINGS, Pane, first_line

DAILY = "daily:"  # a daily note's row key: daily:2023-10-12
SECTION = "section:"  # a week's own section's row key: section:ID


class NotesPane(Pane):
    # shift+up/down order the week's own sections (the other rows are listed by kind and day);
    # these keys are in `?`, not the footer: it is full at 120 columns
    BINDINGS = [*EDIT_BINDINGS,
                *[Binding(b.key, b.action, b.description, show=False, id=f"notes_{b.id}") for b in MOVE_BINDINGS],
                Binding("A", "screen.add_section", "add_section", id="add_section", show=False),
                Binding("R", "rename", "rename_section", id="rename_section", show=False)]

    class Rename(Pane.Request):
        """Rename the week's own section on the selected row."""

    def action_rename(self) -> None:
        self._ask(NotesPane.Rename)

    def __init__(self, lang: str) -> None:
        super().__init__("notes", lang, show_header=False)

    def on_mount(self) -> None:
        self.add_column("section", width=18)
        self.add_column("first", width=22)

    def show(self, week: Week) -> None:
        from weekly_zhoubao.exporters.markdown import daily_label

        def dim(text: str) -> Text:
            return Text(first_line(text), style="dim")

        rows = [
            ("other", [Text(f"{t('other', self.lang)} {len(week.other)}"), dim(week.other[0].text if week.other else "")]),
            ("reflections", [Text(t("reflections", self.lang)), dim(week.reflections)]),
            ("next_week", [Text(f"{t('next_week_list', self.lang)} {len(week.next_week)}"),
                           dim(week.next_week[0].text if week.next_week else "")]),
        ]
        for section in week.sections:
            rows.append((f"{SECTION}{section.id}", [Text(section.title or section.key), dim(section.body)]))
        for note in sorted(week.daily_notes, key=lambda n: n.day):
            rows.append((f"{DAILY}{note.day.isoformat()}",
                         [Text(f"{t('daily', self.lang)} {daily_label(note.day, self.lang)[5:]}"), dim(note.text)]))
        self.fill(rows)

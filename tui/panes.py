"""The panes of the week screen. They draw a Week and turn keys into requests to the app;
they hold no rules. Every user string is wrapped in `Text` (never parsed as markup)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding

from store.models import Metric, ObjectiveItem, Week
from store.rules import metric_history, progress_change

from .i18n import t
from .rowlist import RowList

SPARKS = "▁▂▃▄▅▆▇█"
STATUS_GLYPH = {"planned": ("○", "dim"), "in progress": ("◐", "cyan"), "done": ("●", "green"),
                "at risk": ("▲", "yellow"), "blocked": ("■", "red")}


def sparkline(values: list[float | None]) -> str:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    return "".join(" " if v is None else SPARKS[int((v - low) / span * (len(SPARKS) - 1))] for v in values)


def progress_bar(progress: float, width: int = 5) -> str:
    filled = round(progress / 100 * width)
    return "▰" * filled + "▱" * (width - filled)


EDIT_BINDINGS = [
    Binding("a", "pane('add')", "add", id="add"),
    Binding("enter", "pane('edit')", "edit", id="edit"),
    Binding("d", "pane('delete')", "delete", id="delete"),
]
# Only where the order is the user's: incidents are listed by time, notes by kind and day.
MOVE_KEYS = Binding.Group("move")  # one footer entry: ⇧↑⇧↓ 移动
MOVE_BINDINGS = [
    Binding("shift+up", "pane('move_up')", "move_up", id="move_up", group=MOVE_KEYS),
    Binding("shift+down", "pane('move_down')", "move_down", id="move_down", group=MOVE_KEYS),
]


class PaneMixin:
    pane: str = ""
    prefer: str | None = None  # the row to put the cursor on at the next redraw (a new item)

    def action_pane(self, what: str) -> None:
        self.app.pane_request(self.pane, what, self.selected())

    def selected(self):
        raise NotImplementedError


class RowPane(PaneMixin, RowList):
    BINDINGS = EDIT_BINDINGS

    def __init__(self, pane: str, lang: str, **kw) -> None:
        super().__init__(id=f"pane-{pane}", classes="pane", **kw)
        self.pane = pane
        self.lang = lang
        self.border_title = t(f"pane_{pane}", lang)

    def selected(self) -> str | None:
        return self.row_key(self.cursor_row)

    def fill(self, rows: list[tuple[str, list]]) -> None:
        keep, self.prefer = self.prefer or self.selected(), None
        keys = [k for k, _ in rows]
        # the same item if it is still there, else the same place (after a delete, the next one)
        cursor = keys.index(keep) if keep in keys else self.cursor_row
        if not rows:
            rows = [("__empty__", [Text(t("empty_pane", self.lang), style="dim")] + [""] * (len(self.columns) - 1))]
        self.set_rows(rows, cursor)

    def select_key(self, key: str) -> None:
        for index, (row_key, _) in enumerate(self._rows):
            if row_key == key:
                self.move_cursor(row=index)
                return


class KeyWorkPane(RowPane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS]

    def on_mount(self) -> None:
        self.add_column("title", width=18)
        self.add_column("body", width=22)
        self.show_header = False

    def show(self, week: Week) -> None:
        rows = []
        for item in week.key_work:
            first = next((line.strip() for line in item.body.split("\n") if line.strip()), "")
            rows.append((item.id, [Text(item.title, style="bold"), Text(first, style="dim")]))
        self.fill(rows)


class MetricsPane(RowPane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS]

    def on_mount(self) -> None:
        self.cell_padding = 0  # widths below carry their own gap: 12 weeks of trend must fit
        for label, width in (("指标" if self.lang == "zh" else "metric", 15), ("值" if self.lang == "zh" else "value", 11),
                             ("Δ", 7), ("趋势" if self.lang == "zh" else "trend", 13)):
            self.add_column(label, width=width)

    def show(self, week: Week, trends: list[list[Metric]], derived: tuple[int, int]) -> None:
        """`trends`: the metrics of the weeks before this one, oldest first."""
        last = trends[-1] if trends else None
        rows = []
        for m in week.metrics:
            if m.kind == "incident_counts":
                shown = week.stated_incident_counts or derived
                style = "yellow" if week.stated_incident_counts and week.stated_incident_counts != derived else ""
                mark = " ⚠" if style else ""
                log = Text(f"log AB{derived[0]} CD{derived[1]}" if mark else "", style="dim")
                rows.append((m.id, [Text(m.name), Text(f"AB{shown[0]} CD{shown[1]}{mark}", style=style),
                                    Text(""), log]))
                continue
            value = "" if m.value is None else (f"{m.value}%" if m.kind == "percent" else f"{m.value}{m.unit}")
            met = m.met()
            style = "green" if met else "bold red" if met is False else ""
            value_cell = Text(value or "—", style=style or ("dim" if not value else ""))
            if met is not None:
                value_cell.append(" ✓" if met else " ✗", style=style)
            before = metric_history([last], m)[0] if last else None
            now = m.number()
            delta = Text("")
            if before is not None and now is not None:
                diff = now - before
                good = diff >= 0 if m.higher_is_better else diff <= 0
                delta = Text(f"{diff:+.3g}", style="green" if good else "red")
            trend = sparkline(metric_history([*trends[-11:], week.metrics], m))
            rows.append((m.id, [Text(m.name), value_cell, delta, Text(trend, style="cyan")]))
        self.fill(rows)


class IncidentsPane(RowPane):
    def on_mount(self) -> None:
        for label, width in (("时间" if self.lang == "zh" else "when", 11), ("级" if self.lang == "zh" else "gr", 2),
                             ("摘要" if self.lang == "zh" else "summary", 27)):
            self.add_column(label, width=width)

    def show(self, week: Week) -> None:
        rows = []
        for inc in sorted(week.incidents, key=lambda i: i.at, reverse=True):  # newest first
            style = "" if inc.status == "resolved" else "yellow"
            rows.append((inc.id, [Text(f"{inc.at:%m/%d %H:%M}", style=style),
                                  Text(inc.grade or "·", style="bold red" if inc.grade in ("A", "B") else ""),
                                  Text(inc.summary)]))
        self.fill(rows)


class NotesPane(RowPane):
    def on_mount(self) -> None:
        self.add_column("section", width=18)
        self.add_column("first", width=22)
        self.show_header = False

    def show(self, week: Week) -> None:
        from exporters.markdown import daily_label

        def first_line(text: str) -> Text:
            return Text(next((x.strip() for x in text.split("\n") if x.strip()), ""), style="dim")

        rows = [
            ("other", [Text(f"{t('other', self.lang)} {len(week.other)}"),
                       first_line(week.other[0].text if week.other else "")]),
            ("reflections", [Text(t("reflections", self.lang)), first_line(week.reflections)]),
            ("next_week", [Text(f"{t('next_week_list', self.lang)} {len(week.next_week)}"),
                           first_line(week.next_week[0].text if week.next_week else "")]),
        ]
        for note in sorted(week.daily_notes, key=lambda n: n.day):
            rows.append((f"daily:{note.day.isoformat()}",
                         [Text(f"{t('daily', self.lang)} {daily_label(note.day, self.lang)[5:]}"),
                          first_line(note.text)]))
        self.fill(rows)


class ObjectivesPane(PaneMixin, RowList):
    """Objectives and their items as an outline, always expanded: the report prints them all."""

    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS, Binding("c", "pane('add_child')", "add_child", id="add_child"),
                Binding("o", "pane('add_objective')", "add_objective", id="add_objective")]

    def __init__(self, lang: str) -> None:
        super().__init__(show_header=False, id="pane-objectives", classes="pane")
        self.pane = "objectives"
        self.lang = lang
        self.border_title = t("pane_objectives", lang)

    def selected(self) -> str | None:
        key = self.row_key(self.cursor_row)
        return None if key == "__empty__" else key

    def select_key(self, key: str) -> None:
        for index, (row_key, _) in enumerate(self._rows):
            if row_key == key:
                self.move_cursor(row=index)
                return

    def item_label(self, item: ObjectiveItem, last_week: Week | None, today: date) -> Text:
        glyph, style = STATUS_GLYPH.get(item.status, ("○", "dim"))
        label = Text(glyph + " ", style=style)
        label.append(item.name or item.text, style="strike dim" if item.carried_done else "")
        if item.progress is not None:
            label.append(f" {progress_bar(item.progress)} {item.progress:g}%", style="cyan")
            change = progress_change(item, last_week)
            if change:
                label.append(f" {change:+g}", style="green" if change > 0 else "bold red")
        if item.due:
            overdue = item.due < today and item.status != "done"
            label.append(f" {item.due:%m/%d}", style="bold red" if overdue else "dim")
        return label

    def show(self, week: Week, last_week: Week | None, today: date) -> None:
        keep, self.prefer = self.prefer or self.selected(), None
        rows: list[tuple[str, list]] = []

        def add_items(items: list[ObjectiveItem], guides: str) -> None:
            for n, item in enumerate(items):
                last = n == len(items) - 1
                line = Text(guides + ("└ " if last else "├ "), style="dim")
                if item.children:
                    line.append("▼ ")
                line.append_text(self.item_label(item, last_week, today))
                rows.append((item.id, [line]))
                add_items(item.children, guides + ("  " if last else "│ "))

        for objective in week.objectives:
            heading = Text("▼ " if objective.items else "  ")
            heading.append(objective.heading, style="bold")
            rows.append((objective.id, [heading]))
            add_items(objective.items, "")
        if not rows:
            rows.append(("__empty__", [Text(t("empty_pane", self.lang).replace(" a ", " o "), style="dim")]))
        keys = [key for key, _ in rows]
        self.set_rows(rows, keys.index(keep) if keep in keys else self.cursor_row)

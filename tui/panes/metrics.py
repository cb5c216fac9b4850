"""Pane 2: the metrics in their groups, as the report prints them: each group's heading on a
row of its own above its readings, a reading on the previous one's line marked ↳, each value
against its target and last week, and its trend. The derived incident-count line shows the
stated figures beside the log's when they differ; once deleted, a row offers it back."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store.models import Metric, Week
from weekly_zhoubao.store.counts import has_counts_line, reported_counts
from weekly_zhoubao.store.metric_lines import improved, metric_history, metric_runs

from ..i18n import t
from .base import EDIT_BINDINGS, MOVE_BINDINGS, Pane

SPARKS = "▁▂▃▄▅▆▇█"
TREND_SHOWN = 12  # weeks in the trend column, this one included
GROUP = "group:"  # a group's row: GROUP + the id of its first reading
COUNTS_MISSING = "counts:missing"  # the row that offers the deleted count line back
NAME_GROWS = 14  # cells the name column gains in a wider pane (a 20-character name whole)


def sparkline(values: list[float | None]) -> str:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    return "".join(" " if v is None else SPARKS[int((v - low) / span * (len(SPARKS) - 1))] for v in values)


class MetricsPane(Pane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS,
                # not in the footer (it would push ^z out at 120 columns): on the pane's border
                Binding("A", "add_group", "add_group", id="add_group", show=False)]

    class AddGroup(Pane.Request):
        """A new group (with its first reading), after the selected row's group."""

    class MoveMetric(Pane.Request):
        """A reading moves inside its group; a group's row moves the group with its readings."""

        def __init__(self, pane: Pane, selected: str | None, step: int) -> None:
            super().__init__(pane, selected)
            self.step = step

    class DeleteMetric(Pane.Request):
        """A reading goes (the readings joined onto its line keep a line); a group's row: the
        group and its readings go."""

    def __init__(self, lang: str) -> None:
        super().__init__("metrics", lang)
        self.border_subtitle = t("add_group_hint", lang)

    def on_mount(self) -> None:
        self.cell_padding = 0  # widths below carry their own gap: 12 weeks of trend must fit
        for label, width in (("col_metric", 16), ("col_value", 11), ("Δ", 7), ("col_trend", 12)):
            self.add_column(t(label, self.lang), width=width)

    def _widths(self) -> list[int]:
        """A wider pane (alone on a small screen) shows long names whole first; the trend, the
        last column, takes what is left."""
        widths = super()._widths()
        grow = min(self._stretch, NAME_GROWS)
        widths[0] += grow
        widths[-1] -= grow
        return widths

    def action_add_group(self) -> None:
        self._ask(self.AddGroup, needs_row=False)

    def action_move(self, step: int) -> None:
        self._ask(self.MoveMetric, step)

    def action_delete(self) -> None:
        selected = self.selected()
        if selected == COUNTS_MISSING:
            self.notify(t("no_item", self.lang), markup=False)
        else:
            self._ask(self.DeleteMetric)

    def show(self, week: Week, trends: list[list[Metric]], derived: tuple[int, int], mismatch) -> None:
        """`trends`: the metrics of the weeks before this one, oldest first. `mismatch`: the
        stated incident counts and the log's, when they differ."""
        last = trends[-1] if trends else None
        rows = []
        for group, start, end in metric_runs(week.metrics):
            heading = Text(f"{group}{'：' if self.lang == 'zh' else ':'}", style="bold") if group \
                else Text(t("no_group", self.lang), style="dim bold")
            rows.append((f"{GROUP}{week.metrics[start].id}", [heading, Text(""), Text(""), Text("")]))
            for index in range(start, end):
                m = week.metrics[index]
                name = Text(("↳" if m.joined_by is not None and index > start else " ") + m.name)
                if m.kind == "incident_counts":
                    rows.append((m.id, self._counts_row(name, week, derived, mismatch)))
                    continue
                rows.append((m.id, self._reading_row(name, m, week, trends, last)))
        if not has_counts_line(week):  # deleted (here or in a week carried from): offered back
            rows.append((COUNTS_MISSING, [Text(" " + t("counts_name", self.lang), style="dim"), Text("—", style="dim"),
                                          Text(""), Text(t("counts_add_back", self.lang), style="dim")]))
        self.fill(rows)

    @staticmethod
    def _reading_row(name: Text, m: Metric, week: Week, trends: list[list[Metric]], last) -> list:
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
            delta = Text(f"{now - before:+.3g}", style="green" if improved(m, now - before) else "red")
        trend = sparkline(metric_history([*trends[-(TREND_SHOWN - 1):], week.metrics], m))
        return [name, value_cell, delta, Text(trend, style="cyan")]

    def _counts_row(self, name: Text, week: Week, derived: tuple[int, int], mismatch) -> list:
        differs = mismatch is not None
        shown = reported_counts(week, derived)
        style = "yellow" if differs else ""
        log = Text(t("counts_log", self.lang, a=derived[0], c=derived[1]) if differs else "", style="dim")
        return [name, Text(f"AB{shown[0]} CD{shown[1]}{' ⚠' if differs else ''}", style=style), Text(""), log]

"""Pane 2: each metric's value against its target and last week, and its trend."""

from __future__ import annotations

from rich.text import Text

from store.models import Metric, Week
from store.rules import improved, metric_history, reported_counts

from ..i18n import t
from .base import EDIT_BINDINGS, MOVE_BINDINGS, Pane

SPARKS = "▁▂▃▄▅▆▇█"
TREND_SHOWN = 12  # weeks in the trend column, this one included


def sparkline(values: list[float | None]) -> str:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    return "".join(" " if v is None else SPARKS[int((v - low) / span * (len(SPARKS) - 1))] for v in values)


class MetricsPane(Pane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS]

    def __init__(self, lang: str) -> None:
        super().__init__("metrics", lang)

    def on_mount(self) -> None:
        self.cell_padding = 0  # widths below carry their own gap: 12 weeks of trend must fit
        for label, width in (("col_metric", 15), ("col_value", 11), ("Δ", 7), ("col_trend", 13)):
            self.add_column(t(label, self.lang), width=width)

    def show(self, week: Week, trends: list[list[Metric]], derived: tuple[int, int], mismatch) -> None:
        """`trends`: the metrics of the weeks before this one, oldest first. `mismatch`: the
        stated incident counts and the log's, when they differ."""
        last = trends[-1] if trends else None
        rows = []
        for m in week.metrics:
            if m.kind == "incident_counts":
                rows.append((m.id, self._counts_row(m, week, derived, mismatch)))
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
                delta = Text(f"{now - before:+.3g}", style="green" if improved(m, now - before) else "red")
            trend = sparkline(metric_history([*trends[-(TREND_SHOWN - 1):], week.metrics], m))
            rows.append((m.id, [Text(m.name), value_cell, delta, Text(trend, style="cyan")]))
        self.fill(rows)

    @staticmethod
    def _counts_row(m: Metric, week: Week, derived: tuple[int, int], mismatch) -> list:
        differs = mismatch is not None
        shown = reported_counts(week, derived)
        style = "yellow" if differs else ""
        log = Text(f"log AB{derived[0]} CD{derived[1]}" if differs else "", style="dim")
        return [Text(m.name), Text(f"AB{shown[0]} CD{shown[1]}{' ⚠' if differs else ''}", style=style), Text(""), log]

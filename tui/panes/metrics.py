"""Pane 2: the metrics in their groups, as the report prints them: each group's heading on a
row of its own above its readings, a reading on the previous one's line marked ↳, each value
against its target and last week, and its trend. The derived incident-count line shows the
stated figures beside the log's when they differ; once deleted, a row offers it back.
A group is the run of readings printed under one heading (store/metric_lines.py metric_runs), so
every change here keeps each group in one piece."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store import counts, metric_lines, ops
from weekly_zhoubao.store.models import Metric, Week
from weekly_zhoubao.store.counts import has_counts_line, reported_counts
from weekly_zhoubao.store.metric_lines import improved, metric_history, metric_runs

# forms and dialogs are imported where one opens: they load then, not with the first screen
from ..i18n import t
from .base import EDIT_BINDINGS, MOVE_BINDINGS, Pane

SPARKS = "▁▂▃▄▅▆▇█"
TREND_SHOWN = 12  # weeks in the trend column, this one included
GROUP = "group:"  # a group's row: GROUP + the id of its first reading
COUNTS_MISSING = "counts:missing"  # the row that offers the deleted count line back


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

    def __init__(self, lang: str) -> None:
        super().__init__("metrics", lang)
        self.border_subtitle = t("add_group_hint", lang)

    def on_mount(self) -> None:
        self.cell_padding = 0  # widths below carry their own gap: 12 weeks of trend must fit
        for label, width in (("col_metric", 16), ("col_value", 11), ("Δ", 7), ("col_trend", 12)):
            self.add_column(t(label, self.lang), width=width)

    def action_add_group(self) -> None:
        self._ask(self.add_group, needs_row=False)

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
                # a trailing space: the gap before the value when the name column fits its longest
                name = Text(("↳" if m.joined_by is not None and index > start else " ") + m.name + " ")
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

    # --- the flows ------------------------------------------------------------------------

    def add_row(self, selected: str | None) -> None:
        from .. import dialogs
        metrics = self.host.week.metrics
        run = metric_lines.run_of(metrics, selected.removeprefix(GROUP)) if selected else None
        if run is None:  # nothing to add to (an empty pane, the count line's offer): a group comes first
            self.add_group(selected)
            return
        group, start, end = run
        # on a group's row: at the group's end; on a reading: after its line
        after = metrics[end - 1].id if selected.startswith(GROUP) else metric_lines.insert_after(metrics, selected)
        week = self.host.week
        self.app.push_screen(dialogs.metric_form(self.lang, None, group, lambda metric: self.add_element(
            ops.AddElement(week.monday, "metrics", metric, after_id=after)), week))

    def add_group(self, selected: str | None) -> None:
        """A new group (with its first reading), after the selected row's group (at the end
        when none)."""
        from .. import dialogs
        week = self.host.week
        metrics = week.metrics
        run = metric_lines.run_of(metrics, (selected or "").removeprefix(GROUP))
        after = metrics[run[2] - 1].id if run else (metrics[-1].id if metrics else None)

        def save(metric: Metric) -> None:
            self.prefer = f"{GROUP}{metric.id}"  # the cursor goes to the new group's row
            self.host.edit(ops.AddElement(week.monday, "metrics", metric, after_id=after))

        self.app.push_screen(dialogs.new_group_form(self.lang, week, save))

    def _add_counts_line(self) -> None:
        group, after = counts.counts_line_place(self.host.week.metrics)
        line = Metric(group=group, name=counts.COUNTS_NAME, kind="incident_counts")
        if self.add_element(ops.AddElement(self.host.week.monday, "metrics", line, after_id=after)):
            self.host.update_status(t("counts_added", self.lang))

    def edit_row(self, selected: str) -> None:
        from .. import dialogs
        week = self.host.week
        if selected == COUNTS_MISSING:
            self._add_counts_line()
            return
        if selected.startswith(GROUP):
            self._rename_group(selected.removeprefix(GROUP))
            return
        metric = ops.find(week, selected)
        if metric is None:
            return
        if metric.kind == "incident_counts":
            self._counts_form()
            return
        group, start, _ = metric_lines.run_of(week.metrics, metric.id)
        joinable = week.metrics[start].id != metric.id
        self.app.push_screen(dialogs.metric_form(self.lang, metric, group, lambda fields: self.change(metric, fields),
                                                 week, joinable))

    def _counts_form(self) -> None:
        """The counts the report states, apart from the log's; blank falls back to the log's."""
        from .. import dialogs
        host = self.host
        derived = host.session.derived
        shown = counts.reported_counts(host.week, derived)

        def save(stated) -> None:  # a week-level field: one op, one undo step
            host.edit(ops.from_change(host.week, lambda week: setattr(week, "stated_incident_counts", stated)))

        self.app.push_screen(dialogs.counts_form(self.lang, shown, derived, save))

    def _rename_group(self, first_id: str) -> None:
        from .. import dialogs
        week = self.host.week
        run = metric_lines.run_of(week.metrics, first_id)
        if run is None:
            return
        group, start, end = run
        readings = week.metrics[start:end]

        def save(name: str) -> None:
            if name != group:
                self.host.edit(ops.Batch(tuple(ops.SetFields(week.monday, m.id, {"group": (group, name)})
                                               for m in readings)))

        self.app.push_screen(dialogs.group_form(self.lang, week, group, save))

    def move_row(self, selected: str, step: int) -> None:
        """A reading stays in its group; a group's row moves the group, its readings with it."""
        if selected == COUNTS_MISSING:
            return
        week = self.host.week
        if selected.startswith(GROUP):
            steps = metric_lines.group_moves(week.metrics, selected.removeprefix(GROUP), step)
        else:
            steps = metric_lines.reading_moves(week.metrics, selected, step)
        if steps:
            self.prefer = selected
            self.host.edit(ops.Batch(tuple(ops.MoveElement(week.monday, id_, step) for id_, step in steps)))

    def delete_row(self, selected: str) -> None:
        """A reading goes (the readings joined onto its line keep a line); a group's row: the
        group and its readings go, when the user says so."""
        from .. import dialogs
        from ..forms import ConfirmScreen
        if selected == COUNTS_MISSING:
            self.notify(t("no_item", self.lang), markup=False)
            return
        week = self.host.week
        monday = week.monday
        if not selected.startswith(GROUP):
            after = metric_lines.joined_after(week.metrics, selected)
            self.delete(ops.Batch((ops.DeleteElement(monday, selected),
                                   *(ops.SetFields(monday, m.id, {"joined_by": (m.joined_by, None)}) for m in after))),
                        ops.label(ops.find(week, selected)))
            return
        run = metric_lines.run_of(week.metrics, selected.removeprefix(GROUP))
        if run is None:
            return
        group, start, end = run
        readings = week.metrics[start:end]
        delete = ops.Batch(tuple(ops.DeleteElement(monday, m.id) for m in readings))
        self.app.push_screen(ConfirmScreen(t("delete_group", self.lang, g=dialogs.group_label(group, self.lang),
                                             n=len(readings)), [m.name for m in readings],
                                           t("delete_keys", self.lang)),
                             lambda ok: ok and self.delete(delete, dialogs.group_label(group, self.lang)))

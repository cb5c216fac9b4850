"""Metric groups: runs of readings under one heading, readings joined on one line, moves. No I/O and no UI here."""

from __future__ import annotations


from .messages import say
from .models import Metric, Week


class UnknownMetric(ValueError):
    """A reading for a name the week does not define, and no group to define it in."""


DEFAULT_JOINER = " ，"  # between two readings on one line, as the sample writes it


def metric_runs(metrics: list[Metric]) -> list[tuple[str, int, int]]:
    """The report's groups: (group, start, end) of each run of consecutive readings of one
    group, as exporters/markdown prints one heading above each run."""
    runs: list[tuple[str, int, int]] = []
    for index, m in enumerate(metrics):
        if runs and runs[-1][0] == m.group:
            runs[-1] = (m.group, runs[-1][1], index + 1)
        else:
            runs.append((m.group, index, index + 1))
    return runs


def run_of(metrics: list[Metric], metric_id: str) -> tuple[str, int, int] | None:
    """The run holding the reading `metric_id`."""
    index = next((i for i, m in enumerate(metrics) if m.id == metric_id), None)
    if index is None:
        return None
    return next(run for run in metric_runs(metrics) if run[1] <= index < run[2])


def _line_end(metrics: list[Metric], index: int, end: int) -> int:
    """The end of the report line that starts at `index`: the readings joined onto it follow."""
    index += 1
    while index < end and metrics[index].joined_by is not None:
        index += 1
    return index


def insert_after(metrics: list[Metric], selected: str | None) -> str | None:
    """The reading a new one follows when added on the row `selected` (a reading): after
    that reading's whole line, so that no joined reading changes lines. None: at the end."""
    run = run_of(metrics, selected) if selected else None
    if run is None:
        return metrics[-1].id if metrics else None
    index = next(i for i, m in enumerate(metrics) if m.id == selected)
    return metrics[_line_end(metrics, index, run[2]) - 1].id


def joined_after(metrics: list[Metric], metric_id: str) -> list[Metric]:
    """The first reading joined onto the line `metric_id` starts: it starts that line when
    `metric_id` goes (the others stay joined to it). Empty for a joined reading or a lone one."""
    run = run_of(metrics, metric_id)
    if run is None:
        return []
    index = next(i for i, m in enumerate(metrics) if m.id == metric_id)
    if metrics[index].joined_by is not None and index > run[1]:
        return []
    return [metrics[index + 1]] if _line_end(metrics, index, run[2]) > index + 1 else []


def group_names(metrics: list[Metric]) -> list[str]:
    return list(dict.fromkeys(m.group for m in metrics))


def _block_moves(ids: list[str], start: int, end: int, other_start: int, other_end: int) -> list[tuple[str, int]]:
    """Swap the block [start, end) with the adjacent block [other_start, other_end) by steps
    of one place (MoveElement's), in an order that keeps each block's own order."""
    span = other_end - other_start
    if other_end == start:  # up: the first reading first
        return [(ids[i], -1) for i in range(start, end) for _ in range(span)]
    return [(ids[i], 1) for i in reversed(range(start, end)) for _ in range(span)]


def reading_moves(metrics: list[Metric], metric_id: str, step: int) -> list[tuple[str, int]]:
    """Move a reading one line up or down inside its group (never out of it): a line moves
    with the readings joined onto it; a joined reading moves among those of its line. Steps
    of one place, (id, ±1); empty at the group's edge."""
    run = run_of(metrics, metric_id)
    if run is None:
        return []
    _, start, end = run
    ids = [m.id for m in metrics]
    index = ids.index(metric_id)
    if metrics[index].joined_by is not None and index > start:  # within its line
        target = index + step
        if start < target < end and metrics[target].joined_by is not None:
            return [(metric_id, step)]
        return []
    line_end = _line_end(metrics, index, end)
    if step < 0:
        if index == start:
            return []
        above = index - 1
        while above > start and metrics[above].joined_by is not None:
            above -= 1
        return _block_moves(ids, index, line_end, above, index)
    if line_end >= end:
        return []
    return _block_moves(ids, index, line_end, line_end, _line_end(metrics, line_end, end))


def group_moves(metrics: list[Metric], metric_id: str, step: int) -> list[tuple[str, int]]:
    """Move the group holding `metric_id`, its readings with it, past the group above (-1)
    or below (+1); empty at either end."""
    ids = [m.id for m in metrics]
    if metric_id not in ids:
        return []
    index = ids.index(metric_id)
    runs = metric_runs(metrics)
    here = next(n for n, run in enumerate(runs) if run[1] <= index < run[2])
    if not 0 <= here + step < len(runs):
        return []
    _, start, end = runs[here]
    _, other_start, other_end = runs[here + step]
    return _block_moves(ids, start, end, other_start, other_end)


def improved(metric: Metric, change: float) -> bool:
    """Whether a change of the metric's value is for the better (no change counts as good)."""
    return change >= 0 if metric.higher_is_better else change <= 0


def metric_history(readings: list[list[Metric]], metric: Metric) -> list[float | None]:
    """The metric's values over the given weeks' metrics (oldest first), matched by id, then
    by name."""
    out: list[float | None] = []
    for metrics in readings:
        m = next((x for x in metrics if x.id == metric.id), None) or next(
            (x for x in metrics if x.name == metric.name and x.group == metric.group), None)
        out.append(m.number() if m else None)
    return out


def set_metric(week: Week, name: str, raw: str, group: str | None = None, kind: str = "percent",
               target: float | None = None, higher_is_better: bool | None = None) -> Metric:
    """Record a reading by the metric's name; a new name needs a group to define it.
    `target` and `higher_is_better`, when given, set the metric's."""
    metric = next((m for m in week.metrics if m.name == name), None)
    if metric is None:
        if group is None:
            known = ", ".join(m.name for m in week.metrics if m.kind != "incident_counts") or say("none_yet")
            raise UnknownMetric(say("unknown_metric", name=name, known=known))
        metric = Metric(name=name, group=group, kind=kind)
        # at the end of its group when the week has it: one heading per group in the report
        runs = [run for run in metric_runs(week.metrics) if run[0] == group]
        week.metrics.insert(runs[-1][2] if runs else len(week.metrics), metric)
    value = metric.check_value(raw)
    metric.value = value
    if target is not None:
        metric.target = target
    if higher_is_better is not None:
        metric.higher_is_better = higher_is_better
    return metric

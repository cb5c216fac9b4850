"""Business rules of a week: numbering, report dates, times as people type them, derived
incident counts, structured fields read from the user's words, carry-over, the
pre-export check. No I/O and no UI here."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Iterable, Literal

from .models import MAX_YEAR, MIN_YEAR, Incident, Metric, ObjectiveItem, Week, check_day, monday_of

Numbering = Literal["jan1", "iso"]


# --- week identity -------------------------------------------------------------------

def report_date(week: Week, report_day: int = 4) -> date:
    return week.report_date or week.monday + timedelta(days=report_day)


def week_number(day: date, numbering: Numbering = "jan1") -> int:
    """The number of the week holding `day`. jan1: the week holding 1 January is week 1."""
    if numbering == "iso":
        return day.isocalendar().week
    monday = monday_of(day)
    if monday == monday_of(date(day.year + 1, 1, 1)):
        return 1
    return (monday - monday_of(date(day.year, 1, 1))).days // 7 + 1


def number_of(week: Week, numbering: Numbering = "jan1", report_day: int = 4) -> int:
    return week.stated_number or week_number(report_date(week, report_day), numbering)


def title(week: Week, lang: str = "zh", numbering: Numbering = "jan1", report_day: int = 4) -> str:
    n = number_of(week, numbering, report_day)
    day = report_date(week, report_day)
    if lang == "en":
        return f"Week {n} · {day:%Y-%m-%d}"
    return f"第{n}周 {day:%Y/%m/%d}"


# --- dates and times as people type them ----------------------------------------------

def nearest_year(month: int, day: int, anchor: date) -> date:
    """A `10/9` without a year is the date of that name closest to the week it is written in."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if not MIN_YEAR <= year <= MAX_YEAR:
            continue
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"{month}/{day} is not a date")
    return min(candidates, key=lambda d: abs((d - anchor).days))


_TIME_FORMS = [
    re.compile(r"^(?P<h>\d{1,2}):(?P<mi>\d{2})$"),
    re.compile(r"^(?P<mo>\d{1,2})/(?P<d>\d{1,2})\s+(?P<h>\d{1,2}):(?P<mi>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})$"),
]


def parse_when(text: str, now: datetime) -> datetime:
    """`15:37` (today), `10/9 15:37` (nearest such date), `2023-10-09 15:37`."""
    raw = text.strip()
    for form in _TIME_FORMS:
        m = form.match(raw)
        if not m:
            continue
        parts = m.groupdict()
        hour, minute = int(parts.get("h") or 0), int(parts.get("mi") or 0)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError(f"'{raw}' is not a time of day (hours 0–23, minutes 0–59)")
        try:
            if parts.get("y"):
                day = date(int(parts["y"]), int(parts["mo"]), int(parts["d"]))
            elif parts.get("mo"):
                day = nearest_year(int(parts["mo"]), int(parts["d"]), now.date())
            else:
                day = now.date()
        except ValueError:
            raise ValueError(f"'{raw}' is not a date that exists") from None
        check_day(day)
        return datetime(day.year, day.month, day.day, hour, minute)
    raise ValueError(f"'{raw}' is not a time: write 15:37, 10/9 15:37 or 2023-10-09 15:37")


def parse_day(text: str) -> date:
    raw = text.strip()
    try:
        day = date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        raise ValueError(f"'{raw}' is not a date: write it as 2023-10-13") from None
    return check_day(day)  # a week, its neighbours and its report day must all exist


# --- incident counts --------------------------------------------------------------------

def counts(incidents: Iterable[Incident]) -> tuple[int, int]:
    ab = cd = 0
    for inc in incidents:
        if inc.grade in ("A", "B"):
            ab += 1
        elif inc.grade in ("C", "D"):
            cd += 1
    return ab, cd


def year_to_date_counts(week: Week, earlier: Iterable[Incident], report_day: int = 4) -> tuple[int, int]:
    """Counts by grade from 1 January of the report day's year to the report day, inclusive:
    `earlier` holds the incidents of the weeks before this one (any year; others are left out)."""
    end = report_date(week, report_day)
    start = date(end.year, 1, 1)
    return counts(i for i in (*earlier, *week.incidents) if start <= i.at.date() <= end)


def user_graded(week: Week) -> tuple[int, int] | None:
    """Once the user grades an incident, the log speaks: stated counts give way to the
    derived ones. Returns the stated counts it dropped (an undo puts them back)."""
    stated = week.stated_incident_counts
    if stated is not None and any(i.grade for i in week.incidents):
        week.stated_incident_counts = None
        return stated
    return None


def reported_counts(week: Week, derived: tuple[int, int]) -> tuple[int, int]:
    """What the report prints: an imported report keeps figures its log does not support."""
    return week.stated_incident_counts or derived


def count_mismatch(week: Week, derived: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(stated, derived) when the report states incident counts its log does not support
    (SPEC §1.1), else None: the one place this is decided (the session, the pre-export check)."""
    stated = week.stated_incident_counts
    if stated is not None and tuple(stated) != tuple(derived):
        return tuple(stated), tuple(derived)
    return None


COUNTS_NAME = "事故数"  # the derived line's name as the sample prints it (`事故数AB级0次，CD级1次`)
COUNTS_GROUP = "系统可用性"  # where a store's first week holds it (store/db.first_week)


def has_counts_line(week: Week) -> bool:
    return any(m.kind == "incident_counts" for m in week.metrics)


def counts_line_place(metrics: list[Metric]) -> tuple[str, str | None]:
    """Where the derived count line goes back: (its group, the reading it follows). Under
    系统可用性 when the week has that group, else as a group of its own at the end."""
    runs = metric_runs(metrics)
    for group, start, end in runs:
        if group == COUNTS_GROUP:
            return group, metrics[end - 1].id
    return COUNTS_GROUP, metrics[-1].id if metrics else None


# --- metric groups: runs of readings under one heading ---------------------------------

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


# --- structured fields in the user's words --------------------------------------------

_PROGRESS = re.compile(r"(?:进度|完成占比|完成度|完成率)?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]")
_DUE = re.compile(
    r"(?:(?P<y>\d{4})[/-])?(?P<m>\d{1,2})/(?P<d>\d{1,2})\s*(?=上线|提测|完成|发布|交付|启动|前)"
    r"|(?:预计|计划|目标)\s*(?:(?P<y2>\d{4})[/-])?(?P<m2>\d{1,2})/(?P<d2>\d{1,2})"
)
_DONE_WORDS = re.compile(r"上线完成|已上线|已完成|完成上线")


def read_progress(text: str) -> float | None:
    found = [float(m.group(1)) for m in _PROGRESS.finditer(text) if "进度" in m.group(0)
             or "完成" in m.group(0)] or [float(m.group(1)) for m in _PROGRESS.finditer(text)]
    value = found[-1] if found else None
    return value if value is not None and 0 <= value <= 100 else None


def write_progress(text: str, progress: float | None) -> str:
    """Put a new progress figure into the user's words, where the old one stood."""
    if progress is None:
        return text
    figure = f"{progress:g}%"
    matches = list(_PROGRESS.finditer(text))
    if matches:
        m = matches[-1]
        percent_sign = text[m.end() - 1]  # keep the user's % or ％
        return text[: m.start(1)] + f"{progress:g}{percent_sign}" + text[m.end():]
    sep = "，" if text and not text.endswith(("，", "。", "；")) else ""
    return f"{text}{sep}进度{figure}"


def read_due(text: str, anchor: date) -> date | None:
    for m in _DUE.finditer(text):
        year, month, day = (m.group("y"), m.group("m"), m.group("d")) if m.group("m") else (
            m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            return check_day(date(int(year), int(month), int(day)) if year else nearest_year(
                int(month), int(day), anchor))
        except ValueError:
            continue
    return None


def read_status(text: str, progress: float | None) -> str:
    # "预计10/26上线完成" is a plan, not a fact: only a clause without 预计/计划 says done; and a
    # progress short of 100 says it is not done ("已完成207台…，完成占比70%").
    clauses = re.split(r"[，,。；;]", text)
    if progress == 100 or (progress is None and any(
            _DONE_WORDS.search(c) and not re.search("预计|计划|目标", c) for c in clauses)):
        return "done"
    if progress or "推进中" in text or "进行中" in text:
        return "in progress"
    return "planned"


def enrich_item(item: ObjectiveItem, anchor: date) -> ObjectiveItem:
    """Fill progress, due date and status from the item's own words."""
    words = item.line
    item.progress = read_progress(words)
    item.due = read_due(words, anchor)
    item.status = read_status(words, item.progress)
    for child in item.children:
        enrich_item(child, anchor)
    return item


_GRADE = re.compile(r"([A-D])级(?:事故|事件|故障)")
_DURATION = re.compile(r"持续\s*(\d+)\s*(mins?|分钟|min|m|小时|h|hours?)", re.I)
_RESOLVED = ("修复", "恢复", "回滚", "解决", "已处理")


def enrich_incident(inc: Incident) -> Incident:
    """Read grade, duration, detection, impact and follow-up out of an imported line."""
    text = inc.summary
    if m := _GRADE.search(text):
        inc.grade = m.group(1)
    if m := _DURATION.search(text):
        n = int(m.group(1))
        inc.duration_min = n * 60 if m.group(2).lower().startswith(("小时", "h")) else n
    if text.startswith("监控发现"):
        inc.detection = "监控"
    clauses = [c for c in re.split(r"[，,。；;]", text) if c.strip()]
    impact = next((c for c in clauses if "影响" in c), "")
    inc.impact = impact.strip()
    follow = next((c for c in reversed(clauses) if any(w in c for w in (*_RESOLVED, "优化"))), "")
    inc.resolution = follow.strip()
    inc.status = "resolved" if any(w in text for w in _RESOLVED) else "open"
    return inc


_WHEN = re.compile(r"^(?:(\d{1,2})/(\d{1,2})|(\d{1,2})月(\d{1,2})日)\s*(\d{1,2})[:：](\d{2})$")


def incident_when(inc: Incident) -> str:
    """The incident's time as the report prints it: as the user wrote it, while that still
    names the same minute; else `M/D HH:MM`."""
    if inc.when_written and (m := _WHEN.match(inc.when_written)):
        month, day = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        if (month, day, int(m.group(5)), int(m.group(6))) == (inc.at.month, inc.at.day, inc.at.hour, inc.at.minute):
            return inc.when_written
    return f"{inc.at.month}/{inc.at.day} {inc.at:%H:%M}"


def incident_text(inc: Incident, lang: str = "zh") -> str:
    """The incident's report line after its time: the summary, then any field the summary
    does not already say."""
    parts = [inc.summary]
    s = inc.summary
    if lang == "en":
        if inc.grade:
            parts.insert(0, f"[{inc.grade}]")
        extra = []
        if inc.duration_min is not None and not _DURATION.search(s):
            extra.append(f"lasted {inc.duration_min} min")
        if inc.impact and inc.impact not in s:
            extra.append(f"impact: {inc.impact}")
        if inc.resolution and inc.resolution not in s:
            extra.append(f"resolution: {inc.resolution}")
        return " ".join(parts) + "".join(f"; {e}" for e in extra)
    extra = []
    if inc.grade and f"{inc.grade}级" not in s:
        extra.append(f"{inc.grade}级事故")
    if inc.duration_min is not None and not _DURATION.search(s):
        extra.append(f"持续{inc.duration_min}分钟")
    if inc.impact and inc.impact not in s:
        extra.append(f"影响：{inc.impact}")
    if inc.resolution and inc.resolution not in s:
        extra.append(f"处理：{inc.resolution}")
    if extra and s.endswith(("。", "！", "？", "；", "，", "、")):
        return s + "，".join(extra)  # `业务无影响。C级事故`, not `业务无影响。，C级事故`
    return "，".join([s, *extra])


# --- carry-over -------------------------------------------------------------------------

def carry_over(previous: Week, monday: date) -> Week:
    """A week not yet written starts from the latest written one: objectives with progress
    and dates (done items marked), metric definitions with empty values, and last week's
    plan offered as key work. Nothing is stored until the user edits it."""
    from .models import KeyWorkItem  # local: keeps the import list above short

    def carry_item(item: ObjectiveItem) -> ObjectiveItem:
        return item.model_copy(update={
            "carried_done": item.status == "done",
            "children": [carry_item(c) for c in item.children],
        })

    objectives = [o.model_copy(update={"items": [carry_item(i) for i in o.items]})
                  for o in previous.objectives]
    metrics = [m.model_copy(update={"value": None}) for m in previous.metrics]
    key_work = [KeyWorkItem(title=e.text.splitlines()[0][:200] or "…",
                            body="\n".join(e.text.splitlines()[1:]))
                for e in previous.next_week if e.text.strip()]
    # the same template (an imported layout too) and the user's own sections, empty
    sections = [sec.model_copy(update={"body": ""}) for sec in previous.sections]
    return Week(monday=monday, objectives=objectives, metrics=metrics, key_work=key_work,
                incident_host=previous.incident_host, carried_from=previous.monday,
                template=previous.template, layout=previous.layout, sections=sections)


def is_overdue(item: ObjectiveItem, today: date) -> bool:
    return item.due is not None and item.due < today and item.status != "done"


def overdue_day(week: Week, today: date, report_day: int = 4) -> date:
    """The day a week's dates are judged overdue on: its report day (a 2023 week is read as
    it was reported, not against today), or today while that day is still to come."""
    return min(today, report_date(week, report_day))


def improved(metric: Metric, change: float) -> bool:
    """Whether a change of the metric's value is for the better (no change counts as good)."""
    return change >= 0 if metric.higher_is_better else change <= 0


def default_note_day(week: Week, today: date, report_day: int = 4) -> date:
    """The day a new daily note is for: today in this week, else the week's report day."""
    return today if week.holds(today) else week.monday + timedelta(days=report_day)


def code_taken(week: Week, code: str, objective_id: str | None = None) -> bool:
    """An objective's code names it in the report (O1, O2…): one objective a code."""
    return any(o.code == code and o.id != objective_id for o in week.objectives)


def find_item(week: Week, item_id: str) -> ObjectiveItem | None:
    for objective in week.objectives:
        for item in objective.walk():
            if item.id == item_id:
                return item
    return None


def progress_change(item: ObjectiveItem, last_week: Week | None) -> float | None:
    if last_week is None or item.progress is None:
        return None
    before = find_item(last_week, item.id)
    if before is None:
        before = next((i for o in last_week.objectives for i in o.walk()
                       if i.name and i.name == item.name), None)
    if before is None or before.progress is None:
        return None
    return item.progress - before.progress


def metric_history(readings: list[list[Metric]], metric: Metric) -> list[float | None]:
    """The metric's values over the given weeks' metrics (oldest first), matched by id, then
    by name."""
    out: list[float | None] = []
    for metrics in readings:
        m = next((x for x in metrics if x.id == metric.id), None) or next(
            (x for x in metrics if x.name == metric.name and x.group == metric.group), None)
        out.append(m.number() if m else None)
    return out


# --- the check before export --------------------------------------------------------------

CHECK_MESSAGES = {
    "no_value": ("指标「{name}」本周没有数值", "metric '{name}' has no value this week"),
    "counts_differ": ("报告写明事故数 AB{a}/CD{c}，与事件记录（AB{da}/CD{dc}）不符：给事件定级或删去该数字",
                      "stated incident counts AB {a} / CD {c} differ from the log (AB {da} / CD {dc}): "
                      "grade the incidents or drop the figure"),
    "no_resolution": ("事件 {when} 没有处理结果", "incident {when} has no resolution"),
    "over_100": ("{code}「{label}」进度超过 100%", "{code} '{label}': progress over 100%"),
    "backwards": ("{code}「{label}」进度倒退了 {change:g} 个百分点", "{code} '{label}': progress went back {change:g} points"),
    "overdue": ("{code}「{label}」日期 {due} 已过，尚未完成", "{code} '{label}': date {due} has passed, not done"),
}


def pre_export_check(week: Week, today: date, last_week: Week | None = None,
                     derived: tuple[int, int] | None = None, lang: str = "en") -> list[str]:
    problems: list[str] = []

    def say(key: str, **values) -> None:
        zh, en = CHECK_MESSAGES[key]
        problems.append((zh if lang == "zh" else en).format(**values))

    for m in week.metrics:
        if m.kind != "incident_counts" and m.value is None:
            say("no_value", name=m.name)
    mismatch = count_mismatch(week, derived) if derived is not None else None
    if mismatch:
        (a, c), (da, dc) = mismatch
        say("counts_differ", a=a, c=c, da=da, dc=dc)
    for inc in week.incidents:
        if not inc.resolution and inc.status != "resolved":
            say("no_resolution", when=f"{inc.at:%m/%d %H:%M}")
    for objective in week.objectives:
        for item in objective.walk():
            label = item.name or item.text[:20]
            if item.progress is not None and item.progress > 100:
                say("over_100", code=objective.code, label=label)
            change = progress_change(item, last_week)
            if change is not None and change < 0:
                say("backwards", code=objective.code, label=label, change=change)
            if is_overdue(item, today):
                say("overdue", code=objective.code, label=label, due=f"{item.due:%m/%d}")
    return problems


# --- small edits shared by the shell and the TUI --------------------------------------------

def add_to_note(week: Week, day: date, text: str) -> None:
    """A daily note grows by paragraphs; the first one creates it."""
    from .models import DailyNote

    if not week.holds(day):
        raise ValueError(f"{day} is not in the week of {week.monday}")
    note = week.note_for(day)
    if note is None:
        week.daily_notes.append(DailyNote(day=day, text=text))
        week.daily_notes.sort(key=lambda n: n.day)
    else:
        note.text = f"{note.text.rstrip()}\n\n{text}" if note.text.strip() else text


def set_metric(week: Week, name: str, raw: str, group: str | None = None, kind: str = "percent") -> Metric:
    """Record a reading by the metric's name; a new name needs a group to define it."""
    metric = next((m for m in week.metrics if m.name == name), None)
    if metric is None:
        if group is None:
            known = ", ".join(m.name for m in week.metrics if m.kind != "incident_counts") or "none yet"
            raise ValueError(f"no metric named '{name}' (known: {known}); add --group G to define it")
        metric = Metric(name=name, group=group, kind=kind)
        # at the end of its group when the week has it: one heading per group in the report
        runs = [run for run in metric_runs(week.metrics) if run[0] == group]
        week.metrics.insert(runs[-1][2] if runs else len(week.metrics), metric)
    value = metric.check_value(raw)
    metric.value = value
    return metric

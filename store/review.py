"""The review of a period (述职): a quarter's, half-year's, year's or any range's weeks in
one set of figures. Plain data out; the exporters write it as Markdown, JSON or HTML.

A week belongs to a period when its report day (Friday by default) falls in it, as its
week number does: the week of Monday 2024-12-30 is 第1周 of 2025 and in 2025's review.
Only the year files of those weeks are read."""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from .models import MAX_YEAR, MIN_YEAR, ObjectiveItem, Week, monday_of
from .weeks import report_date, week_number

GRADES = ("A", "B", "C", "D", "")  # "" is a stability event without a grade


# --- periods ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str  # quarter | half | year | range
    label: str  # 2023Q4, 2023H2, 2023, 2023-10-01..2023-12-31

    def shifted(self, steps: int) -> Period:
        """The period `steps` quarters (halves, years, lengths) later: `[` and `]`."""
        if self.kind == "range":
            length = (self.end - self.start).days + 1
            return date_range(self.start + timedelta(days=length * steps),
                              self.end + timedelta(days=length * steps))
        months = {"quarter": 3, "half": 6, "year": 12}[self.kind] * steps
        index = self.start.year * 12 + self.start.month - 1 + months
        return period_holding(self.kind, date(index // 12, index % 12 + 1, 1))


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"'{text}': the year must be between {MIN_YEAR} and {MAX_YEAR}")


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def quarter(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text)
    if not m:
        raise ValueError(f"'{text}' is not a quarter: write it as 2023Q4")
    year, q = int(m.group(1)), int(m.group(2))
    _check_year(year, text)
    return Period(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), "quarter", f"{year}Q{q}")


def half(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Hh]([12])\s*", text)
    if not m:
        raise ValueError(f"'{text}' is not a half-year: write it as 2023H2")
    year, h = int(m.group(1)), int(m.group(2))
    _check_year(year, text)
    return Period(date(year, 6 * h - 5, 1), _month_end(year, 6 * h), "half", f"{year}H{h}")


def year(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})\s*", text)
    if not m:
        raise ValueError(f"'{text}' is not a year: write it as 2023")
    y = int(m.group(1))
    _check_year(y, text)
    return Period(date(y, 1, 1), date(y, 12, 31), "year", str(y))


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    for day in (start, end):
        _check_year(day.year, day.isoformat())
    return Period(start, end, "range", f"{start.isoformat()}..{end.isoformat()}")


def period_holding(kind: str, day: date) -> Period:
    """The quarter (half, year) holding `day`."""
    if kind == "quarter":
        return quarter(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    if kind == "half":
        return half(f"{day.year}H{(day.month - 1) // 6 + 1}")
    return year(str(day.year))


def mondays_in(period: Period, report_day: int = 4) -> list[date]:
    """The weeks whose report day falls in the period, by their Monday."""
    monday = monday_of(period.start)
    if monday + timedelta(days=report_day) < period.start:
        monday += timedelta(days=7)
    out = []
    while monday + timedelta(days=report_day) <= period.end:
        out.append(monday)
        monday += timedelta(days=7)
    return out


# --- what a review holds --------------------------------------------------------------------

@dataclass
class WeekRef:
    monday: date
    number: int  # the week's number, as its title says
    report_day: date


@dataclass
class Delivered:
    objective: str  # O1
    label: str
    line: str
    on: date  # the launch/target date the item gave, else the report day of the week
    week: date  # the Monday of the week that reported it done


@dataclass
class ItemTrack:
    objective: str
    objective_title: str
    label: str
    line: str  # as the last week wrote it
    depth: int
    start_progress: float | None
    end_progress: float | None
    start_status: str
    end_status: str
    first_week: date
    last_week: date
    new: bool  # first listed after the period's first written week
    dropped: bool  # gone before the period's last written week, not done
    first_due: date | None = None
    last_due: date | None = None
    moved_days: int = 0  # how much later the date ended than it began
    overdue_days: int = 0  # the most days the date had passed while the item was not done

    @property
    def slipped(self) -> bool:
        return self.moved_days > 0 or self.overdue_days > 0


@dataclass
class IncidentRef:
    at: datetime
    week: date
    grade: str
    summary: str
    duration_min: int | None
    impact: str
    resolution: str
    status: str


@dataclass
class Incidents:
    by_month: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # ("2023-10", {"A": 0, …})
    by_grade: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    total: int = 0
    resolved: int = 0
    with_duration: int = 0
    total_minutes: int = 0
    median_minutes: float | None = None
    severe: list[IncidentRef] = field(default_factory=list)  # every A/B incident

    @property
    def resolved_share(self) -> float | None:
        return self.resolved / self.total if self.total else None


@dataclass
class MetricSummary:
    group: str
    name: str
    kind: str
    unit: str
    target: float | None
    higher_is_better: bool
    series: list[tuple[date, float | None]]  # one value per written week, oldest first
    first: float | None = None
    last: float | None = None
    low: float | None = None
    high: float | None = None
    median: float | None = None
    met: int = 0  # weeks meeting their target
    judged: int = 0  # weeks with both a value and a target
    worst: tuple[date, float] | None = None


@dataclass
class Plan:
    week: date
    text: str
    weeks_planned: int  # how many weeks listed it


@dataclass
class Review:
    period: Period
    weeks: list[WeekRef]  # every week of the period
    written: list[date]
    missing: list[date]
    delivered: list[Delivered]
    objectives: list[ItemTrack]
    incidents: Incidents
    metrics: list[MetricSummary]
    key_work: list[tuple[date, list[str]]]
    reflections: list[tuple[date, str]]
    unfinished_plans: list[Plan]

    def week(self, monday: date) -> WeekRef:
        return next(w for w in self.weeks if w.monday == monday)

    @property
    def new_items(self) -> list[ItemTrack]:
        return [t for t in self.objectives if t.new]

    @property
    def dropped_items(self) -> list[ItemTrack]:
        return [t for t in self.objectives if t.dropped]

    @property
    def slipped_items(self) -> list[ItemTrack]:
        return [t for t in self.objectives if t.slipped]

    def to_json(self) -> dict:
        """Plain JSON types: dates as ISO text."""
        def plain(value):
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {str(k): plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        data = plain(asdict(self))
        data["coverage"] = {"written": len(self.written), "weeks": len(self.weeks)}
        data["incidents"]["resolved_share"] = self.incidents.resolved_share
        for track, raw in zip(self.objectives, data["objectives"]):
            raw["slipped"] = track.slipped
        return data


# --- computing it ---------------------------------------------------------------------------

def read_weeks(store, mondays: list[date]) -> list[Week]:
    """The written weeks among `mondays`, reading only the year files they sit in."""
    wanted = set(mondays)
    stored_years = set(store.years())
    found: list[date] = []
    for y in sorted({m.year for m in mondays} & stored_years):
        found += [m for m in store.mondays(y) if m in wanted]
    return [w for w in (store.get(m) for m in sorted(found)) if w is not None]


def build_review(store, period: Period, numbering: str = "jan1", report_day: int = 4) -> Review:
    mondays = mondays_in(period, report_day)
    return compute(period, read_weeks(store, mondays), numbering, report_day)


_CLAUSE = re.compile(r"[，,。；;：:（(]")
_NOT_WORD = re.compile(r"[\s\W_]+")


def item_label(item: ObjectiveItem) -> str:
    """What an item is called: its name, or the first clause of its words."""
    return _CLAUSE.split(item.name or item.text, 1)[0].strip()


def _normal(text: str) -> str:
    return _NOT_WORD.sub("", text).lower()


def compute(period: Period, weeks: list[Week], numbering: str = "jan1", report_day: int = 4) -> Review:
    """The review of `weeks` (the written weeks of `period`, any order)."""
    weeks = sorted(weeks, key=lambda w: w.monday)
    refs = [WeekRef(m, week_number(m + timedelta(days=report_day), numbering), m + timedelta(days=report_day))
            for m in mondays_in(period, report_day)]
    expected = {r.monday for r in refs}
    weeks = [w for w in weeks if w.monday in expected]
    written = [w.monday for w in weeks]
    tracks, delivered = _objectives(weeks, period, report_day)
    return Review(
        period=period, weeks=refs, written=written,
        missing=[r.monday for r in refs if r.monday not in set(written)],
        delivered=delivered, objectives=tracks,
        incidents=_incidents(weeks), metrics=_metrics(weeks),
        key_work=[(w.monday, [k.title for k in w.key_work]) for w in weeks if w.key_work],
        reflections=[(w.monday, w.reflections.strip()) for w in weeks if w.reflections.strip()],
        unfinished_plans=_unfinished_plans(weeks),
    )


@dataclass
class _Seen:
    week: Week
    item: ObjectiveItem
    code: str
    title: str
    depth: int


def _objectives(weeks: list[Week], period: Period, report_day: int) -> tuple[list[ItemTrack], list[Delivered]]:
    # Carry-over copies items with their ids, so an id follows an item through the weeks;
    # imported weeks get new ids each, so the item's label (within its parent's) is the
    # fallback.
    by_id: dict[str, str] = {}
    by_label: dict[tuple[str, ...], str] = {}
    seen: dict[str, list[_Seen]] = {}
    for week in weeks:
        listed: list[tuple[ObjectiveItem, str, str, tuple[str, ...], int]] = []

        def collect(item: ObjectiveItem, code: str, title: str, path: tuple[str, ...], depth: int) -> None:
            label_path = (*path, _normal(item_label(item)))
            listed.append((item, code, title, label_path, depth))
            for child in item.children:
                collect(child, code, title, label_path, depth + 1)

        for objective in week.objectives:
            for item in objective.items:
                collect(item, objective.code, objective.title, (), 0)
        # Ids first, then names for the rest: an item renamed this week keeps its history
        # and does not lend its old name to a newcomer.
        keys: list[str | None] = []
        taken: set[str] = set()
        for item, *_ in listed:
            key = by_id.get(item.id)
            keys.append(key if key not in taken else None)
            if key is not None:
                taken.add(key)
        for n, (_, _, _, label_path, _) in enumerate(listed):
            known = by_label.get(label_path) if label_path[-1] else None
            if keys[n] is None and known is not None and known not in taken:
                keys[n] = known
                taken.add(known)
        for key, (item, code, title, label_path, depth) in zip(keys, listed):
            if key is None:
                key = item.id if item.id not in seen else f"{item.id}#{len(seen)}"
            by_id[item.id] = key
            if label_path[-1]:
                by_label[label_path] = key
            seen.setdefault(key, []).append(_Seen(week, item, code, title, depth))

    first_week, last_week = (weeks[0].monday, weeks[-1].monday) if weeks else (None, None)
    tracks: list[ItemTrack] = []
    delivered: list[Delivered] = []
    for key, appearances in seen.items():
        first, last = appearances[0], appearances[-1]
        dues = [a.item.due for a in appearances if a.item.due]
        track = ItemTrack(
            objective=last.code, objective_title=last.title, label=item_label(last.item),
            line=last.item.line, depth=last.depth,
            start_progress=first.item.progress, end_progress=last.item.progress,
            start_status=first.item.status, end_status=last.item.status,
            first_week=first.week.monday, last_week=last.week.monday,
            new=first.week.monday != first_week,
            dropped=last.week.monday != last_week and last.item.status != "done",
            first_due=dues[0] if dues else None, last_due=dues[-1] if dues else None,
        )
        if dues:
            track.moved_days = max(0, (dues[-1] - dues[0]).days)
        for a in appearances:
            day = report_date(a.week, report_day)
            if a.item.status != "done" and a.item.due and a.item.due < day:
                track.overdue_days = max(track.overdue_days, (day - a.item.due).days)
        tracks.append(track)
        for n, a in enumerate(appearances):
            if a.item.status != "done":
                continue
            before = appearances[n - 1].item if n else None
            if before is not None and before.status == "done":
                break  # done already: reported once, when it got there
            if before is None and a.item.carried_done:
                break  # carried over as done from a week before the period
            on = a.item.due or report_date(a.week, report_day)
            if before is None and a.item.due and a.item.due < period.start:
                break  # its launch date says it was done before the period
            delivered.append(Delivered(a.code, item_label(a.item), a.item.line, on, a.week.monday))
            break
    delivered.sort(key=lambda d: (d.week, d.on))
    return tracks, delivered


def _incidents(weeks: list[Week]) -> Incidents:
    out = Incidents()
    months: dict[str, dict[str, int]] = {}
    durations = []
    for week in weeks:
        for inc in week.sorted_incidents():
            grade = inc.grade or ""
            out.total += 1
            out.by_grade[grade] += 1
            months.setdefault(f"{inc.at:%Y-%m}", dict.fromkeys(GRADES, 0))[grade] += 1
            if inc.status == "resolved":
                out.resolved += 1
            if inc.duration_min is not None:
                durations.append(inc.duration_min)
            if grade in ("A", "B"):
                out.severe.append(IncidentRef(inc.at, week.monday, grade, inc.summary,
                                              inc.duration_min, inc.impact, inc.resolution, inc.status))
    out.by_month = sorted(months.items())
    out.with_duration = len(durations)
    out.total_minutes = sum(durations)
    out.median_minutes = statistics.median(durations) if durations else None
    return out


def _metrics(weeks: list[Week]) -> list[MetricSummary]:
    by_id: dict[str, str] = {}
    by_name: dict[tuple[str, str], str] = {}
    summaries: dict[str, MetricSummary] = {}
    values: dict[str, dict[date, tuple[float | None, bool | None]]] = {}
    for week in weeks:
        for m in week.metrics:
            if m.kind in ("text", "incident_counts"):
                continue
            key = by_id.get(m.id) or by_name.get((m.group, m.name)) or m.id
            by_id[m.id], by_name[(m.group, m.name)] = key, key
            summary = summaries.get(key)
            if summary is None:
                summary = summaries[key] = MetricSummary(m.group, m.name, m.kind, m.unit, m.target,
                                                         m.higher_is_better, [])
            if m.target is not None:  # the latest target stands for the period
                summary.target = m.target
            summary.higher_is_better = m.higher_is_better
            values.setdefault(key, {})[week.monday] = (m.number(), m.met())
    for key, summary in summaries.items():
        readings = values[key]
        summary.series = [(w.monday, readings.get(w.monday, (None, None))[0]) for w in weeks]
        numbers = [(day, v) for day, v in summary.series if v is not None]
        if not numbers:
            continue
        only = [v for _, v in numbers]
        summary.first, summary.last = only[0], only[-1]
        summary.low, summary.high = min(only), max(only)
        summary.median = statistics.median(only)
        pick = min if summary.higher_is_better else max
        summary.worst = pick(numbers, key=lambda dv: dv[1])
        judged = [met for value, met in readings.values() if met is not None]
        summary.judged, summary.met = len(judged), sum(judged)
    return list(summaries.values())


def _unfinished_plans(weeks: list[Week]) -> list[Plan]:
    """Next-week items that no later week of the period shows done. An item counts as done
    when a done objective item's label is in the plan, or the plan's first clause is in the
    done item's words."""
    done_after: list[tuple[date, str, str]] = []  # (week, normalised label, normalised line)
    for week in weeks:
        for objective in week.objectives:
            for item in objective.walk():
                if item.status == "done":
                    done_after.append((week.monday, _normal(item_label(item)), _normal(item.line)))
    plans: dict[str, Plan] = {}
    for week in weeks:
        for entry in week.next_week:
            text = entry.text.strip().split("\n", 1)[0].strip()
            whole, head = _normal(text), _normal(_CLAUSE.split(text, 1)[0])
            if not whole:
                continue
            if whole in plans:
                plans[whole].weeks_planned += 1
                continue
            plans[whole] = Plan(week.monday, text, 1)
    out = []
    for whole, plan in plans.items():
        head = _normal(_CLAUSE.split(plan.text, 1)[0])
        if not any(day > plan.week and ((label and label in whole) or (head and head in line))
                   for day, label, line in done_after):
            out.append(plan)
    return out

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

from .messages import say
from .follow import match, normal
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
        raise ValueError(say("period_year_range", q=text, a=MIN_YEAR, b=MAX_YEAR))


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def quarter(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text)
    if not m:
        raise ValueError(say("not_a_quarter", q=text))
    year, q = int(m.group(1)), int(m.group(2))
    _check_year(year, text)
    return Period(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), "quarter", f"{year}Q{q}")


def half(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Hh]([12])\s*", text)
    if not m:
        raise ValueError(say("not_a_half", q=text))
    year, h = int(m.group(1)), int(m.group(2))
    _check_year(year, text)
    return Period(date(year, 6 * h - 5, 1), _month_end(year, 6 * h), "half", f"{year}H{h}")


def year(text: str) -> Period:
    m = re.fullmatch(r"\s*(\d{4})\s*", text)
    if not m:
        raise ValueError(say("not_a_year", q=text))
    y = int(m.group(1))
    _check_year(y, text)
    return Period(date(y, 1, 1), date(y, 12, 31), "year", str(y))


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(say("period_backwards", end=end, start=start))
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
class Join:
    """An item followed into a week under other words (store/follow): what it was called,
    what it is called now, and the rule that joined them."""
    week: date  # the Monday of the week it was renamed in
    before: str
    after: str
    rule: str  # label | core | prefix | words (store/follow.RULES)


@dataclass
class ProgressStep:
    week: date  # the Monday of the week that reported it
    on: date  # that week's report day
    progress: float | None
    status: str


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
    path: list[ProgressStep] = field(default_factory=list)  # each week's progress and status, in order
    names: list[str] = field(default_factory=list)  # its labels over the period, oldest first
    joins: list[Join] = field(default_factory=list)  # where it was followed under other words

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
class KeyWorkTrack:
    """A key-work item over the period: the weeks listing it, under the names it had."""
    title: str  # as the last week wrote it
    weeks: list[date]
    names: list[str]  # oldest first
    joins: list[Join] = field(default_factory=list)


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
    key_work: list[KeyWorkTrack]
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

    def joined(self) -> list[dict]:
        """Every item followed under other words, and by which rule (the JSON's `joined`)."""
        out = [{"kind": "objective", "objective": t.objective, "item": t.label, **asdict(j)}
               for t in self.objectives for j in t.joins]
        out += [{"kind": "key_work", "objective": None, "item": t.title, **asdict(j)}
                for t in self.key_work for j in t.joins]
        return out

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
        data["joined"] = plain(self.joined())
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


def item_label(item: ObjectiveItem) -> str:
    """What an item is called: its name, or the first clause of its words."""
    return _CLAUSE.split(item.name or item.text, 1)[0].strip()


def compute(period: Period, weeks: list[Week], numbering: str = "jan1", report_day: int = 4) -> Review:
    """The review of `weeks` (the written weeks of `period`, any order)."""
    weeks = sorted(weeks, key=lambda w: w.monday)
    refs = [WeekRef(m, week_number(m + timedelta(days=report_day), numbering), m + timedelta(days=report_day))
            for m in mondays_in(period, report_day)]
    expected = {r.monday for r in refs}
    # written: a week that holds something (a week stored empty, as an undo or a form left it, is not)
    weeks = [w for w in weeks if w.monday in expected and not w.is_empty()]
    written = [w.monday for w in weeks]
    tracks, delivered = _objectives(weeks, period, report_day)
    return Review(
        period=period, weeks=refs, written=written,
        missing=[r.monday for r in refs if r.monday not in set(written)],
        delivered=delivered, objectives=tracks,
        incidents=_incidents(weeks), metrics=_metrics(weeks),
        key_work=_key_work(weeks),
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
    # An item's key is that of the item it continues: the same id (carry-over copies ids),
    # else store/follow's rule against the items earlier weeks listed in the same place (the
    # same objective, under the same followed parent).
    seen: dict[str, list[_Seen]] = {}
    by_id: dict[str, str] = {}
    # where each item was last listed: (objective code, parent key) -> its keys, in order
    listed_at: dict[tuple[str, str | None], dict[str, None]] = {}
    place_of: dict[str, tuple[str, str | None]] = {}
    joins: dict[str, list[Join]] = {}
    for week in weeks:
        # ids first, for the whole week: an item renamed this week keeps its history and
        # does not lend its old words to a newcomer
        taken = {by_id[i.id] for o in week.objectives for i in o.walk() if i.id in by_id}
        used: set[str] = set()
        keys: dict[int, str] = {}  # id(item) -> its key this week

        def follow(items: list[ObjectiveItem], code: str, parent: str | None) -> None:
            if not items:
                return
            here = (code, parent)
            fresh = []
            for item in items:
                key = by_id.get(item.id)
                if key is not None and key not in used:
                    keys[id(item)] = key
                    used.add(key)
                else:
                    fresh.append(item)
            candidates = [(key, seen[key][-1].item.line, item_label(seen[key][-1].item))
                          for key in listed_at.get(here, ()) if key not in taken and key not in used]
            pairs = match(candidates, [(item.line, item_label(item)) for item in fresh]) if fresh and candidates else {}
            for n, item in enumerate(fresh):
                if n in pairs:
                    key, rule = pairs[n]
                    before = seen[key][-1].item.line
                    if normal(before) != normal(item.line):
                        joins.setdefault(key, []).append(Join(week.monday, before, item.line, rule))
                else:
                    key, k = item.id, 1
                    while key in seen or key in used:
                        key, k = f"{item.id}#{k}", k + 1
                keys[id(item)] = key
                used.add(key)
            for item in items:
                key = keys[id(item)]
                if key in place_of:
                    del listed_at[place_of[key]][key]
                place_of[key] = here
                listed_at.setdefault(here, {})[key] = None
                follow(item.children, code, key)

        for objective in week.objectives:
            follow(objective.items, objective.code, None)
        for objective in week.objectives:
            for depth, item in _walk_depth(objective.items):
                key = keys[id(item)]
                by_id[item.id] = key
                seen.setdefault(key, []).append(_Seen(week, item, objective.code, objective.title, depth))

    first_week, last_week = (weeks[0].monday, weeks[-1].monday) if weeks else (None, None)
    tracks: list[ItemTrack] = []
    delivered: list[Delivered] = []
    for key, appearances in seen.items():
        first, last = appearances[0], appearances[-1]
        dues = [a.item.due for a in appearances if a.item.due]
        # the first and last figures given: a week that wrote words without one (`支付链路测试
        # 完成`) does not erase it, and an item with figures that ends done ends at 100%
        known = [a.item.progress for a in appearances if a.item.progress is not None]
        end = last.item.progress
        if end is None and known:
            end = 100.0 if last.item.status == "done" else known[-1]
        track = ItemTrack(
            objective=last.code, objective_title=last.title, label=item_label(last.item),
            line=last.item.line, depth=last.depth,
            start_progress=known[0] if known else None, end_progress=end,
            start_status=first.item.status, end_status=last.item.status,
            first_week=first.week.monday, last_week=last.week.monday,
            new=first.week.monday != first_week,
            dropped=last.week.monday != last_week and last.item.status != "done",
            first_due=dues[0] if dues else None, last_due=dues[-1] if dues else None,
            path=[ProgressStep(a.week.monday, report_date(a.week, report_day), a.item.progress, a.item.status)
                  for a in appearances],
            names=list(dict.fromkeys(item_label(a.item) for a in appearances)),
            joins=joins.get(key, []),
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


def _walk_depth(items: list[ObjectiveItem], depth: int = 0):
    for item in items:
        yield depth, item
        yield from _walk_depth(item.children, depth + 1)


def _key_work(weeks: list[Week]) -> list[KeyWorkTrack]:
    """Each key-work item once, with the weeks listing it: followed by store/follow's rule
    (carry-over gives key work new ids, so words are what ties its weeks together)."""
    tracks: list[KeyWorkTrack] = []
    for week in weeks:
        candidates = [(n, t.title, t.title) for n, t in enumerate(tracks) if t.weeks[-1] != week.monday]
        pairs = match(candidates, [(k.title, k.title) for k in week.key_work])
        for n, item in enumerate(week.key_work):
            if n not in pairs:
                tracks.append(KeyWorkTrack(item.title, [week.monday], [item.title]))
                continue
            index, rule = pairs[n]
            track = tracks[index]
            if track.title != item.title:
                track.joins.append(Join(week.monday, track.title, item.title, rule))
                track.title = item.title
                if item.title not in track.names:
                    track.names.append(item.title)
            track.weeks.append(week.monday)
    return tracks


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
                    done_after.append((week.monday, normal(item_label(item)), normal(item.line)))
    plans: dict[str, Plan] = {}
    for week in weeks:
        for entry in week.next_week:
            text = entry.text.strip().split("\n", 1)[0].strip()
            whole, head = normal(text), normal(_CLAUSE.split(text, 1)[0])
            if not whole:
                continue
            if whole in plans:
                plans[whole].weeks_planned += 1
                continue
            plans[whole] = Plan(week.monday, text, 1)
    out = []
    for whole, plan in plans.items():
        head = normal(_CLAUSE.split(plan.text, 1)[0])
        if not any(day > plan.week and ((label and label in whole) or (head and head in line))
                   for day, label, line in done_after):
            out.append(plan)
    return out

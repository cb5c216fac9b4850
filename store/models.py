"""The pydantic model of a week: the one truth the store saves, the TUI edits and the
exporters read. Everything here is plain data plus the rules that belong to it."""

from __future__ import annotations

import math
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .messages import say
from .templates import Template

SCHEMA_VERSION = 4  # 3: templates, custom sections, text kept around the title; 4: imported words kept per element

LINE_CAP = 2_000  # one line of a report; a pasted log is not a title
TEXT_CAP = 100_000  # a daily note or outline (~30 pages); megabytes are a mistake, not a note
ITEMS_CAP = 2_000  # items in one section of a week (objectives: all items, sub-items included)
WEEK_ITEMS_CAP = 5_000  # items of all sections together: a save validates each (~10 µs apiece)
SUB_ITEM_LEVELS = 8  # sub-items below an objective's item: deeper is a paste gone wrong
MIN_YEAR, MAX_YEAR = 1900, 2999  # dates Weekly accepts: every date it derives stays valid

# C0 (but tab and newline, which text may hold), DEL and C1 (U+0080–U+009F: CSI, OSC, ST,
# NEL): each can start a terminal control sequence, so no stored string holds one.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def new_id() -> str:
    return uuid.uuid4().hex[:10]


def _check_text(value: str, *, single_line: bool, cap: int) -> str:
    if len(value) <= cap and value.isprintable():
        return value  # no control character, line break or lone surrogate: the usual case, in C
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(say("surrogate"))
    if single_line and ("\n" in value or "\r" in value):
        raise ValueError(say("single_line"))
    if _CONTROL.search(value.replace("\t", "") if not single_line else value):
        raise ValueError(say("control_character"))
    if len(value) > cap:
        raise ValueError(say("too_long", n=len(value), cap=cap))
    return value


def check_day(day: date) -> date:
    """A date inside the supported range (years MIN_YEAR–MAX_YEAR), or a ValueError."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(say("outside_dates", x=day.isoformat(), a=MIN_YEAR, b=MAX_YEAR))
    return day


def _optional_line(value: str | None) -> str | None:
    return None if value is None else _line(value)


def _line(value: str) -> str:
    if value.isprintable() and len(value) <= LINE_CAP:
        return value  # the usual case, without a call more (a week at the limits holds 60k strings)
    return _check_text(value, single_line=True, cap=LINE_CAP)


def _text(value: str) -> str:
    if value.isprintable() and len(value) <= TEXT_CAP:
        return value
    # Windows line ends become plain newlines so export stays deterministic.
    return _check_text(value.replace("\r\n", "\n"), single_line=False, cap=TEXT_CAP)


Line = Annotated[str, AfterValidator(_line)]
Text = Annotated[str, AfterValidator(_text)]
OptionalLine = Annotated[str | None, AfterValidator(_optional_line)]
Day = Annotated[date, AfterValidator(check_day)]
Id = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_line)]
Grade = Literal["A", "B", "C", "D"]
Status = Literal["planned", "in progress", "done", "at risk", "blocked"]
STATUSES: tuple[Status, ...] = ("planned", "in progress", "done", "at risk", "blocked")


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError(say("not_empty"))
    return value


class Model(BaseModel):
    model_config = ConfigDict(validate_assignment=True, extra="ignore")


class Words(Model):
    """An imported element's words beside its fields (SPEC §2.2): the export writes `written`
    as the file had it until the element is edited (an edit clears it), then from the fields."""

    written: Text | None = None  # the element's own lines as imported, when its fields would write them otherwise
    before: Text = ""  # lines above it that belong to no element (a group label, a table's header): always written
    after: Text = ""  # likewise below it (a note closing its section)

    @staticmethod
    def unwritten() -> dict:
        """The update that drops the words (a carried copy is written from its fields)."""
        return {"written": None, "before": "", "after": ""}


WORDS = frozenset(Words.model_fields)  # the fields an edit of the element's others leaves be (but `written`)


class Task(Words):
    """What a reader sees in a task's words: a checkbox, a progress, a date to deliver by."""

    progress: float | None = Field(default=None, ge=0, le=100)
    due: Day | None = None
    done: bool | None = None  # `- [x]` / `- [ ]`; None when the line has no checkbox


class KeyWorkItem(Task):
    id: Id = Field(default_factory=new_id)
    title: Annotated[Line, AfterValidator(_non_empty)]
    body: Text = ""  # a Markdown outline, kept as typed


def parse_number(raw: str) -> float:
    """`99.997`, `99.997%`, `99.997 %`, `99.997％` all read as 99.997; anything else is refused."""
    cleaned = raw.strip().rstrip("%％").strip().replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(say("not_a_number", q=raw.strip())) from None
    if not math.isfinite(number):
        raise ValueError(say("not_finite", q=raw.strip()))
    return number


_PLAIN_NUMBER = re.compile(r"^-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")
MetricKind = Literal["number", "percent", "text", "incident_counts"]


class Metric(Words):
    """A metric's definition (carried from week to week) and this week's reading."""

    id: Id = Field(default_factory=new_id)
    group: Line = ""
    name: Annotated[Line, AfterValidator(_non_empty)]
    kind: MetricKind = "percent"
    unit: Line = ""  # suffix for plain numbers (ms, 次); percent metrics print %
    value: OptionalLine = None  # the number as typed, without its unit
    target: float | None = Field(default=None, allow_inf_nan=False)
    higher_is_better: bool = True
    joined_by: OptionalLine = None  # shares the previous reading's line after this (` ，` in the sample)

    @field_validator("name", "group")
    @classmethod
    def _no_separators(cls, v: str) -> str:
        if any(ch in v for ch in "：，"):
            raise ValueError(say("separators_in_name"))
        return v

    def check_value(self, raw: str | None) -> str | None:
        """Validate a typed value for this metric; returns it as stored (number text). A number
        is written plainly (99.997, -3, 1,200): not 1e9, nan or inf; a percentage lies in
        0–100; a % sign belongs to a percentage only (a number metric would store it silently
        as a bare number)."""
        if raw is None or not raw.strip():
            return None
        if self.kind == "text":
            return _line(raw.strip())
        if self.kind == "incident_counts":
            raise ValueError(say("counts_derived"))
        number = parse_number(raw)
        typed = raw.strip()
        text = typed.rstrip("%％").strip()
        if self.unit and text.endswith(self.unit):
            text = text[: -len(self.unit)].strip()
        if not _PLAIN_NUMBER.match(text):
            raise ValueError(say("not_plain_number", q=typed))
        if self.kind == "percent" and not 0 <= number <= 100:
            raise ValueError(say("outside_percent", x=typed))
        if self.kind == "number" and typed.endswith(("%", "％")):
            raise ValueError(say("percent_sign_on_number", q=typed))
        return text.replace(",", "")

    def number(self) -> float | None:
        if self.value is None or self.kind in ("text", "incident_counts"):
            return None
        try:
            return parse_number(self.value)
        except ValueError:
            return None

    def met(self) -> bool | None:
        value = self.number()
        if value is None or self.target is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target


class ObjectiveItem(Words):
    id: Id = Field(default_factory=new_id)
    name: Line = ""
    text: Line = ""  # the user's words; progress and dates below are read from/written into it
    progress: float | None = Field(default=None, ge=0, le=100)
    due: Day | None = None
    status: Status = "planned"
    carried_done: bool = False  # done last week: offered for dropping
    ordered_children: bool = True
    children: list[ObjectiveItem] = Field(default_factory=list, max_length=ITEMS_CAP)

    @property
    def line(self) -> str:
        """The item as the report prints it."""
        if self.name and self.text:
            return f"{self.name}：{self.text}"
        return self.name or self.text

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _count_items(items: list[ObjectiveItem]) -> int:
    """Items and sub-items, all levels; a ValueError if sub-items nest more than
    SUB_ITEM_LEVELS deep (one walk, without recursion: the tree may be hostile)."""
    count, level = 0, [items]
    for depth in range(SUB_ITEM_LEVELS + 1):
        count += sum(len(children) for children in level)
        level = [item.children for children in level for item in children if item.children]
        if not level:
            return count
    raise ValueError(say("nested_too_deep", n=SUB_ITEM_LEVELS))


class Objective(Model):
    id: Id = Field(default_factory=new_id)
    code: str = Field(pattern=r"^O\d{1,2}$")
    title: Line = ""
    spaced: bool = True  # `【O1 服务业务】` or `【O2系统升级】`: kept as the user wrote it
    items: list[ObjectiveItem] = Field(default_factory=list, max_length=ITEMS_CAP)

    @field_validator("items")
    @classmethod
    def _within_limits(cls, items: list[ObjectiveItem]) -> list[ObjectiveItem]:
        if (count := _count_items(items)) > ITEMS_CAP:
            raise ValueError(say("objective_items_cap", count=count, cap=ITEMS_CAP))
        return items

    @property
    def heading(self) -> str:
        return f"{self.code}{' ' if self.spaced and self.title else ''}{self.title}"

    def walk(self):
        for item in self.items:
            yield from item.walk()


class Incident(Words):
    id: Id = Field(default_factory=new_id)
    at: datetime
    grade: Grade | None = None
    summary: Annotated[Line, AfterValidator(_non_empty)]
    detection: Line = ""
    duration_min: int | None = Field(default=None, ge=0, le=60 * 24 * 366)
    impact: Line = ""
    resolution: Line = ""
    status: Literal["open", "resolved"] = "open"
    when_written: OptionalLine = None  # an imported time as written (`3月14日 21:40`), kept while it still says `at`

    @field_validator("at")
    @classmethod
    def _to_minute(cls, v: datetime) -> datetime:
        check_day(v.date())
        return v.replace(second=0, microsecond=0, tzinfo=None)


class DailyNote(Words):
    day: Day
    text: Text = ""
    link: OptionalLine = None  # the file name a Notion export linked it as, kept for round trip


class ListEntry(Task):
    """A numbered line of 其他 / 下周工作及目标; continuation lines are kept as typed."""

    id: Id = Field(default_factory=new_id)
    text: Text


class Section(Model):
    """A section the template's fixed fields do not hold: a user's own (free Markdown or a
    list), or an imported section kept as written. `key` places it in a template."""

    id: Id = Field(default_factory=new_id)
    key: Annotated[Line, AfterValidator(_non_empty)]
    title: Line = ""  # the heading's words, for the TUI and for "other sections"
    form: Literal["markdown", "list"] = "markdown"
    body: Text = ""  # Markdown as written; an imported section's lines verbatim


class Week(Model):
    schema_version: int = SCHEMA_VERSION
    template: Line = "default"  # the template it was written with (a built-in or user template's name)
    layout: Template | None = None  # an imported report's own layout, inferred from the file
    preamble: Text = ""  # what came before the title (front matter, intro), verbatim
    title_line: OptionalLine = None  # an imported title line as written, when it is not ours
    intro: Text = ""  # text between the title and the first section, verbatim
    sections: list[Section] = Field(default_factory=list, max_length=ITEMS_CAP)
    monday: Day
    report_date: Day | None = None  # set when the report day differs from the configured one
    stated_number: int | None = None  # an imported title's week number that our rule disagrees with
    page_title: OptionalLine = None  # Notion's duplicate title line, kept for round trip
    key_work: list[KeyWorkItem] = Field(default_factory=list, max_length=ITEMS_CAP)
    metrics: list[Metric] = Field(default_factory=list, max_length=ITEMS_CAP)
    objectives: list[Objective] = Field(default_factory=list, max_length=ITEMS_CAP)
    incidents: list[Incident] = Field(default_factory=list, max_length=ITEMS_CAP)
    incident_host: str = Field(default="O3", pattern=r"^O\d{1,2}$")  # the objective whose section carries the incident log (zh)
    stated_incident_counts: tuple[int, int] | None = None  # (AB, CD) as an imported report stated
    other: list[ListEntry] = Field(default_factory=list, max_length=ITEMS_CAP)
    reflections: Text = ""
    next_week: list[ListEntry] = Field(default_factory=list, max_length=ITEMS_CAP)
    daily_notes: list[DailyNote] = Field(default_factory=list, max_length=ITEMS_CAP)
    carried_from: Day | None = None  # not yet written: a proposal built from that week
    # elements pulled from members' weeks and not edited since: drafts, marked on screen
    drafts: list[Id] = Field(default_factory=list, max_length=ITEMS_CAP)

    @field_validator("monday")
    @classmethod
    def _is_monday(cls, v: date) -> date:
        if v.weekday() != 0:
            raise ValueError(say("not_monday", x=v.isoformat()))
        return v

    @model_validator(mode="after")
    def _items_within_cap(self) -> Week:
        items = sum(_count_items(objective.items) for objective in self.objectives)
        if items > ITEMS_CAP:
            raise ValueError(say("objectives_items_cap", count=items, cap=ITEMS_CAP))
        items += (len(self.key_work) + len(self.metrics) + len(self.incidents) + len(self.other)
                  + len(self.next_week) + len(self.daily_notes) + len(self.sections))
        if items > WEEK_ITEMS_CAP:
            raise ValueError(say("week_items_cap", count=items, cap=WEEK_ITEMS_CAP))
        return self

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def holds(self, day: date) -> bool:
        return self.monday <= day <= self.sunday

    def objective(self, code: str) -> Objective | None:
        return next((o for o in self.objectives if o.code == code), None)

    def note_for(self, day: date) -> DailyNote | None:
        return next((n for n in self.daily_notes if n.day == day), None)

    def sorted_incidents(self) -> list[Incident]:
        return sorted(self.incidents, key=lambda i: i.at)

    def is_empty(self) -> bool:
        return not (
            self.key_work or self.objectives or self.incidents or self.other
            or self.reflections.strip() or self.next_week or self.daily_notes
            or any(m.value is not None for m in self.metrics)
            or any(s.body.strip() for s in self.sections) or self.intro.strip()
        )

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())

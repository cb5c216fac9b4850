"""The strict reader of the sample's own layout (Notion's export of it included): a week in
that layout reads into fields and writes back byte for byte. The importer tries it first for
each week and uses its section readers for each section it reads into fields.

markdown-it-py finds the document's real top-level headings, so a `#` inside a fence, a
list item or an escaped line is never taken for a section. Each section's lines are then
read by the same conventions the writer uses, undoing its escaping exactly, and the
structured fields (progress, dates, incident times and grades, metric values) are read out
of the user's words, which are kept as they are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from urllib.parse import unquote

from pydantic import ValidationError

from weekly_zhoubao.store.errors import WeeklyError, describe_validation
from weekly_zhoubao.store.models import (
    DailyNote, Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Week, monday_of,
)
from weekly_zhoubao.store.counts import counts
from weekly_zhoubao.store.dates import nearest_year
from weekly_zhoubao.store.weeks import week_number
from weekly_zhoubao.store.words import enrich_incident, enrich_item, read_task
from weekly_zhoubao.store.text import visible

from .escape import trim_blank_lines, unescape_line, unescape_text
from .markdown import KEY_WORK_START


class ImportProblem(WeeklyError):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


_TITLE = re.compile(r"^第\s*(\d{1,2})\s*周\s+(\d{4})[/-](\d{1,2})[/-](\d{1,2})\s*$")
_OBJECTIVE = re.compile(r"^【(O\d{1,2})(\s*)(.*?)】$")
_KEY_WORK_ITEM = re.compile(r"^- 【(.*)】[ \t]*$")
_NUMBERED = re.compile(r"^(\d{1,9})[.)][ \t]+(.*)$")
_CHILD = re.compile(r"^( +)(?:(\d{1,9})[.)]|[-+*])[ \t]+(.*)$")
_INCIDENT = re.compile(r"^- ((?:(\d{1,2})/(\d{1,2})\s+|(\d{1,2})月(\d{1,2})日\s*)(\d{1,2})[:：](\d{2}))\s+(.*)$")
INCIDENT_HOST = re.compile(r"^\d+[.)]\s*生产稳定性事件[：:]\s*$")
_COUNTS = re.compile(r"^(.*?)AB级\s*(\d+)\s*次\s*[，,]\s*CD级\s*(\d+)\s*次\s*$")
_READING_SPLIT = re.compile(r"((?<!\s)\s*+[，,]\s*+)(?=[^：，,]++：)")  # from a run's start: linear (issue 25)
_COUNTS_EN = re.compile(r"^Incidents:\s*A/B\s*(\d+),\s*C/D\s*(\d+)\s*$")
_READING_SPLIT_EN = re.compile(r"((?<!\s)\s*+,\s*+)(?=[^:,]++:\s)")
_DAILY = re.compile(r"^\[([^\]]+)\]\(([^)]+)\)\s*$")
READINGS_CAP = 50  # readings on one line; more is a pasted log
_NUMBER_VALUE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(%|％)?\s*([^\d\s%％][^\s]*)?$")
_PROPERTY = re.compile(r"^[A-Za-z][\w ]{0,30}:\s")  # Notion's page properties (Created: …)

SECTIONS = {
    "【重点工作】": "key_work", "【系统运行数据】": "metrics", "【其他】": "other",
    "收获与反思": "reflections", "下周工作及目标": "next_week", "日报合集": "daily",
    "生产稳定性事件": "incidents",
}


@dataclass
class SectionLines:
    kind: str
    heading: str
    start: int  # 0-based index of the first content line
    lines: list[str]


class SampleReader:
    def __init__(self, file: str, text: str, numbering: str, report_day: int) -> None:
        self.file = file
        self.lines = text.split("\n")
        self.text = text
        self.numbering = numbering
        self.report_day = report_day

    def fail(self, index: int, message: str) -> ImportProblem:
        return ImportProblem(self.file, index + 1, message)

    # --- structure ----------------------------------------------------------------------

    def headings(self) -> list[tuple[int, str]]:
        tokens = block_parser().parse(self.text)
        found = []
        for tok in tokens:
            if tok.type == "heading_open" and tok.level == 0 and tok.map and tok.markup.startswith("#"):
                raw = self.lines[tok.map[0]].strip()
                found.append((tok.map[0], raw.lstrip("#").strip()))
        return found

    def read(self, heads: list[tuple[int, str]] | None = None) -> Week:
        heads = self.headings() if heads is None else heads
        titles = [(i, h, m) for i, h in heads if (m := _TITLE.match(h))]
        if not titles:
            raise self.fail(0, "no week title: a report starts with a heading like '# 第42周 2023/10/13'")
        page_title = None
        title_index, _, m = titles[0]
        if len(titles) > 1 and titles[1][0] == next((i for i, _ in heads if i > title_index), None):
            page_title = titles[0][1]
            title_index, _, m = titles[1]
        number = int(m.group(1))
        try:
            report_day = date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            raise self.fail(title_index, f"{m.group(2)}/{m.group(3)}/{m.group(4)} is not a date that exists") from None
        monday = monday_of(report_day)
        week = Week(monday=monday, page_title=page_title)
        if report_day != monday + timedelta(days=self.report_day):
            week.report_date = report_day
        if week_number(report_day, self.numbering) != number:
            week.stated_number = number
        self.anchor = report_day

        sections = self.sections(heads, title_index)
        stated = None
        for section in sections:
            try:
                stated = self.read_section(week, section, stated)
            except ValidationError as exc:  # a field set whole (reflections): its section's line
                raise self.fail(section.start, describe_validation(exc)) from None
        if stated is not None and stated != counts(week.incidents):
            week.stated_incident_counts = stated
        return week

    def read_section(self, week: Week, section: SectionLines, stated):
        """Read one section into the week; returns the incident counts the report states."""
        if section.kind == "key_work":
            week.key_work = self.key_work(section)
        elif section.kind == "metrics":
            week.metrics, stated = self.metrics(section)
        elif section.kind == "objective":
            objective, incidents = self.objective(section)
            week.objectives.append(objective)
            if incidents is not None:
                week.incident_host = objective.code
                week.incidents += incidents
        elif section.kind == "incidents":
            week.incidents += self.incident_lines(section, section.start, section.lines)
        elif section.kind in ("other", "next_week"):
            setattr(week, section.kind, self.numbered(section))
        elif section.kind == "reflections":
            week.reflections = unescape_text("\n".join(trim_blank_lines(section.lines)), lists=False)
        elif section.kind == "daily":
            week.daily_notes = self.daily(section)
        return stated

    def sections(self, heads: list[tuple[int, str]], title_index: int) -> list[SectionLines]:
        after = [(i, h) for i, h in heads if i > title_index]
        first = after[0][0] if after else len(self.lines)
        for i in range(title_index + 1, first):
            line = self.lines[i].strip()
            if line and not _PROPERTY.match(line):
                raise self.fail(i, "text between the title and the first section; put it under a section")
        out = []
        seen = set()
        for n, (i, heading) in enumerate(after):
            end = after[n + 1][0] if n + 1 < len(after) else len(self.lines)
            kind = SECTIONS.get(heading)
            if kind is None and _OBJECTIVE.match(heading):
                kind = "objective"
            if kind is None:
                raise self.fail(i, f"unknown section '{heading}' (expected 【重点工作】, 【系统运行数据】, "
                                   f"【O1 …】, 【其他】, 收获与反思, 下周工作及目标 or 日报合集)")
            key = heading if kind == "objective" else kind
            if key in seen:
                raise self.fail(i, f"section '{heading}' appears twice")
            seen.add(key)
            out.append(SectionLines(kind, heading, i + 1, self.lines[i + 1:end]))
        return out

    # --- sections -----------------------------------------------------------------------

    def key_work(self, s: SectionLines) -> list[KeyWorkItem]:
        items: list[tuple[int, str, list[str]]] = []
        for n, line in enumerate(s.lines):
            if m := _KEY_WORK_ITEM.match(line):
                items.append((s.start + n, m.group(1), []))
            elif items:
                items[-1][2].append(line)
            elif line.strip():
                raise self.fail(s.start + n, "key work items start with '- 【title】'")
        out = []
        for index, title, body in items:
            body_text = unescape_text("\n".join(trim_blank_lines(body)), lists=False, extra=KEY_WORK_START)
            progress, due = read_task(title, body_text, self.anchor)  # fields only: the writer writes the words
            out.append(self.build(index, KeyWorkItem, title=title, body=body_text, progress=progress, due=due))
        return out

    def metrics(self, s: SectionLines, lang: str = "zh") -> tuple[list[Metric], tuple[int, int] | None]:
        out: list[Metric] = []
        group = ""
        stated = None
        for n, line in enumerate(s.lines):
            index = s.start + n
            stripped = line.strip()
            if not stripped:
                continue
            if not line.startswith("- "):
                group = unescape_line(stripped.rstrip("：:").rstrip())
                continue
            body = line[2:].strip()
            if lang == "en" and (m := _COUNTS_EN.match(body)):
                stated = (int(m.group(1)), int(m.group(2)))
                out.append(self.build(index, Metric, group=group, name="事故数", kind="incident_counts"))
                continue
            if lang != "en" and (m := _COUNTS.match(body)):
                stated = (int(m.group(2)), int(m.group(3)))
                out.append(self.build(index, Metric, group=group, name=m.group(1) or "事故数",
                                      kind="incident_counts"))
                continue
            parts = (_READING_SPLIT_EN if lang == "en" else _READING_SPLIT).split(body, maxsplit=2 * READINGS_CAP)
            if len(parts) > 2 * READINGS_CAP:
                raise self.fail(index, f"more than {READINGS_CAP} readings on one line")
            readings, joiners = parts[0::2], [None, *parts[1::2]]
            for reading, joiner in zip(readings, joiners):
                out.append(self.reading(index, group, reading, joiner, ": " if lang == "en" else "："))
        return out, stated

    def reading(self, index: int, group: str, reading: str, joiner: str | None, colon: str = "：") -> Metric:
        name, sep, raw = reading.partition(colon)
        if not sep:
            raise self.fail(index, f"a metric reading is 'name：value', not '{reading}'")
        name, raw = unescape_line(name.strip()), raw.strip()
        kind, unit, value = "percent", "", None
        if raw:
            m = _NUMBER_VALUE.match(raw)
            if m and m.group(2):
                value = m.group(1)
            elif m:
                kind, value, unit = "number", m.group(1), m.group(3) or ""
            else:
                kind, value = "text", raw
        metric = self.build(index, Metric, group=group, name=name, kind=kind, unit=unit,
                            joined_by=joiner)
        try:
            metric.value = metric.check_value(value) if value is not None and kind != "text" else value
        except ValueError as exc:
            raise self.fail(index, f"{name}: {exc}") from None
        return metric

    def objective(self, s: SectionLines) -> tuple[Objective, list[Incident] | None]:
        m = _OBJECTIVE.match(s.heading)
        objective = self.build(s.start - 1, Objective, code=m.group(1), title=m.group(3),
                               spaced=bool(m.group(2)))
        incidents = None
        stack: list[tuple[int, ObjectiveItem]] = []  # (indent, item)
        lines = s.lines
        n = 0
        while n < len(lines):
            line, index = lines[n], s.start + n
            n += 1
            if not line.strip():
                continue
            if INCIDENT_HOST.match(line):
                if incidents is not None:
                    raise self.fail(index, "the incident log appears twice in one objective")
                block = []
                while n < len(lines) and (lines[n].startswith("- ") or not lines[n].strip()):
                    if lines[n].strip() and not _INCIDENT.match(lines[n]):
                        break
                    block.append(lines[n])
                    n += 1
                incidents = self.incident_lines(s, index + 1, block)
                continue
            if line.startswith("- "):
                item = self.item(index, line[2:])
                objective.items.append(item)
                stack = [(0, item)]
                continue
            child = _CHILD.match(line)
            if child and stack:
                indent = len(child.group(1))
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                if not stack:
                    raise self.fail(index, "a sub-item needs an item above it")
                parent = stack[-1][1]
                if not parent.children:
                    parent.ordered_children = child.group(2) is not None
                item = self.item(index, child.group(3))
                parent.children.append(item)
                stack.append((indent, item))
                continue
            raise self.fail(index, f"under {objective.code}, each line is an item ('- …') or a "
                                   f"sub-item ('    1. …')")
        return objective, incidents

    def item(self, index: int, raw: str) -> ObjectiveItem:
        line = unescape_line(raw)
        name, sep, text = line.partition("：")
        if sep and name.strip() and text and len(name) <= 30:
            item = self.build(index, ObjectiveItem, name=name, text=text)
        elif len(line) <= 30 and "，" not in line:
            item = self.build(index, ObjectiveItem, name=line)
        else:
            item = self.build(index, ObjectiveItem, text=line)
        enrich_item(item, self.anchor)
        item.children = []
        return item

    def incident_lines(self, s: SectionLines, start: int, lines: list[str]) -> list[Incident]:
        out = []
        for n, line in enumerate(lines):
            if not line.strip():
                continue
            index = start + n
            m = _INCIDENT.match(line)
            if not m:
                raise self.fail(index, "an incident line is '- M/D HH:MM what happened'")
            written, m1, d1, m2, d2, hour, minute, summary = m.groups()
            month, day = m1 or m2, d1 or d2
            try:
                when = nearest_year(int(month), int(day), self.anchor)
                at = datetime(when.year, when.month, when.day, int(hour), int(minute))
            except ValueError:
                raise self.fail(index, f"{month}/{day} {hour}:{minute} is not a date and time that exists") from None
            monday = monday_of(self.anchor)
            if not monday - timedelta(days=7) <= when <= monday + timedelta(days=13):
                # never filed in another year: a time must be in the report's week, or a typo away
                raise self.fail(index, f"{month}/{day} {hour}:{minute} is not in the week of {monday} "
                                       f"(nor a week next to it)")
            canonical = f"{int(month)}/{int(day)} {int(hour):02d}:{minute}"
            out.append(enrich_incident(self.build(index, Incident, at=at, summary=summary,
                                                  when_written=None if written == canonical else written)))
        return out

    def numbered(self, s: SectionLines) -> list[ListEntry]:
        entries: list[tuple[int, list[str]]] = []
        for n, line in enumerate(s.lines):
            if m := _NUMBERED.match(line):
                entries.append((s.start + n, [unescape_line(m.group(2))]))
            elif entries:
                entries[-1][1].append(unescape_line(line))
            elif line.strip():
                raise self.fail(s.start + n, "this section is a numbered list ('1. …')")
        return [self.build(i, ListEntry, text="\n".join(trim_blank_lines(lines))) for i, lines in entries]

    def daily(self, s: SectionLines) -> list[DailyNote]:
        out = []
        for n, line in enumerate(s.lines):
            if not line.strip():
                continue
            index = s.start + n
            m = _DAILY.match(line.strip())
            day = _date_in(m.group(1)) or _date_in(unquote(m.group(2))) if m else None
            if not m or day is None:
                raise self.fail(index, "a daily note is a link like '[2023/10/12 周四](2023-10-12 周四.md)'")
            if (why := unsafe_link(m.group(2))) is not None:
                raise self.fail(index, f"the daily-note link '{visible(m.group(2)[:120])}' {why}; not read")
            out.append(self.build(index, DailyNote, day=day, link=m.group(2)))
        return out

    def build(self, index: int, cls, **fields):
        try:
            return cls(**fields)
        except ValidationError as exc:
            raise self.fail(index, describe_validation(exc)) from None


def unsafe_link(link: str) -> str | None:
    """Why a daily-note link is not a plain file name in the report's folder; None when it is."""
    name = unquote(link)
    if len(name.encode("utf-8", "surrogatepass")) > 255:
        return "is longer than 255 bytes"
    if not name or name in (".", "..") or any(ch in name for ch in "/\\\x00:") or name.startswith("~"):
        return "is not a file name in the report's folder"
    if re.search(r"[\x00-\x1f\x7f-\x9f]", name):
        return "holds a control character"
    return None


@lru_cache(maxsize=1)
def block_parser():
    """One parser for every file of an import (building one costs more than a small file)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.core.ruler.disable(["inline", "text_join"])  # only blocks matter here: headings, fences, lists
    return md


def _date_in(text: str) -> date | None:
    m = re.search(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None



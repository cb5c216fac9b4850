"""A file that is one table keyed by week (`| 周次 | 本周完成 | 下周计划 |`, a row `| 第1周 | … |` a
week): each row becomes a week, dated from --date for its first row (or --week-one), its work
cell a work item and its plan cell a next-week item, each row keeping its words."""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import ValidationError

from weekly_zhoubao.store.errors import describe_validation
from weekly_zhoubao.store.models import KeyWorkItem, ListEntry, Week, monday_of
from weekly_zhoubao.store.templates import SectionSpec, Template
from weekly_zhoubao.store.words import read_due, read_progress

from .escape import trim_blank_lines
from .import_dates import week_number_in
from .import_fields import table_cells
from .import_model import Mapping, Refused, WeekRead

_ROW = re.compile(r" {0,3}\|")
_RULE = re.compile(r" {0,3}\|?[ \t:|-]{3,}$")
_KEY = re.compile(r"^(?:周次|周|周数|week|wk)$", re.I)
_WORK = re.compile(r"本周|完成|进展|done|work|progress", re.I)
_PLAN = re.compile(r"下周|计划|next|plan", re.I)


def find_week_table(lines: list[str], start: int) -> tuple[int, list[int]] | None:
    """(the header's index, the rows' indices) of a table whose rows are weeks, two or more."""
    for n in range(start, len(lines) - 2):
        if not (_ROW.match(lines[n]) and _RULE.match(lines[n + 1]) and "-" in lines[n + 1]):
            continue
        names = table_cells(lines[n])
        if not names or not _KEY.match(names[0].strip("* ")):
            continue
        rows = []
        for k in range(n + 2, len(lines)):
            if not _ROW.match(lines[k]):
                break
            if week_number_in(table_cells(lines[k])[0]) is None:
                return None
            rows.append(k)
        return (n, rows) if len(rows) >= 2 else None
    return None


def read_week_table(importer, header: int, rows: list[int]) -> None:
    """The weeks of the table into `importer.result`; a problem when no date says its first week."""
    lines, options = importer.lines, importer.options
    names = table_cells(lines[header])
    work = next((k for k, name in enumerate(names) if k and _WORK.search(name)), 1)
    plan = next((k for k, name in enumerate(names) if k and k != work and _PLAN.search(name)), None)
    first = week_number_in(table_cells(lines[rows[0]])[0])
    if options.week_one is None and options.fallback is None:
        importer.problem(rows[0], "the table's rows are weeks dated by number only; pass --date D (a day of "
                                  f"the week in row '{table_cells(lines[rows[0]])[0]}') or --week-one D")
        raise Refused
    after = "\n".join(trim_blank_lines(lines[rows[-1] + 1:]))
    for position, row in enumerate(rows):
        cells = table_cells(lines[row])
        number = week_number_in(cells[0])
        day = options.week_one + timedelta(weeks=number - 1) if options.week_one is not None else \
            options.fallback + timedelta(weeks=number - first)
        monday = monday_of(day)
        words = cells[work] if work < len(cells) and cells[work] else cells[0]
        try:
            item = KeyWorkItem(title=words[:1_000], written=lines[row], progress=read_progress(words),
                               due=read_due(words, day))
            if position == 0:
                item.before = "\n".join(lines[header:header + 2])
                week = Week(monday=monday, preamble="\n".join(trim_blank_lines(lines[:header])))
            else:
                week = Week(monday=monday)
            if position == len(rows) - 1:
                item.after = after
            week.key_work = [item]
            if plan is not None and plan < len(cells) and cells[plan]:
                week.next_week = [ListEntry(text=cells[plan][:1_000], written="")]  # its words are the row's
            if day != monday + timedelta(days=options.report_day):
                week.report_date = day
            week.title_line = ""
            week.layout = Template(
                name="imported:week-table", lang="zh", title_level=0, sections=[
                    SectionSpec(key="key_work", kind="key_work", raw="", level=0, marker="| "),
                    SectionSpec(key="next_week", kind="list", raw="", level=0, marker="| ")])
            week.template = week.layout.name
        except (ValidationError, ValueError) as exc:
            importer.problem(row, describe_validation(exc) if isinstance(exc, ValidationError) else str(exc))
            raise Refused from None
        read = WeekRead(week, row, "--week-one and its week number" if options.week_one else
                        "--date for its first row and its week number")
        read.mappings.append(Mapping(row + 1, lines[row].strip()[:80], "key_work", "fields"))
        importer.sections.fields(read)
        importer.result.weeks.append(read)

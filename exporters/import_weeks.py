"""An imported file split into its weeks: every dated title starts one, each dated from its
title, a line under it, the front matter, the path, its body's dates or --date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import PurePath

from pydantic import ValidationError

from weekly_zhoubao.store.errors import describe_validation
from weekly_zhoubao.store.models import Week, monday_of
from weekly_zhoubao.store.counts import counts
from weekly_zhoubao.store.weeks import week_number
from weekly_zhoubao.store.synonyms import OBJECTIVE, objective_parts, section_key
from weekly_zhoubao.store.templates import SectionSpec, Template
from weekly_zhoubao.store.text import visible

from . import dates
from .escape import trim_blank_lines
from .import_dates import (
    body_dates, date_line, front_date, has_full_date, path_found, safe_find, starts_dated, week_number_in,
)
from .import_headings import (
    LIST_ITEM, PROPERTY, atx_headings, fill_numbered, front_matter, looks_like_title,
    pseudo_headings, title_pattern,
)
from .import_model import FileRead, Mapping, Part, ReadOptions, Refused, WeekRead, significant
from .import_sections import SectionReader
from .import_week_table import find_week_table, read_week_table
from .markdown import ExportOptions, render
from .sample_reader import ImportProblem, SampleReader

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class FileImporter:
    """Reads one file into its weeks; every problem noted, none raised."""

    def __init__(self, file: str, text: str, options: ReadOptions) -> None:
        self.file = file
        self.text = text
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.options = options
        self.result = FileRead(file)
        self.sections = SectionReader(self)
        self.first_week_number: int | None = None  # a file dated by week numbers only: its first
        self._years: dict[tuple[int, int], int] | None = None  # the file's full dates, read when a yearless one needs them
        self.document_year = dates.year_in(next((line for line in self.lines if line.strip()), "")[:200])
        self.yearless_in: str | None = None  # "the file name" / "the folder name": a date there lacks a year

    def contents_years(self) -> dict[tuple[int, int], int]:
        """(month, day) → year of the full dates the file writes (a contents list, a date line)."""
        if self._years is not None:
            return self._years
        years = self._years = {}
        for line in self.lines:
            if not any(ch.isdigit() for ch in line):
                continue
            try:
                found = dates.full_dates(line[:300])
            except dates.BadDate:
                continue
            for _, day in found:
                years.setdefault((day.month, day.day), day.year)
        return years

    def where(self, index: int) -> str:
        return f"{self.file}:{index + 1}"

    def problem(self, index: int, message: str) -> None:
        self.result.problems.append(f"{self.where(index)}: {message}")

    def warn(self, index: int, message: str) -> None:
        self.result.warnings.append(f"{self.where(index)}: {message}")

    def read(self) -> FileRead:
        for n, line in enumerate(self.lines):
            if _CONTROLS.search(line.replace("\t", "")):
                self.problem(n, f"a control character in '{visible(line[:120])}'; not imported")
        if self.result.problems:
            return self.result
        own = dates.numeric_order(self.text)
        order = dates.DAY_FIRST.set(own if own is not None else self.options.day_first)
        guessed = dates.GUESSED_ORDER.set([])
        try:
            self._read()
            self._warn_guessed_order(dates.GUESSED_ORDER.get())
        except Refused:
            pass
        except (ValidationError, ValueError) as exc:  # a limit no check above foresaw: one line, no traceback
            message = describe_validation(exc) if isinstance(exc, ValidationError) else str(exc)
            self.problem(0, f"cannot be imported: {message}")
        finally:
            dates.DAY_FIRST.reset(order)
            dates.GUESSED_ORDER.reset(guessed)
        if self.result.problems:
            self.result.weeks = []
        return self.result

    def _warn_guessed_order(self, guessed: list[str]) -> None:
        """A date like 04-08-2017 with nothing in the file or its folder to say whether the day
        or the month comes first was read month first: said, so a wrong week can be caught."""
        if not self.result.weeks:
            return
        for written in dict.fromkeys(guessed):
            at = next((n for n, line in enumerate(self.lines) if written in line), 0)
            month, day, year = re.split(r"[/\-.]", written)
            self.warn(at, f"'{written}' read as {year}-{int(month):02d}-{int(day):02d} (month first): nothing "
                          f"says whether the day or the month comes first; if it is the day, import with --day-first")

    def _read(self) -> None:
        lines = self.lines
        fm_end = front_matter(lines)
        fm_day, fm_year = front_date(lines[:fm_end]) if fm_end else (None, None)
        heads, self.quoted = atx_headings(lines, fm_end)
        self.heads = heads
        first_text = next((n for n in range(fm_end, len(lines)) if lines[n].strip()), None)

        table = find_week_table(lines, fm_end)
        if table is not None and not any(i > table[0] for i, _, _ in heads):
            read_week_table(self, *table)  # one table, a row a week
            return

        # The title: the first heading when it looks like one (or names the report above deeper
        # headings), else a plain first line with a date (`7.7周报`). Later dated headings at
        # its level start weeks of their own.
        titles: list[tuple[int, int, str]] = []
        if heads and looks_like_title(heads[0][2]):
            titles.append(heads[0])
        elif heads and heads[0][0] == first_text and heads[0][1] == 1 and section_key(heads[0][2]) is None and \
                not OBJECTIVE.match(heads[0][2]) and len(heads) > 1 and heads[1][1] > heads[0][1]:
            titles.append(heads[0])
        elif first_text is not None and (not heads or heads[0][0] != first_text):
            words = lines[first_text].strip()
            if len(words) <= 60 and not LIST_ITEM.match(words) and looks_like_title(words) and (
                    safe_find(words) is not None):
                titles.append((first_text, 0, words))
        numbered = self._week_number_titles(heads)
        if numbered:
            # `## Week 1`, `## Week 2`, … or `# 第十二周`: each starts a week, dated by the line
            # under it, else counted from --date (or --week-one)
            titles = numbered
        elif titles and titles[0][1] > 0 and safe_find(titles[0][2]) is None:
            # `# Weekly Progress Reports` above `## Week 2: March 11 - March 15, 2024`, … : the weeks
            # are the dated headings below; the document's title goes with the first week.
            dated = [(i, lv, w) for i, lv, w in heads if i > titles[0][0] and lv > titles[0][1]
                     and safe_find(w) is not None and section_key(w) is None and not OBJECTIVE.match(w)]
            if dated and (any(has_full_date(w) for _, _, w in dated) or
                          sum(lv == dated[0][1] for _, lv, _ in dated) >= 2):
                # `## 3月23日周报`, `## 3月16日周报`, …: yearless, each still a week of its own
                level = dated[0][1]
                titles = [(i, lv, w) for i, lv, w in dated if lv == level]
        if titles and titles[0][1] > 0:
            t_level = titles[0][1]
            for index, level, words in heads:
                if index <= titles[0][0] or level != t_level or any(index == t[0] for t in titles):
                    continue
                found = safe_find(words)
                if found is not None and (section_key(words) is None or starts_dated(words)) \
                        and not OBJECTIVE.match(words):
                    # `# 2021/11/12 Preprocessing done!`: a full date first makes it a week's
                    # title before its words make it a section; a date inside the week before
                    # it stays a section of that week (_one_title_a_week)
                    titles.append((index, level, words))

        # Notion's export: a duplicate title, then its properties, then the title again.
        page_title_at = None
        if len(titles) > 1 and titles[0][1] == titles[1][1] and all(
                not lines[n].strip() or PROPERTY.match(lines[n]) for n in range(titles[0][0] + 1, titles[1][0])):
            page_title_at = titles[0][0]
            titles = titles[1:]

        if not titles:
            self._week(None, fm_end, len(lines), fm_day, fm_year, heads, preamble_end=fm_end)
            return
        titles = self._one_title_a_week(titles, fm_year)
        bounds = [t[0] for t in titles] + [len(lines)]
        for n, title in enumerate(titles):
            try:  # every week's problems, not only the first week's
                self._week(title, bounds[n], bounds[n + 1], fm_day if n == 0 else None, fm_year, heads,
                           preamble_end=bounds[n], preamble_from=0 if n == 0 else bounds[n],
                           page_title_at=page_title_at if n == 0 else None)
            except Refused:
                continue

    def _week_number_titles(self, heads) -> list[tuple[int, int, str]]:
        """Headings that name a week by its number only (`Week 2:`, `第十二周汇报`), two or more at
        one level; none when any of them carries a full date (the dates decide then)."""
        found = [(i, lv, w) for i, lv, w in heads if week_number_in(w) is not None]
        if not found:
            return []
        level = found[0][1]
        found = [t for t in found if t[1] == level]
        if len(found) < 2 or any(has_full_date(w) for _, _, w in found):
            return []
        self.first_week_number = week_number_in(found[0][2])
        return found

    def _yearless(self, found: dates.Found, fm_year) -> tuple[date | None, str]:
        """A yearless date's year: from the file's own contents (a full date with that month and
        day, as a contents list has it), its first heading (`Fall 2025`), the front matter, the
        folder, the neighbours or --date."""
        year = self.contents_years().get((found.month, found.dom)) or self.document_year
        hint = date(year, found.month, 1) if year else None
        if hint is None and fm_year:
            hint = date(fm_year, found.month, 1)
        elif hint is None and (year := dates.year_in(str(PurePath(self.file).parent))) is not None:
            hint = date(year, found.month, 1)
        elif hint is None:
            hint = self.options.year_hint or self.options.fallback
        day = dates.resolve(found, hint) if hint is not None else None
        return day, "the title (year from elsewhere)"

    def _one_title_a_week(self, titles, fm_year):
        """Two dated entries of one week (`## 2017-08-24`, `## 2017-08-26`) are one week: the
        later one's heading and lines become a section of it, and the dry run says so."""
        kept, last = [], None
        for title in titles:
            found = safe_find(title[2])
            monday = None
            if isinstance(found, dates.Found):
                day = found.day if found.day else dates.resolve(found, None, self.options.numbering) \
                    if found.how == "week" else self._yearless(found, fm_year)[0]
                monday = monday_of(day) if day is not None else None
            if kept and monday is not None and monday == last:
                self.warn(title[0], f"'{visible(title[2][:80])}' falls in the week of {monday} like the part above "
                                    f"it: kept as a section of that week")
                continue
            kept.append(title)
            last = monday if monday is not None else last
        return kept

    # --- one week ------------------------------------------------------------------------

    def _date(self, title, fm_day, fm_year, start: int = 0, end: int = 0) -> tuple[date | None, str]:
        found = None
        if title is not None:
            try:
                found = dates.find_date(title[2])
            except dates.BadDate as exc:
                self.problem(title[0], str(exc))
                raise Refused from None
        if found is not None and found.day is not None:
            return found.day, "the title"
        if found is not None and found.how == "week":
            return dates.resolve(found, None, self.options.numbering), "the title (year and week)"
        if found is not None:  # yearless: a year from the file's contents, front matter, path, neighbours, --date
            day, where = self._yearless(found, fm_year)
            if day is not None:
                return day, where
        near = date_line(self.lines, title[0] + 1 if title else start, end)
        if near is not None:
            return near, "a line under the title"
        if title is not None and found is None:
            # `## Week 1` above `### September 1st - September 5th:`
            under = next((n for n in range(title[0] + 1, min(end, title[0] + 4)) if self.lines[n].strip()), None)
            words = self.lines[under].strip() if under is not None else ""
            below = safe_find(words) if len(words) <= 80 else None
            if isinstance(below, dates.Found) and below.how == "yearless":
                day, _ = self._yearless(below, fm_year)
                if day is not None:
                    return day, "the line under the title"
        number = week_number_in(title[2]) if title is not None else None
        if number is not None and self.first_week_number is not None:
            if self.options.week_one is not None:
                return self.options.week_one + timedelta(weeks=number - 1), "--week-one and its week number"
            if self.options.fallback is not None:
                return self.options.fallback + timedelta(weeks=number - self.first_week_number), \
                    "--date for its first week and its week number"
        if fm_day is not None:
            return fm_day, "the front matter"
        day, where = self._path_date(fm_year)
        if day is not None:
            return day, where
        spread = body_dates(self.lines, start, end)
        if spread is not None:
            return spread, "the dates in its body (all in one week)"
        if self.options.fallback is not None:
            return self.options.fallback, "--date"
        if found is not None:
            self.result.needs_year = True
        return None, ""

    def _path_date(self, fm_year) -> tuple[date | None, str]:
        """The date in the file name, else in its folder's name (`2026-08-14/report.md`,
        `23_11_15/`, `10.13zhoubao/`). A yearless one takes its year from the front matter, the
        path above it, the neighbours, or --date (which then gives only the year)."""
        path = PurePath(self.file)
        for named, where, above in ((dates.file_date(path.name), "the file name", path.parent),
                                    (path_found(path.stem), "the file name", path.parent),
                                    (path_found(path.parent.name), "the folder name", path.parent.parent)):
            if named is None:
                continue
            if named.how != "yearless":
                day = dates.resolve(named, None, self.options.numbering)
                if day is not None:
                    return day, where
                continue
            year = fm_year or dates.year_in(str(above))
            if year is None and self.options.year_hint is None and self.options.fallback is not None:
                year = self.options.fallback.year  # --date gives the year; the name gives the day
                where += " (year from --date)"
            hint = date(year, named.month, 1) if year else self.options.year_hint
            if hint is None:
                self.result.needs_year = True
                self.yearless_in = self.yearless_in or where
                continue
            day = dates.valid_date(year, named.month, named.dom) if year else dates.resolve(named, hint)
            if day is not None:
                return day, where
        return None, ""

    def _week(self, title, start: int, end: int, fm_day, fm_year, heads, *, preamble_end: int,
              preamble_from: int = 0, page_title_at: int | None = None) -> None:
        lines = self.lines
        day, source = self._date(title, fm_day, fm_year, start, end)
        at = title[0] if title else 0
        if day is None and self.first_week_number is not None:
            if not self.result.problems:  # one line for the file, not one a week
                self.problem(at, f"'{visible(title[2][:60])}' names its week by number only; pass --date D (a day "
                                 f"of the file's first week) or --week-one D (a day of week 1)")
            raise Refused
        if day is None:
            what = (f"the date in {self.yearless_in or 'the title'} has no year"
                    if self.result.needs_year else
                    "no week title with a date, and no date in the front matter or file name")
            self.problem(at, f"{what}; pass --date D (a day of the report's week, e.g. --date 2023-10-13)")
            raise Refused
        if not 1900 <= day.year <= 2999:
            self.problem(at, f"{day} is outside the years 1900–2999")
            raise Refused
        monday = monday_of(day)

        body_from = title[0] + 1 if title else start
        # The sample's own layout first: read by the strict reader, exported byte for byte.
        strict = self._strict(start if page_title_at is None else page_title_at, end) if title else None
        if strict is not None:
            week = strict
            pre = "\n".join(lines[preamble_from:page_title_at if page_title_at is not None else start])
            week.preamble = pre if pre.strip() else ""
            read = WeekRead(week, at, source)
            for index, level, words in heads:
                if start < index < end:
                    obj = OBJECTIVE.match(words)
                    key = f"objective:{objective_parts(obj)[0]}" if obj else section_key(words) or "custom"
                    read.mappings.append(Mapping(index + 1, lines[index].strip(), key, "fields"))
            self.sections.fields(read)
            self.result.weeks.append(read)
            return

        week = Week(monday=monday)
        if day != monday + timedelta(days=self.options.report_day):
            week.report_date = day
        read = WeekRead(week, at, source)
        if title is not None:
            week.title_line = lines[title[0]]
            m = re.search(r"第\s*(\d{1,2})\s*周", title[2])
            if m and int(m.group(1)) != week_number(day, self.options.numbering):
                week.stated_number = int(m.group(1))
        else:
            week.title_line = ""
        pre_to = title[0] if title else preamble_end
        pre = "\n".join(trim_blank_lines(lines[preamble_from:pre_to]))
        self._text_field(week, "preamble", pre, preamble_from)
        for index, level, words in heads:  # headings above the title stay there, as written
            if preamble_from <= index < pre_to:
                read.mappings.append(Mapping(index + 1, lines[index].strip(), "custom", "kept before the title"))

        region = [(i, lv, w) for i, lv, w in heads if body_from <= i < end]
        if title is not None and title[1] == 0:
            region = [(i, lv, w) for i, lv, w in region if i != title[0]]
        quoted = [(i, lv, w) for i, lv, w in self.quoted if body_from <= i < end]
        if not region and quoted:
            region = quoted
        if region:
            top = region[0][1]
            parts_at = [(i, lv, w) for i, lv, w in region if lv <= top]
            if not any(section_key(w) or OBJECTIVE.match(w) for _, _, w in parts_at):
                # `### September 1st - September 5th:` above `Tasks completed:` lines: those lines
                # name the sections
                heading_at = {i for i, _, _ in region}
                named = [p for p in pseudo_headings(lines, body_from, end) if section_key(p[2]) and p[0] not in heading_at]
                parts_at = sorted(parts_at + named)
        else:
            parts_at = fill_numbered(lines, pseudo_headings(lines, body_from, end), body_from, end)
        first = parts_at[0][0] if parts_at else end
        intro = "\n".join(trim_blank_lines(lines[body_from:first]))
        self._text_field(week, "intro", intro, body_from)

        anchor = day
        # The report's language: that of the headings naming our sections (objectives and the
        # user's own sections may be in either), else of the title.
        named = "".join(w for _, _, w in parts_at if section_key(w) and not OBJECTIVE.match(w))
        words = named or week.title_line or ""
        self.sections.lang = "zh" if re.search(r"[\u4e00-\u9fff]", words) or not words.strip() else "en"
        specs: list[SectionSpec] = []
        stated = None
        used: set[str] = set()
        for n, (index, level, words) in enumerate(parts_at):
            stop = parts_at[n + 1][0] if n + 1 < len(parts_at) else end
            part = Part(index, lines[index], words, level, index + 1, stop)
            spec, stated_here = self.sections.section(week, part, used, anchor, read)
            stated = stated_here if stated_here is not None else stated
            specs.append(spec)
            used.add(spec.key)
        if stated is not None and stated != counts(week.incidents):
            week.stated_incident_counts = stated
        if len(specs) > 2_000:
            self.problem(at, f"{len(specs):,} sections in one week (at most 2,000); split the file")
            raise Refused
        week.layout = Template(name=f"imported:{PurePath(self.file).stem}"[:80], sections=specs, lang=self.sections.lang,
                               title={"zh": title_pattern(week.title_line or ""), "en": title_pattern(week.title_line or "")},
                               title_level=0, incident_host=week.incident_host if week.incidents else None)
        week.template = week.layout.name
        try:
            week = Week.model_validate(week.model_dump())
        except ValidationError as exc:
            self.problem(at, describe_validation(exc))
            raise Refused from None
        self.sections.fields(read)
        read.week = week
        self.result.weeks.append(read)

    def _text_field(self, week: Week, name: str, text: str, index: int) -> None:
        try:
            setattr(week, name, text)
        except ValidationError as exc:
            self.problem(index, describe_validation(exc))
            raise Refused from None

    def _strict(self, start: int, end: int) -> Week | None:
        text = "\n".join(self.lines[start:end]) + "\n"
        heads = [(i - start, w) for i, _, w in self.heads if start <= i < end]
        try:
            week = SampleReader(self.file, text, self.options.numbering, self.options.report_day).read(heads)
        except (ImportProblem, ValidationError, ValueError):
            return None
        # Only when writing it back gives every line again (a note under the metrics, a table:
        # the strict reader would drop them).
        again = render(week, ExportOptions(numbering=self.options.numbering, report_day=self.options.report_day))
        if significant([line for line in again.split("\n")]) != significant(
                [line for line in text.split("\n") if not line.startswith("Created: ")]):
            return None
        return week

    # --- one section ----------------------------------------------------------------------


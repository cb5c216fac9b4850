"""Reports in any layout, read into weeks with nothing lost.

A file is split into its weeks (each dated title starts one), each week into its sections
(headings, or `一、…`-style lines in a file without headings). A heading is matched to a
section by the synonym table; what no synonym names becomes a custom section. Each
section of a known kind is read into the week's structured fields only when writing those
fields back gives the very same lines; otherwise it is kept as written, so every line of
the file comes back in the export. The layout (headings as written, their order, list
markers) is kept with the week as its template."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePath

from pydantic import ValidationError

from weekly_zhoubao.store.errors import describe_validation
from weekly_zhoubao.store.models import KeyWorkItem, ListEntry, Section, Week, monday_of
from weekly_zhoubao.store.counts import counts
from weekly_zhoubao.store.weeks import week_number
from weekly_zhoubao.store.synonyms import OBJECTIVE, is_numbered_heading, is_synonym, normalise, objective_parts, section_key
from weekly_zhoubao.store.templates import SectionSpec, Template
from weekly_zhoubao.store.text import visible

from . import dates
from .escape import trim_blank_lines, unescape_line, unescape_text
from .markdown import KEY_WORK_START, ExportOptions, section_body

FILE_CAP = 2 * 1024 * 1024  # bytes of one imported file
ITEM_CAP = 2_000  # list items in one section

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PROPERTY = re.compile(r"^[A-Za-z][\w ]{0,30}:\s")  # Notion's page properties (Created: …)
_TITLE_WORDS = re.compile(r"周报|双周报|月报|周总结|weekly|\bweeks?\s*\d|weeknotes|week\d|第\s*\d+\s*周|工作日志|\bW\d", re.I)
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)、．]|[一二三四五六七八九十]{1,3}、)[ \t]")
_MARKER = re.compile(r"^([ \t]{0,3})(?:(\d{1,9})([.)、．])([ \t]*)|([-*+])([ \t]+))(?=\S)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_FRONT_KEYS = re.compile(
    r"^\s*(date|week_ending|week_end|weekending|end_date|enddate|week_of|published|pubdate|created|day)\s*[:=]\s*"
    r"['\"]?([^'\"\n#]+)", re.I)
_FRONT_YEAR = re.compile(r"^\s*year\s*[:=]\s*['\"]?(\d{4})", re.I)
_FRONT_WEEK = re.compile(r"^\s*week\s*[:=]\s*['\"]?(\d{1,2})\b", re.I)
_FRONT_MONTH = re.compile(r"^\s*month\s*[:=]\s*['\"]?(\d{1,2})\b", re.I)
_FRONT_DAY = re.compile(r"^\s*day\s*[:=]\s*['\"]?(\d{1,2})\b", re.I)


@dataclass
class ReadOptions:
    numbering: str = "jan1"
    report_day: int = 4
    fallback: date | None = None  # --date: for a file that carries no date at all
    year_hint: date | None = None  # a yearless title's year: from neighbours or --date
    day_first: bool | None = None  # how the folder orders 04-08-2017 (the file's own dates win)


@dataclass
class Mapping:
    line: int
    heading: str
    key: str
    how: str  # "fields" (read into the week's fields) or "as written"


@dataclass
class WeekRead:
    week: Week
    title_line: int
    date_from: str
    mappings: list[Mapping] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


@dataclass
class FileRead:
    file: str
    weeks: list[WeekRead] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    needs_year: bool = False


@dataclass
class _Part:
    line: int  # 0-based index of the heading
    raw: str  # the heading line as written
    text: str  # its words
    level: int
    start: int
    end: int


class _Problems(Exception):
    pass


# --- the file's outline --------------------------------------------------------------------

def _front_matter(lines: list[str]) -> int:
    """Lines taken by YAML (---) or TOML (+++) front matter at the top; 0 when none."""
    if lines and re.match(r"^[A-Za-z_][\w-]*\s*=\s*\S", lines[0]):
        # bare TOML keys closed by a rule (`title = '…'` … `===`), as some static sites write it
        for n in range(1, min(len(lines), 40)):
            if re.fullmatch(r"(=|\+|-){3,}\s*", lines[n]):
                return n + 1
            if not re.match(r"^[A-Za-z_][\w-]*\s*=\s*\S", lines[n]):
                return 0
        return 0
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    fence = lines[0].strip()
    first = next((line for line in lines[1:20] if line.strip()), "")
    if not re.match(r"^\s*[\w.-]+\s*[:=]", first):
        return 0  # a thematic break, not front matter
    for n in range(1, min(len(lines), 400)):
        if lines[n].strip() == fence or (fence == "---" and lines[n].strip() == "..."):
            return n + 1
    return 0


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_QUOTED_HEADING = re.compile(r"^ {0,3}> ?(#{1,6})(?:[ \t]+|$)")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}(?!.*`)|~{3,})")
# `#2018年6月3日`: no space after the hashes, so not CommonMark's heading, but a dated week title
_GLUED_DATE_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=(?:19|20)\d{2}\s*(?:年|[/\-.．]\s*\d))")
_NEEDS_PARSER = re.compile(r"^(?: {1,3}#| {0,3}<| {0,3}>.*\n {0,3}#| *(?:[-+*]|\d+[.)])[ \t]+#)", re.M)


def _words_of(raw: str) -> str:
    words = raw.strip().lstrip(">").strip().lstrip("#").strip()
    return re.sub(r"[ \t]+#+[ \t]*$", "", words)  # closing hashes


def _atx_headings(lines: list[str], skip: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(index, level, words) of every real top-level ATX heading (not in a fence or a list),
    and of those one blockquote deep (`> ### 本周工作内容`). A plain scan for the usual file;
    CommonMark's own reading where indentation, HTML or a list could change the answer."""
    if _NEEDS_PARSER.search("\n".join(lines[skip:])):
        return _parsed_headings(lines, skip)
    found, quoted = [], []
    fence = ""
    for n in range(skip, len(lines)):
        line = lines[n]
        if fence:
            close = _FENCE_OPEN.match(line)
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = ""
            continue
        if m := _FENCE_OPEN.match(line):
            fence = m.group(1)
            continue
        if (m := _HEADING.match(line)) or (m := _GLUED_DATE_HEADING.match(line)):
            found.append((n, len(m.group(1)), _words_of(line)))
        elif m := _QUOTED_HEADING.match(line):
            quoted.append((n, len(m.group(1)), _words_of(line)))
    return found, quoted


def _parsed_headings(lines: list[str], skip: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    from .reader import _parser

    text = "\n".join([""] * skip + lines[skip:])
    found, quoted = [], []
    depth = 0
    for tok in _parser().parse(text):
        if tok.type == "blockquote_open":
            depth += 1
        elif tok.type == "blockquote_close":
            depth -= 1
        if tok.type == "heading_open" and tok.map and tok.markup.startswith("#"):
            raw = lines[tok.map[0]]
            words = raw.strip().lstrip(">").strip().lstrip("#").strip()
            words = re.sub(r"[ \t]+#+[ \t]*$", "", words)  # closing hashes
            if tok.level == 0:
                found.append((tok.map[0], len(tok.markup), words))
            elif tok.level == 1 and depth == 1 and raw.lstrip().startswith(">"):
                quoted.append((tok.map[0], len(tok.markup), words))
        elif tok.type == "paragraph_open" and tok.level == 0 and tok.map and \
                (m := _GLUED_DATE_HEADING.match(lines[tok.map[0]])):
            found.append((tok.map[0], len(m.group(1)), _words_of(lines[tok.map[0]])))
    return sorted(found), quoted


def _pseudo_headings(lines: list[str], start: int, end: int) -> list[tuple[int, int, str]]:
    """`一、学习内容`, `【本周工作】`, `**Done**`, `下周计划：` lines of a file without '#' headings."""
    found = []
    fenced = False
    for n in range(start, end):
        line = lines[n]
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip() or line[:1] in (" ", "\t"):
            continue
        s = line.strip()
        if is_numbered_heading(s) or re.fullmatch(r"【[^】]{1,30}】[:：]?", s) or \
                (re.match(r"^\d{1,2}\s*[.、．)]\s*\S", s) and len(s) <= 30 and section_key(s)) or \
                (re.fullmatch(r"\*\*[^*]{1,40}\*\*[:：]?", s) and section_key(s)) or \
                (len(s) <= 24 and section_key(s) and not _LIST_ITEM.match(s) and
                 (s.endswith((":", "：")) or normalise(s) == s.lower().strip())):
            found.append((n, 0, s))
        elif len(s) <= 60 and not _LIST_ITEM.match(s) and s[-1] not in ".。!?！？,，;；:：" and s[0] not in ">|<![*_-`" \
                and (n == start or not lines[n - 1].strip()) and n + 2 < end and not lines[n + 1].strip() \
                and _LIST_ITEM.match(lines[n + 2].lstrip(" ")[:0] + lines[n + 2]):
            found.append((n, 0, s))
    return found


_NUMBERED_LINE = re.compile(r"^(\d{1,2})\s*[.、．)]\s*\S")


def _fill_numbered(lines: list[str], found: list[tuple[int, int, str]], start: int, end: int):
    """`3.解决方案和采取措施` between `2.遇到的困难和问题` and `4.下周学习计划`: a numbered line
    that fills the gap between two numbered section lines is a section line too."""
    numbered = {n: int(_NUMBERED_LINE.match(w).group(1)) for n, _, w in found if _NUMBERED_LINE.match(w)}
    if len(numbered) < 2:
        return found
    marks = sorted(numbered.items())
    extra = []
    fenced = False
    for n in range(start, end):
        line = lines[n]
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or n in numbered or line[:1] in (" ", "\t") or len(line.strip()) > 30:
            continue
        m = _NUMBERED_LINE.match(line)
        if not m:
            continue
        k = int(m.group(1))
        before = [num for at, num in marks if at < n]
        after = [num for at, num in marks if at > n]
        if before and after and before[-1] == k - 1 and after[0] > k:
            extra.append((n, 0, line.strip()))
    return sorted(found + extra)


def _looks_like_title(words: str) -> bool:
    if is_synonym(words) or OBJECTIVE.match(words):
        return False
    try:
        return dates.find_date(words) is not None or bool(_TITLE_WORDS.search(words))
    except dates.BadDate:
        return True


def _front_date(lines: list[str], year_only: bool = False) -> tuple[date | None, int | None]:
    day = None
    year = week = month = dom = None
    for line in lines:
        if m := _FRONT_MONTH.match(line):
            month = int(m.group(1))
        if m := _FRONT_DAY.match(line):
            dom = int(m.group(1))
        if m := _FRONT_KEYS.match(line):
            try:
                found = dates.full_dates(m.group(2))
            except dates.BadDate:
                found = []
            if found and day is None:
                day = found[-1][1]
        if m := _FRONT_YEAR.match(line):
            year = int(m.group(1))
        if m := _FRONT_WEEK.match(line):
            week = int(m.group(1))
    if day is None and year and month and dom:
        day = dates._ok(year, month, dom)
    if day is None and year and week and 1 <= week <= 53:
        day = dates.resolve(dates.Found(None, "week", week=week, year=year), None)
    return day, (day.year if day else year)


# --- reading -------------------------------------------------------------------------------

class _Importer:
    def __init__(self, file: str, text: str, options: ReadOptions) -> None:
        self.file = file
        self.text = text
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.options = options
        self.result = FileRead(file)
        self.yearless_in: str | None = None  # "the file name" / "the folder name": a date there lacks a year

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
        except _Problems:
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
        fm_end = _front_matter(lines)
        fm_day, fm_year = _front_date(lines[:fm_end]) if fm_end else (None, None)
        heads, self.quoted = _atx_headings(lines, fm_end)
        self.heads = heads
        first_text = next((n for n in range(fm_end, len(lines)) if lines[n].strip()), None)

        # The title: the first heading when it looks like one (or names the report above deeper
        # headings), else a plain first line with a date (`7.7周报`). Later dated headings at
        # its level start weeks of their own.
        titles: list[tuple[int, int, str]] = []
        if heads and _looks_like_title(heads[0][2]):
            titles.append(heads[0])
        elif heads and heads[0][0] == first_text and heads[0][1] == 1 and section_key(heads[0][2]) is None and \
                not OBJECTIVE.match(heads[0][2]) and len(heads) > 1 and heads[1][1] > heads[0][1]:
            titles.append(heads[0])
        elif first_text is not None and (not heads or heads[0][0] != first_text):
            words = lines[first_text].strip()
            if len(words) <= 60 and not _LIST_ITEM.match(words) and _looks_like_title(words) and (
                    _safe_find(words) is not None):
                titles.append((first_text, 0, words))
        if titles and titles[0][1] > 0 and _safe_find(titles[0][2]) is None:
            # `# Weekly Progress Reports` above `## Week 2: March 11 - March 15, 2024`, … : the weeks
            # are the dated headings below; the document's title goes with the first week.
            dated = [(i, lv, w) for i, lv, w in heads if i > titles[0][0] and lv > titles[0][1]
                     and _safe_find(w) is not None and section_key(w) is None and not OBJECTIVE.match(w)]
            if dated and any(_full(w) for _, _, w in dated):
                level = dated[0][1]
                titles = [(i, lv, w) for i, lv, w in dated if lv == level]
        if titles and titles[0][1] > 0:
            t_level = titles[0][1]
            for index, level, words in heads:
                if index <= titles[0][0] or level != t_level or any(index == t[0] for t in titles):
                    continue
                found = _safe_find(words)
                if found is not None and (section_key(words) is None or _starts_dated(words)) \
                        and not OBJECTIVE.match(words):
                    # `# 2021/11/12 Preprocessing done!`: a full date first makes it a week's
                    # title before its words make it a section; a date inside the week before
                    # it stays a section of that week (_one_title_a_week)
                    titles.append((index, level, words))

        # Notion's export: a duplicate title, then its properties, then the title again.
        page_title_at = None
        if len(titles) > 1 and titles[0][1] == titles[1][1] and all(
                not lines[n].strip() or _PROPERTY.match(lines[n]) for n in range(titles[0][0] + 1, titles[1][0])):
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
            except _Problems:
                continue

    def _one_title_a_week(self, titles, fm_year):
        """Two dated entries of one week (`## 2017-08-24`, `## 2017-08-26`) are one week: the
        later one's heading and lines become a section of it."""
        kept, last = [], None
        for title in titles:
            found = _safe_find(title[2])
            monday = None
            if isinstance(found, dates.Found):
                hint = date(fm_year, found.month or 1, 1) if fm_year else self.options.year_hint or self.options.fallback
                day = dates.resolve(found, hint, self.options.numbering)
                monday = monday_of(day) if day is not None else None
            if kept and monday is not None and monday == last:
                continue
            kept.append(title)
            last = monday if monday is not None else last
        return kept

    # --- one week ------------------------------------------------------------------------

    def _date_line(self, start: int, end: int) -> date | None:
        """`2024.03.11 ~ 2024.03.15` or `**Week Ending**: 2024-03-15` near the top of a week."""
        seen = 0
        for n in range(start, min(end, len(self.lines))):
            line = self.lines[n].strip()
            if not line:
                continue
            seen += 1
            if seen > 12:
                break
            words = re.sub(r"[*_>#`|]", " ", line).strip()
            try:
                found = dates.full_dates(words)
            except dates.BadDate:
                continue
            if not found:
                continue
            rest = words
            for pattern, _ in dates._FULL:
                rest = pattern.sub("", rest)
            labelled = re.search(r"week|date|period|日期|时间|周期|本周|截止|ending", words, re.I)
            if labelled or len(re.sub(r"[\s~～\-–—至到to:：()（）]", "", rest)) <= 6:
                return found[-1][1]
        return None

    def _body_dates(self, start: int, end: int) -> date | None:
        """A report dated only in its body (a table of days): the last of its dates, when there
        are a few and they all fall within one week."""
        found: list[date] = []
        for n in range(start, min(end, len(self.lines))):
            try:
                found += [d for _, d in dates.full_dates(self.lines[n])]
            except dates.BadDate:
                continue
        if len(found) >= 2 and (max(found) - min(found)).days <= 6:
            return max(found)
        return None

    def _date(self, title, fm_day, fm_year, start: int = 0, end: int = 0) -> tuple[date | None, str]:
        found = None
        if title is not None:
            try:
                found = dates.find_date(title[2])
            except dates.BadDate as exc:
                self.problem(title[0], str(exc))
                raise _Problems from None
        if found is not None and found.day is not None:
            return found.day, "the title"
        if found is not None and found.how == "week":
            return dates.resolve(found, None, self.options.numbering), "the title (year and week)"
        if found is not None:  # yearless: a year from the front matter, the path, neighbours, --date
            hint = None
            if fm_year:
                hint = date(fm_year, found.month, 1)
            elif (year := dates.year_in(str(PurePath(self.file).parent))) is not None:
                hint = date(year, found.month, 1)
            elif self.options.year_hint:
                hint = self.options.year_hint
            elif self.options.fallback:
                hint = self.options.fallback
            if hint is not None:
                day = dates.resolve(found, hint)
                if day is not None:
                    return day, "the title (year from elsewhere)"
        near = self._date_line(title[0] + 1 if title else start, end)
        if near is not None:
            return near, "a line under the title"
        if fm_day is not None:
            return fm_day, "the front matter"
        day, where = self._path_date(fm_year)
        if day is not None:
            return day, where
        spread = self._body_dates(start, end)
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
                                    (_path_found(path.stem), "the file name", path.parent),
                                    (_path_found(path.parent.name), "the folder name", path.parent.parent)):
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
            day = dates._ok(year, named.month, named.dom) if year else dates.resolve(named, hint)
            if day is not None:
                return day, where
        return None, ""

    def _week(self, title, start: int, end: int, fm_day, fm_year, heads, *, preamble_end: int,
              preamble_from: int = 0, page_title_at: int | None = None) -> None:
        lines = self.lines
        day, source = self._date(title, fm_day, fm_year, start, end)
        at = title[0] if title else 0
        if day is None:
            what = (f"the date in {self.yearless_in or 'the title'} has no year"
                    if self.result.needs_year else
                    "no week title with a date, and no date in the front matter or file name")
            self.problem(at, f"{what}; pass --date D (a day of the report's week, e.g. --date 2023-10-13)")
            raise _Problems
        if not 1900 <= day.year <= 2999:
            self.problem(at, f"{day} is outside the years 1900–2999")
            raise _Problems
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
            self._fields(read)
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
        else:
            parts_at = _fill_numbered(lines, _pseudo_headings(lines, body_from, end), body_from, end)
        first = parts_at[0][0] if parts_at else end
        intro = "\n".join(trim_blank_lines(lines[body_from:first]))
        self._text_field(week, "intro", intro, body_from)

        anchor = day
        # The report's language: that of the headings naming our sections (objectives and the
        # user's own sections may be in either), else of the title.
        named = "".join(w for _, _, w in parts_at if section_key(w) and not OBJECTIVE.match(w))
        words = named or week.title_line or ""
        self.lang = "zh" if re.search(r"[\u4e00-\u9fff]", words) or not words.strip() else "en"
        specs: list[SectionSpec] = []
        stated = None
        used: set[str] = set()
        for n, (index, level, words) in enumerate(parts_at):
            stop = parts_at[n + 1][0] if n + 1 < len(parts_at) else end
            part = _Part(index, lines[index], words, level, index + 1, stop)
            spec, stated_here = self._section(week, part, used, anchor, read)
            stated = stated_here if stated_here is not None else stated
            specs.append(spec)
            used.add(spec.key)
        if stated is not None and stated != counts(week.incidents):
            week.stated_incident_counts = stated
        if len(specs) > 2_000:
            self.problem(at, f"{len(specs):,} sections in one week (at most 2,000); split the file")
            raise _Problems
        week.layout = Template(name=f"imported:{PurePath(self.file).stem}"[:80], sections=specs, lang=self.lang,
                               title={"zh": _title_pattern(week.title_line or ""), "en": _title_pattern(week.title_line or "")},
                               title_level=0, incident_host=week.incident_host if week.incidents else None)
        week.template = week.layout.name
        try:
            week = Week.model_validate(week.model_dump())
        except ValidationError as exc:
            self.problem(at, describe_validation(exc))
            raise _Problems from None
        self._fields(read)
        read.week = week
        self.result.weeks.append(read)

    def _text_field(self, week: Week, name: str, text: str, index: int) -> None:
        try:
            setattr(week, name, text)
        except ValidationError as exc:
            self.problem(index, describe_validation(exc))
            raise _Problems from None

    def _strict(self, start: int, end: int) -> Week | None:
        from .reader import ImportProblem, _Reader

        from .markdown import render

        text = "\n".join(self.lines[start:end]) + "\n"
        heads = [(i - start, w) for i, _, w in self.heads if start <= i < end]
        try:
            week = _Reader(self.file, text, self.options.numbering, self.options.report_day).read(heads)
        except (ImportProblem, ValidationError, ValueError):
            return None
        # Only when writing it back gives every line again (a note under the metrics, a table:
        # the strict reader would drop them).
        again = render(week, ExportOptions(numbering=self.options.numbering, report_day=self.options.report_day))
        if _significant([line for line in again.split("\n")]) != _significant(
                [line for line in text.split("\n") if not line.startswith("Created: ")]):
            return None
        return week

    # --- one section ----------------------------------------------------------------------

    def _section(self, week: Week, part: _Part, used: set[str], anchor: date, read: WeekRead):
        lines = self.lines[part.start:part.end]
        items = sum(1 for line in lines if _LIST_ITEM.match(line))
        if items > ITEM_CAP:
            self.problem(part.line, f"{items:,} list items in one section (at most {ITEM_CAP:,}); split the file")
            raise _Problems
        body = trim_blank_lines(lines)
        offset = part.start + next((n for n, line in enumerate(lines) if line.strip()), 0)
        obj = OBJECTIVE.match(part.text)
        key = f"objective:{objective_parts(obj)[0]}" if obj else section_key(part.text)
        if key == "daily" and (note := self._day_entry(week, part, body)) is not None:
            # `## 周一 3.11` and its lines: that day's daily note, under its own heading
            week.daily_notes.append(note)
            read.mappings.append(Mapping(part.line + 1, part.raw.strip(), f"day:{note.day}", "fields"))
            return SectionSpec(key=f"day:{note.day}", kind="daily", heading={"zh": _words(part.text)},
                               raw=part.raw, level=min(part.level, 6)), None
        if key is None:
            key = "custom"
        base = key
        k = 2
        while key in used:
            key = f"{base}-{k}"
            k += 1
        spec = SectionSpec(key=key, kind="custom", heading={"zh": _words(part.text)}, raw=part.raw,
                           level=min(part.level, 6))
        stated = None
        structured = None
        if key == base and key in ("key_work", "metrics", "incidents", "other", "next_week", "reflections",
                                   "daily") or (obj and key == base):
            try:
                structured = self._structured(week, key, spec, body, offset, anchor, obj)
            except _Keep as keep:
                if keep.index is not None:
                    self.warn(keep.index, f"kept as text in '{visible(_words(part.text))}': {keep.message}")
                structured = None
        if structured is not None:
            spec, apply, stated = structured
            apply()
            read.mappings.append(Mapping(part.line + 1, part.raw.strip(), key, "fields"))
            return spec, stated
        week.sections.append(self._custom(key, part, body))
        read.mappings.append(Mapping(part.line + 1, part.raw.strip(), key, "as written"))
        return spec, None

    def _day_entry(self, week: Week, part: _Part, body: list[str]):
        """The daily note a day heading (`周一 3.11`, `Tue 12 Mar`) starts, when it names a day of
        this week not named before and its lines are kept exactly as they are."""
        from weekly_zhoubao.store.models import DailyNote

        found = _safe_find(part.text)
        if not isinstance(found, dates.Found):
            return None
        day = dates.resolve(found, week.monday + timedelta(days=3), self.options.numbering)
        if day is None or not week.holds(day) or week.note_for(day) is not None:
            return None
        text = "\n".join(body)
        if _custom_breaks(text, part.level):
            return None
        try:
            return DailyNote(day=day, text=text)
        except ValidationError:
            return None

    def _custom(self, key: str, part: _Part, body: list[str]) -> Section:
        form = "list" if body and all(_LIST_ITEM.match(line) or not line.strip() or line[:1] in " \t"
                                      for line in body) else "markdown"
        try:
            return Section(key=key, title=_words(part.text)[:200] or key, form=form, body="\n".join(body))
        except ValidationError as exc:
            self.problem(part.line, describe_validation(exc))
            raise _Problems from None

    def _structured(self, week: Week, key: str, spec: SectionSpec, body: list[str], offset: int,
                    anchor: date, obj):
        """Read a section into the week's fields; None when writing them back would change a line."""
        from .reader import ImportProblem, _Reader, _Section

        reader = _Reader(self.file, "", self.options.numbering, self.options.report_day)
        reader.anchor = anchor
        reader.monday = week.monday
        section = _Section(key, spec.raw or "", offset, body)
        trial = Week(monday=week.monday, incident_host=week.incident_host)
        stated = None
        kind = "custom"
        if not obj and not _significant(body):  # an empty section of a known kind: nothing to read
            kinds = {"key_work": "key_work", "metrics": "metrics", "incidents": "incidents", "other": "list",
                     "next_week": "list", "reflections": "markdown", "daily": "daily"}
            return spec.model_copy(update={"kind": kinds[key]}), (lambda: None), None
        try:
            if key == "key_work":
                kind = "key_work"
                first = next((line for line in body if line.strip()), "")
                if first.startswith("- 【"):
                    spec = spec.model_copy(update={"marker": "- 【", "kind": kind})
                    trial.key_work = reader.key_work(section)
                elif first.startswith("- **"):
                    spec = spec.model_copy(update={"marker": "- **", "kind": kind})
                    trial.key_work = _bold_items(reader, section)
                else:
                    marker, entries = _list_entries(body)
                    spec = spec.model_copy(update={"marker": marker, "kind": kind})
                    trial.key_work = [KeyWorkItem(title=unescape_line(first_line), body=unescape_text(
                        "\n".join(rest), lists=False, extra=KEY_WORK_START)) for first_line, rest in entries]
            elif key == "metrics":
                kind = "metrics"
                trial.metrics, stated = reader.metrics(section, self.lang)
                trial.stated_incident_counts = stated
            elif key == "incidents":
                kind = "incidents"
                trial.incidents = reader.incident_lines(section, offset, body)
            elif key in ("other", "next_week"):
                kind = "list"
                marker, entries = _list_entries(body)
                spec = spec.model_copy(update={"marker": marker, "kind": kind})
                setattr(trial, key, [ListEntry(text=unescape_line(f) + "".join(
                    "\n" + unescape_line(r) for r in rest)) for f, rest in entries])
            elif key == "reflections":
                kind = "markdown"
                trial.reflections = unescape_text("\n".join(body), lists=False)
            elif key == "daily":
                kind = "daily"
                trial.daily_notes = reader.daily(section)
            elif obj:
                kind = "objectives"
                code, title_words, spaced = objective_parts(obj)
                objective, incidents = reader.objective(_Section("objective", f"【{code} {title_words}】", offset, body))
                objective.title, objective.spaced = title_words, spaced
                trial.objectives = [objective]
                if incidents is not None:
                    trial.incident_host = objective.code
                    trial.incidents = incidents
        except ImportProblem as exc:
            raise _Keep(exc.line - 1 if key in ("metrics", "incidents", "daily") or obj else None, exc.message) from None
        except (ValidationError, ValueError, _NotAList):
            raise _Keep(None, "") from None
        if trial.incidents and week.incidents:
            # one incident log a week: a second is kept as it was written
            raise _Keep(offset, "a second incident log in one week")
        spec = spec.model_copy(update={"kind": kind})
        counts_for = trial.stated_incident_counts or counts(trial.incidents)
        again = section_body(trial, spec, self.lang, counts_for, True)
        if again is None or _significant("\n".join(again).split("\n")) != _significant(body):
            if kind in ("metrics", "incidents", "objectives", "daily"):
                wrote = iter(_significant("\n".join(again or []).split("\n")))
                at = next((offset + k for k, line in enumerate(body) if line.strip() and line != next(wrote, None)),
                          offset)
                raise _Keep(at, "read as fields it would not be written back the same way")
            return None

        def apply():
            if key == "key_work":
                week.key_work = trial.key_work
            elif key == "metrics":
                week.metrics = trial.metrics
            elif key == "incidents":
                week.incidents += trial.incidents
            elif key in ("other", "next_week"):
                setattr(week, key, getattr(trial, key))
            elif key == "reflections":
                week.reflections = trial.reflections
            elif key == "daily":
                week.daily_notes = trial.daily_notes
            else:
                week.objectives.append(trial.objectives[0])
                if trial.incidents:
                    week.incident_host = trial.incident_host
                    week.incidents += trial.incidents
        return spec, apply, stated

    def _fields(self, read: WeekRead) -> None:
        w = read.week
        out = []
        if w.key_work:
            out.append(f"key work items {len(w.key_work)}")
        items = [i for o in w.objectives for i in o.walk()]
        if items:
            out.append(f"objective items {len(items)} (progress on {sum(i.progress is not None for i in items)}, "
                       f"dates on {sum(i.due is not None for i in items)})")
        if w.metrics:
            out.append(f"metric readings {sum(m.value is not None for m in w.metrics)}")
        if w.incidents:
            out.append(f"incidents {len(w.incidents)}")
        if w.next_week:
            out.append(f"next-week items {len(w.next_week)}")
        if w.daily_notes:
            out.append(f"daily notes {len(w.daily_notes)}")
        if w.sections:
            out.append(f"sections kept as written {len(w.sections)}")
        read.fields = out


class _Keep(Exception):
    def __init__(self, index: int | None, message: str) -> None:
        super().__init__(message)
        self.index, self.message = index, message


class _NotAList(Exception):
    pass


def _words(heading: str) -> str:
    return heading.strip().lstrip("#").strip()


def _custom_breaks(text: str, level: int) -> bool:
    """Whether writing the text under a heading of this level would escape one of its lines."""
    from .markdown import _custom_text

    return _custom_text(text, level) != "\n".join(trim_blank_lines(text.split("\n")))


_WEEKDAY = (r"[(（]?(?:(?:星期|礼拜)[一二三四五六日天]|(?<![至到~\-])周[一二三四五六日天](?![至到~\-])|(?i:\b(?:mon|tues|wednes|thurs|fri|"
            r"satur|sun)day\b|\b(?:mon|tue|wed|thu|fri|sat|sun)\b(?=[.)）])\.?))[)）]?")


def _title_pattern(line: str) -> str:
    """The imported title as a pattern for the weeks that follow it: its date and week number
    become the new week's (`# 周报 2023.10.13` → `# 周报 {date:%Y.%m.%d}`)."""
    if not line.strip():
        return "# {date:%Y-%m-%d}"
    text = line.replace("{", "{{").replace("}", "}}")
    if glued := _GLUED_DATE_HEADING.match(text):  # `#2018年6月3日`: new weeks get a real heading
        text = text[:glued.end()] + " " + text[glued.end():]
    m = None
    for m in re.finditer(r"(\d{4})(\s*(?:[/\-.．_]|年)\s*)(\d{1,2})(\s*(?:[/\-.．_]|月)\s*)(\d{1,2})(日?)", text):
        pass
    if m is not None:
        fmt = "{date:%Y" + m.group(2) + "%m" + m.group(4) + "%d" + m.group(6) + "}"
        # the weekday named beside the old date (`星期天`, `Sunday`) would be wrong for the new one
        head, tail = text[:m.start()], text[m.end():]
        tail = re.sub(r"^[ \t,]*" + _WEEKDAY, "", tail)
        head = re.sub(_WEEKDAY + r",?[ \t]*$", "", head)
        text = head + fmt + tail
    else:
        text = text.rstrip() + " {date:%Y-%m-%d}"
    return re.sub(r"第\s*\d{1,2}\s*周", "第{number}周", text, count=1)


def _starts_dated(words: str) -> bool:
    """Whether the words begin with a full date (`2018年4月29日 星期天`, `2021/11/12 Done`)."""
    try:
        found = dates.full_dates(words)
    except dates.BadDate:
        return False
    return bool(found) and found[0][0] == 0


def _full(words: str) -> bool:
    try:
        return bool(dates.full_dates(words))
    except dates.BadDate:
        return False


def _path_found(name: str):
    """A date in a file or folder name, or None (a name that is no date is just a name)."""
    return dates.path_date(name) if name else None


def _safe_find(words: str):
    try:
        return dates.find_date(words)
    except dates.BadDate:
        return True


def _significant(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()]


def _list_entries(body: list[str]) -> tuple[str, list[tuple[str, list[str]]]]:
    """A list whose items all start the same way (`1. ` counting up, `1、`, `- `): its marker and
    each item's first line and continuation lines."""
    lines = trim_blank_lines(body)
    if not lines:
        raise _NotAList
    m = _MARKER.match(lines[0])
    if not m:
        raise _NotAList
    indent = m.group(1)
    if m.group(2):
        marker = f"{indent}1{m.group(3)}{m.group(4)}"
        pattern = re.compile(re.escape(indent) + r"(\d{1,9})" + re.escape(m.group(3) + m.group(4)) + r"(?=\S)")
    else:
        marker = indent + m.group(5) + m.group(6)
        pattern = re.compile(re.escape(marker) + r"(?=\S)")
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        found = pattern.match(line)
        if found:
            entries.append((line[found.end():], []))
        else:
            entries[-1][1].append(line)
    return marker, [(first, trim_blank_lines(rest)) for first, rest in entries]


_BOLD_ITEM = re.compile(r"^- \*\*(.*)\*\*[ \t]*$")


def _bold_items(reader, section) -> list[KeyWorkItem]:
    items: list[tuple[str, list[str]]] = []
    for line in section.lines:
        if m := _BOLD_ITEM.match(line):
            items.append((m.group(1).replace("\\*", "*"), []))
        elif items:
            items[-1][1].append(line)
        elif line.strip():
            raise _NotAList
    return [KeyWorkItem(title=t, body=unescape_text("\n".join(trim_blank_lines(b)), lists=False,
                                                    extra=KEY_WORK_START)) for t, b in items]


def read_text(text: str, file: str = "<report>", options: ReadOptions | None = None) -> FileRead:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _Importer(file, text, options or ReadOptions()).read()


# --- what the round trip keeps ---------------------------------------------------------------

_LEADS = re.compile(r"^(?:[-*+>]\s+|\d{1,9}[.)、．]\s*|[一二三四五六七八九十]{1,3}[、.．]\s*|#{1,6}\s+|\\(?=\S))+")


def _norm(line: str) -> str:
    text = _LEADS.sub("", line.strip())
    return re.sub(r"\s+", " ", text).strip()


def kept_lines(original: str, exported: str) -> tuple[int, int, list[str]]:
    """(lines kept, lines, lines lost) of an imported file in its export, compared after
    dropping list markers, numbering, heading hashes, backslash escapes and spacing. Blank
    lines and Notion's `Created:` property lines do not count."""
    from collections import Counter

    have = Counter(_norm(line) for line in exported.split("\n"))
    kept = total = 0
    lost = []
    for line in original.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        key = _norm(line)
        if not key or line.startswith("Created: "):
            continue
        total += 1
        if have[key] > 0:
            have[key] -= 1
            kept += 1
        else:
            lost.append(line)
    return kept, total, lost


def export_file(result: FileRead, options: ExportOptions | None = None) -> str:
    """The weeks of one imported file, each in its own template, one after the other."""
    from .markdown import render

    options = options or ExportOptions()
    return "\n".join(render(r.week, options) for r in result.weeks)


def describe(result: FileRead, lang: str = "zh", numbering: str = "jan1", report_day: int = 4) -> str:
    """What `weekly import --dry-run` shows for one file (file content made visible)."""
    from weekly_zhoubao.store.weeks import title

    out = [visible(result.file)]
    if result.problems:
        out.append("  refused:")
        out += [f"    {visible(p)}" for p in result.problems]
    for read in result.weeks:
        w = read.week
        shown = w.title_line.strip() if w.title_line else title(w, lang, numbering, report_day)
        out.append(f"  week of {w.monday} ({visible(shown[:80])}), date from {read.date_from}, "
                   f"template {visible(w.template)}")
        for m in read.mappings:
            out.append(f"    line {m.line}: {visible(m.heading[:80])} → {m.key} ({m.how})")
        if read.fields:
            out.append(f"    read: {', '.join(read.fields)}")
    for warning in result.warnings:
        out.append(f"  warning: {visible(warning)}")
    return "\n".join(out) + "\n"

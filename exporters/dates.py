"""Dates as report titles, front matter and file names spell them.

`2023/10/13`, `2023-10-13`, `2023.10.13`, `2023年10月13日`, `20231013`, `01/27/2025`,
`20-10-2017`, ranges (`10.21-11.4`, `8.21~8.27`, `01/27/2025 to 01/31/2025`: the end
counts), `2018 Week 40`, `2024-W20`, and yearless `10/20`, `10月20日`, `0720` that take
their year from elsewhere."""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from weekly_zhoubao.store.models import monday_of

_SEP = r"[/\-.．_]"
_FULL = [
    # 2023/10/13 2023-10-13 2023.10.13 2023年10月13日 2023_10_13
    (re.compile(r"(?<!\d)(\d{4})\s*(?:" + _SEP + r"|年)\s*(\d{1,2})\s*(?:" + _SEP + r"|月)\s*(\d{1,2})(?!\d)\s*日?"), "ymd"),
    # 20231013
    (re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"), "ymd"),
    # 01/27/2025, 20-10-2017, 20.10.2017
    (re.compile(r"(?<!\d)(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?!\d)"), "mdy"),
]
_MONTHS = {m: n for n, names in enumerate([
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")], 1) for m in names}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NAMED = [
    # Mar 15, 2024 / March 15 2024 / 15 March 2024 / Mar 11 - Mar 15, 2024 (the year closes the range)
    (re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I), "mdy"),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})\b", re.I), "dmy"),
]
_NAMED_YEARLESS = re.compile(r"\b" + _MONTH + r"[\s_-]+(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_NAMED_YEARLESS_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?![a-z])", re.I)
_WEEK_RANGE = re.compile(r"weeks?\s*\d{1,2}\s*[-~–]\s*\d{1,2}|第\s*\d{1,2}\s*[-~–]\s*\d{1,2}\s*周", re.I)
_WEEK = re.compile(r"(?<!\d)(\d{4})\s*+(?:[-_]?W|week\s*+|年?第\s*+)(\d{1,2})(?!\d)\s*+周?", re.I)
_YEARLESS = [  # (a letter before `11-12` makes it a week range: week11-12)
    re.compile(r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<![\d./A-Za-z])(\d{1,2})[/.．\-](\d{1,2})(?![\d./]|\s*[%％])"),
    re.compile(r"(?<!\d)(0\d|1[0-2])([0-3]\d)(?!\d)"),  # 0720
]
# 11.17-23, 8.21~27: a range whose end names only the day
_DAY_RANGE = re.compile(r"(?<![\d./A-Za-z])(\d{1,2})[/.．](\d{1,2})\s*[-~～至到]\s*(\d{1,2})(?![\d./月])")
# 2023 年 9 月 第二周: a week of a month (the first is the one holding the 1st)
_MONTH_WEEK = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*第\s*([一二三四五六]|\d)\s*周")
_RANGE_END = re.compile(r"(?:-|~|～|—|–|至|到|\bto\b|\bthrough\b)")


# 04-08-2017: the day comes first when the report's (or its folder's) other dates say so
DAY_FIRST: ContextVar[bool | None] = ContextVar("day_first", default=None)
# 04-08-2017 read while nothing said which comes first: the importer warns about each (set per file)
GUESSED_ORDER: ContextVar[list[str] | None] = ContextVar("guessed_order", default=None)


def numeric_order(text: str) -> bool | None:
    """True when the text's NN-NN-YYYY dates put the day first (`29-09-2017`), False when the
    month (`06/21/2019`), None when none tell or they disagree."""
    seen = set()
    for m in _FULL[2][0].finditer(text):
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12 >= second:
            seen.add(True)
        elif second > 12 >= first:
            seen.add(False)
    return seen.pop() if len(seen) == 1 else None


@dataclass(frozen=True)
class Found:
    day: date | None  # None: a week number or yearless date waiting for a year
    how: str  # "date", "week", "yearless"
    month: int = 0
    dom: int = 0
    week: int = 0
    year: int = 0


def valid_date(y: int, m: int, d: int) -> date | None:
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2999 else None


def without_full_dates(text: str) -> str:
    """The text with every numeric full date taken out (what else a dated line says)."""
    for pattern, _ in _FULL:
        text = pattern.sub("", text)
    return text


class BadDate(ValueError):
    pass


def full_dates(text: str) -> list[tuple[int, date]]:
    """Every complete date in the text with its position. Impossible ones raise BadDate."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern, order in _FULL:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            a, b, c = (int(g) for g in m.groups())
            if order == "ymd":
                y, mo, d = a, b, c
            else:
                y = c
                # 20-10-2017 is day first; 01/27/2025 month first; 04-08-2017 as the others
                day_first = a > 12 or (b <= 12 and bool(DAY_FIRST.get()))
                guessed = GUESSED_ORDER.get()
                if a <= 12 and b <= 12 and a != b and DAY_FIRST.get() is None and guessed is not None:
                    guessed.append(m.group(0).strip())
                mo, d = (b, a) if day_first else (a, b)
            day = valid_date(y, mo, d)
            if day is None:
                if order == "ymd" and pattern is _FULL[1][0]:
                    continue  # eight digits that are not a date: some other number
                raise BadDate(f"{m.group(0).strip()} is not a date that exists")
            found.append((m.start(), day))
            taken.append((m.start(), m.end()))
    for pattern, order in _NAMED:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if order == "mdy":
                month, d, y = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
            else:
                d, month, y = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
            day = valid_date(y, month, d)
            if day is not None:
                found.append((m.start(), day))
                taken.append((m.start(), m.end()))
    return sorted(found)


def find_date(text: str) -> Found | None:
    """The date a title (or file name) names: the last full date (a range ends there), else a
    year and week number, else the last yearless date."""
    dates = full_dates(text)
    if dates:
        return Found(dates[-1][1], "date")
    text = _WEEK_RANGE.sub(" ", text)  # `weeks 1-2` counts weeks, it is not 1 February
    if m := _MONTH_WEEK.search(text):
        nth = "一二三四五六".find(m.group(3)) + 1 if not m.group(3).isdigit() else int(m.group(3))
        first = valid_date(int(m.group(1)), int(m.group(2)), 1)
        if first is not None and nth >= 1:
            return Found(monday_of(first) + timedelta(weeks=nth - 1, days=4), "date")
    if m := _DAY_RANGE.search(text):
        month, start, end = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= start <= 31 and 1 <= end <= 31:
            return Found(None, "yearless", month=month if end >= start else month % 12 + 1, dom=end)
    if m := _WEEK.search(text):
        year, week = int(m.group(1)), int(m.group(2))
        if 1900 <= year <= 2999 and 1 <= week <= 53:
            return Found(None, "week", week=week, year=year)
    best = None
    for pattern in _YEARLESS:
        for m in pattern.finditer(text):
            month, dom = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12 and 1 <= dom <= 31 and (best is None or m.start() > best[0]):
                best = (m.start(), month, dom)
        if best:
            break
    if best:
        return Found(None, "yearless", month=best[1], dom=best[2])
    named = [(m.start(), _MONTHS[m.group(1).lower()], int(m.group(2))) for m in _NAMED_YEARLESS.finditer(text)]
    named += [(m.start(), _MONTHS[m.group(2).lower()], int(m.group(1))) for m in _NAMED_YEARLESS_DAY_FIRST.finditer(text)]
    if named:
        _, month, dom = max(named)  # the last one: a range ends there
        if 1 <= dom <= 31:
            return Found(None, "yearless", month=month, dom=dom)
    return None


def resolve(found: Found, year_hint: date | None, numbering: str = "jan1") -> date | None:
    """A date for what was found; a week number or yearless date needs a year from elsewhere."""
    if found.day is not None:
        return found.day
    if found.how == "week":
        if numbering == "iso":
            try:
                return date.fromisocalendar(found.year, found.week, 5)
            except ValueError:
                return None
        return monday_of(date(found.year, 1, 1)) + timedelta(weeks=found.week - 1, days=4)
    if year_hint is None:
        return None
    best = None
    for year in (year_hint.year - 1, year_hint.year, year_hint.year + 1):
        day = valid_date(year, found.month, found.dom)
        if day and (best is None or abs((day - year_hint).days) < abs((best - year_hint).days)):
            best = day
    return best


def year_in(text: str) -> int | None:
    """A year a path names: `2024/`, `reports-2023`, or a term such as `24秋季`, `25春季`."""
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    if m:
        return int(m.group(1))
    m = re.search(r"(?<!\d)(\d{2})\s*(?:年|春季|秋季|夏季|冬季|春|秋)", text)
    return 2000 + int(m.group(1)) if m else None


def file_date(name: str) -> Found | None:
    """A date in a file name: `2023-03-10.md`, `2024-20.md` (a year and week), `week-42-2023.md`."""
    stem = name.rsplit(".", 1)[0]
    try:
        dates = full_dates(stem)
    except BadDate:
        dates = []
    if dates:
        return Found(dates[-1][1], "date")
    if m := re.search(r"(?<!\d)((?:19|20)\d{2})[-_](\d{1,2})$", stem):
        return Found(None, "week", week=int(m.group(2)), year=int(m.group(1)))
    if m := re.search(r"week[-_ ]?(\d{1,2})[-_ ]((?:19|20)\d{2})", stem, re.I):
        return Found(None, "week", week=int(m.group(1)), year=int(m.group(2)))
    return None


_SHORT_YMD = re.compile(r"^(\d{2})([_\-.])(\d{2})\2(\d{2})$")  # 23_11_15: a folder named YY_MM_DD


def path_date(name: str) -> Found | None:
    """A date a file or folder name carries: a full one (`2026-08-14`, `23_11_15`), a year and
    week, or a yearless one (`04月24日`, `10.13zhoubao`) that takes its year from elsewhere."""
    named = file_date(name + ".x")  # file_date drops a suffix; a folder name has none
    if named is not None:
        return named
    if m := _SHORT_YMD.match(name):
        day = valid_date(2000 + int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if day is not None:
            return Found(day, "date")
    try:
        found = find_date(name)
    except BadDate:
        return None
    return found if found is not None and found.how == "yearless" else None


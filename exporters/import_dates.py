"""Dates of an imported week read from around its title: the front matter, a date line under
the title, the dates in its body; and the checks the week splitting asks of a heading's words."""

from __future__ import annotations

import re
from datetime import date

from . import dates

_FRONT_KEYS = re.compile(
    r"^\s*(date|week_ending|week_end|weekending|end_date|enddate|week_of|published|pubdate|created|day)\s*[:=]\s*"
    r"['\"]?([^'\"\n#]+)", re.I)
_FRONT_YEAR = re.compile(r"^\s*year\s*[:=]\s*['\"]?(\d{4})", re.I)
_FRONT_WEEK = re.compile(r"^\s*week\s*[:=]\s*['\"]?(\d{1,2})\b", re.I)
_FRONT_MONTH = re.compile(r"^\s*month\s*[:=]\s*['\"]?(\d{1,2})\b", re.I)
_FRONT_DAY = re.compile(r"^\s*day\s*[:=]\s*['\"]?(\d{1,2})\b", re.I)


def front_date(lines: list[str], year_only: bool = False) -> tuple[date | None, int | None]:
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
        day = dates.valid_date(year, month, dom)
    if day is None and year and week and 1 <= week <= 53:
        day = dates.resolve(dates.Found(None, "week", week=week, year=year), None)
    return day, (day.year if day else year)



def starts_dated(words: str) -> bool:
    """Whether the words begin with a full date (`2018年4月29日 星期天`, `2021/11/12 Done`)."""
    try:
        found = dates.full_dates(words)
    except dates.BadDate:
        return False
    return bool(found) and found[0][0] == 0


def has_full_date(words: str) -> bool:
    try:
        return bool(dates.full_dates(words))
    except dates.BadDate:
        return False


def path_found(name: str):
    """A date in a file or folder name, or None (a name that is no date is just a name)."""
    return dates.path_date(name) if name else None


def safe_find(words: str):
    try:
        return dates.find_date(words)
    except dates.BadDate:
        return True



def date_line(lines: list[str], start: int, end: int) -> date | None:
    """`2024.03.11 ~ 2024.03.15` or `**Week Ending**: 2024-03-15` near the top of a week."""
    seen = 0
    for n in range(start, min(end, len(lines))):
        line = lines[n].strip()
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
        rest = dates.without_full_dates(words)
        labelled = re.search(r"week|date|period|日期|时间|周期|本周|截止|ending", words, re.I)
        if labelled or len(re.sub(r"[\s~～\-–—至到to:：()（）]", "", rest)) <= 6:
            return found[-1][1]
    return None


def body_dates(lines: list[str], start: int, end: int) -> date | None:
    """A report dated only in its body (a table of days): the last of its dates, when there
    are a few and they all fall within one week."""
    found: list[date] = []
    for n in range(start, min(end, len(lines))):
        try:
            found += [d for _, d in dates.full_dates(lines[n])]
        except dates.BadDate:
            continue
    if len(found) >= 2 and (max(found) - min(found)).days <= 6:
        return max(found)
    return None


_WEEK_NUMBER = re.compile(r"(?:week|wk)[ \t]{0,2}(\d{1,2})(?!\d)|第[ \t]{0,2}([0-9一二三四五六七八九十]{1,3})[ \t]{0,2}周", re.I)
_CN_NUMBER = "一二三四五六七八九"


def week_number_in(words: str) -> int | None:
    """The week number a heading starts with (`Week 2:`, `第十二周汇报`, `第3周`), when it names no
    year: `2018 Week 40` is a date."""
    text = words.strip().strip("*#").strip()
    m = _WEEK_NUMBER.match(text)
    if m is None or dates.year_in(text[:m.start()] + text[m.end():m.end() + 12]) is not None:
        return None
    if m.group(1):
        return int(m.group(1))
    written = m.group(2)
    if written.isdigit():
        return int(written)
    tens, _, ones = written.partition("十")
    if "十" not in written:
        return _CN_NUMBER.find(written) + 1 or None
    value = (_CN_NUMBER.find(tens) + 1 if tens else 1) * 10 + (_CN_NUMBER.find(ones) + 1 if ones else 0)
    return value or None

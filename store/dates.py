"""Dates and times as people type them (`10/9`, `周四`, `第42周`, `15:37`): the one parser
of typed dates, for the shell, the forms and the words of a report. No I/O and no UI here.

Dates without a year: with `anchor` (the TUI: a date in the week on screen) they are the
date of that name nearest the anchor; without it (the shell) the most recent such date up
to today (`10/9` on 2026-11-27 is 2026-10-09)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .errors import InputError
from .messages import say
from .models import MAX_YEAR, MIN_YEAR, check_day
from .weeks import week_number
from .text import LazyPattern


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
        raise ValueError(say("not_month_day", month=month, day=day))
    return min(candidates, key=lambda d: abs((d - anchor).days))


def resolve_yearless(month: int, day: int, today: date, anchor: date | None = None) -> date:
    """`month/day` without a year: nearest `anchor` when given, else the latest up to today."""
    base = (anchor or today).year
    candidates = []
    for year in range(base - 8, base + 2):  # 2/29 lies up to 8 years back (1900, 2100 are not leap)
        if not MIN_YEAR <= year <= MAX_YEAR:  # never a year the store cannot hold
            continue
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if anchor is not None:
        candidates = sorted(candidates, key=lambda d: (abs((d - anchor).days), d))
    else:
        candidates = sorted((d for d in candidates if d <= today), reverse=True)
    if not candidates:
        raise InputError("", say("day_missing", x=f"{month}/{day}"))
    return candidates[0]


_DAY_FORMS = [
    re.compile(r"^(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<mo>\d{1,2})[/.-](?P<d>\d{1,2})$"),
]


_WORDS = {"today": 0, "今天": 0, "yesterday": -1, "昨天": -1}


def parse_day(text: str, today: date, anchor: date | None = None) -> date:
    """`2023-10-09`, `2023/10/9`, `10/9` (no year: see the module), `today`, `yesterday`."""
    raw = text.strip()
    if raw.lower() in _WORDS:
        return today + timedelta(days=_WORDS[raw.lower()])
    for form in _DAY_FORMS:
        m = form.match(raw)
        if not m:
            continue
        parts = m.groupdict()
        month, day = int(parts["mo"]), int(parts["d"])
        if parts.get("y"):
            try:
                found = date(int(parts["y"]), month, day)
            except ValueError:
                raise InputError("", say("date_missing", q=raw)) from None
        else:
            found = resolve_yearless(month, day, today, anchor)
        try:
            return check_day(found)  # the supported range of dates lives there
        except ValueError as exc:
            raise InputError("", str(exc)) from None
    raise InputError("", say("not_a_date", q=raw))


_WHEN = LazyPattern(r"^(?:(?P<day>\S+)[ T]+)?(?P<h>\d{1,2}):(?P<mi>\d{2})$")


def parse_when(text: str, now: datetime, anchor: date | None = None) -> datetime:
    """`15:37` (today), `10/9 15:37` (no year: see the module), `2023-10-09 15:37`, or a
    date alone (`2023-10-09`, `10/9`: midnight)."""
    raw = text.strip()
    m = _WHEN.match(raw)
    if m is None:
        try:
            day = parse_day(raw, now.date(), anchor)
        except InputError:
            raise InputError("", say("not_a_time", q=raw)) from None
        return datetime(day.year, day.month, day.day)
    hour, minute = int(m["h"]), int(m["mi"])
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InputError("", say("not_a_time_of_day", q=raw))
    day = parse_day(m["day"], now.date(), anchor) if m["day"] else now.date()
    return datetime(day.year, day.month, day.day, hour, minute)

_ISO_WEEK = LazyPattern(r"^(?P<y>\d{4})-?W(?P<w>\d{1,2})(?:-?(?P<d>[1-7]))?$", re.I)
_NUMBERED_WEEK = LazyPattern(r"^(?:(?P<y>\d{4})\s*年?\s*)?(?:第\s*(?P<a>\d{1,2})\s*周|(?:week|wk|w)\s*(?P<b>\d{1,2}))$",
                            re.I)


def parse_week_day(text: str, today: date, anchor: date | None = None, numbering: str = "jan1") -> date:
    """A day of the week the user names: a date as `parse_day` reads it (`10/13`, `10-13`,
    `2023-10-13`), an ISO week `2023-W41` (ISO numbering, whatever the setting), or a
    numbered week `第42周` / `2023年第42周` / `week 42` / `W42` in the user's numbering, of the
    year of `anchor` (else today's) when no year is given. Returns that week's Monday (a
    date: its own day)."""
    raw = text.strip()
    if m := _ISO_WEEK.match(raw):
        year, week = int(m["y"]), int(m["w"])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InputError("", say("no_such_week_number", w=week, y=year)) from None
        return monday + timedelta(days=int(m["d"]) - 1) if m["d"] else monday
    if m := _NUMBERED_WEEK.match(raw):
        year = int(m["y"]) if m["y"] else (anchor or today).year
        week = int(m["a"] or m["b"])
        return _numbered_monday(year, week, numbering)
    return parse_day(raw, today, anchor)


def _numbered_monday(year: int, week: int, numbering: str) -> date:
    try:
        if numbering == "iso":
            monday = date.fromisocalendar(year, week, 1)
        else:  # jan1: week 1 holds 1 January
            monday = date(year, 1, 1) - timedelta(days=date(year, 1, 1).weekday()) + timedelta(weeks=week - 1)
            if week < 1 or week_number(monday, "jan1") != week:
                raise ValueError(week)
    except (ValueError, OverflowError):
        raise InputError("", say("no_such_week_number", w=week, y=year)) from None
    try:
        return check_day(monday)  # the supported range of dates lives there
    except ValueError as exc:
        raise InputError("", str(exc)) from None

_ZH_DAYS = "一二三四五六日"
_WEEKDAY = LazyPattern(r"^(?:(?:周|星期|礼拜)(?P<zh>[一二三四五六日天])|(?P<en>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)$",
                      re.IGNORECASE)


def _weekday(word: str) -> int | None:
    m = _WEEKDAY.match(word)
    if m is None:
        return None
    if m["zh"]:
        return 6 if m["zh"] == "天" else _ZH_DAYS.index(m["zh"])
    return ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(m["en"].lower())


def parse_note_day(text: str, today: date, monday: date, anchor: date | None = None) -> date:
    """The day of a daily note in the week of `monday`: `周四` / `thu` (that day of this week),
    `10/12`, `2023-10-12`, `today`, or the report's own label `2023/10/12 周四`. A yearless
    date is read nearest `anchor` (the week on screen). A day of another week is refused:
    its note is written from that week."""
    raw = text.strip()
    words = raw.split()
    if len(words) == 1 and (n := _weekday(words[0])) is not None:
        return monday + timedelta(days=n)
    if len(words) == 2 and _weekday(words[1]) is not None:  # `2023/10/12 周四`, as the report names it
        raw = words[0]
    day = parse_day(raw, today, anchor or monday + timedelta(days=3))
    if not monday <= day <= monday + timedelta(days=6):
        raise InputError("day", say("not_in_this_week", d=f"{day:%Y-%m-%d}", a=f"{monday:%m/%d}",
                                    b=f"{monday + timedelta(days=6):%m/%d}"))
    return day

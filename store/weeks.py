"""A week's identity: its number (jan1 or ISO), its report date and its title. No I/O and no UI here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from .models import Week, monday_of
from .templates import SAMPLE_TITLE


Numbering = Literal["jan1", "iso"]


def report_date(week: Week, report_day: int = 4) -> date:
    return week.report_date or week.monday + timedelta(days=report_day)


def week_number(day: date, numbering: Numbering = "jan1") -> int:
    """The number of the week holding `day`. jan1: the week holding 1 January is week 1."""
    if numbering == "iso":
        return day.isocalendar().week
    monday = monday_of(day)
    if monday == monday_of(date(day.year + 1, 1, 1)):
        return 1
    return (monday - monday_of(date(day.year, 1, 1))).days // 7 + 1


def number_of(week: Week, numbering: Numbering = "jan1", report_day: int = 4) -> int:
    return week.stated_number or week_number(report_date(week, report_day), numbering)


def week_title(number: int, day: date, lang: str = "zh") -> str:
    """The report's title in the sample's words: `第42周 2023/10/13`, `Week 42 · 2023-10-13`."""
    return SAMPLE_TITLE["en" if lang == "en" else "zh"].format(number=number, date=day)


def title(week: Week, lang: str = "zh", numbering: Numbering = "jan1", report_day: int = 4) -> str:
    return week_title(number_of(week, numbering, report_day), report_date(week, report_day), lang)

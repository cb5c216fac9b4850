"""What an import reads a file into, and the options it reads with: shared by every step of
the importer (headings, dates, weeks, sections, the round trip)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.words import GRADE_SCALE

FILE_CAP = 2 * 1024 * 1024  # bytes of one imported file
ITEM_CAP = 2_000  # list items in one section


@dataclass
class ReadOptions:
    numbering: str = "jan1"
    report_day: int = 4
    fallback: date | None = None  # --date: for a file that carries no date at all
    year_hint: date | None = None  # a yearless title's year: from neighbours or --date
    day_first: bool | None = None  # how the folder orders 04-08-2017 (the file's own dates win)
    week_one: date | None = None  # --week-one: a day of week 1, for files dated by week numbers only
    grade_scale: dict = field(default_factory=lambda: GRADE_SCALE)  # how P0–P4 and Sev1–Sev4 read as A–D


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
    encoding: str = "utf-8"


@dataclass
class Part:
    """One section of a week in the file: its heading and the lines under it."""

    line: int  # 0-based index of the heading
    raw: str  # the heading line as written
    text: str  # its words
    level: int
    start: int
    end: int


class Refused(Exception):
    """The problems already noted make this week (or file) unimportable."""


def significant(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()]

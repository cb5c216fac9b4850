"""Incident counts by grade: derived from the log, or stated by an imported report. No I/O and no UI here."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from .models import Incident, Metric, Week
from .metric_lines import metric_runs
from .weeks import report_date


def counts(incidents: Iterable[Incident]) -> tuple[int, int]:
    ab = cd = 0
    for inc in incidents:
        if inc.grade in ("A", "B"):
            ab += 1
        elif inc.grade in ("C", "D"):
            cd += 1
    return ab, cd


def year_to_date_counts(week: Week, earlier: Iterable[Incident], report_day: int = 4) -> tuple[int, int]:
    """Counts by grade from 1 January of the report day's year to the report day, inclusive:
    `earlier` holds the incidents of the weeks before this one (any year; others are left out)."""
    end = report_date(week, report_day)
    start = date(end.year, 1, 1)
    return counts(i for i in (*earlier, *week.incidents) if start <= i.at.date() <= end)


def user_graded(week: Week) -> tuple[int, int] | None:
    """Once the user grades an incident, the log speaks: stated counts give way to the
    derived ones. Returns the stated counts it dropped (an undo puts them back)."""
    stated = week.stated_incident_counts
    if stated is not None and any(i.grade for i in week.incidents):
        week.stated_incident_counts = None
        return stated
    return None


def reported_counts(week: Week, derived: tuple[int, int]) -> tuple[int, int]:
    """What the report prints: an imported report keeps figures its log does not support."""
    return week.stated_incident_counts or derived


def count_mismatch(week: Week, derived: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(stated, derived) when the report states incident counts its log does not support
    (SPEC §1.1), else None: the one place this is decided (the session, the pre-export check)."""
    stated = week.stated_incident_counts
    if stated is not None and tuple(stated) != tuple(derived):
        return tuple(stated), tuple(derived)
    return None


# The derived line's name as the sample prints it (`事故数AB级0次，CD级1次`), and the group a
# store's first week holds it in (store/db.first_week), in the store's language.
COUNTS_NAMES = {"zh": "事故数", "en": "Incidents"}
COUNTS_GROUPS = {"zh": "系统可用性", "en": "Availability"}
COUNTS_NAME, COUNTS_GROUP = COUNTS_NAMES["zh"], COUNTS_GROUPS["zh"]


def has_counts_line(week: Week) -> bool:
    return any(m.kind == "incident_counts" for m in week.metrics)


def counts_line_place(metrics: list[Metric]) -> tuple[str, str | None]:
    """Where the derived count line goes back: (its group, the reading it follows). Under
    系统可用性 when the week has that group, else as a group of its own at the end."""
    runs = metric_runs(metrics)
    for group, start, end in runs:
        if group in COUNTS_GROUPS.values():
            return group, metrics[end - 1].id
    return COUNTS_GROUP, metrics[-1].id if metrics else None

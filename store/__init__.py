"""The week model and its store. Importable and testable without a terminal: never import Textual here."""

from .errors import StoreCorrupt, StoreError, StoreReadOnly, WeeklyError
from .models import (
    DailyNote, Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Week, monday_of,
)

__all__ = [
    "DailyNote", "Incident", "KeyWorkItem", "ListEntry", "Metric", "Objective", "ObjectiveItem",
    "Week", "monday_of", "StoreCorrupt", "StoreError", "StoreReadOnly", "WeeklyError",
]

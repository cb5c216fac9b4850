"""The week model and its store. Importable and testable without a terminal: never import Textual here."""

import sys
import types

# Pydantic searches every installed package's entry points for plugins the first time it
# builds a validator. The search imports importlib.metadata, email and zipfile: ~16 ms and
# 1.3 MB on every start, a tenth of a shell command. Weekly uses no pydantic plugins, so the
# answer is given up front (as PYDANTIC_DISABLE_PLUGINS would, minus the imports).
# tests/cli/test_boundaries.py fails if a pydantic upgrade stops asking this way.
if "pydantic.plugin._loader" not in sys.modules:
    _no_plugins = types.ModuleType("pydantic.plugin._loader")
    _no_plugins.get_plugins = lambda: ()
    sys.modules["pydantic.plugin._loader"] = _no_plugins

from .errors import StoreCorrupt, StoreError, StoreReadOnly, WeeklyError
from .models import (
    DailyNote, Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Week, monday_of,
)

__all__ = [
    "DailyNote", "Incident", "KeyWorkItem", "ListEntry", "Metric", "Objective", "ObjectiveItem",
    "Week", "monday_of", "StoreCorrupt", "StoreError", "StoreReadOnly", "WeeklyError",
]

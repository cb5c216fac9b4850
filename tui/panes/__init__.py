"""The panes of the week screen, one a file."""

from .base import Pane
from .incidents import IncidentsPane
from .key_work import KeyWorkPane
from .metrics import MetricsPane
from .notes import NotesPane
from .objectives import ObjectivesPane
from .preview import PreviewView

__all__ = ["Pane", "IncidentsPane", "KeyWorkPane", "MetricsPane", "NotesPane", "ObjectivesPane", "PreviewView"]

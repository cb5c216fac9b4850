"""The week screen's status line: the save state or a short notice, on one line."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from weekly_zhoubao.store.text import visible


def short_name(name: str, cells: int) -> str:
    """A file's name in at most `cells` columns: its start, `…`, its extension kept."""
    if cell_len(name) <= cells:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    tail = f"…{dot}{suffix}"
    while stem and cell_len(stem + tail) > cells:
        stem = stem[:-1]
    return stem.rstrip() + tail


class StatusLine(Static):
    """`look` is plain, notice or failed (app.tcss colours them)."""

    def __init__(self) -> None:
        super().__init__("", id="status", markup=False)
        self._shown: tuple[str, str] | None = None

    def say(self, text: str, look: str) -> None:
        self.set_class(look == "failed", "failed")
        self.set_class(look == "notice", "notice")
        if (text, look) != self._shown:  # unchanged: no layout, no repaint
            self._shown = (text, look)
            self.update(Content(visible(text) + " "))  # a path or an error may hold anything

"""The week screen's status line: the save state or a short notice, on one line."""

from __future__ import annotations

import time

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from weekly_zhoubao.store.session import Session
from weekly_zhoubao.store.text import visible

from .i18n import t

NOTICE_SECONDS = 6.0


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
        self._notice: tuple[str, float] | None = None

    def show(self, session: Session, lang: str, message: str | None = None) -> None:
        """Save state first (a failure stays loud); a notice (exported to…, logged in…) stays a
        few seconds rather than being replaced by the next "saved"."""
        if message:
            self._notice = (message, time.monotonic())
        elif self._notice and time.monotonic() - self._notice[1] < NOTICE_SECONDS:
            message = self._notice[0]
        look = "plain"
        if session.save_error:
            look = "failed"
            text = f"{t('save_failed', lang)}: {session.save_error} — {t('unsaved', lang)} ({session.unsaved})"
        elif session.store.read_only:
            look, text = "failed", t("read_only", lang)
        elif message:
            look, text = "notice", message
        elif session.unsaved:
            text = t("saving", lang)
        elif session.week.carried_from:
            text = t("carried", lang, d=f"{session.week.carried_from:%m/%d}")
        else:
            text = t("saved", lang)
        self.say(text, look)

    def say(self, text: str, look: str) -> None:
        self.set_class(look == "failed", "failed")
        self.set_class(look == "notice", "notice")
        if (text, look) != self._shown:  # unchanged: no layout, no repaint
            self._shown = (text, look)
            self.update(Content(visible(text) + " "))  # a path or an error may hold anything

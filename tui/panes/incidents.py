"""Pane 4: the week's incident log, newest first; open ones stand out. `a` logs one (as `i`
anywhere on the week screen), Enter edits one."""

from __future__ import annotations

from rich.text import Text

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.models import Week

# forms and dialogs are imported where one opens: they load then, not with the first screen
from ..i18n import t
from .base import DRAFT, Pane, WeekHost


def log_incident(host: WeekHost) -> None:
    """The incident form, for a new incident; its time may put it in another week."""
    from .. import dialogs
    if host.app.screen.id == "incident-form":
        return
    host.app.push_screen(dialogs.incident_form(host.lang, None, host.session.now(), host.anchor(),
                                               lambda incident: host.edit(ops.add_incident(incident)),
                                               host.week_name))


def open_lines(week: Week, lang: str) -> dict[str, str]:
    """The report's lines of incidents still open, each with the word that marks it in the
    preview (the file keeps the template's wording)."""
    from weekly_zhoubao.exporters.markdown import incident_lines

    still_open = [i for i in week.incidents if i.status != "resolved"]
    return dict.fromkeys(incident_lines(still_open, lang), t("incident_status:open", lang))


class IncidentsPane(Pane):
    def __init__(self, lang: str) -> None:
        super().__init__("incidents", lang)

    def on_mount(self) -> None:
        for label, width in (("col_when", 11), ("col_grade", 2), ("col_summary", 27)):
            self.add_column(t(label, self.lang), width=width)

    def show(self, week: Week) -> None:
        rows = []
        for inc in sorted(week.incidents, key=lambda i: i.at, reverse=True):
            resolved = inc.status == "resolved"
            summary = Text(DRAFT, style="cyan") if inc.id in week.drafts else Text()
            if not resolved:
                summary.append(t("open_mark", self.lang), style="bold yellow")
            summary.append(inc.summary)  # user text: appended as text, never markup
            rows.append((inc.id, [Text(f"{inc.at:%m/%d %H:%M}", style="" if resolved else "yellow"),
                                  Text(inc.grade or "·", style="bold red" if inc.grade in ("A", "B") else ""),
                                  summary]))
        self.fill(rows)

    def add_row(self, selected: str | None) -> None:
        log_incident(self.host)

    def edit_row(self, selected: str) -> None:
        from .. import dialogs
        host = self.host
        old = ops.find(host.week, selected)
        # a new time in another week moves the incident there (ops.edit_element)
        self.app.push_screen(dialogs.incident_form(self.lang, old, host.session.now(), host.anchor(),
                                                   lambda fields: self.change(old, fields), host.week_name))

"""The forms of the week screen: what each shows and how its typed text is read (store/inputs.py,
the shell's rules too). Each hands `save` what the user typed, read: a new element, or the
fields of an existing one (the op keeps only those that changed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from pydantic import ValidationError

from store import inputs
from store.errors import describe_validation
from store.models import STATUSES, Incident, Metric, Objective, ObjectiveItem, Week
from store.rules import code_taken

from ..forms import Field, FormScreen
from ..i18n import t
from ..messages import form_error


def _checker(fields: list[Field], read: Callable[[dict], object], lang: str) -> Callable[[dict], str | None]:
    """A form's check: why the values cannot be read, beside the label of the field at fault,
    in the UI's language (tui/messages.py)."""
    labels = {f.name: f.label for f in fields}

    def check(values: dict) -> str | None:
        try:
            read(values)
        except inputs.InputError as exc:
            return form_error(exc.field, exc.message, labels, lang)
        except ValueError as exc:
            return form_error("", str(exc), labels, lang)
        return None
    return check


def _form(title: str, fields: list[Field], lang: str, read: Callable[[dict], object],
          save: Callable[[object], object], form_id: str = "form",
          explain: Callable[[dict], str] | None = None) -> FormScreen:
    return FormScreen(title, fields, lang, _checker(fields, read, lang), lambda values: save(read(values)), form_id,
                      explain)


def _understood(lang: str, read: Callable[[dict], str | None]) -> Callable[[dict], str]:
    """What a form says it read a date as, before it is saved (a yearless `10/9` in full)."""
    def explain(values: dict) -> str:
        try:
            shown = read(values)
        except ValueError:
            return ""
        return t("understood", lang, x=shown) if shown else ""
    return explain


def incident_form(lang: str, incident: Incident | None, now: datetime, anchor: date,
                  save: Callable[[Incident | dict], object], week_name: Callable[[date], str]) -> FormScreen:
    """New: `save(Incident)`; edit: `save(fields)`."""
    at = incident.at if incident else now
    fields = [
        Field("summary", t("summary", lang), incident.summary if incident else ""),
        Field("when", t("when", lang), f"{at:%Y-%m-%d %H:%M}", "15:37 · 10/9 15:37 · 2023-10-09 15:37"),
        Field("grade", t("grade", lang), (incident.grade or "") if incident else ""),
        Field("impact", t("impact", lang), incident.impact if incident else ""),
        Field("duration", t("duration", lang),
              str(incident.duration_min) if incident and incident.duration_min is not None else ""),
        Field("resolution", t("resolution", lang), incident.resolution if incident else ""),
    ]

    def read(values: dict):
        if incident is None:
            return inputs.new_incident(values, now, anchor)
        return inputs.incident_fields(values, now, anchor, incident)

    def when(values: dict) -> str:
        at = inputs.parse_when(values["when"], now, anchor)
        return f"{at:%Y-%m-%d %H:%M} · {week_name(at.date())}"

    return _form(t("edit_incident" if incident else "new_incident", lang), fields, lang, read, save,
                 "incident-form", _understood(lang, when))


def metric_form(lang: str, metric: Metric | None, group: str, save: Callable[[Metric | dict], object]) -> FormScreen:
    """New: `save(Metric)`; edit: `save(fields)`."""
    m = metric
    fields = [
        Field("name", t("name", lang), m.name if m else ""),
        Field("group", t("group", lang), group),
        Field("value", t("value", lang), (m.value or "") if m else "", "99.997%"),
        Field("target", t("target", lang), f"{m.target:g}" if m and m.target is not None else ""),
        Field("better", t("better", lang), "n" if m and not m.higher_is_better else "y"),
        Field("kind", t("kind", lang), m.kind if m else "percent"),
        Field("unit", t("unit", lang), m.unit if m else ""),
    ]

    def read(values: dict):
        return inputs.new_metric(values) if metric is None else inputs.metric_fields(values, metric)

    return _form(t("pane_metrics", lang)[2:], fields, lang, read, save)


def objective_form(lang: str, week: Week, objective: Objective | None,
                   save: Callable[[Objective | dict], object]) -> FormScreen:
    """New: `save(Objective)`; edit: `save(fields)`."""
    fields = [Field("code", t("code", lang), objective.code if objective else f"O{len(week.objectives) + 1}"),
              Field("title", t("title", lang), objective.title if objective else "")]

    def read(values: dict):
        code, title = values["code"].strip(), values["title"].strip()
        try:
            new = Objective(code=code, title=title)
        except ValidationError as exc:
            raise inputs.InputError("code", describe_validation(exc)) from None
        if code_taken(week, code, objective.id if objective else None):
            raise inputs.InputError("code", f"{code} exists already")
        return new if objective is None else {"code": code, "title": title}

    return _form(t("pane_objectives", lang)[2:], fields, lang, read, save)


def item_form(lang: str, item: ObjectiveItem | None, today: date, anchor: date,
              save: Callable[[ObjectiveItem | dict], object]) -> FormScreen:
    """New: `save(ObjectiveItem)`; edit: `save(fields)`."""
    fields = [
        Field("name", t("name", lang), item.name if item else ""),
        Field("text", t("text", lang), item.text if item else ""),
        Field("progress", t("progress", lang), f"{item.progress:g}" if item and item.progress is not None else ""),
        Field("due", t("due", lang), f"{item.due:%Y-%m-%d}" if item and item.due else ""),
        Field("status", t("status", lang), item.status if item else "planned", " / ".join(STATUSES)),
    ]

    def read(values: dict):
        if item is None:
            return inputs.new_item(values, today, anchor)
        return inputs.item_fields(values, today, anchor)

    def due(values: dict) -> str | None:
        typed = values["due"].strip()
        return f"{inputs.parse_day(typed, today, anchor):%Y-%m-%d}" if typed else None

    return _form(t("pane_objectives", lang)[2:], fields, lang, read, save, explain=_understood(lang, due))


def goto_form(lang: str, monday: date, read: Callable[[str], date], go: Callable[[date], object],
              week_name: Callable[[date], str] | None = None) -> FormScreen:
    """`read(text)`: the day typed, or a ValueError saying why there is no such week. The
    form says which week it read (`第42周` → 第42周 2023/10/13 · 2023-10-09)."""
    fields = [Field("day", t("date_to_open", lang), f"{monday:%Y-%m-%d}")]

    def understood(values: dict) -> str:
        day = read(values["day"])
        return f"{week_name(day)} · {day:%Y-%m-%d}" if week_name else f"{day:%Y-%m-%d}"

    return _form(t("goto_week", lang), fields, lang, lambda values: read(values["day"]), go,
                 explain=_understood(lang, understood))


def note_day_form(lang: str, day: date, read: Callable[[str], date], go: Callable[[date], object]) -> FormScreen:
    """Which day's note to write: `read(text)` is store/inputs.parse_note_day for the week on
    screen. The form says the day it read (`周四` → 2023/10/12 周四)."""
    from exporters.markdown import daily_label

    fields = [Field("day", t("note_day", lang), f"{day:%m/%d}")]
    form = _form(t("note_for_day", lang), fields, lang, lambda values: read(values["day"]), go, "note-day-form",
                 explain=_understood(lang, lambda values: daily_label(read(values["day"]), lang)))
    form.unsaved = lambda: None  # it only asks where to go: quitting loses nothing typed here
    return form

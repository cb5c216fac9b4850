"""The forms of the week screen: what each shows, how typed text is read (store/inputs.py)
and which fields changed. Each calls `save(model, changed)` with the model as typed and
only the fields the user changed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from store.inputs import (InputError, changed_fields, incident_from_input, item_from_input,
                          metric_from_input, objective_from_input)
from store.models import STATUSES, Incident, Metric, Objective, ObjectiveItem, Week

from ..forms import Field, FormScreen
from ..i18n import t

INCIDENT_FIELDS = ("at", "summary", "grade", "impact", "duration_min", "resolution", "status")
METRIC_FIELDS = ("name", "group", "kind", "unit", "higher_is_better", "target", "value")
ITEM_FIELDS = ("name", "text", "progress", "due", "status")


def _reader(fields: list[Field], read: Callable[[dict], object]) -> Callable[[dict], str | None]:
    """A form's check: the error of reading the values, beside the label of the field at fault."""
    labels = {f.name: f.label for f in fields}

    def check(values: dict) -> str | None:
        try:
            read(values)
        except InputError as exc:
            return f"{labels[exc.field]}: {exc}" if exc.field in labels else str(exc)
        except ValueError as exc:
            return str(exc)
        return None
    return check


def _form(title: str, fields: list[Field], lang: str, read: Callable[[dict], object],
          save: Callable[[object, dict], object], fields_of: tuple[str, ...] | None, form_id: str = "form",
          explain: Callable[[dict], str] | None = None) -> FormScreen:
    initial = {f.name: f.value for f in fields}

    def saved(values: dict) -> None:
        new = read(values)
        before = read(initial) if fields_of else None
        save(new, changed_fields(before, new, fields_of) if before is not None else {})
    return FormScreen(title, fields, lang, _reader(fields, read), saved, form_id, explain)


def incident_form(lang: str, incident: Incident | None, now: datetime, anchor: date,
                  save: Callable[[Incident, dict], object], week_name: Callable[[date], str]) -> FormScreen:
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

    def read(values: dict) -> Incident:
        return incident_from_input(values, now, anchor, incident)

    def explain(values: dict) -> str:
        from store.inputs import parse_when

        try:
            when = parse_when(values["when"], now, anchor)
            return t("understood", lang, x=f"{when:%Y-%m-%d %H:%M} · {week_name(when.date())}")
        except ValueError:
            return ""

    return _form(t("edit_incident" if incident else "new_incident", lang), fields, lang, read, save,
                 INCIDENT_FIELDS if incident else None, "incident-form", explain)


def metric_form(lang: str, metric: Metric | None, group: str, save: Callable[[Metric, dict], object]) -> FormScreen:
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
    return _form(t("pane_metrics", lang)[2:], fields, lang, lambda values: metric_from_input(values, metric), save,
                 METRIC_FIELDS if metric else None)


def objective_form(lang: str, week: Week, objective: Objective | None,
                   save: Callable[[Objective, dict], object]) -> FormScreen:
    fields = [Field("code", t("code", lang), objective.code if objective else f"O{len(week.objectives) + 1}"),
              Field("title", t("title", lang), objective.title if objective else "")]
    return _form(t("pane_objectives", lang)[2:], fields, lang,
                 lambda values: objective_from_input(values, week, objective), save,
                 ("code", "title") if objective else None)


def item_form(lang: str, item: ObjectiveItem | None, save: Callable[[ObjectiveItem, dict], object]) -> FormScreen:
    fields = [
        Field("name", t("name", lang), item.name if item else ""),
        Field("text", t("text", lang), item.text if item else ""),
        Field("progress", t("progress", lang), f"{item.progress:g}" if item and item.progress is not None else ""),
        Field("due", t("due", lang), f"{item.due:%Y-%m-%d}" if item and item.due else ""),
        Field("status", t("status", lang), item.status if item else "planned", " / ".join(STATUSES)),
    ]
    return _form(t("pane_objectives", lang)[2:], fields, lang, lambda values: item_from_input(values, item), save,
                 ITEM_FIELDS if item else None)


def goto_form(lang: str, monday: date, read: Callable[[str], date], go: Callable[[date], object]) -> FormScreen:
    """`read(text)`: the day typed, or a ValueError saying why there is no such week."""
    fields = [Field("day", t("date_to_open", lang), f"{monday:%Y-%m-%d}")]
    return FormScreen(t("goto_week", lang), fields, lang, _reader(fields, lambda values: read(values["day"])),
                      lambda values: go(read(values["day"])))

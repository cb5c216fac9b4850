"""Text as people type it into a form, turned into an Incident, a Metric, an objective or an
item — or into one error line that names the field. The TUI's forms use these; no Textual.

`InputError.field` names the form field at fault, so a form can show the message beside
the field's own label in the user's language."""

from __future__ import annotations

from datetime import date, datetime
from typing import get_args

from pydantic import BaseModel, ValidationError

from .errors import describe_validation
from .models import STATUSES, Grade, Incident, Metric, Objective, ObjectiveItem, Week, parse_number
from .rules import parse_day, parse_when

GRADES: tuple[str, ...] = get_args(Grade)
METRIC_KINDS = ("percent", "number", "text")  # what a user may choose; incident counts are derived
NO_WORDS = ("n", "no", "否")


class InputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _field(name: str, parse, raw: str):
    try:
        return parse(raw)
    except InputError:
        raise
    except ValidationError as exc:
        raise InputError(name, describe_validation(exc)) from None
    except ValueError as exc:
        raise InputError(name, str(exc)) from None


def parse_grade(text: str) -> str | None:
    grade = text.strip().upper() or None
    if grade not in (None, *GRADES):
        raise ValueError(f"'{text.strip()}': {', '.join(GRADES)} or blank (not a graded incident)")
    return grade


def parse_duration(text: str) -> int | None:
    raw = text.strip()
    if raw and not raw.isdigit():
        raise ValueError(f"'{raw}' is not a number of minutes")
    return int(raw) if raw else None


def status_for(resolution: str) -> str:
    """A resolution (or follow-up) written down means the incident is resolved."""
    return "resolved" if resolution.strip() else "open"


def parse_kind(text: str) -> str:
    kind = text.strip() or "percent"
    if kind not in METRIC_KINDS:
        raise ValueError(" / ".join(METRIC_KINDS))
    return kind


def parse_progress(text: str) -> float | None:
    raw = text.strip().rstrip("%％")
    if not raw:
        return None
    value = parse_number(raw)
    if not 0 <= value <= 100:
        raise ValueError(f"{value:g} is outside 0–100")
    return value


def parse_status(text: str) -> str:
    status = text.strip() or "planned"
    if status not in STATUSES:
        raise ValueError(" / ".join(STATUSES))
    return status


def _validated(model: BaseModel) -> BaseModel:
    try:
        return type(model).model_validate(model.model_dump())
    except ValidationError as exc:
        error = exc.errors()[0]
        raise InputError(str(error["loc"][0]) if error["loc"] else "", describe_validation(exc)) from None


def incident_from_input(values: dict[str, str], now: datetime, anchor: date | None = None,
                        old: Incident | None = None) -> Incident:
    """`anchor`: the date a yearless `10/9` is read nearest to (the week on screen)."""
    resolution = values["resolution"].strip()
    fields = dict(at=_field("when", lambda raw: parse_when(raw, now, anchor), values["when"]),
                  summary=values["summary"].strip(), grade=_field("grade", parse_grade, values["grade"]),
                  impact=values["impact"].strip(), resolution=resolution,
                  duration_min=_field("duration", parse_duration, values["duration"]),
                  status=status_for(resolution))
    if old is not None:
        return _validated(old.model_copy(update=fields))
    try:
        return Incident(**fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise InputError(str(error["loc"][0]) if error["loc"] else "", describe_validation(exc)) from None


def metric_from_input(values: dict[str, str], old: Metric | None = None) -> Metric:
    base = old or Metric(name="x")
    target = values["target"].strip()
    candidate = _validated(base.model_copy(update=dict(
        name=values["name"].strip(), group=values["group"].strip(),
        kind=_field("kind", parse_kind, values["kind"]), unit=values["unit"].strip(),
        higher_is_better=values["better"].strip().lower() not in NO_WORDS,
        target=_field("target", parse_number, target) if target else None, value=None)))
    candidate.value = _field("value", candidate.check_value, values["value"])
    return candidate


def objective_from_input(values: dict[str, str], week: Week, old: Objective | None = None) -> Objective:
    code, title = values["code"].strip(), values["title"].strip()
    try:
        objective = Objective(code=code, title=title) if old is None else _validated(
            old.model_copy(update=dict(code=code, title=title)))
    except ValidationError as exc:
        raise InputError("code", describe_validation(exc)) from None
    if any(o.code == code and (old is None or o.id != old.id) for o in week.objectives):
        raise InputError("code", f"{code} exists already")
    return objective


def item_from_input(values: dict[str, str], old: ObjectiveItem | None = None) -> ObjectiveItem:
    name, text = values["name"].strip(), values["text"].strip()
    if not (name or text):
        raise InputError("name", "a name or a text is needed")
    fields = dict(name=name, text=text, progress=_field("progress", parse_progress, values["progress"]),
                  due=_field("due", parse_day, values["due"]) if values["due"].strip() else None,
                  status=_field("status", parse_status, values["status"]))
    return _validated((old or ObjectiveItem()).model_copy(update=fields))


def changed_fields(before: BaseModel, after: BaseModel, names: tuple[str, ...]) -> dict:
    """The fields a form changed: it writes only these, so a value stored meanwhile by another
    writer in a field the user did not touch stays."""
    return {name: getattr(after, name) for name in names if getattr(after, name) != getattr(before, name)}

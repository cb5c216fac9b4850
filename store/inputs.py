"""Typed text into an Incident, a Metric or an ObjectiveItem (or their fields), or into one
error line: the one place the shell commands and the TUI's forms read what people type.

Dates without a year: with `anchor` (the TUI: a date in the week on screen) they are the
date of that name nearest the anchor; without it (the shell) the most recent such date up
to today (`10/9` on 2026-11-27 is 2026-10-09). The parsed values carry the full date, so
a form can show what it understood before saving."""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import ValidationError

from .dates import parse_day, parse_when
from .errors import InputError, describe_validation
from .messages import say
from .models import Incident, Metric, Objective, ObjectiveItem, parse_number
from . import counts, metric_lines, words
from .words import write_progress


GRADES = ("A", "B", "C", "D")
NO_GRADE = ("", "-", "—", "none", "无")
METRIC_KINDS = ("percent", "number", "text")
STATUS_WORDS = {  # the words a status may be typed as, in both languages
    "planned": "planned", "计划": "planned", "计划中": "planned", "未开始": "planned",
    "in progress": "in progress", "progress": "in progress", "进行中": "in progress", "推进中": "in progress",
    "done": "done", "完成": "done", "已完成": "done",
    "at risk": "at risk", "risk": "at risk", "有风险": "at risk", "风险": "at risk",
    "blocked": "blocked", "受阻": "blocked", "阻塞": "blocked",
}
YES = ("y", "yes", "是", "higher", "高", "1", "true")
NO = ("n", "no", "否", "lower", "低", "0", "false")


def _validated(build):
    try:
        return build()
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        raise InputError(str(loc[0]) if loc else "", describe_validation(exc)) from None


# --- dates ------------------------------------------------------------------------------------


# --- incidents -----------------------------------------------------------------------------------

def parse_grade(text: str | None) -> str | None:
    raw = (text or "").strip()
    if raw.lower() in NO_GRADE:
        return None
    grade = raw.upper().removesuffix("级")
    if grade not in GRADES:
        raise InputError("grade", say("grade_choice", q=raw))
    return grade


_DURATION = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>m|min|mins|minutes?|分钟|分|h|hr|hours?|小时)?$", re.I)


def parse_duration(text: str | int | None) -> int | None:
    """Minutes: `25`, `25m`, `25 分钟`, `1.5h`, `2 小时` (a number as it is: the model checks it)."""
    if isinstance(text, int):
        return text
    raw = (text or "").strip()
    if not raw:
        return None
    m = _DURATION.match(raw)
    if not m:
        raise InputError("duration", say("duration_form", q=raw))
    minutes = float(m["n"]) * (60 if (m["unit"] or "").lower().startswith(("h", "小")) else 1)
    if minutes != int(minutes) or minutes > 60 * 24 * 366:
        raise InputError("duration", say("duration_whole", q=raw))
    return int(minutes)


def status_for(resolution: str, old: Incident | None = None) -> str:
    """A resolution means resolved. Editing other fields keeps the status the incident had."""
    if old is not None and old.resolution == resolution:
        return old.status
    return "resolved" if resolution.strip() else "open"


INCIDENT_STATUS_WORDS = {"open": "open", "未解决": "open", "处理中": "open", "resolved": "resolved",
                         "已解决": "resolved", "解决": "resolved"}


def parse_incident_status(text: str | None, resolution: str, old: Incident | None = None) -> str:
    """`open`/`resolved` (or 未解决/已解决); empty: what the resolution says (status_for)."""
    raw = (text or "").strip()
    if not raw:
        return status_for(resolution, old)
    status = INCIDENT_STATUS_WORDS.get(raw.lower())
    if status is None:
        raise InputError("status", say("incident_status_choice", q=raw))
    return status


def incident_fields(values: dict, now: datetime, anchor: date | None = None,
                    old: Incident | None = None) -> dict:
    """The form's (or the shell's) strings -> the Incident's fields, checked. Keys read:
    summary, when (or at), grade, impact, duration, resolution, detection, status (all optional
    but summary and when)."""
    when = values.get("when", values.get("at"))
    try:
        at = parse_when(when, now, anchor) if when is not None else now
    except InputError as exc:
        raise InputError("when", exc.message) from None
    fields = {"at": at, "summary": (values.get("summary") or "").strip()}
    if "grade" in values:
        fields["grade"] = parse_grade(values["grade"])
    if "duration" in values:
        fields["duration_min"] = parse_duration(values["duration"])
    for name in ("impact", "detection"):
        if name in values:
            fields[name] = (values[name] or "").strip()
    if "resolution" in values:
        fields["resolution"] = (values["resolution"] or "").strip()
        fields["status"] = status_for(fields["resolution"], old)
    if "status" in values:  # a status given wins over what the resolution says
        resolution = fields.get("resolution", old.resolution if old else "")
        fields["status"] = parse_incident_status(values["status"], resolution, old)
    base = old.model_dump() if old is not None else {}
    _validated(lambda: Incident.model_validate({**base, **fields}))
    return fields


def new_incident(values: dict, now: datetime, anchor: date | None = None) -> Incident:
    return _validated(lambda: Incident(**incident_fields(values, now, anchor)))


# --- metrics ---------------------------------------------------------------------------------------

KIND_WORDS = {"百分比": "percent", "数字": "number", "数值": "number", "文字": "text", "文本": "text",
              "事故数": "incident_counts", "counts": "incident_counts"}
FORM_KINDS = (*METRIC_KINDS, "incident_counts")  # the form offers the derived count line too


def parse_kind(text: str | None, counts: bool = False) -> str:
    """A metric's kind; `counts`: the derived incident-count line may be chosen (the form)."""
    raw = (text or "").strip().lower() or "percent"
    kind = KIND_WORDS.get(raw, raw)
    if kind not in (FORM_KINDS if counts else METRIC_KINDS):
        if counts:
            raise InputError("kind", say("kind_choice_counts", q=raw))
        raise InputError("kind", say("kind_choice", q=raw))
    return kind


def parse_joined(text: str | None, old: Metric | None = None) -> str | None:
    """On the previous reading's line (y) or on its own (n, blank): the joiner a joined
    reading keeps, else the sample's ` ，`."""
    raw = (text or "").strip().lower()
    if raw in YES:
        return old.joined_by if old is not None and old.joined_by is not None else metric_lines.DEFAULT_JOINER
    if raw in NO or not raw:
        return None
    raise InputError("joined", say("joined_choice", q=raw))


def parse_group(text: str | None, taken: list[str], old: str | None = None) -> str:
    """A group's name (renamed, or a new group's): another group's name is refused, so the
    report never prints one heading twice; blank is the readings without a heading."""
    name = (text or "").strip()
    if name != old and name in taken:
        raise InputError("group", say("group_exists", q=name))
    _validated(lambda: Metric(name="?", group=name))
    return name


def parse_counts(values: dict, derived: tuple[int, int]) -> tuple[int, int] | None:
    """The AB and CD counts a report states (`0`, `1`, `1次`); both blank: the log's (None).
    Figures the log gives anyway are not stated (None): nothing to keep apart."""
    typed = [(values.get(name) or "").strip().removesuffix("次").strip() for name in ("ab", "cd")]
    if not any(typed):
        return None
    figures = []
    for name, raw, fallback in zip(("ab", "cd"), typed, derived):
        if not raw:
            figures.append(fallback)
            continue
        if not raw.isdigit() or int(raw) > 9999:
            raise InputError(name, say("counts_number", q=raw))
        figures.append(int(raw))
    stated = (figures[0], figures[1])
    return None if stated == tuple(derived) else stated


def parse_better(text: str | None) -> bool:
    raw = (text or "").strip().lower()
    if raw in YES or not raw:
        return True
    if raw in NO:
        return False
    raise InputError("better", say("better_choice", q=raw))


def metric_fields(values: dict, old: Metric | None = None, week=None) -> dict:
    """The metric form's strings -> the Metric's fields (value checked against its kind).
    With `week`: a second derived count line is refused (the report would print it twice)."""
    fields: dict = {}
    if "name" in values:
        fields["name"] = values["name"].strip()
    if "group" in values:
        fields["group"] = values["group"].strip()
    if "unit" in values:
        fields["unit"] = values["unit"].strip()
    if "kind" in values:
        fields["kind"] = parse_kind(values["kind"], counts=True)
        if fields["kind"] == "incident_counts" and not fields.get("name", old.name if old else ""):
            fields["name"] = counts.COUNTS_NAME
        if fields["kind"] == "incident_counts" and week is not None and (old is None or old.kind != fields["kind"]) \
                and counts.has_counts_line(week):
            raise InputError("kind", say("counts_line_there"))
    if "joined" in values:
        fields["joined_by"] = parse_joined(values["joined"], old)
    if "better" in values:
        fields["higher_is_better"] = parse_better(values["better"])
    if "target" in values:
        target = values["target"].strip()
        try:
            fields["target"] = parse_number(target) if target else None
        except ValueError as exc:
            raise InputError("target", str(exc)) from None
    base = old.model_dump() if old is not None else {"name": fields.get("name") or "?"}
    candidate = _validated(lambda: Metric.model_validate({**base, **fields}))
    if "value" in values:
        try:
            fields["value"] = candidate.check_value(values["value"])
        except ValueError as exc:
            raise InputError("value", f"{candidate.name}: {exc}") from None
    return fields


def new_metric(values: dict, week=None) -> Metric:
    """A new reading; with `week`, a second derived count line is refused (it would print twice)."""
    return _validated(lambda: Metric(**metric_fields(values, week=week)))


# --- objective items --------------------------------------------------------------------------

def parse_progress(text: str | None) -> float | None:
    raw = (text or "").strip().rstrip("%％").strip()
    if not raw:
        return None
    try:
        value = parse_number(raw)
    except ValueError as exc:
        raise InputError("progress", str(exc)) from None
    if not 0 <= value <= 100:
        raise InputError("progress", say("outside_0_100", x=f"{value:g}"))
    return value


def parse_status(text: str | None) -> str:
    raw = (text or "").strip().lower()
    if not raw:
        return "planned"
    status = STATUS_WORDS.get(raw)
    if status is None:
        raise InputError("status", say("status_choice", q=raw))
    return status


def item_fields(values: dict, today: date, anchor: date | None = None) -> dict:
    """The item form's strings -> the ObjectiveItem's fields: name, text, progress, due,
    status. A name or a text is needed."""
    fields: dict = {}
    for name in ("name", "text"):
        if name in values:
            fields[name] = values[name].strip()
    if fields.get("name"):  # `物保：` typed as the report shows it: the export adds the ：
        fields["name"] = fields["name"].rstrip("：:").rstrip()
    if "progress" in values:
        fields["progress"] = parse_progress(values["progress"])
    if "due" in values:
        due = values["due"].strip()
        try:
            fields["due"] = parse_day(due, today, anchor) if due else None
        except InputError as exc:
            raise InputError("due", exc.message) from None
    if "status" in values:
        fields["status"] = parse_status(values["status"])
    if ("name" in fields or "text" in fields) and not (fields.get("name") or fields.get("text")):
        raise InputError("name / text", say("both_empty"))
    _validated(lambda: ObjectiveItem.model_validate(fields))
    return fields


def item_words(name: str, text: str, anchor: date, progress: float | None = None) -> dict:
    """What an item's words say, read as the importer reads them (store/words.py read_*):
    {"progress", "due", "status"}, each None where the words say nothing (a plain "planned"
    is nothing said). `progress`, when the user gave one, is what the status is judged by."""
    line = f"{name}：{text}" if name and text else name or text
    read = words.read_progress(line)
    try:
        due = words.read_due(line, anchor)
    except ValueError:
        due = None
    status = words.read_status(line, progress if progress is not None else read)
    return {"progress": read, "due": due, "status": None if status == "planned" else status}


def followed_status(read: str | None, current: str) -> str:
    """The status an item takes from what its words (or a typed progress) say: at risk and
    blocked are the user's judgement, which only words saying done replace."""
    if read is None or (current in ("at risk", "blocked") and read != "done"):
        return current
    return read


def new_item(values: dict, today: date, anchor: date | None = None) -> ObjectiveItem:
    """A new item: its progress is written into its words too (the report prints the words),
    unless the words say it already."""
    fields = item_fields(values, today, anchor)
    line = f"{fields.get('name', '')}：{fields.get('text', '')}"
    if fields.get("text") and fields.get("progress") is not None and words.read_progress(line) != fields["progress"]:
        fields["text"] = write_progress(fields["text"], fields["progress"])
    return _validated(lambda: ObjectiveItem(**fields))


# --- whole elements from a form (the names the TUI's forms call) ------------------------------------


def strip_brackets(text: str) -> str:
    """`【商户服务重构】` typed as the report shows it: the 【】 the export adds, taken off."""
    raw = text.strip()
    if raw.startswith("【") and raw.endswith("】") and raw.count("【") == 1 and raw.count("】") == 1:
        raw = raw[1:-1].strip()
    return raw


def key_work_title(text: str) -> str:
    return strip_brackets(text)


# typed: `O2 系统升级`, `O2系统升级`, `o2：系统升级` (the importer reads report headings in exporters/)
_HEADING = re.compile(r"^[Oo](?P<n>\d{1,2})(?!\d)(?P<space>[：:]?\s*)(?P<title>.*)$", re.S)


def parse_heading(text: str, code: str) -> tuple[str, str, bool]:
    """An objective's heading as the report shows it -> (code, title, spaced): `O2 系统升级`,
    `O2系统升级` (no space: the export keeps it so, store/models.Objective.spaced) or
    `【O2系统升级】`. A heading without a code takes `code` (the next one, or its own)."""
    raw = strip_brackets(text)
    m = _HEADING.match(raw)
    if m is None:
        return code, raw, True
    title = m["title"].strip()
    return f"O{int(m['n'])}", title, bool(m["space"]) or not title


def next_code(week) -> str:
    """The code a new objective takes when none is typed: after the others, else a free one."""
    taken = {o.code for o in week.objectives}
    numbers = [*range(len(week.objectives) + 1, 100), *range(1, 100)]
    return next((f"O{n}" for n in numbers if f"O{n}" not in taken), "O99")


def objective_from_input(values: dict, week, old: Objective | None = None) -> Objective:
    """An objective's code and title (or its one `heading`: parse_heading); a code another
    objective of the week holds is refused."""
    if "heading" in values:
        code, title, spaced = parse_heading(values["heading"], old.code if old else next_code(week))
    else:
        code, title, spaced = values["code"].strip(), values["title"].strip(), old.spaced if old else True
    base = old.model_dump() if old is not None else {}
    field = "heading" if "heading" in values else "code"
    try:
        objective = Objective.model_validate({**base, "code": code, "title": title, "spaced": spaced})
    except ValidationError as exc:
        raise InputError(field, describe_validation(exc)) from None
    if any(o.code == code and (old is None or o.id != old.id) for o in week.objectives):
        raise InputError(field, say("exists_already", x=code))
    return objective


# --- a week, as people name one (go-to) -------------------------------------------------------


# editors: a daily note's day, typed as a date or as a weekday of the week on screen



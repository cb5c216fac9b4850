"""The forms of the week screen: what each shows and how its typed text is read (store/inputs.py,
the shell's rules too). Each hands `save` what the user typed, read: a new element, or the
fields of an existing one (the op keeps only those that changed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from weekly_zhoubao.store import dates, inputs, metric_lines
from weekly_zhoubao.store.models import STATUSES, Incident, Metric, Objective, ObjectiveItem, Week

from .forms import Field, FormScreen
from .i18n import t
from .messages import form_error


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
          explain: Callable[[dict], str] | None = None,
          follow: Callable[[dict], dict] | None = None) -> FormScreen:
    return FormScreen(title, fields, lang, _checker(fields, read, lang), lambda values: save(read(values)), form_id,
                      explain, follow)


def status_choices(lang: str) -> list[tuple[str, str]]:
    """An objective item's statuses, shown in the UI's language."""
    return [(s, t(f"status:{s}", lang)) for s in STATUSES]


def grade_choices(lang: str) -> list[tuple[str, str]]:
    """An incident's grade: none (a stability event, not a graded incident), A–D."""
    return [("", t("grade:none", lang))] + [(g, g) for g in inputs.GRADES]


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
        Field("grade", t("grade", lang), (incident.grade or "") if incident else "", choices=grade_choices(lang)),
        Field("impact", t("impact", lang), incident.impact if incident else ""),
        Field("duration", t("duration", lang),
              str(incident.duration_min) if incident and incident.duration_min is not None else ""),
        Field("resolution", t("resolution", lang), incident.resolution if incident else ""),
        Field("detection", t("detection", lang), incident.detection if incident else ""),
        Field("status", t("status", lang), incident.status if incident else "open",
              choices=[(s, t(f"incident_status:{s}", lang)) for s in ("open", "resolved")]),
    ]

    def read(values: dict):
        if incident is None:
            return inputs.new_incident(values, now, anchor)
        return inputs.incident_fields(values, now, anchor, incident)

    def when(values: dict) -> str:
        at = dates.parse_when(values["when"], now, anchor)
        return f"{at:%Y-%m-%d %H:%M} · {week_name(at.date())}"

    def follow(values: dict) -> dict:  # the status follows the resolution until it is chosen
        return {"status": inputs.status_for(values["resolution"].strip(), incident)}

    return _form(t("edit_incident" if incident else "new_incident", lang), fields, lang, read, save,
                 "incident-form", _understood(lang, when), follow)


def _metric_fields(lang: str, m: Metric | None, joinable: bool) -> list[Field]:
    """A reading's fields; `joinable`: it may sit on the previous reading's line. Kind, line
    and direction are chosen from lists in the UI's language (stored values as store/inputs reads them)."""
    fields = [
        Field("name", t("name", lang), m.name if m else ""),
        Field("value", t("value", lang), (m.value or "") if m else "", "99.997%"),
    ]
    if joinable:
        fields.append(Field("joined", t("joined", lang), "y" if m and m.joined_by is not None else "n",
                            choices=[("n", t("joined_no", lang)), ("y", t("joined_yes", lang))]))
    return fields + [
        Field("target", t("target", lang), f"{m.target:g}" if m and m.target is not None else ""),
        Field("better", t("better_dir", lang), "n" if m and not m.higher_is_better else "y",
              choices=[("y", t("higher_better", lang)), ("n", t("lower_better", lang))]),
        Field("kind", t("metric_kind", lang), m.kind if m else "percent",
              choices=[(kind, t(f"kind_{kind}", lang)) for kind in inputs.FORM_KINDS]),
        Field("unit", t("unit", lang), m.unit if m else ""),
    ]


def group_label(group: str, lang: str) -> str:
    return group or t("no_group", lang)


def metric_form(lang: str, metric: Metric | None, group: str, save: Callable[[Metric | dict], object],
                week: Week | None = None, joinable: bool = True) -> FormScreen:
    """A reading of `group`. New: `save(Metric)` (in that group, as the title says); edit:
    `save(fields)`. `joinable`: not the first reading of its group, so it may share the line
    above. A group is renamed on its own row (group_form), not here."""
    fields = _metric_fields(lang, metric, joinable)

    def read(values: dict):
        if metric is None:
            return inputs.new_metric({**values, "group": group}, week)
        return inputs.metric_fields(values, metric, week)

    title = t("edit_reading" if metric else "new_reading", lang, g=group_label(group, lang))
    return _form(title, fields, lang, read, save, "metric-form")


def new_group_form(lang: str, week: Week, save: Callable[[Metric], object]) -> FormScreen:
    """A new group and its first reading: `save(Metric)`. A name another group has is refused."""
    fields = [Field("group", t("group", lang), "", t("group_hint", lang)), *_metric_fields(lang, None, False)]

    def read(values: dict) -> Metric:
        group = inputs.parse_group(values["group"], metric_lines.group_names(week.metrics))
        return inputs.new_metric({**values, "group": group}, week)

    return _form(t("new_group", lang), fields, lang, read, save, "metric-form")


def group_form(lang: str, week: Week, group: str, save: Callable[[str], object]) -> FormScreen:
    """Rename a group: `save(new name)`."""
    fields = [Field("group", t("group", lang), group, t("group_hint", lang))]

    def read(values: dict) -> str:
        return inputs.parse_group(values["group"], metric_lines.group_names(week.metrics), group)

    return _form(t("rename_group", lang, g=group_label(group, lang)), fields, lang, read, save, "metric-form")


def counts_form(lang: str, shown: tuple[int, int], derived: tuple[int, int],
                save: Callable[[tuple[int, int] | None], object]) -> FormScreen:
    """The incident counts the report states: `save((ab, cd))`, or `save(None)` for the
    log's own (both fields blank, or the log's figures typed)."""
    fields = [Field("ab", t("counts_ab", lang), str(shown[0])), Field("cd", t("counts_cd", lang), str(shown[1]))]

    def read(values: dict):
        return inputs.parse_counts(values, derived)

    def explain(values: dict) -> str:
        try:
            stated = read(values)
        except ValueError:
            return ""
        said = t("counts_from_log", lang, a=derived[0], c=derived[1])
        return said if stated is None else t("counts_stated", lang, a=stated[0], c=stated[1], da=derived[0],
                                             dc=derived[1])

    return _form(t("counts_title", lang), fields, lang, read, save, "counts-form", explain)


def objective_form(lang: str, week: Week, objective: Objective | None,
                   save: Callable[[Objective | dict], object]) -> FormScreen:
    """One heading line, as the report shows it (`O2 系统升级`, `O2系统升级`, `【O2系统升级】`;
    without a code: the next free one). New: `save(Objective)`; edit: `save(fields)`."""
    fields = [Field("heading", t("heading", lang), objective.heading if objective else "",
                    f"{inputs.next_code(week)} …")]

    def read(values: dict):
        new = inputs.objective_from_input(values, week, objective)
        return new if objective is None else {"code": new.code, "title": new.title, "spaced": new.spaced}

    return _form(t("pane_objectives", lang)[2:], fields, lang, read, save)


def item_form(lang: str, item: ObjectiveItem | None, today: date, anchor: date,
              save: Callable[[ObjectiveItem | dict], object], title: str | None = None) -> FormScreen:
    """New: `save(ObjectiveItem)`; edit: `save(fields)`. Progress, date and status follow
    what the name and text say (`预计10/26上线`, `进度60%`), read as the importer reads them,
    unless the user typed into those fields; the form shows what it read before saving."""
    shown = {"name": item.name if item else "", "text": item.text if item else "",
             "progress": f"{item.progress:g}" if item and item.progress is not None else "",
             "due": f"{item.due:%Y-%m-%d}" if item and item.due else "",
             "status": item.status if item else "planned"}
    fields = [
        Field("name", t("name", lang), shown["name"]),
        Field("text", t("text", lang), shown["text"]),
        # the status right after the words: progress and date usually come from the words
        Field("status", t("status", lang), shown["status"], choices=status_choices(lang)),
        Field("progress", t("progress", lang), shown["progress"]),
        Field("due", t("due_words", lang), shown["due"]),
    ]

    def read(values: dict):
        if item is None:
            return inputs.new_item(values, today, anchor)
        return inputs.item_fields(values, today, anchor)

    def follow(values: dict) -> dict:
        typed = None
        if values["progress"] != shown["progress"]:
            try:  # a progress the user typed judges the status too
                typed = inputs.parse_progress(values["progress"])
            except ValueError:
                pass
        if (values["name"], values["text"]) == (shown["name"], shown["text"]):
            words = {"progress": None, "due": None, "status": None}
        else:
            words = inputs.item_words(values["name"].strip(), values["text"].strip(), anchor, typed)
        if typed is not None and words["progress"] is None:
            words["status"] = inputs.item_words("", f"{typed:g}%", anchor)["status"] or words["status"]
        return {"progress": f"{words['progress']:g}" if words["progress"] is not None else shown["progress"],
                "due": f"{words['due']:%Y-%m-%d}" if words["due"] else shown["due"],
                "status": inputs.followed_status(words["status"], shown["status"])}

    def understood(values: dict) -> str | None:
        fields = inputs.item_fields({k: values[k] for k in ("progress", "due", "status")}, today, anchor)
        parts = [f"{fields['due']:%Y-%m-%d}"] if fields["due"] else []
        if fields["progress"] is not None:
            parts.append(t("progress_is", lang, p=f"{fields['progress']:g}"))
        parts.append(t(f"status:{fields['status']}", lang))
        return " · ".join(parts)

    return _form(title or t("pane_objectives", lang)[2:], fields, lang, read, save, explain=_understood(lang, understood),
                 follow=follow)


def goto_form(lang: str, monday: date, read: Callable[[str], date], go: Callable[[date], object],
              week_name: Callable[[date], str] | None = None) -> FormScreen:
    """`read(text)`: the day typed, or a ValueError saying why there is no such week. The
    form says which week it read (`第42周` → 第42周 2023/10/13 · 2023-10-09)."""
    fields = [Field("day", t("date_to_open", lang), f"{monday:%Y-%m-%d}")]

    def understood(values: dict) -> str:
        day = read(values["day"])
        return f"{week_name(day)} · {day:%Y-%m-%d}" if week_name else f"{day:%Y-%m-%d}"

    form = _form(t("goto_week", lang), fields, lang, lambda values: read(values["day"]), go,
                 explain=_understood(lang, understood))
    form.keys_hint = t("goto_keys", lang)  # it saves nothing: Enter goes to the week
    return form


def note_day_form(lang: str, day: date, read: Callable[[str], date], go: Callable[[date], object]) -> FormScreen:
    """Which day's note to write: `read(text)` is store/dates.parse_note_day for the week on
    screen. The form says the day it read (`周四` → 2023/10/12 周四)."""
    from weekly_zhoubao.exporters.markdown import daily_label

    fields = [Field("day", t("note_day", lang), f"{day:%m/%d}")]
    form = _form(t("note_for_day", lang), fields, lang, lambda values: read(values["day"]), go, "note-day-form",
                 explain=_understood(lang, lambda values: daily_label(read(values["day"]), lang)))
    form.unsaved = lambda: None  # it only asks where to go: quitting loses nothing typed here
    return form

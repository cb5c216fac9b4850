"""Edits as intentions: "append to the note of 10/12", "set the value of metric X from 99.9
to 99.95", "move incident X to the week of 10/16". An op is applied to the freshest stored
copy of the weeks it names, under the store's lock (store/session.py, tui/commands.py);
applying returns its inverse (what undo applies, to the state of that later moment) and
notices for the user.

The rule when another writer got there first: a field changed elsewhere since the form
opened keeps the other writer's value, and the user is told (the other writer's user may
not be watching; ours is). Texts are merged three-way (store/merge3.py); a conflict keeps
both versions, marked. Undo follows the same rule: what changed elsewhere since is left
as it is, and said."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator

from .models import WORDS, DailyNote, ListEntry, Objective, ObjectiveItem, Week, monday_of, new_id
from .carry import add_to_note
from .counts import user_graded
from .metric_lines import set_metric
from .words import write_progress

LIST_KINDS = ("key_work", "metrics", "incidents", "objectives", "other", "next_week")

# --- what the user is told -----------------------------------------------------------------

NOTICES = {
    "kept_theirs": ("「{what}」的{field}已在别处改为 {theirs}，保留了它（你的：{yours}）",
                    "{what}: {field} was changed elsewhere to {theirs}; kept that (yours: {yours})"),
    "undo_kept": ("「{what}」的{field}之后在别处改过，撤销未动它",
                  "{what}: {field} changed elsewhere since; undo left it as it is"),
    "undo_left": ("「{what}」之后在别处改过，撤销未删除它", "{what} changed elsewhere since; undo left it in place"),
    "gone": ("「{what}」已在别处删除，未作更改", "{what} was deleted elsewhere; nothing changed"),
    "parent_gone": ("「{what}」所属的条目已在别处删除，未添加", "where {what} belonged was deleted elsewhere; not added"),
    "merged": ("{what}：已与别处的修改合并", "{what}: merged with a change made elsewhere"),
    "conflict": ("{what}：与别处的修改冲突，两个版本都保留并已标出（<<<<<<< / >>>>>>>）",
                 "{what}: changed here and elsewhere at the same place; both versions are kept, "
                 "marked <<<<<<< / >>>>>>>"),
    "undo_text_kept": ("{what}：之后在别处改过，撤销未动它",
                       "{what}: changed elsewhere since; undo left it as it is"),
    "not_moved": ("「{what}」已不在原处，未移动", "{what} is no longer where it was; not moved"),
}


WEEK = "week"  # a notice about the week's own fields (compared by identity: not an item named "week")
FIELD_NAMES = {  # a field as a notice names it: (zh, en)
    "value": ("数值", "value"), "target": ("目标", "target"), "name": ("名称", "name"), "group": ("分组", "group"),
    "unit": ("单位", "unit"), "kind": ("类型", "kind"), "higher_is_better": ("越高越好", "higher is better"),
    "at": ("时间", "time"), "grade": ("级别", "grade"), "summary": ("摘要", "summary"), "impact": ("影响", "impact"),
    "duration_min": ("时长", "duration"), "resolution": ("处理", "resolution"), "status": ("状态", "status"),
    "detection": ("发现方式", "detection"), "text": ("内容", "text"), "progress": ("进度", "progress"),
    "due": ("日期", "date"), "title": ("标题", "title"), "code": ("编号", "code"), "body": ("正文", "body"),
    "incident_host": ("事件所在目标", "objective holding incidents"), "template": ("模板", "template"),
    "stated_incident_counts": ("报告所写事故数", "stated incident counts"), "sections": ("章节", "sections"),
}


@dataclass(eq=False)
class Notice:
    code: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        zh, en = NOTICES[self.code]
        params = dict(self.params)
        if "field" in params:
            params["field"] = FIELD_NAMES.get(params["field"], (params["field"],) * 2)[lang != "zh"]
        if params.get("what") is WEEK:
            params["what"] = "本周" if lang == "zh" else "the week"
        return (zh if lang == "zh" else en).format(**params)


@dataclass
class Outcome:
    inverse: "Op | None" = None
    notices: list[Notice] = field(default_factory=list)


# --- finding things by id --------------------------------------------------------------------

def containers(week: Week) -> Iterator[tuple[str, str | None, list]]:
    """Every list of a week that holds elements with ids: (kind, parent id, the list)."""
    for kind in LIST_KINDS:
        yield kind, None, getattr(week, kind)
    for objective in week.objectives:
        yield "item", objective.id, objective.items
        for item in objective.walk():
            yield "item", item.id, item.children


def locate(week: Week, element_id: str) -> tuple[str, str | None, list, int] | None:
    for kind, parent, items in containers(week):
        for index, element in enumerate(items):
            if getattr(element, "id", None) == element_id:
                return kind, parent, items, index
    return None


def find(week: Week, element_id: str):
    found = locate(week, element_id)
    return found[2][found[3]] if found else None


def container(week: Week, kind: str, parent_id: str | None) -> list | None:
    if kind in LIST_KINDS:
        return getattr(week, kind)
    for k, parent, items in containers(week):
        if k == kind and parent == parent_id:
            return items
    return None


def label(element) -> str:
    """A short name of an element for a notice."""
    for name in ("summary", "title", "name", "text", "code"):
        value = getattr(element, name, None)
        if value:
            return str(value)[:40]
    return "?"


def changed_element(before: Week, after: Week) -> tuple[str, str] | None:
    """What an undo or a redo did, to say so: ("back" | "gone" | "changed", the element's
    label), the innermost element that changed; None when no element did (a text, a field
    of the week)."""
    def elements(week: Week) -> dict:
        return {element.id: element for _, _, items in containers(week) for element in items
                if getattr(element, "id", None)}

    old, new = elements(before), elements(after)
    for how, ids in (("back", [i for i in new if i not in old]), ("gone", [i for i in old if i not in new])):
        if ids:
            return how, label((new if how == "back" else old)[ids[0]])
    changed = [i for i in new if new[i] != old[i]]
    return ("changed", label(new[changed[-1]])) if changed else None


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)[:40]


# --- the ops --------------------------------------------------------------------------------

class Op:
    """An intention. `mondays` are the weeks it changes, in the order they are written.
    Ops are values, never changed once made (not frozen: a frozen dataclass costs a shell
    command's start-up ~3x more to define)."""

    @property
    def mondays(self) -> tuple[date, ...]:
        return (self.monday,)  # most ops change the one week they name; the others say which

    @property
    def fields(self) -> tuple[str, ...] | None:
        """The week's fields `apply` may change (None: any). A week at the limits takes
        ~0.2 s to copy whole; an editor's save needs a copy of its one text's field."""
        return None

    def apply(self, weeks: dict[date, Week]) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(eq=False)
class AddElement(Op):
    """Add `element` to a list of the week (kind: key_work, metrics, incidents, objectives,
    other, next_week; or item, under the objective or item `parent_id`), after `after_id`
    (at the end when None, at the start with at_start)."""
    monday: date
    kind: str
    element: Any
    parent_id: str | None = None
    after_id: str | None = None
    at_start: bool = False

    def apply(self, weeks):
        week = weeks[self.monday]
        items = container(week, self.kind, self.parent_id)
        if items is None:
            return Outcome(notices=[Notice("parent_gone", {"what": label(self.element)})])
        if find(week, self.element.id) is not None:
            return Outcome()  # there already (the same add, or an undone delete put back elsewhere)
        if self.at_start:
            index = 0
        else:
            index = next((i + 1 for i, e in enumerate(items) if e.id == self.after_id), len(items))
        items.insert(index, self.element.model_copy(deep=True))
        dropped = user_graded(week) if self.kind == "incidents" and self.element.grade else None
        return Outcome(_restoring_counts(self.monday, DeleteElement(self.monday, self.element.id,
                                                                    expected=self.element.model_dump()), dropped))


@dataclass(eq=False)
class DeleteElement(Op):
    """Delete an element. `expected` (undo of an add): delete it only as it was added; an
    element changed elsewhere since is left, and said."""
    monday: date
    element_id: str
    expected: dict | None = None

    def apply(self, weeks):
        found = locate(weeks[self.monday], self.element_id)
        if found is None:
            return Outcome()  # gone already: what the user wanted
        kind, parent, items, index = found
        if self.expected is not None and items[index].model_dump() != self.expected:
            return Outcome(notices=[Notice("undo_left", {"what": label(items[index])})])
        element = items.pop(index)
        after = items[index - 1].id if index > 0 else None
        return Outcome(AddElement(self.monday, kind, element, parent, after, at_start=index == 0))


@dataclass(eq=False)
class MoveElement(Op):
    """Move an element up (-1) or down (+1) among its siblings."""
    monday: date
    element_id: str
    delta: int

    def apply(self, weeks):
        found = locate(weeks[self.monday], self.element_id)
        if found is None:
            return Outcome(notices=[Notice("not_moved", {"what": "…"})])
        _, _, items, index = found
        target = index + self.delta
        if not 0 <= target < len(items):
            return Outcome()
        items[index], items[target] = items[target], items[index]
        return Outcome(MoveElement(self.monday, self.element_id, -self.delta))


def _set_fields(week: Week, element, changes: dict[str, tuple], undoing: bool,
                notices: list[Notice], exact: bool = False) -> dict[str, tuple]:
    """Set each field from old to new where it still holds old; returns what changed, as
    {field: (before, after)}. A field changed elsewhere keeps that value, and says so."""
    made: dict[str, tuple] = {}
    what = label(element) if element is not week else WEEK
    for name, (old, new) in changes.items():
        current = getattr(element, name)
        if current == new:
            continue
        if current != old:
            if undoing:
                notices.append(Notice("undo_kept", {"what": what, "field": name}))
            else:
                notices.append(Notice("kept_theirs", {"what": what, "field": name, "theirs": shown(current),
                                                      "yours": shown(new)}))
            continue
        setattr(element, name, new)  # validate_assignment: a bad value raises, the copy is dropped
        made[name] = (current, new)
    if made and not undoing and getattr(element, "written", None) is not None and not WORDS & made.keys():
        # edited: the export writes it from its fields from now on, in the template's way (SPEC §2.2)
        made["written"] = (element.written, None)
        element.written = None
    if isinstance(element, ObjectiveItem) and made and not (undoing or exact):
        if "progress" in made and made["progress"][1] is not None:
            # progress is written into the user's words too, where the old figure stood
            before = element.text
            element.text = write_progress(before, made["progress"][1])
            if element.text != before:
                made["text"] = (made.get("text", (before,))[0], element.text)
        if element.carried_done and "carried_done" not in changes:
            element.carried_done = False
            made["carried_done"] = (True, False)
    return made


def _graded(week: Week, made: dict[str, tuple]) -> tuple[int, int] | None:
    """A grade just given: the week's stated counts give way (counts.user_graded); returns them."""
    return user_graded(week) if made.get("grade", (None, None))[1] else None


def _restoring_counts(monday: date, inverse: Op, dropped: tuple[int, int] | None) -> Op:
    """The inverse of an op whose grading dropped the week's stated counts: undone, they are
    back as they were (the export prints them again)."""
    if dropped is None:
        return inverse
    return Batch((inverse, SetFields(monday, None, {"stated_incident_counts": (None, dropped)},
                                     undoing=True, exact=True)))


@dataclass(eq=False)
class SetFields(Op):
    """Set fields of the element `element_id` (or of the week itself when None):
    changes = {field: (old, new)}, old being the value the form showed."""
    monday: date
    element_id: str | None
    changes: dict
    undoing: bool = False
    exact: bool = False  # these fields only: no progress written into the words (a diff, an undo)

    def apply(self, weeks):
        week = weeks[self.monday]
        element = week if self.element_id is None else find(week, self.element_id)
        if element is None:
            return Outcome(notices=[Notice("gone", {"what": self._what()})])
        notices: list[Notice] = []
        made = _set_fields(week, element, self.changes, self.undoing, notices, self.exact)
        if not made:
            return Outcome(notices=notices)
        reverse = {name: (after, before) for name, (before, after) in made.items()}
        inverse = _restoring_draft(week, self.element_id, self.undoing,
                                   SetFields(self.monday, self.element_id, reverse, undoing=True))
        return Outcome(_restoring_counts(self.monday, inverse, _graded(week, made)), notices)

    def _what(self) -> str:
        for name in ("summary", "title", "name", "text"):
            if name in self.changes:
                return shown(self.changes[name][0])
        return "…"


def _restoring_draft(week: Week, element_id, undoing: bool, inverse: Op) -> Op:
    """An element pulled from a member and now edited is a draft no more (store/team
    pull_into); undoing the edit marks it again."""
    if undoing or element_id not in week.drafts:
        return inverse
    before = list(week.drafts)
    week.drafts = [i for i in before if i != element_id]
    return Batch((inverse, SetFields(week.monday, None, {"drafts": (week.drafts, before)}, undoing=True)))


@dataclass(eq=False)
class MoveIncident(Op):
    """Change an incident so that it starts in another week, and move it there: both
    weeks are written under one lock, the destination first."""
    source: date
    incident_id: str
    changes: dict  # {field: (old, new)}, holding "at"
    undoing: bool = False

    @property
    def destination(self) -> date:
        return monday_of(self.changes["at"][1].date())

    @property
    def mondays(self):
        return (self.destination, self.source)

    def apply(self, weeks):
        source = weeks[self.source]
        found = locate(source, self.incident_id)
        if found is None or found[0] != "incidents":
            if find(weeks[self.destination], self.incident_id) is not None:
                return Outcome()  # moved already
            return Outcome(notices=[Notice("gone", {"what": self._what()})])
        _, _, items, index = found
        incident = items[index].model_copy(deep=True)
        notices: list[Notice] = []
        made = _set_fields(source, incident, self.changes, self.undoing, notices)
        if not made:
            return Outcome(notices=notices)
        reverse = {name: (after, before) for name, (before, after) in made.items()}
        landed = monday_of(incident.at.date())
        if landed == self.source:  # the new time was refused: the rest changes in place
            items[index] = incident
            inverse = SetFields(self.source, self.incident_id, reverse, undoing=True)
            return Outcome(_restoring_counts(self.source, inverse, _graded(source, made)), notices)
        del items[index]
        target = weeks[landed]
        target.incidents = [i for i in target.incidents if i.id != incident.id] + [incident]
        dropped = user_graded(target) if incident.grade else None
        return Outcome(_restoring_counts(landed, MoveIncident(landed, self.incident_id, reverse, undoing=True),
                                         dropped), notices)

    def _what(self) -> str:
        return shown(self.changes.get("summary", (None,))[0]) if "summary" in self.changes else "incident"


# --- texts ------------------------------------------------------------------------------------

TEXT_NAMES = {"note": ("日报", "daily note"), "reflections": ("收获与反思", "reflections"), "section": ("章节", "section"),
              "key_work": ("重点工作", "key work"), "other": ("其他", "other"),
              "next_week": ("下周工作", "next week")}


def text_of(week: Week, target: tuple) -> str | None:
    """The text an editor edits: ("note", day), ("reflections", None), ("key_work", id) for
    a key-work body, ("section", id) for a week's own section's body, ("other"|"next_week",
    None) for a list, one entry a line. None when the item or section is gone."""
    kind, key = target
    if kind == "note":
        note = week.note_for(key)
        return note.text if note else ""
    if kind == "reflections":
        return week.reflections
    if kind == "key_work":
        item = find(week, key)
        return item.body if item is not None else None
    if kind == "section":
        section = _section(week, key)
        return section.body if section is not None else None
    return list_text(getattr(week, kind))


def _section(week: Week, section_id: str):
    """A week's own section (a custom or imported one, store/models.Section) by id."""
    return next((s for s in getattr(week, "sections", ()) if s.id == section_id), None)


def list_text(entries: list[ListEntry]) -> str:
    """A list as its editor shows it, numbered as the report is (store/outline.py)."""
    from . import outline  # here: a shell command that never edits a list does not load it

    return outline.list_text([e.text for e in entries])


def list_entries(text: str, old: list[ListEntry]) -> list[ListEntry]:
    """其他 / 下周: one entry a line, a typed marker (`1. `, `1、`, `- `) being the list's own;
    an indented line continues the entry above. Entries keep the ids of those they replace,
    by position."""
    from . import outline

    entries = outline.list_items(text)
    out = []
    for i, e in enumerate(entries):
        if i < len(old):  # the words an entry was imported with last while its text is unchanged
            kept = old[i].model_dump(include={"id", "before", "after", "progress", "due", "done"})
            out.append(ListEntry(**kept, text=e, written=old[i].written if old[i].text == e else None))
        else:
            out.append(ListEntry(id=new_id(), text=e))
    return out


def stored_form(target: tuple, text: str) -> str:
    """`text` as text_of gives it back once put_text has stored it (a list renumbered, an
    emptied note gone)."""
    from . import outline

    kind = target[0]
    if kind in ("other", "next_week"):
        return outline.list_text(outline.list_items(text))
    if kind == "note" and not text.strip():
        return ""
    return text


# the week's field that put_text changes, by the target's kind
TEXT_FIELDS = {"note": "daily_notes", "reflections": "reflections", "key_work": "key_work", "section": "sections",
               "other": "other", "next_week": "next_week"}


def put_text(week: Week, target: tuple, text: str) -> None:
    kind, key = target
    if kind == "note":
        note = week.note_for(key)
        if not text.strip():  # an emptied note is no note
            week.daily_notes = [n for n in week.daily_notes if n.day != key]
        elif note is None:
            week.daily_notes.append(DailyNote(day=key, text=text))
            week.daily_notes.sort(key=lambda n: n.day)
        else:
            note.text = text
    elif kind == "reflections":
        week.reflections = text
    elif kind == "key_work":
        item = find(week, key)
        if item.body != text:
            item.written = None  # edited: written from its fields from now on
        item.body = text
    elif kind == "section":
        _section(week, key).body = text
    else:
        setattr(week, kind, list_entries(text, getattr(week, kind)))


def text_what(target: tuple, lang: str = "en") -> str:
    kind, key = target
    name = TEXT_NAMES[kind][lang == "en"]
    return f"{name} {key:%m/%d}" if kind == "note" else name


@dataclass(eq=False)
class SetText(Op):
    """A text as the editor now holds it (`new`), against the text it started from (`base`):
    merged three-way with the stored text. Undo (undoing=True) reverts only where nothing
    changed elsewhere since, and otherwise leaves the text as it is."""
    monday: date
    target: tuple
    base: str
    new: str
    undoing: bool = False
    labels: tuple[str, str] = ("here", "elsewhere")  # a conflict's markers, in the UI's language

    @property
    def fields(self):
        return (TEXT_FIELDS[self.target[0]],)

    def apply(self, weeks):
        from .merge3 import merge3  # here: a shell command that appends a note never loads difflib

        week = weeks[self.monday]
        stored = text_of(week, self.target)
        what = text_what(self.target)
        if stored is None:
            return Outcome(notices=[Notice("gone", {"what": what})])
        merged = merge3(self.base, self.new, stored, self.labels)
        notices = []
        result = merged.text
        if merged.conflicts:
            if self.undoing:
                return Outcome(notices=[Notice("undo_text_kept", {"what": what})])
            notices.append(Notice("conflict", {"what": what}))
        elif stored != self.base and not self.undoing:
            notices.append(Notice("merged", {"what": what}))
        if result == stored:
            return Outcome(notices=notices)
        put_text(week, self.target, result)
        after = text_of(week, self.target)
        inverse = SetText(self.monday, self.target, after, stored, undoing=True)
        return Outcome(_restoring_draft(week, self.target[1], self.undoing, inverse), notices)


@dataclass(eq=False)
class AppendNote(Op):
    """Add a paragraph to a day's note (the shell's `weekly note`, the TUI's quick note)."""
    day: date
    text: str

    @property
    def mondays(self):
        return (monday_of(self.day),)

    @property
    def fields(self):
        return ("daily_notes",)

    def apply(self, weeks):
        week = weeks[monday_of(self.day)]
        target = ("note", self.day)
        before = text_of(week, target)
        add_to_note(week, self.day, self.text)
        return Outcome(SetText(week.monday, target, text_of(week, target), before, undoing=True))


@dataclass(eq=False)
class RecordMetric(Op):
    """A reading for the metric named `name` (the shell's `weekly metric`); a new name needs
    a group to define it. `target` and `higher_is_better`, when given, set the metric's."""
    monday: date
    name: str
    raw: str
    group: str | None = None
    kind: str = "percent"
    target: float | None = None
    higher_is_better: bool | None = None

    def apply(self, weeks):
        week = weeks[self.monday]
        existing = next((m for m in week.metrics if m.name == self.name), None)
        before = existing.model_dump() if existing else None
        metric = set_metric(week, self.name, self.raw, self.group, self.kind, self.target, self.higher_is_better)
        if existing is None:
            return Outcome(DeleteElement(self.monday, metric.id, expected=metric.model_dump()))
        changed = {name: (getattr(metric, name), before[name]) for name in ("value", "target", "higher_is_better")
                   if getattr(metric, name) != before[name]}
        if not changed:
            return Outcome()
        if changed.get("value") and metric.written is not None:
            changed["written"] = (None, metric.written)  # a new reading: written from the fields from now on
            metric.written = None
        return Outcome(SetFields(self.monday, metric.id, changed, undoing=True))


@dataclass(eq=False)
class Batch(Op):
    """Several ops as one user action: one undo step, written under one lock."""
    ops: tuple

    @property
    def mondays(self):
        return tuple(dict.fromkeys(m for op in self.ops for m in op.mondays))

    @property
    def fields(self):
        fields = [op.fields for op in self.ops]
        return None if None in fields else tuple(dict.fromkeys(f for each in fields for f in each))

    def apply(self, weeks):
        inverses, notices = [], []
        for op in self.ops:
            outcome = op.apply(weeks)
            notices += outcome.notices
            if outcome.inverse is not None:
                inverses.append(outcome.inverse)
        inverse = Batch(tuple(reversed(inverses))) if inverses else None
        return Outcome(inverse, notices)


@dataclass(eq=False)
class UndoCreation(Op):
    """The undo of an op that created weeks (an incident logged into a week not written
    yet): `inverse` as usual, then each created week that is back to what the op found
    (`found`, the week as a dump) goes back to not being stored. A week someone else wrote
    in since differs from it, so it stays. The store deletes a week its op takes out of
    `weeks` (WeekStore.update_weeks)."""
    inverse: Op
    found: dict  # {monday: the created week as the op found it, dumped}

    @property
    def mondays(self):
        return tuple(dict.fromkeys((*self.inverse.mondays, *self.found)))

    def apply(self, weeks):
        outcome = self.inverse.apply(weeks)
        for monday, before in self.found.items():
            if monday in weeks and weeks[monday].model_dump() == before:
                del weeks[monday]
        return outcome


def undo_creating(inverse: Op, written: dict[date, Week], created: set) -> Op:
    """`inverse` of an op that wrote `written` and created the weeks `created`: its undo
    also removes those weeks again, while they hold nothing more than the op left there."""
    if not created & written.keys():
        return inverse
    scratch = {m: w.model_copy(deep=True) for m, w in written.items()}
    try:
        inverse.apply(scratch)  # the weeks as the op found them: what an undo brings them back to
    except KeyError:  # an inverse naming a week the op did not write: a plain undo
        return inverse
    found = {m: scratch[m].model_dump() for m in created if m in scratch}
    return UndoCreation(inverse, found) if found else inverse


def clear_text(week: Week, target: tuple) -> SetText:
    """Delete a daily note, empty the reflections or a list (as the notes pane's `d`)."""
    return SetText(week.monday, target, text_of(week, target) or "", "")


# --- ops the forms build ------------------------------------------------------------------------

def changed(before: dict, after: dict) -> dict:
    """{field: (old, new)} for the fields whose value the user changed."""
    return {name: (before.get(name), value) for name, value in after.items() if before.get(name) != value}


def edit_element(monday: date, element, values: dict) -> Op | None:
    """The op for a form that showed `element` and now holds `values` (field -> value):
    only the changed fields; an incident whose new time lies in another week moves there.
    None when nothing changed."""
    changes = changed({name: getattr(element, name) for name in values}, values)
    if not changes:
        return None
    at = changes.get("at")
    if at is not None and monday_of(at[1].date()) != monday:
        return MoveIncident(monday, element.id, changes)
    return SetFields(monday, element.id, changes)


_NESTED = {"items", "children"}  # lists of elements: diffed element by element, not set whole


def diff(before: Week, after: Week) -> Op | None:
    """The ops that turn `before` into `after`, element by element: added elements (after
    their new previous sibling), deleted ones, changed fields of the others, texts as
    three-way merges, the week's other fields set from old to new. For a change made by a
    plain function on a copy of the week shown (a team pull, an import into this week):
    applied to the stored week, it keeps what another writer did meanwhile. Reordering is
    not carried (a moved element keeps its stored place)."""
    monday = before.monday
    old_ids = {e.id: e for _, _, items in containers(before) for e in items}
    new_ids = {e.id: e for _, _, items in containers(after) for e in items}
    adds, sets, deletes = [], [], []
    for kind, parent, items in containers(after):
        for index, element in enumerate(items):
            old = old_ids.get(element.id)
            if old is None:
                previous = items[index - 1].id if index else None
                adds.append(AddElement(monday, kind, element, parent, previous, at_start=index == 0))
                continue
            changes = {name: (getattr(old, name), getattr(element, name)) for name in type(element).model_fields
                       if name not in _NESTED and getattr(old, name) != getattr(element, name)}
            if changes:
                sets.append(SetFields(monday, element.id, changes, exact=True))
    # an element added under an element added too travels inside it: add only the outermost
    added = {a.element.id for a in adds}
    adds = [a for a in adds if a.parent_id not in added]
    for _, _, items in containers(before):
        deletes += [DeleteElement(monday, e.id) for e in items if e.id not in new_ids]
    texts = [("reflections", None), *(("note", n.day) for n in (*before.daily_notes, *after.daily_notes))]
    for target in dict.fromkeys(texts):
        old_text, new_text = text_of(before, target), text_of(after, target)
        if old_text != new_text:
            sets.append(SetText(monday, target, old_text, new_text))
    skip = {"monday", "carried_from", "reflections", "daily_notes", *LIST_KINDS}
    week_changes = {name: (getattr(before, name), getattr(after, name)) for name in type(before).model_fields
                    if name not in skip and getattr(before, name) != getattr(after, name)}
    if week_changes:
        sets.append(SetFields(monday, None, week_changes, exact=True))
    found = adds + sets + deletes
    if len(found) < 2:
        return found[0] if found else None
    return Batch(tuple(found))


def from_change(week: Week, change) -> Op | None:
    """Run `change` (a plain function of a Week: a team pull, a template change, a section
    added or moved by store/sections.py) on a copy of `week`; the ops it amounts to, or None.
    A ValueError from `change` is the user's line."""
    copy = week.model_copy(deep=True)
    change(copy)
    return diff(week, copy)




def add_incident(incident) -> AddElement:
    """An incident belongs to the week its start falls in."""
    return AddElement(monday_of(incident.at.date()), "incidents", incident)


def add_item(monday: date, item: ObjectiveItem | Objective, parent_id: str | None = None,
             after_id: str | None = None) -> AddElement:
    if isinstance(item, Objective):
        return AddElement(monday, "objectives", item, after_id=after_id)
    return AddElement(monday, "item", item, parent_id, after_id)

"""A team's week: every member's published week for one Monday, read and validated (only
that week's files: one open per member); where each member's sections go in the lead's
template (`plan`); and members' items pulled into your own week."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ..carry import source_mark
from ..counts import counts
from ..errors import WeeklyError, describe_validation
from ..messages import say
from ..models import (ITEMS_CAP, Incident, KeyWorkItem, ListEntry, Objective, ObjectiveItem, Section, Week, Words,
                      monday_of)
from ..templates import FIELD_KEYS, SectionSpec, Template, builtin_templates, default_heading
from ..user_templates import load_template
from .repo import PEOPLE, MemberFileError, check_name, meaning, member_names, people_dir, read_member_week


@dataclass
class Rollup:
    monday: date
    weeks: dict[str, Week] = field(default_factory=dict)  # member -> week, members sorted
    missing: list[str] = field(default_factory=list)  # expected members with no file that week
    problems: list[str] = field(default_factory=list)  # one line per file skipped, and why

    def member_counts(self, member: str) -> tuple[int, int]:
        """(AB, CD) of a member's graded incidents. Not the counts a report states: those
        can say 0 above a D-grade incident in the same report (SPEC §9: counted by grade)."""
        return counts(self.weeks[member].incidents)

    def incident_counts(self) -> tuple[int, int]:
        """(AB, CD) summed over the members' graded incidents."""
        each = [self.member_counts(m) for m in self.weeks]
        return sum(ab for ab, _ in each), sum(cd for _, cd in each)


def collect(team_folder: Path, day: date, only: list[str] | None = None,
            refused: dict[str, str] | None = None) -> Rollup:
    """Members' weeks holding `day`. `only` narrows to those members (a name with no folder
    counts as not published); `refused` are files sync refused (written by someone else)."""
    monday = monday_of(day)
    rollup = Rollup(monday)
    refused = refused or {}
    with people_dir(team_folder) as people_fd:
        names, skipped = member_names(people_fd)
        if only is not None:
            wanted = [check_name(n) for n in only]
            present = set(names)
            names = [n for n in wanted if n in present]
            rollup.missing += [n for n in wanted if n not in present]
        else:
            rollup.problems += skipped
        for name in names:
            path = f"{PEOPLE}/{name}/{monday.isoformat()}.json"
            if path in refused:
                rollup.problems.append(say("team_skipped_refused", path=path, why=refused[path]))
                continue
            try:
                week = read_member_week(people_fd, name, monday)
            except MemberFileError as exc:
                rollup.problems.append(f"{path}: {exc}; skipped")
                continue
            if week is None:
                rollup.missing.append(name)
            else:
                rollup.weeks[name] = week
    rollup.missing = sorted(set(rollup.missing))
    return rollup


NAMES_SHOWN = 50  # members named in a line: a team of thousands gets a count, not a page of names


def names_line(names: list[str], lang: str = "en") -> str:
    """Names joined, the first NAMES_SHOWN of them, then how many more."""
    more = len(names) - NAMES_SHOWN
    shown = ", ".join(names[:NAMES_SHOWN])
    if more <= 0:
        return shown
    return shown + (f" …（另 {more:,} 人）" if lang == "zh" else f" … ({more:,} more)")


# --- where members' sections go in the lead's template ---------------------------------------

def lead_template(own: Week | None, configured: str) -> tuple[Template, list[Section]]:
    """The template the lead writes this week in — their own week's (its imported layout, or
    the template it names; a week not written yet starts in last week's), else the config's —
    and their week's own sections (places for members' sections of the same name). A user template that cannot be read gives the
    default one: what it would have placed goes to "other sections", nothing is lost."""
    if own is not None and own.layout is not None:
        return own.layout, own.sections
    try:
        template = load_template(own.template if own is not None else configured)
    except WeeklyError:
        template = builtin_templates()["default"]
    return template, own.sections if own is not None else []


@dataclass
class Place:
    """One section of the roll-up: its spec (heading, style, list marker), what it holds (a
    week field's key or a section's meaning; a field's entries come from every member's
    week) and the members' own sections that land here, (member, section) in member order."""
    spec: SectionSpec
    holds: str
    texts: list[tuple[str, Section]] = field(default_factory=list)


@dataclass
class Plan:
    template: Template
    places: list[Place]  # the lead's sections, in the lead's order
    others: list[Place]  # what the lead's template has no place for ("other sections"), attributed


# What a member's week holds in its fields (daily notes only when a member published them:
# they are private by default).
_FILLED = {
    "key_work": lambda w: bool(w.key_work), "metrics": lambda w: bool(w.metrics),
    "objectives": lambda w: bool(w.objectives), "incidents": lambda w: bool(w.incidents),
    "other": lambda w: bool(w.other), "reflections": lambda w: bool(w.reflections.strip()),
    "next_week": lambda w: bool(w.next_week), "daily": lambda w: bool(w.daily_notes),
}
OPENING = "opening"  # text a member's imported report had around its title
OPENING_HEADING = {"zh": "标题前后的文字", "en": "Text around the title"}


def _own_spec(key: str, title: str) -> SectionSpec:
    return SectionSpec(key=key[:80], heading={"zh": title, "en": title})


def plan(rollup: Rollup, template: Template, lead_sections: list[Section] = ()) -> Plan:
    """Where every member's part goes: a section of the lead's template with the same key or
    the same meaning (a member writing `weeknotes` lands their Done in the lead's 本周工作,
    their Blockers in 问题与风险); else "other sections", grouped by meaning. Nothing is
    dropped. The lead's daily notes section holds nobody's (they are private)."""
    specs = list(template.sections)
    specs += [_own_spec(s.key, s.title or s.key) for s in lead_sections
              if s.key not in FIELD_KEYS and template.spec(s.key) is None]
    places: list[Place] = []
    by_meaning: dict[str, Place] = {}
    by_key: dict[str, Place] = {}
    for spec in specs:
        holds = meaning(spec.key, tuple(spec.heading.values()))
        if holds == "daily":
            continue
        if holds in by_meaning:  # an imported layout's `objective:O2` after O1: the same place
            by_key.setdefault(spec.key, by_meaning[holds])
            continue
        place = Place(spec, holds)
        places.append(place)
        by_meaning[holds] = by_key[spec.key] = place
    others: dict[str, Place] = {}

    def other(holds: str, title: str) -> Place:
        if holds not in others:
            heading = {"zh": default_heading(holds, "zh"), "en": default_heading(holds, "en")} \
                if holds in FIELD_KEYS else OPENING_HEADING if holds == OPENING else {"zh": title, "en": title}
            others[holds] = Place(SectionSpec(key=holds[:80], heading=heading, level=3), holds)
        return others[holds]

    for member, week in rollup.weeks.items():
        opening = "\n\n".join(t.strip("\n") for t in (week.preamble, week.intro) if t.strip())
        if opening:
            other(OPENING, "").texts.append((member, Section(key=OPENING, body=opening)))
        for key, filled in _FILLED.items():
            if key not in by_meaning and filled(week):
                other(key, "")
        for section in week.sections:
            holds = meaning(section.key, (section.title,))
            place = (by_key.get(section.key) if section.key not in FIELD_KEYS else None) or by_meaning.get(holds)
            (place or other(holds, section.title or section.key)).texts.append((member, section))
    fields_first = sorted(others.values(), key=lambda p: FIELD_KEYS.index(p.holds) if p.holds in FIELD_KEYS
                          else len(FIELD_KEYS))  # stable: the others keep their first appearance
    return Plan(template, places, fields_first)


# --- pulling members' items into your own week ------------------------------------------

def pulled_id(member: str, monday: date, item_id: str) -> str:
    """The same source item always gets the same id in your week: pulling twice adds nothing."""
    return "p" + hashlib.sha1(f"{member}\0{monday}\0{item_id}".encode()).hexdigest()[:9]


def _ids(week: Week) -> set[str]:
    ids = {i.id for i in week.key_work} | {i.id for i in week.incidents}
    ids |= {e.id for e in week.other} | {e.id for e in week.next_week}
    ids |= {item.id for o in week.objectives for item in o.walk()}
    ids |= {s.id for s in week.sections}
    return ids


def _marked(text: str, mark: str) -> str:
    return text if text.endswith(mark) else text + mark


def _marked_body(body: str, mark: str) -> str:
    """A section's text whose first line that says something names its source."""
    lines = body.strip("\n").split("\n")
    first = next(n for n, line in enumerate(lines) if line.strip())
    lines[first] = _marked(lines[first].rstrip(), mark)
    return "\n".join(lines)


def _pull_section(week: Week, section: Section, new_id: str, mark: str) -> bool:
    """A member's own section into your week where the roll-up would put it: appended to
    your section of the same key or meaning (or to your reflections), else as key work, a
    list entry or a section of its own. False when its text is there already."""
    from ..sections import add_section

    body = _marked_body(section.body, mark)
    holds = meaning(section.key, (section.title,))
    own = next((s for s in week.sections if s.key == section.key and s.key not in FIELD_KEYS), None) or \
        next((s for s in week.sections if meaning(s.key, (s.title,)) == holds), None)
    if own is not None or holds == "reflections":
        text = own.body if own is not None else week.reflections
        if body in text:
            return False
        joined = f"{text.rstrip()}\n\n{body}" if text.strip() else body
        if own is not None:
            own.body = joined
        else:
            week.reflections = joined
    elif holds == "key_work":
        week.key_work.append(KeyWorkItem(id=new_id, title=_marked(section.title or section.key, mark),
                                         body=section.body.strip("\n")))
    elif holds in ("other", "next_week"):
        getattr(week, holds).append(ListEntry(id=new_id, text=body))
    else:
        add_section(week, section.title or section.key, section.form, body).id = new_id
    return True


def _copy_item(item: ObjectiveItem, member: str, monday: date, mark: str | None) -> ObjectiveItem:
    copy = item.model_copy(update={
        "id": pulled_id(member, monday, item.id),
        "children": [_copy_item(c, member, monday, None) for c in item.children],
        "carried_done": False,
        **Words.unwritten(),  # the member's words name no source: the lead's week writes the fields
    })
    if mark:  # the top line names its source
        if copy.text:
            copy.text = _marked(copy.text, mark)
        else:
            copy.name = _marked(copy.name, mark)
    return copy


def _objective_for(week: Week, source: Objective) -> Objective:
    """Your objective with the same title, else one with the same code and no title, else a
    new one (next free code)."""
    for objective in week.objectives:
        if objective.title and objective.title == source.title:
            return objective
    for objective in week.objectives:
        if objective.code == source.code and (not objective.title or not source.title):
            return objective
    used = {o.code for o in week.objectives}
    code = next(f"O{n}" for n in range(1, 100) if f"O{n}" not in used)
    objective = Objective(code=code, title=source.title, spaced=source.spaced)
    week.objectives.append(objective)
    return objective


@dataclass
class Pulled:
    added: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)


def pull_into(week: Week, rollup: Rollup, lang: str = "zh",
              chosen: set[tuple[str, str]] | None = None) -> Pulled:
    """Copy members' items (key work, objective items, incidents, other, next week, their own
    sections) into `week` as drafts whose text names their source. `chosen` limits it to (member, item id)
    pairs. Items already pulled are not added again."""
    result = Pulled()
    have = _ids(week)
    monday = rollup.monday

    def wanted(member: str, item_id: str) -> bool:
        if chosen is not None and (member, item_id) not in chosen:
            return False
        if pulled_id(member, monday, item_id) in have:
            result.already += 1
            return False
        return True

    def add(build, member: str, what: str) -> None:
        try:
            if build() is False:  # its text is there already
                result.already += 1
            else:
                result.added += 1
        except (ValidationError, ValueError) as exc:
            result.problems.append(f"{member}: {what} not pulled ({str(exc).splitlines()[0]})")

    for member, source in rollup.weeks.items():
        mark = source_mark(member, lang)
        for item in source.key_work:
            if wanted(member, item.id):
                add(lambda item=item: week.key_work.append(KeyWorkItem(
                    id=pulled_id(member, monday, item.id), title=_marked(item.title, mark), body=item.body)),
                    member, "a key work item")
        for objective in source.objectives:
            for item in objective.items:
                if wanted(member, item.id):
                    def put(item=item, objective=objective):
                        copy = ObjectiveItem.model_validate(_copy_item(item, member, monday, mark).model_dump())
                        _objective_for(week, objective).items.append(copy)
                    add(put, member, "an objective item")
        for inc in source.incidents:
            if wanted(member, inc.id):
                add(lambda inc=inc: week.incidents.append(Incident.model_validate({
                    **inc.model_dump(), "id": pulled_id(member, monday, inc.id),
                    "summary": _marked(inc.summary, mark), **Words.unwritten()})), member, "an incident")
        for target, entries in ((week.other, source.other), (week.next_week, source.next_week)):
            for entry in entries:
                if wanted(member, entry.id):
                    add(lambda entry=entry, target=target: target.append(ListEntry(
                        id=pulled_id(member, monday, entry.id), text=_marked(entry.text, mark))),
                        member, "a list entry")
        for section in source.sections:
            if section.body.strip() and wanted(member, section.id):
                add(lambda section=section: _pull_section(week, section, pulled_id(member, monday, section.id), mark),
                    member, "a section")
    if result.added:  # appended as plain lists: the week's limits are checked once, here
        try:
            Week.model_validate(week.model_dump())
        except ValidationError as exc:
            raise WeeklyError(f"nothing pulled: your week would be too large ({describe_validation(exc)}); "
                              f"pull fewer members (--members) or items") from None
    # marked on screen until edited; past the cap, the oldest marks go (they only mark)
    week.drafts = [*week.drafts, *sorted(_ids(week) - have - set(week.drafts))][-ITEMS_CAP:]
    return result


def pull_op(week: Week, rollup: Rollup, lang: str = "zh", chosen: set[tuple[str, str]] | None = None):
    """The pull as ops (store/ops.from_change: AddElement for each new element, the others'
    children inside them) worked out on `week`, your week as read; the caller applies them to
    the freshest stored week under the store's lock (WeekStore.update_weeks, or a session),
    so what another writer saved meanwhile stays. Returns (op or None, Pulled)."""
    from ..ops import from_change

    outcome: dict[str, Pulled] = {}
    op = from_change(week, lambda copy: outcome.setdefault("pulled", pull_into(copy, rollup, lang, chosen)))
    return op, outcome["pulled"]

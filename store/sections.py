"""Edits of a week's own sections (free Markdown or a list, named by the user), as plain
functions on the Week: the TUI and the shell call these, never change the list themselves.
Each raises ValueError with a sentence for the user when the edit cannot be made."""

from __future__ import annotations

import re

from pydantic import ValidationError

from .messages import say
from .models import Section, Week
from .templates import FIELD_KEYS

SECTION_CAP = 100  # custom sections in one week


def _key_for(week: Week, title: str) -> str:
    base = re.sub(r"[^\w]+", "-", title.strip().lower()).strip("-")[:40] or "section"
    if base in FIELD_KEYS:
        base = f"custom-{base}"
    taken = {s.key for s in week.sections} | ({s.key for s in week.layout.sections} if week.layout else set())
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _find(week: Week, section_id: str) -> Section:
    found = next((s for s in week.sections if s.id == section_id), None)
    if found is None:
        raise ValueError("that section is no longer in this week")
    return found


def add_section(week: Week, title: str, form: str = "markdown", body: str = "") -> Section:
    """A new section at the end of the week's own sections."""
    if not title.strip():
        raise ValueError(say("section_needs_name"))
    if len(week.sections) >= SECTION_CAP:
        raise ValueError(f"a week holds at most {SECTION_CAP} sections of its own")
    try:
        section = Section(key=_key_for(week, title), title=title.strip(), form=form, body=body)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None
    week.sections.append(section)
    return section


def rename_section(week: Week, section_id: str, title: str) -> None:
    """The heading's words change; the section keeps its key (and so its place in a layout).
    An imported section's heading line as written is replaced by the new name."""
    if not title.strip():
        raise ValueError(say("section_needs_name"))
    section = _find(week, section_id)
    try:
        section.title = title.strip()
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None
    if week.layout is not None:
        for n, spec in enumerate(week.layout.sections):
            if spec.key == section.key:
                level = spec.level or 2
                week.layout.sections[n] = spec.model_copy(update={
                    "raw": None, "heading": {"zh": title.strip(), "en": title.strip()}, "level": level, "style": "plain"})


def edit_section(week: Week, section_id: str, body: str) -> None:
    section = _find(week, section_id)
    try:
        section.body = body
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None


def move_section(week: Week, section_id: str, offset: int) -> None:
    """Up (-1) or down (+1) among the week's sections; in an imported layout, among its
    sections too, so the export follows."""
    section = _find(week, section_id)
    if week.layout is not None and any(s.key == section.key for s in week.layout.sections):
        specs = week.layout.sections
        at = next(n for n, s in enumerate(specs) if s.key == section.key)
        to = max(0, min(len(specs) - 1, at + offset))
        specs.insert(to, specs.pop(at))
        week.layout = week.layout.model_copy(update={"sections": specs})
        return
    own = week.sections
    at = own.index(section)
    to = max(0, min(len(own) - 1, at + offset))
    own.insert(to, own.pop(at))


def delete_section(week: Week, section_id: str) -> Section:
    """Removes the section and its place in an imported layout; returns it (for undo)."""
    section = _find(week, section_id)
    week.sections.remove(section)
    if week.layout is not None:
        week.layout = week.layout.model_copy(update={
            "sections": [s for s in week.layout.sections if s.key != section.key]})
    return section


def change_template(week: Week, name: str) -> None:
    """Write the week in another template from now on. Nothing is lost: a section the new
    template has no place for is still exported, after the template's own ("other sections")."""
    if not name.strip():
        raise ValueError("a template needs a name")
    week.template = name.strip()
    week.layout = None
    week.title_line = None  # the new template's title


def template_sections(name: str) -> list[Section]:
    """Empty sections for a template's own free sections (zh-simple's 问题与风险 / 需要的支持),
    so a new week written in it has a place for each. A template that cannot be read gives
    none: the week is then written in the default layout (nothing lost). Their ids come from
    their keys: every proposal of the same new week has the same sections, so an edit made on
    the one shown applies to the one the store writes."""
    from .errors import WeeklyError
    from .templates import load_template

    try:
        template = load_template(name)
    except WeeklyError:
        return []
    return [Section(id=f"t{n}-{spec.key}"[:64], key=spec.key, title=spec.heading.get(template.lang) or next(iter(spec.heading.values()), spec.key),
                    form="list" if spec.marker.strip() else "markdown")
            for n, spec in enumerate(template.sections) if spec.kind == "custom"]

"""Edits of a week as small functions that find what they change by id.

The TUI applies an edit to the week on screen at once and hands the same function to the
store, which applies it to the freshest copy under the lock: an incident logged from
another shell meanwhile is kept. An edit whose target another writer deleted does nothing."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterator

from .models import DailyNote, ListEntry, Objective, ObjectiveItem, Week, new_id
from .models import Incident
from .rules import add_to_note, user_graded, write_progress

Edit = Callable[[Week], Any]


def _lists(week: Week) -> Iterator[list]:
    yield week.key_work
    yield week.metrics
    yield week.incidents
    yield week.objectives
    yield week.other
    yield week.next_week
    for objective in week.objectives:
        yield objective.items
        for item in objective.walk():
            yield item.children


def locate(week: Week, item_id: str) -> tuple[list, int] | None:
    for items in _lists(week):
        for index, element in enumerate(items):
            if getattr(element, "id", None) == item_id:
                return items, index
    return None


def find(week: Week, item_id: str):
    found = locate(week, item_id)
    return found[0][found[1]] if found else None


def parent_list(week: Week, parent_id: str | None, kind: str) -> list:
    if kind in ("key_work", "metrics", "incidents", "objectives", "other", "next_week"):
        return getattr(week, kind)
    parent = find(week, parent_id) if parent_id else None
    if isinstance(parent, Objective):
        return parent.items
    if isinstance(parent, ObjectiveItem):
        return parent.children
    raise ValueError("an item belongs under an objective or another item")


def add(kind: str, element, parent_id: str | None = None, after_id: str | None = None) -> Edit:
    def edit(week: Week) -> None:
        items = parent_list(week, parent_id, kind)
        if any(getattr(e, "id", None) == element.id for e in items):
            return  # already applied (the same edit reaching a fresh copy twice)
        index = next((i + 1 for i, e in enumerate(items) if e.id == after_id), len(items))
        items.insert(index, element.model_copy(deep=True))
    return edit


def update(item_id: str, **fields) -> Edit:
    def edit(week: Week) -> None:
        element = find(week, item_id)
        if element is None:
            return
        for name, value in fields.items():
            setattr(element, name, value)  # validate_assignment: bad values raise, nothing half-set
    return edit


def add_incident(incident: Incident) -> Edit:
    base = add("incidents", incident)

    def edit(week: Week) -> None:
        base(week)
        if incident.grade:
            user_graded(week)
    return edit


def update_incident(incident_id: str, **fields) -> Edit:
    base = update(incident_id, **fields)

    def edit(week: Week) -> None:
        base(week)
        if fields.get("grade"):
            user_graded(week)
    return edit


def update_item(item_id: str, name: str, text: str, progress: float | None, due: date | None,
                status: str) -> Edit:
    """An objective item: a new progress figure is written into the user's words too."""
    def edit(week: Week) -> None:
        item = find(week, item_id)
        if item is None:
            return
        new_text = text
        if progress is not None and progress != item.progress:
            new_text = write_progress(text, progress)
        candidate = item.model_copy(update={"name": name, "text": new_text, "progress": progress,
                                            "due": due, "status": status, "carried_done": False})
        ObjectiveItem.model_validate(candidate.model_dump())
        items, index = locate(week, item_id)
        items[index] = candidate
    return edit


def delete(item_id: str) -> Edit:
    def edit(week: Week) -> None:
        found = locate(week, item_id)
        if found:
            del found[0][found[1]]
    return edit


def move(item_id: str, delta: int) -> Edit:
    def edit(week: Week) -> None:
        found = locate(week, item_id)
        if not found:
            return
        items, index = found
        target = index + delta
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
    return edit


def set_list(kind: str, text: str) -> Edit:
    """其他 / 下周: one entry a line; an indented line continues the entry above."""
    entries: list[str] = []
    for line in text.split("\n"):
        if line.startswith((" ", "\t")) and entries:
            entries[-1] += "\n" + line
        elif line.strip():
            entries.append(line.strip())

    def edit(week: Week) -> None:
        old = getattr(week, kind)
        setattr(week, kind, [ListEntry(id=old[i].id if i < len(old) else new_id(), text=e)
                             for i, e in enumerate(entries)])
    return edit


def list_text(entries: list[ListEntry]) -> str:
    return "\n".join(e.text for e in entries)


def set_reflections(text: str) -> Edit:
    def edit(week: Week) -> None:
        week.reflections = text
    return edit


def set_note(day: date, text: str) -> Edit:
    def edit(week: Week) -> None:
        note = week.note_for(day)
        if note is None:
            if text.strip():
                week.daily_notes.append(DailyNote(day=day, text=text))
                week.daily_notes.sort(key=lambda n: n.day)
        else:
            note.text = text
    return edit


def delete_note(day: date) -> Edit:
    def edit(week: Week) -> None:
        week.daily_notes = [n for n in week.daily_notes if n.day != day]
    return edit


def append_note(day: date, text: str) -> Edit:
    return lambda week: add_to_note(week, day, text)


def restore(snapshot: dict) -> Edit:
    """Undo: put the week back as it was."""
    def edit(week: Week) -> None:
        old = Week.model_validate(snapshot)
        for name in Week.model_fields:
            setattr(week, name, getattr(old, name))
    return edit


def drop_stated_counts() -> Edit:
    def edit(week: Week) -> None:
        week.stated_incident_counts = None
    return edit

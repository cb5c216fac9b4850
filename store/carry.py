"""A week from the last one (carry-over), and what changed since: progress, overdue dates,
plus the small edits the shell and the TUI share. No I/O and no UI here."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .models import ObjectiveItem, Week, Words
from .weeks import report_date


# a pulled item names the member it came from (store/team/rollup.py): `（来自bob）`, ` (from bob)`
_SOURCE_MARK = re.compile(r"(（来自[^（）\n]{1,40}）| \(from [^()\n]{1,40}\))$", re.M)


def source_mark(member: str, lang: str) -> str:
    return f"（来自{member}）" if lang == "zh" else f" (from {member})"


def without_source_mark(text: str) -> str:
    return _SOURCE_MARK.sub("", text)


def carry_over(previous: Week, monday: date) -> Week:
    """A week not yet written starts from the latest written one: objectives with progress
    and dates, metric definitions with empty values, and last week's plan offered as key
    work. A done item is dropped (kept, marked, while a sub-item of it is still open), and
    so are the marks of items pulled from members. Nothing is stored until the user edits it."""
    from .models import KeyWorkItem  # local: keeps the import list above short

    def still_open(item: ObjectiveItem) -> bool:
        return item.status != "done" or any(still_open(c) for c in item.children)

    def carry_item(item: ObjectiveItem) -> ObjectiveItem:
        return item.model_copy(update={
            "carried_done": item.status == "done",
            "name": without_source_mark(item.name), "text": without_source_mark(item.text),
            "children": [carry_item(c) for c in item.children if still_open(c)],
            **Words.unwritten(),  # last week's words are last week's: the new week writes its fields
        })

    objectives = [o.model_copy(update={"items": [carry_item(i) for i in o.items if still_open(i)]})
                  for o in previous.objectives]
    metrics = [m.model_copy(update={"value": None, **Words.unwritten()}) for m in previous.metrics]
    plans = [without_source_mark(e.text) for e in previous.next_week if e.text.strip()]
    key_work = [KeyWorkItem(title=text.splitlines()[0][:200] or "…", body="\n".join(text.splitlines()[1:]))
                for text in plans if text.strip()]
    # the same template (an imported layout too) and the user's own sections, empty
    sections = [sec.model_copy(update={"body": ""}) for sec in previous.sections]
    return Week(monday=monday, objectives=objectives, metrics=metrics, key_work=key_work,
                incident_host=previous.incident_host, carried_from=previous.monday,
                template=previous.template, layout=previous.layout, sections=sections)


def is_overdue(item: ObjectiveItem, today: date) -> bool:
    return item.due is not None and item.due < today and item.status != "done"


def overdue_day(week: Week, today: date, report_day: int = 4) -> date:
    """The day a week's dates are judged overdue on: its report day (a 2023 week is read as
    it was reported, not against today), or today while that day is still to come."""
    return min(today, report_date(week, report_day))


def default_note_day(week: Week, today: date, report_day: int = 4) -> date:
    """The day a new daily note is for: today in this week, else the week's report day."""
    return today if week.holds(today) else week.monday + timedelta(days=report_day)


def code_taken(week: Week, code: str, objective_id: str | None = None) -> bool:
    """An objective's code names it in the report (O1, O2…): one objective a code."""
    return any(o.code == code and o.id != objective_id for o in week.objectives)


def find_item(week: Week, item_id: str) -> ObjectiveItem | None:
    for objective in week.objectives:
        for item in objective.walk():
            if item.id == item_id:
                return item
    return None


def progress_change(item: ObjectiveItem, last_week: Week | None) -> float | None:
    if last_week is None or item.progress is None:
        return None
    before = find_item(last_week, item.id)
    if before is None:
        before = next((i for o in last_week.objectives for i in o.walk()
                       if i.name and i.name == item.name), None)
    if before is None or before.progress is None:
        return None
    return item.progress - before.progress


def add_to_note(week: Week, day: date, text: str) -> None:
    """A daily note grows by paragraphs; the first one creates it."""
    from .models import DailyNote

    if not week.holds(day):
        raise ValueError(f"{day} is not in the week of {week.monday}")
    note = week.note_for(day)
    if note is None:
        week.daily_notes.append(DailyNote(day=day, text=text))
        week.daily_notes.sort(key=lambda n: n.day)
    else:
        note.text = f"{note.text.rstrip()}\n\n{text}" if note.text.strip() else text

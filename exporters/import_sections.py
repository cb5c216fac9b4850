"""One section of an imported week: matched to a section of ours by its heading, read into
the week's fields, or kept as written (a custom section) so no line is lost."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import ValidationError

from weekly_zhoubao.store.errors import describe_validation
from weekly_zhoubao.store.models import DailyNote, KeyWorkItem, ListEntry, Objective, Section, Week
from weekly_zhoubao.store.counts import counts
from weekly_zhoubao.store.synonyms import OBJECTIVE, objective_parts, section_key
from weekly_zhoubao.store.templates import SectionSpec
from weekly_zhoubao.store.text import visible

from . import dates
from .escape import trim_blank_lines, unescape_line, unescape_text
from .import_dates import safe_find
from .import_headings import LIST_ITEM, heading_words
from .import_model import ITEM_CAP, Mapping, Part, Refused, WeekRead, significant
from .import_fields import read_daily, read_incidents, read_items, read_metrics, read_objective_items
from .markdown import KEY_WORK_START, custom_text, element_lines, section_body
from .sample_reader import ImportProblem, SampleReader, SectionLines

_MARKER = re.compile(r"^([ \t]{0,3})(?:(\d{1,9})([.)、．])([ \t]*)|([-*+])([ \t]+))(?=\S)")



NOT_WRITTEN_BACK = "read as fields it would not be written back the same way"


class SectionReader:
    """Reads the sections of the weeks of one file (`importer` notes problems and warnings)."""

    def __init__(self, importer) -> None:
        self.importer = importer
        self.file = importer.file
        self.lines = importer.lines
        self.options = importer.options
        self.lang = "zh"

    def problem(self, index: int, message: str) -> None:
        self.importer.problem(index, message)

    def warn(self, index: int, message: str) -> None:
        self.importer.warn(index, message)

    def section(self, week: Week, part: Part, used: set[str], anchor: date, read: WeekRead):
        lines = self.lines[part.start:part.end]
        items = sum(1 for line in lines if LIST_ITEM.match(line))
        if items > ITEM_CAP:
            self.problem(part.line, f"{items:,} list items in one section (at most {ITEM_CAP:,}); split the file")
            raise Refused
        body = trim_blank_lines(lines)
        offset = part.start + next((n for n, line in enumerate(lines) if line.strip()), 0)
        obj = OBJECTIVE.match(part.text)
        key = f"objective:{objective_parts(obj)[0]}" if obj else section_key(part.text)
        if key == "daily" and (note := self._day_entry(week, part, body)) is not None:
            # `## 周一 3.11` and its lines: that day's daily note, under its own heading
            week.daily_notes.append(note)
            read.mappings.append(Mapping(part.line + 1, part.raw.strip(), f"day:{note.day}", "fields"))
            return SectionSpec(key=f"day:{note.day}", kind="daily", heading={"zh": heading_words(part.text)},
                               raw=part.raw, level=min(part.level, 6)), None
        if key is None:
            key = "custom"
        base = key
        k = 2
        while key in used:
            key = f"{base}-{k}"
            k += 1
        spec = SectionSpec(key=key, kind="custom", heading={"zh": heading_words(part.text)}, raw=part.raw,
                           level=min(part.level, 6))
        stated = None
        structured = None
        if key == base and key in ("key_work", "metrics", "incidents", "other", "next_week", "reflections",
                                   "daily") or (obj and key == base):
            kept = None
            first = next((line for line in body if line.strip()), "")
            if key in ("next_week", "other") or key == "key_work" and not first.startswith(("- 【", "- **")):
                # a list: read as a reader reads it (checkboxes, progress, dates), each item keeping its words
                structured = self._with_words(week, key, spec, body, anchor)
            if structured is None:
                try:
                    structured = self._structured(week, key, spec, body, offset, anchor, obj)
                except _Keep as keep:
                    kept = keep
            if structured is None:
                # the fields a reader sees, each element keeping its words (SPEC §2.2)
                structured = self._with_words(week, key, spec, body, anchor, obj)
            if kept is not None and kept.index is not None and (structured is None or (
                    kept.message != NOT_WRITTEN_BACK and self.lines[kept.index] not in structured[3])):
                # a line that is no element (101%, 2/30) stays text and says so; the writer's
                # own layout is no reason once each element keeps its words
                what = "kept as text" if structured is None else "this line is kept as written"
                self.warn(kept.index, f"{what} in '{visible(heading_words(part.text))}': {kept.message}")
        if structured is not None:
            spec, apply, stated = structured[:3]
            apply()
            read.mappings.append(Mapping(part.line + 1, part.raw.strip(), key, "fields"))
            return spec, stated
        week.sections.append(self._custom(key, part, body))
        read.mappings.append(Mapping(part.line + 1, part.raw.strip(), key, "as written"))
        return spec, None

    def _with_words(self, week: Week, key: str, spec: SectionSpec, body: list[str], anchor: date, obj=None):
        """The section read as a reader reads it: (spec, apply, None), or None when it holds no
        element of its kind. Each element keeps its lines unless its fields write them the same."""
        after: list[str] = []
        if key in ("key_work", "next_week", "other"):
            found = read_items(body, key, anchor)
            if found is None:
                return None
            elements, after = found.elements, found.after
            spec = spec.model_copy(update={"kind": "key_work" if key == "key_work" else "list",
                                           "marker": found.marker})
        elif key == "metrics":
            found = read_metrics(body)
            if found is None:
                return None
            (elements, after), spec = found, spec.model_copy(update={"kind": "metrics"})
        elif key == "incidents":
            found = read_incidents(body, anchor, self.options.grade_scale)
            if found is None or week.incidents:  # one incident log a week
                return None
            (elements, after), spec = found, spec.model_copy(update={"kind": "incidents"})
        elif obj:
            code, title_words, spaced = objective_parts(obj)
            reader = SampleReader(self.file, "", self.options.numbering, self.options.report_day)
            reader.anchor, reader.monday = anchor, week.monday
            found = read_objective_items(body, reader, f"【{code} {title_words}】")
            if found is None:
                return None
            elements, after = found
            objective = Objective(code=code, title=title_words, spaced=spaced)
            spec = spec.model_copy(update={"kind": "objectives"})
        elif key == "daily":
            found = read_daily(body, week.monday)
            if found is None or any(week.note_for(n.day) for n in found[0]):
                return None
            (elements, after), spec = found, spec.model_copy(update={"kind": "daily"})
        else:
            return None
        while after and not after[-1].strip():
            after = after[:-1]  # a blank line above it stays: it parts the element from what follows
        tail = "\n".join(after)
        if tail.strip():
            elements[-1].after = tail
        read_lines = {line for e in elements for line in (e.written or "").split("\n")}
        in_order = key != "incidents" or [e.at for e in elements] == sorted(e.at for e in elements)
        for n, element in enumerate(elements, 1):
            if not in_order:
                break  # a log newest first: its words keep the file's order
            if element.written is not None and element.written == "\n".join(
                    element_lines(element, spec, self.lang, n)):
                element.written = None  # its fields write the very same lines

        def apply():
            if obj:
                objective.items = elements
                week.objectives.append(objective)
            elif key == "daily":
                week.daily_notes += elements
            else:
                setattr(week, key, getattr(week, key) + elements)
        return spec, apply, None, read_lines

    def _day_entry(self, week: Week, part: Part, body: list[str]):
        """The daily note a day heading (`周一 3.11`, `Tue 12 Mar`) starts, when it names a day of
        this week not named before and its lines are kept exactly as they are."""
        found = safe_find(part.text)
        if not isinstance(found, dates.Found):
            return None
        day = dates.resolve(found, week.monday + timedelta(days=3), self.options.numbering)
        if day is None or not week.holds(day) or week.note_for(day) is not None:
            return None
        text = "\n".join(body)
        if custom_breaks(text, part.level):
            return None
        try:
            return DailyNote(day=day, text=text)
        except ValidationError:
            return None

    def _custom(self, key: str, part: Part, body: list[str]) -> Section:
        form = "list" if body and all(LIST_ITEM.match(line) or not line.strip() or line[:1] in " \t"
                                      for line in body) else "markdown"
        try:
            return Section(key=key, title=heading_words(part.text)[:200] or key, form=form, body="\n".join(body))
        except ValidationError as exc:
            self.problem(part.line, describe_validation(exc))
            raise Refused from None

    def _structured(self, week: Week, key: str, spec: SectionSpec, body: list[str], offset: int,
                    anchor: date, obj):
        """Read a section into the week's fields; None when writing them back would change a line."""
        reader = SampleReader(self.file, "", self.options.numbering, self.options.report_day)
        reader.anchor = anchor
        reader.monday = week.monday
        section = SectionLines(key, spec.raw or "", offset, body)
        trial = Week(monday=week.monday, incident_host=week.incident_host)
        stated = None
        kind = "custom"
        if not obj and not significant(body):  # an empty section of a known kind: nothing to read
            kinds = {"key_work": "key_work", "metrics": "metrics", "incidents": "incidents", "other": "list",
                     "next_week": "list", "reflections": "markdown", "daily": "daily"}
            return spec.model_copy(update={"kind": kinds[key]}), (lambda: None), None
        try:
            if key == "key_work":
                kind = "key_work"
                first = next((line for line in body if line.strip()), "")
                if first.startswith("- 【"):
                    spec = spec.model_copy(update={"marker": "- 【", "kind": kind})
                    trial.key_work = reader.key_work(section)
                elif first.startswith("- **"):
                    spec = spec.model_copy(update={"marker": "- **", "kind": kind})
                    trial.key_work = _bold_items(reader, section)
                else:
                    marker, entries = _list_entries(body)
                    spec = spec.model_copy(update={"marker": marker, "kind": kind})
                    trial.key_work = [KeyWorkItem(title=unescape_line(first_line), body=unescape_text(
                        "\n".join(rest), lists=False, extra=KEY_WORK_START)) for first_line, rest in entries]
            elif key == "metrics":
                kind = "metrics"
                trial.metrics, stated = reader.metrics(section, self.lang)
                trial.stated_incident_counts = stated
            elif key == "incidents":
                kind = "incidents"
                trial.incidents = reader.incident_lines(section, offset, body)
            elif key in ("other", "next_week"):
                kind = "list"
                marker, entries = _list_entries(body)
                spec = spec.model_copy(update={"marker": marker, "kind": kind})
                setattr(trial, key, [ListEntry(text=unescape_line(f) + "".join(
                    "\n" + unescape_line(r) for r in rest)) for f, rest in entries])
            elif key == "reflections":
                kind = "markdown"
                trial.reflections = unescape_text("\n".join(body), lists=False)
            elif key == "daily":
                kind = "daily"
                trial.daily_notes = reader.daily(section)
            elif obj:
                kind = "objectives"
                code, title_words, spaced = objective_parts(obj)
                objective, incidents = reader.objective(SectionLines("objective", f"【{code} {title_words}】", offset, body))
                objective.title, objective.spaced = title_words, spaced
                trial.objectives = [objective]
                if incidents is not None:
                    trial.incident_host = objective.code
                    trial.incidents = incidents
        except ImportProblem as exc:
            raise _Keep(exc.line - 1 if key in ("metrics", "incidents", "daily") or obj else None, exc.message) from None
        except (ValidationError, ValueError, _NotAList):
            raise _Keep(None, "") from None
        if trial.incidents and week.incidents:
            # one incident log a week: a second is kept as it was written
            raise _Keep(offset, "a second incident log in one week")
        spec = spec.model_copy(update={"kind": kind})
        counts_for = trial.stated_incident_counts or counts(trial.incidents)
        again = section_body(trial, spec, self.lang, counts_for, True)
        if again is None or significant("\n".join(again).split("\n")) != significant(body):
            if kind in ("metrics", "incidents", "objectives", "daily"):
                wrote = iter(significant("\n".join(again or []).split("\n")))
                at = next((offset + k for k, line in enumerate(body) if line.strip() and line != next(wrote, None)),
                          offset)
                raise _Keep(at, NOT_WRITTEN_BACK)
            return None

        def apply():
            if key == "key_work":
                week.key_work = trial.key_work
            elif key == "metrics":
                week.metrics = trial.metrics
            elif key == "incidents":
                week.incidents += trial.incidents
            elif key in ("other", "next_week"):
                setattr(week, key, getattr(trial, key))
            elif key == "reflections":
                week.reflections = trial.reflections
            elif key == "daily":
                week.daily_notes = trial.daily_notes
            else:
                week.objectives.append(trial.objectives[0])
                if trial.incidents:
                    week.incident_host = trial.incident_host
                    week.incidents += trial.incidents
        return spec, apply, stated

    def fields(self, read: WeekRead) -> None:
        w = read.week
        out = []
        if w.key_work:
            tasks = w.key_work
            out.append(f"key work items {len(tasks)} (progress on {sum(k.progress is not None for k in tasks)}, "
                       f"dates on {sum(k.due is not None for k in tasks)}, "
                       f"checked {sum(bool(k.done) for k in tasks)} of {sum(k.done is not None for k in tasks)})")
        items = [i for o in w.objectives for i in o.walk()]
        if items:
            out.append(f"objective items {len(items)} (progress on {sum(i.progress is not None for i in items)}, "
                       f"dates on {sum(i.due is not None for i in items)})")
        if w.metrics:
            out.append(f"metric readings {sum(m.value is not None for m in w.metrics)}")
        if w.incidents:
            out.append(f"incidents {len(w.incidents)}")
        if w.next_week:
            out.append(f"next-week items {len(w.next_week)}")
        if w.daily_notes:
            out.append(f"daily notes {len(w.daily_notes)}")
        if w.sections:
            out.append(f"sections kept as written {len(w.sections)}")
        read.fields = out



class _Keep(Exception):
    def __init__(self, index: int | None, message: str) -> None:
        super().__init__(message)
        self.index, self.message = index, message


class _NotAList(Exception):
    pass



def custom_breaks(text: str, level: int) -> bool:
    """Whether writing the text under a heading of this level would escape one of its lines."""
    return custom_text(text, level) != "\n".join(trim_blank_lines(text.split("\n")))



def _list_entries(body: list[str]) -> tuple[str, list[tuple[str, list[str]]]]:
    """A list whose items all start the same way (`1. ` counting up, `1、`, `- `): its marker and
    each item's first line and continuation lines."""
    lines = trim_blank_lines(body)
    if not lines:
        raise _NotAList
    m = _MARKER.match(lines[0])
    if not m:
        raise _NotAList
    indent = m.group(1)
    if m.group(2):
        marker = f"{indent}1{m.group(3)}{m.group(4)}"
        pattern = re.compile(re.escape(indent) + r"(\d{1,9})" + re.escape(m.group(3) + m.group(4)) + r"(?=\S)")
    else:
        marker = indent + m.group(5) + m.group(6)
        pattern = re.compile(re.escape(marker) + r"(?=\S)")
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        found = pattern.match(line)
        if found:
            entries.append((line[found.end():], []))
        else:
            entries[-1][1].append(line)
    return marker, [(first, trim_blank_lines(rest)) for first, rest in entries]


_BOLD_ITEM = re.compile(r"^- \*\*(.*)\*\*[ \t]*$")


def _bold_items(reader, section) -> list[KeyWorkItem]:
    items: list[tuple[str, list[str]]] = []
    for line in section.lines:
        if m := _BOLD_ITEM.match(line):
            items.append((m.group(1).replace("\\*", "*"), []))
        elif items:
            items[-1][1].append(line)
        elif line.strip():
            raise _NotAList
    return [KeyWorkItem(title=t, body=unescape_text("\n".join(trim_blank_lines(b)), lists=False,
                                                    extra=KEY_WORK_START)) for t, b in items]


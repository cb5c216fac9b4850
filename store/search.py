"""Search every week of the store (`weekly search`, `/` in the TUI).

A week is read as the store holds it (its JSON document), not built as a pydantic Week:
ten years are 520 weeks, and validating each would cost more than the search itself. A
week is first tested whole (one pass over its joined text per word); only a week holding
every word is walked line by line.

Matching: every word must be on the line; a word is found anywhere in it (Chinese has no
spaces between words, so there are no word boundaries), ignoring case (Latin text)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Iterator

from .messages import say
from .templates import FIELD_KEYS, default_heading

# The week's sections as `--section` names them: its own fields (`daily`: the daily notes)
# and, by their key, the week's own sections.
SECTION_NAMES = FIELD_KEYS


@dataclass(frozen=True)
class Hit:
    monday: date
    section: str  # a FIELD_KEYS name, or a custom section's key
    heading: str  # the section as a reader knows it (its custom title, else the key)
    pane: str  # the TUI's pane showing it, and the row there (tui/panes: row keys)
    row: str
    line: str
    spans: tuple[tuple[int, int], ...]  # where the words are in the line, in order, not overlapping

    def to_json(self, lang: str = "zh") -> dict:
        return {"week": self.monday.isoformat(), "section": self.section,
                "heading": self.section_label(lang), "item": self.row, "line": self.line,
                "spans": [list(s) for s in self.spans]}

    def section_label(self, lang: str) -> str:
        return self.heading if self.heading else default_heading(self.section, lang)


def compile_words(words: list[str]) -> list[re.Pattern]:
    """One pattern per word, case ignored; ValueError when there is no word to look for."""
    words = [w for w in (w.strip() for w in words) if w]
    if not words:
        raise ValueError(say("search_no_words"))
    return [re.compile(re.escape(w), re.IGNORECASE) for w in dict.fromkeys(words)]


def spans_in(line: str, patterns: list[re.Pattern]) -> tuple[tuple[int, int], ...] | None:
    """Where the words are in `line` (merged, in order), or None unless every word is there."""
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        matches = [m.span() for m in pattern.finditer(line)]
        if not matches:
            return None
        found += matches
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def _text(value) -> str:
    return value if isinstance(value, str) else ""  # a stored document is read, not trusted


def _lines(value) -> list[str]:
    return [line for line in _text(value).split("\n") if line.strip()]


def _list(value) -> list:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _items(items, depth: int = 0) -> Iterator[dict]:
    for item in _list(items):
        yield item
        if depth < 16:  # the model caps nesting at 8; a hand-edited file is not followed further
            yield from _items(item.get("children"), depth + 1)


def week_lines(doc: dict) -> Iterator[tuple[str, str, str, str, str]]:
    """Every line a week shows, as (section, heading, pane, row, line), in the order of the
    sample's report."""
    for item in _list(doc.get("key_work")):
        row = _text(item.get("id"))
        yield "key_work", "", "key_work", row, _text(item.get("title"))
        for line in _lines(item.get("body")):
            yield "key_work", "", "key_work", row, line
    for metric in _list(doc.get("metrics")):
        if metric.get("kind") == "incident_counts":
            continue
        name, value = _text(metric.get("name")), metric.get("value")
        line = f"{name}：{value}" if isinstance(value, str) and value else name
        group = _text(metric.get("group"))
        yield "metrics", "", "metrics", _text(metric.get("id")), f"{group} · {line}" if group else line
    for objective in _list(doc.get("objectives")):
        code, heading = _text(objective.get("code")), _text(objective.get("title"))
        yield "objectives", "", "objectives", _text(objective.get("id")), f"{code} {heading}".strip()
        for item in _items(objective.get("items")):
            name, text = _text(item.get("name")), _text(item.get("text"))
            yield "objectives", "", "objectives", _text(item.get("id")), f"{name}：{text}" if name and text else name or text
    for incident in _list(doc.get("incidents")):
        row = _text(incident.get("id"))
        for field in ("summary", "impact", "detection", "resolution"):
            if text := _text(incident.get(field)):
                yield "incidents", "", "incidents", row, text
    for key in ("other", "next_week"):
        for entry in _list(doc.get(key)):
            for line in _lines(entry.get("text")):
                yield key, "", "notes", key, line
    for line in _lines(doc.get("reflections")):
        yield "reflections", "", "notes", "reflections", line
    for section in _list(doc.get("sections")):
        key, heading, row = _text(section.get("key")), _text(section.get("title")), f"section:{_text(section.get('id'))}"
        if heading:
            yield key, heading or key, "notes", row, heading
        for line in _lines(section.get("body")):
            yield key, heading or key, "notes", row, line
    for note in _list(doc.get("daily_notes")):
        row = f"daily:{_text(note.get('day'))}"
        for line in _lines(note.get("text")):
            yield "daily", "", "notes", row, line


def search_docs(docs, words: list[str], section: str | None = None) -> Iterator[Hit]:
    """The lines of `docs` ((monday, stored week document) pairs) holding every word."""
    patterns = compile_words(words)
    first, rest = patterns[0], patterns[1:]
    for monday, doc in docs:
        lines = [entry for entry in week_lines(doc) if section is None or entry[0] == section]
        texts = [entry[4] for entry in lines]
        whole = "\n".join(texts)
        if not all(p.search(whole) for p in rest):  # the usual case: a week without them
            continue
        starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
        candidates = dict.fromkeys(bisect_right(starts, m.start()) - 1 for m in first.finditer(whole))
        for index in candidates:  # only the lines where the first word is
            key, heading, pane, row, line = lines[index]
            spans = spans_in(line, patterns)
            if spans is not None:
                yield Hit(monday, key, heading, pane, row, line, spans)


def search(store, words: list[str], start: date | None = None, end: date | None = None,
           section: str | None = None) -> Iterator[Hit]:
    """The lines of the stored weeks (those holding a day from `start` to `end`, when given)
    that hold every word, oldest week first. `store`: a WeekStore."""
    yield from search_docs(store.stored_docs(start, end), words, section)

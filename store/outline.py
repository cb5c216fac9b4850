"""Outlines as people type them: what a list marker is, what Enter continues a line with,
and a list written one entry a line (其他 / 下周) read back into entries. One rule for the
editors (tui/editor.py) and the store (store/ops.py list_entries); no Textual here."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A list marker at the start of a line: `1. ` `1) ` (a space must follow: `1.5倍` is text),
# `1、` (Chinese enumeration: no space needed, but `10、20、30个` is text), `- ` `* ` `+ `.
# At most 3 digits: `2023. 总结` starts with a year, not an item.
_MARKER = re.compile(r"(?P<indent>[ \t]*)(?:(?P<num>\d{1,3})(?P<end>[.)])[ \t]+|(?P<cnum>\d{1,3})、(?!\d)[ \t]*"
                     r"|(?P<bullet>[-*+])[ \t]+)")
INDENT = 4  # a level of an outline, as the sample nests `    1. …` under its paragraph


@dataclass(frozen=True)
class Line:
    """A line split into its leading whitespace, its list marker (as typed, with the space
    after it; "" when it is no item) and the rest."""
    indent: str
    marker: str
    rest: str

    @property
    def is_item(self) -> bool:
        return bool(self.marker)


def split(line: str) -> Line:
    m = _MARKER.match(line)
    if m is None:
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        return Line(indent, "", line[len(indent):])
    return Line(m["indent"], m.group()[len(m["indent"]):], line[m.end():])


def next_marker(marker: str) -> str:
    """The marker of the item after one marked `marker`: numbers count, bullets repeat."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), marker, count=1)


def enter(line: str, above: list[str] | tuple[str, ...] = ()) -> tuple[str, str | None]:
    """What Enter at the end of `line` does, as an outliner: (the line as it stays, the start
    of the new line). The new line keeps the indentation and continues a list (`1. ` → `2. `,
    `- ` → `- `). An empty item starts no new line: nested, it moves a level out and keeps a
    marker, the next of the list it moves into (the nearest item at that level in `above`,
    the lines before it), else a new list's; at the top level it ends its list (its marker goes)."""
    parts = split(line)
    if parts.is_item and not parts.rest.strip():
        if not parts.indent:
            return "", None
        outer = dedent(parts.indent)
        for before in reversed(above):
            there = split(before)
            if len(there.indent.expandtabs(INDENT)) <= len(outer) and before.strip():
                if there.is_item and len(there.indent.expandtabs(INDENT)) == len(outer):
                    return outer + next_marker(there.marker), None
                break
        return outer + re.sub(r"\d+", "1", parts.marker, count=1), None  # a list of its own
    return line, parts.indent + (next_marker(parts.marker) if parts.is_item else "")


def nest(line: str) -> str | None:
    """Tab on an empty item (`    3. `) takes it a level in, a new list (`        1. `);
    None when the line is not an empty item (Tab then indents as usual)."""
    parts = split(line)
    if not parts.is_item or parts.rest.strip():
        return None
    return f"{parts.indent}{' ' * INDENT}{re.sub(r'[0-9]+', '1', parts.marker, count=1)}"


def retyped_marker(head: str) -> str | None:
    """A line begun with the marker Enter put there and then one typed out of habit
    (`2. 2. `, `- - `): the line as it should read, the typed marker kept; else None."""
    parts = split(head)
    if not parts.is_item:
        return None
    again = split(parts.rest)
    if again.is_item and not again.indent and not again.rest:
        return parts.indent + again.marker
    return None


def dedent(indent: str) -> str:
    """Leading whitespace one level out (to the tab stop below)."""
    width = len(indent.expandtabs(INDENT))
    return " " * ((width - 1) // INDENT * INDENT) if width else ""


def list_text(texts: list[str]) -> str:
    """A list's entries as its editor shows them: numbered as the report numbers them."""
    return "\n".join(f"{n}. {text}" for n, text in enumerate(texts, 1))


def list_items(text: str) -> list[str]:
    """A list typed one entry a line: a line's leading marker (`1. `, `1、`, `- `) is the
    list's own, not its words; an indented line continues the entry above; blank lines part
    nothing. `2023年…` stays as typed."""
    entries: list[str] = []
    for line in text.split("\n"):
        if line.startswith((" ", "\t")) and entries:
            entries[-1] += "\n" + line
            continue
        words = split(line.lstrip()).rest.strip()
        if words:
            entries.append(words)
    return entries

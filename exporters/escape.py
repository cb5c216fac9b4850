"""Keep user text from changing a report's structure, reversibly.

A line a user typed is escaped (a backslash where CommonMark reads one as literal) when it
would otherwise start a heading, a fence, a setext underline, a table's delimiter row, an
HTML block, a link definition or, where lists are structure, a list item. `unescape_line`
undoes exactly that, so import(export(x)) == x for every line, including lines that already
hold backslashes.
"""

from __future__ import annotations
from weekly_zhoubao.store.text import LazyPattern

import re

_INDENT = LazyPattern(r"^( {0,3})(?! )(.*)$", re.S)
_BREAKER = LazyPattern(
    r"#{1,6}(?:[ \t]|$)"            # ATX heading
    r"|(?:=+|-+|\*+|_+)[ \t]*$"     # setext underline or thematic break
    r"|`{3,}|~{3,}"                 # fence
    r"|<"                           # HTML block
    r"|\[[^\]]*\]:"                 # link reference definition (would vanish)
    r"|[ \t|:-]*\|[ \t|:-]*-[ \t|:-]*$|[ \t|:-]*-[ \t|:-]*\|[ \t|:-]*$"  # table delimiter row
)
_BULLET = LazyPattern(r"[-+*>](?:[ \t]|$)")
_ORDERED = LazyPattern(r"^(\d{1,9})(\\*)([.)])((?:[ \t].*)?)$", re.S)


def _needs_lead(rest: str, lists: bool, extra: re.Pattern | None) -> bool:
    if _BREAKER.match(rest) or (lists and _BULLET.match(rest)) or (extra and extra.match(rest)):
        return True
    return rest.startswith("\\") and _needs_lead(rest[1:], lists, extra)


def escape_line(line: str, *, lists: bool = True, extra: re.Pattern | None = None) -> str:
    m = _INDENT.match(line)
    if not m:
        return line  # indented 4+: inside an item or a code block, never a new block here
    indent, rest = m.groups()
    if lists and (o := _ORDERED.match(rest)):
        return f"{indent}{o[1]}{o[2]}\\{o[3]}{o[4]}"
    if _needs_lead(rest, lists, extra):
        return f"{indent}\\{rest}"
    return line


def unescape_line(line: str, *, lists: bool = True, extra: re.Pattern | None = None) -> str:
    m = _INDENT.match(line)
    if not m:
        return line
    indent, rest = m.groups()
    if lists and (o := _ORDERED.match(rest)):
        return f"{indent}{o[1]}{o[2][1:]}{o[3]}{o[4]}" if o[2] else line
    if rest.startswith("\\") and _needs_lead(rest[1:], lists, extra):
        return indent + rest[1:]
    return line


def escape_text(text: str, **kw) -> str:
    return "\n".join(escape_line(line, **kw) for line in text.split("\n"))


def unescape_text(text: str, **kw) -> str:
    return "\n".join(unescape_line(line, **kw) for line in text.split("\n"))


def trim_blank_lines(lines: list[str]) -> list[str]:
    """Drop whitespace-only lines at both ends: the writer and the reader agree on this."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]

"""The export preview: the report's own Markdown, drawn line by line.

We write this Markdown ourselves, so its structure is known: headings, list items, links to
daily notes. Drawing it directly is cheap where a general Markdown renderer costs tens of
milliseconds a keystroke. The view draws only the lines on screen and re-wraps only the
source lines that changed. User text is never parsed as markup, and nothing is clickable."""

from __future__ import annotations

import re
from functools import lru_cache

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..rowlist import fitted_strip, refresh_changed

_HEADING = re.compile(r"^(#{1,6}) (.*)$")
_ITEM = re.compile(r"^( *)([-+*]|\d+[.)]) (.*)$")
_LINK = re.compile(r"^\[([^\]]+)\]\(([^)]+)\)$")
_ESCAPED = re.compile(r"^( {0,3})\\(?=[\\#>\-+*=_`~<\[|:0-9])")
_ORDERED_ESCAPED = re.compile(r"^(\d{1,9})\\([.)])")
_STRONG = re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*")
# a line does not begin with these: they close what the line before says
_NO_LINE_START = set("，。、；：！？）》」』】〕,.;:!?)]}%")


def _inline(text: str, out: Text) -> None:
    """A line's words as they read: `**x**` bold, `\\*` a star."""
    last = 0
    for m in _STRONG.finditer(text):
        out.append(text[last:m.start()].replace("\\*", "*"))
        out.append(m.group(1).replace("\\*", "*"), style="bold")
        last = m.end()
    out.append(text[last:].replace("\\*", "*"))


def styled_line(line: str) -> tuple[Text, int]:
    """A report line as its reader sees it, and where its wrapped lines start (the text
    after a list marker, so the marker stands alone in the margin)."""
    line = _ESCAPED.sub(r"\1", line)  # show what the reader of the report sees
    out = Text(no_wrap=False)
    if m := _HEADING.match(line):
        out.append(m.group(2), style="bold reverse" if len(m.group(1)) == 1 else "bold underline")
        return out, 0
    if m := _ITEM.match(line):
        indent, marker, rest = m.groups()
        out.append(indent)
        out.append("• " if marker in "-+*" else f"{marker} ", style="cyan")
        hang = out.cell_len
        _inline(_ORDERED_ESCAPED.sub(r"\1\2", rest), out)
        return out, hang
    if m := _LINK.match(line):
        out.append(m.group(1), style="underline")
        return out, 0
    indent = len(line) - len(line.lstrip(" "))
    _inline(line, out)
    return out, indent


def _break_points(plain: str, sizes: list[int], first: int) -> list[bool]:
    """Where a line may break (before plain[i]): after a space, or beside a wide (CJK)
    character, which breaks anywhere but before closing punctuation; never before `first`."""
    points = [False] * len(plain)
    for i in range(max(1, first + 1), len(plain)):
        here = plain[i]
        if here != " " and here not in _NO_LINE_START:
            points[i] = plain[i - 1] == " " or sizes[i - 1] > 1 or sizes[i] > 1
    return points


def wrap_line(text: Text, width: int, hang: int) -> list[Text]:
    """`text` in lines of `width` cells; lines after the first start `hang` cells in. Breaks
    between words and between CJK characters (Rich's word wrap moves a whole CJK run, which
    holds no space, to a line of its own)."""
    plain = text.plain
    if hang > width // 2:
        hang = 0  # too narrow to hang under the text
    first = len(plain) - len(plain[hang:].lstrip(" ")) if hang else 0  # the text's first character
    sizes = [get_character_cell_size(char) for char in plain]
    points = _break_points(plain, sizes, first)
    cuts: list[int] = []
    start, cells, limit, last = 0, 0, width, None
    for i, size in enumerate(sizes):
        if points[i] and i > start:
            last = i
        if cells + size > limit and i > start:
            cut = last if last is not None and last > start else i
            cuts.append(cut)
            start, limit = cut, width - hang
            cells = sum(sizes[cut:i])
            last = next((j for j in range(i, cut, -1) if points[j]), None)
        cells += size
    if not cuts:
        return [text]
    parts = text.divide(cuts)
    lines = [parts[0]]
    lines[0].rstrip()
    for part in parts[1:]:
        spaces = len(part.plain) - len(part.plain.lstrip(" "))
        part = part[spaces:]
        part.rstrip()
        lines.append(Text(" " * hang) + part)
    return lines


class PreviewView(ScrollView, can_focus=True):
    # a stable gutter: lines are wrapped once, at a width the scrollbar's arrival cannot change
    DEFAULT_CSS = "PreviewView { height: 1fr; scrollbar-gutter: stable; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.source: list[str] = []
        self.rows: list[tuple[list[Segment], int]] = []
        self.plain = ""
        self.flags: dict[str, str] = {}
        self._base_style = Style()

    def show(self, markdown: str, flags: dict[str, str] | None = None) -> None:
        """`flags`: a word shown after a line of the report, not part of it (an incident
        still open), by the line."""
        self.plain = markdown
        self.flags = flags or {}
        self.source = markdown.rstrip("\n").split("\n")
        self._layout_rows(only_changes=True)

    def on_resize(self) -> None:
        self._layout_rows()

    def _layout_rows(self, only_changes: bool = False) -> None:
        if not self.size.width:
            return  # not laid out yet: on_resize wraps at the real width (once, not twice)
        width = max(8, self.scrollable_content_region.width - 1)
        rows: list[tuple[list[Segment], int]] = []  # segments and their cell width
        under = 0  # where the text of the list item above starts: its lazy continuation lines go there
        for line in self.source:
            item = _ITEM.match(line)
            lazy = under if line and not item and not line.startswith((" ", "#", "[")) else 0
            rows.extend(self._wrapped(line, width, lazy, self.flags.get(line, "")))
            if item:
                under = len(item[1]) + (2 if item[2] in "-+*" else len(item[2]) + 1)
            elif not line.strip():
                under = 0
        before, self.rows = self.rows, rows
        if only_changes and len(rows) == len(before):
            # A keystroke changes a line or two of the report: repaint those, not the pane.
            refresh_changed(self, [y for y, (new, old) in enumerate(zip(rows, before))
                                   if new is not old and new != old])
            return
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    @lru_cache(maxsize=4096)
    def _wrapped(self, line: str, width: int, lead: int = 0, flag: str = "") -> tuple[tuple[list[Segment], int], ...]:
        """A source line as screen lines; `lead`: cells it is set in (a list item's lazy
        continuation line goes under the item's text); `flag`: a word after it, marked."""
        console = self.app.console
        text, hang = styled_line(line)
        if flag:
            text.append(f" {flag}", style="bold reverse yellow")
        if lead:
            text, hang = Text(" " * lead) + text, hang + lead
        if text.cell_len <= width:  # most report lines fit: wrapping is the costly part
            return ((list(text.render(console)), text.cell_len),)
        return tuple((list(part.render(console)), part.cell_len) for part in wrap_line(text, width, hang))

    def render_lines(self, crop):
        # The widget's style walks every ancestor; once a paint, not once a line.
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self.rows):
            return Strip.blank(width, self._base_style)
        # the pane's colours under every line: a light theme shows no dark strips
        return fitted_strip(*self.rows[index], width, self._base_style, pad_style=self._base_style)

"""The export preview: the report's own Markdown, drawn line by line.

We write this Markdown ourselves, so its structure is known: headings, list items, links to
daily notes. Drawing it directly is cheap where a general Markdown renderer costs tens of
milliseconds a keystroke. The view draws only the lines on screen and re-wraps only the
source lines that changed. User text is never parsed as markup, and nothing is clickable."""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..rowlist import fitted_strip, refresh_changed

_HEADING = re.compile(r"^(#{1,6}) (.*)$")
_ITEM = re.compile(r"^( *)([-+*]|\d+[.)]) (.*)$")
_LINK = re.compile(r"^\[([^\]]+)\]\(([^)]+)\)$")
_ESCAPED = re.compile(r"^( {0,3})\\(?=[\\#>\-+*=_`~<\[|:0-9])")
_ORDERED_ESCAPED = re.compile(r"^(\d{1,9})\\([.)])")
_STRONG = re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*")
FLAGGED = "\x00"  # between a line and its flag (stored text holds no control character)
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


def _cuts(plain: str, width: int, hang: int, first: int) -> list[int]:
    """Where the lines of `plain` start (but the first), at most `width` cells each."""
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
    return cuts


def _ascii_cuts(plain: str, width: int, hang: int, first: int) -> list[int]:
    """_cuts for a line of one-cell characters, by line rather than by character: a
    99,000-character line in a note wraps in a millisecond instead of a tenth of a second."""
    cuts: list[int] = []
    start, limit = 0, width
    floor = max(1, first + 1)  # no break before the text's first character
    while len(plain) - start > limit:
        end = start + limit  # the first character that does not fit
        cut = end
        space = plain.rfind(" ", max(start, floor - 1), end)
        while space >= 0:  # a break goes after a space, before a character that may start a line
            if plain[space + 1] != " " and plain[space + 1] not in _NO_LINE_START and space + 1 > start:
                cut = space + 1
                break
            space = plain.rfind(" ", max(start, floor - 1), space)
        cuts.append(cut)
        start, limit = cut, width - hang
    return cuts


def wrap_line(text: Text, width: int, hang: int) -> list[Text]:
    """`text` in lines of `width` cells; lines after the first start `hang` cells in. Breaks
    between words and between CJK characters (Rich's word wrap moves a whole CJK run, which
    holds no space, to a line of its own)."""
    plain = text.plain
    if hang > width // 2:
        hang = 0  # too narrow to hang under the text
    first = len(plain) - len(plain[hang:].lstrip(" ")) if hang else 0  # the text's first character
    cuts = (_ascii_cuts if plain.isascii() else _cuts)(plain, width, hang, first)
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


def _lead(line: str, under: int) -> int:
    """Where a line starts: a list item's lazy continuation line (text right under an item,
    not indented) goes under the item's text, `under` cells in."""
    return under if line and not _ITEM.match(line) and not line.startswith((" ", "#", "[")) else 0


def _under_after(line: str, under: int) -> int:
    """Where the lazy continuation lines after `line` start: under a list item's text; a
    blank line ends the item."""
    if item := _ITEM.match(line):
        return len(item[1]) + (2 if item[2] in "-+*" else len(item[2]) + 1)
    return 0 if not line.strip() else under


class PreviewView(ScrollView, can_focus=True):
    # a stable gutter: lines are wrapped once, at a width the scrollbar's arrival cannot change
    DEFAULT_CSS = "PreviewView { height: 1fr; scrollbar-gutter: stable; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.source: list[str] = []
        self.rows: list[tuple[list[Segment], int]] = []
        self.plain = ""
        self._base_style = Style()
        # per source line: the first of its rows, and the lazy-continuation indent before it
        self._starts: list[int] = [0]
        self._unders: list[int] = [0]
        self._width = 0
        # wrapped lines by (line, width, lead): every line of the report, however long (a week
        # at the limits has ~25,000), so a keystroke wraps only the lines it changed
        self._wraps: dict[tuple[str, int, int], tuple[tuple[list[Segment], int], ...]] = {}

    def show(self, markdown: str, flags: dict[str, str] | None = None) -> None:
        """`flags`: a word shown after a line of the report, by the line (an incident still
        open): on screen only, `plain` is the report as written."""
        self.plain = markdown
        lines = markdown.rstrip("\n").split("\n")
        if flags:  # carried in the line itself, so a flag come or gone lays that line out again
            lines = [f"{line}{FLAGGED}{flags[line]}" if line in flags else line for line in lines]
        self._layout_rows(lines)

    class Wrapped(Message):
        """Every line of the report was wrapped anew: rows that live as long as it shows."""

    def on_resize(self) -> None:
        self._layout_rows(self.source, again=True)
        if self.rows:
            self.post_message(self.Wrapped())

    def _layout_rows(self, source: list[str], again: bool = False) -> None:
        before = self.source
        self.source = source
        if not self.size.width:
            self._width = 0  # not laid out yet: on_resize wraps at the real width (once, not twice)
            return
        width = max(8, self.scrollable_content_region.width - 1)
        if again or width != self._width:
            self._width, self._wraps = width, {}
            self._starts, self._unders, self.rows = [0], [0], []
            before = []
        # Only the lines between the unchanged head and tail are laid out again.
        head = 0
        for head, (new, old) in enumerate(zip(source, before)):
            if new != old:
                break
        else:
            head = min(len(source), len(before))
        tail = 0
        limit = min(len(source), len(before)) - head
        while tail < limit and source[-1 - tail] == before[-1 - tail]:
            tail += 1
        shift = len(source) - len(before)
        first_row = self._starts[head]
        under = self._unders[head]
        rows: list[tuple[list[Segment], int]] = []
        starts: list[int] = []
        unders: list[int] = []
        keys = []
        index = head
        # past the changed lines, go on until the indent carried into a line is as it was
        while index < len(source) and not (index >= len(source) - tail and under == self._unders[index - shift]):
            line = source[index]
            starts.append(first_row + len(rows))
            unders.append(under)
            keys.append((line, width, _lead(line, under)))
            rows.extend(self._wrapped(*keys[-1]))
            under = _under_after(line, under)
            index += 1
        old_end = index - shift  # the first old line kept after the change
        # the wrapped lines no longer in the report go (typing on a long line makes many)
        for gone in {(line, width, _lead(line, self._unders[n])) for n, line in
                     enumerate(before[head:old_end], head)}.difference(keys):
            self._wraps.pop(gone, None)
        moved = first_row + len(rows) - self._starts[old_end]
        old_rows = self.rows
        self.rows = old_rows[:first_row] + rows + old_rows[self._starts[old_end]:]
        self._starts = self._starts[:head] + starts + [y + moved for y in self._starts[old_end:]]
        self._unders = self._unders[:head] + unders + ([under] if index == len(source) else self._unders[old_end:])
        if len(self.rows) == len(old_rows) and before:
            # A keystroke changes a line or two of the report: repaint those, not the pane.
            refresh_changed(self, [first_row + y for y, new in enumerate(rows)
                                   if new != old_rows[first_row + y]])
            return
        self.virtual_size = Size(width, len(self.rows))
        self.refresh()

    def _wrapped(self, line: str, width: int, lead: int = 0) -> tuple[tuple[list[Segment], int], ...]:
        """A source line as screen lines; `lead`: cells it is set in (a list item's lazy
        continuation line goes under the item's text)."""
        key = (line, width, lead)
        wrapped = self._wraps.get(key)
        if wrapped is None:
            wrapped = self._wraps[key] = self._wrap(line, width, lead)
        return wrapped

    def _wrap(self, line: str, width: int, lead: int) -> tuple[tuple[list[Segment], int], ...]:
        console = self.app.console
        line, _, flag = line.partition(FLAGGED)
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

"""The export preview: the report's own Markdown, drawn line by line.

We write this Markdown ourselves, so its structure is known: headings, list items, links to
daily notes. Drawing it directly is cheap where a general Markdown renderer costs tens of
milliseconds a keystroke. The view draws only the lines on screen and re-wraps only the
source lines that changed. User text is never parsed as markup, and nothing is clickable."""

from __future__ import annotations

import re
from functools import lru_cache

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


def styled_line(line: str) -> Text:
    line = _ESCAPED.sub(r"\1", line)  # show what the reader of the report sees
    out = Text(no_wrap=False)
    if m := _HEADING.match(line):
        out.append(m.group(2), style="bold reverse" if len(m.group(1)) == 1 else "bold underline")
    elif m := _ITEM.match(line):
        indent, marker, rest = m.groups()
        out.append(indent)
        out.append("• " if marker in "-+*" else f"{marker} ", style="cyan")
        out.append(rest)
    elif m := _LINK.match(line):
        out.append(m.group(1), style="underline")
    else:
        out.append(line)
    return out


class PreviewView(ScrollView, can_focus=True):
    # a stable gutter: lines are wrapped once, at a width the scrollbar's arrival cannot change
    DEFAULT_CSS = "PreviewView { height: 1fr; scrollbar-gutter: stable; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.source: list[str] = []
        self.rows: list[tuple[list[Segment], int]] = []
        self.plain = ""
        self._base_style = Style()

    def show(self, markdown: str) -> None:
        self.plain = markdown
        self.source = markdown.rstrip("\n").split("\n")
        self._layout_rows(only_changes=True)

    def on_resize(self) -> None:
        self._layout_rows()

    def _layout_rows(self, only_changes: bool = False) -> None:
        if not self.size.width:
            return  # not laid out yet: on_resize wraps at the real width (once, not twice)
        width = max(8, self.scrollable_content_region.width - 1)
        rows: list[tuple[list[Segment], int]] = []  # segments and their cell width
        for line in self.source:
            rows.extend(self._wrapped(line, width))
        before, self.rows = self.rows, rows
        if only_changes and len(rows) == len(before):
            # A keystroke changes a line or two of the report: repaint those, not the pane.
            refresh_changed(self, [y for y, (new, old) in enumerate(zip(rows, before))
                                   if new is not old and new != old])
            return
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    @lru_cache(maxsize=4096)
    def _wrapped(self, line: str, width: int) -> tuple[tuple[list[Segment], int], ...]:
        console = self.app.console
        text = styled_line(line)
        if text.cell_len <= width:  # most report lines fit: Rich's word wrap is the costly part
            return ((list(text.render(console)), text.cell_len),)
        return tuple((list(part.render(console)), part.cell_len) for part in text.wrap(console, width))

    def render_lines(self, crop):
        # The widget's style walks every ancestor; once a paint, not once a line.
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self.rows):
            return Strip.blank(width, self._base_style)
        return fitted_strip(*self.rows[index], width, pad_style=self._base_style)

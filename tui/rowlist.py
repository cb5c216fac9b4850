"""A list of rows with a cursor, drawn line by line.

The four row panes need little of a DataTable: fixed columns, a row cursor, arrow keys and
a click. DataTable renders every cell through Rich's layout on each repaint, which made a
week switch cost ~40 ms of repaint alone; this view composes each row into one line of
segments once, when the week changes, and hands the compositor ready strips."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = Text | str


def _looks(cells: list[Cell]) -> list:
    """What decides how a row is drawn (Text's own == ignores its base style)."""
    return [(c.plain, c.style, c.spans) if isinstance(c, Text) else c for c in cells]


def refresh_changed(view: ScrollView, lines: list[int]) -> None:
    """Repaint these lines (virtual y) of a line view, in runs of consecutive lines. Lines
    out of view need nothing: scrolling repaints the view."""
    top = round(view.scroll_y)
    bottom = top + view.scrollable_content_region.height
    runs: list[list[int]] = []  # [first, end) of consecutive lines
    for y in sorted(y for y in lines if top <= y < bottom):
        if runs and y == runs[-1][1]:
            runs[-1][1] = y + 1
        else:
            runs.append([y, y + 1])
    for first, end in runs:
        view.refresh_lines(first, end - first)


def fitted_strip(segments: list[Segment], length: int, width: int, style: Style | None = None,
                 pad_style: Style | None = None) -> Strip:
    """One line exactly `width` cells wide, in one Strip: Strip's own crop, extend and style
    each build another Strip (with its caches), three a line on every repaint."""
    if length > width:
        segments = Segment.adjust_line_length(segments, width)
    elif length < width:
        segments = [*segments, Segment(" " * (width - length), pad_style)]
    if style is not None:
        segments = list(Segment.apply_style(segments, style))
    return Strip(segments, width)


class RowList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"rowlist--header", "rowlist--cursor"}
    DEFAULT_CSS = """
    RowList {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .rowlist--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .rowlist--header { text-style: bold; background: $panel; color: $foreground; }
        & > .rowlist--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "cursor_to(0)", show=False),
        Binding("end", "cursor_to(-1)", show=False),
    ]

    def __init__(self, *, cell_padding: int = 1, show_header: bool = True, **kw) -> None:
        super().__init__(**kw)
        self.cell_padding = cell_padding
        self.show_header = show_header
        self.columns: list[tuple[str, int]] = []
        self._rows: list[tuple[str, list[Cell]]] = []
        # rows composed when first drawn, until they change: segments and their width in cells
        self._lines: dict[int, tuple[list[Segment], int]] = {}
        self._header: list[Segment] = []
        self._cursor = 0
        self._base_style = Style()
        self._stretch = 0  # cells the pane has beyond its columns' widths
        self._grow = 0  # of those, what the first column takes to show its longest cell whole
        self._fit = False  # whether the first column may grow (a pane shown alone: set_fit_first)
        self._drawn_width = 0  # the width an outline's rows were composed for

    # --- the table's contents -------------------------------------------------------------

    def add_column(self, label: str, width: int) -> None:
        self.columns.append((label, width))

    def _widths(self) -> list[int]:
        widths = [width for _, width in self.columns]
        if widths:
            widths[0] += self._grow
            widths[-1] += self._stretch - self._grow
        return widths

    def set_fit_first(self, fit: bool) -> None:
        """A pane shown alone (tui/screens/tabs.py): of the width beyond its columns, the first
        column (a title, a name) takes what its longest cell needs, the last the rest. Side by
        side the columns keep their widths."""
        self._fit = fit
        if self._fit_first():
            self._lines.clear()
            self._make_header()
            self.virtual_size = Size(self._line_width, len(self._rows) + self._header_lines)
            self.refresh()

    def _fit_first(self) -> bool:
        """The first column's share of the room (set_fit_first); True when it changed."""
        grow = 0
        if self._fit and self._stretch and len(self.columns) > 1:
            longest = max((c.cell_len if isinstance(c, Text) else Text(c).cell_len
                           for _, cells in self._rows for c in cells[:1]), default=0)
            grow = max(0, min(self._stretch, longest - self.columns[0][1]))
        changed, self._grow = grow != self._grow, grow
        return changed

    def set_rows(self, rows: list[tuple[str, list[Cell]]], cursor: int = 0) -> None:
        before, before_cursor = self._rows, self._cursor
        self._rows = rows
        if self.columns and not self._header:
            self._make_header()
        self._cursor = max(0, min(cursor, len(rows) - 1))
        refit = self._fit_first()  # then every row is drawn anew, in the new widths
        if refit:
            self._make_header()
        if refit or len(rows) != len(before):
            self._lines.clear()  # only the rows on screen get composed (a pane shows a few of many)
            # A Reactive: an unchanged size asks for no new layout.
            self.virtual_size = Size(self._line_width, len(rows) + self._header_lines)
            self._scroll_cursor_into_view()
            self.refresh()
            return
        # As many rows as before (an edit, or a week like the last): repaint only the rows that
        # look different, and the cursor's old and new places.
        dirty = {i for i, ((_, new), (_, old)) in enumerate(zip(rows, before)) if _looks(new) != _looks(old)}
        if self._cursor != before_cursor:
            dirty |= {before_cursor, self._cursor}
        for index in dirty:
            self._lines.pop(index, None)
        self._scroll_cursor_into_view()
        refresh_changed(self, [index + self._header_lines for index in dirty])

    def _make_header(self) -> None:
        self._header = list(self._row_text([Text(label) for label, _ in self.columns]).render(self.app.console))

    def _row_text(self, cells: list[Cell]) -> Text:
        if not self.columns:  # an outline: one cell is the whole line, cropped at the edge
            line = cells[0] if isinstance(cells[0], Text) else Text(cells[0])
            if len(cells) > 1:  # ... but for its tail (an item's progress and date), kept in view
                room = self.scrollable_content_region.width - cells[1].cell_len
                line = line.copy()
                if line.cell_len > room > 8:
                    line.truncate(room, overflow="ellipsis")
                line.append_text(cells[1])
            return line
        pad = " " * self.cell_padding
        line = Text(no_wrap=True, end="")
        for width, cell in zip(self._widths(), cells):
            text = cell.copy() if isinstance(cell, Text) else Text(cell)
            if not self.cell_padding and text.cell_len > width > 1:
                text.truncate(width - 1, overflow="ellipsis")  # a cut cell keeps a gap before the next
                text.append(" ")
            text.truncate(width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(text)
            line.append(pad)
        return line

    @property
    def _line_width(self) -> int:
        return sum(width + 2 * self.cell_padding for width in self._widths())

    @property
    def _header_lines(self) -> int:
        return 1 if self.show_header and self.columns else 0

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def row_key(self, index: int) -> str | None:
        return self._rows[index][0] if 0 <= index < len(self._rows) else None

    def get_row_at(self, index: int) -> list[Cell]:
        return self._rows[index][1]

    # --- the cursor ---------------------------------------------------------------------

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        if row == self._cursor:
            return
        before, self._cursor = self._cursor, row
        self._scroll_cursor_into_view()  # a scroll repaints the whole view
        refresh_changed(self, [before + self._header_lines, row + self._header_lines])

    def _scroll_cursor_into_view(self) -> None:
        visible = self.scrollable_content_region.height - self._header_lines
        if visible <= 0:
            return
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(row=self._cursor + step)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - self._header_lines)
        self.move_cursor(row=self._cursor + direction * page)

    def action_cursor_to(self, row: int) -> None:
        self.move_cursor(row=row if row >= 0 else len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self._header_lines:
            return
        self.move_cursor(row=offset.y - self._header_lines + round(self.scroll_y))

    # --- drawing ------------------------------------------------------------------------

    def on_resize(self) -> None:
        # The last column (a summary, a body) takes the width the pane has beyond its columns:
        # a pane shown alone on a small screen, or a wide terminal, shows more of each row.
        if self.columns:
            stretch = max(0, self.scrollable_content_region.width - self._line_width + self._stretch)
            if stretch != self._stretch:
                self._stretch = stretch
                self._fit_first()
                self._lines.clear()
                self._make_header()
                self.virtual_size = Size(self._line_width, len(self._rows) + self._header_lines)
                self.refresh()
        elif self._lines and self.scrollable_content_region.width != self._drawn_width:
            self._lines.clear()  # an outline's rows keep their tails in view at the new width
            self.refresh()
        self._drawn_width = self.scrollable_content_region.width
        self._scroll_cursor_into_view()

    def render_lines(self, crop):
        # The widget's style walks every ancestor; once a paint, not once a line.
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style
        if y < self._header_lines:
            header = self.get_component_rich_style("rowlist--header")
            return fitted_strip(self._header, self._line_width, width, base + header)
        index = y - self._header_lines + round(self.scroll_y)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        # Not cached here: Textual keeps each drawn line until that line is refreshed.
        style = base + self.get_component_rich_style("rowlist--cursor") if index == self._cursor else base
        return fitted_strip(*self._line(index), width, style)

    def _line(self, index: int) -> tuple[list[Segment], int]:
        line = self._lines.get(index)
        if line is None:
            text = self._row_text(self._rows[index][1])
            # a table row is exactly as wide as its columns: no need to measure CJK text
            length = self._line_width if self.columns else text.cell_len
            line = self._lines[index] = (list(text.render(self.app.console)), length)
        return line

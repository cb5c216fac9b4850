"""The text editor: a title and a Markdown body, saved as you type. Its own module so that
TextArea (and its document machinery) loads when an editor first opens, not at start-up."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable

from rich import cells as rich_cells
from rich.cells import cell_len
from rich.control import STRIP_CONTROL_CODES
from rich.text import Text
from textual import events, expand_tabs, on
from textual.expand_tabs import expand_text_tabs_from_widths
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.document import _wrapped_document
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Offset, Size
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea
from textual.widgets.text_area import Selection

from weekly_zhoubao.store import outline

from .forms import LineInput
from .i18n import t


EVERY_ROW = (0, -1, 0)  # what changed: every row
_STRIPPED_BY_RICH = re.compile(f"[{''.join(map(chr, STRIP_CONTROL_CODES))}]")  # what rich drops from a Text


_CHUNK_START = re.compile(r"\s\S")  # where Textual's wrapping starts a new word (textual._wrap.chunks)


def rewrapped(text: str, width: int, old_offsets: list[int], column: int, old_end: int, new_end: int) -> list[int]:
    """Where a line without tabs wraps after an edit replaced its characters from `column` to
    `old_end` with what now runs to `new_end`, given where it wrapped before (`old_offsets`).
    Textual wraps the whole line at every key (30 ms at 99,000 characters without a space);
    here the rows before the edit's row but one are kept (unless a word that may now fit on
    the row above starts it), Textual's wrapping runs from there to a few rows past the edit,
    and once a row starts where an old row started (moved by the edit), the old rows after it
    are kept too."""
    delta = new_end - old_end
    row = bisect_right(old_offsets, column)
    starts = [0, *old_offsets]
    kept = starts[row - 1] if row >= 2 else 0
    if kept:
        above = starts[row - 2]
        window = max(0, kept - 4 * width)
        word = None
        for word in _CHUNK_START.finditer(text, window, kept + 1):
            pass
        word_start = word.start() + 1 if word else 0 if window == 0 else None
        if word_start == kept:  # a word starts the row: it stays there if it still does not fit above
            after = _CHUNK_START.search(text, kept)
            word_end = after.start() + 1 if after else len(text)
            if cell_len(text[kept:min(word_end, kept + width + 1)]) <= width - cell_len(text[above:kept]):
                kept = 0
        elif cell_len(text[window if word_start is None else word_start:kept]) <= width:
            kept = 0  # inside a word that may no longer be folded across rows
    before = [at for at in old_offsets if at <= kept] if kept else []
    stop = new_end + 8 * width  # wrapped this far first: a row starting well before it is sure
    if stop < len(text):
        sure, old_rows = stop - 2 * width - 2, {at + delta for at in old_offsets if at > old_end}
        found = []
        for at in _textual_wrap_offsets(text[kept:stop], width, 4):
            at += kept
            if at > sure:
                break
            found.append(at)
            if at > new_end and at in old_rows:  # from here on, the old rows moved by the edit
                return [*before, *found, *(o + delta for o in old_offsets if o + delta > at)]
    return [*before, *(kept + at for at in _textual_wrap_offsets(text[kept:], width, 4))]


_textual_wrap_offsets = _wrapped_document.compute_wrap_offsets  # Textual's
_known_wrap: list = [None]  # (the line, its width, where it wraps): worked out by `rewrapped`


def _wrap_offsets(text: str, width: int, tab_size: int, fold: bool = True,
                  precomputed_tab_sections=None) -> list[int]:
    known = _known_wrap[0]
    if known is not None and known[0] is text and known[1] == width:
        return list(known[2])
    return _textual_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)


_wrapped_document.compute_wrap_offsets = _wrap_offsets  # where WrappedDocument looks it up


class _RowsKept(WrappedDocument):
    """Textual's WrappedDocument counts its rows over every line each time `height` is read,
    ~30 times a keystroke: ~1.3 ms each in a 1,200-line note. Counted once per wrap here.
    It also notes what changed since the text area was last drawn (`changed`: the first and
    last line, and the first column changed in the first; or EVERY_ROW), for the area to draw
    only the rows that may show it."""

    _rows: int | None = None
    changed: tuple[int, int, int] | None = EVERY_ROW

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._rows = None
        self.changed = EVERY_ROW
        super().wrap(width, tab_width)

    def wrap_range(self, start, old_end, new_end) -> None:
        line, column = start
        rows_before = self.height, len(self._line_index_to_offsets[line]) if line < len(self._line_index_to_offsets) else -1
        self._rows = None
        if old_end[0] == new_end[0] == line < len(self._wrap_offsets) and self._width:
            text = self.document[line]
            offsets = None if "\t" in text else rewrapped(text, self._width, self._wrap_offsets[line], column,
                                                          old_end[1], new_end[1])
            _known_wrap[0] = None if offsets is None else (text, self._width, offsets)
        try:
            super().wrap_range(start, old_end, new_end)
        finally:
            _known_wrap[0] = None
        one_line = old_end[0] == new_end[0] == line and rows_before == (self.height, len(self._line_index_to_offsets[line]))
        if not one_line or self.changed == EVERY_ROW:
            self.changed = EVERY_ROW
        elif self.changed is None:
            self.changed = (line, line, column)
        else:
            first, last, first_column = self.changed
            if line < first or (line == first and column < first_column):
                first, first_column = line, column
            self.changed = (first, max(last, line), first_column)

    @property
    def height(self) -> int:
        if self._rows is None:
            self._rows = super().height
        return self._rows

    def get_sections(self, line_index: int) -> list[str]:
        """The line's rows as text, cut where it wraps. Textual makes a rich Text of each row
        to cut them (~1,100 of a 99,000-character line, twice a key, to place the cursor)."""
        line = self.document[line_index]
        if _STRIPPED_BY_RICH.search(line):  # rich would drop these first: Textual's answer then
            return super().get_sections(line_index)
        bounds = [0, *self._wrap_offsets[line_index], len(line)]
        return [line[a:b] for a, b in zip(bounds, bounds[1:])]

    def span(self, line: int, section: int, length: int) -> tuple[int, int]:
        """The characters of a line of `length` that one of its rows shows, [start, end): the
        last row also holds the space where the cursor rests after the line's end."""
        bounds = [0, *self._wrap_offsets[line], length + 1]
        return bounds[section], bounds[section + 1]

    def row_of(self, line: int, column: int) -> int:
        return self._line_index_to_offsets[line][bisect_right(self._wrap_offsets[line], column)]


class OutlineArea(TextArea):
    """A TextArea that writes outlines as outliners do (store/outline.py has the rule): Enter
    keeps the line's indentation and continues its list (`1. ` → `2. `, `- ` → `- `); Enter on
    an empty item ends the list, Tab on it starts a list a level in; backspace in the
    indentation and shift+tab go a level out."""

    _enter_wrote: tuple[int, str] | None = None  # the row Enter began last, and what it wrote there
    _line_widths: dict[str, int] = {}  # cells of each line, kept while the line is unchanged
    # Textual draws the whole area again whenever the selection changes, so each key redrew
    # ~28 rows, ~5 ms at 140×45; here only the rows of the lines the change touches are drawn.
    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def _watch_selection(self, previous: Selection, selection: Selection) -> None:
        bracket_before = self._matching_bracket_location
        super()._watch_selection(previous, selection)
        wrapped = self._wrapped
        changed, wrapped.changed = wrapped.changed, None
        line_rows = wrapped._line_index_to_offsets
        places = [*previous, *selection, *(at for at in (bracket_before, self._matching_bracket_location) if at)]
        if changed == EVERY_ROW or any(line >= len(line_rows) for line, _ in places):
            self.refresh()
            return
        rows = [wrapped.row_of(*place) for place in places]
        if changed is not None:  # from the row before the first change (a word may move up) to the last line's end
            first, last, column = changed
            rows += [max(wrapped.row_of(first, column) - 1, line_rows[first][0]), line_rows[last][-1]]
        if previous.end[0] != selection.end[0] and self.highlight_cursor_line:  # the cursor's line is lit whole
            rows += [line_rows[line][at] for line in (previous.end[0], selection.end[0]) for at in (0, -1)]
        self.refresh_lines(min(rows), max(rows) - min(rows) + 1)

    def render_line(self, y: int) -> Strip:
        """A row drawn again only when what it shows changed. Textual keys its row cache on the
        whole selection when wrapping, so every key redrew every row (~0.2 ms each, 28 rows);
        here a row is keyed on its own part of the line and what of the cursor, the selection
        and the matching bracket falls in it (typing at the end of a paragraph draws its last
        row, not all of it)."""
        if self._highlights or (self.placeholder and not self.document.text):
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        wrapped = self.wrapped_document
        try:
            line_index, section = wrapped._offset_to_line_info[scroll_y + y]
        except IndexError:
            return super().render_line(y)
        text = self.document[line_index]
        start, end = wrapped.span(line_index, section, len(text))
        part = text[start:end] if (start, end) != (0, len(text) + 1) else text

        def at(place) -> int | None:
            """Where in this row a place of the text is, if it is in it."""
            return place[1] - start if place is not None and place[0] == line_index and start <= place[1] < end else None

        sel_start, sel_end = self.selection
        top, bottom = sorted((sel_start, sel_end))
        on_cursor_line = sel_end[0] == line_index
        selected = None
        if sel_start != sel_end and top[0] <= line_index <= bottom[0]:
            first = top[1] if top[0] == line_index else 0
            last = bottom[1] if bottom[0] == line_index else len(text)
            selected = (max(first, start) - start, min(last, end) - start, not text)
        bracket = self._matching_bracket_location
        tabs = None
        if "\t" in part:
            before = text.count("\t", 0, start)
            tabs = tuple(wrapped.get_tab_widths(line_index)[before:before + part.count("\t")])
        key = (
            self.size, scroll_x, part, end > len(text), tabs, on_cursor_line, selected,
            line_index if self.show_line_numbers else None, section == 0,
            (at(sel_end), self._draw_cursor, self.suggestion, self.has_focus) if on_cursor_line else None,
            (at(bracket), sel_start == sel_end) if bracket is not None else None,
            None if self.soft_wrap else self.virtual_size.width,
            self.theme, self.match_cursor_bracket, self.soft_wrap, self.show_line_numbers,
            self.line_number_start, self.read_only, self.show_cursor, self.highlight_cursor_line,
            self.indent_width, self._has_cursor,
        )
        if (kept := self._line_cache.get(key)) is not None:
            return kept
        strip = self._render_line(y)
        self._line_cache[key] = strip
        return strip

    def _render_line(self, y: int) -> Strip:
        """A wrapped row drawn from its own part of the line. Textual styles the whole line
        and divides all of it into rows for each row it draws: every row of a 1,900-character
        Chinese paragraph cost the whole paragraph (~45 Text objects; 25 ms a key). The same
        styles, in the same order, on the row's part alone; short and unwrapped lines, and
        what this area never shows (line numbers, highlighting, suggestions), are Textual's."""
        wrapped = self.wrapped_document
        row = self.scroll_offset.y + y
        if not self.soft_wrap or self._highlights or self.show_line_numbers or self.suggestion \
                or row >= wrapped.height:
            return super()._render_line(y)
        line_index, section = wrapped._offset_to_line_info[row]
        if not wrapped.get_offsets(line_index):
            return super()._render_line(y)
        text = self.document[line_index]
        start, end = wrapped.span(line_index, section, len(text))
        part = Text((text + " ")[start:end], end="", no_wrap=True)  # the last row holds the cursor's space
        part.tab_size = self.indent_width

        def stylize(style, begin: int = 0, stop: int | None = None) -> None:
            begin, stop = max(begin, start), min(len(text) + 1 if stop is None else stop, end)
            if style is not None and begin < stop:
                part.stylize(style, begin - start, stop - start)

        theme = self._theme
        selection = self.selection
        sel_start, sel_end = selection
        cursor_row, cursor_column = sel_end
        top, bottom = sorted(selection)
        on_cursor_row = cursor_row == line_index
        cursor_line_style = theme.cursor_line_style if theme and self.highlight_cursor_line and self._has_cursor \
            else None
        if self._has_cursor and on_cursor_row:
            stylize(cursor_line_style)
        if sel_start != sel_end and top[0] <= line_index <= bottom[0] and theme and theme.selection_style:
            stylize(theme.selection_style, top[1] if line_index == top[0] else 0,
                    bottom[1] if line_index == bottom[0] else len(text))
        bracket = self._matching_bracket_location
        brackets = self._has_cursor and self.match_cursor_bracket and bracket is not None and sel_start == sel_end
        if on_cursor_row:
            if brackets and theme:
                stylize(theme.bracket_matching_style, cursor_column, cursor_column + 1)
            if self._draw_cursor and theme:
                stylize(theme.cursor_style, cursor_column, cursor_column + 1)
        if brackets and theme and bracket[0] == line_index:
            stylize(theme.bracket_matching_style, bracket[1], bracket[1] + 1)

        tabs_before = text.count("\t", 0, start)
        widths = wrapped.get_tab_widths(line_index)[tabs_before:tabs_before + part.plain.count("\t")]
        part = expand_text_tabs_from_widths(part, widths)
        strip = Strip(part.render(self.app.console), cell_length=part.cell_len)
        line_style = cursor_line_style if on_cursor_row and self.highlight_cursor_line else \
            (theme.base_style if theme else None)
        strip = strip.extend_cell_length(self.scrollable_content_region.size.width - self.gutter_width, line_style)
        base_style = theme.base_style if theme and theme.base_style is not None else self.rich_style
        return strip.apply_style(base_style)

    def _on_resize(self) -> None:
        """Textual wraps the text again for the new width after the area was drawn at it:
        without drawing it again, rows showed the old wrapping until the next key."""
        super()._on_resize()
        self.refresh()

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        """Not while the cursor is past the text: Textual's undo sizes the area (a scrollbar
        may go, which scrolls to the cursor) before it puts the cursor back, and the old
        cursor beyond the last line raised ValueError. The cursor's return scrolls to it."""
        row, column = self.selection.end
        if row >= self.document.line_count or column > len(self.document[row]):
            return Offset(0, 0)
        return super().scroll_cursor_visible(center, animate)

    def _build_highlight_map(self) -> None:
        """Without a language there is nothing to highlight: keep the drawn rows (Textual
        forgets them all at every edit; the rows' keys above hold their own text)."""
        if self._highlight_query:
            super()._build_highlight_map()
        else:
            self._highlights.clear()

    def _refresh_size(self) -> None:
        """Unwrapped, the width is the longest line's: grown in steps of 256 cells, so that a
        key typed at the end of a long line does not lay the screen out again each time, and
        measured once per changed line (Textual measured every line at every key)."""
        if self.soft_wrap:
            super()._refresh_size()
            return
        known, widths = self._line_widths, {}
        for line in self.document.lines:
            widths[line] = known.get(line) or cell_len(line.expandtabs(self.indent_width))
        self._line_widths = widths
        width = max(widths.values(), default=0) + self.gutter_width + 1
        if width > LONG_LINE:
            width = -(-width // 256) * 256
        self.virtual_size = Size(width, self.document.line_count)
        self._refresh_scrollbars()

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._wrapped

    @wrapped_document.setter
    def wrapped_document(self, wrapped: WrappedDocument) -> None:  # TextArea makes one per text
        wrapped.__class__ = _RowsKept
        self._wrapped = wrapped

    _typing_tab = False  # the key being handled is tab

    def _find_columns_to_next_tab_stop(self) -> int:
        """Textual works out what tab would insert at every key it handles (measuring the line
        up to the cursor: 10 ms a key at the end of a 99,000-character Chinese line); only tab
        needs it."""
        return super()._find_columns_to_next_tab_stop() if self._typing_tab else self.indent_width

    async def _on_key(self, event: events.Key) -> None:
        self._typing_tab = event.key == "tab"
        if self.read_only or event.key not in ("enter", "shift+tab", "tab"):
            await super()._on_key(event)
            if event.is_printable and self.selection.is_empty:
                self._drop_doubled_marker()
            return
        row, col = self.cursor_location
        nested = outline.nest(self.document[row]) if event.key == "tab" and self.selection.is_empty else None
        if event.key == "tab" and (nested is None or col != len(self.document[row])):
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        self._restart_blink()
        if nested is not None:
            self.replace(nested, (row, 0), (row, col), maintain_selection_offset=False)
        elif event.key == "shift+tab":
            self.dedent_lines()
        else:
            self.outline_enter()

    def _drop_doubled_marker(self) -> None:
        """`2. ` from Enter, then `2. ` typed out of habit: one marker, the typed one."""
        row, col = self.cursor_location
        head = self.document[row][:col]
        written = self._enter_wrote
        if written is None or written[0] != row or not head.startswith(written[1]) or len(head) > 24:
            return
        fixed = outline.retyped_marker(head)
        if fixed is not None:
            self._enter_wrote = None
            self.replace(fixed, (row, 0), (row, col), maintain_selection_offset=False)

    def outline_enter(self) -> None:
        start, end = sorted(self.selection)
        row, col = start
        line = self.document[row]
        tail = self.document[end[0]][end[1]:]
        stays, starts = outline.enter(line[:col], self.document.lines[:row])
        if starts is None and tail.strip():  # an empty marker before words: split, no new item
            stays, starts = line[:col], outline.split(line[:col]).indent
        insert = stays if starts is None else f"{stays}\n{starts}"
        self.replace(insert, (row, 0), end, maintain_selection_offset=False)
        self._enter_wrote = (row + 1, starts) if starts and outline.split(starts).is_item else \
            (row, stays) if starts is None and outline.split(stays).is_item else None

    def dedent_lines(self) -> None:
        """The selected lines (or the cursor's) a level out; on a line with no indentation,
        shift+tab moves the focus back as it does elsewhere."""
        start, end = sorted(self.selection)
        rows = range(start[0], end[0] + 1)
        if not any(outline.split(self.document[r]).indent for r in rows):
            self.screen.focus_previous()
            return
        for r in rows:
            indent = outline.split(self.document[r]).indent
            if indent:
                self.replace(outline.dedent(indent), (r, 0), (r, len(indent)))

    def action_cursor_up(self, select: bool = False) -> None:
        """Up on the first line goes to the title above, if the editor has one."""
        titles = self.screen.query("#editor-title")
        if not select and titles and self.navigator.is_first_wrapped_line(self.cursor_location):
            titles.first().focus()
            return
        super().action_cursor_up(select)

    def action_delete_left(self) -> None:
        row, col = self.cursor_location
        head = self.document[row][:col]
        if self.selection.is_empty and head and not head.strip(" \t") and not self.read_only:
            self.delete((row, len(outline.dedent(head))), (row, col), maintain_selection_offset=False)
            return
        super().action_delete_left()


LONG_LINE = 2_000  # characters: a longer line of one-cell characters is not wrapped

_tab_widths = expand_tabs.get_tab_widths  # Textual's


def tab_widths(line: str, tab_size: int = 4) -> list[tuple[str, int]]:
    """Textual's get_tab_widths, with the answer for a line without tabs found at once: its
    regular expression walks the whole line, 5 ms on 99,000 characters, four times a key."""
    if "\t" not in line:
        return [(line, 0)] if line else []
    return _tab_widths(line, tab_size)


# where TextArea's document and its tab expansion look the function up
expand_tabs.get_tab_widths = _wrapped_document.get_tab_widths = tab_widths

_rich_cell_len = rich_cells._cell_len  # rich's


def _cell_len(text: str, unicode_version: str = "auto") -> int:
    """rich's measure of a string's cells, with printable ASCII answered at once: rich checks
    each character against a set (0.5 ms on a 99,000-character line, about eight times a key
    while typing on it). The same answer: every printable ASCII character is one cell."""
    if text.isascii() and text.isprintable():
        return len(text)
    return _rich_cell_len(text, unicode_version)


rich_cells._cell_len = _cell_len  # where rich's cell_len and cached_cell_len look it up


def wraps(lines) -> bool:
    """Whether the editor wraps its lines. Unwrapped, a line is measured at every key: as fast
    as `len` for one-cell (ASCII) characters, character by character for the others (Chinese:
    0.12 s a key at 99,000). Wrapped, a key re-wraps the line from the edit on, character by
    character in a word longer than a row (25–37 ms in the middle of 99,000 ASCII characters
    without a space, against 7 ms unwrapped). So a line over LONG_LINE characters of ASCII is
    shown unwrapped, and any other line wraps."""
    return all(len(line) <= LONG_LINE or not line.isascii() for line in lines)


class TitleInput(LineInput):
    """The editor's title: focus puts the cursor at the end, nothing selected, so the next
    key adds to the title instead of replacing it."""

    def _on_focus(self, event: events.Focus) -> None:
        self.cursor_position = len(self.value)  # Input._on_focus runs next, selecting nothing


class EditorScreen(ModalScreen[None]):
    """A title and a Markdown body, saved as you type (debounced), closed with Escape.
    `save(title, body)` returns an error to show (nothing saved) or None."""

    # priority: TextArea (indenting with tab, as outlines need) would otherwise take escape
    BINDINGS = [Binding("escape", "close", "editor_close", id="editor_close", show=False, priority=True)]
    DEBOUNCE = 0.4

    def __init__(self, heading: str, body: str, lang: str, save: Callable[[str | None, str], str | None],
                 title: str | None = None, hint: str = "", draft=None) -> None:
        super().__init__(id="editor")
        self.heading = heading
        self.initial_title = title
        self.initial_body = body
        self.lang = lang
        self.save = save
        self.hint = hint
        self._timer: Timer | None = None
        self.error: str | None = None  # why what is typed could not be saved
        self.error_shown = False  # the line under the text says something
        self.draft = draft  # the session's link to the stored text (store/session.Draft)
        self.last_saved = (title, body)  # compared with what is typed: no event can be missed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            if self.initial_title is not None:
                yield Label(t("title", self.lang), markup=False)
                yield TitleInput(value=self.initial_title, id="editor-title", select_on_focus=False)
            if self.hint:
                yield Static(self.hint, classes="dialog-keys", markup=False)
            yield OutlineArea(self.initial_body, id="editor-body", soft_wrap=wraps(self.initial_body.split("\n")),
                              tab_behavior="indent")
            yield Static("", id="form-error", markup=False)
            keys = "editor_keys" if self.initial_title is None else "editor_title_keys"
            yield Static(t(keys, self.lang), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        target = "#editor-title" if self.initial_title is not None and not self.initial_title else "#editor-body"
        self.query_one(target).focus()
        body = self.query_one("#editor-body", TextArea)
        body.move_cursor(body.document.end)  # to go on writing where the text ends

    def current(self) -> tuple[str | None, str]:
        if not self.query("#editor-body"):  # not composed yet: nothing typed
            return self.initial_title, self.initial_body
        title = self.query_one("#editor-title", Input).value if self.initial_title is not None else None
        return title, self.query_one("#editor-body", TextArea).text

    @on(TextArea.Changed)
    @on(Input.Changed)
    def changed(self, event) -> None:
        event.stop()
        if isinstance(event, TextArea.Changed):
            event.text_area.soft_wrap = wraps(event.text_area.document.lines)
        if self._timer:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE, self.flush)

    @on(Input.Submitted)
    def title_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#editor-body", TextArea).focus()

    def flush(self) -> bool:
        """Save what is typed now. Returns False (and says why) when it cannot be saved."""
        if self._timer:
            self._timer.stop()
            self._timer = None
        typed = self.current()
        if typed == self.last_saved:
            return True
        error = self.save(*typed)
        if error:  # the rules say it in English; the form in the UI's language, by its labels
            from .messages import form_error

            labels = {"title": t("title", self.lang), "body": t("body", self.lang)}
            error = form_error("", error, labels, self.lang)
        self.error = error
        box = self.query_one("#form-error", Static)
        if error:
            box.update(Text(error, style="bold red"))
            self.error_shown = True
            return False
        if self.error_shown:  # an update lays out the screen again, the dimmed week under it too
            box.update("")
            self.error_shown = False
        self.last_saved = typed
        return True

    def merge_in(self) -> None:
        """Show a change of the text stored elsewhere (a `weekly note` from a shell), merged
        with what is typed here."""
        areas = self.query("#editor-body")
        if self.draft is None or not areas:  # not composed yet, or closing: the next poll comes
            return
        area = areas.first(TextArea)
        merged = self.draft.catch_up(area.text)
        if merged is None:
            return
        cursor = area.cursor_location
        area.text = merged
        lines = merged.split("\n")
        row = min(cursor[0], len(lines) - 1)
        area.move_cursor((row, min(cursor[1], len(lines[row]))))
        if self.draft.conflicts:
            self.query_one("#form-error", Static).update(Text(t("conflict_marked", self.lang), style="bold yellow"))
            self.error_shown = True

    def heading_text(self) -> str:
        return self.heading

    def typed_text(self) -> str:
        title, body = self.current()
        return body if title is None else f"{title}\n\n{body}"

    def nothing_typed(self) -> bool:
        title, body = self.current()
        return not (title or "").strip() and not body.strip()

    def unsaved(self) -> str | None:
        """On quit: save what is typed; returns why it cannot be saved, None when all is kept."""
        if self.flush() or self.nothing_typed():
            return None
        return str(self.query_one("#form-error", Static).render())

    def action_close(self) -> None:
        if self.flush() or self.nothing_typed():  # nothing typed: nothing to keep
            self.dismiss(None)
            return
        from .forms import ConfirmScreen

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("unsaved_typed", self.lang), [self.error], t("discard_keys", self.lang)),
                             decided)

"""The text editor stays typeable on a very long line: a line over LONG_LINE ASCII characters
is shown unwrapped (Textual wraps it again at every key, character by character), and
wrapping comes back once no line is that long; a long line of Chinese stays wrapped. The rows it counts
are the rows its lines wrap to, after every edit. A line without tabs has its tab widths
found at once, as Textual would find them."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from textual.app import App
from textual.widgets import TextArea

from weekly_zhoubao.tui.editor import LONG_LINE, EditorScreen, _tab_widths, tab_widths


class EditorApp(App):
    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body
        self.saved: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(EditorScreen("日报", self.body, "zh", lambda _title, body: self.saved.append(body)))


def rows_counted_afresh(area: TextArea) -> int:
    return sum(len(offsets) + 1 for offsets in area.wrapped_document._wrap_offsets)


async def test_a_very_long_line_is_not_wrapped_and_stays_typeable():
    app = EditorApp("y" * (LONG_LINE + 1))
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.screen.query_one("#editor-body", TextArea)
        assert area.soft_wrap is False
        area.move_cursor(area.document.end)
        await pilot.press("a", "b")
        assert area.text.endswith("ab")
        area.text = "短的一行\n第二行"
        await pilot.press("c")
        await pilot.pause()
        assert area.soft_wrap is True


async def test_pasting_a_long_line_turns_wrapping_off_and_rows_stay_counted():
    app = EditorApp("\n".join(f"第{n}行：" + "支付链路压测与容量评估，" * 10 for n in range(50)))
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.screen.query_one("#editor-body", TextArea)
        assert area.soft_wrap is True
        assert area.wrapped_document.height == rows_counted_afresh(area) > 50
        area.move_cursor((10, 0))
        await pilot.press("enter", "x", "enter")
        assert area.wrapped_document.height == rows_counted_afresh(area)
        area.move_cursor(area.document.end)
        area.insert("\n" + "z" * (LONG_LINE + 10))
        await pilot.pause()
        assert area.soft_wrap is False
        assert area.wrapped_document.height == rows_counted_afresh(area) == area.document.line_count


async def test_a_long_line_of_chinese_stays_wrapped():
    """Unwrapped, a line of wide characters is measured character by character at each key
    (0.12 s at 99,000); wrapped, its rows are drawn from their own part of it."""
    app = EditorApp("支付链路压测与容量评估，" * (LONG_LINE // 5))
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.screen.query_one("#editor-body", TextArea)
        assert area.soft_wrap is True and len(area.document[0]) > LONG_LINE
        area.move_cursor(area.document.end)
        await pilot.press("x")
        assert area.text.endswith("，x") and area.soft_wrap is True


@given(st.text(alphabet="ab\t 支付", max_size=40), st.sampled_from([1, 2, 4, 8]))
@settings(max_examples=300, deadline=None)
def test_tab_widths_are_textuals_with_or_without_tabs(line, tab_size):
    assert tab_widths(line, tab_size) == _tab_widths(line, tab_size)


async def test_typing_on_a_long_line_with_tabs_keeps_them():
    app = EditorApp("a\tb" + "y" * (LONG_LINE + 1) + "\tz")
    async with app.run_test(size=(100, 30)) as pilot:
        area = app.screen.query_one("#editor-body", TextArea)
        area.move_cursor((0, 1))
        await pilot.press("x")
        assert area.text.startswith("ax\tb") and area.text.endswith("\tz")
        assert area.get_column_width(0, 3) == 4  # a, x, then the tab to column 4


@given(st.text(alphabet="ab 支\t\r\x07", max_size=60), st.integers(min_value=2, max_value=12))
@settings(max_examples=300, deadline=None)
def test_a_lines_rows_as_text_are_textuals(line, width):
    """The rows of a wrapped line are cut from the line, not made into rich Text first."""
    from textual.document._document import Document
    from textual.document._wrapped_document import WrappedDocument

    from weekly_zhoubao.tui.editor import _RowsKept

    textual = WrappedDocument(Document(line), width)
    ours = WrappedDocument(Document(line), width)
    ours.__class__ = _RowsKept
    assert ours.get_sections(0) == textual.get_sections(0)


@given(st.text(alphabet=st.sampled_from(["a", " ", "~", "\x07", "\t", "\x7f", "é", "支", "\u200d", "\ufe0f", "👍"]),
               max_size=30))
@settings(max_examples=300, deadline=None)
def test_cells_of_a_string_are_richs(text):
    """Printable ASCII is measured at once (one cell a character), anything else as rich does."""
    from weekly_zhoubao.tui.editor import _cell_len, _rich_cell_len

    assert _cell_len(text) == _rich_cell_len(text, "auto")


@given(st.lists(st.sampled_from(["支付", "链路", "压测，", "a", "word", " ", "  ", "long" * 9, "容量评估" * 6]),
                max_size=120),
       st.integers(min_value=0, max_value=900), st.integers(min_value=0, max_value=3),
       st.sampled_from(["", "x", "支", " ", "ab cd", "。"]), st.integers(min_value=4, max_value=30))
@settings(max_examples=1500, deadline=None)
def test_a_line_wrapped_again_from_near_the_edit_wraps_as_textual_wraps_it_all(parts, at, removed, typed, width):
    """After an edit in a long line, only the rows from the one before the edit's to the first
    that starts where an old one did are wrapped again: always what wrapping the whole new
    line gives."""
    from textual._wrap import compute_wrap_offsets

    from weekly_zhoubao.tui.editor import rewrapped

    old = "".join(parts)
    at = min(at, len(old))
    removed = min(removed, len(old) - at)
    new = old[:at] + typed + old[at + removed:]
    offsets = rewrapped(new, width, compute_wrap_offsets(old, width, 4), at, at + removed, at + len(typed))
    assert offsets == compute_wrap_offsets(new, width, 4)

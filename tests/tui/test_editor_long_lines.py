"""The text editor stays typeable on a very long line: a line over LONG_LINE characters is
shown unwrapped (Textual redraws each wrapped row from the whole line: ~0.2 s a key on
99,000 characters), and wrapping comes back once no line is that long. The rows it counts
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
        area.insert("z" * (LONG_LINE + 10))
        await pilot.pause()
        assert area.soft_wrap is False
        assert area.wrapped_document.height == rows_counted_afresh(area) == area.document.line_count


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

"""The editor draws again only the rows a change touches (Textual drew every row at each key).
Two things must hold after any key, for a wrapped text and an unwrapped long one: each row
it shows from its cache is the row Textual draws afresh, and every row that looks different
since the last key was asked to be drawn again (or the area scrolled, which draws it all)."""

from __future__ import annotations

import random

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widgets import TextArea

from weekly_zhoubao.tui.editor import LONG_LINE, EditorScreen, OutlineArea

WRAPPED = "\n".join([
    "## 本周重点",
    "1. 支付链路压测（进度 60%），预计 10/26 上线，覆盖入金与出金两条链路的全部关键接口",
    "   - 子项：容量评估 [x] (done)",
    "2. Reconcile the ledger with the bank's daily statement, then alert on any gap",
    "",
    "- 故障复盘 {D级} 已恢复",
    "\tindented with a tab",
])
UNWRAPPED = WRAPPED + "\n" + "long line, " * (LONG_LINE // 10) + " end (x)"
PARAGRAPHS = "\n".join([  # long wrapped lines: Chinese, tabs, brackets across rows
    "1. " + "支付链路压测（进度 60%）与容量评估，覆盖入金与出金两条链路的全部关键接口。" * 12,
    "\t- " + "Reconcile the ledger (daily) with the bank's statement\tthen alert; " * 8,
    "",
    "【O1】" + "{容量[评估]}" * 40,
])
REPEATED = "\n".join(["- TODO 跟进"] * 6 + ["abcdef"] * 6)  # rows alike but for their place in a selection
KEYS = ["a", "支", "(", ")", "space", "enter", "backspace", "delete", "tab", "shift+tab",
        "left", "right", "up", "down", "home", "end", "shift+left", "shift+right", "shift+up",
        "shift+down", "ctrl+z", "ctrl+y", "pageup", "pagedown"]


class EditorApp(App):
    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body

    def on_mount(self) -> None:
        self.push_screen(EditorScreen("日报", self.body, "zh", lambda _title, _body: None))


def shown(area: OutlineArea) -> list:
    """Each row as the area's cache gives it, and as Textual draws it afresh (the area draws a
    wrapped row from its part of the line: it must be Textual's row to the cell and style)."""
    rows = []
    for y in range(area.size.height):
        fresh = list(TextArea._render_line(area, y))
        assert list(area._render_line(y)) == fresh, f"row {y} drawn unlike Textual's"
        rows.append((list(area.render_line(y)), fresh))
    return rows


@pytest.mark.parametrize("body", [WRAPPED, UNWRAPPED, REPEATED, PARAGRAPHS],
                         ids=["wrapped", "unwrapped long line", "lines alike", "long paragraphs"])
async def test_every_row_that_changes_is_drawn_again_and_no_kept_row_is_stale(body):
    app = EditorApp(body)
    async with app.run_test(size=(70, 24)) as pilot:
        area = app.screen.query_one("#editor-body", OutlineArea)
        area.cursor_blink = False  # a blinking cursor changes its row by the clock
        assert area.soft_wrap is (body != UNWRAPPED)
        refreshed: list[tuple[Region, ...]] = []
        refresh = area.refresh

        def noted_refresh(*regions, **kwargs):
            refreshed.append(regions)
            return refresh(*regions, **kwargs)

        area.refresh = noted_refresh
        await pilot.pause()
        before, scroll = shown(area), area.scroll_offset
        keys = random.Random(7)
        partial = 0
        for step in range(120):
            refreshed.clear()
            await pilot.press(keys.choice(KEYS))
            rows = shown(area)
            stale = [y for y, (kept, fresh) in enumerate(rows) if kept != fresh]
            assert not stale, f"step {step}: rows {stale} drawn from an old line"
            whole = area.scroll_offset != scroll or any(not regions for regions in refreshed)
            if not whole:
                partial += 1
                drawn = {y for regions in refreshed for region in regions for y in range(region.y, region.bottom)}
                changed = [y for y, (old, new) in enumerate(zip(before, rows)) if old[1] != new[1]]
                assert set(changed) <= drawn, f"step {step}: rows {sorted(set(changed) - drawn)} changed, not redrawn"
            before, scroll = rows, area.scroll_offset
        assert partial > 50  # most keys drew some rows, not the whole area
        assert area.text != body


async def test_a_key_on_one_line_draws_that_lines_rows_only():
    app = EditorApp(WRAPPED)
    async with app.run_test(size=(70, 24)) as pilot:
        area = app.screen.query_one("#editor-body", OutlineArea)
        area.move_cursor((3, 5))
        await pilot.pause()
        drawn: list[int] = []
        render = area._render_line

        def noted(y):
            drawn.append(y)
            return render(y)

        area._render_line = noted
        await pilot.press("x")
        await pilot.pause()
        assert area.document[3].startswith("2. Rexconcile")
        rows_of_line = area.wrapped_document._line_index_to_offsets[3]
        assert drawn and set(drawn) <= set(rows_of_line)


async def test_lines_alike_show_where_a_selection_starts_and_ends():
    """Rows of the same text are drawn apart: the first line of a selection from where it
    starts, the lines between whole, the last up to where it ends."""
    app = EditorApp("\n".join(["abcdef"] * 5))
    async with app.run_test(size=(70, 24)) as pilot:
        area = app.screen.query_one("#editor-body", OutlineArea)
        area.cursor_blink = False
        area.move_cursor((4, 2))
        await pilot.press("shift+up", "shift+up", "shift+up")
        assert area.selection == ((4, 2), (1, 2))
        rows = shown(area)
        assert all(kept == fresh for kept, fresh in rows)
        drawn = [kept for kept, _ in rows[:5]]
        assert drawn[2] == drawn[3], "the lines between: all selected"
        assert drawn[4] != drawn[2] and drawn[1] != drawn[2] and drawn[1] != drawn[4], "each end: in part"
        assert drawn[0] != drawn[2], "above the selection: none of it"


async def test_undo_of_the_line_that_brought_the_scrollbar_keeps_the_editor_open():
    """Textual sizes the area before it puts the cursor back: the scrollbar going away
    scrolled to a cursor past the last line (ValueError, the app gone)."""
    app = EditorApp("")
    async with app.run_test(size=(70, 24)) as pilot:
        area = app.screen.query_one("#editor-body", OutlineArea)
        area.text = "\n".join(f"line {n}" for n in range(area.size.height))  # fills it: no scrollbar
        area.move_cursor(area.document.end)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert area.show_vertical_scrollbar
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.is_running and area.document.line_count == area.size.height
        assert area.cursor_location == (area.size.height - 1, len(f"line {area.size.height - 1}"))


class AreaApp(App):
    CSS = "OutlineArea { height: 1fr; }"

    def compose(self):
        yield OutlineArea("\n".join(WRAPPED.split("\n") * 3), soft_wrap=True)


def drawn(area: OutlineArea) -> list[str]:
    """The rows the area last drew, as they stand in its styles cache (what the terminal was
    sent; Textual has no public view of it)."""
    width, height = area.outer_size
    return [strip.text for strip in area._styles_cache.render_widget(area, Region(0, 0, width, height))]


async def test_a_resized_editor_shows_its_text_wrapped_for_the_new_width():
    """Textual wraps the text again for a new width after drawing the area at it; the area is
    drawn again then (rows showed the old wrapping until the next key)."""
    app = AreaApp()
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(OutlineArea)
        area.cursor_blink = False
        area.focus()
        area.move_cursor((5, 2))
        await pilot.pause()
        await pilot.resize_terminal(73, 21)
        await pilot.pause()
        await pilot.pause()
        shown = drawn(area)
        area._line_cache.clear()
        area.refresh()
        await pilot.pause()
        assert shown == drawn(area)

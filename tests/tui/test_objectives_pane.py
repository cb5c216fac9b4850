"""Pane 3 exists to show progress and dates: on a narrow pane an item's words give way (with
an ellipsis), never its figures."""

from __future__ import annotations

import re

import pytest

from weekly_zhoubao.tui.panes.objectives import ObjectivesPane


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_an_items_progress_and_date_stay_in_view_when_its_words_are_long(demo_store, make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("3")
        await pilot.pause()
        pane = app.screen.query_one(ObjectivesPane)
        width = pane.scrollable_content_region.width
        lines = [pane._row_text(cells).plain for _, cells in pane._rows]  # each row as drawn, scrolled to or not
        long_with_progress = [line for line in lines if "账单的测试" in line]
        assert long_with_progress, lines
        line = long_with_progress[0].rstrip()
        assert len(line) <= width
        assert re.search(r" 5% [+-]\d+$", line), f"the progress is cut: {line!r} in {width} columns"
        assert "…" in line, "the words give way, and say so"
        dated = [line.rstrip() for line in lines if "杭州政府存管" in line]
        assert dated and dated[0][-5:].count("/") == 1, f"the date is cut: {dated}"

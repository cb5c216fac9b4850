"""Snapshot tests of the week screen at the smallest supported terminal (80×24, one pane at a
time under tabs) and at 120×40 (every pane and the preview side by side), in both languages
and both themes; and the dialogs that must fit at 80×24. The demo store, today and now are
fixed (tui/demo.py). Plain `def` tests: snap_compare runs its own event loop."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from weekly_zhoubao.tui.demo import demo_app

SIZES = [(80, 24), (120, 40)]


def _still(pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    for field in pilot.app.screen.query(TextArea):
        field.cursor_blink = False


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_week_screen(snap_compare, tmp_path, size, lang, theme):
    app = demo_app(tmp_path, {"lang": lang, "theme": theme})

    async def before(pilot):
        await pilot.pause()
        await pilot.pause(0.3)

    assert snap_compare(app, run_before=before, terminal_size=size)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_preview_tab_at_80x24(snap_compare, tmp_path, lang):
    """`6` shows the report: each marker on the line of its text, wrapped lines under it."""
    app = demo_app(tmp_path, {"lang": lang, "theme": "light"})

    async def before(pilot):
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause(0.3)

    assert snap_compare(app, run_before=before, terminal_size=(80, 24))


@pytest.mark.parametrize("keys", [["i"], ["2", "a"], ["enter"]], ids=["incident", "metric", "editor"])
def test_dialogs_fit_at_80x24(snap_compare, tmp_path, keys):
    """Every field, the form's messages and its keys are on screen."""
    app = demo_app(tmp_path, {"lang": "zh"})

    async def before(pilot):
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        _still(pilot)
        await pilot.pause(0.3)

    assert snap_compare(app, run_before=before, terminal_size=(80, 24))

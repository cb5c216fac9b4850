"""Snapshot tests of the screens the README shows (same scenarios as `make screenshots`).
Plain `def` tests: snap_compare runs its own event loop."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from weekly_zhoubao.tui.demo import SCREENS, demo_app




@pytest.mark.parametrize("name, overrides, keys", SCREENS, ids=[s[0] for s in SCREENS])
def test_screen(snap_compare, tmp_path, name, overrides, keys):
    app = demo_app(tmp_path, overrides)

    async def before(pilot):
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause(0.3)

    assert snap_compare(app, run_before=before, terminal_size=(120, 40))

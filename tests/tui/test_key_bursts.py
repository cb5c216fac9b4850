"""Keys that arrive in one burst (a fast hand, a paste, tmux send-keys) act as if typed one by
one: Textual sends each to the widget with focus as it arrives, before the key ahead of it
has acted, so without care `2a` adds to pane 1 and the words typed after `i` are lost."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input

from tests.tui.helpers import send, settle, terminal_key

FRIDAY = datetime(2023, 10, 13, 17, 0)


def burst(app, keys: str) -> None:
    """Every key queued at once, as a terminal delivers a paste (no pause between them)."""
    for ch in keys:
        send(app, terminal_key(ch))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_pane_key_right_after_its_number_acts_in_that_pane(make_app, size):
    app = make_app(now=FRIDAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        burst(app, "2a")
        await settle(pilot)
        assert app.screen.query_one("#field-name", Input), "the metric form opened"
        assert not app.screen.query("#field-title"), "not the key-work editor of pane 1"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_words_typed_right_after_i_land_in_the_incident_form(make_app, size):
    app = make_app(now=FRIDAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        burst(app, "idb timeout")
        await settle(pilot)
        assert app.screen.id == "incident-form"
        assert app.screen.query_one("#field-summary", Input).value == "db timeout"
        await pilot.press("enter")
        await settle(pilot)
    week = app.store.get(date(2023, 10, 9))
    assert [i.summary for i in week.incidents] == ["db timeout"]

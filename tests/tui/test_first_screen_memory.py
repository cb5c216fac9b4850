"""The first screen lets go of the parsed year file once the week is validated (its memory is
reused to draw, so the peak stays within 1.5 × a minimal app's), and saving still works."""

from __future__ import annotations

from tests.tui.helpers import settle, stored


async def test_the_first_screen_lets_go_of_the_parsed_year_and_the_next_edit_still_saves(store, make_app, db_path):
    before = len(stored(db_path).incidents)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not [db for db in app.store._dbs.values() if db.storage.holds_data()]
        await pilot.press("i", *"另一个事件", "enter")
        await settle(pilot)
        assert len(stored(db_path).incidents) == before + 1
        assert "另一个事件" in [i.summary for i in app.week_screen.week.incidents]

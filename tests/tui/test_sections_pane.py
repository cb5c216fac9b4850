"""A week's own sections in pane 5 (issue #15): added, written, renamed, moved, deleted (asked
when it holds text), exported in the template's order, undone. Pilot, fixed size and clock."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.tui.helpers import settle, stored
from weekly_zhoubao.tui.forms import ConfirmScreen, FormScreen
from weekly_zhoubao.tui.panes import NotesPane


async def add(pilot, title: str, form: str = "markdown") -> None:
    await pilot.press("5", "A")
    assert isinstance(pilot.app.screen, FormScreen)
    inputs = pilot.app.screen.query(Input)
    inputs[0].value, inputs[1].value = title, form
    await pilot.press("enter")
    await settle(pilot)


async def test_sections_added_written_moved_renamed_deleted_and_undone(store, make_app, db_path):
    app = make_app(lang="en")
    async with app.run_test(size=(140, 45)) as pilot:
        await add(pilot, "Hiring")
        await add(pilot, "Asks", "list")
        assert [(s.title, s.form) for s in stored(db_path).sections] == [("Hiring", "markdown"), ("Asks", "list")]
        pane = app.screen.query_one(NotesPane)
        assert pane.selected() == f"section:{stored(db_path).sections[1].id}"  # the cursor is on the new one
        await pilot.press("enter")
        app.screen.query_one(TextArea).text = "- a second reviewer"
        await pilot.pause(0.6)
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db_path).sections[1].body == "- a second reviewer"
        out = app.week_screen.report_text()
        assert out.index("Hiring") < out.index("Asks") < out.index("- a second reviewer")

        await pilot.press("shift+up")  # Asks before Hiring
        await settle(pilot)
        assert [s.title for s in stored(db_path).sections] == ["Asks", "Hiring"]
        out = app.week_screen.report_text()
        assert out.index("Asks") < out.index("Hiring")

        await pilot.press("R")
        app.screen.query_one(Input).value = "Help needed"
        await pilot.press("enter")
        await settle(pilot)
        assert [s.title for s in stored(db_path).sections] == ["Help needed", "Hiring"]

        await pilot.press("d")  # it holds text: asked first
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert len(stored(db_path).sections) == 2
        await pilot.press("d", "enter")
        await settle(pilot)
        assert [s.title for s in stored(db_path).sections] == ["Hiring"]
        pane.select_key(f"section:{stored(db_path).sections[0].id}")
        await pilot.press("d")  # an empty section goes at once
        await settle(pilot)
        assert stored(db_path).sections == []

        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        restored = stored(db_path).sections
        assert [(s.title, s.body) for s in restored] == [("Help needed", "- a second reviewer"), ("Hiring", "")]

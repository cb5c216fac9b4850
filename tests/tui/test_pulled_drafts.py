"""Issue 24 point 7: an item pulled from a member's week is a draft, marked on screen (⇣)
until the user edits it; undoing the edit marks it again."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident, KeyWorkItem, Week
from weekly_zhoubao.store.team.rollup import Rollup, pull_into
from weekly_zhoubao.tui.panes import IncidentsPane, KeyWorkPane

from tests.conftest import SAMPLE_MONDAY
from tests.tui.helpers import settle, stored

MONDAY = date(2023, 10, 9)


def test_a_pull_marks_what_it_added_and_an_edit_unmarks_it_until_undone():
    bob = Week(monday=MONDAY, key_work=[KeyWorkItem(title="POS收单")],
               incidents=[Incident(at="2023-10-10T09:00", summary="回调延迟")])
    mine = Week(monday=MONDAY, key_work=[KeyWorkItem(title="我的")])
    pull_into(mine, Rollup(MONDAY, {"bob": bob}))
    pulled = {mine.key_work[1].id, mine.incidents[0].id}
    assert set(mine.drafts) == pulled and mine.key_work[0].id not in mine.drafts
    edit = ops.edit_element(MONDAY, mine.key_work[1], {"title": "POS收单（我来跟）"})
    outcome = edit.apply({MONDAY: mine})
    assert mine.drafts == [mine.incidents[0].id], "edited: a draft no more"
    outcome.inverse.apply({MONDAY: mine})
    assert set(mine.drafts) == pulled and mine.key_work[1].title == "POS收单（来自bob）"


async def test_a_draft_is_marked_in_its_pane_until_the_user_edits_it(store, make_app, db_path):
    def pulled(week) -> None:
        week.drafts = [week.key_work[1].id, week.incidents[0].id]

    WeekStore(db_path).update(SAMPLE_MONDAY, pulled)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(KeyWorkPane)
        titles = [str(pane.get_row_at(i)[0]) for i in range(pane.row_count)]
        assert titles[1] == "⇣ 银行虚户前期设计" and not titles[0].startswith("⇣")
        incidents = app.query_one(IncidentsPane)
        assert sum(str(incidents.get_row_at(i)[2]).startswith("⇣ ") for i in range(incidents.row_count)) == 1
        await pilot.press("1", "down", "enter")
        app.screen.query_one("#editor-title", Input).value = "银行虚户设计"
        await pilot.press("escape")
        await settle(pilot)
        assert str(pane.get_row_at(1)[0]) == "银行虚户设计"
        after = stored(db_path)
        assert after.drafts == [after.incidents[0].id], "the edited item only"


async def test_pulled_sections_and_list_entries_are_marked_in_the_notes_pane_until_edited(store, make_app, db_path):
    from weekly_zhoubao.store.models import ListEntry, Section
    from weekly_zhoubao.tui.panes import NotesPane

    def pulled(week) -> None:
        week.other.append(ListEntry(text="bob 的周会纪要（来自bob）"))
        week.sections.append(Section(key="risks", title="风险", body="供应商接口变更（来自bob）"))
        week.drafts = [week.other[-1].id, week.sections[-1].id]

    WeekStore(db_path).update(SAMPLE_MONDAY, pulled)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(NotesPane)

        def labels() -> list[str]:
            return [str(pane.get_row_at(i)[0]) for i in range(pane.row_count)]

        shown = labels()
        assert shown[0].startswith("⇣ ") and "⇣ 风险" in shown, shown
        assert not any(label.startswith("⇣") for label in shown[1:3]), "reflections and next week hold no draft"
        await pilot.press("5")
        for _ in range(shown.index("⇣ 风险")):
            await pilot.press("down")
        await pilot.press("enter", *" next")
        await pilot.press("escape")
        await settle(pilot)
        assert "风险" in labels() and labels()[0].startswith("⇣ "), "the section edited, the list entry not"
        assert stored(db_path).sections[-1].body.endswith("（来自bob） next")
        assert stored(db_path).drafts == [stored(db_path).other[-1].id]

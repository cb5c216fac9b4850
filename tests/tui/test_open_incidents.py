"""Issue 24 point 8: an open (未解决) incident is marked in its pane and in the preview; the
export keeps the template's wording (the mark is the screen's, not the report's)."""

from __future__ import annotations

from datetime import datetime

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident
from weekly_zhoubao.tui.panes import IncidentsPane

from tests.conftest import SAMPLE_MONDAY
from tests.tui.helpers import preview_lines
from tests.tui.helpers import settle


def add_incidents(db_path) -> None:
    def change(week) -> None:
        week.incidents = [Incident(at=datetime(2023, 10, 12, 9, 41), summary="支付回调延迟升高，排查中", status="open"),
                          Incident(at=datetime(2023, 10, 11, 8, 0), summary="对账文件晚到", status="resolved")]
    WeekStore(db_path).update(SAMPLE_MONDAY, change)


async def test_an_open_incident_is_marked_in_its_pane_and_the_preview_not_in_the_report(store, make_app, db_path):
    add_incidents(db_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(IncidentsPane)
        summaries = [str(pane.get_row_at(i)[2]) for i in range(pane.row_count)]
        assert summaries == ["未解决 支付回调延迟升高，排查中", "对账文件晚到"]
        lines = [line.strip() for line in preview_lines(app)]
        assert any(line.startswith("• 10/12 09:41 支付回调延迟升高，排查中") and line.endswith(" 未解决") for line in lines)
        assert any(line.endswith("对账文件晚到") for line in lines), "a resolved one is not marked"
        report = app.week_screen.report_text()
        assert "- 10/12 09:41 支付回调延迟升高，排查中\n" in report and "未解决" not in report


async def test_resolving_it_takes_the_mark_away(store, make_app, db_path):
    add_incidents(db_path)
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(IncidentsPane)
        assert str(pane.get_row_at(0)[2]).startswith("open ")
        week = app.week_screen.week
        still_open = next(i for i in week.incidents if i.status == "open")
        app.week_screen.edit(ops.edit_element(week.monday, still_open, {"status": "resolved"}))
        await settle(pilot)
        assert not any(str(pane.get_row_at(i)[2]).startswith("open ") for i in range(pane.row_count))
        assert not any(line.rstrip().endswith(" open") for line in preview_lines(app))

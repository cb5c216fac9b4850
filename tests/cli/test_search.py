"""Search (SPEC §3 `/`, §4 `weekly search`): every section of every week, Chinese without
word boundaries, Latin without case; words marked on a terminal only; `/` jumps to the item."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from weekly_zhoubao.exporters.reader import read_report
from weekly_zhoubao.store import models
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import (
    DailyNote, Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Section, Week,
)
from weekly_zhoubao.store.search import search
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.tui.app import create_app
from weekly_zhoubao.tui.cli import main
from tests.conftest import SAMPLE, SAMPLE_MONDAY
from tests.cli.helpers import run_in_pty, weekly
from tests.tui.helpers import settle

OLD = date(2022, 1, 3)  # a week in another year file


def week_everywhere(monday: date) -> Week:
    """A word (对账) in every section a week has."""
    return Week(
        monday=monday,
        key_work=[KeyWorkItem(title="银行对账改造", body="- 第一步\n- 每日对账任务上线")],
        metrics=[Metric(group="对账", name="对账成功率", value="99.9")],
        objectives=[Objective(code="O1", title="对账平台", items=[
            ObjectiveItem(text="上线", children=[ObjectiveItem(id="deepitem", text="自动对账 done")])])],
        incidents=[Incident(id="inc1", at=datetime.combine(monday, datetime.min.time()), summary="支付超时",
                            resolution="重新对账")],
        other=[ListEntry(text="对账周会")], reflections="对账要早做", next_week=[ListEntry(text="对账复盘")],
        sections=[Section(id="risk1", key="risks", title="风险", body="对账延迟")],
        daily_notes=[DailyNote(day=monday, text="Met ALICE about the reconciliation (对账)")],
    )


@pytest.fixture
def store(db_path):
    s = WeekStore(db_path)
    s.put_many([week_everywhere(OLD), read_report(SAMPLE.read_text(encoding="utf-8"), "sample")])
    return s


def test_every_section_of_every_week_is_searched_without_building_weeks(store, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("a week was validated")

    monkeypatch.setattr(models.Week, "model_validate", refuse)
    hits = list(search(store, ["对账"]))
    sections = {h.section for h in hits if h.monday == OLD}
    assert sections == {"key_work", "metrics", "objectives", "incidents", "other", "reflections", "next_week",
                        "risks", "daily"}
    assert {h.monday for h in hits} == {OLD, SAMPLE_MONDAY}  # the sample's 对账单, 对账文件: no word boundary
    assert [h.monday for h in hits] == sorted(h.monday for h in hits), "oldest week first"
    deep = next(h for h in hits if h.row == "deepitem")
    assert (deep.pane, deep.line, deep.spans) == ("objectives", "自动对账 done", ((2, 4),))


def test_latin_ignores_case_every_word_must_be_on_the_line_and_filters_narrow(store):
    hit, = search(store, ["alice", "RECONCILIATION"])
    assert (hit.section, hit.row, hit.line) == ("daily", f"daily:{OLD}", "Met ALICE about the reconciliation (对账)")
    assert hit.spans == ((4, 9), (20, 34))
    assert list(search(store, ["alice", "对账单"])) == []  # not on one line
    assert {h.monday for h in search(store, ["对账"], start=date(2023, 1, 1))} == {SAMPLE_MONDAY}
    assert {h.monday for h in search(store, ["对账"], end=date(2022, 1, 9))} == {OLD}
    assert [h.line for h in search(store, ["对账"], section="risks")] == ["对账延迟"]
    with pytest.raises(ValueError, match="nothing to search for"):
        list(search(store, ["  "]))


def test_the_command_prints_week_section_and_line_and_marks_words_only_on_a_terminal(store, db_path):
    piped = weekly("search", "对账", "--section", "reflections", db=db_path)
    assert piped.returncode == 0
    assert piped.stdout == "2022-01-07 第2周  收获与反思  对账要早做\n"
    on_terminal = run_in_pty(["search", "对账", "--section", "reflections", "--db", str(db_path)]).decode()
    assert "收获与反思  \x1b[1;7m对账\x1b[0m要早做" in on_terminal
    nothing = weekly("search", "没有这个词", db=db_path)
    assert (nothing.returncode, nothing.stdout) == (1, "")
    assert nothing.stderr == "没有找到“没有这个词”\n"


def test_json_and_bad_input(store, db_path, capsys):
    assert main(["search", "alice", "--format", "json", "--db", str(db_path)]) == 0
    assert json.loads(capsys.readouterr().out) == [{
        "week": "2022-01-03", "section": "daily", "heading": "日报合集", "item": "daily:2022-01-03",
        "line": "Met ALICE about the reconciliation (对账)", "spans": [[4, 9]]}]
    assert main(["search", "x", "--from", "2023-10-13", "--to", "2023-01-01", "--db", str(db_path)]) == 2
    assert "--from 2023-10-13 在 --to 2023-01-01 之后" in capsys.readouterr().err
    assert main(["search", " ", "--db", str(db_path)]) == 2
    assert "没有要找的词" in capsys.readouterr().err


async def test_slash_searches_and_enter_opens_the_week_on_the_item(store, db_path):
    app = create_app(db_path, Settings(), today=date(2023, 10, 13), start=date(2023, 10, 13),
                     now=lambda: datetime(2023, 10, 13, 15, 37), poll_seconds=0.2)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "search_screen" not in str(type(app.screen))
        await pilot.press("slash")
        await pilot.press(*"自动对账")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.id == "search"
        assert [h.row for h in app.screen.hits] == ["deepitem"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.week_screen
        assert app.week_screen.week.monday == OLD
        pane = app.week_screen.query_one("#pane-objectives")
        assert app.focused is pane and pane.selected() == "deepitem"
        # from the list: ↓ to the results, the second one, Enter; Esc closes and changes nothing
        await pilot.press("slash", *"对账", "down", "down", "enter")
        await settle(pilot)
        assert app.week_screen.week.monday == OLD
        assert app.week_screen.query_one("#pane-key_work").selected() == app.week_screen.week.key_work[0].id
        await pilot.press("slash", *"alice", "escape")
        await settle(pilot)
        assert app.screen is app.week_screen and app.focused.id == "pane-key_work"

"""The team screen, pushed directly on a bare app: members' items for the week, `p` pulls
the highlighted one into the lead's own week (asserted on the store and the screen)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from store.db import WeekStore
from store.team import repo
from tests.test_team import MONDAY, week_of
from tui.team_screen import TeamScreen


@pytest.fixture(autouse=True)
def no_git_identity(monkeypatch, tmp_path):
    (tmp_path / "home").mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def lead(tmp_path):
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    for name in ("alice", "bob"):
        team = repo.join(tmp_path / name / "weekly.json", str(bare), name)
        repo.publish(team, [week_of(name)])
    team = repo.join(tmp_path / "lead" / "weekly.json", str(bare), "lead")
    return WeekStore(tmp_path / "lead" / "weekly.json"), team


class Host(App):
    def __init__(self, screen: TeamScreen) -> None:
        super().__init__()
        self.team_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.team_screen)


async def test_the_team_screen_lists_members_items_and_pulls_the_chosen_one(lead):
    store, team = lead
    screen = TeamScreen.for_store(store, date(2023, 10, 13), "zh")
    app = Host(screen)
    app.animation_level = "none"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.row_count == 8  # 4 items each from alice and bob
        assert str(screen.query_one("#team-status", Static).render()) == "全员已发布"
        first = [str(c) for c in table.get_row_at(0)]
        assert first == ["alice", "重点工作", "alice 的重点"]
        await pilot.press("down", "p")  # alice's incident (key work, incidents, other, next week)
        await pilot.pause()
        week = store.get(MONDAY)
        assert [i.summary for i in week.incidents] == ["alice 的事件（来自alice）"]
        assert week.key_work == []
        await pilot.press("p")  # the same item again adds nothing
        await pilot.pause()
        assert len(store.get(MONDAY).incidents) == 1
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert table.row_count == 0
        assert str(screen.query_one("#team-status", Static).render()) == "未发布：alice, bob"
        await pilot.press("p")  # nothing to pull: a message, no change
        await pilot.pause()
        assert store.get(date(2023, 10, 16)) is None

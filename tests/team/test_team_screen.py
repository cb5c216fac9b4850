"""The team screen (issue #18). Pushed directly on a bare app: members' items for the week,
`p` hands the pull of the highlighted one to its callback. In the app: `m` opens it for the
week on screen, `p` pulls through the week screen's session (asserted on the store and the
screen), `ctrl+z` undoes the pull, and a store in no team gets the one line that says how."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from textual.widgets import DataTable, Static

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import ListEntry, Section, Week
from weekly_zhoubao.store.team import repo
from tests.team.helpers import MONDAY, week_of
from tests.tui.helpers import host_app, notices, settle, status, stored, table_texts, until
from weekly_zhoubao.tui.team_screen import TeamScreen

PULLED = "alice 的事件（来自alice）"


def published(tmp_path):
    """A team repository (a local bare one) where alice and bob published MONDAY's week."""
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    for name in ("alice", "bob"):
        team = repo.join(tmp_path / name / "weekly.json", str(bare), name)
        repo.publish(team, [week_of(name)])
    return bare


@pytest.fixture
def lead(tmp_path):
    return repo.join(tmp_path / "lead" / "weekly.json", str(published(tmp_path)), "lead")


async def test_the_team_screen_lists_members_items_and_hands_the_chosen_one_to_pull(lead):
    weeks: dict[date, Week] = {}

    def pull(monday, change) -> bool:  # stands for the week screen's session
        change(weeks.setdefault(monday, Week(monday=monday)))
        return True

    screen = TeamScreen.for_store(lead.folder.with_name("weekly.json"), date(2023, 10, 13), pull, "zh")
    app = host_app(screen)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.row_count == 8  # 4 items each from alice and bob
        assert str(screen.query_one("#team-status", Static).render()) == "全员已发布"
        first = [str(c) for c in table.get_row_at(0)]
        assert first == ["alice", "重点工作", "alice 的重点"]
        await pilot.press("down", "p")  # alice's incident (key work, incidents, other, next week)
        await pilot.pause()
        assert [i.summary for i in weeks[MONDAY].incidents] == [PULLED]
        assert weeks[MONDAY].key_work == []
        assert notices(app) and notices(app)[-1] == f"已加入本周：{table.get_row_at(1)[2]}"
        await pilot.press("p")  # the same item again adds nothing
        await pilot.pause()
        assert len(weeks[MONDAY].incidents) == 1
        assert notices(app)[-1] == "本周已有这一项"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert table.row_count == 0
        assert str(screen.query_one("#team-status", Static).render()) == "未发布：alice, bob"
        await pilot.press("p")  # nothing to pull: a message, no change
        await pilot.pause()
        assert date(2023, 10, 16) not in weeks
        assert notices(app)[-1] == "没有可拉取的条目"


async def test_a_members_own_section_is_listed_under_its_heading_and_pulled_as_a_section(tmp_path):
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    bob = repo.join(tmp_path / "bob" / "weekly.json", str(bare), "bob")
    repo.publish(bob, [Week(monday=MONDAY, template="weeknotes", sections=[
        Section(key="risks", title="Blockers", form="list", body="\n- waiting on the DBA\n- and on infra"),
        Section(key="empty", title="Nothing yet")])])
    lead = repo.join(tmp_path / "lead" / "weekly.json", str(bare), "lead")
    weeks: dict[date, Week] = {}

    def pull(monday, change) -> bool:
        change(weeks.setdefault(monday, Week(monday=monday)))
        return True

    screen = TeamScreen.for_store(lead.folder.with_name("weekly.json"), MONDAY, pull, "en")
    app = host_app(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.row_count == 1  # an empty section has nothing to show or pull
        assert [str(c) for c in table.get_row_at(0)] == ["bob", "Blockers", "- waiting on the DBA"]
        await pilot.press("p")
        await pilot.pause()
    assert [(s.title, s.body) for s in weeks[MONDAY].sections] == [
        ("Blockers", "- waiting on the DBA (from bob)\n- and on infra")]


# --- in the app: the week screen's `m` -----------------------------------------------------------

@pytest.fixture
def lead_store(store, db_path, tmp_path):
    """The sample's week in the lead's store, the lead in the team."""
    repo.join(db_path, str(published(tmp_path)), "lead")
    return store


async def saved(pilot) -> None:
    """The session's worker (a thread of its own) has written what is queued, and the screen took it in."""
    assert pilot.app.week_screen.session.flush(timeout=30) is None
    await settle(pilot)


def incident_rows(app) -> list[str]:
    return table_texts(app.week_screen, "#pane-incidents")


async def test_m_opens_the_team_screen_and_p_pulls_through_the_session_then_ctrl_z_undoes_it(
        lead_store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert len(stored(db_path).incidents) == 4
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen.monday == MONDAY  # the week on screen
        assert screen.query_one(DataTable).row_count == 8
        # another writer adds to the week meanwhile: the pull must keep it
        WeekStore(db_path).update(MONDAY, lambda w: w.other.append(ListEntry(text="另一处写入")), "O3")
        await pilot.press("down", "p")  # alice's incident
        await saved(pilot)
        week = stored(db_path)
        assert [i.summary for i in week.incidents].count(PULLED) == 1 and len(week.incidents) == 5
        assert "另一处写入" in [e.text for e in week.other]
        assert app.week_screen.session.unsaved == 0
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.week_screen)
        await settle(pilot)
        assert any(PULLED in row for row in incident_rows(app))  # drawn once the week screen is on top again
        await pilot.press("ctrl+z")  # the pull was one step of the session's undo
        await saved(pilot)
        week = stored(db_path)
        assert PULLED not in [i.summary for i in week.incidents] and len(week.incidents) == 4
        assert "另一处写入" in [e.text for e in week.other]
        assert not any(PULLED in row for row in incident_rows(app))
        assert "已撤销" in status(app)


async def test_a_pull_into_another_week_than_the_one_on_screen_lands_there_and_undoes(
        lead_store, make_app, db_path):
    nxt = date(2023, 10, 16)
    app = make_app(start=nxt)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TeamScreen) and screen.monday == nxt
        session = app.week_screen.session
        await pilot.press("left_square_bracket", "down", "down", "down", "p")  # MONDAY: alice's next-week entry
        await until(pilot, lambda: session.undo_stack)  # the pull is one step of the session's
        await saved(pilot)
        assert "alice 的下周（来自alice）" in [e.text for e in stored(db_path).next_week]
        assert stored(db_path, nxt) is None  # the week on screen is untouched
        assert app.week_screen.week.monday == nxt  # the screen stays on its week
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.week_screen)  # ctrl+z is the week screen's
        await pilot.press("ctrl+z")
        await until(pilot, lambda: session.redo_stack)  # the undo is queued
        await saved(pilot)
        assert "alice 的下周（来自alice）" not in [e.text for e in stored(db_path).next_week]


async def test_m_without_a_team_says_how_to_join_and_opens_nothing(store, make_app, db_path):
    for lang, line in (("zh", "尚未加入团队：运行 `weekly team join URL --as NAME`"),
                       ("en", "not in a team yet: run `weekly team join URL --as NAME`")):
        app = make_app(lang=lang)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await pilot.pause()
            assert app.screen is app.week_screen
            assert notices(app) == [line]


async def test_the_team_key_is_listed_in_the_keys_and_the_palette(store, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        rows = {(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)}
        assert ("m", "Team's weeks") in rows
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"team")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen is app.week_screen  # no team: the palette ran the same action, which says so
        assert notices(app) == ["not in a team yet: run `weekly team join URL --as NAME`"]

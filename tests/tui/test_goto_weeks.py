"""Go-to (`g`) takes a week as people name one, and overdue is judged against the report day
of the week on screen (a 2023 week is not red all over when opened in 2026)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from textual.widgets import Input, Static

from weekly_zhoubao.store import dates, inputs
from weekly_zhoubao.store.models import ObjectiveItem, Week
from weekly_zhoubao.store.carry import is_overdue, overdue_day
from weekly_zhoubao.store.export_check import pre_export_check
from weekly_zhoubao.tui.panes import ObjectivesPane

TODAY = date(2026, 11, 27)
ANCHOR = date(2023, 10, 13)  # the week on screen: 第42周 2023/10/13
MONDAY = date(2023, 10, 9)


@pytest.mark.parametrize("typed", ["10/13", "10-13", "第42周", "2023-W41", "2023-10-13",
                                   "2023年第42周", "week 42", "W42", " 第 42 周 ", "2023-w41-5"])
def test_every_way_to_name_the_week(typed):
    day = dates.parse_week_day(typed, TODAY, ANCHOR)
    assert day - timedelta(days=day.weekday()) == MONDAY


def test_numbered_weeks_follow_the_numbering_setting():
    assert dates.parse_week_day("第41周", TODAY, ANCHOR, numbering="iso") == MONDAY
    assert dates.parse_week_day("第1周", TODAY, ANCHOR) == date(2022, 12, 26), "jan1: the week holding 1 January"
    assert dates.parse_week_day("2023-W01", TODAY, ANCHOR) == date(2023, 1, 2), "ISO notation is ISO weeks"


@pytest.mark.parametrize("typed", ["第54周", "第0周", "2023-W53", "2023-W00", "someday", "13/45"])
def test_weeks_that_do_not_exist(typed):
    with pytest.raises(inputs.InputError):
        dates.parse_week_day(typed, TODAY, ANCHOR)


def test_overdue_day_is_the_report_day_or_today():
    week = Week(monday=MONDAY)
    assert overdue_day(week, TODAY, 4) == date(2023, 10, 13), "an old week: its report day"
    assert overdue_day(week, date(2023, 10, 11), 4) == date(2023, 10, 11), "this week, before Friday: today"
    later = ObjectiveItem(text="预计10/26上线", due=date(2023, 10, 26), status="planned")
    late = ObjectiveItem(text="10/10上线", due=date(2023, 10, 10), status="planned")
    day = overdue_day(week, TODAY, 4)
    assert not is_overdue(later, day) and is_overdue(late, day)


def app_on(make_app, start=date(2023, 8, 1)):
    """The app on the demo's weeks (week 42 of 2023 among them) at TODAY's midnight, years later."""
    return make_app(start=start, now=datetime.combine(TODAY, datetime.min.time()))


@pytest.mark.parametrize("typed", ["10/13", "10-13", "第42周", "2023-W41", "2023-10-13"])
async def test_g_opens_the_week_named(demo_store, make_app, typed):
    app = app_on(make_app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        field = app.screen.query_one("#field-day", Input)
        field.value = ""
        await pilot.press(*typed)
        await pilot.pause()
        said = str(app.screen.query_one("#form-understood", Static).render())
        assert "第42周 2023/10/13" in said, said
        await pilot.press("enter")
        await pilot.pause()
        assert app.week_screen.week.monday == MONDAY


async def test_an_old_week_is_judged_on_its_report_day(demo_store, make_app):
    app = app_on(make_app, start=ANCHOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.week_screen
        assert screen.overdue_day == date(2023, 10, 13)
        pane = app.screen.query_one(ObjectivesPane)
        items = [item for objective in screen.week.objectives for item in objective.walk() if item.due]
        red = [item.due for item in items if "red" in str(pane.item_label(item, None, screen.overdue_day).spans)]
        assert all(due < date(2023, 10, 13) for due in red), red
        open_later = [item for item in items if item.due > date(2023, 10, 13) and item.status != "done"]
        assert open_later, "the demo week holds open items due after its report day (10/26, 11/21)"
        assert all(is_overdue(item, TODAY) for item in open_later), "judged against today, they would be red"
        problems = pre_export_check(screen.week, screen.overdue_day, None, screen.session.derived, "en")
        assert not any("10/26" in line for line in problems)

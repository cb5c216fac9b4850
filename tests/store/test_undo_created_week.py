"""An undo removes a week it created (issue 23 point 6): undoing an incident logged into a
week not written yet leaves no empty week behind, so the review's coverage does not count
it; a week another writer (a real `weekly incident` process) wrote in since stays."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from weekly_zhoubao.store import ops, review
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident, Metric, Objective, ObjectiveItem, Week
from weekly_zhoubao.store.session import Session

from tests.store.helpers import saved, weekly  # the session tests' second writer and wait

MONDAY = date(2023, 10, 9)  # written
NEXT = date(2023, 10, 16)  # not written: the incident's week
FRIDAY_9AM = datetime(2023, 10, 13, 9, 0)


@pytest.fixture
def session(db_path):
    # last week holds objectives: the new week starts as a carry-over proposal, not empty
    WeekStore(db_path).put(Week(monday=MONDAY, metrics=[Metric(group="支付", name="成功率", value="99.9")],
                                objectives=[Objective(code="O1", items=[ObjectiveItem(name="收银台", progress=50)])]))
    s = Session(WeekStore(db_path), clock=lambda: FRIDAY_9AM, start=MONDAY)
    yield s
    s.close()


def log_next_week(session: Session) -> Incident:
    incident = Incident(at=datetime(2023, 10, 17, 10, 0), summary="下周的事件", grade="D")
    assert session.apply(ops.add_incident(incident))
    saved(session)
    return incident


def test_undo_of_an_incident_logged_into_a_new_week_removes_that_week(session, db_path):
    log_next_week(session)
    assert WeekStore(db_path).mondays() == [MONDAY, NEXT]
    assert session.undo()
    saved(session)
    assert WeekStore(db_path).mondays() == [MONDAY]  # not left behind, empty
    q4 = review.build_review(WeekStore(db_path), review.quarter("2023Q4"))
    assert q4.written == [MONDAY]
    assert session.redo()  # and back
    saved(session)
    assert [i.summary for i in WeekStore(db_path).get(NEXT).incidents] == ["下周的事件"]


def test_undo_keeps_a_new_week_another_writer_put_something_in(session, db_path):
    log_next_week(session)
    shell = weekly(db_path, "incident", "shell 写的", "--at", "2023-10-18 11:00", "--grade", "C")
    assert shell.returncode == 0, shell.stderr
    assert session.undo()
    saved(session)
    kept = WeekStore(db_path).get(NEXT)
    assert kept is not None and [i.summary for i in kept.incidents] == ["shell 写的"]


def test_undo_on_the_week_shown_brings_back_the_proposal(db_path):
    WeekStore(db_path).put(Week(monday=MONDAY, objectives=[Objective(code="O1", items=[ObjectiveItem(name="收银台")])]))
    s = Session(WeekStore(db_path), clock=lambda: FRIDAY_9AM, start=NEXT)
    try:
        assert s.week.carried_from == MONDAY  # a proposal on screen
        assert s.apply(ops.add_incident(Incident(at=datetime(2023, 10, 17, 10, 0), summary="x")))
        saved(s)
        assert WeekStore(db_path).is_stored(NEXT)
        assert s.undo()
        saved(s)
        assert not WeekStore(db_path).is_stored(NEXT)
        assert s.week.incidents == [] and [i.name for i in s.week.objectives[0].items] == ["收银台"]
    finally:
        s.close()


def test_undo_of_an_edit_in_a_week_that_was_written_deletes_nothing(session, db_path):
    incident = Incident(at=datetime(2023, 10, 10, 10, 0), summary="本周的")
    assert session.apply(ops.add_incident(incident))
    saved(session)
    assert session.undo()
    saved(session)
    week = WeekStore(db_path).get(MONDAY)
    assert week is not None and week.incidents == [] and week.metrics[0].value == "99.9"


def test_undo_of_an_incident_moved_into_a_new_week_removes_that_week(session, db_path):
    incident = Incident(at=datetime(2023, 10, 10, 10, 0), summary="改了时间")
    assert session.apply(ops.add_incident(incident))
    saved(session)
    assert session.apply(ops.edit_element(MONDAY, incident, {"at": datetime(2023, 10, 18, 9, 0)}))
    saved(session)
    assert [i.summary for i in WeekStore(db_path).get(NEXT).incidents] == ["改了时间"]
    assert session.undo()
    saved(session)
    assert not WeekStore(db_path).is_stored(NEXT)
    assert [i.summary for i in WeekStore(db_path).get(MONDAY).incidents] == ["改了时间"]

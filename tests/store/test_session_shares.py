"""An editor's save in a big week copies only the field it changes: the week shown after it
holds the very same objects for every other field (so the screen redraws only what the
edit touched), before the save and after it is written; what is stored is the edit."""

from __future__ import annotations

from datetime import date, datetime

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import DailyNote, Incident, KeyWorkItem, Week
from weekly_zhoubao.store.session import Session

MONDAY = date(2023, 10, 9)


def make_session(db_path) -> Session:
    WeekStore(db_path).put(Week(
        monday=MONDAY, key_work=[KeyWorkItem(title="重构", body="设计")],
        incidents=[Incident(at=datetime(2023, 10, 10, 9, 0), summary="支付超时", grade="C")],
        daily_notes=[DailyNote(day=MONDAY, text="晨会")]))
    return Session(WeekStore(db_path), clock=lambda: datetime(2023, 10, 13, 9, 0), start=MONDAY)


def test_a_text_save_shares_the_fields_it_leaves_alone(db_path):
    session = make_session(db_path)
    try:
        before = session.week
        target = ("note", MONDAY)
        assert session.apply(ops.SetText(MONDAY, target, "晨会", "晨会，评审"))
        shown = session.week
        assert shown.incidents is before.incidents and shown.key_work is before.key_work
        assert shown.daily_notes is not before.daily_notes
        assert before.daily_notes[0].text == "晨会"  # the week shown before is not changed in place

        assert session.flush() is None
        session.collect()
        after = session.week
        assert after.incidents is before.incidents and after.key_work is before.key_work
        assert after.daily_notes[0].text == "晨会，评审"
        assert WeekStore(db_path).get(MONDAY).daily_notes[0].text == "晨会，评审"
    finally:
        session.close()


def test_an_op_on_any_field_still_copies_the_whole_week(db_path):
    session = make_session(db_path)
    try:
        before = session.week
        incident = Incident(at=datetime(2023, 10, 11, 9, 0), summary="对账延迟", grade="D")
        assert session.apply(ops.add_incident(incident))
        shown = session.week
        assert len(shown.incidents) == 2 and len(before.incidents) == 1
        assert shown.key_work is not before.key_work  # copied whole: the op may change anything
        assert session.flush() is None
        session.collect()
        assert [i.summary for i in WeekStore(db_path).get(MONDAY).incidents] == ["支付超时", "对账延迟"]
        assert session.week.key_work is shown.key_work  # equal after the save: shared again
    finally:
        session.close()


def test_undoing_a_text_save_copies_only_that_text(db_path):
    session = make_session(db_path)
    try:
        target = ("note", MONDAY)
        assert session.apply(ops.SetText(MONDAY, target, "晨会", "晨会，评审"))
        assert session.flush() is None
        session.collect()
        before = session.week
        assert session.undo()
        assert session.flush() is None
        session.collect()
        assert session.week.daily_notes[0].text == "晨会"
        assert session.week.incidents is before.incidents and session.week.key_work is before.key_work
        assert WeekStore(db_path).get(MONDAY).daily_notes[0].text == "晨会"
    finally:
        session.close()

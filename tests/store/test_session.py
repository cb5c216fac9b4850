"""The session engine against a real second writer (issue #13): every loss the issue lists,
replayed with `weekly note|metric|incident` running in another process, and every write
that returned is checked to be there afterwards. No terminal."""

from __future__ import annotations

import json
import importlib
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from weekly_zhoubao.store import dates, inputs, ops
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.merge3 import merge3
from weekly_zhoubao.store.models import DailyNote, Incident, KeyWorkItem, Metric, Objective, ObjectiveItem, Week
from weekly_zhoubao.store.session import Session
from tests.conftest import ROOT
from tests.store.helpers import ENV, saved, weekly

MONDAY = date(2023, 10, 9)  # week 42 of 2023
THURSDAY = date(2023, 10, 12)
FRIDAY_9AM = datetime(2023, 10, 13, 9, 0)


class Shell:
    """The second writer: a process that runs `weekly …` (tui.cli.main, as `python -m
    tui.cli` does) each time it is asked, and answers only once the command returned.
    One process for the module's many commands: the interleaving is exact and the suite
    stays fast."""

    DRIVER = (
        "import contextlib, io, json, sys\n"
        "from weekly_zhoubao.tui.cli import main\n"
        "for line in sys.stdin:\n"
        "    out, err = io.StringIO(), io.StringIO()\n"
        "    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        "        code = main(json.loads(line))\n"
        "    print(json.dumps([code, out.getvalue(), err.getvalue()]), flush=True)\n"
    )

    def __init__(self, home: Path) -> None:
        env = {**ENV, "HOME": str(home), "WEEKLY_CONFIG": str(home / "no-config.toml"),
               "WEEKLY_DB": str(home / "not-this-one.json")}
        self.proc = subprocess.Popen([sys.executable, "-c", self.DRIVER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.db: Path | None = None

    def __call__(self, *args: str) -> str:
        self.proc.stdin.write(json.dumps([*args, "--db", str(self.db)]) + "\n")
        self.proc.stdin.flush()
        code, out, err = json.loads(self.proc.stdout.readline())
        assert code == 0, err
        return out

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def shell_process(tmp_path_factory):
    writer = Shell(tmp_path_factory.mktemp("shell-home"))
    yield writer
    writer.close()


@pytest.fixture
def shell(shell_process, db_path):
    shell_process.db = db_path  # each test's own store
    return shell_process


@pytest.fixture
def session(db_path):
    WeekStore(db_path).put(Week(monday=MONDAY, metrics=[Metric(group="支付", name="成功率", value="99.9")]))
    s = Session(WeekStore(db_path), clock=lambda: FRIDAY_9AM, start=MONDAY)
    yield s
    s.close()


def stored(db_path: Path, monday: date = MONDAY) -> Week:
    return WeekStore(db_path).get(monday)


# --- the daily-note editor and `weekly note` -------------------------------------------------------

def test_note_editor_keeps_every_shell_note_and_shows_it(session, shell, db_path):
    draft = session.draft(("note", THURSDAY))
    typed = draft.sent
    for n in range(30):
        typed += f"{' ' if typed else ''}typed{n}"  # a keystroke, saved...
        assert draft.save(typed)
        saved(session)
        shell("note", f"shell {n}", "--date", "2023-10-12")  # ...a shell note, confirmed...
        typed += "."  # ...and the next keystroke, its editor text not yet caught up
        assert draft.save(typed)
        saved(session)
        text = stored(db_path).note_for(THURSDAY).text
        assert all(f"shell {k}" in text for k in range(n + 1)), f"iteration {n}: a confirmed note was lost"
        assert f"typed{n}." in text
        caught = draft.catch_up(typed)  # the editor takes in what the shell wrote
        assert caught is not None and f"shell {n}" in caught
        typed = caught
    assert typed == stored(db_path).note_for(THURSDAY).text == session.week.note_for(THURSDAY).text
    assert "<<<<<<<" not in typed
    session.undo()  # the whole editor session, one step: what was typed goes, the shell's notes stay
    events = saved(session)
    assert [e.code for e in events] == ["undone"]
    assert stored(db_path).note_for(THURSDAY).text == "\n\n".join(f"shell {n}" for n in range(30))


def test_a_shell_note_reaches_an_idle_editor_on_the_next_poll(session, shell):
    draft = session.draft(("note", THURSDAY))
    assert draft.save("mine")
    saved(session)
    shell("note", "from the shell", "--date", "2023-10-12")
    assert session.refresh()
    assert draft.catch_up("mine, typing") == "mine, typing\n\nfrom the shell"


def test_text_changed_at_the_same_place_keeps_both_and_says_so(session, shell):
    session.apply(ops.SetText(MONDAY, ("reflections", None), "", "line one\nline two"))
    saved(session)
    draft = session.draft(("reflections", None))
    shell_week = WeekStore(session.store.path)
    shell_week.update(MONDAY, lambda w: setattr(w, "reflections", "line one\nTHEIR two"))
    assert draft.save("line one\nMY two")
    events = saved(session)
    text = session.week.reflections
    assert "THEIR two" in text and "MY two" in text and "<<<<<<<" in text
    assert [e.code for e in events] == ["conflict"] and "both versions" in events[0].text("en")


# --- undo --------------------------------------------------------------------------------------

def test_undo_after_a_shell_write_keeps_the_shell_write(session, shell, db_path):
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="mine")))
    saved(session)
    shell("note", "within a second", "--date", "2023-10-12")
    shell("incident", "支付超时", "--at", "2023-10-10 15:37", "--grade", "C")
    assert session.undo()
    events = saved(session)
    week = stored(db_path)
    assert week.key_work == [], "the edit is undone"
    assert week.note_for(THURSDAY).text == "within a second"
    assert [i.summary for i in week.incidents] == ["支付超时"]
    assert [e.code for e in events] == ["undone"]
    assert session.week.model_dump() == week.model_dump()


def test_undo_leaves_a_field_changed_elsewhere_since_and_says_so(session, shell, db_path):
    metric = session.week.metrics[0]
    session.apply(ops.edit_element(MONDAY, metric, {"value": "99.95"}))
    saved(session)
    shell("metric", "成功率", "99.5", "--date", "2023-10-10")  # a reading after ours
    session.undo()
    events = saved(session)
    assert stored(db_path).metrics[0].value == "99.5"
    assert [e.code for e in events] == ["undo_kept", "undone"]


def test_undo_reverts_the_edit_made_in_another_week_not_the_one_on_screen(session, shell, db_path):
    objective = Objective(code="O1", title="服务业务")
    session.apply(ops.add_item(MONDAY, objective))
    session.apply(ops.add_item(MONDAY, ObjectiveItem(name="开户", text="进度50%"), parent_id=objective.id))
    # an incident dated in the week before, logged while week 42 is on screen
    incident = inputs.new_incident({"summary": "上周的事件", "when": "10/3 08:00"}, session.now(),
                                   anchor=session.week.monday)
    assert incident.at == datetime(2023, 10, 3, 8, 0)
    session.apply(ops.add_incident(incident))
    events = saved(session)
    assert [e.code for e in events] == ["other_week"]
    shell("incident", "别处记录", "--at", "2023-10-04 10:00")
    session.undo()
    events = saved(session)
    assert [e.code for e in events] == ["undone"] and events[0].mondays == (date(2023, 10, 2),)
    assert [i.summary for i in stored(db_path, date(2023, 10, 2)).incidents] == ["别处记录"]
    week = stored(db_path)
    assert [i.name for i in week.objectives[0].items] == ["开户"], "the edit on screen is not undone"
    session.undo()
    saved(session)
    assert stored(db_path).objectives[0].items == []
    session.redo()
    saved(session)
    assert [i.name for i in stored(db_path).objectives[0].items] == ["开户"]


def test_an_editor_session_is_one_undo_step(session, shell, db_path):
    draft = session.draft(("note", THURSDAY))
    for typed in ("a", "ab", "abc"):
        draft.save(typed)
    saved(session)
    shell("note", "shell", "--date", "2023-10-12")
    assert len(session.undo_stack) == 1
    assert len(session.undo_stack[0].inverses) == 1, "keystrokes with nothing between them revert as one"
    session.undo()
    saved(session)
    assert stored(db_path).note_for(THURSDAY).text == "shell"


# --- forms write only the fields the user changed ---------------------------------------------------

def test_metric_form_changing_the_target_keeps_a_shell_reading(session, shell, db_path):
    shown = session.week.metrics[0]  # the form opens on 99.9
    shell("metric", "成功率", "99.5", "--date", "2023-10-11")  # the cron job's reading lands
    values = inputs.metric_fields({"name": "成功率", "group": "支付", "value": "99.9", "target": "99.95",
                                   "better": "y", "kind": "percent", "unit": ""}, shown)
    op = ops.edit_element(MONDAY, shown, values)
    assert op.changes == {"target": (None, 99.95)}, "only what the user changed"
    session.apply(op)
    assert saved(session) == []
    metric = stored(db_path).metrics[0]
    assert (metric.value, metric.target) == ("99.5", 99.95)


def test_a_field_both_changed_keeps_the_other_writers_value_and_says_so(session, shell, db_path):
    shown = session.week.metrics[0]
    shell("metric", "成功率", "99.5", "--date", "2023-10-11")
    session.apply(ops.edit_element(MONDAY, shown, {"value": "99.7"}))
    events = saved(session)
    assert stored(db_path).metrics[0].value == "99.5", "the confirmed shell write stays"
    assert [e.code for e in events] == ["kept_theirs"]
    assert "99.5" in events[0].text("en") and "99.7" in events[0].text("en")


# --- moves between weeks --------------------------------------------------------------------------

def _incident_on_screen(session: Session, summary: str = "移动我") -> Incident:
    incident = Incident(at=datetime(2023, 10, 10, 9, 0), summary=summary)
    session.apply(ops.add_incident(incident))
    saved(session)
    return incident


def test_a_move_into_a_damaged_year_loses_nothing_and_stays_unsaved(session, shell, db_path):
    session.open(date(2023, 12, 27))
    incident = Incident(at=datetime(2023, 12, 27, 9, 0), summary="跨年")
    session.apply(ops.add_incident(incident))
    saved(session)
    shell("incident", "shell 写的", "--at", "2023-12-28 10:00")
    next_year = db_path.with_name("weekly.2024.json")
    next_year.write_text("{ damaged")
    values = inputs.incident_fields({"summary": "跨年", "when": "2024-01-02 09:00"}, session.now(), old=incident)
    op = ops.edit_element(date(2023, 12, 25), incident, values)
    assert isinstance(op, ops.MoveIncident)
    assert session.apply(op)
    assert session.flush() is not None and session.unsaved == 1, "quitting now must say so (exit non-zero)"
    events = session.collect()
    assert [e.code for e in events] == ["save_failed"] and "damaged" in events[0].text("en")
    week = stored(db_path, date(2023, 12, 25))
    assert sorted(i.summary for i in week.incidents) == ["shell 写的", "跨年"], "nothing lost"
    assert next_year.read_text() == "{ damaged", "a damaged file is never written over"
    next_year.unlink()  # the user restores the file; the move goes through
    session.retry()
    saved(session)
    assert session.unsaved == 0
    assert [i.summary for i in stored(db_path, date(2023, 12, 25)).incidents] == ["shell 写的"]
    assert [i.summary for i in stored(db_path, date(2024, 1, 1)).incidents] == ["跨年"]


def test_a_failed_second_write_puts_the_first_back(session, shell, db_path, monkeypatch):
    from weekly_zhoubao.store import storage as db_module  # the year files' storage writes them
    from weekly_zhoubao.store.errors import StoreError

    incident = _incident_on_screen(session)
    shell("incident", "shell 写的", "--at", "2023-10-11 10:00")
    real = db_module.atomic_write

    def fail_the_source(path, payload):  # the destination (2024) is written; the source (2023) fails
        if path.name == "weekly.2023.json":
            raise StoreError("could not save weekly.2023.json: the disk is full; nothing was changed")
        real(path, payload)

    monkeypatch.setattr(db_module, "atomic_write", fail_the_source)
    op = ops.edit_element(MONDAY, incident, {"at": datetime(2024, 1, 3, 9, 0)})
    session.apply(op)
    assert session.flush() is not None and session.unsaved == 1
    monkeypatch.setattr(db_module, "atomic_write", real)
    fresh = WeekStore(db_path)
    assert sorted(i.summary for i in fresh.get(MONDAY).incidents) == ["shell 写的", "移动我"]
    assert fresh.get(date(2024, 1, 1)) is None or fresh.get(date(2024, 1, 1)).incidents == [], "put back"
    assert not fresh.journal_path.exists()
    assert session.discard_unsaved() == 1
    assert session.week.model_dump() == fresh.get(MONDAY).model_dump(), "the screen shows the file"


CRASH_BETWEEN = r"""
import os, sys
from datetime import date, datetime
from weekly_zhoubao.store import db, ops
store = db.WeekStore(sys.argv[1])
puts = []
real = store._put
def put(week):
    real(week)
    puts.append(week.monday)
    if len(puts) == 1:
        os._exit(9)  # killed between the two writes of the move
store._put = put
op = ops.MoveIncident(date(2023, 10, 9), sys.argv[2], {"at": (datetime(2023, 10, 10, 9, 0), datetime(2023, 10, 17, 9, 0))})
store.update_weeks(list(op.mondays), op.apply)
"""


def test_a_crash_between_the_two_writes_of_a_move_is_resolved_at_the_next_open(session, db_path):
    incident = _incident_on_screen(session)
    session.close()
    crashed = subprocess.run([sys.executable, "-c", CRASH_BETWEEN, str(db_path), incident.id], env=ENV, cwd=ROOT)
    assert crashed.returncode == 9
    reopened = WeekStore(db_path)
    assert [i.summary for i in reopened.get(date(2023, 10, 16)).incidents] == ["移动我"], "the destination kept"
    assert reopened.get(MONDAY).incidents == [], "the copy left in the source is dropped"
    assert not reopened.journal_path.exists()


def test_a_move_cut_short_beside_a_damaged_file_still_opens_and_finishes_later(session, db_path):
    incident = _incident_on_screen(session)
    session.close()
    crashed = subprocess.run([sys.executable, "-c", CRASH_BETWEEN, str(db_path), incident.id], env=ENV, cwd=ROOT)
    assert crashed.returncode == 9
    year = db_path.with_name("weekly.2023.json")
    good = year.read_bytes()
    year.write_text("{ damaged")
    store = WeekStore(db_path)  # opens: the damaged file is refused where it is read, not here
    assert store.journal_path.exists(), "the copy waits"
    year.write_bytes(good)  # the user restores the file
    reopened = WeekStore(db_path)
    assert [i.summary for i in reopened.get(date(2023, 10, 16)).incidents] == ["移动我"]
    assert reopened.get(MONDAY).incidents == [] and not reopened.journal_path.exists()


# --- the save queue --------------------------------------------------------------------------------

def test_two_quick_moves_are_each_saved_once(session, shell, db_path):
    for name in ("a", "b", "c", "d"):
        session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title=name)))
    saved(session)
    first = session.week.key_work[0].id
    session.apply(ops.MoveElement(MONDAY, first, 1))  # two quick keys, while the shell writes
    shell("note", "meanwhile", "--date", "2023-10-12")
    session.apply(ops.MoveElement(MONDAY, first, 1))
    assert [k.title for k in session.week.key_work] == ["b", "c", "a", "d"], "shown at once"
    saved(session)
    week = stored(db_path)
    assert [k.title for k in week.key_work] == ["b", "c", "a", "d"]
    assert week.note_for(THURSDAY).text == "meanwhile"
    assert not session.saving and session.unsaved == 0


def test_a_week_that_cannot_be_written_leaves_the_session_and_the_cache_equal_to_the_file(session, db_path,
                                                                                        monkeypatch):
    import orjson

    from weekly_zhoubao.store import db as db_module

    def unwritable(data, *a, **kw):
        raise orjson.JSONEncodeError("Recursion limit reached")  # orjson, of a week nested too deep

    real_dumps = orjson.dumps
    monkeypatch.setattr(db_module.orjson, "dumps", unwritable)
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="never saved")))
    assert [k.title for k in session.week.key_work] == ["never saved"], "shown at once"
    assert session.flush() is None, "it can never be written: dropped, not retried for good"
    events = session.collect()
    monkeypatch.setattr(db_module.orjson, "dumps", real_dumps)
    assert [e.code for e in events] == ["refused"] and "Recursion limit" in events[0].text("en")
    assert session.store.get(MONDAY).key_work == [], "no half-applied change in the store's cache"
    assert session.week.model_dump() == session.stored.model_dump() == stored(db_path).model_dump()
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="the next edit saves")))
    saved(session)
    assert [k.title for k in stored(db_path).key_work] == ["the next edit saves"]


def test_a_refused_edit_changes_nothing_and_says_why(session):
    metric = session.week.metrics[0]
    result = session.apply(ops.SetFields(MONDAY, metric.id, {"name": (metric.name, "")}))
    assert not result and "empty" in result.error
    assert session.unsaved == 0 and session.week.metrics[0].name == "成功率"


# --- the clock ---------------------------------------------------------------------------------------

def test_today_rolls_over_at_midnight(db_path, shell):
    now = [datetime(2023, 10, 15, 23, 59)]  # Sunday night
    session = Session(WeekStore(db_path), clock=lambda: now[0])
    try:
        assert session.today == date(2023, 10, 15) and session.week.monday == MONDAY
        assert not session.tick()
        now[0] = datetime(2023, 10, 16, 0, 1)
        assert session.today == date(2023, 10, 16)
        assert session.tick() and not session.tick()
        shell("note", "Monday's", "--date", "2023-10-16")
        session.open(session.today)  # `t`: this week is the new one
        assert session.week.monday == date(2023, 10, 16)
        assert session.week.note_for(date(2023, 10, 16)).text == "Monday's"
        assert session.now() == datetime(2023, 10, 16, 0, 1)
    finally:
        session.close()


# --- dates without a year ------------------------------------------------------------------------------

def test_yearless_dates_are_nearest_the_week_on_screen_in_the_tui(session, db_path):
    incident = inputs.new_incident({"summary": "x", "when": "10/9 15:37"}, datetime(2026, 11, 27, 9, 0),
                                   anchor=session.week.monday + timedelta(days=3))
    assert incident.at == datetime(2023, 10, 9, 15, 37)
    session.apply(ops.add_incident(incident))
    saved(session)
    assert WeekStore(db_path).years() == [2023], "no week was created in 2026"
    assert dates.parse_day("1/2", date(2026, 11, 27), anchor=date(2023, 12, 28)) == date(2024, 1, 2)
    assert dates.parse_day("12/30", date(2026, 11, 27), anchor=date(2024, 1, 2)) == date(2023, 12, 30)


def test_yearless_dates_are_the_latest_up_to_today_in_the_shell(db_path):
    today = date(2026, 11, 27)
    assert dates.parse_day("10/9", today) == date(2026, 10, 9)
    assert dates.parse_day("12/25", today) == date(2025, 12, 25)
    assert dates.parse_when("10/9 15:37", datetime(2026, 11, 27, 9, 0)) == datetime(2026, 10, 9, 15, 37)
    assert dates.parse_day("2/29", today) == date(2024, 2, 29)
    real_today = date.today()
    expected = date(real_today.year if (10, 9) <= (real_today.month, real_today.day) else real_today.year - 1, 10, 9)
    result = weekly(db_path, "note", "yearless", "--date", "10/9")
    assert result.returncode == 0, result.stderr
    assert expected.isoformat() in result.stdout
    assert WeekStore(db_path).week(expected).note_for(expected).text == "yearless"


# --- the input rules the shell and the forms share ---------------------------------------------------------

@pytest.mark.parametrize("values, why", [
    ({"summary": "s", "when": "25:61"}, "when: '25:61' is not a time of day"),
    ({"summary": "s", "when": "2/30 10:00"}, "not a date that exists"),
    ({"summary": "s", "grade": "E"}, "grade: 'E': A, B, C or D"),
    ({"summary": "s", "duration": "ten"}, "duration: 'ten'"),
    ({"summary": "   "}, "must not be empty"),
])
def test_typed_incidents_are_refused_with_one_line(values, why):
    with pytest.raises(inputs.InputError) as refused:
        inputs.new_incident(values, FRIDAY_9AM)
    assert why in refused.value.line and "\n" not in refused.value.line


def test_typed_values_read_as_people_write_them():
    incident = inputs.new_incident({"summary": "s", "grade": "c级", "duration": "1.5h", "resolution": "回滚"},
                                   FRIDAY_9AM)
    assert (incident.grade, incident.duration_min, incident.status) == ("C", 90, "resolved")
    item = inputs.new_item({"name": "开户", "text": "推进中", "progress": "60％", "due": "10/26",
                            "status": "进行中"}, FRIDAY_9AM.date(), anchor=MONDAY)
    assert (item.progress, item.due, item.status, item.text) == (60, date(2023, 10, 26), "in progress", "推进中，进度60%")
    assert inputs.metric_fields({"value": "99.997 %"}, Metric(name="m"))["value"] == "99.997"
    with pytest.raises(inputs.InputError, match="outside 0–100"):
        inputs.metric_fields({"value": "101"}, Metric(name="m"))


def test_editing_other_fields_keeps_the_incident_status():
    old = Incident(at=FRIDAY_9AM, summary="已回滚", status="resolved")
    fields = inputs.incident_fields({"summary": "已回滚", "impact": "少量", "resolution": ""}, FRIDAY_9AM, old=old)
    assert ops.changed(old.model_dump(), fields) == {"impact": ("", "少量")}


# --- the merge ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("base, ours, theirs, merged, conflicts", [
    ("a\nb\nc", "a\nB\nc", "a\nb\nc\n\nnote", "a\nB\nc\n\nnote", 0),
    ("abc", "abc more", "abc\n\nshell", "abc more\n\nshell", 0),
    ("", "typed", "shell", "typed\n\nshell", 0),
    ("x\n\nmine", "x\n\nmine\n\nmore", "x\n\nmine", "x\n\nmine\n\nmore", 0),
    ("a\nb\nc", "a\nB\nc", "a\nX\nc", "a\n<<<<<<< here\nB\n=======\nX\n>>>>>>> elsewhere\nc", 1),
])
def test_merge3(base, ours, theirs, merged, conflicts):
    result = merge3(base, ours, theirs)
    assert (result.text, result.conflicts) == (merged, conflicts)


def test_an_item_form_changes_progress_in_its_words_and_undo_puts_them_back(session, db_path):
    objective = Objective(code="O1", title="t", items=[ObjectiveItem(name="开户", text="推进中，进度40%", progress=40,
                                                                       carried_done=False)])
    session.apply(ops.add_item(MONDAY, objective))
    saved(session)
    item = session.week.objectives[0].items[0]
    values = inputs.item_fields({"name": "开户", "text": "推进中，进度40%", "progress": "60", "due": "",
                                 "status": "in progress"}, session.today, anchor=MONDAY)
    session.apply(ops.edit_element(MONDAY, item, values))
    saved(session)
    assert stored(db_path).objectives[0].items[0].text == "推进中，进度60%"
    session.undo()
    saved(session)
    back = stored(db_path).objectives[0].items[0]
    assert (back.text, back.progress, back.status) == ("推进中，进度40%", 40, "planned")


def test_deleting_a_note_while_the_shell_adds_to_it_keeps_the_shell_paragraph(session, shell, db_path):
    shell("note", "first", "--date", "2023-10-12")
    session.refresh()
    op = ops.clear_text(session.week, ("note", THURSDAY))
    shell("note", "second", "--date", "2023-10-12")
    session.apply(op)
    saved(session)
    assert stored(db_path).note_for(THURSDAY).text == "second"


def test_saves_racing_a_shell_writer_lose_nothing(session, shell, db_path):
    import threading

    notes = threading.Thread(target=lambda: [shell("note", f"n{k}", "--date", "2023-10-12") for k in range(10)])
    notes.start()
    for k in range(10):  # queued while the shell writes: the worker takes the lock for each
        session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title=f"k{k}")))
    notes.join()
    saved(session)
    week = stored(db_path)
    assert [k.title for k in week.key_work] == [f"k{k}" for k in range(10)]
    assert week.note_for(THURSDAY).text.split("\n\n") == [f"n{k}" for k in range(10)]
    session.refresh()
    assert session.week.model_dump() == week.model_dump()


def test_notices_read_in_both_languages():
    for code, (zh, en) in ops.NOTICES.items():
        params = {"what": "x", "field": "value", "theirs": "1", "yours": "2"}
        assert ops.Notice(code, params).text("zh") and ops.Notice(code, params).text("en")


def test_a_file_damaged_under_the_session_is_said_once_and_nothing_is_written(session, db_path):
    from weekly_zhoubao.store.errors import StoreCorrupt

    year = db_path.with_name("weekly.2023.json")
    year.write_text("{ damaged by hand")
    with pytest.raises(StoreCorrupt):
        session.refresh()
    assert not session.refresh(), "said once"
    assert [m.name for m in session.week.metrics] == ["成功率"], "the week shown stays"
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="x")))
    assert "damaged" in session.flush() and session.unsaved == 1
    assert year.read_text() == "{ damaged by hand"


HOLD_THE_LOCK = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_the_caller_never_waits_for_the_store_lock(session, db_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(session.store.lock_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"  # another Weekly is mid-save
        assert session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="while locked")))
        assert [k.title for k in session.week.key_work] == ["while locked"], "shown at once"
        assert session.saving and session.unsaved == 1, "the worker waits for the lock, not the caller"
        session.open(date(2023, 10, 16))  # reading needs no lock
        session.open(MONDAY)
        assert [k.title for k in session.week.key_work] == ["while locked"]
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    saved(session)
    assert [k.title for k in stored(db_path).key_work] == ["while locked"]


def test_a_move_is_one_undo_step_across_two_weeks(session, shell, db_path):
    incident = _incident_on_screen(session)
    session.apply(ops.edit_element(MONDAY, incident, {"at": datetime(2023, 10, 18, 9, 0), "grade": "C"}))
    events = saved(session)
    assert [(e.code, e.mondays) for e in events] == [("other_week", (date(2023, 10, 16),))], "the screen says where"
    assert session.week.incidents == []
    shell("incident", "下周的", "--at", "2023-10-19 10:00")
    assert len(session.undo_stack) == 2
    session.undo()
    events = saved(session)
    assert [e.code for e in events] == ["undone"] and set(events[0].mondays) == {MONDAY, date(2023, 10, 16)}
    back = stored(db_path).incidents
    assert [(i.summary, i.at, i.grade) for i in back] == [("移动我", datetime(2023, 10, 10, 9, 0), None)]
    assert [i.summary for i in stored(db_path, date(2023, 10, 16)).incidents] == ["下周的"]
    assert session.week.model_dump() == stored(db_path).model_dump()


def test_a_week_field_changed_by_a_plain_function_is_an_op_with_undo(session, shell, db_path):
    op = ops.from_change(session.week, lambda w: setattr(w, "incident_host", "O2"))
    assert op.changes == {"incident_host": ("O3", "O2")}
    assert ops.from_change(session.week, lambda w: None) is None
    session.apply(op)
    saved(session)
    shell("note", "meanwhile", "--date", "2023-10-12")
    session.undo()
    saved(session)
    week = stored(db_path)
    assert (week.incident_host, week.note_for(THURSDAY).text) == ("O3", "meanwhile")


def test_an_op_the_stored_week_refuses_is_dropped_and_said_and_the_queue_goes_on(session, db_path):
    from weekly_zhoubao.store.models import TEXT_CAP

    draft = session.draft(("note", THURSDAY))  # opened empty...
    other = WeekStore(db_path)  # ...another writer fills the note almost to its cap
    other.update(MONDAY, lambda w: importlib.import_module("weekly_zhoubao.store.carry").add_to_note(w, THURSDAY, "x" * (TEXT_CAP - 5)))
    assert draft.save("typed beyond the cap")  # fits the note shown, not the one stored
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="after it")))
    assert session.flush() is None and session.unsaved == 0, "nothing waits behind a refused op"
    events = session.collect()
    assert [e.code for e in events] == ["refused"] and "too long" in events[0].text("en")
    week = stored(db_path)
    assert len(week.note_for(THURSDAY).text) == TEXT_CAP - 5 and [k.title for k in week.key_work] == ["after it"]
    assert session.week.model_dump() == week.model_dump()


def test_a_damaged_older_year_still_shows_the_week_and_says_why(db_path, shell):
    WeekStore(db_path).put(Week(monday=date(2022, 12, 26), reflections="last year"))
    shell("note", "this year", "--date", "2023-10-12")
    db_path.with_name("weekly.2022.json").write_text("{ damaged")
    session = Session(WeekStore(db_path), clock=lambda: FRIDAY_9AM)
    try:
        assert session.week.note_for(THURSDAY).text == "this year"
        assert session.last_week is None and session.trends == []
        assert "damaged" in session.history_problem
    finally:
        session.close()


def test_a_week_the_store_can_never_take_is_refused_not_retried(session, db_path, monkeypatch):
    from weekly_zhoubao.store import db as db_module
    from weekly_zhoubao.store.errors import WeekRefused

    real = db_module.WeekStore._put

    def too_large(store, week):
        if any(k.title == "huge" for k in week.key_work):
            raise WeekRefused(f"the week of {week.monday} is too large to save; nothing was changed")
        real(store, week)

    monkeypatch.setattr(db_module.WeekStore, "_put", too_large)
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="huge")))
    session.apply(ops.AddElement(MONDAY, "key_work", KeyWorkItem(title="small")))
    assert session.flush() is None and session.unsaved == 0
    assert [e.code for e in session.collect()] == ["refused"]
    assert [k.title for k in stored(db_path).key_work] == ["small"]


def test_a_change_made_by_a_plain_function_becomes_ops_that_keep_other_writers(session, shell, db_path):
    objective = Objective(code="O1", title="t", items=[ObjectiveItem(name="开户", text="进度40%", progress=40)])
    session.apply(ops.add_item(MONDAY, objective))
    saved(session)

    def pull(week: Week) -> None:  # what a team pull or an import into this week does to a copy
        week.key_work.append(KeyWorkItem(title="pulled"))
        week.objectives[0].items.append(ObjectiveItem(name="新项", children=[ObjectiveItem(name="子项")]))
        week.objectives[0].items[0].progress = 60
        week.metrics[0].target = 99.95
        week.daily_notes.append(DailyNote(day=THURSDAY, text="pulled note"))

    op = ops.from_change(session.week, pull)
    shell("metric", "成功率", "99.5", "--date", "2023-10-11")  # meanwhile, elsewhere
    shell("note", "shell note", "--date", "2023-10-12")
    session.apply(op)
    saved(session)
    week = stored(db_path)
    assert [k.title for k in week.key_work] == ["pulled"]
    assert [(i.name, [c.name for c in i.children]) for i in week.objectives[0].items] == [("开户", []), ("新项", ["子项"])]
    assert (week.objectives[0].items[0].progress, week.objectives[0].items[0].text) == (60, "进度40%"), "only that field"
    assert (week.metrics[0].value, week.metrics[0].target) == ("99.5", 99.95)
    assert week.note_for(THURSDAY).text == "pulled note\n\nshell note"
    assert ops.from_change(session.week, lambda w: None) is None
    session.undo()
    saved(session)
    week = stored(db_path)
    assert week.key_work == [] and [i.name for i in week.objectives[0].items] == ["开户"]
    assert (week.metrics[0].value, week.metrics[0].target) == ("99.5", None)
    assert week.note_for(THURSDAY).text == "shell note"


def test_merge3_keeps_an_outline_tight_where_one_side_appended():
    assert merge3("1. x", "1. x!", "1. x\n2. y").text == "1. x!\n2. y"


def test_a_notice_names_the_field_in_the_users_language():
    notice = ops.Notice("kept_theirs", {"what": "成功率", "field": "value", "theirs": "99.5", "yours": "99.7"})
    assert notice.text("zh") == "「成功率」的数值已在别处改为 99.5，保留了它（你的：99.7）"
    assert notice.text("en") == "成功率: value was changed elsewhere to 99.5; kept that (yours: 99.7)"


def _added(base: str, other: str) -> list[str]:
    from difflib import SequenceMatcher

    b, o = base.split("\n") if base else [], other.split("\n") if other else []
    return [line for tag, _, _, j1, j2 in SequenceMatcher(None, b, o, autojunk=False).get_opcodes()
            if tag in ("insert", "replace") for line in o[j1:j2]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "", "d e"]), max_size=6),
       st.lists(st.sampled_from(["a", "b", "c", "", "x", "y"]), max_size=7),
       st.lists(st.sampled_from(["a", "b", "c", "", "s", "t"]), max_size=7))
def test_merge3_never_drops_a_line_either_side_added(base, ours, theirs):
    base, ours, theirs = "\n".join(base), "\n".join(ours), "\n".join(theirs)
    merged = merge3(base, ours, theirs)
    lines = merged.text.split("\n")
    for line in _added(base, ours) + _added(base, theirs):
        assert line in lines or not line.strip()
    if ours == base:
        assert merged.text == theirs
    if theirs == base:
        assert merged.text == ours


def test_a_weeks_own_section_is_added_by_an_op_and_its_body_merges_with_a_shell_writer(session, db_path):
    from weekly_zhoubao.store import sections

    op = ops.from_change(session.week, lambda w: sections.add_section(w, "风险", body="第一条"))
    session.apply(op)
    saved(session)
    section = session.week.sections[0]
    draft = session.draft(("section", section.id))
    other = WeekStore(db_path)  # another writer edits the same section's body meanwhile
    other.update(MONDAY, lambda w: sections.edit_section(w, section.id, "第一条\n\n别处加的"))
    assert draft.save("第一条（改）")
    saved(session)
    assert stored(db_path).sections[0].body == "第一条（改）\n\n别处加的"
    session.undo()
    saved(session)
    assert stored(db_path).sections[0].body == "第一条\n\n别处加的"


@pytest.mark.parametrize("how", ["grade", "add graded", "move graded"])
def test_undoing_a_grade_puts_the_stated_counts_back(session, db_path, how):
    """Grading an incident drops the counts the report stated (the log speaks, SPEC §1.1);
    undoing the grading must give them back, or the export's 事故数 line changes silently."""
    event = Incident(at=datetime(2023, 10, 10, 10, 28), summary="账务状态不一致")
    session.apply(ops.add_incident(event))
    session.apply(ops.from_change(session.week, lambda w: setattr(w, "stated_incident_counts", (0, 1))))
    saved(session)
    if how == "grade":
        session.apply(ops.edit_element(MONDAY, event, {"grade": "C"}))
    elif how == "add graded":
        session.apply(ops.add_incident(Incident(at=datetime(2023, 10, 11, 11, 38), summary="超时", grade="D")))
    else:  # an incident of last week, graded, moved into this one
        earlier = Incident(at=datetime(2023, 10, 4, 9, 0), summary="上周的", grade="B")
        session.apply(ops.add_incident(earlier))
        saved(session)
        session.apply(ops.edit_element(date(2023, 10, 2), earlier, {"at": datetime(2023, 10, 12, 9, 0)}))
    saved(session)
    assert stored(db_path).stated_incident_counts is None, "graded: the log's counts are printed"
    assert session.undo()
    saved(session)
    week = stored(db_path)
    assert week.stated_incident_counts == (0, 1), "undone: the stated counts are back"
    assert all(i.grade is None for i in week.incidents)
    assert session.redo()
    saved(session)
    assert stored(db_path).stated_incident_counts is None

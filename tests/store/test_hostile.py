"""Hostile text and odd stores (issue #14): no control character stored or sent to a terminal,
one clear line and exit 2 for every odd store, dates in range, sizes capped."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.errors import StoreBusy, StoreCorrupt, StoreError, WeeklyError
from weekly_zhoubao.store.models import (
    ITEMS_CAP, SUB_ITEM_LEVELS, TEXT_CAP, DailyNote, Incident, KeyWorkItem, ListEntry, Metric, Objective,
    ObjectiveItem, Week,
)
from weekly_zhoubao.store.text import visible
from tests.cli.helpers import run_in_pty
from tests.conftest import ROOT, SAMPLE, SAMPLE_MONDAY

# English: the messages these tests read (a Chinese store says them in Chinese: test_shell_commands)
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "LC_MESSAGES": "en_US.UTF-8"}


def weekly(*args, db: Path | str | None = None, env=None):
    extra = ["--db", str(db)] if db is not None else []
    return subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", *args, *extra], capture_output=True,
                          env={**ENV, **(env or {})}, timeout=60)


def one_line(result) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def _run(argv: list[str]) -> tuple[int, str]:
    from weekly_zhoubao.tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refuses with one line and exit 2
            code = exc.code
    return code, err.getvalue()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.is_file() and not p.name.endswith(".lock")}


# --- control characters ---------------------------------------------------------------------

CONTROLS = ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x9d0;title\x9c", "\x85", "\x00", "\x7f"]

FIELDS = [
    lambda v: KeyWorkItem(title=f"t{v}"),
    lambda v: KeyWorkItem(title="t", body=f"b{v}"),
    lambda v: Metric(name=f"m{v}"),
    lambda v: Metric(name="m", group=f"g{v}"),
    lambda v: Metric(name="m", value=f"1{v}"),
    lambda v: Metric(name="m", unit=f"u{v}"),
    lambda v: Incident(at=datetime(2023, 10, 9, 9), summary=f"s{v}"),
    lambda v: Incident(at=datetime(2023, 10, 9, 9), summary="s", impact=f"i{v}"),
    lambda v: DailyNote(day=date(2023, 10, 9), text=f"n{v}"),
    lambda v: DailyNote(day=date(2023, 10, 9), link=f"2023-10-09{v}.md"),
    lambda v: ListEntry(text=f"x{v}"),
    lambda v: ObjectiveItem(text=f"x{v}"),
    lambda v: Objective(code="O1", title=f"x{v}"),
    lambda v: Week(monday=SAMPLE_MONDAY, reflections=f"r{v}"),
    lambda v: Week(monday=SAMPLE_MONDAY, page_title=f"p{v}"),
    lambda v: KeyWorkItem(id=f"id{v}", title="t"),
]


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
@pytest.mark.parametrize("build", range(len(FIELDS)))
def test_c0_and_c1_controls_are_refused_in_every_stored_string(build, control):
    with pytest.raises(ValidationError, match="control character|single line"):
        FIELDS[build](control)


def test_tab_and_newline_stay_allowed_where_text_may_hold_them():
    assert KeyWorkItem(title="a\tb", body="line\n\tindented").body == "line\n\tindented"
    assert DailyNote(day=date(2023, 10, 9), text="a\nb").text == "a\nb"


def test_visible_shows_every_control_and_keeps_what_is_asked():
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x9b\x9d\x85\x00\x7f") == "\\x9b\\x9d\\x85\\x00\\x7f"
    assert visible("one\ntwo") == "one\\x0atwo", "a message stays one line"
    assert visible("one\ntwo\x1b", keep="\n") == "one\ntwo\\x1b"
    assert visible("\u202eevil") == "\\u202eevil"
    assert visible("周报 plain [bold]") == "周报 plain [bold]"


def test_an_error_message_from_user_text_shows_controls_never_sends_them(db_path):
    assert weekly("import", str(SAMPLE), db=db_path).returncode == 0
    result = weekly("metric", "没有\x1b]0;pwned\x07这个", "1", "--date", "2023-10-13", db=db_path)
    assert result.returncode == 2  # a name the week does not know: bad input
    err = one_line(result)
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err


# --- odd stores: one line, exit 2, nothing changed ---------------------------------------------

def _year_file(db: Path) -> Path:
    return db.with_name("weekly.2023.json")


ODD_YEAR_FILES = {
    "weeks is an array": b'{"weeks": []}',
    "weeks is null": b'{"weeks": null}',
    "a week key that is not a number": b'{"weeks": {"abc": {"monday": "2023-10-09"}}}',
    "a week that is not a record": b'{"weeks": {"738802": [1]}}',
    "a week key out of range": b'{"weeks": {"3652059": {"monday": "9999-12-27"}}}',
    "a week key of another year": b'{"weeks": {"738000": {"monday": "2021-07-26"}}}',
    "a week dated 9999": b'{"weeks": {"738802": {"monday": "9999-12-27"}}}',
    "an incident dated 9999": b'{"weeks": {"738802": {"monday": "2023-10-09", "incidents": '
                              b'[{"at": "9999-12-31T10:00:00", "summary": "x"}]}}}',
    "a week's schema_version is a string": b'{"weeks": {"738802": {"monday": "2023-10-09", "schema_version": "2"}}}',
    "items nested 300 deep": (b'{"weeks": {"738802": {"monday": "2023-10-09", "objectives": [{"code": "O1", "items": ['
                              + b'{"children": [' * 300 + b']}' * 300 + b']}]}}}'),
    "an array 100k deep": b'{"weeks": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "a control character in a stored title": b'{"weeks": {"738802": {"monday": "2023-10-09", '
                                             b'"key_work": [{"title": "\\u001b[2J\\u009b"}]}}}',
}
ODD_MAIN_FILES = {
    "meta is an array": b'{"meta": []}',
    "schema_version is a string": b'{"meta": {"1": {"schema_version": "2"}}}',
    "schema_version is null": b'{"meta": {"1": {"schema_version": null}}}',
    "schema_version is true": b'{"meta": {"1": {"schema_version": true}}}',
    "an array 100k deep": b"[" * 100_000 + b"]" * 100_000,
    "an old store whose week does not validate": b'{"weeks": {"1": {"monday": "2023-10-10"}}}',
    "an old store whose week is dated 9999": b'{"weeks": {"1": {"monday": "9999-12-27"}}}',
}


def _odd_store(db_path: Path, which: str, content: bytes) -> None:
    if which == "year":
        WeekStore(db_path).update(date(2023, 10, 12), lambda w: None)
        _year_file(db_path).write_bytes(content)
    else:
        db_path.parent.mkdir(parents=True)
        db_path.write_bytes(content)


COMMANDS = [["weeks"], ["export", "--date", "2023-10-13"], ["note", "x", "--date", "2023-10-12"],
            ["incident", "y", "--at", "2023-10-12 10:00"]]


@pytest.mark.parametrize("which, name", [("year", n) for n in ODD_YEAR_FILES] + [("main", n) for n in ODD_MAIN_FILES])
def test_every_odd_store_gets_one_line_and_exit_2_and_is_left_alone(db_path, which, name):
    content = (ODD_YEAR_FILES if which == "year" else ODD_MAIN_FILES)[name]
    _odd_store(db_path, which, content)
    before = files_of(db_path.parent)
    for args in COMMANDS:  # in this process: an exception escaping main() is a traceback
        code, err = _run([*args, "--db", str(db_path)])
        assert code == 2, (args, err)
        assert len(err.strip().splitlines()) == 1 and "\x1b" not in err and "\x9b" not in err, err
    assert files_of(db_path.parent) == before


@pytest.mark.parametrize("name", ["weeks is null", "an array 100k deep"])
def test_an_odd_store_in_a_real_process_exits_2_with_one_line(db_path, name):
    _odd_store(db_path, "year", ODD_YEAR_FILES[name])
    result = weekly("note", "x", "--date", "2023-10-12", db=db_path)
    assert result.returncode == 2 and "left untouched" in one_line(result)


def test_db_naming_a_folder_is_one_line(tmp_path):
    result = weekly("weeks", db=tmp_path)
    assert result.returncode == 2 and "is a folder" in one_line(result)


def test_an_empty_db_path_is_refused_not_taken_for_the_default(tmp_path):
    result = weekly("note", "x", db="")
    assert result.returncode == 2 and "--db" in one_line(result)
    assert not (tmp_path / "default-store").exists()
    with pytest.raises(StoreError, match="empty"):
        WeekStore("")


# --- dates out of range -----------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["note", "x", "--date", "9999-12-31"],
    ["incident", "x", "--at", "9999-12-31 10:00"],
    ["incident", "x", "--at", "1899-12-31 10:00"],
    ["metric", "m", "1", "--group", "g", "--date", "0001-01-01"],
    ["export", "--date", "3000-01-01"],
])
def test_a_date_out_of_range_is_refused_before_anything_is_written(db_path, args):
    code, err = _run([*args, "--db", str(db_path)])
    assert code == 2 and "超出支持的日期范围（1900–2999 年）" in err and len(err.strip().splitlines()) == 1
    assert not db_path.parent.exists() or not list(db_path.parent.glob("weekly.*.json"))
    assert _run(["weeks", "--db", str(db_path)])[0] == 0, "and the store still lists"


def test_the_range_rule_lives_in_day_parsing_and_the_store():
    from weekly_zhoubao.store.dates import parse_day, parse_when

    with pytest.raises(ValueError, match="outside"):
        parse_day("9999-12-20", date(2023, 10, 9))  # the TUI's "go to" form reads dates with this
    with pytest.raises(ValueError, match="outside"):
        parse_when("9999-12-31 10:00", datetime(2023, 10, 9))
    assert parse_when("12/31 10:00", datetime(2999, 12, 30), date(2999, 12, 30)).year == 2999
    assert parse_when("1/1 10:00", datetime(2999, 12, 30), date(2999, 12, 30)).year == 2999, \
        "never the year after the range"
    with pytest.raises(WeeklyError, match="outside"):
        WeekStore("/nonexistent-hostile/x.json").week(date(3000, 1, 6))


async def test_going_to_a_date_out_of_range_in_the_tui_says_so(db_path, make_app):
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = app.week_screen.week.monday
        await pilot.press("g")
        await pilot.pause()
        app.screen.query_one(Input).value = "9999-12-20"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.week_screen.week.monday == shown
        await pilot.press("escape")
    assert not list(db_path.parent.glob("weekly.9999*")) if db_path.parent.exists() else True


# --- sizes ------------------------------------------------------------------------------------

def _chain(levels: int) -> ObjectiveItem:
    item = ObjectiveItem(text=f"level {levels}")
    for n in range(levels - 1, 0, -1):
        item = ObjectiveItem(text=f"level {n}", children=[item])
    return item


def test_sub_items_nest_at_most_eight_levels():
    top = _chain(1 + SUB_ITEM_LEVELS)  # the item and 8 levels below it
    Week(monday=SAMPLE_MONDAY, objectives=[Objective(code="O1", items=[top])])
    with pytest.raises(ValidationError, match="more than 8 levels"):
        Objective(code="O1", items=[_chain(2 + SUB_ITEM_LEVELS)])
    week = Week(monday=SAMPLE_MONDAY, objectives=[Objective(code="O1", items=[top])])
    with pytest.raises(ValidationError, match="more than 8 levels"):  # nested in place, then checked
        week.objectives[0].items[0].children[0].children.append(_chain(SUB_ITEM_LEVELS))
        Week.model_validate(dict(week))


def test_a_week_nested_125_deep_is_refused_with_a_message_and_the_store_stays_usable(db_path):
    store = WeekStore(db_path)
    store.update(SAMPLE_MONDAY, lambda w: w.key_work.append(KeyWorkItem(title="kept")))

    def deepen(week):
        objective = Objective(code="O1")
        week.objectives.append(objective)
        node = objective.items
        for n in range(125):  # appended in place: no validation until the store checks the week
            child = ObjectiveItem.model_construct(id=f"i{n}", text=f"{n}", children=[])
            node.append(child)
            node = child.children

    from weekly_zhoubao.store.errors import describe_validation

    with pytest.raises(ValidationError) as refused:
        store.update(SAMPLE_MONDAY, deepen)
    message = describe_validation(refused.value)
    assert "more than 8 levels" in message and len(message) < 200, message
    store.update(SAMPLE_MONDAY, lambda w: w.key_work.append(KeyWorkItem(title="after")))
    assert [k.title for k in WeekStore(db_path).get(SAMPLE_MONDAY).key_work] == ["kept", "after"]


def test_text_fields_and_sections_are_capped():
    KeyWorkItem(title="t", body="x" * TEXT_CAP)
    with pytest.raises(ValidationError, match="too long"):
        KeyWorkItem(title="t", body="x" * (TEXT_CAP + 1))
    Week(monday=SAMPLE_MONDAY, other=[ListEntry(text="x")] * ITEMS_CAP)
    with pytest.raises(ValidationError, match="at most 2000"):
        Week(monday=SAMPLE_MONDAY, other=[ListEntry(text="x")] * (ITEMS_CAP + 1))
    items = [ObjectiveItem(text="x", children=[ObjectiveItem(text="y")]) for _ in range(ITEMS_CAP // 2 + 1)]
    with pytest.raises(ValidationError, match="holds 2,002 items"):
        Objective(code="O1", items=items)
    full = [ListEntry(text="x")] * ITEMS_CAP
    Week(monday=SAMPLE_MONDAY, other=full, next_week=full)
    with pytest.raises(ValidationError, match="6,000 items in all sections together"):
        Week(monday=SAMPLE_MONDAY, other=full, next_week=full, key_work=[KeyWorkItem(title="k")] * ITEMS_CAP)
    half = [ObjectiveItem(text="x") for _ in range(ITEMS_CAP // 2 + 1)]
    with pytest.raises(ValidationError, match="objectives hold 2,002 items"):
        Week(monday=SAMPLE_MONDAY, objectives=[Objective(code="O1", items=half), Objective(code="O2", items=half)])


def test_a_week_over_the_byte_cap_is_refused_and_changes_nothing(db_path, monkeypatch):
    from weekly_zhoubao.store import db

    store_ = WeekStore(db_path)
    store_.update(SAMPLE_MONDAY, lambda w: w.key_work.append(KeyWorkItem(title="kept")))
    before = files_of(db_path.parent)
    monkeypatch.setattr(db, "WEEK_CAP", 10_000)
    with pytest.raises(StoreError, match="too large"):
        store_.update(SAMPLE_MONDAY, lambda w: setattr(w, "reflections", "x" * 20_000))
    assert files_of(db_path.parent) == before
    assert store_.get(SAMPLE_MONDAY).reflections == ""


def test_a_failed_save_leaves_the_cached_copy_equal_to_the_file(db_path, monkeypatch):
    import orjson

    store_ = WeekStore(db_path)
    store_.update(SAMPLE_MONDAY, lambda w: w.key_work.append(KeyWorkItem(title="kept")))
    real_dumps = orjson.dumps
    calls = []

    def fail_on_the_year_file(data, *a, **kw):  # the week's size check passes, the file's write fails
        calls.append(1)
        if len(calls) == 2:
            raise orjson.JSONEncodeError("boom")
        return real_dumps(data, *a, **kw)

    monkeypatch.setattr(orjson, "dumps", fail_on_the_year_file)
    with pytest.raises(StoreError, match="nothing was changed"):
        store_.update(SAMPLE_MONDAY, lambda w: w.key_work.append(KeyWorkItem(title="lost")))
    monkeypatch.setattr(orjson, "dumps", real_dumps)
    assert [k.title for k in store_.get(SAMPLE_MONDAY).key_work] == ["kept"], "the cache forgot the change"


# --- year-to-date counts ----------------------------------------------------------------------

def test_year_to_date_counts_run_from_1_january_to_the_report_day_across_year_files(db_path):
    from weekly_zhoubao.exporters.files import export_options
    from weekly_zhoubao.store.settings import Settings

    store_ = WeekStore(db_path)
    for at, grade in [(datetime(2024, 6, 3, 9), "A"), (datetime(2024, 12, 2, 9), "C"),
                      (datetime(2024, 12, 31, 9), "B"), (datetime(2025, 1, 2, 9), "A"),
                      (datetime(2025, 1, 4, 9), "C")]:
        store_.update(at.date(), lambda w, at=at, grade=grade: w.incidents.append(
            Incident(at=at, summary="x", grade=grade)))
    ytd = Settings(count_scope="ytd")
    week1 = store_.get(date(2024, 12, 30))  # 第1周 2025/01/03: nothing of 2024, not 01/04 either
    assert export_options(store_, week1, ytd).incident_counts == (1, 0)
    week2 = store_.week(date(2025, 1, 6))  # 第2周: the A of 2025-01-02 counts, and the C of 01/04
    assert export_options(store_, week2, ytd).incident_counts == (1, 1)
    week_dec = store_.get(date(2024, 12, 2))  # December: all of 2024 so far
    assert export_options(store_, week_dec, ytd).incident_counts == (1, 1)


# --- key bindings -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [",,,", "", "ctrl+", "two words", "q,,w", "\x1b"])
def test_a_nonsense_key_binding_is_refused_at_start_naming_it(tmp_path, db_path, value):
    config = tmp_path / "config.toml"
    config.write_text(f"[keys]\nquit = {json.dumps(value)}\n")
    os.environ["WEEKLY_CONFIG"] = str(config)  # conftest's monkeypatch restores it
    code, err = _run(["weeks", "--db", str(db_path)])
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "keys.quit" in err and "\x1b" not in err


def test_a_nonsense_key_binding_stops_the_tui_before_any_screen(tmp_path, db_path):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nquit = ",,,"\n')
    result = weekly(db=db_path, env={"WEEKLY_CONFIG": str(config)})
    assert result.returncode == 1 and "keys.quit" in one_line(result)


def test_real_key_bindings_are_accepted(tmp_path):
    from weekly_zhoubao.store.settings import load_settings

    config = tmp_path / "config.toml"
    config.write_text('[keys]\nquit = "ctrl+q,f10"\nshow_keys = "question_mark,?"\nundo = "u"\n')
    assert load_settings(config).keys["quit"] == "ctrl+q,f10"


# --- the lock -----------------------------------------------------------------------------------

HOLDER = """
import sys, time
from weekly_zhoubao.store.db import WeekStore
store = WeekStore(sys.argv[1])
with store.locked():
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_lock_attempt_that_must_not_wait_says_busy_at_once(db_path):
    WeekStore(db_path).update(SAMPLE_MONDAY, lambda w: None)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert holder.stdout.readline().strip() == "held"
        store_ = WeekStore(db_path)
        with pytest.raises(StoreBusy, match="another Weekly is saving"):
            with store_.locked(timeout=0):
                pass
        with pytest.raises(StoreBusy):
            store_.update(SAMPLE_MONDAY, lambda w: setattr(w, "reflections", "waits"), lock_timeout=0)
        assert store_.get(SAMPLE_MONDAY).reflections == ""
    finally:
        holder.communicate("done\n", timeout=30)
    with WeekStore(db_path).locked(timeout=0):
        pass  # free again


# --- migration under the lock ---------------------------------------------------------------------

LEGACY = {"_default": {}, "weeks": {"1": {"monday": "2023-10-09", "incidents": [
    {"at": "2023-10-09T15:37:00", "summary": "old", "duration": "10mins"}]}}}


def test_six_processes_opening_one_old_store_at_once_lose_nothing(db_path):
    db_path.parent.mkdir(parents=True)
    original = json.dumps(LEGACY, indent=4).encode()
    db_path.write_bytes(original)
    os.chmod(db_path, 0o644)
    go = db_path.parent / "go"
    starter = ("import sys, os, time\n"
               "from weekly_zhoubao.tui.cli import main\n"
               "import weekly_zhoubao.store.db, weekly_zhoubao.store.words, weekly_zhoubao.store.ops\n"  # loaded before the start: they open at once
               "while not os.path.exists(sys.argv[1]): time.sleep(0.0005)\n"
               "raise SystemExit(main(sys.argv[2:]))\n")
    procs = [subprocess.Popen([sys.executable, "-c", starter, str(go), "note", f"writer {n}",
                               "--date", f"2023-10-{10 + n % 5}", "--db", str(db_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV) for n in range(6)]
    time.sleep(1.5)  # let all six load (not a timing assertion: a slow machine only races less)
    go.touch()  # all six are waiting: they open the store at the same moment
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    week = WeekStore(db_path).get(SAMPLE_MONDAY)
    assert [i.summary for i in week.incidents] == ["old"]
    notes = "\n".join(n.text for n in week.daily_notes)
    assert all(f"writer {n}" in notes for n in range(6)), notes
    backup = db_path.with_name("weekly.json.v1.bak")
    assert backup.read_bytes() == original
    assert backup.stat().st_mode & 0o777 == 0o600
    assert not db_path.with_name("weekly.json.v1.bak2").exists(), "written once"


def test_an_earlier_v1_backup_is_never_overwritten(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_text(json.dumps(LEGACY))
    earlier = db_path.with_name("weekly.json.v1.bak")
    earlier.write_bytes(b"an earlier backup, kept")
    WeekStore(db_path)
    assert earlier.read_bytes() == b"an earlier backup, kept"
    assert json.loads(db_path.with_name("weekly.json.v1.bak2").read_text()) == LEGACY


# --- a pseudo-terminal sees no escape sequence -----------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;title\x07\x1b]52;c;aGk=\x07\x9b31m\x9d8;;http://x\x9c\x1bP+q\x1b\\"


def _hostile_report(folder: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    salted = [lines[0]] + [f"{line}{ESCAPES}" if line.strip() else line for line in lines[1:]]
    salted.insert(3, f"## {ESCAPES}heading")
    salted.append(f"[2023/10/13 周五](2023-10-13{ESCAPES}.md)")
    path = folder / f"evil{ESCAPES[:4]}.md"
    path.write_text("\n".join(salted), encoding="utf-8")
    return path


def test_a_terminal_sees_no_escape_sequence_from_import_or_export(db_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = _hostile_report(folder)
    (folder / "2023-10-13\x1b[2J.md").write_text(f"# 2023/10/13 周五\n\n{ESCAPES}\n")
    captured = run_in_pty(["import", str(evil), "--db", str(db_path)])
    captured += run_in_pty(["import", str(folder), "--db", str(db_path)])
    assert weekly("import", str(SAMPLE), db=db_path).returncode == 0
    WeekStore(db_path).update(SAMPLE_MONDAY, lambda w: w.incidents.append(
        Incident(at=datetime(2023, 10, 10, 9), summary="\u202eevil", impact="[bold]x[/]")))
    captured += run_in_pty(["export", "--date", "2023-10-13", "--db", str(db_path)])
    captured += run_in_pty(["export", "--date", "2023-10-13", "--format", "json", "--db", str(db_path)])
    captured += run_in_pty(["export", "--date", "2023-10-13", "-o", str(tmp_path / "out\x1b[2J/"),
                             "--db", str(db_path)])
    assert b"evil" in captured and "第42周".encode() in captured, "the commands ran and printed"
    # strict: a lone 0x9b/0x9d byte (an 8-bit CSI/OSC) would not decode; as UTF-8 they are
    # U+009B/U+009D, looked for below
    text = captured.decode("utf-8")
    for forbidden in ("\x1b", "\x9b", "\x9d", "\x9c", "\x07"):
        assert forbidden not in text, repr(forbidden)


# --- a fuzzer on the store's files --------------------------------------------------------------

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

DEEP = "__deep__"
ODD_VALUES = [None, [], {}, "", "2", 2, 0, -1, 1e308, 10**30, True, "abc", "9999-12-31", "0001-01-01",
              "1899-12-31T10:00:00", "2023-02-30", "\x1b[2J", "\u009b31m", "\udc80", "x" * 150_000,
              {"children": []}, [[[]]], f"{DEEP}:60", f"{DEEP}:400", f"{DEEP}:5000"]
FUZZ_COMMANDS = [["weeks"], ["export", "--date", "2023-10-13"], ["export", "--format", "json", "--date", "2023-10-13"],
                 ["note", "fuzz", "--date", "2023-10-12"], ["incident", "fuzz", "--at", "2023-10-12 10:00"],
                 ["metric", "入金有效成功率", "99.9", "--date", "2023-10-13"]]


def _template() -> dict[str, bytes]:
    import tempfile

    from weekly_zhoubao.exporters.reader import read_report

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "weekly.json"
        store = WeekStore(db)
        store.put(read_report(SAMPLE.read_text(encoding="utf-8")))
        store.update(date(2023, 1, 3), lambda w: w.incidents.append(
            Incident(at=datetime(2023, 1, 3, 9), summary="new year", grade="B")))
        return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.name.endswith(".json")}


TEMPLATE = _template()


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _dump(doc) -> bytes:
    text = json.dumps(doc)
    while f'"{DEEP}:' in text:  # deep arrays written as text: json.dumps itself would recurse
        start = text.index(f'"{DEEP}:')
        end = text.index('"', start + 1)
        depth = int(text[start + len(DEEP) + 2:end])
        text = text[:start] + "[" * depth + "]" * depth + text[end + 1:]
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_stores(draw):
    files = dict(TEMPLATE)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "rekey", "wrap", "nest", "bytes"]))
        if op == "bytes":
            raw = files[name]
            cut = draw(st.integers(0, len(raw)))
            files[name] = draw(st.sampled_from([raw[:cut], raw[:cut] + b"\xff\xfe", b"", b"null", b"[]"]))
            continue
        try:
            doc = json.loads(files[name])
        except (ValueError, RecursionError):
            continue
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        if op == "replace":
            parent[key] = draw(st.sampled_from(ODD_VALUES))
        elif op == "delete":
            del parent[key]
        elif op == "rekey" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["abc", "-1", "99999999", "3652059", "0", ""]))] = parent.pop(key)
        elif op == "wrap":
            parent[key] = [parent[key]]
        elif op == "nest":
            parent[key] = {"children": [parent[key]], "text": "x"}
        files[name] = _dump(doc)
    return files


@hsettings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_stores())
def test_every_command_on_a_mutated_store_works_or_says_one_line_and_changes_nothing(files):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "weekly.json"
        for name, raw in files.items():
            (Path(folder) / name).write_bytes(raw)
        for args in FUZZ_COMMANDS:
            before = files_of(Path(folder))
            code, err = _run([*args, "--db", str(db)])  # an exception escaping here is a traceback
            if code != 0:
                assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (args, err)
                assert not any(ch in err for ch in "\x1b\x9b\x9d\x07"), err
                assert files_of(Path(folder)) == before, f"{args} was refused but changed a file"


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_year_file_that_is_a_folder_or_a_pipe_is_one_line_not_a_hang(db_path, kind):
    WeekStore(db_path).update(date(2023, 10, 12), lambda w: None)
    year_file = _year_file(db_path)
    year_file.unlink()
    year_file.mkdir() if kind == "folder" else os.mkfifo(year_file)
    code, err = _run(["weeks", "--db", str(db_path)])  # in the store's language: zh, the default
    assert code == 2 and "不是普通文件，所以不是库" in err and len(err.strip().splitlines()) == 1


def test_an_import_with_one_week_over_the_cap_writes_none_of_it(db_path, monkeypatch):
    from weekly_zhoubao.store import db

    monkeypatch.setattr(db, "WEEK_CAP", 10_000)
    weeks = [Week(monday=date(2022, 10, 10)), Week(monday=SAMPLE_MONDAY, reflections="x" * 20_000)]
    with pytest.raises(StoreError, match="too large"):
        WeekStore(db_path).put_many(weeks)
    assert WeekStore(db_path).mondays() == []

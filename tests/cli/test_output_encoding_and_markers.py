"""Output in any encoding, migration that keeps what it does not know, and conflict markers
in the UI's language (issue 25)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.session import Session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONDAY = date(2023, 10, 9)


def weekly(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", *args], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env={**os.environ, "PYTHONPATH": ROOT, **env})


def test_an_output_that_cannot_carry_the_text_is_one_line(db_path):
    WeekStore(db_path).put(Week(monday=MONDAY, reflections="反思"))
    for command in (["export", "--date", "2023-10-13"], ["weeks"]):
        done = weekly(*command, "--db", str(db_path), env={"PYTHONIOENCODING": "ascii"})
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr == ("weekly: the output's encoding (ascii) cannot carry this text; use a UTF-8 locale "
                               "or PYTHONIOENCODING=utf-8, or write a file with -o\n")


def test_migrating_an_old_single_file_store_keeps_unknown_tables(db_path):
    db_path.parent.mkdir(parents=True)
    legacy = {"_default": {}, "weeks": {"1": {"monday": "2023-10-09", "reflections": "old"}},
              "todos": {"1": {"text": "another tool's table"}}}
    db_path.write_text(json.dumps(legacy))
    store = WeekStore(db_path)
    assert store.get(MONDAY).reflections == "old"
    store.put(Week(monday=date(2023, 10, 16), reflections="new"))
    main = json.loads(db_path.read_text())
    assert main["todos"] == {"1": {"text": "another tool's table"}}
    assert WeekStore(db_path).get(date(2023, 10, 16)).reflections == "new"


def test_a_same_line_conflict_names_here_and_elsewhere_in_the_uis_language(db_path):
    WeekStore(db_path).put(Week(monday=MONDAY, reflections="line one\nline two"))
    first = Session(WeekStore(db_path), clock=lambda: datetime(2023, 10, 13, 9), start=MONDAY)
    second = Session(WeekStore(db_path), clock=lambda: datetime(2023, 10, 13, 9), start=MONDAY)
    try:
        mine, theirs = first.draft(("reflections", None), lang="zh"), second.draft(("reflections", None), lang="zh")
        assert mine.save("line one\nFIRST two")
        assert first.flush() is None
        second.refresh()  # the second app sees the first one's save
        shown = theirs.catch_up("line one\nSECOND two")
        assert shown == "line one\n<<<<<<< 这里\nSECOND two\n=======\nFIRST two\n>>>>>>> 别处"
        english = Session(WeekStore(db_path), clock=lambda: datetime(2023, 10, 13, 9), start=MONDAY)
        try:
            draft = english.draft(("reflections", None), lang="en")
            WeekStore(db_path).update(MONDAY, lambda w: setattr(w, "reflections", "line one\nTHIRD two"))
            assert draft.save("line one\nMINE two") and english.flush() is None
            stored = WeekStore(db_path).get(MONDAY).reflections
            assert stored == "line one\n<<<<<<< here\nMINE two\n=======\nTHIRD two\n>>>>>>> elsewhere"
        finally:
            english.close()
    finally:
        first.close()
        second.close()

import errno
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.files import BACKUPS_KEPT, backup_paths
from weekly_zhoubao.store.errors import StoreCorrupt, StoreError, StoreReadOnly
from weekly_zhoubao.store.models import SCHEMA_VERSION, Incident, KeyWorkItem
from tests.conftest import ROOT

MONDAY = date(2023, 10, 9)


def add_incident(store, summary, minute=0):
    return store.update(MONDAY, lambda w: w.incidents.append(
        Incident(at=datetime(2023, 10, 9, 15, minute), summary=summary)))


def test_week_round_trips_and_files_sit_beside_the_named_one(db_path):
    store = WeekStore(db_path)
    add_incident(store, "first")
    assert [i.summary for i in WeekStore(db_path).get(MONDAY).incidents] == ["first"]
    assert sorted(p.name for p in db_path.parent.iterdir() if not p.name.endswith(".lock")) == [
        "weekly.2023.json", "weekly.json"]
    assert (db_path.stat().st_mode & 0o777) == 0o600
    assert (db_path.with_name("weekly.2023.json").stat().st_mode & 0o777) == 0o600


def test_browsing_years_keeps_a_bounded_number_parsed(db_path):
    from datetime import timedelta

    from weekly_zhoubao.store.db import YEARS_PARSED
    from weekly_zhoubao.store.models import Week, monday_of

    store = WeekStore(db_path)
    mondays = [monday_of(date(year, 6, 1)) for year in range(2015, 2024)]
    store.put_many([Week(monday=m, reflections=f"year {m.year}") for m in mondays])
    for monday in mondays + mondays[:2]:  # every year, then back to the first ones
        assert store.week(monday).reflections == f"year {monday.year}"
        assert store.recent(monday + timedelta(days=7), 12)[0].reflections == f"year {monday.year}"
        held = [year for year, db in store._dbs.items() if db.storage.holds_data()]
        assert len(held) <= YEARS_PARSED


def test_recent_gives_last_week_whole_and_the_metrics_before_it_across_years(db_path):
    from datetime import timedelta

    from weekly_zhoubao.store.models import Metric, Week

    store = WeekStore(db_path)
    mondays = [date(2022, 12, 5) + timedelta(days=7 * n) for n in range(8)]  # across new year
    store.put_many([Week(monday=m, reflections=f"w{n}", metrics=[Metric(name="成功率", value=str(n))])
                    for n, m in enumerate(mondays)])
    last, trends = store.recent(mondays[-1], 5)
    assert last.monday == mondays[-2] and last.reflections == "w6"
    assert [[m.value for m in metrics] for metrics in trends] == [["2"], ["3"], ["4"], ["5"], ["6"]]
    assert all(isinstance(m, Metric) for metrics in trends for m in metrics)
    assert store.recent(mondays[0], 5) == (None, [])
    # a reading written meanwhile (another writer) is seen at the next call
    WeekStore(db_path).update(mondays[-2], lambda w: setattr(w.metrics[0], "value", "60"))
    assert [m.value for m in store.recent(mondays[-1], 5)[1][-1]] == ["60"]


def test_a_failure_between_write_and_replace_leaves_the_old_file(db_path, monkeypatch):
    store = WeekStore(db_path)
    add_incident(store, "kept")
    year_file = db_path.with_name("weekly.2023.json")
    before = year_file.read_bytes()

    def broken_replace(src, dst):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError, match="nothing was changed"):
        add_incident(store, "lost", 1)
    monkeypatch.undo()
    assert year_file.read_bytes() == before
    assert not list(db_path.parent.glob(".*tmp*")), "the temp file is cleaned up"
    assert [i.summary for i in WeekStore(db_path).get(MONDAY).incidents] == ["kept"]


def test_full_disk_keeps_what_was_saved(db_path, monkeypatch):
    store = WeekStore(db_path)
    add_incident(store, "kept")
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StoreError, match="disk is full"):
        add_incident(store, "lost", 1)
    monkeypatch.setattr(os, "write", real_write)
    assert [i.summary for i in store.get(MONDAY).incidents] == ["kept"]
    add_incident(store, "after", 2)  # the store recovers once there is room
    assert [i.summary for i in WeekStore(db_path).get(MONDAY).incidents] == ["kept", "after"]


@pytest.mark.parametrize("content, why", [(b"", "empty"), (b'{"meta": {"1": {"sch', "damaged"),
                                          (b"[1, 2]", "not a Weekly store")])
def test_empty_or_broken_store_is_refused_and_left_alone(db_path, content, why):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with pytest.raises(StoreCorrupt, match=why):
        WeekStore(db_path)
    assert db_path.read_bytes() == content


def test_broken_year_file_is_refused_and_never_overwritten(db_path):
    store = WeekStore(db_path)
    add_incident(store, "kept")
    year_file = db_path.with_name("weekly.2023.json")
    year_file.write_bytes(year_file.read_bytes()[:40])
    fresh = WeekStore(db_path)
    with pytest.raises(StoreCorrupt, match="damaged"):
        fresh.get(MONDAY)
    with pytest.raises(StoreCorrupt):
        add_incident(fresh, "would overwrite", 1)
    assert len(year_file.read_bytes()) == 40


def test_backups_rotate_and_keep_older_versions(db_path):
    store = WeekStore(db_path)
    year_file = db_path.with_name("weekly.2023.json")
    add_incident(store, "v0")
    versions = [year_file.read_bytes()]
    for n in range(1, BACKUPS_KEPT + 3):
        # pretend an hour passed since the newest backup so the next save keeps one
        for bak in backup_paths(year_file):
            if bak.exists():
                os.utime(bak, (time.time() - 7200, time.time() - 7200))
        add_incident(store, f"v{n}", n)
        versions.append(year_file.read_bytes())
    baks = backup_paths(year_file)
    assert all(b.exists() for b in baks)
    assert baks[0].read_bytes() == versions[-2]  # newest backup: the version just replaced
    assert baks[-1].read_bytes() == versions[-2 - (BACKUPS_KEPT - 1)]
    assert not year_file.with_name(year_file.name + f".bak{BACKUPS_KEPT + 1}").exists()


def test_no_second_backup_within_the_hour(db_path):
    store = WeekStore(db_path)
    for n in range(4):
        add_incident(store, f"v{n}", n)
    year_file = db_path.with_name("weekly.2023.json")
    assert backup_paths(year_file)[0].exists() and not backup_paths(year_file)[1].exists()


def test_two_writers_interleaving_both_survive(db_path):
    tui_like, shell_like = WeekStore(db_path), WeekStore(db_path)
    add_incident(tui_like, "from the TUI")
    tui_like.get(MONDAY)  # the TUI has this version cached
    add_incident(shell_like, "from the shell", 1)
    tui_like.update(MONDAY, lambda w: w.key_work.append(KeyWorkItem(title="typed in the TUI")))
    week = WeekStore(db_path).get(MONDAY)
    assert [i.summary for i in week.incidents] == ["from the TUI", "from the shell"]
    assert [k.title for k in week.key_work] == ["typed in the TUI"]


WRITER = """
import sys, datetime
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident
store = WeekStore(sys.argv[1])
n = 0
while True:
    store.update(datetime.date(2023, 10, 9), lambda w: w.incidents.append(
        Incident(at=datetime.datetime(2023, 10, 9, 12, 0), summary=f"write {n}")))
    print(n, flush=True)
    n += 1
"""


def test_kill_9_of_a_writer_leaves_a_store_that_loads(db_path, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.15, 0.3, 0.45):
        proc = subprocess.Popen([sys.executable, str(script), str(db_path)], stdout=subprocess.PIPE,
                                text=True, env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed = [int(x) for x in out.split()]
        week = WeekStore(db_path).get(MONDAY)  # loads
        if confirmed:
            summaries = {i.summary for i in week.incidents}
            assert {f"write {n}" for n in confirmed} <= summaries, "every confirmed write is kept"


def test_read_only_store_reads_but_refuses_writes(db_path):
    store = WeekStore(db_path)
    add_incident(store, "kept")
    if os.geteuid() == 0:
        pytest.skip("root can write a mode-400 file; see the folder test below")
    for p in db_path.parent.iterdir():
        p.chmod(0o400)
    ro = WeekStore(db_path)
    assert ro.read_only and ro.get(MONDAY).incidents[0].summary == "kept"
    with pytest.raises(StoreReadOnly):
        add_incident(ro, "refused", 1)


def test_read_only_folder_reads_but_refuses_writes(db_path, monkeypatch):
    store = WeekStore(db_path)
    add_incident(store, "kept")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real_access(p, mode))
    ro = WeekStore(db_path)
    assert ro.read_only
    assert [i.summary for i in ro.get(MONDAY).incidents] == ["kept"]
    with pytest.raises(StoreReadOnly, match="read-only"):
        add_incident(ro, "refused", 1)


def test_stale_temp_files_are_cleaned_at_start(db_path):
    store = WeekStore(db_path)
    add_incident(store, "kept")
    stale = db_path.with_name(".weekly.2023.json.tmp-999999-abcdef")
    stale.write_bytes(b"half a write")
    WeekStore(db_path)
    assert not stale.exists()


def test_older_single_file_store_is_migrated_with_a_backup(db_path):
    db_path.parent.mkdir(parents=True)
    legacy = {"weeks": {"1": {"monday": "2023-10-09", "incidents": [
        {"at": "2023-10-09T15:37:00", "summary": "old", "duration": "10mins"}]}}}
    db_path.write_text(json.dumps(legacy))
    store = WeekStore(db_path)
    week = store.get(MONDAY)
    assert week.incidents[0].summary == "old" and week.incidents[0].duration_min == 10
    assert json.loads(db_path.with_name("weekly.json.v1.bak").read_text()) == legacy
    assert json.loads(db_path.read_text())["meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_newer_schema_is_refused(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_text(json.dumps({"meta": {"1": {"schema_version": 99}}}))
    with pytest.raises(StoreError, match="newer Weekly"):
        WeekStore(db_path)


def test_carry_over_is_a_proposal_until_edited(db_path, sample_week):
    store = WeekStore(db_path)
    store.put(sample_week)
    nxt = store.week(date(2023, 10, 16))
    assert nxt.carried_from == MONDAY
    assert store.get(date(2023, 10, 16)) is None, "showing it writes nothing"
    assert [o.code for o in nxt.objectives] == ["O1", "O2", "O3"]
    assert all(m.value is None for m in nxt.metrics)
    assert [k.title for k in nxt.key_work][:1] == ["商户升级、银行虚户设计和研发计划"]
    done = [i for o in nxt.objectives for i in o.walk() if i.status == "done" and not i.children]
    assert not done, "done items are dropped (tests/test_carry_over.py)"
    assert not nxt.incidents and not nxt.daily_notes
    store.update(date(2023, 10, 16), lambda w: None)
    assert store.get(date(2023, 10, 16)).carried_from is None

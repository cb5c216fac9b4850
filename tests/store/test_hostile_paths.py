"""Odd paths (issue #14): symlinks written through, exports that stay in their folder and
replace only plain files, folders 0700 and files 0600 whatever the umask."""

from __future__ import annotations

import errno
import json
import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from weekly_zhoubao.exporters.files import ExportError, export_week
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.files import backup_paths
from weekly_zhoubao.store.errors import StoreError
from weekly_zhoubao.store.models import DailyNote, Incident, KeyWorkItem
from weekly_zhoubao.store.settings import Settings
from tests.conftest import SAMPLE_MONDAY
from weekly_zhoubao.tui.cli import main


def add(store: WeekStore, summary: str, minute: int = 0) -> None:
    store.update(SAMPLE_MONDAY, lambda w: w.incidents.append(
        Incident(at=datetime(2023, 10, 9, 15, minute), summary=summary)))


def every_file(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if not p.is_dir() or p.is_symlink()}


@pytest.fixture
def umask_000():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# --- symlinks -----------------------------------------------------------------------------------

def test_a_symlinked_store_keeps_its_year_files_backups_and_lock_beside_the_real_file(tmp_path):
    real = tmp_path / "real" / "weekly.json"
    real.parent.mkdir()
    link = tmp_path / "elsewhere" / "my-store.json"
    link.parent.mkdir()
    link.symlink_to(real)
    store = WeekStore(link)
    for n in range(2):
        add(store, f"v{n}", n)
    assert link.is_symlink(), "the link is written through, not replaced"
    assert sorted(p.name for p in link.parent.iterdir()) == ["my-store.json"]
    assert {p.name for p in real.parent.iterdir()} >= {"weekly.json", "weekly.2023.json", "weekly.json.lock",
                                                        "weekly.2023.json.bak1"}
    assert [i.summary for i in WeekStore(link).get(SAMPLE_MONDAY).incidents] == ["v0", "v1"]


def test_a_symlinked_year_file_is_written_through_and_its_backup_is_a_plain_copy(db_path, tmp_path):
    store = WeekStore(db_path)
    add(store, "v0")
    year_file = db_path.with_name("weekly.2023.json")
    target = tmp_path / "kept-elsewhere.json"
    year_file.rename(target)
    year_file.symlink_to(target)
    fresh = WeekStore(db_path)
    add(fresh, "v1", 1)
    assert year_file.is_symlink() and os.readlink(year_file) == str(target)
    assert [i.summary for i in WeekStore(db_path).get(SAMPLE_MONDAY).incidents] == ["v0", "v1"]
    bak = backup_paths(year_file)[0]
    assert bak.exists() and not bak.is_symlink() and stat.S_ISREG(os.lstat(bak).st_mode)
    assert [i["summary"] for i in json.loads(bak.read_text())["weeks"][str(SAMPLE_MONDAY.toordinal())]
            ["incidents"]] == ["v0"], "the backup holds the version replaced"
    assert not os.path.samefile(bak, target)


# --- exports ---------------------------------------------------------------------------------------

@pytest.fixture
def store_with_notes(db_path) -> WeekStore:
    store = WeekStore(db_path)
    hostile_links = ["../../outside.md", "/tmp/weekly-hostile-abs.md", "%2e%2e%2f%2e%2e%2fenc.md",
                     "..%5C..%5Cwin.md", "sub/dir/deep.md", "weekly.2023.json"]

    def notes(week):
        for n, link in enumerate(hostile_links):
            week.daily_notes.append(DailyNote(day=date(2023, 10, 9 + n), text=f"day {n}", link=link))
        week.key_work.append(KeyWorkItem(title="kw"))

    store.update(SAMPLE_MONDAY, notes)
    return store


def test_no_export_writes_outside_its_folder_whatever_the_links_say(store_with_notes, tmp_path):
    before = every_file(tmp_path)
    out = tmp_path / "exports" / "week"
    week = store_with_notes.get(SAMPLE_MONDAY)
    written = export_week(store_with_notes, week, Settings(), "zh", out, folder=True)
    assert every_file(tmp_path) - before == set(written)
    assert all(p.parent == out for p in written)
    names = sorted(p.name for p in written)
    assert names == sorted(["第42周 2023-10-13.md"] + [f"2023-10-{9 + n:02d} {d}.md"
                                                    for n, d in enumerate("周一 周二 周三 周四 周五 周六".split())])
    report = (out / "第42周 2023-10-13.md").read_text()
    assert "outside" not in report and "weekly.2023.json" not in report, "links name the files written"
    assert not Path("/tmp/weekly-hostile-abs.md").exists()


def test_export_refuses_to_replace_a_symlink_planted_in_its_folder(store_with_notes, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "2023-10-09 周一.md").symlink_to(victim)
    with pytest.raises(ExportError, match="symbolic link"):
        export_week(store_with_notes, store_with_notes.get(SAMPLE_MONDAY), Settings(), "zh", out, folder=True)
    assert victim.read_text() == "precious" and (out / "2023-10-09 周一.md").is_symlink()


def test_export_o_refuses_a_symlink_or_a_non_regular_file(store_with_notes, db_path, tmp_path, capsys):
    victim = tmp_path / "victim.md"
    victim.write_text("precious")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    assert main(["export", "--date", "2023-10-13", "-o", str(link), "--db", str(db_path)]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and victim.read_text() == "precious"
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert main(["export", "--date", "2023-10-13", "-o", str(fifo), "--db", str(db_path)]) == 1
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("name, folder", [("reports/", True), ("reports", True), ("nested/deeper/", True),
                                          ("report.md", False)])
def test_export_o_makes_a_folder_for_a_slash_or_a_name_without_suffix(store_with_notes, db_path, tmp_path,
                                                                       monkeypatch, name, folder):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--date", "2023-10-13", "-o", name, "--db", str(db_path)]) == 0
    target = tmp_path / name.rstrip("/")
    assert target.is_dir() == folder
    if folder:
        assert (target / "第42周 2023-10-13.md").is_file()


def test_the_readme_example_export_to_home_reports(store_with_notes, db_path, tmp_path):
    # `weekly export --lang en -o ~/reports/`, HOME set by conftest
    assert main(["export", "--date", "2023-10-13", "--lang", "en", "-o", "~/reports/", "--db", str(db_path)]) == 0
    assert (tmp_path / "home" / "reports" / "Week 42 2023-10-13.md").is_file()


def test_an_export_error_names_the_folder_not_the_store(store_with_notes, tmp_path, monkeypatch):
    out = tmp_path / "readonly"
    out.mkdir()
    real_open = os.open

    def refuse_in_out(path, flags, *a, **kw):
        if str(path).startswith(str(out)) and flags & os.O_CREAT:
            raise OSError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", refuse_in_out)
    with pytest.raises(StoreError) as refused:
        export_week(store_with_notes, store_with_notes.get(SAMPLE_MONDAY), Settings(), "zh", out, folder=True)
    assert f"the folder {out} is read-only" in str(refused.value) and "store" not in str(refused.value)


# --- modes -------------------------------------------------------------------------------------------

def test_folders_are_0700_and_files_0600_whatever_the_umask(tmp_path, umask_000, monkeypatch):
    import time

    db_path = tmp_path / "a" / "b" / "weekly.json"
    store = WeekStore(db_path)
    add(store, "v0")
    for bak in backup_paths(db_path.with_name("weekly.2023.json")):
        if bak.exists():
            os.utime(bak, (time.time() - 7200,) * 2)
    add(store, "v1", 1)
    add(store, "v2", 2)
    out = tmp_path / "x" / "y"
    export_week(store, store.get(SAMPLE_MONDAY), Settings(), "zh", out, folder=True)
    export_week(store, store.get(SAMPLE_MONDAY), Settings(), "zh", tmp_path / "z" / "one.md")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "x", out, tmp_path / "z"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".bak1") for p in files) and any(p.suffix == ".md" for p in files)
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_migrating_an_old_0644_store_leaves_every_file_0600(db_path, umask_000):
    db_path.parent.mkdir(parents=True)
    db_path.write_text(json.dumps({"weeks": {"1": {"monday": "2023-10-09"}}}))
    os.chmod(db_path, 0o644)
    WeekStore(db_path)
    for path in db_path.parent.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path

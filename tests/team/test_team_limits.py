"""A team at its limits and odd repositories (issue 25): no traceback from a forged commit
time, a branch named `über` or a pull that would overflow a week; `members` counts only
files that validate and stays one git command however many members; the report names a
few thousand absent members in a line, not a page; the team screen reads off the UI thread."""

from __future__ import annotations

import pytest

import subprocess
import threading
from datetime import date, timedelta

from textual.widgets import DataTable

from weekly_zhoubao.store.models import KeyWorkItem, Week
from weekly_zhoubao.store.team import repo
from weekly_zhoubao.store.team.repo import week_bytes
from tests.team.helpers import MONDAY, git, joined, week_of

pytestmark = pytest.mark.usefixtures("english")  # these read the shell's English lines


def literal_commit(clone, message: str, committer: str) -> None:
    """A commit of the clone's index with a committer line git itself would never write."""
    tree = git(clone, "write-tree").strip()
    parent = git(clone, "rev-parse", "HEAD").strip()
    body = (f"tree {tree}\nparent {parent}\nauthor alice <a@x> 1700000000 +0000\n"
            f"committer {committer}\n\n{message}\n")
    sha = subprocess.run(["git", "-C", str(clone), "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
                         input=body, capture_output=True, text=True, check=True).stdout.strip()
    git(clone, "update-ref", "HEAD", sha)


def test_members_with_an_impossible_commit_time_is_not_a_traceback(people, remote):
    alice, bob = joined(people, remote, "alice"), joined(people, remote, "bob")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    bob.write(week_of("bob"))
    bob.ok("team", "publish")
    for n, committer in enumerate(("alice <a@x> 1700000000 +9959", "alice <a@x> 99999999999999999999 +0000")):
        alice.ok("team", "sync")
        path = alice.clone / "people" / "alice" / f"{MONDAY + timedelta(days=7 * (n + 1))}.json"
        path.write_bytes(week_bytes(week_of("alice", MONDAY + timedelta(days=7 * (n + 1))), ["daily_notes"]))
        git(alice.clone, "add", "-A")
        literal_commit(alice.clone, "odd time", committer)
        git(alice.clone, "push", "-q", "origin", "HEAD")
        lead = joined(people, remote, f"lead{n}")
        code, out, err = lead.run("team", "members")
        assert code == 0 and "Traceback" not in err, err
        assert f"alice  {n + 2} weeks, latest week {MONDAY + timedelta(days=7 * (n + 1))}" in out
        assert "bob  1 week" in out


def test_joining_a_team_whose_branch_is_named_ueber(people, tmp_path):
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=über", str(bare)], check=True)
    alice = joined(people, bare, "alice")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    assert git(bare, "branch", "--format=%(refname:short)").split() == ["über"]
    lead = joined(people, bare, "lead")
    assert "alice 的重点" in lead.ok("team", "report", "--date", "2023-10-09")


def test_a_half_made_join_does_not_block_the_next(people, remote, monkeypatch):
    member = people("alice")
    real_verify = repo.verify

    def broken(team):
        raise repo.TeamError("the network went away")

    monkeypatch.setattr(repo, "verify", broken)
    code, _, err = member.run("team", "join", str(remote), "--as", "alice")
    assert code == 1 and err == "weekly: the network went away\n"
    assert not member.clone.exists()  # nothing half-made left behind
    monkeypatch.setattr(repo, "verify", real_verify)
    member.clone.mkdir(parents=True)  # a join killed half-way (no team config written)
    subprocess.run(["git", "init", "-q", str(member.clone)], check=True)
    assert "joined as alice" in member.ok("team", "join", str(remote), "--as", "alice")


def test_pulling_more_than_a_week_holds_is_one_line_and_changes_nothing(people, remote):
    alice = joined(people, remote, "alice")
    big = week_of("alice")
    big.key_work = [KeyWorkItem(id=f"kw{n}", title=f"item {n}") for n in range(2000)]
    alice.write(big)
    alice.ok("team", "publish")
    lead = joined(people, remote, "lead")
    lead.write(Week(monday=MONDAY, key_work=[KeyWorkItem(id="mine", title="the lead's own")]))
    code, out, err = lead.run("team", "pull", "--date", "2023-10-13")
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert "nothing pulled: your week would be too large (key_work" in err
    assert [k.title for k in lead.store().get(MONDAY).key_work] == ["the lead's own"]


def test_members_counts_only_files_that_validate(people, remote):
    alice, mallory = joined(people, remote, "alice"), joined(people, remote, "mallory")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    mallory.write(week_of("mallory"))
    mallory.ok("team", "publish")
    folder = mallory.clone / "people" / "mallory"
    (folder / "٢٠٢٣-١٠-١٦.json").write_bytes(week_bytes(week_of("m", date(2023, 10, 16)), []))  # Arabic digits
    (folder / "2023-10-10.json").write_bytes(week_bytes(week_of("m", date(2023, 10, 9)), []))  # not a Monday
    (folder / "2999-12-30.json").write_text("{}")  # a Monday, but no week
    git(mallory.clone, "add", "-A")
    git(mallory.clone, "commit", "-qm", "odd names")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    lead = joined(people, remote, "lead")
    out = lead.ok("team", "members")
    assert "mallory  1 week, latest week 2023-10-09" in out and "alice  1 week" in out


def many_members(lead, count: int) -> None:
    """`count` member folders, each with one week of 2023-10-16 (one commit, made directly)."""
    payload = week_bytes(Week(monday=MONDAY + timedelta(days=7)), [])
    for n in range(count):
        folder = lead.clone / "people" / f"m{n:05d}"
        folder.mkdir(parents=True)
        (folder / "2023-10-16.json").write_bytes(payload)
    git(lead.clone, "add", "-A")
    git(lead.clone, "commit", "-qm", "many")


def test_members_is_one_git_command_however_many_members(people, remote, monkeypatch):
    lead = joined(people, remote, "lead")
    many_members(lead, 300)
    calls = []
    real = repo.git
    monkeypatch.setattr(repo, "git", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    found, _ = repo.members(repo.load_team(lead.db))
    assert len(found) == 300 and all(m.weeks == 1 for m in found)
    assert calls == ["log"]
    report = lead.ok("team", "report", "--date", "2023-10-09")
    absent = report.rstrip().split("\n")[-1]
    assert absent.startswith("m00000, m00001") and absent.endswith("… (250 more)") and len(absent) < 500


async def test_the_team_screen_reads_members_weeks_off_the_ui_thread(people, remote, monkeypatch):
    from weekly_zhoubao.tui import team_screen
    from tests.tui.helpers import host_app

    alice = joined(people, remote, "alice")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    lead = joined(people, remote, "lead")
    threads = []
    real = team_screen.collect
    monkeypatch.setattr(team_screen, "collect", lambda *a, **k: threads.append(threading.current_thread())
                        or real(*a, **k))
    screen = team_screen.TeamScreen.for_store(lead.db, MONDAY, lambda monday, change: True, "zh")
    app = host_app(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 4
        await pilot.press("right_square_bracket")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(DataTable).row_count == 0
    assert len(threads) == 2 and threading.main_thread() not in threads

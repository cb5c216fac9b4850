"""A team's weeks over git: local bare repositories stand for the team's remote, one
store and clone per member and for the lead. No git identity exists anywhere (HOME is a
temporary folder, GIT_CONFIG_NOSYSTEM=1): `join` must give each clone one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from weekly_zhoubao.store.models import Week
from tests.conftest import ROOT
from tests.team.helpers import MONDAY, Member, git, joined, remote_text, week_of


# --- the whole round: publish, sync, members, report, pull -------------------------------

def test_members_publish_and_the_lead_rolls_the_week_up(people, remote):
    alice, bob = joined(people, remote, "alice"), joined(people, remote, "bob")
    alice.write(week_of("alice"))
    bob.write(week_of("bob"))
    assert "已以 alice 发布 1 个有改动的周" in alice.ok("team", "publish")
    assert "已以 bob 发布 1 个有改动的周" in bob.ok("team", "publish")

    lead = joined(people, remote, "lead")
    assert sorted(p.name for p in (lead.clone / "people").iterdir()) == ["alice", "bob"]
    listing = lead.ok("team", "members")
    assert "alice  1 周，最新一周 2023-10-09" in listing and "bob  1 周" in listing

    report = lead.ok("team", "report", "--date", "2023-10-13", "--members", "alice,bob,carol")
    assert report.startswith("# 团队周报 第42周 2023/10/13\n")
    assert "- 【alice 的重点】（alice）\n" in report and "- 【bob 的重点】（bob）\n" in report
    # incidents of all members merged by time, counts by grade summed
    assert report.index("10/9 09:37 bob 的事件") < report.index("10/9 15:37 alice 的事件")
    assert "事故数AB级1次，CD级1次" in report
    # metrics side by side
    assert "| 指标 | alice | bob |" in report
    assert "| 支付成功率 / 入金有效成功率 | 99.99% | 99.5% |" in report
    assert "1. alice 的其他（alice）\n2. bob 的其他（bob）" in report
    assert "### alice\n\nalice 的反思" in report
    assert report.rstrip().endswith("## 未发布\n\ncarol")
    assert "私密日报" not in report

    data = json.loads(lead.ok("team", "report", "--date", "2023-10-13", "--format", "json"))
    assert list(data["members"]) == ["alice", "bob"] and data["not_published"] == []
    assert data["incident_counts"] == {"AB": 1, "CD": 1}
    assert [i["member"] for i in data["incidents"]] == ["bob", "alice"]

    english = lead.ok("team", "report", "--date", "2023-10-13", "--lang", "en")
    assert "- **alice 的重点** (alice)" in english and "Incidents: A/B 1, C/D 1" in english

    # pull: members' items into the lead's own week, as drafts naming their source; twice adds nothing
    assert "已从 2 位成员拉入 8 条" in lead.ok("team", "pull", "--date", "2023-10-13")
    again = lead.ok("team", "pull", "--date", "2023-10-13")
    assert "拉入 0 条" in again and "（8 条已在）" in again
    week = lead.store().get(MONDAY)
    assert [k.title for k in week.key_work] == ["alice 的重点（来自alice）", "bob 的重点（来自bob）"]
    assert [i.summary for i in week.incidents] == ["alice 的事件（来自alice）", "bob 的事件（来自bob）"]
    assert week.key_work[0].body == "1. 第一步\n2. 第二步"
    assert [e.text for e in week.next_week] == ["alice 的下周（来自alice）", "bob 的下周（来自bob）"]
    assert week.daily_notes == []

    # a new week from bob arrives with sync
    bob.write(week_of("bob", MONDAY + timedelta(days=7)))
    assert "发布 1 个有改动的周" in bob.ok("team", "publish")
    assert "已同步：1 个新提交" in lead.ok("team", "sync")
    assert (lead.clone / "people" / "bob" / "2023-10-16.json").is_file()
    nobody = lead.ok("team", "report", "--date", "2023-10-16")
    assert "（bob）" in nobody and nobody.rstrip().endswith("## 未发布\n\nalice")


def test_pull_of_chosen_members_only(people, remote):
    alice, bob = joined(people, remote, "alice"), joined(people, remote, "bob")
    for member in (alice, bob):
        member.write(week_of(member.name))
        member.ok("team", "publish")
    lead = joined(people, remote, "lead")
    assert "已从 1 位成员拉入 4 条" in lead.ok("team", "pull", "--date", "2023-10-09", "--members", "bob")
    assert all("来自bob" in k.title for k in lead.store().get(MONDAY).key_work)


# --- privacy ---------------------------------------------------------------------------------

def test_private_sections_never_reach_the_repository(people, remote):
    alice = joined(people, remote, "alice", "--private", "daily_notes,reflections")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    held = remote_text(remote)
    assert "alice 的重点" in held  # published …
    assert "私密日报" not in held and "alice 的反思" not in held  # … but not the private sections
    published = json.loads((alice.clone / "people" / "alice" / "2023-10-09.json").read_text())
    assert published["daily_notes"] == [] and published["reflections"] == ""
    assert Week.model_validate(published).monday == MONDAY  # still a valid week


def test_daily_notes_are_private_by_default(people, remote):
    alice = joined(people, remote, "alice")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    held = remote_text(remote)
    assert "私密日报" not in held and "alice 的反思" in held


def test_an_unknown_private_section_is_refused(people, remote):
    code, _, err = people("alice").run("team", "join", str(remote), "--as", "alice", "--private", "diary")
    assert code == 2 and "--private: unknown section 'diary'" in err  # bad input
    assert not people("alice").clone.exists()


# --- identity ------------------------------------------------------------------------------

def test_no_git_identity_configured_join_gives_the_clone_one(people, remote):
    assert subprocess.run(["git", "config", "--global", "user.name"], capture_output=True).returncode != 0
    alice = joined(people, remote, "alice")
    assert git(alice.clone, "config", "--local", "user.name").strip() == "alice"
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    assert git(remote, "log", "--format=%an <%ae>").strip() == "alice <alice@weekly.invalid>"


def test_a_configured_identity_is_kept(people, remote, tmp_path):
    subprocess.run(["git", "config", "--global", "user.name", "Alice Li"], check=True)
    subprocess.run(["git", "config", "--global", "user.email", "alice@example.com"], check=True)
    alice = joined(people, remote, "alice")
    assert git(alice.clone, "config", "--local", "user.name", check=False) == ""
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    # the author names the folder (the rule sync checks); the committer is the user's git
    assert git(remote, "log", "--format=%an <%ae> / %cn").strip() == "alice <alice@example.com> / Alice Li"


# --- concurrency ---------------------------------------------------------------------------

def test_two_members_publishing_at_the_same_moment_five_times_all_weeks_arrive(people, remote):
    alice, bob = joined(people, remote, "alice"), joined(people, remote, "bob")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(5):
        monday = MONDAY + timedelta(days=7 * round_)
        procs = []
        for member in (alice, bob):
            member.write(week_of(member.name, monday))
        for member in (alice, bob):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "weekly_zhoubao.tui.cli", "team", "publish", "--date", monday.isoformat(),
                 "--db", str(member.db)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert "发布 1 个有改动的周" in out
    lead = joined(people, remote, "lead")
    for name in ("alice", "bob"):
        files = sorted(p.name for p in (lead.clone / "people" / name).iterdir())
        assert files == [f"{MONDAY + timedelta(days=7 * r)}.json" for r in range(5)]
    assert len(git(remote, "log", "--format=%H").split()) == 10
    assert git(remote, "log", "--merges", "--format=%H") == ""  # rebased, never merged


# --- faults --------------------------------------------------------------------------------

def test_an_unreachable_remote_commits_locally_and_pushes_on_the_next_try(people, remote, tmp_path):
    alice = joined(people, remote, "alice")
    alice.write(week_of("alice"))
    away = tmp_path / "elsewhere.git"
    remote.rename(away)
    code, out, err = alice.run("team", "publish")
    assert code == 1
    assert err.count("\n") == 1 and "committed locally" in err and "will be pushed on the next" in err
    assert "Traceback" not in err
    assert "alice: 1 week (2023-10-09)" in git(alice.clone, "log", "--format=%s")
    code, _, err = alice.run("team", "sync")
    assert code == 1 and "cannot reach the team repository" in err
    away.rename(remote)
    out = alice.ok("team", "publish")
    assert "发布 0 个有改动的周" in out and "推送了 1 个提交" in out
    assert "alice 的重点" in remote_text(remote)


def test_a_malformed_member_file_is_named_and_skipped(people, remote):
    alice, bob = joined(people, remote, "alice"), joined(people, remote, "bob")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    bob.write(week_of("bob"))
    bob.ok("team", "publish")
    broken = bob.clone / "people" / "bob" / "2023-10-09.json"
    broken.write_text('{"monday": "2023-10-09", "incidents": [{"at": "yesterday"}]}')
    (bob.clone / "people" / "bob" / "2023-10-16.json").write_text('{"monday": "2023-10-09"}')
    git(bob.clone, "commit", "-qam", "oops")
    git(bob.clone, "add", ".")
    git(bob.clone, "commit", "-qm", "wrong week")
    git(bob.clone, "push", "-q", "origin", "HEAD")

    lead = joined(people, remote, "lead")
    code, report, err = lead.run("team", "report", "--date", "2023-10-09")
    assert code == 0
    assert "people/bob/2023-10-09.json: does not validate (incidents.at: " in err
    assert "alice 的重点" in report and "bob 的" not in report
    code, report, err = lead.run("team", "report", "--date", "2023-10-16")
    assert "people/bob/2023-10-16.json: holds the week of 2023-10-09, not of its file name; skipped" in err


def alice_mallory_and_lead(people, remote) -> tuple[Member, Member, Member]:
    """alice has published her week; mallory and the lead have joined; mallory is in sync."""
    alice, mallory = joined(people, remote, "alice"), joined(people, remote, "mallory")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    lead = joined(people, remote, "lead")
    mallory.ok("team", "sync")
    return alice, mallory, lead


def test_a_member_writing_into_another_members_folder_is_refused_on_sync(people, remote):
    alice, mallory, lead = alice_mallory_and_lead(people, remote)

    forged = week_of("alice")
    forged.key_work[0].title = "伪造的重点"
    (mallory.clone / "people" / "alice" / "2023-10-09.json").write_text(forged.model_dump_json())
    git(mallory.clone, "commit", "-qam", "helping alice")  # authored by mallory, in alice's folder
    git(mallory.clone, "push", "-q", "origin", "HEAD")

    code, out, err = lead.run("team", "sync")
    assert code == 1
    assert "拒收 people/alice/2023-10-09.json: 由 'mallory' 在提交 " in err  # the store's language
    code, report, err = lead.run("team", "report", "--date", "2023-10-09")
    assert "伪造的重点" not in report and "alice 的重点" not in report
    assert "people/alice/2023-10-09.json：已拒收（由 'mallory' 在提交 " in err

    # alice publishes again (her own version wins in her clone): the file is hers once more
    alice.write(week_of("alice"))
    code, out, err = alice.run("team", "publish")
    assert code == 0, err
    assert lead.run("team", "sync")[0] == 0
    code, report, err = lead.run("team", "report", "--date", "2023-10-09")
    assert "【alice 的重点】（alice）" in report and "伪造" not in report and err == ""


def test_a_forged_author_line_cannot_pass_a_file_name_off_as_a_commit(people, remote):
    """git -z output is parsed by expecting the next commit id: a file named like a commit
    header must not make the files after it look like another member's."""
    alice, mallory, lead = alice_mallory_and_lead(people, remote)
    head = git(mallory.clone, "rev-parse", "HEAD").strip()
    (mallory.clone / f"{head}").write_text("x")  # a root file named like a known commit id
    (mallory.clone / "\nalice").write_text("x")
    (mallory.clone / "people" / "alice" / "2023-10-09.json").write_text(week_of("alice").model_dump_json())
    git(mallory.clone, "add", "-A")
    git(mallory.clone, "commit", "-qm", "sneaky")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    code, _, err = lead.run("team", "sync")
    assert code == 1 and "拒收 people/alice/2023-10-09.json" in err


def test_symlinks_and_odd_folders_in_the_repository_are_not_followed(people, remote, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(week_of("alice").model_dump_json())
    bob = joined(people, remote, "bob")
    folder = bob.clone / "people" / "bob"
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "2023-10-09.json")
    os.symlink(tmp_path, bob.clone / "people" / "eve")
    (bob.clone / "people" / "Not A Name").mkdir()
    (bob.clone / "people" / "Not A Name" / "2023-10-09.json").write_text(week_of("x").model_dump_json())
    git(bob.clone, "-c", "core.symlinks=true", "add", "-A")
    git(bob.clone, "commit", "-qm", "links")
    git(bob.clone, "push", "-q", "origin", "HEAD")
    lead = joined(people, remote, "lead")
    assert not (lead.clone / "people" / "bob" / "2023-10-09.json").is_symlink()  # checked out as text
    code, report, err = lead.run("team", "report", "--date", "2023-10-09")
    assert code == 0
    assert "people/bob/2023-10-09.json: not JSON" in err
    assert "people/Not A Name: not a member folder" in err
    assert "alice 的重点" not in report


def test_team_commands_before_joining_say_what_to_do(people):
    code, _, err = people("alice").run("team", "report")
    assert code == 1 and err == "weekly: not in a team yet: run `weekly team join URL --as NAME`\n"


def test_a_bad_member_name_is_refused_before_anything_is_cloned(people, remote):
    member = people("alice")
    code, _, err = member.run("team", "join", str(remote), "--as", "../bob")
    assert code == 1 and "'../bob' is not a member name" in err
    assert not member.clone.exists()
    code, _, err = member.run("team", "join", str(remote.with_name("missing.git")), "--as", "alice")
    assert code == 1 and err.startswith("weekly: git clone: fatal:") and err.count("\n") == 1


def test_publishing_an_unchanged_week_makes_no_commit(people, remote):
    alice = joined(people, remote, "alice")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    out = alice.ok("team", "publish")
    assert "发布 0 个有改动的周" in out
    assert len(git(remote, "log", "--format=%H").split()) == 1


def test_team_commands_load_neither_textual_nor_the_importer(people, remote):
    from tests.cli.helpers import loaded_after

    alice = joined(people, remote, "alice")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    modules = loaded_after(f"from weekly_zhoubao.tui.cli import main\n"
                           f"main(['team', 'report', '--date', '2023-10-09', '--db', {str(alice.db)!r}])")
    assert "weekly_zhoubao.exporters.team" in modules
    assert not {m for m in modules if m.split(".")[0] in ("textual", "markdown_it")}
    assert "weekly_zhoubao.tui.app" not in modules
    assert "weekly_zhoubao.exporters.reader" not in modules


def test_pulling_a_week_nobody_published_writes_nothing(people, remote):
    lead = joined(people, remote, "lead")
    assert "无可拉取" in lead.ok("team", "pull", "--date", "2023-10-09")
    assert lead.store().get(MONDAY) is None


def test_a_merge_that_changes_another_members_file_is_refused(people, remote):
    alice, mallory, lead = alice_mallory_and_lead(people, remote)
    clone = mallory.clone
    git(clone, "checkout", "-qb", "side")
    git(clone, "commit", "-q", "--allow-empty", "-m", "side")
    git(clone, "checkout", "-q", "-")
    git(clone, "commit", "-q", "--allow-empty", "-m", "main line")
    git(clone, "merge", "-q", "--no-ff", "--no-commit", "side")
    forged = week_of("alice")
    forged.reflections = "伪造"
    (clone / "people" / "alice" / "2023-10-09.json").write_text(forged.model_dump_json())
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "an innocent merge")
    git(clone, "push", "-q", "origin", "HEAD")
    code, _, err = lead.run("team", "sync")
    assert code == 1 and "拒收 people/alice/2023-10-09.json: 由 'mallory' 在提交 " in err

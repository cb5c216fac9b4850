"""A team repository nobody can forge or leak through (issue 25): a publish writes only the
member's own folder onto the team's latest commit (never a rebase); sync checks every path
of every new commit, merges included, whatever the user's git config says; checkouts ignore
the repository's attributes. Three or more members, one of whom (mallory) misbehaves, over
a local bare repository (fixtures of tests/test_team.py)."""

from __future__ import annotations

import pytest

import json
import subprocess
from datetime import timedelta

from tests.team.helpers import MONDAY, git, joined, week_of

pytestmark = pytest.mark.usefixtures("english")  # these read the shell's English lines


def published(member, *weeks) -> None:
    for week in weeks or (week_of(member.name),):
        member.write(week)
    member.ok("team", "publish")


def test_a_publish_never_writes_into_a_third_members_folder(people, remote):
    alice, bob, carol = (joined(people, remote, n) for n in ("alice", "bob", "carol"))
    mallory = joined(people, remote, "mallory")
    published(alice)
    published(bob)
    carol.ok("team", "sync")
    mallory.ok("team", "sync")
    # mallory moves alice's week into carol's folder (a folder rename in git's eyes)
    (mallory.clone / "people" / "carol").mkdir()
    git(mallory.clone, "mv", "people/alice/2023-10-09.json", "people/carol/2023-10-02.json")
    git(mallory.clone, "commit", "-qm", "tidy")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    alice.write(week_of("alice", MONDAY + timedelta(days=7)))
    code, out, err = alice.run("team", "publish")
    assert code == 0, err
    changed = git(remote, "show", "--name-status", "--no-renames", "--format=%an", "HEAD").split()
    assert changed == ["alice", "A", "people/alice/2023-10-09.json", "A", "people/alice/2023-10-16.json"]
    lead = joined(people, remote, "lead")
    assert "carol's `weekly team publish` restores 1 refused file" in lead.run("team", "members")[2]
    assert carol.run("team", "sync")[0] == 1  # the planted file is in her clone now …
    published(carol)  # … and her folder is what her store holds: it goes
    assert lead.run("team", "sync")[0] == 0 and lead.run("team", "members")[2] == ""
    assert sorted(p.name for p in (lead.clone / "people" / "carol").iterdir()) == ["2023-10-09.json"]
    assert "alice 的重点" in lead.ok("team", "report", "--date", "2023-10-16")
    assert "carol 的重点" in lead.ok("team", "report", "--date", "2023-10-09")


def test_a_member_whose_folder_was_moved_by_another_can_still_publish_and_sync(people, remote):
    alice, m3, mallory = (joined(people, remote, n) for n in ("alice", "m3", "mallory"))
    published(alice)
    published(m3)
    mallory.ok("team", "sync")
    git(mallory.clone, "mv", "people/m3", "people/m7")
    git(mallory.clone, "commit", "-qm", "rename")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    code, _, err = m3.run("team", "sync")
    assert code == 1 and "people/m3/2023-10-09.json: changed by 'mallory'" in err
    assert "m3's next `weekly team publish` restores it" in err
    m3.write(week_of("m3", MONDAY + timedelta(days=7)))
    code, out, err = m3.run("team", "publish")
    assert code == 0, err
    for _ in range(2):
        assert m3.run("team", "sync")[0] == 0
    lead = joined(people, remote, "lead")
    assert "m3  2 weeks" in lead.ok("team", "members")
    assert "m3 的重点" in lead.ok("team", "report", "--date", "2023-10-09")


def alice_mallory_lead(people, remote):
    alice, bob, mallory = (joined(people, remote, n) for n in ("alice", "bob", "mallory"))
    published(alice)
    published(bob)
    lead = joined(people, remote, "lead")
    mallory.ok("team", "sync")
    return alice, mallory, lead


def forge(clone, text: str = "伪造") -> None:
    week = week_of("alice")
    week.key_work[0].title = text
    (clone / "people" / "alice" / "2023-10-09.json").write_text(week.model_dump_json())


def test_a_merge_that_restores_a_refused_change_is_refused_again(people, remote):
    alice, mallory, lead = alice_mallory_lead(people, remote)
    clone = mallory.clone
    forge(clone)
    git(clone, "commit", "-qam", "forged")
    forged = git(clone, "rev-parse", "HEAD").strip()
    git(clone, "push", "-q", "origin", "HEAD")
    assert lead.run("team", "sync")[0] == 1
    alice.ok("team", "publish")  # her own version again
    assert lead.run("team", "sync")[0] == 0
    # a side branch from the forged commit, merged so that the result equals that parent
    git(clone, "fetch", "-q", "origin")
    git(clone, "checkout", "-qb", "side", forged)
    published_week = week_of("mallory")
    (clone / "people" / "mallory").mkdir(exist_ok=True)
    (clone / "people" / "mallory" / "2023-10-09.json").write_text(published_week.model_dump_json())
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "mine")
    branch = git(lead.clone, "symbolic-ref", "--short", "HEAD").strip()
    git(clone, "checkout", "-qB", "on-top", f"origin/{branch}")
    git(clone, "merge", "-q", "--no-ff", "--no-commit", "-X", "theirs", "side")
    git(clone, "checkout", "side", "--", "people/alice/2023-10-09.json")
    git(clone, "commit", "-qm", "merge")
    assert "people/alice" not in git(clone, "log", "-1", "--cc", "--name-only", "--format=")  # git log hides it
    git(clone, "push", "-q", "origin", f"HEAD:{branch}")
    code, _, err = lead.run("team", "sync")
    assert code == 1 and "refused people/alice/2023-10-09.json: changed by 'mallory'" in err
    code, report, err = lead.run("team", "report", "--date", "2023-10-09")
    assert "伪造" not in report and "people/alice/2023-10-09.json: refused" in err


def test_a_signed_forgery_is_refused_when_the_leads_git_shows_signatures(people, remote, tmp_path):
    alice, mallory, lead = alice_mallory_lead(people, remote)
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    subprocess.run(["git", "config", "--global", "log.showSignature", "true"], check=True)
    forge(mallory.clone)
    git(mallory.clone, "-c", "gpg.format=ssh", "-c", f"user.signingKey={key}", "commit", "-S", "-qam", "signed")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    code, _, err = lead.run("team", "sync")
    assert code == 1 and "refused people/alice/2023-10-09.json: changed by 'mallory'" in err
    assert "伪造" not in lead.run("team", "report", "--date", "2023-10-09")[1]


def test_file_names_equal_to_commit_ids_do_not_confuse_the_check(people, remote):
    alice, mallory, lead = alice_mallory_lead(people, remote)
    clone = mallory.clone
    ids = git(clone, "rev-list", "--all").split()
    for n, sha in enumerate(ids):  # every known id, and ids as folder names too
        (clone / sha).write_text("x")
        (clone / "people" / sha[:40]).mkdir(exist_ok=True)
    (clone / ":000000 100644").write_text("x")
    forge(clone)
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "names")
    git(clone, "push", "-q", "origin", "HEAD")
    code, _, err = lead.run("team", "sync")
    assert code == 1 and "refused people/alice/2023-10-09.json: changed by 'mallory'" in err
    assert f"refused {ids[0]}: outside people/NAME/*.json" in err


def test_gitattributes_from_one_member_changes_nobody_elses_files(people, remote):
    alice, mallory, lead = alice_mallory_lead(people, remote)
    (mallory.clone / ".gitattributes").write_text("*.json working-tree-encoding=UTF-16\n")
    (mallory.clone / ".gitmodules").write_text('[submodule "x"]\n\tpath = x\n\turl = ../x\n')
    git(mallory.clone, "add", "-A")
    git(mallory.clone, "commit", "-qm", "attributes")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    code, _, err = lead.run("team", "sync")
    assert code == 1
    assert "refused .gitattributes: outside people/NAME/*.json" in err
    assert "refused .gitmodules: outside people/NAME/*.json" in err
    alice.write(week_of("alice", MONDAY + timedelta(days=7)))
    alice.ok("team", "publish")
    newcomer = joined(people, remote, "newcomer")  # a new lead checks out the same bytes
    for clone in (lead.clone, newcomer.clone):
        assert lead.run("team", "sync")[0] == 0
        raw = (clone / "people" / "alice" / "2023-10-09.json").read_bytes()
        assert raw.startswith(b"{") and json.loads(raw)["monday"] == "2023-10-09"
    report = newcomer.ok("team", "report", "--date", "2023-10-09")
    assert "alice 的重点" in report and "bob 的重点" in report


def test_after_a_forgery_the_owners_publish_clears_it(people, remote):
    alice, mallory, lead = alice_mallory_lead(people, remote)
    forge(mallory.clone)
    git(mallory.clone, "commit", "-qam", "helping")
    git(mallory.clone, "push", "-q", "origin", "HEAD")
    code, _, err = lead.run("team", "sync")
    assert "alice's next `weekly team publish` restores it" in err
    members = lead.run("team", "members")
    assert "alice  0 weeks" in members[1] and "alice's `weekly team publish` restores 1 refused file" in members[2]
    # alice has not synced: her clone and store are as before; her publish still restores the file
    code, out, err = alice.run("team", "publish")
    assert code == 0, err
    assert "already had everything" not in out and "pushed 1 commit" in out
    assert lead.run("team", "sync")[0] == 0
    code, report, err = lead.run("team", "report", "--date", "2023-10-09")
    assert "- **alice 的重点** (alice)" in report and "伪造" not in report and err == ""
    assert "alice  1 week" in lead.ok("team", "members")

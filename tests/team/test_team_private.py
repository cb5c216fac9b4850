"""Private means private (issue 25): sections whose meaning is private — daily notes,
reflections — never reach the team repository, also when import kept them as text sections
(`daily`, `reflections-2`: a `## 日报` of prose, a second `## 心得`). The whole history of
the remote and of every clone is searched for the private words."""

from __future__ import annotations

import pytest

from pathlib import Path

from weekly_zhoubao.store.models import Section, Week
from tests.team.helpers import MONDAY, git, joined, week_of

pytestmark = pytest.mark.usefixtures("english")  # these read the shell's English lines

REPORT = """# 2023.10.13 第42周

## 本周重点

- 【公开的重点】进展顺利

## 日报

周一 私密日报甲

## 心得

私密心得乙

## 心得

私密心得丙
"""
PRIVATE_WORDS = ("私密日报甲", "私密心得乙", "私密心得丙", "私密日报丁")


def every_version(repository: Path) -> str:
    return git(repository, "log", "-p", "--all", "--format=%H %an")


def test_private_sections_kept_as_text_by_import_are_never_published(people, remote, tmp_path):
    alice = joined(people, remote, "alice", "--private", "daily_notes,reflections")
    report = tmp_path / "week-42.md"
    report.write_text(REPORT, encoding="utf-8")
    alice.ok("import", str(report))
    keys = [s.key for s in alice.store().get(MONDAY).sections]
    assert "daily" in keys and "reflections-2" in keys  # kept as text sections by import
    alice.ok("team", "publish")
    bob = joined(people, remote, "bob")  # daily notes private (the default); reflections published
    # a week of bob's own making, its sections under other names
    bob.write(week_of("bob", sections=[Section(key="日报", title="日报", body="私密日报丁"),
                                        Section(key="learnings", title="心得", body="bob 公开的心得"),
                                        Section(key="hiring", title="Hiring", body="bob 的招聘")]))
    code, out, err = bob.run("team", "publish")
    assert code == 0, err
    lead = joined(people, remote, "lead")
    alice.ok("team", "sync")
    for repository in (remote, alice.clone, bob.clone, lead.clone):
        history = every_version(repository)
        published = ("公开的重点", "bob 的招聘", "bob 公开的心得")
        assert all(words in history for words in published)  # the rest is published …
        assert not [w for w in PRIVATE_WORDS if w in history]  # … the private words never
    rolled = lead.ok("team", "report", "--date", "2023-10-13")
    assert not [w for w in PRIVATE_WORDS if w in rolled]
    assert Week.model_validate_json((lead.clone / "people" / "alice" / "2023-10-09.json").read_text())

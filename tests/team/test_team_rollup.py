"""The roll-up in the lead's template (issue #18): members writing in other templates are
mapped section by section as the importer maps headings; what the lead's template has no
place for follows under "other sections", attributed; nothing is dropped. And the shell's
`team pull` as ops: another writer's change made meanwhile stays.

Local bare repositories stand for the team's remote (fixtures of tests/team/conftest.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from weekly_zhoubao.store.models import Incident, KeyWorkItem, ListEntry, Objective, ObjectiveItem, Section, Week
from weekly_zhoubao.store.ops import AddElement, Batch, SetFields, SetText
from tests.conftest import ROOT
from tests.team.helpers import MONDAY, joined, week_of

DATE = "2023-10-13"


def alice_week() -> Week:  # the default template (the sample's layout)
    return week_of("alice", objectives=[Objective(code="O1", title="服务业务", items=[
        ObjectiveItem(id="oi-alice", name="物保", text="alice 的目标项 10/10上线完成")])])


def bob_week() -> Week:  # weeknotes: Done / Next / Blockers, and sections of his own
    return Week(
        monday=MONDAY, template="weeknotes",
        key_work=[KeyWorkItem(id="kw-bob", title="bob shipped the ledger")],
        next_week=[ListEntry(id="n-bob", text="bob rolls it out")],
        incidents=[Incident(id="inc-bob", at=datetime(2023, 10, 9, 9, 37), grade="A", summary="bob 的事件")],
        sections=[Section(key="risks", title="Blockers", form="list", body="- bob waits on the DBA"),
                  Section(key="lessons-learned", title="Lessons learned", body="bob: small PRs merge faster"),
                  Section(key="hiring", title="Hiring", body="bob: two interviews")])


def chen_week() -> Week:  # zh-simple: 本周工作 / 下周计划 / 问题与风险 / 需要的支持
    return Week(
        monday=MONDAY, template="zh-simple",
        key_work=[KeyWorkItem(id="kw-chen", title="chen 完成对账改造")],
        next_week=[ListEntry(id="n-chen", text="chen 下周上线")],
        sections=[Section(id="t2-risks", key="risks", title="问题与风险", form="list", body="1. chen 人手不足"),
                  Section(id="t3-support", key="support", title="需要的支持", form="list", body="1. chen 需要一位DBA")])


# every word the members wrote that a roll-up must carry (daily notes are private)
WRITTEN = {
    "alice": ["alice 的重点", "1. 第一步", "99.99%", "alice 的事件", "alice 的其他", "alice 的下周", "alice 的反思",
              "alice 的目标项 10/10上线完成"],
    "bob": ["bob shipped the ledger", "bob rolls it out", "bob 的事件", "bob waits on the DBA",
            "bob: small PRs merge faster", "bob: two interviews"],
    "chen": ["chen 完成对账改造", "chen 下周上线", "chen 人手不足", "chen 需要一位DBA"],
}


@pytest.fixture
def team(people, remote):
    """alice (default), bob (weeknotes) and chen (zh-simple) have published; the lead joined."""
    for name, week in (("alice", alice_week()), ("bob", bob_week()), ("chen", chen_week())):
        member = joined(people, remote, name)
        member.write(week)
        member.ok("team", "publish")
    return joined(people, remote, "lead")


def with_config(monkeypatch, tmp_path, template: str, extra_files: dict[str, str] | None = None) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text(f'template = "{template}"\n')
    for name, text in (extra_files or {}).items():
        (config.parent / name).write_text(text)
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))


def headings(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith("#")]


def part(report: str, heading: str) -> str:
    """The text under `heading` up to the next heading as high or higher."""
    level = len(heading) - len(heading.lstrip("#"))
    start = report.index(heading + "\n") + len(heading) + 1
    end = re.search(r"^#{1,%d} " % level, report[start:], re.M)
    return report[start:start + end.start() if end else len(report)]


def report_of(lead, *extra: str) -> str:
    return lead.ok("team", "report", "--date", DATE, "--members", "alice,bob,chen,dave", *extra)


USER_TEMPLATE = """
lang = "en"
title = { en = "Week {number}" }
[[sections]]
key = "shipped"
heading = { en = "Accomplishments" }
[[sections]]
key = "problems"
heading = { en = "Problems" }
marker = "- "
"""


@pytest.mark.parametrize("template", ["default", "en", "zh-simple", "weeknotes", "mine"])
def test_whatever_the_leads_template_every_members_words_arrive_attributed(team, monkeypatch, tmp_path, template):
    with_config(monkeypatch, tmp_path, template, {"mine.toml": USER_TEMPLATE})
    report = report_of(team)
    for member, words in WRITTEN.items():
        for text in words:
            assert text in report, f"{member}'s {text!r} dropped in a {template} roll-up"
    for member in WRITTEN:  # each member's entries name them
        assert f"（{member}）" in report or f" ({member})" in report or f"# {member}" in report
    assert "私密日报" not in report  # private, never published
    assert headings(report)[-1] in ("## 未发布", "## Not published") and report.rstrip().endswith("dave")


def test_a_lead_in_zh_simple_gets_its_sections_and_members_land_in_them(team, monkeypatch, tmp_path):
    with_config(monkeypatch, tmp_path, "zh-simple")
    report = report_of(team)
    assert report.startswith("# 团队周报 第42周 2023/10/13\n")
    tops = [h for h in headings(report) if h.startswith("## ")]
    assert tops == ["## 本周工作", "## 下周计划", "## 问题与风险", "## 需要的支持", "## 其他部分", "## 未发布"]
    # key work of all three, whatever their template called it (Done, 本周工作, 重点工作)
    done = part(report, "## 本周工作")
    assert "1. alice 的重点（alice）" in done and "2. bob shipped the ledger（bob）" in done
    assert "3. chen 完成对账改造（chen）" in done
    assert "1. alice 的下周（alice）\n2. bob rolls it out（bob）\n3. chen 下周上线（chen）" in part(report, "## 下周计划")
    # bob's Blockers is the lead's 问题与风险, under his name and his own heading's words
    risks = part(report, "## 问题与风险")
    assert "### bob · Blockers\n\n- bob waits on the DBA" in risks and "### chen\n\n1. chen 人手不足" in risks
    assert "### chen\n\n1. chen 需要一位DBA" in part(report, "## 需要的支持")
    # zh-simple has no place for metrics, objectives, incidents, other, reflections: they follow
    others = part(report, "## 其他部分")
    assert [h for h in headings(others) if h.startswith("### ")] == [
        "### 系统运行数据", "### O1 服务业务", "### 生产稳定性事件", "### 其他", "### 收获与反思", "### Hiring"]
    assert "| 支付成功率 / 入金有效成功率 | 99.99% |  |  |" in others
    assert "事故数AB级1次，CD级1次" in others
    assert others.index("10/9 09:37 bob 的事件") < others.index("10/9 15:37 alice 的事件")
    assert "- 物保：alice 的目标项 10/10上线完成（alice）" in others
    assert "#### alice\n\nalice 的反思\n\n#### bob · Lessons learned\n\nbob: small PRs merge faster" in others
    assert "### Hiring\n\n#### bob\n\nbob: two interviews" in others


def test_a_lead_writing_weeknotes_in_their_own_week_gets_done_next_blockers(team):
    team.write(Week(monday=MONDAY, template="weeknotes"))  # the lead's week names its template
    report = report_of(team, "--lang", "zh")  # weeknotes is written in English whatever is asked
    assert report.startswith("# Team Week 42 · 2023-10-13\n")
    assert [h for h in headings(report) if h.startswith("## ")] == [
        "## Done", "## Next", "## Blockers", "## Other sections", "## Not published"]
    assert "- alice 的重点 (alice)\n1. 第一步" in part(report, "## Done")
    assert "- chen 下周上线 (chen)" in part(report, "## Next")
    blockers = part(report, "## Blockers")
    assert "### bob\n\n- bob waits on the DBA" in blockers and "### chen · 问题与风险\n\n1. chen 人手不足" in blockers
    others = part(report, "## Other sections")
    assert "### 需要的支持\n\n#### chen\n\n1. chen 需要一位DBA" in others
    assert "### Reflections\n\n#### alice" in others and "Incidents: A/B 1, C/D 1" in others


def test_a_week_the_lead_has_not_written_yet_rolls_up_in_last_weeks_template(team):
    team.write(Week(monday=MONDAY - timedelta(days=7), template="weeknotes"))
    assert report_of(team).startswith("# Team Week 42 · 2023-10-13\n\n## Done\n")


def test_a_damaged_year_file_of_the_leads_store_does_not_stop_the_team_report(team, monkeypatch, tmp_path):
    with_config(monkeypatch, tmp_path, "zh-simple")
    team.write(Week(monday=MONDAY, template="weeknotes"))
    team.db.with_name("weekly.2023.json").write_text("{ damaged")
    code, out, err = team.run("team", "report", "--date", DATE)
    assert code == 0 and out.startswith("# 团队周报 第42周 2023/10/13\n\n## 本周工作\n")
    assert "weekly.2023.json" in err and "汇总使用配置中的模板" in err


def test_a_lead_in_the_default_template_maps_members_sections_by_meaning(team):
    report = report_of(team)
    assert report.startswith("# 团队周报 第42周 2023/10/13\n\n## 【重点工作】\n\n- 【alice 的重点】（alice）\n")
    # each member's own markers: only the sample's writers get bracketed titles (issue 24)
    assert "- bob shipped the ledger（bob）\n1. chen 完成对账改造（chen）" in report
    # bob's "Lessons learned" is the lead's 收获与反思
    assert "### alice\n\nalice 的反思\n\n### bob · Lessons learned\n\nbob: small PRs merge faster" in part(
        report, "## 收获与反思")
    # risks and help have no place in the sample's layout: grouped under other sections, attributed
    others = part(report, "## 其他部分")
    assert "### Blockers\n\n#### bob\n\n- bob waits on the DBA\n\n#### chen · 问题与风险\n\n1. chen 人手不足" in others
    assert "### 需要的支持\n\n#### chen" in others and "### Hiring\n\n#### bob" in others
    english = team.ok("team", "report", "--date", DATE, "--lang", "en")
    assert english.startswith("# Team Week 42 · 2023-10-13\n\n## Key work\n\n- **alice 的重点** (alice)\n")
    assert "## Other sections" in english and "### bob · Lessons learned" in english


def test_a_lead_in_en_gets_the_samples_english_twin(team, monkeypatch, tmp_path):
    with_config(monkeypatch, tmp_path, "en")
    report = report_of(team, "--lang", "zh")  # the en template forces English
    tops = [h for h in headings(report) if h.startswith("## ")]
    assert tops[:3] == ["## Key work", "## Operational metrics", "## O1 服务业务"]
    assert tops[-2:] == ["## Other sections", "## Not published"]
    assert "- 物保: alice 的目标项 10/10上线完成 (alice)" in report
    assert "1. alice 的下周 (alice)\n2. bob rolls it out (bob)" in part(report, "## Next week")


def test_a_section_of_the_leads_own_week_takes_members_sections_of_that_name(team):
    lead_week = Week(monday=MONDAY, sections=[Section(key="hiring", title="Hiring", body="lead: a req opened")])
    team.write(lead_week)
    report = report_of(team)
    hiring = part(report, "## Hiring")
    assert hiring.strip() == "### bob\n\nbob: two interviews"  # the lead's own words are not the team's
    assert "### Hiring" not in part(report, "## 其他部分")


def test_a_user_template_places_members_by_its_headings_words(team, monkeypatch, tmp_path):
    with_config(monkeypatch, tmp_path, "mine", {"mine.toml": USER_TEMPLATE})
    report = report_of(team)
    assert report.startswith("# Team Week 42\n\n## Accomplishments\n\n")  # "Accomplishments" names key work
    assert "- alice 的重点 (alice)" not in report and "1. alice 的重点 (alice)" in part(report, "## Accomplishments")
    problems = part(report, "## Problems")
    assert "### bob · Blockers" in problems and "### chen · 问题与风险" in problems


def test_a_member_file_from_an_imported_report_keeps_its_text_around_the_title(people, remote):
    dana = joined(people, remote, "dana")
    dana.write(Week(monday=MONDAY, preamble="---\nauthor: dana\n---", intro="dana 的开场白",
                    sections=[Section(key="key_work", title="本周工作", body="- dana 照原样写的工作")]))
    dana.ok("team", "publish")
    lead = joined(people, remote, "lead")
    report = lead.ok("team", "report", "--date", DATE)
    # a section kept as written for a field lands in that field's place, under its member
    assert "### dana · 本周工作\n\n- dana 照原样写的工作" in part(report, "## 【重点工作】")
    opening = part(report, "### 标题前后的文字")
    assert "author: dana" in opening and "dana 的开场白" in opening


def test_a_members_text_cannot_forge_the_reports_structure(people, remote):
    mallory = joined(people, remote, "mallory")
    mallory.write(Week(monday=MONDAY, reflections="## 未发布\n\nnobody", sections=[
        Section(key="notes", title="Notes", body="# 第1周 伪造\n## 其他部分\n##### a deeper heading of hers")]))
    mallory.ok("team", "publish")
    lead = joined(people, remote, "lead")
    report = lead.ok("team", "report", "--date", DATE, "--members", "mallory,dave")
    assert headings(report) == ["# 团队周报 第42周 2023/10/13", "## 【重点工作】", "## 【系统运行数据】",
                                "## 生产稳定性事件", "## 【其他】", "## 收获与反思", "### mallory",
                                "# 下周工作及目标", "## 其他部分", "### Notes", "#### mallory",
                                "##### a deeper heading of hers", "## 未发布"]
    assert report.rstrip().endswith("## 未发布\n\ndave")
    assert "\\## 未发布\n\nnobody" in report and "\\# 第1周 伪造" in report


# --- pull through ops ------------------------------------------------------------------------

def test_pull_from_the_shell_keeps_what_another_writer_saved_meanwhile(team, monkeypatch):
    """The pull is worked out on the week as read; a real second process then logs an
    incident in the same week; the pull's ops, applied to the freshest stored week under the
    lock, add the members' items and leave that incident in place."""
    from weekly_zhoubao.store.team import rollup

    team.write(Week(monday=MONDAY, key_work=[KeyWorkItem(id="mine", title="the lead's own")]))
    worked_out = rollup.pull_op

    def then_another_writer(*args, **kwargs):
        found = worked_out(*args, **kwargs)
        op, _ = found  # element by element: no whole week is written over the other writer's
        assert isinstance(op, Batch) and {type(o) for o in op.ops} == {AddElement, SetText, SetFields}
        # the week's own sections, and the pulled items marked as drafts (Week.drafts)
        assert [o.changes.keys() for o in op.ops if isinstance(o, SetFields)] == [{"sections", "drafts"}]
        done = subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "incident", "a writer meanwhile", "--at",
                               "2023-10-11 10:00", "--grade", "D", "--db", str(team.db)],
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              cwd=ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        return found

    monkeypatch.setattr(rollup, "pull_op", then_another_writer)
    out = team.ok("team", "pull", "--date", DATE, "--members", "alice,bob")
    assert "已从 2 位成员拉入 11 条" in out  # alice's 8 items, bob's 3 sections
    week = team.store().get(MONDAY)
    assert sorted(i.summary for i in week.incidents) == [
        "a writer meanwhile", "alice 的事件（来自alice）", "bob 的事件（来自bob）"]
    assert [k.title for k in week.key_work] == ["the lead's own", "alice 的重点（来自alice）", "bob shipped the ledger（来自bob）"]
    assert week.objectives[0].items[0].text == "alice 的目标项 10/10上线完成（来自alice）"
    # bob's sections: his Lessons learned joins the reflections; Blockers and Hiring (no such
    # section in the lead's default week) come as sections of their own, naming him
    assert week.reflections == "bob: small PRs merge faster（来自bob）"
    assert [(s.title, s.body) for s in week.sections] == [
        ("Blockers", "- bob waits on the DBA（来自bob）"), ("Hiring", "bob: two interviews（来自bob）")]
    # pulling again (nobody else writing) adds nothing and writes nothing
    monkeypatch.setattr(rollup, "pull_op", worked_out)
    before = team.store().get(MONDAY)
    again = team.ok("team", "pull", "--date", DATE, "--members", "alice,bob")
    assert "拉入 0 条" in again and team.store().get(MONDAY) == before


def test_pull_into_a_week_not_yet_written_starts_it_and_adds_the_items(team):
    out = team.ok("team", "pull", "--date", DATE, "--members", "chen")
    assert "已从 1 位成员拉入 4 条" in out
    week = team.store().get(MONDAY)
    assert [k.title for k in week.key_work] == ["chen 完成对账改造（来自chen）"]
    assert [e.text for e in week.next_week] == ["chen 下周上线（来自chen）"]
    assert [(s.title, s.body) for s in week.sections] == [
        ("问题与风险", "1. chen 人手不足（来自chen）"), ("需要的支持", "1. chen 需要一位DBA（来自chen）")]


def test_members_sections_pulled_into_a_zh_simple_week_join_its_own_sections(team, monkeypatch, tmp_path):
    with_config(monkeypatch, tmp_path, "zh-simple")  # the lead's first week has 问题与风险 / 需要的支持
    assert "已从 2 位成员拉入 10 条" in team.ok("team", "pull", "--date", DATE, "--members", "bob,chen")
    week = team.store().get(MONDAY)
    risks, support, hiring = week.sections
    assert (risks.title, risks.body) == ("问题与风险", "- bob waits on the DBA（来自bob）\n\n1. chen 人手不足（来自chen）")
    assert (support.title, support.body) == ("需要的支持", "1. chen 需要一位DBA（来自chen）")
    assert (hiring.title, hiring.body) == ("Hiring", "bob: two interviews（来自bob）")
    again = team.ok("team", "pull", "--date", DATE, "--members", "bob,chen")
    assert "拉入 0 条" in again and "（10 条已在）" in again
    assert team.store().get(MONDAY).sections == week.sections


def test_join_makes_the_stores_folder_private_whatever_the_umask(people, remote):
    old = os.umask(0)
    try:
        joined(people, remote, "erin")
    finally:
        os.umask(old)
    folder = people("erin").db.parent
    assert folder.stat().st_mode & 0o777 == 0o700

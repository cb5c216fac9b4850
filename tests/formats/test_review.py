"""The review of a period (SPEC §8): figures worked out by hand on five weeks, the periods
(quarters, halves, years, ranges across a year end, periods holding no week), the zh and en
Markdown, JSON, HTML, and the `weekly review` command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from weekly_zhoubao.exporters.review import render_json, render_markdown
from weekly_zhoubao.exporters.review_html import FONT_STACK, render_html
from weekly_zhoubao.store import review as rv
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident, ListEntry, Week
from weekly_zhoubao.tui.cli import main

from tests.conftest import ROOT
from tests.formats.review_weeks import W1, W2, W3, W4, W5, hand_weeks

Q4 = rv.quarter("2023Q4")


@pytest.fixture
def store(tmp_path) -> WeekStore:
    s = WeekStore(tmp_path / "weekly.json")
    s.put_many(hand_weeks())
    return s


@pytest.fixture
def review(store) -> rv.Review:
    return rv.build_review(store, Q4)


# --- periods ------------------------------------------------------------------------------

def test_periods_parse_to_their_dates():
    assert (Q4.start, Q4.end, Q4.label) == (date(2023, 10, 1), date(2023, 12, 31), "2023Q4")
    assert (rv.half("2023H1").start, rv.half("2023H1").end) == (date(2023, 1, 1), date(2023, 6, 30))
    assert (rv.year("2024").start, rv.year("2024").end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert rv.quarter("2024q1").end == date(2024, 3, 31)
    assert rv.period_holding("quarter", date(2023, 11, 15)) == Q4
    assert Q4.shifted(1) == rv.quarter("2024Q1") and Q4.shifted(-4) == rv.quarter("2022Q4")
    assert rv.half("2023H2").shifted(1) == rv.half("2024H1")
    week = rv.date_range(date(2023, 10, 2), date(2023, 10, 8))
    assert week.shifted(1) == rv.date_range(date(2023, 10, 9), date(2023, 10, 15))


@pytest.mark.parametrize("parse, text", [(rv.quarter, "2023Q5"), (rv.quarter, "Q4"), (rv.half, "2023H3"),
                                         (rv.year, "23"), (rv.year, "3000"), (rv.quarter, "1899Q4")])
def test_bad_periods_are_refused_with_a_reason(parse, text):
    with pytest.raises(ValueError, match=text.strip()):
        parse(text)


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        rv.date_range(date(2023, 12, 1), date(2023, 11, 1))


def test_a_week_belongs_to_the_period_holding_its_report_day():
    # 2023Q4: Fridays 10/06 … 12/29 (13 weeks); the week of Monday 2024-12-30 reports on
    # 2025-01-03, so it is 2025's (第1周), not 2024's.
    mondays = rv.mondays_in(Q4)
    assert len(mondays) == 13 and mondays[0] == date(2023, 10, 2) and mondays[-1] == date(2023, 12, 25)
    assert date(2024, 12, 30) in rv.mondays_in(rv.year("2025"))
    assert date(2024, 12, 30) not in rv.mondays_in(rv.year("2024"))
    assert len(rv.mondays_in(rv.year("2023"))) == 52


# --- figures by hand ----------------------------------------------------------------------

def test_coverage_counts_the_weeks_written_and_names_the_missing(review):
    assert len(review.weeks) == 13 and review.written == [W1, W2, W3, W4, W5]
    assert review.missing == [date(2023, 10, 23), date(2023, 11, 13), date(2023, 11, 20), date(2023, 11, 27),
                              date(2023, 12, 4), date(2023, 12, 11), date(2023, 12, 18), date(2023, 12, 25)]


def test_incidents_by_grade_per_month_durations_and_resolved_share(review):
    inc = review.incidents
    # October: B (10/3), C (10/10), ungraded (10/11), A (10/31); November: D (11/1), C (11/7)
    assert inc.by_month == [("2023-10", {"A": 1, "B": 1, "C": 1, "D": 0, "": 1}),
                            ("2023-11", {"A": 0, "B": 0, "C": 1, "D": 1, "": 0})]
    assert inc.by_grade == {"A": 1, "B": 1, "C": 2, "D": 1, "": 1} and inc.total == 6
    # durations 30 + 10 + 120 + 5 + 20 (one unknown); sorted 5 10 20 30 120: median 20
    assert (inc.total_minutes, inc.median_minutes, inc.with_duration) == (185, 20, 5)
    assert (inc.resolved, inc.resolved_share) == (4, pytest.approx(4 / 6))
    assert [(s.grade, s.at, s.impact, s.resolution) for s in inc.severe] == [
        ("B", datetime(2023, 10, 3, 10, 0), "出金延迟", "回滚"),
        ("A", datetime(2023, 10, 31, 23, 50), "全部支付失败", "切换备用通道")]


def test_metrics_first_last_min_max_median_weeks_meeting_target_and_worst(review):
    rate, latency = review.metrics
    # W4 wrote the rate under a new id with no value: matched by name, a gap in the series
    assert [v for _, v in rate.series] == [99.995, 99.98, 99.99, None, 99.999]
    assert (rate.first, rate.last, rate.low, rate.high) == (99.995, 99.999, 99.98, 99.999)
    assert rate.median == pytest.approx((99.99 + 99.995) / 2)
    assert (rate.met, rate.judged) == (3, 4)  # 99.98 misses 99.99; 99.99 meets it (≥)
    assert rate.worst == (W2, 99.98)
    # lower is better, target 200: 180 ✓ 250 ✗ 190 ✓ 210 ✗ 150 ✓
    assert (latency.first, latency.last, latency.low, latency.high, latency.median) == (180, 150, 150, 250, 190)
    assert (latency.met, latency.judged, latency.worst) == (3, 5, (W2, 250))


def test_objectives_start_end_new_dropped_and_slipped(review):
    tracks = {t.label: t for t in review.objectives}
    assert set(tracks) == {"收银台升级", "杭州政府存管", "看懂账", "物保", "POS收单"}
    pay, hz = tracks["收银台升级"], tracks["杭州政府存管"]
    assert (pay.start_progress, pay.end_progress, pay.end_status) == (20, 100, "done")
    # due 10/20 → 10/27: 7 days later; and on W4's report day (11/03) 10/27 had passed, not done: 7 days
    assert (pay.moved_days, pay.overdue_days) == (7, 7)
    # matched by name across new ids; due 10/19 never moved, still not done on 11/10: 22 days
    assert (hz.start_progress, hz.end_progress, hz.moved_days, hz.overdue_days) == (10, 40, 0, 22)
    assert [t.label for t in review.new_items] == ["POS收单"]
    assert [t.label for t in review.dropped_items] == ["看懂账"]  # 物保 went because it was done
    assert [t.label for t in review.slipped_items] == ["收银台升级", "杭州政府存管"]


def test_delivered_names_the_date_and_the_week_reporting_it(review):
    # 收银台升级 reached done in W5 (launch date 10/27); 物保 was carried over done: not this period's
    assert [(d.label, d.on, d.week) for d in review.delivered] == [("收银台升级", date(2023, 10, 27), W5)]


def test_key_work_reflections_and_plans_never_done(review):
    assert [(t.title, t.weeks) for t in review.key_work] == [("商户服务重构", [W1, W2]), ("银行虚户", [W2, W5])]
    assert [w for w, _ in review.reflections] == [W2, W5]
    # 收银台升级上线 came true in W5; ADC述职 was planned twice, 杭州政府存管上线 once, neither done
    assert [(p.text, p.week, p.weeks_planned) for p in review.unfinished_plans] == [
        ("ADC述职", W1, 2), ("杭州政府存管上线", W3, 1)]


# --- periods with gaps, year ends, nothing ----------------------------------------------------

def test_a_period_across_a_year_end_reads_both_years(tmp_path):
    store = WeekStore(tmp_path / "weekly.json")
    store.put_many([Week(monday=date(2023, 12, 25), reflections="年末"),
                    Week(monday=date(2024, 1, 8), reflections="年初",
                         incidents=[Incident(at=datetime(2024, 1, 9, 10, 0), grade="C", summary="x",
                                             duration_min=3)])])
    got = rv.build_review(store, rv.date_range(date(2023, 12, 18), date(2024, 1, 14)))
    # Fridays 12/22, 12/29, 1/5, 1/12: the weeks of 12/18 and 1/1 have no report
    assert [w.monday for w in got.weeks] == [date(2023, 12, 18), date(2023, 12, 25), date(2024, 1, 1),
                                             date(2024, 1, 8)]
    assert got.written == [date(2023, 12, 25), date(2024, 1, 8)]
    assert got.missing == [date(2023, 12, 18), date(2024, 1, 1)]
    assert [w.number for w in got.weeks] == [52, 53, 1, 2]  # jan1 numbering: 2023 has 53 weeks
    assert got.incidents.by_month == [("2024-01", {"A": 0, "B": 0, "C": 1, "D": 0, "": 0})]
    md = render_markdown(got, "zh")
    assert "- 已写 2/4 周" in md and "缺：第52周 2023/12/22、第1周 2024/01/05" in md


def test_only_the_year_files_the_period_touches_are_read(store):
    # a damaged file of another year would stop any reader that opened it
    store.year_path(2021).write_text("{not json")
    store.year_path(2024).write_text("")
    got = rv.build_review(store, Q4)
    assert got.written == [W1, W2, W3, W4, W5]


def test_the_first_week_of_a_year_may_sit_in_the_previous_year_file(tmp_path):
    store = WeekStore(tmp_path / "weekly.json")
    store.put_many([Week(monday=date(2024, 12, 30), reflections="跨年周")])
    assert rv.build_review(store, rv.year("2025")).written == [date(2024, 12, 30)]
    assert rv.build_review(store, rv.year("2024")).written == []


def test_a_period_without_a_week_says_so(store):
    empty = rv.build_review(store, rv.date_range(date(2023, 10, 10), date(2023, 10, 12)))  # Tue–Thu
    assert empty.weeks == [] and empty.written == [] and empty.incidents.total == 0
    md = render_markdown(empty, "zh")
    assert "本期间没有任何一周" in md and "- 无" in md
    assert "No week falls in this period" in render_markdown(empty, "en")
    assert json.loads(render_json(empty))["coverage"] == {"written": 0, "weeks": 0}
    assert "<svg" not in render_html(empty, "en")


def test_a_period_with_no_report_written_lists_every_week_missing(store):
    got = rv.build_review(store, rv.quarter("2024Q1"))
    assert got.written == [] and len(got.missing) == 13
    assert got.metrics == [] and got.objectives == [] and got.delivered == []
    assert "- 已写 0/13 周" in render_markdown(got, "zh")


# --- the documents --------------------------------------------------------------------------

def test_zh_markdown_follows_the_report_conventions(review):
    md = render_markdown(review, "zh")
    assert md.startswith("# 2023年第四季度述职 2023/10/01–2023/12/31\n\n## 【周报覆盖】\n\n- 已写 5/13 周\n")
    for line in [
        "- 2023/10/27 O1 收银台升级（第46周 2023/11/10）",
        "    - 收银台升级：20%（10/06） → 50%（10/13） → 80%（10/20） → 90%（11/03） → 100%（11/10），已完成",
        "    - O1 收银台升级：日期 2023/10/20 → 2023/10/27，推迟7天，逾期未完成7天",
        "    - O1 杭州政府存管：逾期未完成22天",
        "- 新增：", "    - O1 POS收单：第43周 2023/10/20",
        "- 2023年10月：A级1次，B级1次，C级1次，D级0次，未定级1次，共4次",
        "- 合计：A级1次，B级1次，C级2次，D级1次，未定级1次，共6次",
        "- 总时长185分钟，中位数20分钟（5/6次记录了时长）",
        "- 已解决 4/6（66.7%）",
        "    - 2023/10/31 23:50 支付中断，A级事故，持续120分钟，影响：全部支付失败，处理：切换备用通道",
        "- 入金有效成功率：首周99.995%，末周99.999%，最低99.98%，最高99.999%，中位数99.9925%；"
        "3/4 周达标（目标99.99%）；最差：第42周 2023/10/13 99.98%",
        "- P99延迟：首周180ms，末周150ms，最低150ms，最高250ms，中位数190ms；3/5 周达标（目标200ms）；"
        "最差：第42周 2023/10/13 250ms",
        "- 【银行虚户】第42周 2023/10/13、第46周 2023/11/10", "支付成功率：", "系统可用性：",
        "### 第42周 2023/10/13",
        "1. ADC述职（第41周 2023/10/06列入，共2周）",
    ]:
        assert line in md.split("\n"), line
    for heading in ("## 【交付】", "## 【目标进展】", "## 【生产稳定性】", "## 【系统运行数据】",
                    "## 【重点工作】", "## 收获与反思", "## 【未完成的计划】"):
        assert f"\n{heading}\n" in md


def test_en_markdown_is_its_twin(review):
    md = render_markdown(review, "en")
    assert md.startswith("# Review of 2023 Q4 · 2023-10-01–2023-12-31\n\n## Coverage\n\n- 5 of 13 weeks written\n")
    for line in [
        "- 2023-10-27 O1 收银台升级 (Week 46 · 2023-11-10)",
        "- Total: A 1, B 1, C 2, D 1, ungraded 1; 6 in all",
        "- 185 min in all, median 20 min (5 of 6 with a duration)",
        "- Resolved: 4/6 (66.7%)",
        "- P99延迟: first 180ms, last 150ms, min 150ms, max 250ms, median 190ms; target met 3/5 weeks "
        "(target 200ms); worst: Week 42 · 2023-10-13 250ms",
        "1. ADC述职 (Week 41 · 2023-10-06, listed 2 weeks)",
    ]:
        assert line in md.split("\n"), line
    for heading in ("## Delivered", "## Objectives", "## Production incidents", "## Operational metrics",
                    "## Key work", "## Reflections", "## Plans not done"):
        assert f"\n{heading}\n" in md


def test_user_text_cannot_break_the_markdown(tmp_path):
    store = WeekStore(tmp_path / "weekly.json")
    store.put(Week(monday=W1, next_week=[ListEntry(text="# 不是标题")], reflections="## 不是标题"))
    md = render_markdown(rv.build_review(store, Q4), "zh")
    assert "\n## 不是标题" not in md and "\\## 不是标题" in md
    assert "1. \\# 不是标题" in md


def test_json_holds_every_figure(review):
    data = json.loads(render_json(review))
    assert data["period"] == {"start": "2023-10-01", "end": "2023-12-31", "kind": "quarter", "label": "2023Q4"}
    assert data["coverage"] == {"written": 5, "weeks": 13}
    assert data["incidents"]["total_minutes"] == 185 and data["incidents"]["resolved_share"] == pytest.approx(4 / 6)
    assert data["metrics"][1]["met"] == 3 and data["metrics"][1]["judged"] == 5
    assert [o["label"] for o in data["objectives"] if o["slipped"]] == ["收银台升级", "杭州政府存管"]


def test_html_is_self_contained_printable_and_has_the_charts(review):
    page = render_html(review, "zh")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "@page { size: A4" in page and "@media print" in page
    assert FONT_STACK in page and '"Noto Sans CJK SC"' in FONT_STACK and "sans-serif" in FONT_STACK
    # nothing loaded from anywhere: no script, no link, no src, no url(); only SVG's namespaces
    for needle in ("<script", "<link", " src=", "url(", "@import"):
        assert needle not in page
    assert {a for a in __import__("re").findall(r"https?://[^\"'<> ]+", page)} <= {
        "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    # two metrics, incidents by grade, objective progress
    assert page.count('<figure class="chart"') == 4 and page.count("<svg") == 4
    assert render_html(review, "zh") == page  # deterministic: pygal's random chart ids replaced


# --- the command ----------------------------------------------------------------------------

def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_review_command_prints_and_writes(store, tmp_path, capsys):
    db = ["--db", str(store.path)]
    code, out, err = run(["review", "--quarter", "2023Q4", *db], capsys)
    assert code == 0 and out.startswith("# 2023年第四季度述职") and err == ""
    code, out, _ = run(["review", "--half", "2023H2", "--lang", "en", *db], capsys)
    assert code == 0 and out.startswith("# Review of 2023 H2") and "- 5 of 26 weeks written" in out
    target = tmp_path / "out" / "q4.html"
    code, out, _ = run(["review", "--quarter", "2023Q4", "--format", "html", "-o", str(target), *db], capsys)
    assert code == 0 and out.strip() == str(target) and target.read_text().startswith("<!DOCTYPE html>")
    code, out, _ = run(["review", "--from", "2023-10-01", "--to", "2023-10-31", "--format", "json", *db], capsys)
    assert code == 0 and json.loads(out)["coverage"] == {"written": 3, "weeks": 4}  # Fridays 10/6–10/27
    code, out, _ = run(["review", "--date", "2023-11-15", *db], capsys)  # no period: the quarter of --date
    assert code == 0 and out.startswith("# 2023年第四季度述职")
    folder = tmp_path / "reviews"
    folder.mkdir()
    code, out, _ = run(["review", "--year", "2023", "--format", "json", "-o", str(folder), *db], capsys)
    assert code == 0 and json.loads((folder / "review-2023.json").read_text())["period"]["label"] == "2023"


@pytest.mark.parametrize("args", [
    ["--quarter", "2023Q5"], ["--half", "2023H3"], ["--year", "abc"], ["--year", "3000"],
    ["--from", "2023-10-01"], ["--to", "2023-10-01"], ["--from", "2023-12-01", "--to", "2023-11-01"],
    ["--quarter", "2023Q4", "--year", "2023"], ["--quarter", "2023Q4", "--from", "2023-10-01", "--to", "2023-10-02"],
    ["--from", "2023-02-30", "--to", "2023-03-01"], ["--quarter", "2023Q4", "--format", "pdf"],
])
def test_a_bad_period_gets_one_line_exit_2_and_nothing_written(store, tmp_path, capsys, args):
    target = tmp_path / "never.md"
    with pytest.raises(SystemExit) as exit_:
        code = main(["review", *args, "-o", str(target), "--db", str(store.path)])
        raise SystemExit(code)
    _, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert err.count("\n") == 1 and err.startswith("weekly") and "Traceback" not in err
    assert not target.exists()


def test_the_command_runs_in_a_fresh_process(store, tmp_path):
    out = subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "review", "--year", "2023", "--lang", "en",
                          "--db", str(store.path)], capture_output=True, text=True, timeout=60,
                         cwd=ROOT, env={"WEEKLY_CONFIG": "/nonexistent", "PATH": ""})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Review of 2023 · 2023-01-01–2023-12-31")


def test_user_text_is_text_in_the_html(tmp_path):
    from weekly_zhoubao.store.models import KeyWorkItem

    store = WeekStore(tmp_path / "weekly.json")
    store.put(Week(monday=W1, key_work=[KeyWorkItem(title="<img src=x onerror=alert(1)>")],
                   reflections="</p><script>alert(1)</script>", next_week=[ListEntry(text="a & <b>")]))
    page = render_html(rv.build_review(store, Q4), "en")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "a &amp; &lt;b&gt;" in page


def test_a_renamed_item_keeps_its_history_and_its_old_name_goes_to_no_newcomer(tmp_path):
    from tests.formats.review_weeks import item, o1

    store = WeekStore(tmp_path / "weekly.json")
    store.put_many([Week(monday=W1, objectives=o1(item("旧名", 10, id="x"))),
                    Week(monday=W2, objectives=o1(item("旧名", 0), item("新名", 30, id="x")))])
    tracks = {t.label: t for t in rv.build_review(store, Q4).objectives}
    assert (tracks["新名"].start_progress, tracks["新名"].end_progress, tracks["新名"].new) == (10, 30, False)
    assert (tracks["旧名"].start_progress, tracks["旧名"].new) == (0, True)


def test_a_damaged_year_file_in_the_period_gets_one_line_and_no_file(store, tmp_path, capsys):
    store.year_path(2023).write_text("{not json")
    target = tmp_path / "q4.md"
    code = main(["review", "--quarter", "2023Q4", "-o", str(target), "--db", str(store.path)])
    _, err = capsys.readouterr()
    assert code != 0 and err.count("\n") == 1 and "damaged" in err and not target.exists()

"""Figures you can trust (issue 23 point 6): counts by grade come from the incidents' grades,
never from the counts a report states; coverage counts the weeks that hold something."""

from __future__ import annotations

import json
from datetime import date, datetime

from weekly_zhoubao.exporters.review import render_json, render_markdown
from weekly_zhoubao.exporters.team import render_rollup, rollup_json
from weekly_zhoubao.store import review
from weekly_zhoubao.store.models import Incident, Metric, Week
from weekly_zhoubao.store.team.rollup import Rollup

MONDAY = date(2023, 10, 9)
COUNTS = Metric(group="系统可用性", name="事故数", kind="incident_counts")


def member_week(*incidents: Incident, stated=None) -> Week:
    return Week(monday=MONDAY, metrics=[COUNTS], incidents=list(incidents), stated_incident_counts=stated)


def d_grade(at=datetime(2023, 10, 12, 10, 20)) -> Incident:
    return Incident(at=at, grade="D", summary="对账文件生成延迟，D级，已补跑")


def test_the_roll_up_counts_a_members_graded_incident_whatever_the_report_stated():
    # bob's imported report stated 0/0 above its own D-grade incident; alice's states 0/1
    # over an ungraded event (the sample's way)
    rollup = Rollup(MONDAY, weeks={
        "alice": member_week(Incident(at=datetime(2023, 10, 10, 9, 0), summary="未定级事件"), stated=(0, 1)),
        "bob": member_week(d_grade(), stated=(0, 0)),
        "chen": member_week(Incident(at=datetime(2023, 10, 11, 9, 0), grade="B", summary="B级"),
                            d_grade(datetime(2023, 10, 11, 10, 0))),
    })
    assert rollup.member_counts("bob") == (0, 1)
    assert rollup.incident_counts() == (1, 2)
    report = render_rollup(rollup)
    assert "事故数AB级1次，CD级2次" in report
    assert "事故数AB级0次，CD级0次" not in report
    lines = report.splitlines()
    assert lines.index("事故数AB级1次，CD级2次") < next(n for n, line in enumerate(lines) if "对账文件生成延迟" in line)
    table_row = next(line for line in lines if line.startswith("| 系统可用性 / 事故数"))
    assert table_row == "| 系统可用性 / 事故数 | AB级0次，CD级0次 | AB级0次，CD级1次 | AB级1次，CD级1次 |"
    assert rollup_json(rollup)["incident_counts"] == {"AB": 1, "CD": 2}


def test_the_review_counts_incidents_by_their_grades_not_the_stated_counts():
    weeks = [member_week(d_grade(), stated=(0, 0)),
             Week(monday=date(2023, 10, 16), incidents=[Incident(at=datetime(2023, 10, 17, 9, 0), summary="未定级")],
                  stated_incident_counts=(2, 2))]
    q4 = review.compute(review.quarter("2023Q4"), weeks)
    assert q4.incidents.by_grade == {"A": 0, "B": 0, "C": 0, "D": 1, "": 1}
    assert "合计：A级0次，B级0次，C级0次，D级1次，未定级1次，共2次" in render_markdown(q4)


def test_coverage_counts_the_weeks_that_hold_something():
    weeks = [member_week(d_grade()),
             Week(monday=date(2023, 10, 16), metrics=[COUNTS]),  # stored, holding nothing
             Week(monday=date(2023, 10, 23), reflections="写了点东西")]
    q4 = review.compute(review.quarter("2023Q4"), weeks)
    assert q4.written == [MONDAY, date(2023, 10, 23)]
    assert date(2023, 10, 16) in q4.missing
    assert "已写 2/13 周" in render_markdown(q4)
    assert json.loads(render_json(q4))["coverage"] == {"written": 2, "weeks": 13}

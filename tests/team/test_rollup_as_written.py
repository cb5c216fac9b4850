"""Issue 24 point 7: the team roll-up prints no empty section and keeps each member's item
markers (a member's numbered zh-simple key work stays numbered, not the sample's bracketed
titles)."""

from __future__ import annotations

from datetime import date

from weekly_zhoubao.exporters.team import render_rollup
from weekly_zhoubao.store.models import KeyWorkItem, Objective, ObjectiveItem, Week
from weekly_zhoubao.store.team.rollup import Rollup

MONDAY = date(2023, 10, 9)


def test_each_members_key_work_keeps_its_markers_and_no_objective_heading_is_empty():
    alice = Week(monday=MONDAY, key_work=[KeyWorkItem(title="商户服务重构", body="领域模型review")],
                 objectives=[Objective(code="O1", title="服务业务", items=[ObjectiveItem(name="物保")]),
                             Objective(code="O3", title="安全稳定、降本提效")])
    bob = Week(monday=MONDAY, template="zh-simple",
               key_work=[KeyWorkItem(title="POS收单：支付链路测试完成，进度70%"), KeyWorkItem(title="对账")])
    report = render_rollup(Rollup(MONDAY, {"alice": alice, "bob": bob}))
    lines = report.split("\n")
    assert "- 【商户服务重构】（alice）" in lines, "the sample's member: its bracketed titles"
    assert "1. POS收单：支付链路测试完成，进度70%（bob）" in lines and "2. 对账（bob）" in lines
    assert not any("【POS收单" in line for line in lines)
    assert "## 【O1 服务业务】" in lines
    assert not any(line.startswith("## 【O3") for line in lines), "no member wrote under O3: no heading"

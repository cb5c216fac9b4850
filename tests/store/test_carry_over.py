"""Issue 24 point 7: next week's carry-over drops what is done and the marks of items pulled
from members (`（来自bob）`); a done item with a sub-item still open stays, marked."""

from __future__ import annotations

from datetime import date

from weekly_zhoubao.store.carry import carry_over, source_mark, without_source_mark
from weekly_zhoubao.store.models import ListEntry, Objective, ObjectiveItem, Week

MONDAY = date(2023, 10, 9)


def item(name: str, status: str = "in progress", children=()) -> ObjectiveItem:
    return ObjectiveItem(name=name, status=status, children=list(children))


def test_done_items_and_source_marks_do_not_carry_over():
    week = Week(monday=MONDAY, objectives=[Objective(code="O1", title="服务业务", items=[
        item("物保", "done"),
        item("杭州政府存管" + source_mark("bob", "zh")),
        item("POS收单", "done", [item("支付链路", "done"), item("终端申请")]),
    ])], next_week=[ListEntry(text="商户升级" + source_mark("bob", "zh")), ListEntry(text="review (from amy)")])
    nxt = carry_over(week, date(2023, 10, 16))
    items = nxt.objectives[0].items
    assert [i.name for i in items] == ["杭州政府存管", "POS收单"], "done, and nothing open under it: dropped"
    assert items[1].carried_done and [c.name for c in items[1].children] == ["终端申请"]
    assert not items[0].carried_done
    assert [k.title for k in nxt.key_work] == ["商户升级", "review"]
    assert week.objectives[0].items[0].name == "物保", "last week is left as it was"


def test_a_source_mark_goes_only_at_a_lines_end():
    assert without_source_mark("来自bob的需求（来自bob）") == "来自bob的需求"
    assert without_source_mark("a (from bob) b") == "a (from bob) b"
    assert without_source_mark("第一行（来自bob）\n第二行") == "第一行\n第二行"

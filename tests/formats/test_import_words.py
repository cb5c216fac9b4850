"""Fields and words together (SPEC §2.2): an imported element keeps its exact lines and gains
the fields read from them; the export writes the lines as they were until the element is
edited (through the session, as the TUI's forms and editors do), then from its fields."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from weekly_zhoubao.exporters.importer import export_file, read_text
from weekly_zhoubao.exporters.markdown import render
from weekly_zhoubao.store import ops
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.migrations import migrate_week_doc
from weekly_zhoubao.store.models import SCHEMA_VERSION, Week
from weekly_zhoubao.store.session import Session

REPORT = """# 周报 2024.06.14

## 本周工作

**张三**：
- [x] 支付回归 进度60%
  - 覆盖 5 个渠道
- [ ] 退款链路改造，预计6/21上线
</br>补充说明

## 数据

- 日均交易笔数：182,400笔
- 结算准时率: 99.8%，人工调账次数：14次

| 指标 | 本周 | 目标 |
|---|---|---|
| 可用性 | 99.95% | 99.9% |

注：口径同上周

## 事故

- 6/14 08:30 结算文件晚到，已恢复
- 6/12 19:05 清分任务重复执行，持续2h，已修复

## 下周计划

1. 清分规则引擎切流
"""

MONDAY = date(2024, 6, 10)


def _week() -> Week:
    result = read_text(REPORT, "r.md")
    assert not result.problems and not result.warnings
    return result.weeks[0].week


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_every_element_gains_its_fields_and_the_file_comes_back_as_written():
    week = _week()
    first, second = week.key_work
    assert (first.title, first.done, first.progress, first.body) == ("支付回归 进度60%", True, 60, "  - 覆盖 5 个渠道")
    assert first.before == "**张三**："  # the per-person label stays above its items
    assert (second.done, second.due) == (False, date(2024, 6, 21))
    assert {m.name: m.value for m in week.metrics} == {"日均交易笔数": "182400", "结算准时率": "99.8",
                                                     "人工调账次数": "14", "可用性": "99.95"}
    assert next(m for m in week.metrics if m.name == "可用性").target == 99.9
    assert [str(i.at) for i in week.incidents] == ["2024-06-14 08:30:00", "2024-06-12 19:05:00"]  # newest first
    assert week.incidents[1].duration_min == 120 and week.incidents[1].status == "resolved"
    assert [e.text for e in week.next_week] == ["清分规则引擎切流"]
    assert week.sections == []  # nothing left as text only
    assert _lines(export_file(read_text(REPORT, "r.md"))) == _lines(REPORT)


def test_the_stored_week_keeps_the_words(tmp_path):
    store = WeekStore(tmp_path / "w.json")
    store.put(_week())
    assert _lines(render(store.get(MONDAY))) == _lines(REPORT)


@pytest.fixture
def session(tmp_path):
    store = WeekStore(tmp_path / "w.json")
    store.put(_week())
    s = Session(WeekStore(tmp_path / "w.json"), clock=lambda: datetime(2024, 6, 14, 9), start=MONDAY)
    yield s
    s.close()


def _saved(session: Session) -> Week:
    assert session.flush() is None, session.save_error
    return session.store.get(MONDAY)


def test_an_edited_item_is_written_from_its_fields_the_others_as_they_were(session):
    item = session.week.key_work[1]
    session.apply(ops.edit_element(MONDAY, item, {"title": "退款链路改造"}))
    week = _saved(session)
    out = render(week)
    assert "- [ ] 退款链路改造\n\\</br>补充说明" in out  # from its fields, in the template's way
    assert "- [x] 支付回归 进度60%\n  - 覆盖 5 个渠道" in out  # untouched: as written
    assert "**张三**：" in out and "注：口径同上周" in out


def test_undo_of_an_edit_brings_the_words_back(session):
    incident = session.week.incidents[0]
    session.apply(ops.edit_element(MONDAY, incident, {"grade": "D"}))
    edited = render(_saved(session))
    assert "- 6/14 08:30 结算文件晚到，已恢复，D级事故" in edited
    session.undo()
    assert "- 6/14 08:30 结算文件晚到，已恢复\n" in render(_saved(session))


def test_an_edited_body_and_a_new_metric_reading_clear_the_words(session):
    draft = session.draft(("key_work", session.week.key_work[0].id))
    assert draft.save("  - 覆盖 6 个渠道")
    session.apply(ops.RecordMetric(MONDAY, "人工调账次数", "12"))
    week = _saved(session)
    assert week.key_work[0].written is None
    out = render(week)
    assert "- [x] 支付回归 进度60%\n  - 覆盖 6 个渠道" in out
    assert "- 结算准时率：99.8%，人工调账次数：12次" in out  # the line's readings, from their fields


def test_a_store_written_before_the_words_migrates():
    doc = {"schema_version": 3, "monday": "2024-06-10", "key_work": [{"title": "甲"}]}
    week = Week.model_validate(migrate_week_doc(doc))
    assert week.schema_version == SCHEMA_VERSION == 4 and week.key_work[0].written is None

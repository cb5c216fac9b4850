from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from weekly_zhoubao.exporters.markdown import ExportOptions, render
from weekly_zhoubao.exporters.reader import ImportProblem, read_report, read_report_file
from tests.formats.helpers import weeks
from weekly_zhoubao.store.models import (
    Incident, KeyWorkItem, ListEntry, Week,
)


def significant(text: str) -> list[str]:
    """Line for line, apart from Notion's Created: line and runs of blank lines."""
    return [line for line in text.split("\n") if line.strip() and not line.startswith("Created: ")]


def test_golden_sample_round_trip(sample_text, sample_week):
    out = render(sample_week)
    assert significant(out) == significant(sample_text)
    # byte for byte, too: only the Created line and the final newline differ
    assert out == sample_text.replace("Created: 2023年11月29日 20:54\n\n", "") + "\n"


def test_export_is_deterministic(sample_week):
    assert render(sample_week) == render(sample_week.model_copy(deep=True))


def test_sample_structured_fields(sample_week):
    w = sample_week
    assert w.monday == date(2023, 10, 9) and w.page_title == "第42周 2023-10-13"
    assert [o.heading for o in w.objectives] == ["O1 服务业务", "O2系统升级", "O3 安全稳定、降本提效"]
    assert w.incident_host == "O3"
    assert [i.at for i in w.incidents][0] == datetime(2023, 10, 9, 15, 37)
    assert w.incidents[0].duration_min == 10 and "影响" in w.incidents[0].impact
    assert all(i.grade is None for i in w.incidents)
    assert w.stated_incident_counts == (0, 1), "the stated CD count is kept: the log grades none"
    values = {m.name: m.value for m in w.metrics}
    assert values["入金有效成功率"] == "99.997" and values["一次支付成功率"] == "99.206"
    items = {i.name or i.text: i for o in w.objectives for i in o.walk()}
    assert items["家家盈平台（小贝项目）"].progress == 50
    assert items["物保"].due == date(2023, 10, 10) and items["物保"].status == "done"
    assert items["存管衍生-银行卡办理"].due == date(2023, 10, 26)
    assert items["存管衍生-银行卡办理"].status != "done", "预计…上线完成 is a plan"
    assert any(i.progress == 70 for i in items.values())  # 完成占比70%
    assert [n.day for n in w.daily_notes] == [date(2023, 10, 12)]
    assert w.daily_notes[0].link == "2023-10-12%20周四_r6KkZhiGFMTBBoQGJk2sfH.md"


def test_derived_counts_replace_stated_ones_once_graded(sample_week):
    sample_week.incidents[0].grade = "C"
    sample_week.stated_incident_counts = None
    assert "- 事故数AB级0次，CD级1次" in render(sample_week)
    sample_week.incidents[1].grade = "A"
    assert "- 事故数AB级1次，CD级1次" in render(sample_week)


def test_en_template_is_the_english_twin(sample_week):
    out = render(sample_week, ExportOptions(lang="en"))
    assert out.startswith("# Week 42 · 2023-10-13\n\n## Key work\n\n- **商户服务重构**\n")
    for heading in ("## Operational metrics", "## O1 服务业务", "## Production incidents", "## Other",
                    "## Reflections", "## Next week", "## Daily notes"):
        assert heading in out
    assert "- Incidents: A/B 0, C/D 1" in out
    assert "[2023-10-12 Thu](2023-10-12%20周四_r6KkZhiGFMTBBoQGJk2sfH.md)" in out


def other_weeks_report() -> str:
    return """# 第3周 2024/01/19

## 【重点工作】

- 【结构 [x] | `y` #z】
正文第一行
    1. 一级
        - 二级 **粗体** [链接](http://a)
            1. 三级
\\# 不是标题
\\- 【不是新条目】

## 【系统运行数据】

## 【O1 服务业务】

- 甲：进度 35%，预计2024/01/26提测
    1. 子项，55％
        1. 孙项
- 乙

## 【O4 新目标】

- 新目标项目
    - 无序子项

## 【其他】

## 收获与反思

第一段 [bold]x[/bold] [/] [@click=app.quit]q[/]

第二段

# 下周工作及目标

1. 计划一
2. 计划二

# 日报合集
"""


def test_other_weeks_objectives_and_nesting_round_trip():
    text = other_weeks_report()
    week = read_report(text)
    assert [o.code for o in week.objectives] == ["O1", "O4"]
    o1 = week.objectives[0]
    assert o1.items[0].progress == 35 and o1.items[0].due == date(2024, 1, 26)
    assert o1.items[0].children[0].progress == 55
    assert o1.items[0].children[0].children[0].name == "孙项"
    assert week.key_work[0].title == "结构 [x] | `y` #z"
    assert "# 不是标题" in week.key_work[0].body and "- 【不是新条目】" in week.key_work[0].body
    assert render(week) == text


def test_hostile_text_cannot_add_a_section_or_a_table():
    week = Week(monday=date(2023, 10, 9), key_work=[KeyWorkItem(
        title="t", body="# 新章节\n## 【其他】\n| a | b |\n|---|---|\n```\n- 【伪条目】\n===")],
        reflections="# 下周工作及目标\n---", next_week=[ListEntry(text="# x\n2. y")])
    out = render(week)
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    headings = [out.split("\n")[t.map[0]] for t in tokens if t.type == "heading_open"]
    assert headings == ["# 第42周 2023/10/13", "## 【重点工作】", "## 【系统运行数据】", "## 【其他】",
                        "## 收获与反思", "# 下周工作及目标", "# 日报合集"]
    assert not any(t.type == "table_open" for t in tokens)
    again = read_report(out)
    assert again.key_work[0].body == week.key_work[0].body
    assert again.reflections == week.reflections and again.next_week[0].text == "# x\n2. y"


# --- bad files -------------------------------------------------------------------------------

@pytest.mark.parametrize("content, line, why", [
    (b"# \xff\xfe report\n", 1, "neither UTF-8 nor GB18030"),
    ("## 【重点工作】\n\n- 【x】\n".encode(), 1, "no week title"),
    ("# 第9周 2023/02/30\n".encode(), 1, "2023/02/30 is not a date"),
    ("# 第42周 2023/10/13\n\n## 【O1 x】\n\n- a\n- 13/45 10:00 y\n".encode(), 0, None),
])
def test_bad_files_say_file_and_line(tmp_path, content, line, why):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    if why is None:
        read_report_file(path)  # an odd but valid item line is just text
        return
    with pytest.raises(ImportProblem) as info:
        read_report_file(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert why in str(info.value)


# --- property: export -> import -> export is stable ------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks())
def test_export_import_export_is_stable(week):
    first = render(week)
    again = read_report(first)
    assert render(again) == first
    assert [k.body for k in again.key_work] == [k.body for k in week.key_work]
    assert again.reflections == week.reflections


def test_a_grade_after_a_finished_sentence_is_not_joined_by_a_second_comma():
    from weekly_zhoubao.store.words import incident_text

    at = datetime(2023, 10, 9, 15, 37)
    ended = Incident(at=at, summary="出现超时8s，业务无影响。", grade="C", duration_min=10)
    assert incident_text(ended) == "出现超时8s，业务无影响。C级事故，持续10分钟"
    open_clause = Incident(at=at, summary="回滚配置后恢复", grade="D")
    assert incident_text(open_clause) == "回滚配置后恢复，D级事故"

"""Templates are data: built-ins, a user's TOML template, a week's own sections, and a change
of template that loses nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from weekly_zhoubao.exporters.importer import read_text
from weekly_zhoubao.exporters.markdown import ExportOptions, render
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.migrations import migrate_week_doc
from weekly_zhoubao.store.models import SCHEMA_VERSION, KeyWorkItem, ListEntry, Week
from weekly_zhoubao.store.sections import add_section, change_template, delete_section, edit_section, move_section, rename_section
from weekly_zhoubao.store.templates import builtin_templates, load_template, parse_template
from tests.conftest import ROOT

MONDAY = date(2024, 3, 11)


def test_templates_import_cheaply_without_tomllib_or_textual():
    code = "import sys, store.templates; print('tomllib' in sys.modules, 'textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def test_builtins():
    names = set(builtin_templates())
    assert {"default", "en", "zh-simple", "weeknotes"} <= names
    simple = builtin_templates()["zh-simple"]
    assert [s.heading["zh"] for s in simple.sections] == ["本周工作", "下周计划", "问题与风险", "需要的支持"]
    notes = builtin_templates()["weeknotes"]
    assert [s.heading["en"] for s in notes.sections] == ["Done", "Next", "Blockers"]


def test_the_default_is_still_the_sample_byte_for_byte(sample_text, sample_week):
    assert sample_week.template == "default" and sample_week.layout is None
    assert render(sample_week) == sample_text.replace("Created: 2023年11月29日 20:54\n\n", "") + "\n"


def test_weeknotes_and_zh_simple_render_their_own_headings():
    week = Week(monday=MONDAY, template="weeknotes", key_work=[KeyWorkItem(title="Shipped the thing")],
                next_week=[ListEntry(text="Plan the other thing")])
    add_section(week, "Blockers", "list", "- waiting on review").key  # noqa: B018
    week.sections[0].key = "risks"
    out = render(week)
    assert out == ("# Week 11 · 2024-03-15\n\n## Done\n\n- Shipped the thing\n\n## Next\n\n- Plan the other thing\n\n"
                   "## Blockers\n\n- waiting on review\n")
    week.template = "zh-simple"
    out = render(week)
    assert "## 本周工作\n\n1. Shipped the thing" in out and "## 问题与风险\n\n- waiting on review" in out
    assert "## 需要的支持" not in out  # an empty custom section of the template is not printed


def test_a_user_template_from_toml(tmp_path):
    (tmp_path / "team.toml").write_text('''
lang = "zh"
title = { zh = "{date:%Y.%m.%d} 周报" }
[[sections]]
key = "key_work"
kind = "key_work"
heading = { zh = "本周进展" }
style = "numbered"
marker = "1、"
[[sections]]
key = "asks"
heading = { zh = "求助" }
style = "brackets"
''', encoding="utf-8")
    template = load_template("team", tmp_path)
    week = Week(monday=MONDAY, template="team", key_work=[KeyWorkItem(title="甲"), KeyWorkItem(title="乙")])
    add_section(week, "求助", "markdown", "需要 DBA 支持")
    week.sections[0].key = "asks"
    out = render(week, ExportOptions(template=template))
    assert out == "# 2024.03.15 周报\n\n## 一、本周进展\n\n1、甲\n2、乙\n\n## 【求助】\n\n需要 DBA 支持\n"


@pytest.mark.parametrize("toml, message", [
    (b"sections = 3", "'sections'"),
    (b"[[sections]]\nkey = 'a'\nkind = 'nope'", "sections.0.kind"),
    (b"not toml at all [", "not a valid TOML template"),
    (b"[[sections]]\nkey='a'\n[[sections]]\nkey='a'", "appears twice"),
])
def test_a_bad_template_is_one_clear_line(toml, message):
    with pytest.raises(WeeklyError) as info:
        parse_template(toml, "bad", "bad.toml")
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_missing_template_names_the_builtins(tmp_path):
    with pytest.raises(WeeklyError) as info:
        load_template("nope", tmp_path)
    assert "default" in str(info.value) and "nope.toml" in str(info.value)
    with pytest.raises(WeeklyError):
        load_template("../etc/passwd", tmp_path)


def test_changing_template_never_loses_a_section():
    text = "# 2024-03-15 周报\n\n## 本周工作\n\n1. 甲\n\n## 团建\n\n周五聚餐\n\n## 下周计划\n\n1. 乙\n"
    week = read_text(text, "x.md").weeks[0].week
    assert week.section("custom").body == "周五聚餐"
    change_template(week, "weeknotes")
    out = render(week)
    for words in ("甲", "乙", "## 团建", "周五聚餐", "## Done", "## Next"):
        assert words in out
    change_template(week, "default")
    out = render(week)
    for words in ("【甲】", "1. 乙", "## 团建", "周五聚餐"):
        assert words in out


def test_custom_section_edits():
    week = Week(monday=MONDAY, template="zh-simple")
    a = add_section(week, "团建", "markdown", "x")
    b = add_section(week, "读书", "list", "- y")
    assert [s.title for s in week.sections] == ["团建", "读书"] and a.key != b.key
    move_section(week, b.id, -1)
    assert [s.title for s in week.sections] == ["读书", "团建"]
    rename_section(week, a.id, "团队活动")
    edit_section(week, a.id, "周五聚餐")
    out = render(week)
    assert out.index("## 读书") < out.index("## 团队活动") and "周五聚餐" in out
    delete_section(week, b.id)
    assert "读书" not in render(week)
    with pytest.raises(ValueError):
        add_section(week, "  ")
    with pytest.raises(ValueError):
        edit_section(week, b.id, "gone")


def test_moving_an_imported_section_moves_it_in_the_export():
    text = "# 2024-03-15 周报\n\n## 团建\n\n周五聚餐\n\n## 读书\n\n一本书\n"
    week = read_text(text, "x.md").weeks[0].week
    move_section(week, week.section("custom-2").id, -1)
    assert render(week) == "# 2024-03-15 周报\n\n## 读书\n\n一本书\n\n## 团建\n\n周五聚餐\n"


def test_a_v2_week_document_migrates_forward():
    doc = {"schema_version": 2, "monday": "2023-10-09", "reflections": "x"}
    migrated = migrate_week_doc(dict(doc))
    assert migrated["schema_version"] == SCHEMA_VERSION == 4
    week = Week.model_validate(migrated)
    assert week.template == "default" and week.sections == [] and week.reflections == "x"


def test_carried_week_keeps_the_layout_and_empty_own_sections():
    from weekly_zhoubao.store.carry import carry_over

    text = "# 周报 2024.03.15\n\n## 本周工作\n\n1. 甲\n\n## 团建\n\n周五聚餐\n"
    week = read_text(text, "x.md").weeks[0].week
    nxt = carry_over(week, date(2024, 3, 18))
    out = render(nxt)
    assert out == "# 周报 2024.03.22\n\n## 本周工作\n\n## 团建\n"
    assert nxt.layout == week.layout and [s.body for s in nxt.sections] == [""]


def test_custom_sections_are_exported_and_imported_back(sample_week):
    add_section(sample_week, "团建", "markdown", "周五聚餐\n\n- 地点待定")
    add_section(sample_week, "读书", "list", "1. 《人月神话》")
    out = render(sample_week)
    assert out.endswith("## 团建\n\n周五聚餐\n\n- 地点待定\n\n## 读书\n\n1. 《人月神话》\n")
    again = read_text(out, "x.md").weeks[0].week
    assert [(s.title, s.body) for s in again.sections] == [("团建", "周五聚餐\n\n- 地点待定"), ("读书", "1. 《人月神话》")]
    assert [k.title for k in again.key_work] == [k.title for k in sample_week.key_work]
    assert render(again) == out


def test_a_v2_store_still_opens(tmp_path, sample_week):
    """A store written before templates (schema 2, one file per year) opens and reads."""
    import json

    from weekly_zhoubao.store.db import WeekStore

    path = tmp_path / "w.json"
    WeekStore(path).put(sample_week)
    year_file = next(p for p in tmp_path.iterdir() if p.name.startswith("w.2023"))
    data = json.loads(year_file.read_text())
    for table in data.values():
        for doc in table.values():
            doc["schema_version"] = 2
            for field in ("template", "layout", "sections", "preamble", "title_line", "intro"):
                doc.pop(field, None)
    year_file.write_text(json.dumps(data))
    meta = json.loads(path.read_text())
    meta["meta"]["1"]["schema_version"] = 2
    path.write_text(json.dumps(meta))
    store = WeekStore(path)
    week = store.get(sample_week.monday)
    assert week.template == "default" and week.sections == []
    assert render(week) == render(sample_week)
    assert json.loads(path.read_text())["meta"]["1"]["schema_version"] == SCHEMA_VERSION


def test_items_added_to_a_section_read_with_its_words_are_exported_after_them():
    text = "# 2024-03-15 周报\n\n## 本周工作\n\n主要在做迁移。\n\n| 项 | 状态 |\n|---|---|\n| 甲 | 完成 |\n\n## 下周计划\n\n1. 乙\n"
    week = read_text(text, "x.md").weeks[0].week
    assert [(k.title, k.written) for k in week.key_work] == [("甲", "| 甲 | 完成 |")]  # a table row is an item
    week.key_work.append(KeyWorkItem(title="新加的一项"))
    out = render(week)
    assert "主要在做迁移。\n\n| 项 | 状态 |\n|---|---|\n| 甲 | 完成 |" in out
    assert out.index("| 甲 | 完成 |") < out.index("新加的一项")


def test_a_heading_typed_into_a_custom_section_cannot_start_a_section():
    week = Week(monday=MONDAY, template="zh-simple")
    add_section(week, "团建", "markdown", "# 不是标题\n### 小标题\n```\n# 代码\n```")
    out = render(week)
    assert "\\# 不是标题" in out and "\n### 小标题" in out and "\n# 代码" in out
    again = read_text(out, "x.md").weeks[0].week
    assert [s.title for s in again.sections] == ["团建"]


def test_moving_a_foreign_week_to_the_default_template_keeps_its_intro():
    text = "# 周报 2024.03.15\n\n本周请假一天。\n\n## 本周工作\n\n1. 甲\n"
    week = read_text(text, "x.md").weeks[0].week
    change_template(week, "default")
    out = render(week)
    assert out.startswith("# 第11周 2024/03/15\n\n本周请假一天。\n\n## 【重点工作】\n\n- 【甲】\n")


from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from weekly_zhoubao.exporters.importer import export_file, kept_lines  # noqa: E402
from tests.formats.helpers import weeks  # noqa: E402


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["zh-simple", "weeknotes", "default", "en"]), st.data())
def test_any_week_in_any_builtin_template_reads_back_with_nothing_lost(name, data):
    week = data.draw(weeks())
    week.template = name
    if data.draw(st.booleans()):
        add_section(week, data.draw(st.sampled_from(["团建", "Asks", "问题与风险"])), "markdown",
                    data.draw(st.sampled_from(["", "一段话", "- a\n- b", "# h\n正文"])))
    out = render(week)
    result = read_text(out, "w.md")
    assert not result.problems
    assert kept_lines(out, export_file(result))[2] == []
    again = export_file(result)
    assert export_file(read_text(again, "w2.md")) == again


def test_a_new_week_starts_in_the_configured_template_and_a_carried_one_keeps_its_own(tmp_path):
    """Rule: a week with no earlier week in the store starts in the config's `template`; a
    week carried over from an earlier one keeps that week's template (changing the config
    does not rewrite a running series: `change_template` does that, week by week)."""
    from datetime import datetime

    from weekly_zhoubao.exporters.files import render_week
    from weekly_zhoubao.store import ops
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.store.session import Session
    from weekly_zhoubao.store.settings import Settings

    settings = Settings(template="zh-simple")
    store = WeekStore(tmp_path / "w.json")
    session = Session(store, settings, clock=lambda: datetime(2024, 3, 15, 9), start=MONDAY)
    assert session.week.template == "zh-simple"
    assert [s.title for s in session.week.sections] == ["问题与风险", "需要的支持"]

    def fill(week):
        week.key_work.append(KeyWorkItem(title="上线新版本"))
        week.next_week.append(ListEntry(text="压测"))

    def write(week):
        edit_section(week, week.sections[0].id, "- 依赖方延期")
        edit_section(week, week.sections[1].id, "- 需要一台测试机")

    session.apply(ops.from_change(session.week, fill))
    session.apply(ops.from_change(session.week, write))
    assert session.flush() is None
    session.close()
    week = store.get(MONDAY)
    assert week.template == "zh-simple"
    out = render_week(store, week, settings)
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["## 本周工作", "## 下周计划", "## 问题与风险", "## 需要的支持"]
    assert "1. 上线新版本" in out and "- 依赖方延期" in out and "- 需要一台测试机" in out
    # the next week carries the template over, even after the config names another one
    later = store.week(date(2024, 3, 18), settings.incident_host, "default")
    assert later.template == "zh-simple" and [s.key for s in later.sections] == ["risks", "support"]
    # a first week in the default template has no extra sections: the sample stays byte for byte
    assert WeekStore(tmp_path / "v.json").week(MONDAY).sections == []

"""Weeks as the file has them, the encodings Windows tools write, and a dry run that runs every
check the real import runs (issue 23 §3, §4, §6)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from weekly_zhoubao.exporters.importer import ReadOptions, export_file, kept_lines, read_text
from weekly_zhoubao.exporters.reader import read_file
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.tui.cli import main

LAYOUTS = Path(__file__).parent / "data" / "layouts"


@pytest.fixture(autouse=True)
def english(tmp_path, monkeypatch):
    """The shell's messages in English, as these tests read them."""
    config = tmp_path / "en.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))

WEEK_NUMBERS = "# Week 2:\n\n**What I did**\n\n- a\n\n# Week 3:\n\n**What I did**\n\n- b\n\n# Week 5:\n\n- c\n"


def test_a_file_dated_by_week_numbers_counts_its_weeks_from_date_or_week_one():
    alone = read_text(WEEK_NUMBERS, "w.md")
    assert len(alone.problems) == 1 and "--date" in alone.problems[0] and "--week-one" in alone.problems[0]
    counted = read_text(WEEK_NUMBERS, "w.md", ReadOptions(fallback=date(2024, 9, 20)))
    assert [str(r.week.monday) for r in counted.weeks] == ["2024-09-16", "2024-09-23", "2024-10-07"]
    from_one = read_text(WEEK_NUMBERS, "w.md", ReadOptions(week_one=date(2024, 9, 9)))
    assert [str(r.week.monday) for r in from_one.weeks] == ["2024-09-16", "2024-09-23", "2024-10-07"]


def test_yearless_dated_headings_are_weeks_with_the_year_of_the_contents_list():
    text = ("# 移动端周报\n\n- [2018年3月23日周报](#1)\n- [2018年3月16日周报](#2)\n\n"
            "## 3月23日周报\n\n### 本周工作\n\n- a\n\n## 3月16日周报\n\n### 本周工作\n\n- b\n")
    result = read_text(text, "m.md")
    assert [str(r.week.monday) for r in result.weeks] == ["2018-03-19", "2018-03-12"]  # newest first, as written
    assert kept_lines(text, export_file(result))[2] == []


def test_two_parts_of_one_week_are_said_to_be_one():
    text = "## 2017-08-24\n\n- a\n\n## 2017-08-26\n\n- b\n"
    result = read_text(text, "log.md")
    assert len(result.weeks) == 1
    assert any(w.startswith("log.md:5: ") and "falls in the week of 2017-08-21" in w for w in result.warnings)


def test_gbk_and_utf16_files_read_and_the_dry_run_names_the_encoding(tmp_path, capsys):
    for name, encoding in (("zh-dept-word-style-gbk.md", "GB18030"), ("zh-utf16-bom-word-export.md", "UTF-16")):
        result = read_file(LAYOUTS / name)
        assert not result.problems and result.encoding.upper() == encoding
        text = (LAYOUTS / name).read_bytes().decode(result.encoding)
        assert kept_lines(text, export_file(result))[2] == []
        assert main(["import", "--dry-run", str(LAYOUTS / name), "--db", str(tmp_path / "w.json")]) == 0
        assert f"(read as {encoding})" in capsys.readouterr().out


def test_a_file_in_no_known_encoding_gets_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"# 2024-03-15\n\n\xff\xff\xff\n")
    assert main(["import", str(bad), "--db", str(tmp_path / "w.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "neither UTF-8 nor GB18030" in err and "Traceback" not in err


def test_html_headings_and_list_items_are_read_as_such():
    text = ("# 搜索组周报 2024-03-15\n\n<h2>本周工作</h2>\n<ul>\n<li>查询改写上线，<b>进度70%</b></li>\n</ul>\n\n"
            "<h2>下周计划</h2>\n<ul>\n  <li>增量索引灰度，预计3/22全量</li>\n</ul>\n")
    result = read_text(text, "h.md")
    week = result.weeks[0].week
    assert [m.key for m in result.weeks[0].mappings] == ["key_work", "next_week"]
    assert [(k.title, k.progress) for k in week.key_work] == [("查询改写上线，进度70%", 70)]  # the tags set aside
    assert [(e.text, str(e.due)) for e in week.next_week] == [("增量索引灰度，预计3/22全量", "2024-03-22")]
    assert kept_lines(text, export_file(result))[2] == []


def test_dry_run_refuses_a_week_already_in_the_store_as_the_real_run_does(tmp_path, capsys):
    db = tmp_path / "w.json"
    report = tmp_path / "r.md"
    shutil.copy(LAYOUTS / "zh-ops-kpi-colon-lines-bracket-grades.md", report)
    assert main(["import", str(report), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["import", "--dry-run", str(report), "--db", str(db)]) == 1
    dry = capsys.readouterr()
    assert main(["import", str(report), "--db", str(db)]) == 1
    real = capsys.readouterr()
    assert "already in the store" in dry.err and dry.err == real.err
    assert "would import 0 weeks from 0 files; 1 file not imported" in dry.out
    assert "incident grades read as: P0–P4 → A B C D D" in dry.out
    assert WeekStore(db).mondays() == [date(2024, 6, 10)]


def test_dry_run_prints_every_warning_it_counts(tmp_path, capsys):
    report = tmp_path / "r.md"
    report.write_text("## 2017-08-24\n\n- a\n\n## 2017-08-26\n\n- b\n", encoding="utf-8")
    assert main(["import", "--dry-run", str(report), "--db", str(tmp_path / "w.json")]) == 0
    out = capsys.readouterr().out
    assert "; 1 warning;" in out and out.count("warning: ") == 1 and "falls in the week of" in out


def test_the_p_and_sev_scale_is_a_setting(tmp_path, capsys, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('incident_p_grades = "AABCD"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    from weekly_zhoubao.exporters.files import read_reports_in
    from weekly_zhoubao.store.settings import load_settings

    report = tmp_path / "r.md"
    report.write_text("# 周报 2024-06-14\n\n## 事故\n\n- 6/12 19:05 P1 清分任务重复执行\n", encoding="utf-8")
    (result,) = read_reports_in([str(report)], load_settings(config))
    assert result.weeks[0].week.incidents[0].grade == "A"
    (default,) = read_reports_in([str(report)], load_settings(tmp_path / "none.toml"))
    assert default.weeks[0].week.incidents[0].grade == "B"

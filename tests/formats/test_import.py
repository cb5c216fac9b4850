"""Reports in any layout (tests/data/layouts, described by expected.json) import with
nothing lost and export back in their own layout."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from weekly_zhoubao.exporters.importer import ReadOptions, export_file, kept_lines, read_text
from weekly_zhoubao.exporters.markdown import render
from weekly_zhoubao.exporters.reader import decode, read_file, read_report
from tests.conftest import DATA, ROOT

LAYOUTS = DATA / "layouts"
EXPECTED = json.loads((LAYOUTS / "expected.json").read_text(encoding="utf-8")) if LAYOUTS.exists() else {}
NAMES = sorted(EXPECTED)


def _read(name: str):
    facts = EXPECTED[name]
    fallback = date.fromisoformat(facts["date_arg"]) if facts.get("needs_date") else None
    return read_file(LAYOUTS / name, ReadOptions(fallback=fallback))


def _kind(key: str) -> str:
    """Our section keys in expected.json's words."""
    if key.startswith("objective:"):
        return "objectives"
    if key.startswith("day:"):
        return "daily_notes"
    base = key.rsplit("-", 1)[0] if key.rsplit("-", 1)[-1].isdigit() else key
    if base == "daily":
        return "daily_notes"
    return base if base in ("key_work", "next_week", "risks", "support", "reflections", "metrics",
                            "incidents", "other") else "custom"


def _significant(text: str) -> list[str]:
    """Lines that count: not blank, not Notion's `Created:`; trailing spaces, a byte-order mark
    and CR line ends do not count (the export writes UTF-8 without BOM, LF line ends)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return [line.rstrip() for line in text.split("\n") if line.strip() and not line.startswith("Created: ")]


@pytest.mark.parametrize("name", NAMES)
def test_layout_imports_into_the_expected_weeks(name):
    facts = EXPECTED[name]
    result = _read(name)
    assert not result.problems, result.problems
    assert [str(r.week.monday) for r in result.weeks] == facts["weeks"]
    if facts.get("needs_date"):
        # without --date: refused with a message that asks for it, or (dates in its body all in
        # one week) the same weeks
        alone = read_file(LAYOUTS / name, ReadOptions())
        assert ("--date" in alone.problems[0]) if alone.problems else \
            [str(r.week.monday) for r in alone.weeks] == facts["weeks"]


@pytest.mark.parametrize("name", NAMES)
def test_layout_keeps_every_line(name):
    result = _read(name)
    text = (LAYOUTS / name).read_bytes().decode(result.encoding)  # GBK and UTF-16 files too
    kept, total, lost = kept_lines(text, export_file(result))
    assert lost == [] and kept == total


@pytest.mark.parametrize("name", NAMES)
def test_layout_exports_back_in_its_own_layout(name):
    """Normalisation: blank lines (runs of them, and those between blocks), trailing spaces,
    and Notion's `Created:` line; weeks of a file that holds several come back one after another
    in the file's order. Every other line comes back as written, in its place."""
    result = _read(name)
    text = (LAYOUTS / name).read_bytes().decode(result.encoding)
    assert _significant(export_file(result)) == _significant(text)


# Where expected.json and the synonym table disagree on purpose (both keep the section as written).
DISAGREE = {
    ("en-lab-archive-date-h2.md", "SUMMARY"): "'Summary' heads a summary of work in one layout and an intro "
                                            "in another (en-multiweek-log-template-tail.md): it stays the user's own section",
}


@pytest.mark.parametrize("name", NAMES)
def test_layout_headings_map_to_the_expected_sections(name):
    facts = EXPECTED[name]
    result = _read(name)
    got = {}
    for read in result.weeks:
        for m in read.mappings:
            words = m.heading.lstrip(">").strip().lstrip("#").strip()
            got.setdefault(words, _kind(m.key))
    wrong = {h: (kind, got.get(h.strip())) for h, kind in facts["sections"].items()
             if got.get(h.strip()) != kind and (name, h) not in DISAGREE}
    assert not wrong


@pytest.mark.parametrize("name", NAMES)
def test_layout_survives_store_round_trip(name):
    """What is stored (JSON) reads back to the same export."""
    from weekly_zhoubao.store.models import Week

    result = _read(name)
    for read in result.weeks:
        again = Week.model_validate_json(read.week.model_dump_json())
        assert render(again) == render(read.week)


def test_the_apps_english_export_imports(sample_week):
    from weekly_zhoubao.exporters.markdown import ExportOptions

    out = render(sample_week, ExportOptions(lang="en"))
    result = read_text(out, "en.md")
    assert not result.problems
    week = result.weeks[0].week
    assert week.monday == sample_week.monday
    assert [k.title for k in week.key_work] == [k.title for k in sample_week.key_work]
    assert {m.name: m.value for m in week.metrics if m.value} == {m.name: m.value for m in sample_week.metrics if m.value}
    assert [i.at for i in week.incidents] == [i.at for i in sample_week.incidents]
    assert [n.day for n in week.daily_notes] == [n.day for n in sample_week.daily_notes]
    assert _significant(export_file(result)) == _significant(out)


def test_an_incident_time_as_written_comes_back_as_written():
    text = ("# 第11周 2024/03/15\n\n## 【O3 稳定】\n\n- 健康分\n1. 生产稳定性事件：\n- 3/12 14:05 超时\n"
            "- 3月14日 21:40 延迟\n- 3/15 9:05 告警\n")
    result = read_text(text, "t.md")
    week = result.weeks[0].week
    assert [str(i.at) for i in week.incidents] == ["2024-03-12 14:05:00", "2024-03-14 21:40:00", "2024-03-15 09:05:00"]
    assert export_file(result) == text
    week.incidents[1].at = week.incidents[1].at.replace(hour=22)  # edited: the written form gives way
    assert "- 3/14 22:40 延迟" in render(week)


def test_drifted_sample_keeps_a_table_and_a_note_under_metrics():
    text = ("# 第42周 2023/10/13\n\n## 【系统运行数据】\n\n| 指标 | 值 |\n|---|---|\n| 成功率 | 99% |\n\n"
            "- 入金有效成功率：99.997%\n\n注：口径同上周\n\n## 【其他】\n\n1. 一\n")
    result = read_text(text, "t.md")
    assert not result.problems
    out = export_file(result)
    assert "| 成功率 | 99% |" in out and "注：口径同上周" in out
    assert _significant(out) == _significant(text)
    assert result.weeks[0].week.other[0].text == "一"


def test_unknown_heading_becomes_a_custom_section_kept_verbatim():
    text = "# 第42周 2023/10/13\n\n## 【本周风险】\n\n* 一\n\t* 二\n<!-- c -->\n![x](y.png)\n\n## 【其他】\n\n1. 一\n"
    week = read_report(text)
    risk = week.section("risks")
    assert risk is not None and risk.body == "* 一\n\t* 二\n<!-- c -->\n![x](y.png)"
    assert _significant(render(week)) == _significant(text)


def test_a_bad_metric_or_incident_stays_as_text_with_a_warning():
    text = ("# 第42周 2023/10/13\n\n## 【系统运行数据】\n\n- 可用性：101%\n\n"
            "## 【O3 稳定】\n\n- 健康分\n1. 生产稳定性事件：\n- 2/30 10:00 y\n")
    result = read_text(text, "t.md")
    assert not result.problems
    assert any(w.startswith("t.md:5: ") and "0–100" in w for w in result.warnings)
    assert any(w.startswith("t.md:11: ") and "not a date" in w for w in result.warnings)
    assert _significant(export_file(result)) == _significant(text)


def test_every_problem_of_a_file_at_once():
    text = "# 第42周 2023/10/13\n\nok\n\x1b]0;x\x07 a\nb \x9b2J\n"
    result = read_text(text, "t.md")
    assert [p.split(": ")[0] for p in result.problems] == ["t.md:4", "t.md:5"]
    assert "\\x1b" in result.problems[0] and "\x1b" not in "".join(result.problems)
    assert result.weeks == []


@pytest.mark.parametrize("title, monday", [
    ("# 周报 2023/10/13", "2023-10-09"), ("# 周报 2023-10-13", "2023-10-09"),
    ("# 周报 2023.10.13", "2023-10-09"), ("# 周报 2023年10月13日", "2023-10-09"),
    ("# 周报 20231013", "2023-10-09"), ("# 双周报 2023.10.21-2023.11.4", "2023-10-30"),
    ("# Weekly 01/27/2025 to 01/31/2025", "2025-01-27"), ("## 2018 Week 40", "2018-10-01"),
    ("## Week 13: 20-10-2017", "2017-10-16"),
])
def test_title_date_spellings(title, monday):
    result = read_text(f"{title}\n\n## Done\n\n- a\n", "x.md")
    assert not result.problems
    assert str(result.weeks[0].week.monday) == monday


def test_yearless_dates_take_their_year_from_front_matter_or_date():
    text = "---\nyear: 2023\n---\n\n# 周报 10.21-11.4\n\n## 本周工作\n\n1. a\n"
    assert str(read_text(text, "x.md").weeks[0].week.monday) == "2023-10-30"
    plain = "# 8.21~8.27 周报\n\n- a\n"
    refused = read_text(plain, "x.md")
    assert refused.problems and "--date" in refused.problems[0]
    assert str(read_text(plain, "x.md", ReadOptions(fallback=date(2024, 9, 1))).weeks[0].week.monday) == "2024-08-26"


def test_several_dated_weeks_in_one_file():
    text = "# 2024-03-15 周报\n\n## 本周工作\n\n1. a\n\n# 2024-03-08 周报\n\n## 本周工作\n\n1. b\n"
    result = read_text(text, "x.md")
    assert [str(r.week.monday) for r in result.weeks] == ["2024-03-11", "2024-03-04"]
    assert [r.week.key_work[0].title for r in result.weeks] == ["a", "b"]


def test_foreign_list_markers_come_back_as_written():
    text = "# 2024-03-15 周报\n\n一、本周工作\n\n1、完成 A\n2、完成 B\n\n二、下周计划\n\n* C\n* D\n"
    result = read_text(text, "x.md")
    week = result.weeks[0].week
    assert [k.title for k in week.key_work] == ["完成 A", "完成 B"]
    assert [e.text for e in week.next_week] == ["C", "D"]
    assert export_file(result) == text


# --- no traceback on any input ---------------------------------------------------------------

pieces = st.sampled_from([
    "# ", "## ", "### ", "【", "】", "重点工作", "本周工作", "下周计划", "Done", "Next", "O1 x", "- ", "* ", "1. ",
    "1、", "一、", "2023/10/13", "10/9 15:37", "2/29", "第42周", "Week 40", "2018", "---", "+++", "```", "|a|b|",
    "<!-- -->", "![i](x.png)", "[d](../x.md)", "99.9%", "：", ":", "\t", "    ", "\n", "\n\n", "生产稳定性事件：",
    "日报合集", "[2023/10/12 周四](2023-10-12.md)", "date: 2023-10-13", "\\", "Created: x", "\u3000", "\x1b",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=40).map("".join))
def test_no_traceback_and_nothing_lost_on_any_input(text):
    result = read_text(text, "h.md", ReadOptions(fallback=date(2023, 10, 13)))
    assert result.weeks or result.problems
    if not result.problems:
        kept, total, lost = kept_lines(text, export_file(result))
        assert lost == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=40).map("".join))
def test_the_heading_scan_agrees_with_commonmark(text):
    from weekly_zhoubao.exporters.import_headings import atx_headings as _atx_headings, parsed_headings as _parsed_headings

    lines = text.split("\n")
    assert _atx_headings(lines, 0) == _parsed_headings(lines, 0)


def test_the_shell_imports_the_layouts_folder_and_exports_each_week_back(tmp_path, capsys):
    """`weekly import DIR --date D` then `weekly export` per week: the file's own layout."""
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.tui.cli import main

    db = tmp_path / "db" / "w.json"
    name = "zh-team-benzhou-xiazhou-wenti-zhichi.md"
    assert main(["import", str(LAYOUTS / name), "--db", str(db)]) == 0
    monday = date.fromisoformat(EXPECTED[name]["weeks"][0])
    capsys.readouterr()
    assert main(["export", "--date", str(monday), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert _significant(out) == _significant((LAYOUTS / name).read_text(encoding="utf-8"))
    # importing it again neither duplicates nor replaces without --replace
    assert main(["import", str(LAYOUTS / name), "--db", str(db)]) == 1
    assert "already in the store" in capsys.readouterr().err
    assert WeekStore(db).mondays() == [monday]


def test_a_multi_week_file_into_the_store(tmp_path):
    from weekly_zhoubao.exporters.files import import_reports
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.store.settings import Settings

    name = "zh-sample-drift-two-weeks.md"
    store = WeekStore(tmp_path / "w.json")
    weeks, problems, warnings, _ = import_reports(store, [str(LAYOUTS / name)], Settings(), replace=False)
    assert not problems
    assert sorted(str(m) for m in store.mondays()) == sorted(EXPECTED[name]["weeks"])


def test_a_yearless_title_takes_its_year_from_the_folder_or_its_neighbours(tmp_path):
    from weekly_zhoubao.exporters.files import read_reports_in
    from weekly_zhoubao.store.settings import Settings

    term = tmp_path / "24秋季"
    term.mkdir()
    (term / "a.md").write_text("# 11.17-23周总结\n\n## 本周完成的工作\n\n- a\n", encoding="utf-8")
    plain = tmp_path / "weeks"
    plain.mkdir()
    (plain / "one.md").write_text("# 周报 2023-10-13\n\n## 本周工作\n\n1. a\n", encoding="utf-8")
    (plain / "two.md").write_text("# 10.20 周报\n\n## 本周工作\n\n1. b\n", encoding="utf-8")
    results = {Path(r.file).name: r for r in read_reports_in([str(tmp_path)], Settings())}
    assert str(results["a.md"].weeks[0].week.monday) == "2024-11-18"  # the range ends on the 23rd
    assert str(results["two.md"].weeks[0].week.monday) == "2023-10-16"


def test_mutated_layouts_keep_every_line_and_export_stably():
    """Lines of the test reports deleted, doubled, swapped, cut or inserted (the drift of
    years of hand-edited reports): nothing is lost, and the export reads back to itself."""
    import random

    from weekly_zhoubao.store.models import Week

    rnd = random.Random(15)
    texts = [decode(name, (LAYOUTS / name).read_bytes())[0] for name in NAMES]  # GBK and UTF-16 files too
    extras = ["- 10/9 15:37 x", "1. 生产稳定性事件：", "## 【O9 x】", "# 第3周 2024/01/19", "    1. 子", "| a |",
              "```", "## 下周计划", "- 【t】", "支付成功率：", "- a：b", "## Done"]
    for _ in range(300):
        lines = rnd.choice(texts).split("\n")
        for _ in range(rnd.randint(1, 4)):
            lines = lines or [""]
            i, j, op = rnd.randrange(len(lines)), rnd.randrange(len(lines)), rnd.random()
            if op < 0.3:
                del lines[i]
            elif op < 0.5:
                lines.insert(i, lines[j])
            elif op < 0.7:
                lines[i], lines[j] = lines[j], lines[i]
            elif op < 0.85:
                lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)]
            else:
                lines.insert(i, rnd.choice(extras))
        text = "\n".join(lines)
        result = read_text(text, "m.md", ReadOptions(fallback=date(2024, 3, 15)))
        if result.problems:
            continue
        out = export_file(result)
        assert kept_lines(text, out)[2] == []
        again = read_text(out, "m2.md", ReadOptions(fallback=date(2024, 3, 15)))
        # (a byte-order mark moved into the middle is text, until an export puts it first again)
        assert _significant(export_file(again).replace("\ufeff", "")) == _significant(out.replace("\ufeff", ""))
        for read in result.weeks:
            assert render(Week.model_validate_json(read.week.model_dump_json())) == render(read.week)


def test_day_headings_become_that_days_daily_notes():
    text = ("# 2024年第11周 工作记录\n\n## 周一 3.11\n\n- 晨会\n- 评审\n\n## 周三 3.13\n\n上线检查\n\n"
            "## 下周计划\n\n1. 压测\n")
    result = read_text(text, "d.md")
    week = result.weeks[0].week
    assert [(str(n.day), n.text) for n in week.daily_notes] == [("2024-03-11", "- 晨会\n- 评审"), ("2024-03-13", "上线检查")]
    assert export_file(result) == text
    week.note_for(date(2024, 3, 13)).text = "上线检查，回滚演练"
    from weekly_zhoubao.store.models import DailyNote

    week.daily_notes.append(DailyNote(day=date(2024, 3, 14), text="新的一天"))
    out = render(week)
    assert "## 周三 3.13\n\n上线检查，回滚演练\n" in out
    assert "[2024/03/14 周四](2024-03-14%20周四.md)" in out  # a day without a heading of its own: a link


def test_import_check_script_reports_every_file_and_the_totals():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_check.py"), str(LAYOUTS)],
                         capture_output=True, text=True, check=True).stdout
    total = len(list(LAYOUTS.rglob("*.md")))
    assert f"{total}/{total} files imported (100.0%)" in out and "(100.00%)" in out
    assert "REFUSED" not in out

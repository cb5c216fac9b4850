"""Imported files are untrusted (issue #14, import side): daily-note links are file names in
the report's folder, messages show controls made visible, incident times stay in their
week, and sizes have limits."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from weekly_zhoubao.exporters.importer import FILE_CAP, ITEM_CAP, ReadOptions, export_file, kept_lines, read_text
from weekly_zhoubao.exporters.reader import read_file

HEAD = "# 第42周 2023/10/13\n\n## 【重点工作】\n\n- 【a】\n\n# 日报合集\n\n"


@pytest.mark.parametrize("link", [
    "../secret/id_rsa", "/etc/passwd", "%2Fetc%2Fpasswd", "..%2F..%2Fsecret.md", "sub/dir/2023-10-12.md",
    "C:%5Cx%5C2023-10-12.md", "~%2F2023-10-12.md", "2023-10-12" + "x" * 260 + ".md",
])
def test_a_daily_link_outside_the_folder_is_refused_for_that_note_and_never_read(tmp_path, link):
    folder = tmp_path / "reports"
    folder.mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "id_rsa").write_text("# 2023/10/12\n\nTOP SECRET\n")
    (tmp_path / "secret.md").write_text("# 2023/10/12\n\nTOP SECRET\n")
    report = folder / "week.md"
    line = f"[2023/10/12 周四]({link})"
    report.write_text(HEAD + line + "\n", encoding="utf-8")
    result = read_file(report, ReadOptions())
    assert not result.problems
    week = result.weeks[0].week
    assert week.daily_notes == []  # refused for that note ...
    assert all("TOP SECRET" not in (n.text or "") for n in week.daily_notes)
    assert any(w.startswith(f"{report}:9: ") for w in result.warnings)  # ... with FILE:LINE
    assert line in export_file(result)  # the link line stays, as text


def test_a_daily_link_in_the_folder_is_read(tmp_path):
    (tmp_path / "2023-10-12 周四.md").write_text("# 2023/10/12 周四\n\n见了银行\n", encoding="utf-8")
    report = tmp_path / "week.md"
    report.write_text(HEAD + "[2023/10/12 周四](2023-10-12%20周四.md)\n", encoding="utf-8")
    result = read_file(report, ReadOptions())
    assert result.weeks[0].week.daily_notes[0].text == "见了银行"


@pytest.mark.parametrize("evil", ["\x1b]52;c;aGk=\x07", "\x1b[2J", "\x9b2J", "\x1b]0;title\x07", "\x00"])
def test_messages_show_controls_made_visible(evil):
    result = read_text(f"# 第42周 2023/10/13\n\n## {evil} 标题\n\nx {evil}\n", "e.md")
    assert [p.split(": ")[0] for p in result.problems] == ["e.md:3", "e.md:5"]
    joined = "\n".join(result.problems)
    assert "\\x" in joined
    assert not any(ch in joined for ch in "\x1b\x9b\x07\x00")
    assert result.weeks == []


def test_dry_run_output_and_stderr_carry_no_escape(tmp_path, capsys):
    from weekly_zhoubao.tui.cli import main

    bad = tmp_path / "e.md"
    bad.write_text("# 第42周 2023/10/13\n\n## 【重点工作】\n\n- 【a\x1b[2J】\n", encoding="utf-8")
    odd = tmp_path / "w.md"
    odd.write_text("# 第42周 2023/10/20\n\n## 【O3 x】\n\n1. 生产稳定性事件：\n- 2/30 10:00 \x1b]0;t\n",
                   encoding="utf-8")
    for args in (["import", "--dry-run", str(tmp_path)], ["import", str(tmp_path)]):
        main([*args, "--db", str(tmp_path / "db.json")])
        out = capsys.readouterr()
        assert "\x1b" not in out.out + out.err and "\\x1b" in out.err + out.out


def test_an_incident_time_outside_its_week_stays_text_with_a_warning():
    text = "# 第9周 2023/03/03\n\n## 【O3 稳定】\n\n- 健康分\n1. 生产稳定性事件：\n- 2/29 10:00 支付超时\n"
    result = read_text(text, "w.md")
    assert not result.problems
    week = result.weeks[0].week
    assert week.incidents == []  # never filed as 2024-02-29
    assert any(w.startswith("w.md:7: ") and "not in the week" in w for w in result.warnings)
    assert "- 2/29 10:00 支付超时" in export_file(result)


def test_an_incident_a_typo_away_is_kept_in_the_right_year():
    text = "# 第1周 2025/01/03\n\n## 【O3 稳定】\n\n- 健康分\n1. 生产稳定性事件：\n- 12/31 23:50 跨年告警\n"
    week = read_text(text, "w.md").weeks[0].week
    assert week.incidents[0].at == datetime(2024, 12, 31, 23, 50)


def test_a_file_over_the_size_cap_is_refused_with_a_clear_message(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"# 2024-03-15\n\n" + b"x" * FILE_CAP)
    result = read_file(big, ReadOptions())
    assert result.weeks == [] and result.problems[0].startswith(f"{big}:1: ")
    assert "at most 2 MB" in result.problems[0]


def test_a_section_over_the_item_cap_is_refused():
    text = "# 2024-03-15 周报\n\n## 本周工作\n\n" + "".join(f"- item {n}\n" for n in range(ITEM_CAP + 1))
    result = read_text(text, "many.md")
    assert result.weeks == [] and "2,001 list items" in result.problems[0] and "at most 2,000" in result.problems[0]
    ok = "# 2024-03-15 周报\n\n## 本周工作\n\n" + "".join(f"- item {n}\n" for n in range(ITEM_CAP))
    assert not read_text(ok, "ok.md").problems


def test_a_refused_file_writes_nothing_and_the_others_import(tmp_path):
    from weekly_zhoubao.exporters.files import import_reports
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.store.settings import Settings

    (tmp_path / "good.md").write_text("# 2024-03-15 周报\n\n## 本周工作\n\n1. a\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("# 2024-03-22 周报\n\n## 本周工作\n\n1. \x1b[2J\n\n# 2024-03-29 周报\n", encoding="utf-8")
    store = WeekStore(tmp_path / "db" / "w.json")
    weeks, problems, _, _ = import_reports(store, [str(tmp_path)], Settings(), replace=False)
    assert [w.monday for w in weeks] == [date(2024, 3, 11)]
    assert store.mondays() == [date(2024, 3, 11)] and problems[0].startswith(f"{tmp_path / 'bad.md'}:5: ")


def test_dry_run_writes_nothing(tmp_path, capsys):
    from weekly_zhoubao.tui.cli import main

    report = tmp_path / "r.md"
    report.write_text("# 2024-03-15 周报\n\n## 本周工作\n\n1. a\n\n## 团建\n\n聚餐\n", encoding="utf-8")
    db = tmp_path / "db" / "w.json"
    assert main(["import", "--dry-run", str(report), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "week of 2024-03-11" in out and "## 本周工作 → key_work" in out and "## 团建 → custom (as written)" in out
    assert "未写入任何内容" in out  # the shell speaks the default language, zh
    assert not db.exists() or not any(p.name.startswith("w.2024") for p in db.parent.iterdir())


def test_a_file_without_a_date_asks_for_date_and_takes_it(tmp_path, capsys):
    from weekly_zhoubao.tui.cli import main

    report = tmp_path / "notes.md"
    report.write_text("## 本周工作\n\n1. a\n", encoding="utf-8")
    db = tmp_path / "db" / "w.json"
    assert main(["import", str(report), "--db", str(db)]) == 1
    assert "pass --date" in capsys.readouterr().err
    assert main(["import", str(report), "--date", "2024-03-13", "--db", str(db)]) == 0
    from weekly_zhoubao.store.db import WeekStore

    assert WeekStore(db).mondays() == [date(2024, 3, 11)]


def test_every_line_kept_even_for_odd_bytes():
    text = "# 2024-03-15 周报\n\n\u3000全角空格开头\n\n## 本周工作\n\n\t1. 制表符\n+ 加号\n1) 括号\n- [ ] 待办\n- [x] 完成\n"
    result = read_text(text, "x.md")
    kept, total, lost = kept_lines(text, export_file(result))
    assert lost == [] and kept == total


def test_the_problems_of_every_week_of_a_file_at_once():
    text = ("# 2024-03-15 周报\n\n## 本周工作\n\n" + "".join(f"- {n}\n" for n in range(ITEM_CAP + 1)) +
            "\n# 2023-02-30 周报\n\n## 本周工作\n\n1. b\n")
    result = read_text(text, "two.md")
    assert len(result.problems) == 2 and result.weeks == []
    assert "2023-02-30 is not a date" in result.problems[1]


def test_a_file_whose_week_another_file_gave_is_not_imported_at_all(tmp_path):
    from weekly_zhoubao.exporters.files import import_reports
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.store.settings import Settings

    (tmp_path / "a.md").write_text("# 2024-03-15 周报\n\n## 本周工作\n\n1. a\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# 2024-03-08 周报\n\n1. b\n\n# 2024-03-14 周报\n\n1. c\n", encoding="utf-8")
    store = WeekStore(tmp_path / "db" / "w.json")
    weeks, problems, _, _ = import_reports(store, [str(tmp_path)], Settings(), replace=False)
    assert store.mondays() == [date(2024, 3, 11)]  # not b's week of 03-04 either
    assert problems == [f"{tmp_path / 'b.md'}:5: the week of 2024-03-11 was already read from "
                        f"{tmp_path / 'a.md'}; this file is not imported"]


def test_two_entries_of_one_week_in_a_file_are_one_week():
    text = "## 2017-08-26\n\nlater\n\n## 2017-08-24\n\nearlier\n\n## 2017-08-18\n\nweek before\n"
    result = read_text(text, "log.md")
    assert [str(r.week.monday) for r in result.weeks] == ["2017-08-21", "2017-08-14"]
    assert "earlier" in export_file(result) and kept_lines(text, export_file(result))[2] == []


@pytest.mark.parametrize("text, ok", [
    ("# 2024-03-15 周报\n\n" + "".join(f"## h{i}\n\nx\n\n" for i in range(250)), True),
    ("# 2024-03-15 周报\n\n" + "".join(f"## h{i}\n\nx\n\n" for i in range(2_500)), False),
    ("# 2024-03-15 周报 " + "长" * 3_000 + "\n\n## 本周工作\n\n1. a\n", False),
    ("# 2024-03-15 周报\n\n## 本周工作\n\n" + "1. " + "字" * 150_000 + "\n", False),
])
def test_odd_shapes_import_or_give_one_line_per_problem(text, ok):
    result = read_text(text, "odd.md")
    assert bool(result.weeks) is ok
    assert all(p.startswith("odd.md:") and "\n" not in p for p in result.problems)
    if ok:
        assert kept_lines(text, export_file(result))[2] == []


def test_a_pipe_or_a_missing_file_is_one_line_not_a_hang(tmp_path):
    import os

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert read_file(fifo, ReadOptions()).problems == [f"{fifo}:0: not a regular file; not read"]
    assert read_file(tmp_path / "none.md", ReadOptions()).problems == [f"{tmp_path / 'none.md'}:0: no such file; not read"]

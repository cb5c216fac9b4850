import json
import os
import subprocess
import sys
from datetime import date

import pytest

from weekly_zhoubao.store.db import WeekStore
from tests.cli.helpers import weekly
from tests.conftest import ROOT, SAMPLE
from weekly_zhoubao.tui.cli import main



def test_shell_commands_never_import_textual(db_path):
    code = ("import sys; from weekly_zhoubao.tui.cli import main; main(['incident', 'x', '--db', sys.argv[1]]); "
            "main(['export', '--db', sys.argv[1]]); main(['weeks', '--db', sys.argv[1]]); "
            "assert not [m for m in sys.modules if m.startswith('textual')], 'textual was imported'")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True, env=env, capture_output=True)


def test_incident_note_metric_weeks_and_json(db_path, capsys):
    assert main(["import", str(SAMPLE), "--db", str(db_path)]) == 0
    assert main(["incident", "支付超时 [/]", "--at", "2023-10-12 09:01", "--grade", "c",
                 "--duration", "5", "--impact", "无", "--db", str(db_path)]) == 0
    assert main(["note", "和银行沟通", "--date", "2023-10-12", "--db", str(db_path)]) == 0
    assert main(["metric", "入金有效成功率", "99.990 %", "--date", "2023-10-13", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["export", "--date", "2023-10-13", "--format", "json", "--db", str(db_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["incidents"][-1]["summary"] == "支付超时 [/]" and doc["incidents"][-1]["grade"] == "C"
    assert doc["daily_notes"][0]["text"] == "和银行沟通"
    assert next(m for m in doc["metrics"] if m["name"] == "入金有效成功率")["value"] == "99.990"
    assert main(["weeks", "--db", str(db_path)]) == 0
    assert "2023-10-09  第42周 2023/10/13" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["incident", "x", "--at", "25:61"], "不是一天中的时间"),
    (["incident", "x", "--at", "2023-02-30 10:00"], "不是存在的日期"),
    (["incident", "  "], "summary: 不能为空"),
    (["incident", "x", "--grade", "E"], "invalid choice"),
    (["incident", "x", "--duration", "-1"], "duration_min"),
    (["incident", "x" * 3000], "太长"),
    (["metric", "入金有效成功率", "101%", "--date", "2023-10-13"], "超出 0–100"),
    (["metric", "入金有效成功率", "nan", "--date", "2023-10-13"], "不是有限的数"),
    (["metric", "没有这个", "1", "--date", "2023-10-13"], "本周没有名为“没有这个”的指标"),
    (["note", ""], "日报是空的"),
    (["metric", "入金有效成功率", "1e9", "--date", "2023-10-13"], "请写成普通数字"),
    (["metric", "入金有效成功率", "-1", "--date", "2023-10-13"], "超出 0–100"),
    (["metric", "入金有效成功率", "101%", "--kind", "number", "--group", "g", "--date", "2023-10-13"], "超出 0–100"),
    (["export", "--date", "2023-13-01"], "不是存在的日期"),
])
def test_bad_input_is_one_line_and_writes_nothing(db_path, args, message):
    assert weekly("import", str(SAMPLE), db=db_path).returncode == 0
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    result = weekly(*args, db=db_path)
    assert result.returncode == 2, "bad input exits 2, as a bad flag does"
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    after = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    assert after == before


def test_export_to_a_folder_writes_daily_files_and_links_them(db_path, tmp_path):
    main(["import", str(SAMPLE), "--db", str(db_path)])
    main(["note", "见了新网银行", "--date", "2023-10-11", "--db", str(db_path)])
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "--date", "2023-10-13", "-o", str(out), "--db", str(db_path)]) == 0
    report = (out / "第42周 2023-10-13.md").read_text()
    assert "[2023/10/11 周三](2023-10-11%20周三.md)" in report
    assert (out / "2023-10-11 周三.md").read_text() == "# 2023/10/11 周三\n\n见了新网银行\n"
    # and the folder reads back in: the daily files are not taken for reports
    other = tmp_path / "other.json"
    assert main(["import", str(out), "--db", str(other)]) == 0
    week = WeekStore(other).get(date(2023, 10, 9))
    assert week.note_for(date(2023, 10, 11)).text == "见了新网银行"


def test_import_never_duplicates_and_replaces_only_when_asked(db_path):
    assert weekly("import", str(SAMPLE), db=db_path).returncode == 0
    WeekStore(db_path).update(date(2023, 10, 9), lambda w: setattr(w, "reflections", "edited"))
    again = weekly("import", str(SAMPLE), db=db_path, stdin="")
    assert again.returncode == 1 and "already in the store" in again.stderr
    assert WeekStore(db_path).get(date(2023, 10, 9)).reflections == "edited"
    assert weekly("import", str(SAMPLE), "--replace", db=db_path).returncode == 0
    assert WeekStore(db_path).get(date(2023, 10, 9)).reflections.startswith("核心团队")
    assert WeekStore(db_path).mondays() == [date(2023, 10, 9)]


def test_a_bad_file_does_not_stop_the_others(db_path, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.md").write_bytes(SAMPLE.read_bytes())
    (folder / "bad.md").write_text("# 第9周 2023/02/30\n")
    result = weekly("import", str(folder), db=db_path)
    assert result.returncode == 1
    assert f"{folder / 'bad.md'}:1: 2023/02/30 is not a date" in result.stderr
    assert WeekStore(db_path).mondays() == [date(2023, 10, 9)]


def test_corrupt_store_is_reported_not_overwritten(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    result = weekly("incident", "x", db=db_path)  # in the store's language: zh, Weekly's default
    assert result.returncode == 2
    assert "文件是空的（0 字节），所以不是库；未作改动。请恢复备份（weekly.json.bak1）或把它移走。" in result.stderr
    assert db_path.read_bytes() == b""
    english = weekly("incident", "x", db=db_path, env={"LC_MESSAGES": "en_US.UTF-8"})
    assert english.returncode == 2 and "empty (0 bytes)" in english.stderr and "Restore a backup" in english.stderr


def test_help_has_examples():
    result = subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "incident", "--help"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "example:" in result.stdout and "weekly incident" in result.stdout


def test_an_incident_from_the_shell_with_its_detection_and_status(db_path, capsys):
    """The shell reads status as the form does: given, it wins; not given, a resolution means resolved."""
    for args in (["kept open", "--resolution", "重启", "--status", "open", "--detection", "监控"],
                 ["fixed", "--resolution", "重启"], ["zh words", "--status", "已解决"]):
        assert main(["incident", *args, "--at", "2023-10-12 09:01", "--db", str(db_path)]) == 0
    assert main(["incident", "bad", "--status", "closed", "--db", str(db_path)]) != 0
    assert "“closed”：填 未解决 或 已解决" in capsys.readouterr().err
    logged = {i.summary: i for i in WeekStore(db_path).get(date(2023, 10, 9)).incidents}
    assert (logged["kept open"].status, logged["kept open"].detection) == ("open", "监控")
    assert logged["fixed"].status == "resolved" and logged["zh words"].status == "resolved"
    assert "bad" not in logged

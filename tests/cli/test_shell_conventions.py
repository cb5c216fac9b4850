"""The shell fits its ecosystem (SPEC §4): completion scripts, --format json, `-` for stdin,
$EDITOR, help on every argument, one exit-code rule, `weekly config path`, Textual's
themes by name; and metrics from the shell (a target, lower is better, values checked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.tui.app import create_app
from weekly_zhoubao.tui.cli import build_parser, main
from tests.conftest import SAMPLE, SAMPLE_MONDAY
from tests.cli.helpers import loaded_after, weekly


@pytest.mark.parametrize("shell, sign", [("bash", "complete -o"), ("zsh", "#compdef weekly"), ("fish", "complete -c weekly")])
def test_completion_scripts_know_every_command_and_flag(shell, sign, db_path):
    done = weekly("completion", shell, db=db_path)
    assert done.returncode == 0 and sign in done.stdout
    for word in ("search", "metric", "lower-is-better", "team", "members"):
        assert word in done.stdout
    assert not db_path.exists(), "printing a script opens no store"


def test_completion_is_loaded_only_when_asked(db_path):
    modules = loaded_after(f"from weekly_zhoubao.tui.cli import main\nmain(['weeks', '--db', {str(db_path)!r}])")
    assert "shtab" not in modules


def test_every_argument_has_help():
    def walk(parser):
        for action in parser._actions:
            if action.choices and isinstance(action.choices, dict):  # a command's parsers
                for sub in action.choices.values():
                    yield from walk(sub)
            elif action.dest not in ("help", "version"):
                yield parser.prog, action

    missing = [f"{prog} {action.dest}" for prog, action in walk(build_parser(everything=True)) if not action.help]
    assert missing == []


def test_json_from_weeks_note_incident_and_metric(db_path, capsys):
    assert main(["import", str(SAMPLE), "--db", str(db_path)]) == 0
    capsys.readouterr()
    args = ["--db", str(db_path), "--format", "json"]
    assert main(["weeks", *args]) == 0
    assert json.loads(capsys.readouterr().out) == [{"monday": "2023-10-09", "title": "第42周 2023/10/13",
                                                    "key_work": 3, "incidents": 4, "daily_notes": 1}]
    assert main(["note", "和银行沟通", "--date", "2023-10-14", *args]) == 0
    assert json.loads(capsys.readouterr().out) == {"week": "2023-10-09", "day": "2023-10-14",
                                                   "text": "和银行沟通", "link": None}
    assert main(["incident", "支付超时", "--at", "2023-10-12 09:01", "--grade", "C", *args]) == 0
    logged = json.loads(capsys.readouterr().out)
    assert (logged["week"], logged["summary"], logged["grade"], logged["at"]) == \
        ("2023-10-09", "支付超时", "C", "2023-10-12T09:01:00")
    assert main(["metric", "入金有效成功率", "99.990%", "--date", "2023-10-13", *args]) == 0
    metric = json.loads(capsys.readouterr().out)
    assert (metric["name"], metric["value"], metric["kind"]) == ("入金有效成功率", "99.990", "percent")


def test_team_members_as_json(db_path, tmp_path, capsys):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--bare", "-q", str(remote)], check=True)
    assert main(["import", str(SAMPLE), "--db", str(db_path)]) == 0
    assert main(["team", "join", str(remote), "--as", "alice", "--db", str(db_path)]) == 0
    assert main(["team", "publish", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["team", "members", "--format", "json", "--db", str(db_path)]) == 0
    members = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["weeks"], m["latest"]) for m in members] == [("alice", 1, "2023-10-09")]


def test_a_dash_reads_the_text_from_stdin(db_path):
    assert weekly("note", "-", "--date", "2023-10-12", db=db_path, stdin="第一行\n第二行\n").returncode == 0
    assert weekly("incident", "-", "--at", "2023-10-12 09:01", db=db_path, stdin="支付超时 [/]\n").returncode == 0
    week = WeekStore(db_path).get(SAMPLE_MONDAY)
    assert week.note_for(date(2023, 10, 12)).text == "第一行\n第二行"
    assert week.incidents[0].summary == "支付超时 [/]"
    bad = subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "note", "-", "--db", str(db_path)],
                         input=b"\xff\xfe", capture_output=True, env=os.environ)
    assert bad.returncode == 2 and "UTF-8" in bad.stderr.decode()


def test_note_edit_opens_the_editor(db_path, tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "写在编辑器里\\n第二段" >> "$1"\n')
    editor.chmod(0o755)
    env = {**os.environ, "EDITOR": f"{editor}", "VISUAL": ""}
    run = [sys.executable, "-m", "weekly_zhoubao.tui.cli", "note", "--edit", "--date", "2023-10-12", "--db", str(db_path)]
    assert subprocess.run([*run, "开头："], env=env, capture_output=True).returncode == 0
    assert WeekStore(db_path).get(SAMPLE_MONDAY).note_for(date(2023, 10, 12)).text == "开头：写在编辑器里\n第二段"
    failing = subprocess.run(run, env={**env, "EDITOR": "false"}, capture_output=True, text=True)
    assert failing.returncode == 1 and "编辑器 false 未能完成（exit 1）" in failing.stderr
    missing = subprocess.run(run, env={**env, "EDITOR": str(tmp_path / "no-such-editor")}, capture_output=True, text=True)
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1 and "Traceback" not in missing.stderr
    assert WeekStore(db_path).get(SAMPLE_MONDAY).note_for(date(2023, 10, 12)).text == "开头：写在编辑器里\n第二段"


def test_exit_codes_two_for_bad_input_one_for_failures(db_path):
    assert weekly("note", db=db_path).returncode == 2  # no text, no - and no --edit
    assert weekly("metric", "入金有效成功率", "abc", db=db_path).returncode == 2
    assert weekly("incident", "x", "--at", "25:61", db=db_path).returncode == 2
    assert weekly("nonsense", db=db_path).returncode == 2
    db_path.parent.mkdir(parents=True, exist_ok=True)
    (db_path.parent / "folder.json").mkdir()
    assert weekly("weeks", db=db_path.parent / "folder.json").returncode in (1, 2)
    locked = db_path.parent / "ro"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.geteuid() != 0:  # root writes anywhere
            assert weekly("note", "x", db=locked / "weekly.json").returncode == 1
    finally:
        os.chmod(locked, 0o700)


def test_config_path(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("WEEKLY_CONFIG", "XDG_CONFIG_HOME")}
    run = [sys.executable, "-m", "weekly_zhoubao.tui.cli", "config", "path"]
    assert subprocess.run(run, env={**env, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}, capture_output=True,
                          text=True).stdout == f"{tmp_path / 'xdg' / 'weekly' / 'config.toml'}\n"
    broken = tmp_path / "broken.toml"
    broken.write_text("theme = [")
    shown = subprocess.run(run, env={**env, "WEEKLY_CONFIG": str(broken)}, capture_output=True, text=True)
    assert (shown.returncode, shown.stdout) == (0, f"{broken}\n"), "a broken config still has a place"


# --- metrics from the shell ------------------------------------------------------------------

def test_a_new_number_metric_with_a_target_lower_is_better(db_path, capsys):
    args = ["--date", "2023-10-13", "--db", str(db_path)]
    assert main(["metric", "P99 延迟", "120", "--group", "性能", "--kind", "number", "--target", "200",
                 "--lower-is-better", *args]) == 0
    assert "P99 延迟 = 120" in capsys.readouterr().out
    metric = next(m for m in WeekStore(db_path).get(SAMPLE_MONDAY).metrics if m.name == "P99 延迟")
    assert (metric.value, metric.target, metric.higher_is_better, metric.met()) == ("120", 200, False, True)
    assert main(["metric", "P99 延迟", "250", *args]) == 0  # a reading keeps the definition
    metric = next(m for m in WeekStore(db_path).get(SAMPLE_MONDAY).metrics if m.name == "P99 延迟")
    assert (metric.value, metric.higher_is_better, metric.met()) == ("250", False, False)


@pytest.mark.parametrize("value, said", [
    ("1e9", "请写成普通数字"), ("nan", "不是有限的数"), ("inf", "不是有限的数"),
    ("101%", "带 % 号，但这个指标是数字"), ("abc", "不是数字"),
])
def test_a_number_metric_refuses_what_it_cannot_store_as_typed(db_path, value, said):
    assert weekly("metric", "P99 延迟", "120", "--group", "性能", "--kind", "number", db=db_path).returncode == 0
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    done = weekly("metric", "P99 延迟", value, db=db_path)
    assert done.returncode == 2 and said in done.stderr and len(done.stderr.splitlines()) == 1
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()} == before


def test_a_bad_target_is_bad_input(db_path):
    done = weekly("metric", "P99 延迟", "120", "--group", "性能", "--kind", "number", "--target", "soon", db=db_path)
    assert done.returncode == 2 and "--target: “soon”不是数字" in done.stderr


# --- themes by name ----------------------------------------------------------------------------

async def test_a_textual_theme_by_name_and_the_palette_picker_remembers_one(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n')
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))
    app = create_app(tmp_path / "weekly.json", Settings(theme="nord"), today=date(2023, 10, 13))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "nord"
        names = [command.title for command in app.get_system_commands(app.screen)]
        assert "选择主题" in names
        app.action_change_theme()
        await pilot.pause()
        await pilot.press(*"gruvbox")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
        await pilot.press("f9")  # toggles to the light one; remembered as `light`
        await pilot.pause()
        assert app.theme == "textual-light"
    assert config.read_text() == 'theme = "light"\n'


def test_an_unknown_theme_is_one_line(tmp_path):
    with pytest.raises(WeeklyError, match="setting 'theme': 'neon' is not a theme .*nord"):
        create_app(tmp_path / "weekly.json", Settings(theme="neon"))

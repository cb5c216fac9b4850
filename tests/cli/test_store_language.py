"""One language per store (SPEC §3, §4): the config's `lang`, else the environment's
(LC_ALL, LC_MESSAGES, LANG); an English store is English from its first week; the shell
speaks the store's language."""

from __future__ import annotations

from datetime import date

import pytest

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.settings import Settings, load_settings
from weekly_zhoubao.tui.app import create_app
from tests.cli.helpers import weekly
from tests.tui.helpers import settle


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "en_US.UTF-8"}, "en"), ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "zh"), ({"LANG": ""}, "zh"), ({"LANG": "POSIX"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"), ({"LANG": "en_US", "LC_MESSAGES": "zh_TW"}, "zh"),
])
def test_without_a_config_the_environment_chooses(monkeypatch, env, lang):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_settings().lang == lang


def test_the_config_s_lang_wins_and_a_config_without_one_takes_the_environment(monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    config.write_text('lang = "zh"\n')
    assert load_settings().lang == "zh"
    config.write_text('report_day = "thu"\n')
    assert load_settings().lang == "en"


def test_an_english_store_is_english_from_its_first_week(db_path, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    done = weekly("note", "hello", "--date", "2023-10-12", db=db_path)
    assert done.stdout == "noted for 2023-10-12\n"
    week = WeekStore(db_path).get(date(2023, 10, 9))
    assert [(m.group, m.name) for m in week.metrics] == [("Availability", "Incidents")]
    report = weekly("export", "--date", "2023-10-13", db=db_path).stdout
    assert "Availability:" in report and "- Incidents: A/B 0, C/D 0" in report
    assert "系统可用性" not in report and "事故数" not in report


def test_a_chinese_store_speaks_chinese_in_the_shell(db_path):
    assert weekly("note", "你好", "--date", "2023-10-12", db=db_path).stdout == "已写入 2023-10-12 的日报\n"
    assert [(m.group, m.name) for m in WeekStore(db_path).get(date(2023, 10, 9)).metrics] == [("系统可用性", "事故数")]
    assert weekly("metric", "没有", "1", "--date", "2023-10-13", db=db_path).returncode == 2


async def test_the_english_app_starts_a_new_store_in_english(db_path):
    app = create_app(db_path, Settings(lang="en"), today=date(2023, 10, 13))
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        metrics = app.week_screen.query_one("#pane-metrics")
        shown = " ".join(str(metrics.get_row_at(i)) for i in range(metrics.row_count))
        assert "Availability" in shown and "系统可用性" not in shown and "事故数" not in shown

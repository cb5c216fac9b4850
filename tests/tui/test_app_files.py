"""What the TUI keeps and what it leaves behind: F9's theme is remembered in the config file
(only that line changes), screenshots go to a folder made when missing, and the demo's
temporary store is gone when it ends."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.settings import Settings, load_settings, remember_setting
from tests.conftest import NOW
from tests.tui.helpers import new_app, notices

USERS_CONFIG = """\
# my weekly settings
lang = "en"   # the team reads English
theme = 'dark'  # easier on the eyes

report_day = "thu"

[keys]
theme = "f8"  # F9 is taken by tmux here
"""


def test_theme_changes_only_its_own_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(USERS_CONFIG, encoding="utf-8")
    remember_setting("theme", "light", path)
    after = path.read_text(encoding="utf-8")
    assert after == USERS_CONFIG.replace("theme = 'dark'  # easier", 'theme = "light"  # easier')
    settings = load_settings(path)
    assert settings.theme == "light" and settings.keys == {"theme": "f8"} and settings.report_day == 3


def test_theme_is_added_above_the_first_table(tmp_path):
    path = tmp_path / "config.toml"
    without = USERS_CONFIG.replace("theme = 'dark'  # easier on the eyes\n", "")
    path.write_text(without, encoding="utf-8")
    remember_setting("theme", "light", path)
    after = path.read_text(encoding="utf-8")
    assert after == without.replace('report_day = "thu"\n', 'report_day = "thu"\ntheme = "light"\n')
    assert tomllib.loads(after) == {**tomllib.loads(without), "theme": "light"}
    assert load_settings(path).keys == {"theme": "f8"}, "the [keys] table's theme is a key binding, left alone"


def test_no_config_file_yet(tmp_path):
    path = tmp_path / "new" / "weekly" / "config.toml"
    remember_setting("theme", "light", path)
    assert path.read_text(encoding="utf-8") == 'theme = "light"\n'
    remember_setting("theme", "dark", path)
    assert path.read_text(encoding="utf-8") == 'theme = "dark"\n'


def test_an_edit_that_would_change_more_is_not_written(tmp_path):
    path = tmp_path / "config.toml"
    tricky = 'export_dir = """\ntheme = "x"\n"""\n'  # a theme line inside a multi-line string
    path.write_text(tricky, encoding="utf-8")
    with pytest.raises(WeeklyError):
        remember_setting("theme", "light", path)
    assert path.read_text(encoding="utf-8") == tricky
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"], "no temporary file left"


def test_a_linked_config_stays_a_link(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "weekly.toml"
    real.write_text('lang = "en"\n', encoding="utf-8")
    os.chmod(real, 0o600)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    remember_setting("theme", "light", link)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == 'lang = "en"\ntheme = "light"\n'
    assert real.stat().st_mode & 0o777 == 0o600


def app_with(path, settings):
    """The app with the settings as loaded (the test's own config file)."""
    return new_app(path, settings, now=NOW, poll_seconds=3600)


async def test_f9_is_remembered_at_the_next_start(demo_store, tmp_path, monkeypatch):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text('lang = "zh"  # 中文\n', encoding="utf-8")
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))
    app = app_with(demo_store, load_settings())
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("f9")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert config.read_text(encoding="utf-8") == 'lang = "zh"  # 中文\ntheme = "light"\n'
    again = app_with(demo_store, load_settings())
    async with again.run_test(size=(120, 40)) as pilot:
        assert again.theme == "textual-light"
        await pilot.press("f9")
        await pilot.pause()
    assert load_settings().theme == "dark"


async def test_f9_says_when_it_cannot_remember(demo_store, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.mkdir()  # not a file: cannot be read as one
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))
    app = app_with(demo_store, Settings())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert app.theme == "textual-light", "the theme changes all the same"
        assert any("未能记住" in str(message) for message in notices(app))


async def test_screenshot_folder_is_made_when_missing(demo_store, tmp_path):
    exports = tmp_path / "nowhere" / "exports"
    app = app_with(demo_store, Settings(export_dir=str(exports)))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        path = app.save_screenshot()
        await pilot.pause()
        assert path is not None and path.parent == exports / "screenshots"
        assert path.read_text(encoding="utf-8").startswith("<svg")
        assert any("截图已保存到" in str(message) for message in notices(app)), notices(app)


async def test_screenshot_failure_is_said_in_the_apps_language(demo_store, tmp_path):
    blocked = tmp_path / "exports"
    blocked.write_text("a file where the folder would be")
    app = app_with(demo_store, Settings(export_dir=str(blocked), lang="zh"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.save_screenshot() is None
        await pilot.pause()
        messages = [str(message) for message in notices(app)]
        assert any(m.startswith("截图保存失败") for m in messages), messages
        assert not any("Failed to save screenshot" in m for m in messages)


def test_the_demo_removes_its_store_when_it_ends(monkeypatch, tmp_path):
    from weekly_zhoubao.tui import app
    from weekly_zhoubao.tui import cli

    seen: list[Path] = []

    class FakeApp:
        return_code = 0

        def __init__(self, db_path, *args, **kw) -> None:
            self.db_path = Path(db_path)

        def run(self) -> None:
            assert self.db_path.exists(), "the demo store is there while the demo runs"
            seen.append(self.db_path.parent)

    monkeypatch.setattr(app, "create_app", FakeApp)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR is read again
    assert cli.main(["--demo", "--date", "2023-10-13"]) == 0
    assert seen and seen[0].parent == tmp_path and not seen[0].exists()


async def test_f9_in_the_demo_leaves_the_users_config_alone(tmp_path, monkeypatch):
    from weekly_zhoubao.tui.demo import demo_app

    config = tmp_path / "config.toml"
    config.write_text('lang = "zh"\n', encoding="utf-8")
    monkeypatch.setenv("WEEKLY_CONFIG", str(config))
    app = demo_app(tmp_path / "demo", {"lang": "zh"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert app.theme == "textual-light", "the demo's theme changes for this run"
    assert config.read_text(encoding="utf-8") == 'lang = "zh"\n'


def test_a_killed_demos_folder_is_removed_by_the_next_demo(tmp_path):
    import subprocess
    import sys

    from weekly_zhoubao.tui.demo import DEMO_PREFIX, demo_folder

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f"{DEMO_PREFIX}{gone.stdout.strip()}-x1"  # a demo killed with -9: its process is gone
    (dead / "demo.json").parent.mkdir()
    (dead / "demo.json").write_text("{}")
    alive = tmp_path / f"{DEMO_PREFIX}{os.getpid()}-x2"  # a demo still running beside us
    alive.mkdir()
    unrelated = tmp_path / "weekly-demo-notes"  # not a demo's folder name: left alone
    unrelated.mkdir()
    new = Path(demo_folder(tmp_path))
    assert not dead.exists()
    assert alive.exists() and unrelated.exists()
    assert new.is_dir() and new.name.startswith(f"{DEMO_PREFIX}{os.getpid()}-")

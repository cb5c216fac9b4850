"""The config and store paths are computed without platformdirs (a shell command's start),
and are the ones platformdirs gives, whatever the environment says."""

from __future__ import annotations

import sys

import pytest
from weekly_zhoubao.store.settings import config_path, default_db_path


@pytest.mark.parametrize("platform", ["linux", "darwin"])
@pytest.mark.parametrize("env", [
    {},
    {"XDG_CONFIG_HOME": "/xdg/config", "XDG_DATA_HOME": "/xdg/data"},
    {"XDG_CONFIG_HOME": "relative/config", "XDG_DATA_HOME": ""},  # not absolute: ignored
    {"HOME": "relative-home"},  # the account's home, from the password database
])
def test_the_same_paths_as_platformdirs(monkeypatch, tmp_path, platform, env):
    monkeypatch.delenv("WEEKLY_CONFIG")
    monkeypatch.delenv("WEEKLY_DB")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    if platform == "darwin":
        from platformdirs.macos import MacOS as Dirs
    else:
        from platformdirs.unix import Unix as Dirs
    assert config_path() == Dirs("weekly").user_config_path / "config.toml"
    assert default_db_path() == Dirs("weekly").user_data_path / "weekly.json"


def test_the_environment_names_them_first(monkeypatch, tmp_path):
    monkeypatch.setenv("WEEKLY_CONFIG", str(tmp_path / "c.toml"))
    monkeypatch.setenv("WEEKLY_DB", str(tmp_path / "s.json"))
    assert (config_path(), default_db_path()) == (tmp_path / "c.toml", tmp_path / "s.json")

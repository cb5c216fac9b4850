"""Team tests: local bare repositories stand for the team's remote; no git identity exists
anywhere (HOME is a temporary folder, GIT_CONFIG_NOSYSTEM=1)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.team.helpers import Member


@pytest.fixture(autouse=True)
def no_git_identity(monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "EMAIL", "GIT_DIR", "GIT_WORK_TREE", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def remote(tmp_path) -> Path:
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    return bare


@pytest.fixture
def people(tmp_path, capsys):
    return lambda name: Member(tmp_path, name, capsys)


@pytest.fixture
def english(monkeypatch):
    """Members whose environment speaks English (no config: LANG decides), so a test can read
    the shell's English lines; the other team tests run in the default, Chinese."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

"""`y` copies honestly: the session's clipboard tool when there is one (fake tools on PATH
here, each writing what it was given to a file), else OSC 52, said as such, with the tmux
setting that lets it through."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from weekly_zhoubao.tui import clipboard
from tests.tui.helpers import settle, status

pytestmark = pytest.mark.usefixtures("demo_store")  # the demo's weeks (tui/demo.py)

CAT = shutil.which("cat")  # the fake tools run with only their own folder on PATH
TEXT = "第42周 2023/10/13\n- 【商户服务重构】 ✓\n"


def fake_tool(folder: Path, name: str, exit_code: int = 0) -> Path:
    """A clipboard tool that writes its standard input, and its arguments, beside itself."""
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f'#!/bin/sh\necho "$@" > "{folder}/{name}.args"\n{CAT} > "{folder}/{name}.out"\nexit {exit_code}\n')
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return tool


def env_with(folder: Path, **extra: str) -> dict[str, str]:
    return {"PATH": str(folder), **extra}


def test_x11_uses_xclip_on_the_clipboard_selection(tmp_path):
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "xclip")
    fake_tool(bin_, "xsel")
    assert clipboard.copy_with_tool(TEXT, env_with(bin_, DISPLAY=":0")) == "xclip"
    assert (bin_ / "xclip.out").read_text(encoding="utf-8") == TEXT
    assert (bin_ / "xclip.args").read_text().split() == ["-selection", "clipboard"]
    assert not (bin_ / "xsel.out").exists()


def test_xsel_when_xclip_is_missing(tmp_path):
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "xsel")
    assert clipboard.copy_with_tool(TEXT, env_with(bin_, DISPLAY=":0")) == "xsel"
    assert (bin_ / "xsel.out").read_text(encoding="utf-8") == TEXT
    assert (bin_ / "xsel.args").read_text().split() == ["--clipboard", "--input"]


def test_wayland_comes_first_when_its_display_is_there(tmp_path):
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "wl-copy")
    fake_tool(bin_, "xclip")
    assert clipboard.copy_with_tool(TEXT, env_with(bin_, DISPLAY=":0", WAYLAND_DISPLAY="wayland-0")) == "wl-copy"
    assert (bin_ / "wl-copy.out").read_text(encoding="utf-8") == TEXT


def test_display_tools_need_their_display(tmp_path):
    """Over SSH (no DISPLAY) an installed xclip would fail or fill the wrong clipboard."""
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "xclip")
    fake_tool(bin_, "wl-copy")
    assert clipboard.copy_with_tool(TEXT, env_with(bin_)) is None
    assert not (bin_ / "xclip.out").exists() and not (bin_ / "wl-copy.out").exists()


def test_pbcopy_needs_no_display(tmp_path):
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "pbcopy")
    assert clipboard.copy_with_tool(TEXT, env_with(bin_)) == "pbcopy"
    assert (bin_ / "pbcopy.out").read_text(encoding="utf-8") == TEXT


def test_a_failing_tool_is_no_copy(tmp_path):
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "xclip", exit_code=1)  # e.g. "Can't open display"
    assert clipboard.copy_with_tool(TEXT, env_with(bin_, DISPLAY=":0")) is None


def test_what_is_said():
    assert "xclip" in clipboard.outcome("xclip", "en", {})
    osc = clipboard.outcome(None, "en", {})
    assert "OSC 52" in osc and "set-clipboard" not in osc
    assert "set -g set-clipboard on" in clipboard.outcome(None, "en", {"TMUX": "/tmp/tmux-0/default,1,0"})
    zh = clipboard.outcome(None, "zh", {"TMUX": "x"})
    assert "OSC 52" in zh and "set -g set-clipboard on" in zh and "已" in zh


async def test_y_copies_with_the_tool(make_app, tmp_path, monkeypatch):
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "xclip")
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_app("en")
    sent: list[str] = []
    app.copy_to_clipboard = sent.append  # OSC 52 must not be needed
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await settle(pilot)
        assert (bin_ / "xclip.out").read_text(encoding="utf-8") == app.week_screen.report_text()
        assert "xclip" in status(app) and sent == []


async def test_y_without_a_tool_sends_osc52_and_says_so(make_app, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_app("zh")
    sent: list[str] = []
    app.copy_to_clipboard = sent.append
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await settle(pilot)
        assert sent == [app.week_screen.report_text()]
        shown = status(app)
        assert "OSC 52" in shown and "set-clipboard" in shown

"""Closing the terminal ends Weekly within 2 s, having kept what was typed (issue 25). The
terminal is closed while Weekly is busy redrawing (a resize a moment before), which used
to leave it blocked for ever in Textual's output thread: 20 times, each must exit."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

from weekly_zhoubao.store.db import WeekStore
from tests.conftest import ROOT

RUNS = 20


def _size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _drain(fd: int, until_quiet: float, limit: float) -> bytes:
    """Read the terminal until it has been quiet `until_quiet` seconds (the screen drawn)."""
    out, start, last = b"", time.monotonic(), time.monotonic()
    while time.monotonic() - start < limit:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
            last = time.monotonic()
        elif out and time.monotonic() - last > until_quiet:
            break
    return out


def _type_then_close(db: Path, home: Path, typed: str) -> float | None:
    """Weekly in a new terminal; the reflections editor opened and `typed` typed; then the
    terminal resized and closed at once. Seconds until Weekly exited, None if it did not in 2 s."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: Weekly on the new terminal
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "HOME": str(home),
               "WEEKLY_CONFIG": str(home / "no-config.toml")}
        os.execve(sys.executable, [sys.executable, "-m", "weekly_zhoubao.tui.cli", "--db", str(db)], env)
    try:
        _size(fd, 40, 120)
        assert _drain(fd, 0.5, 60), "Weekly drew nothing"
        for keys in (b"5", b"\x1b[B", b"\r", typed.encode()):  # reflections: its editor, then the text
            os.write(fd, keys)
            _drain(fd, 0.3, 5)
        for step in range(20):  # a burst of redraws nobody reads …
            _size(fd, 30 + step % 15, 100 + step % 30)
            time.sleep(0.01)
    finally:
        os.close(fd)  # … and the terminal is gone
    closed = time.monotonic()
    while time.monotonic() - closed < 2:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return time.monotonic() - closed
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def test_closing_the_terminal_ends_weekly_within_2_s_and_keeps_typed_text(tmp_path):
    db = tmp_path / "store" / "weekly.json"
    home = tmp_path / "home"
    home.mkdir()
    exits = [_type_then_close(db, home, f"typed-{n};") for n in range(RUNS)]
    hung = [n for n, seconds in enumerate(exits) if seconds is None]
    assert not hung, f"still running 2 s after the terminal closed: runs {hung}"
    kept = "".join(week.reflections for week in WeekStore(db).all_weeks())
    assert all(f"typed-{n};" in kept for n in range(RUNS)), kept

"""What the shell's tests share."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60).stdout
    return set(out.split())


def weekly(*args, db, stdin=None, env=None):
    """The real command in a subprocess: what a user's shell sees."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", *args, "--db", str(db)],
                          capture_output=True, text=True, env=env, input=stdin, timeout=60)


def run_in_pty(args: list[str]) -> bytes:
    """`weekly ARGS` on a pseudo-terminal: every byte it sent to the terminal."""
    import pty
    import select

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "weekly_zhoubao.tui.cli", *args], stdin=follower, stdout=follower,
                            stderr=follower, env={**os.environ, "PYTHONPATH": str(ROOT)}, close_fds=True)
    os.close(follower)
    out = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(leader)
    return out

"""What the store's tests share: a real second writer (`weekly …` in its own process) and the
wait for a session's saves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from weekly_zhoubao.store.session import Session
from tests.conftest import ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def weekly(db: Path, *args: str) -> subprocess.CompletedProcess:
    """One real `python -m tui.cli …` process."""
    return subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", *args, "--db", str(db)], capture_output=True,
                          text=True, env=ENV, cwd=ROOT, timeout=60)


def saved(session: Session) -> list:
    """Wait for the worker; fail on a save error; the events."""
    assert session.flush() is None, session.save_error
    events = session.collect()
    assert "refused" not in [e.code for e in events], [e.text() for e in events]
    return events

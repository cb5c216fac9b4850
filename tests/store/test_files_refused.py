"""One helper for every file Weekly writes (store/files.py, issue 25): a symlink, a FIFO or
a device where a file would go is refused, never followed and never waited on — `review -o`,
the file that keeps typed text when the terminal closes, the team's clone and config, and
exports alike."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
from textual.widgets import TextArea

from weekly_zhoubao.store.errors import StoreError
from weekly_zhoubao.store.files import append_text, write_file
from weekly_zhoubao.tui.cli import main
from tests.tui.helpers import fill


def planted(tmp_path, kind: str, path):
    """A symlink to a file elsewhere, or a FIFO nobody reads, at `path`; the file elsewhere."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not yours")
    if kind == "link":
        os.symlink(elsewhere, path)
    else:
        os.mkfifo(path)
    return elsewhere


@pytest.fixture
def deadline():
    """A write that blocks fails the test instead of hanging it."""
    def expired(*_):
        raise TimeoutError("blocked on a write")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_the_one_helper_refuses_links_fifos_and_devices(tmp_path, kind, deadline):
    target = tmp_path / "out.md"
    elsewhere = planted(tmp_path, kind, target)
    with pytest.raises(StoreError, match="symbolic link" if kind == "link" else "not a regular file"):
        write_file(target, b"x")
    with pytest.raises(OSError):
        append_text(target, "x")
    assert elsewhere.read_text() == "not yours"
    with pytest.raises(StoreError, match="not a regular file"):
        write_file(type(target)("/dev/null"), b"x")


@pytest.mark.parametrize("kind", ["link", "fifo"])
async def test_a_closed_terminal_keeps_typed_text_beside_what_was_planted_at_its_name(
        store, make_app, db_path, tmp_path, kind, deadline):
    elsewhere = planted(tmp_path, kind, db_path.with_name("weekly.json.unsaved-20231013-1537.txt"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")  # an incident form without a summary: cannot be saved
        fill(app.screen, impact="half typed impact")
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause(0.3)
    assert app.return_code == 1
    assert elsewhere.read_text() == "not yours"
    kept = [p for p in db_path.parent.glob("weekly.json.unsaved-*.txt") if p.is_file() and not p.is_symlink()]
    assert len(kept) == 1 and "half typed impact" in kept[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_review_output_onto_a_link_or_fifo_is_refused(tmp_path, capsys, kind, deadline):
    target = tmp_path / "review.md"
    elsewhere = planted(tmp_path, kind, target)
    code = main(["review", "-o", str(target), "--db", str(tmp_path / "weekly.json")])
    assert code == 1 and "not replaced" in capsys.readouterr().err
    assert elsewhere.read_text() == "not yours" and (target.is_symlink() or kind == "fifo")


def test_the_team_config_is_not_written_through_a_link(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    bare = tmp_path / "team.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    db = tmp_path / "alice" / "weekly.json"
    db.parent.mkdir()
    elsewhere = planted(tmp_path, "link", db.with_name("weekly.team.json"))
    code = main(["team", "join", str(bare), "--as", "alice", "--db", str(db)])
    assert code == 1 and "is a symbolic link; not replaced" in capsys.readouterr().err
    assert elsewhere.read_text() == "not yours" and not db.with_name("weekly.team").exists()

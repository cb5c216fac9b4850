"""Nothing secret kept (issue 25): `team join http://user:secret@host/…` uses the credential
for the clone and writes it nowhere — not into the clone's config or logs, not into the
team config. A local dumb-HTTP server stands for the team's remote."""

from __future__ import annotations

import pytest

import functools
import http.server
import subprocess
import threading
from pathlib import Path

from weekly_zhoubao.store.team.repo import split_credentials
from tests.team.helpers import joined, week_of

pytestmark = pytest.mark.usefixtures("english")  # these read the shell's English lines


def test_split_credentials_keeps_the_address_and_nothing_else():
    assert split_credentials("https://bob:p%40ss@example.com/team.git") == \
        ("https://example.com/team.git", "bob", "p@ss")
    assert split_credentials("https://token@example.com/t.git") == ("https://example.com/t.git", "token", None)
    assert split_credentials("git@example.com:pay/weeks.git") == ("git@example.com:pay/weeks.git", None, None)
    assert split_credentials("ssh://git@example.com/t.git")[0] == "ssh://git@example.com/t.git"


def test_a_password_in_the_join_address_is_stored_nowhere(people, remote, tmp_path):
    alice = joined(people, remote, "alice")
    alice.write(week_of("alice"))
    alice.ok("team", "publish")
    subprocess.run(["git", "-C", str(remote), "update-server-info"], check=True)  # dumb HTTP needs it
    handler = functools.partial(QuietHandler, directory=str(remote.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://lead:s3cret-pw@127.0.0.1:{server.server_address[1]}/{remote.name}"
        lead = people("lead")
        code, out, err = lead.run("team", "join", url, "--as", "lead")
        assert code == 0, err
        assert "joined as lead" in out and "credential.helper" in out
        assert "alice 的重点" in lead.ok("team", "report", "--date", "2023-10-09")
        assert lead.run("team", "sync")[0] == 0  # the address without the password still works
    finally:
        server.shutdown()
    leaked = [p for p in lead.db.parent.rglob("*") if p.is_file() and b"s3cret" in p.read_bytes()]
    assert leaked == []
    assert f"http://127.0.0.1:{server.server_address[1]}/" in (lead.clone / ".git" / "config").read_text()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

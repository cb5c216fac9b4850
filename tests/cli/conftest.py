"""What the shell's tests share as fixtures: `served`, a real `weekly serve` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import SAMPLE
from weekly_zhoubao.exporters.reader import read_report
from weekly_zhoubao.store.db import WeekStore


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(db_path):
    WeekStore(db_path).put(read_report(SAMPLE.read_text(encoding="utf-8"), "sample"))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "weekly_zhoubao.tui.cli", "serve", "--port", str(port),
                               "--date", "2023-10-13", "--db", str(db_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    deadline = time.monotonic() + 30
    while True:
        try:
            page = urllib.request.urlopen(f"http://localhost:{port}/", timeout=2).read().decode()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"weekly serve did not start: {server.communicate()[1].decode()[-2000:]}")
            time.sleep(0.2)
    yield port, page
    server.terminate()
    server.wait(timeout=10)

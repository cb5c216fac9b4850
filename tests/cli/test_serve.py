"""`weekly serve`: the TUI streamed to a browser by textual-serve, on localhost only. Driven
as the browser's page drives it: the page from HTTP, then the app over its websocket
(resize, keys in, the screen out), with the store checked afterwards."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import aiohttp
import pytest

from weekly_zhoubao.store.db import WeekStore


async def screen_until(ws, pattern: str, timeout: float = 30) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen)):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{pattern!r} never showed; the last of the screen: {seen[-500:]!r}"
        message = await asyncio.wait_for(ws.receive(), remaining)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data.decode("utf-8", errors="replace")
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise AssertionError(f"the app closed before {pattern!r} showed")
    return seen


async def test_the_page_serves_the_app_and_an_incident_typed_in_it_is_stored(served, db_path):
    port, page = served
    assert f"ws://localhost:{port}/ws" in page and "textual.js" in page
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"ws://localhost:{port}/ws?width=120&height=40") as ws:
            await screen_until(ws, "第42周")  # the week asked for, drawn
            await ws.send_str(json.dumps(["stdin", "i"]))
            await screen_until(ws, "记录生产稳定性事件")  # the incident form
            await ws.send_str(json.dumps(["stdin", "浏览器里记的事件"]))
            await asyncio.sleep(0.3)
            await ws.send_str(json.dumps(["stdin", "\r"]))
            deadline = time.monotonic() + 20
            # logged now (the clock's time), so in this week's store entry, whichever week is on screen
            while not any(i.summary == "浏览器里记的事件" for w in WeekStore(db_path).all_weeks() for i in w.incidents):
                assert time.monotonic() < deadline, "the incident typed in the browser was not stored"
                await asyncio.sleep(0.2)
            await ws.send_str(json.dumps(["stdin", "q"]))


def test_it_listens_on_the_loopback_interface_only(served):
    port, _ = served
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
    if listening.returncode != 0:
        pytest.skip("no ss here to list listening sockets")
    addresses = {line.split()[3].rsplit(":", 1)[0] for line in listening.stdout.splitlines() if line.strip()}
    assert addresses and addresses <= {"127.0.0.1", "[::1]"}, addresses


def test_a_bad_port_is_bad_input(db_path):
    done = subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "serve", "--port", "70000",
                           "--db", str(db_path)], capture_output=True, text=True, env=os.environ)
    assert done.returncode == 2 and "'70000' is not a port" in done.stderr

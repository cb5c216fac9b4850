"""`weekly serve` in a real browser: headless Chromium opens the page, which runs the app over
its websocket; the test reads the screen the page receives (the websocket's frames, through
Chromium's DevTools protocol), sees the week, types `i` and an incident into the page, and
finds the incident in the store. Without chromium it skips locally and fails under CI=true
(as tests/test_review_browser.py)."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import subprocess
import time
import urllib.request

import aiohttp

from weekly_zhoubao.store.db import WeekStore
from tests.formats.helpers import chromium

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Page:
    """One Chromium tab over the DevTools protocol, keeping what the page's websocket receives."""

    def __init__(self, ws) -> None:
        self.ws, self.next_id, self.screen = ws, 0, ""

    async def call(self, method: str, **params) -> dict:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = await self.read(30)
            if message.get("id") == self.next_id:
                return message.get("result", {})

    async def read(self, timeout: float) -> dict:
        message = json.loads((await asyncio.wait_for(self.ws.receive(), timeout)).data)
        if message.get("method") == "Network.webSocketFrameReceived":
            frame = message["params"]["response"]
            data = base64.b64decode(frame["payloadData"]) if frame["opcode"] == 2 else frame["payloadData"].encode()
            self.screen += data.decode("utf-8", errors="replace")
        return message

    async def shows(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in ANSI.sub("", self.screen):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never showed in the page; last: {ANSI.sub('', self.screen)[-300:]!r}"
            try:
                await self.read(remaining)
            except asyncio.TimeoutError:
                pass

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                            windowsVirtualKeyCode=13, **({"text": "\r"} if kind == "keyDown" else {}))


async def test_the_page_runs_the_app_and_an_incident_typed_in_it_is_stored(served, db_path, tmp_path):  # noqa: F811
    browser = chromium()
    port, _ = served
    proc = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-extensions", "--remote-debugging-port=0", f"--user-data-dir={tmp_path / 'profile'}",
                             "--window-size=1400,1000", "about:blank"], stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if found := re.search(r"DevTools listening on ws://([^/]+)/", line):
                break
        else:
            raise AssertionError("chromium gave no DevTools address")
        targets = json.loads(urllib.request.urlopen(f"http://{found.group(1)}/json/list", timeout=10).read())
        target = next(t for t in targets if t["type"] == "page")
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = Page(ws)
                await page.call("Network.enable")
                await page.call("Page.enable")
                await page.call("Page.navigate", url=f"http://localhost:{port}/")
                await page.shows("第42周")  # the week asked for, as the page received it
                await page.call("Runtime.evaluate", expression="document.querySelector('.xterm-helper-textarea').focus()")
                await page.type("i")
                await page.shows("记录生产稳定性事件")  # the incident form
                await page.type("浏览器里记的事件")
                await asyncio.sleep(0.3)
                await page.enter()
                deadline = time.monotonic() + 20
                while not any(i.summary == "浏览器里记的事件" for w in WeekStore(db_path).all_weeks() for i in w.incidents):
                    assert time.monotonic() < deadline, "the incident typed in the page was not stored"
                    await asyncio.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

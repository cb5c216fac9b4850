"""What the format tests share: weeks drawn at random (hypothesis) for round trips."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from hypothesis import strategies as st

from weekly_zhoubao.store.models import DailyNote, Incident, KeyWorkItem, ListEntry, Objective, ObjectiveItem, Week

line_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ 012 #|`*_-=>[]()【】：，。!<~\\+.") + list("商户银行账户进度周报")),
    min_size=1, max_size=30).map(str.strip).filter(bool)
block_text = st.lists(st.one_of(line_text, st.just(""), line_text.map(lambda s: "    " + s)),
                      min_size=1, max_size=5).map("\n".join).map(lambda s: s.strip("\n")).filter(
    lambda s: s.strip() and not s.startswith(" "))


@st.composite
def weeks(draw):
    monday = date(2023, 10, 9)
    item = st.builds(ObjectiveItem, text=line_text, children=st.lists(
        st.builds(ObjectiveItem, text=line_text), max_size=2), ordered_children=st.booleans())
    objectives = [Objective(code=f"O{n}", title=draw(line_text.filter(lambda s: "】" not in s)),
                            items=draw(st.lists(item, max_size=3)))
                  for n in range(1, draw(st.integers(0, 4)) + 1)]
    incidents = [Incident(at=datetime(2023, 10, 9 + d, h, m), summary=draw(line_text))
                 for d, h, m in draw(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 23),
                                                        st.integers(0, 59)), max_size=3, unique=True))]
    return Week(
        monday=monday,
        key_work=draw(st.lists(st.builds(KeyWorkItem, title=line_text.filter(lambda s: "】" not in s),
                                         body=st.one_of(st.just(""), block_text)), max_size=3)),
        objectives=objectives, incidents=incidents,
        incident_host="O3" if len(objectives) >= 3 else "O9",
        other=draw(st.lists(st.builds(ListEntry, text=line_text), max_size=3)),
        reflections=draw(st.one_of(st.just(""), block_text)),
        next_week=draw(st.lists(st.builds(ListEntry, text=block_text), max_size=3)),
        daily_notes=[DailyNote(day=date(2023, 10, 12))] if draw(st.booleans()) else [],
    )


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium fonts-noto-cjk)")
    pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk); this skips only "
                "outside CI (under CI=true it fails)")


def run_chromium(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=900,1200", *args],
        capture_output=True, text=True, timeout=120)

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run (CI must not turn red on a new random draw); explore more
# with HYPOTHESIS_PROFILE=default, which draws afresh each time.
settings.register_profile("weekly", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "weekly"))

ROOT = Path(__file__).resolve().parents[1]  # the checkout: subprocesses run from it
DATA = ROOT / "tests" / "data"
SAMPLE = ROOT.parent / "shared" / "samples" / "week-42-2023.md"
if not SAMPLE.exists():  # CI clones the repo with shared/ beside it; keep a copy for other layouts
    SAMPLE = DATA / "week-42-2023.md"
SAMPLE_MONDAY = date(2023, 10, 9)
TODAY = date(2023, 10, 13)  # the sample's report day, and the demo's (tui/demo.py)
NOW = datetime(2023, 10, 13, 15, 37)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test may read the developer's config or touch their store."""
    monkeypatch.setenv("WEEKLY_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("WEEKLY_DB", str(tmp_path / "default-store" / "weekly.json"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LANG", "C.UTF-8")  # no language asked for: Weekly's default (zh), whoever runs the tests
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    from weekly_zhoubao.store import messages

    monkeypatch.setitem(messages._language, "now", "en")  # the rules speak English until a UI says otherwise


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store" / "weekly.json"


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def sample_week(sample_text):
    from weekly_zhoubao.exporters.reader import read_report

    return read_report(sample_text, "week-42-2023.md")



@pytest.fixture
def store(db_path):
    """The sample week in the store at db_path."""
    from weekly_zhoubao.exporters.reader import read_report
    from weekly_zhoubao.store.db import WeekStore

    s = WeekStore(db_path)
    s.put(read_report(SAMPLE.read_text(encoding="utf-8"), "sample"))
    return s


@pytest.fixture
def make_app(db_path, tmp_path):
    """The one way a test builds the app: on the store at db_path, exports under tmp_path, a
    fixed clock (`now`: a datetime, or a callable the test moves), animations off, and what it
    notifies recorded (tests.tui.helpers.notices). Settings are keyword arguments."""
    from weekly_zhoubao.store.settings import Settings
    from tests.tui.helpers import new_app

    def make(lang="zh", *, start=TODAY, now=NOW, poll_seconds=0.1, **settings):
        settings.setdefault("export_dir", str(tmp_path / "exports"))
        return new_app(db_path, Settings(lang=lang, **settings), start=start, now=now, poll_seconds=poll_seconds)
    return make

"""`weekly --demo`: a temporary store holding a few weeks like the sample, so a newcomer
sees a real week without typing anything. The user's own store is never touched."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from weekly_zhoubao.exporters.reader import read_report
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import DailyNote, Incident, Week, monday_of
from weekly_zhoubao.store.words import write_progress

DEMO_REPORT = Path(__file__).with_name("demo_report.md")
WEEKS = 6
TARGETS = {"入金有效成功率": 99.99, "出金有效成功率": 99.95, "一次支付成功率": 99.0, "支付系统年度可用性": 99.99}
# small, fixed wiggles so the trend columns have a shape (no randomness: screenshots are stable)
WIGGLE = [-0.004, 0.002, -0.011, 0.003, 0.001, 0.0]


def demo_weeks(today: date) -> list[Week]:
    template = read_report(DEMO_REPORT.read_text(encoding="utf-8"), "demo")
    template.page_title = None
    template.stated_incident_counts = None
    latest = monday_of(today)
    weeks = []
    for n in range(WEEKS):
        monday = latest - timedelta(days=7 * (WEEKS - 1 - n))
        week = template.model_copy(deep=True, update={"monday": monday})
        shift = monday - template.monday
        for metric in week.metrics:
            if metric.name in TARGETS:
                metric.target = TARGETS[metric.name]
                base = float(metric.value)
                metric.value = f"{min(100.0, base + WIGGLE[n] * (1 + len(metric.name) % 3)):.3f}"
        for objective in week.objectives:
            for item in objective.walk():
                if item.due:
                    item.due += shift
                if item.progress is not None and item.progress < 100:
                    item.progress = max(0.0, item.progress - 5 * (WEEKS - 1 - n))
                    item.text = write_progress(item.text, item.progress)
        grades = [None, "C", None, "D", "B", None]
        week.incidents = [inc.model_copy(update={"at": inc.at + shift, "grade": grades[(i + n) % 6]})
                          for i, inc in enumerate(template.incidents)][: 2 + n % 3]
        week.daily_notes = [DailyNote(day=monday + timedelta(days=d), text=text) for d, text in (
            (0, "晨会：对齐本周上线计划。\n\n- 银行虚户评审\n- POS 测试用例"),
            (3, "新网银行沟通开户流程；收银台结果页灰度 30%。"),
        )]
        weeks.append(week)
    # this week is still being written: some values not in yet, one incident still open
    current = weeks[-1]
    current.metrics[2].value = None
    current.incidents.append(Incident(at=datetime.combine(monday_of(today) + timedelta(days=min(today.weekday(), 4)),
                                                          time(9, 41)),
                                      summary="支付回调延迟升高，排查中", grade="C", impact="部分商户回调延迟约 2 分钟"))
    return weeks


DEMO_PREFIX = "weekly-demo-"


def demo_folder(parent: Path | None = None) -> str:
    """A new temporary folder for one demo, named after its process. A demo that was killed
    (kill -9, a closed terminal) could not remove its own: the folders of demos whose process
    is gone are removed here, so they do not pile up in /tmp."""
    import os
    import shutil
    import tempfile

    parent = Path(parent or tempfile.gettempdir())
    for old in parent.glob(f"{DEMO_PREFIX}*-*"):
        pid = old.name.removeprefix(DEMO_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or old.is_symlink() or not old.is_dir() or old.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass  # alive, or another user's: not ours to remove
    return tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{os.getpid()}-", dir=parent)


def build_demo_store(path: Path, today: date) -> WeekStore:
    store = WeekStore(path)
    store.put_many(demo_weeks(today))
    return store


DEMO_TODAY = date(2023, 10, 13)
DEMO_NOW = datetime(2023, 10, 13, 15, 37)

# The screens the README shows and the snapshot tests pin: (name, settings, keys to press).
SCREENS = [
    ("main", {"lang": "zh"}, []),
    ("incident-modal", {"lang": "zh"}, ["i", *"支付回调超时"]),
    ("metrics-trends", {"lang": "en"}, ["2"]),
    ("export-preview", {"lang": "zh"}, ["6", "pagedown"]),
    ("light-theme", {"lang": "en", "theme": "light"}, ["3"]),
]


def demo_app(folder: Path, settings_overrides: dict):
    """The app on a fresh demo store, with a fixed today and now (screens are reproducible)."""
    from weekly_zhoubao.store.settings import Settings

    from .app import create_app

    path = Path(folder) / "demo.json"
    build_demo_store(path, DEMO_TODAY)
    settings = Settings(export_dir=str(Path(folder) / "exports"), **settings_overrides)
    app = create_app(path, settings, today=DEMO_TODAY, now=lambda: DEMO_NOW, poll_seconds=3600,
                     keeps_settings=False)
    app.animation_level = "none"
    return app

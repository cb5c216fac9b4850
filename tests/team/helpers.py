"""The team's plain helpers: a member running `weekly …`, their week, joining."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident, KeyWorkItem, ListEntry, Metric, Week
from weekly_zhoubao.tui.cli import main

MONDAY = date(2023, 10, 9)


class Member:
    """One person: a store of their own, and `weekly …` run as them."""

    def __init__(self, tmp_path: Path, name: str, capsys) -> None:
        self.name = name
        self.db = tmp_path / name / "weekly.json"
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*args, "--db", str(self.db)])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, err
        return out

    @property
    def clone(self) -> Path:
        return self.db.with_name("weekly.team")

    def store(self) -> WeekStore:
        return WeekStore(self.db)

    def write(self, week: Week) -> None:
        self.store().put(week)


def week_of(name: str, monday: date = MONDAY, **extra) -> Week:
    return Week(
        monday=monday,
        key_work=[KeyWorkItem(id=f"kw-{name}", title=f"{name} 的重点", body="1. 第一步\n2. 第二步")],
        metrics=[Metric(group="支付成功率", name="入金有效成功率", value="99.99" if name == "alice" else "99.5"),
                 Metric(group="系统可用性", name="事故数", kind="incident_counts")],
        incidents=[Incident(id=f"inc-{name}", at=datetime.combine(monday, datetime.min.time()).replace(
            hour=15 if name == "alice" else 9, minute=37), grade="C" if name == "alice" else "A",
            summary=f"{name} 的事件")],
        other=[ListEntry(id=f"o-{name}", text=f"{name} 的其他")],
        next_week=[ListEntry(id=f"n-{name}", text=f"{name} 的下周")],
        reflections=f"{name} 的反思",
        daily_notes=[{"day": monday + timedelta(days=1), "text": f"{name} 的私密日报"}],
        **extra,
    )


def joined(people, remote, name: str, *extra: str) -> Member:
    member = people(name)
    out = member.ok("team", "join", str(remote), "--as", name, *extra)
    assert name in out and member.clone.is_dir(), out  # "joined as NAME" in the store's language
    return member


def git(cwd: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False)
    if check and done.returncode:
        raise AssertionError(f"git {args}: {done.stderr}")
    return done.stdout


def remote_text(remote: Path) -> str:
    """Every version of every file the team repository holds."""
    return git(remote, "log", "--all", "-p", "--format=%H %an")

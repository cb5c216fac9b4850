"""The team rows of `make bench` (SPEC §6, §9): a roll-up of 50 members over 10 years of
weeks (26,000 files) for one week, and a sync after one member published one week (what
it fetches, against what the repository holds). `python scripts/bench_team.py` runs only
these rows; scripts/bench.py adds them to the full table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMBERS = 50
WEEKS = 520
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
LATEST = date(2026, 11, 23)


def _git(cwd: Path, *args: str) -> str:
    from weekly_zhoubao.store.team.git import git_env

    return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True,
                          env=git_env()).stdout


def member_doc(name: str) -> dict:
    """A member's week of ordinary size (~4 KB): key work, metrics, objectives, incidents."""
    from weekly_zhoubao.store.models import Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Week

    week = Week(
        monday=LATEST,
        key_work=[KeyWorkItem(title=f"{name} 重点 {n}", body="1. 设计评审完成\n2. 联调进度60%\n    - 细节") for n in range(3)],
        metrics=[Metric(group="支付成功率", name=f"指标{n}", value=f"99.9{n}") for n in range(4)]
        + [Metric(group="系统可用性", name="事故数", kind="incident_counts")],
        objectives=[Objective(code=f"O{o}", title=f"目标{o}", items=[
            ObjectiveItem(name=f"项目{o}{n}", text="进度50%，预计12/1上线", progress=50,
                          children=[ObjectiveItem(text="子项")]) for n in range(3)]) for o in (1, 2)],
        incidents=[Incident(at=f"{LATEST}T10:{n:02d}", grade="C", summary=f"{name} 事件 {n}") for n in range(2)],
        other=[ListEntry(text="述职")],
        next_week=[ListEntry(text="继续推进")],
        reflections="本周收获。",
    )
    return week.model_dump(mode="json")


def build_team_repo(folder: Path) -> tuple[Path, Path]:
    """A bare team repository holding MEMBERS × WEEKS week files, and a work clone of it."""
    import orjson

    bare, work = folder / "team.git", folder / "seed"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    for m in range(MEMBERS):
        name = f"member{m:02d}"
        doc = member_doc(name)
        (work / "people" / name).mkdir(parents=True)
        for w in range(WEEKS):
            monday = LATEST - timedelta(days=7 * w)
            doc["monday"] = monday.isoformat()
            for n, inc in enumerate(doc["incidents"]):
                inc["at"] = f"{monday}T10:{n:02d}:00"
            (work / "people" / name / f"{monday}.json").write_bytes(
                orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
        # Each member's own commit, authored by them: the rule sync checks (store/team/repo.py)
        _git(work, "add", "--", f"people/{name}")
        _git(work, "-c", f"user.name={name}", "-c", f"user.email={name}@x", "commit", "-qm", f"{name}: ten years")
    _git(work, "push", "-q", str(bare), "HEAD:refs/heads/master")
    return bare, work


def _timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    if done.returncode:
        raise RuntimeError(done.stderr.decode())
    return time.perf_counter() - t0


def team_rows(tmp: Path) -> list[tuple[str, str, str, bool | None]]:
    from weekly_zhoubao.store.models import Week
    from weekly_zhoubao.store.team import repo

    weekly = str(Path(sys.executable).parent / "weekly")
    home = tmp / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "WEEKLY_CONFIG": "/nonexistent/weekly.toml"}
    t0 = time.perf_counter()
    bare, _ = build_team_repo(tmp)
    built = time.perf_counter() - t0
    lead_db = tmp / "lead" / "weekly.json"
    joined = _timed([weekly, "team", "join", str(bare), "--as", "lead", "--db", str(lead_db)], env)
    files = sum(1 for _ in (tmp / "lead" / "weekly.team" / "people").glob("*/*.json"))
    pack = sum(p.stat().st_size for p in (tmp / "lead" / "weekly.team" / ".git" / "objects").rglob("*") if p.is_file())

    report = [weekly, "team", "report", "--date", str(LATEST + timedelta(days=4)), "--db", str(lead_db)]
    import json

    rolled = json.loads(subprocess.run([*report, "--format", "json"], check=True, capture_output=True, env=env).stdout)
    if len(rolled["members"]) != MEMBERS or rolled["problems"]:  # measure the real thing, not refusals
        raise RuntimeError(f"the roll-up read {len(rolled['members'])} members: {rolled['problems'][:3]}")
    rollups = [_timed(report, env) for _ in range(RUNS)]
    rows = [("  team repository (info)", "(info)",
             f"{MEMBERS} members × {WEEKS} weeks = {files:,} files, {pack / 1e6:.1f} MB of objects; "
             f"built in {built:.0f} s, `team join` (clone + check) {joined:.1f} s", None),
            (f"`weekly team report` of one week ({MEMBERS} members, 10 years)", "< 1 s",
             f"{statistics.median(rollups) * 1000:.0f} ms (median of {RUNS})", statistics.median(rollups) < 1)]
    # The lead writing zh-simple: every member's sample-layout week is mapped section by
    # section, most of it into "other sections" (store/team/rollup.plan)
    config = tmp / "lead-config" / "config.toml"
    config.parent.mkdir()
    config.write_text('template = "zh-simple"\n')
    mapped = [_timed(report, {**env, "WEEKLY_CONFIG": str(config)}) for _ in range(RUNS)]
    rows.append(("  the same in the lead's zh-simple template (sections mapped)", "< 1 s",
                 f"{statistics.median(mapped) * 1000:.0f} ms (median of {RUNS})", statistics.median(mapped) < 1))

    # One member publishes one new week; the lead's sync must fetch that, not the history.
    os.environ.update({"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"})
    member = repo.join(tmp / "m" / "weekly.json", str(bare), "member00")
    syncs, objects = [], []
    for n in range(RUNS):
        doc = member_doc("member00")
        doc["monday"] = (LATEST + timedelta(days=7 * (n + 1))).isoformat()
        doc["incidents"] = []
        repo.publish(member, [Week.model_validate(doc)])
        before = _loose_objects(tmp / "lead" / "weekly.team")
        syncs.append(_timed([weekly, "team", "sync", "--db", str(lead_db)], env))
        objects.append(_loose_objects(tmp / "lead" / "weekly.team") - before)
    rows.append(("`weekly team sync` after one member published one week", "fetches only what changed",
                 f"{statistics.median(syncs) * 1000:.0f} ms; {statistics.median(objects):.0f} objects fetched "
                 f"(commit, 3 trees, the week's file) of {files:,} files", max(objects) <= 6))
    return rows


def _loose_objects(clone: Path) -> int:
    counted = _git(clone, "count-objects", "-v")
    values = dict(line.split(": ") for line in counted.strip().splitlines())
    return int(values["count"]) + int(values["in-pack"])


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        rows = team_rows(Path(tmp))
    width = max(len(r[0]) for r in rows)
    print(f"| {'figure':<{width}} | target | measured | met |")
    print(f"|{'-' * (width + 2)}|---|---|---|")
    for figure, target, measured, met in rows:
        print(f"| {figure:<{width}} | {target} | {measured} | {'' if met is None else 'yes' if met else 'NO'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

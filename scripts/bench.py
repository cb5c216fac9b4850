"""`make bench`: Weekly's performance targets (SPEC §6) on a generated store of 10 years.

Each figure is a median over several runs, reported against a baseline measured in the
same run (these machines are noisy; ratios travel, milliseconds do not). Prints a table of
figure, target, measured, met, and a last line counting the targets met. docs/PERFORMANCE.md
says how each figure is measured. `--quick` (3 runs, the TUI and shell parts: under 3
minutes) and `--only startup,typing` run a part; BENCH_RUNS sets the runs."""

from __future__ import annotations

import asyncio
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

from weekly_zhoubao.store.db import WeekStore  # noqa: E402
from weekly_zhoubao.store.models import DailyNote, Week, monday_of  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))  # --quick: 3
PY = sys.executable
BIN = Path(PY).parent
TODAY = date(2026, 11, 27)


# --- data -----------------------------------------------------------------------------------

def make_weeks(count: int) -> list[Week]:
    from weekly_zhoubao.exporters.reader import read_report
    from weekly_zhoubao.store.words import write_progress

    template = read_report((ROOT / "tui" / "demo_report.md").read_text(encoding="utf-8"), "bench")
    template.page_title = None
    latest = monday_of(TODAY)
    weeks = []
    for n in range(count):
        monday = latest - timedelta(days=7 * (count - 1 - n))
        shift = monday - template.monday
        week = template.model_copy(deep=True, update={"monday": monday, "stated_incident_counts": None})
        # Every week differs from the last in every pane, as real ones do: switching weeks
        # must not be measured on copies.
        week.incidents = [i.model_copy(update={"at": i.at + shift, "summary": f"{i.summary}（#{n}）"})
                          for i in template.incidents]
        week.daily_notes = [DailyNote(day=monday + timedelta(days=d), text=f"第{d + 1}天：晨会、评审、上线检查。\n\n- 事项 {n}-{d}")
                            for d in range(5)]
        for item in week.key_work:
            item.body = f"第{n}周：{item.body}"
        for metric in week.metrics:
            if metric.value is not None and metric.kind == "percent":
                metric.value = f"{99.9 + (n * 7 % 10) / 100:.3f}"
        for objective in week.objectives:
            for item in objective.walk():
                if item.due:
                    item.due += shift
                if item.progress is not None:
                    item.progress = (item.progress + 5 * n) % 100
                    item.text = write_progress(item.text, item.progress)
        weeks.append(week)
    return weeks


def limits_week(monday: date) -> Week:
    """A week at the stated limits (README, Limits): 5,000 items in all, 2,000 of them in one
    section (objectives, nested 8 levels below the top item), 2,000 incidents, text fields of
    100,000 characters."""
    from datetime import datetime

    from weekly_zhoubao.store.models import (
        ITEMS_CAP, SUB_ITEM_LEVELS, TEXT_CAP, WEEK_ITEMS_CAP, Incident, KeyWorkItem, ListEntry, Metric, Objective,
        ObjectiveItem,
    )

    line = "支付链路压测与容量评估，" * 4

    def chain(k: int) -> ObjectiveItem:
        item = ObjectiveItem(text=f"{line}{k}-{SUB_ITEM_LEVELS}")
        for level in range(SUB_ITEM_LEVELS - 1, -1, -1):
            item = ObjectiveItem(text=f"{line}{k}-{level}", children=[item])
        return item

    chains = [chain(k) for k in range(ITEMS_CAP // (SUB_ITEM_LEVELS + 1))]
    spare = ITEMS_CAP - len(chains) * (SUB_ITEM_LEVELS + 1)
    start = datetime(monday.year, monday.month, monday.day, 0, 0)
    rest = (WEEK_ITEMS_CAP - 2 * ITEMS_CAP - 7) // 4  # what the other sections share
    return Week(
        monday=monday,
        key_work=[KeyWorkItem(title=f"重点 {k}", body=line) for k in range(rest - 1)]
        + [KeyWorkItem(title="长", body="x" * TEXT_CAP)],
        metrics=[Metric(name=f"指标{k}", group="g", value="99.9") for k in range(rest)],
        objectives=[Objective(code="O1", title="x", items=chains + [ObjectiveItem(text=line) for _ in range(spare)])],
        incidents=[Incident(at=start + timedelta(minutes=k), summary=line, grade="C") for k in range(ITEMS_CAP)],
        other=[ListEntry(text=line) for _ in range(rest)],
        next_week=[ListEntry(text=line) for _ in range(rest)],
        daily_notes=[DailyNote(day=monday + timedelta(days=d), text="y" * TEXT_CAP) for d in range(7)],
        reflections="z" * TEXT_CAP)


def bench_save_at_limits(folder: Path) -> tuple[float, float]:
    """Median ms of a one-field edit saved in a year file holding a week at the limits (wall
    and CPU), and the week's size in MB."""
    import orjson

    monday = monday_of(TODAY)
    week = limits_week(monday)
    store = WeekStore(folder / "weekly.json")
    store.put(week)
    walls, cpus = [], []
    for n in range(RUNS * 2):
        t0, c0 = time.perf_counter(), time.process_time()
        store.update(monday, lambda w, n=n: setattr(w, "reflections", f"edit {n}"))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return median_ms(walls), median_ms(cpus), len(orjson.dumps(week.model_dump(mode="json"))) / 1e6


def build_store(folder: Path, weeks: list[Week]) -> Path:
    path = folder / "weekly.json"
    WeekStore(path).put_many(weeks)
    return path


# --- measuring ------------------------------------------------------------------------------

def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run_cmd(args: list[str], env=None) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env, timeout=300)
    return time.perf_counter() - t0


# Each start runs in a pseudo-terminal of this size, as a user's terminal would run it.
COLUMNS, LINES = 140, 45
# The child: on SIGUSR1 (sent by the parent the moment the awaited frame reaches the
# terminal) it writes the CPU time of all its threads so far and its peak memory, and ends.
STARTUP_CHILD = r"""
import os, signal, sys, time
out_fd, kind = int(sys.argv[1]), sys.argv[2]
def report(signum, frame):
    hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    os.write(out_fd, f"{time.process_time()} {hwm}\n".encode())
    os._exit(0)
signal.signal(signal.SIGUSR1, report)
if kind == "weekly":
    from weekly_zhoubao.tui.cli import main
    main(sys.argv[3:])
else:
    if kind == "floor":  # what a Textual app holding our pydantic week model must load
        import tinydb, weekly_zhoubao.store.models
    from textual.app import App
    from textual.widgets import Footer, Header, Static
    class Minimal(App):
        def compose(self):
            yield Header(); yield Static("the minimal app is up"); yield Footer()
    Minimal().run()
"""
MINIMAL_MARK = b"the minimal app is up"


def week_mark(monday: date) -> bytes:
    """What the week screen's header says of the week's dates: drawn in the frame that
    first shows the week (show_week fills the header, the panes and the preview at once)."""
    return f"{monday:%Y-%m-%d} – {monday + timedelta(days=6):%m-%d}".encode()


def startup(kind: str, db: Path) -> tuple[float, float, int]:
    """One start in a fresh pseudo-terminal: wall seconds from launch to the first frame
    that holds the awaited text, CPU seconds of all the child's threads by then, peak KB."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    mark = week_mark(monday_of(TODAY)) if kind == "weekly" else MINIMAL_MARK
    args = ["--date", str(TODAY), "--db", str(db)] if kind == "weekly" else []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WEEKLY_CONFIG": "/nonexistent/weekly.toml",
           "TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    read_end, write_end = os.pipe()
    t0 = time.perf_counter()
    child = subprocess.Popen([PY, "-c", STARTUP_CHILD, str(write_end), kind, *args], stdin=slave, stdout=slave,
                             stderr=slave, env=env, pass_fds=(write_end,), start_new_session=True)
    os.close(slave)
    os.close(write_end)
    seen = b""
    wall = None
    try:
        while wall is None:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                raise RuntimeError(f"{kind}: no frame with {mark!r} within 60 s")
            chunk = os.read(master, 1 << 16)
            seen = seen[-len(mark):] + chunk
            if mark in seen:
                wall = time.perf_counter() - t0
        child.send_signal(signal.SIGUSR1)
        with os.fdopen(read_end) as reply:
            cpu, peak = reply.read().split()
    finally:
        child.kill()
        child.wait()
        os.close(master)
    return wall, float(cpu), int(peak)


def bench_startup(db: Path) -> dict[str, dict[str, float]]:
    """Per kind (minimal, floor, weekly): medians of wall ms, CPU ms and peak KB, and the
    medians of the per-round ratios to the floor and to the minimal app. Each round runs
    the kinds back to back, so a ratio within a round cancels the machine's drift."""
    kinds = ("minimal", "floor", "weekly")
    samples: dict[str, list[tuple[float, float, int]]] = {kind: [] for kind in kinds}
    for _ in range(RUNS):
        for kind in kinds:
            samples[kind].append(startup(kind, db))
    result = {}
    for kind, runs in samples.items():
        figures = {"wall": median_ms([w for w, _, _ in runs]), "cpu": median_ms([c for _, c, _ in runs]),
                   "peak": statistics.median(m for _, _, m in runs)}
        for base in ("floor", "minimal"):
            pairs = list(zip(runs, samples[base]))
            figures[f"wall/{base}"] = statistics.median(o[0] / b[0] for o, b in pairs)
            figures[f"cpu/{base}"] = statistics.median(o[1] / b[1] for o, b in pairs)
            figures[f"peak/{base}"] = statistics.median(o[2] / b[2] for o, b in pairs)
        result[kind] = figures
    return result


def bench_save(db: Path) -> float:
    store = WeekStore(db)
    monday = monday_of(TODAY)
    samples = []
    for n in range(RUNS * 4):
        t0 = time.perf_counter()
        store.update(monday, lambda w, n=n: setattr(w, "reflections", f"edit {n}"))
        samples.append(time.perf_counter() - t0)
    return median_ms(samples)


async def bench_tui(db: Path) -> tuple[float, float, float, float, float]:
    """CPU time of the whole update: our work plus Textual's layout and repaint of the
    120×40 screen, less the CPU of an idle `pilot.pause()` measured in the same run (the
    Pilot's own waiting, ~3 ms, which a user's terminal does not run). (Wall time around
    `pilot.pause()` mostly measures its idle polling, which sleeps in fixed steps; it is
    reported too.)"""
    from weekly_zhoubao.store.settings import Settings
    from weekly_zhoubao.tui.app import create_app

    app = create_app(db, Settings(), today=TODAY, poll_seconds=3600)
    app.animation_level = "none"
    switch, preview, switch_wall, preview_wall, idle = [], [], [], [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for n in range(RUNS * 2):
            c0 = time.process_time()
            await pilot.pause()
            idle.append(time.process_time() - c0)
        for n in range(RUNS * 2):
            target = monday_of(TODAY) - timedelta(days=7 * (1 + n % 3))
            w0, c0 = time.perf_counter(), time.process_time()
            app.week_screen.load_week(target)
            await pilot.pause()
            switch.append(time.process_time() - c0)
            switch_wall.append(time.perf_counter() - w0)
        app.week_screen.load_week(TODAY)
        await pilot.pause()
        for n in range(RUNS * 2):
            app.week_screen.week.reflections = f"typed {n}"  # a keystroke's worth of change
            w0, c0 = time.perf_counter(), time.process_time()
            app.week_screen.refresh_preview()
            await pilot.pause()
            preview.append(time.process_time() - c0)
            preview_wall.append(time.perf_counter() - w0)
    return (median_ms(switch), median_ms(preview), median_ms(switch_wall), median_ms(preview_wall),
            median_ms(idle))


NOTE_CHARS = 99_000  # a day's note at the limits, with room for what the bench types


def typing_store(folder: Path) -> tuple[Path, dict[str, date]]:
    """A store holding a week at the limits whose notes are 99,000 characters in lines of 80,
    one 99,000-character line of ASCII and one of Chinese (the editor shows the first
    unwrapped, the second wrapped); the days those notes are on, by shape."""
    monday = monday_of(TODAY)
    week = limits_week(monday)
    lined = "\n".join(f"{n:05} " + "支付链路压测与容量评估，" * 6 + "c" * 2 for n in range(NOTE_CHARS // 81))
    week.daily_notes[0].text = lined
    week.daily_notes[1].text = "y" * NOTE_CHARS
    week.daily_notes[2].text = ("支付链路压测与容量评估，" * (NOTE_CHARS // 12 + 1))[:NOTE_CHARS]
    path = folder / "weekly.json"
    WeekStore(path).put(week)
    return path, {"note in lines of 80": week.daily_notes[0].day, "note of one line": week.daily_notes[1].day,
                  "note of one line of Chinese": week.daily_notes[2].day}


async def bench_typing(db: Path, days: dict[str, date]) -> dict[str, dict[str, float]]:
    """Per editor: median CPU ms of a keystroke (key, edit and repaint, less an idle
    `pilot.pause()`), and the longest the UI thread was blocked, while typing and then while
    the pause in typing saves it and the week is drawn again. A block is the lateness of a
    5 ms timer on the UI's event loop: as the UI thread's own CPU time in it (what our code
    costs, whatever else the machine runs) and as wall time (what a user on an idle machine
    would feel; another process on the same cores lengthens it)."""
    from weekly_zhoubao.store.settings import Settings
    from weekly_zhoubao.tui.app import create_app

    app = create_app(db, Settings(), today=TODAY, poll_seconds=3600)
    app.animation_level = "none"
    results = {}
    longest = {"wall": 0.0, "cpu": 0.0}

    async def watch() -> None:
        while True:
            t0, c0 = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.005)
            longest["wall"] = max(longest["wall"], time.perf_counter() - t0 - 0.005)
            longest["cpu"] = max(longest["cpu"], time.thread_time() - c0)

    def blocks() -> tuple[float, float]:
        found = (longest["cpu"] * 1000, longest["wall"] * 1000)
        longest.update(wall=0.0, cpu=0.0)
        return found

    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await pilot.pause()
        watcher = asyncio.create_task(watch())
        idle = []
        for _ in range(RUNS * 2):
            c0 = time.process_time()
            await pilot.pause()
            idle.append(time.process_time() - c0)
        for name, day in days.items():
            app.week_screen.action_daily_note(day)
            await pilot.pause()
            area = app.screen.query_one("#editor-body")
            area.move_cursor(area.document.end)
            await pilot.pause()
            await asyncio.sleep(0.2)
            blocks()
            keys = []
            for n in range(RUNS * 3):
                c0 = time.process_time()
                await pilot.press("abcdefghij"[n % 10])
                await pilot.pause()
                keys.append(time.process_time() - c0)
            typing_cpu, typing_wall = blocks()
            await asyncio.sleep(app.screen.DEBOUNCE + 0.1)  # the pause in typing: the editor saves
            session = app.week_screen.session
            while session.unsaved:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # the worker's report comes back
            await pilot.pause()
            save_cpu, save_wall = blocks()
            await pilot.press("escape")  # the week is drawn again, once
            await pilot.pause()
            await asyncio.sleep(0.2)
            close_cpu, close_wall = blocks()
            results[name] = {"key": median_ms(keys) - median_ms(idle), "key_max": max(keys) * 1000 - median_ms(idle),
                             "typing": typing_cpu, "typing_wall": typing_wall, "save": save_cpu,
                             "save_wall": save_wall, "close": close_cpu, "close_wall": close_wall}
        watcher.cancel()
    return results


FLOOR_CMD = [PY, "-c", "import tinydb, weekly_zhoubao.store.models"]  # the week model alone, nothing done


def shell_commands(db: Path) -> dict[str, list[str]]:
    weekly = str(BIN / "weekly")
    return {
        "export": [weekly, "export", "--date", "2026-11-27", "--db", str(db)],
        "incident": [weekly, "incident", "bench", "--at", "2026-11-25 10:00", "--db", str(db)],
        "note": [weekly, "note", "bench", "--date", "2026-11-25", "--db", str(db)],
        "metric": [weekly, "metric", "入金有效成功率", "99.99", "--date", "2026-11-27", "--db", str(db)],
    }


def bench_shell(db: Path) -> dict[str, tuple[float, float, float]]:
    """Per command: median ms, the floor's median ms, and the median of the ratios of
    back-to-back pairs (ours, then the floor), which cancels the machine's drift. Three
    times the runs of the other figures: a process start is noisier than the rest."""
    env = {**os.environ, "WEEKLY_CONFIG": "/nonexistent/weekly.toml"}
    results = {}
    for name, cmd in shell_commands(db).items():
        base, ours = [], []
        for _ in range(RUNS * 3):
            base.append(run_cmd(FLOOR_CMD, env))
            ours.append(run_cmd(cmd, env))
        results[name] = (median_ms(ours), median_ms(base), statistics.median(o / b for o, b in zip(ours, base)))
    return results


def instructions(cmd: list[str], env: dict) -> int | None:
    """Instructions a command runs (valgrind's count: nearly the same every run, so once is
    enough); None where valgrind is missing."""
    import re
    import shutil

    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *cmd], capture_output=True, text=True, env=env, timeout=600)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    return int(found[1].replace(",", "")) if found else None


def bench_instructions(db: Path) -> dict[str, tuple[int, float]] | None:
    """Per command: instructions, and their ratio to the floor's."""
    env = {**os.environ, "WEEKLY_CONFIG": "/nonexistent/weekly.toml"}
    floor = instructions(FLOOR_CMD, env)
    if floor is None:
        return None
    results = {}
    for name, cmd in shell_commands(db).items():
        count = instructions(cmd, env)
        if count is not None:
            results[name] = (count, count / floor)
    return results


def bench_review(db: Path) -> dict[str, tuple[float, float, float]]:
    """A year's review (2025: 52 weeks, and its first week's Monday, 2024-12-30, sits in the
    2024 file, so two year files are read) against `weekly export` of one week, run back to
    back in pairs: per format, median ms, the export's median ms, the median of the ratios."""
    weekly = str(BIN / "weekly")
    env = {**os.environ, "WEEKLY_CONFIG": "/nonexistent/weekly.toml"}
    export = [weekly, "export", "--date", "2026-11-27", "--db", str(db)]
    results = {}
    for fmt in ("md", "html"):
        review = [weekly, "review", "--year", "2025", "--format", fmt, "--db", str(db)]
        ours, base = [], []
        for _ in range(RUNS * 3):
            base.append(run_cmd(export, env))
            ours.append(run_cmd(review, env))
        results[fmt] = (median_ms(ours), median_ms(base), statistics.median(o / b for o, b in zip(ours, base)))
    return results


def bench_search(db: Path) -> tuple[float, float, float]:
    """`weekly search` over all 10 years (every section of 520 weeks) against `weekly export`
    of one week, back to back in pairs: median ms, the export's median ms, median ratio."""
    weekly = str(BIN / "weekly")
    env = {**os.environ, "WEEKLY_CONFIG": "/nonexistent/weekly.toml"}
    export = [weekly, "export", "--date", "2026-11-27", "--db", str(db)]
    search = [weekly, "search", "对账", "--db", str(db)]  # in every week: every week is walked
    ours, base = [], []
    for _ in range(RUNS * 3):
        base.append(run_cmd(export, env))
        ours.append(run_cmd(search, env))
    return median_ms(ours), median_ms(base), statistics.median(o / b for o, b in zip(ours, base))


def bench_import(folder: Path, weeks: list[Week]) -> float:
    from weekly_zhoubao.exporters.markdown import render

    reports = folder / "reports"
    reports.mkdir()
    for week in weeks:
        (reports / f"{week.monday}.md").write_text(render(week), encoding="utf-8")
    target = folder / "imported" / "weekly.json"
    env = {**os.environ, "WEEKLY_CONFIG": "/nonexistent/weekly.toml"}
    return run_cmd([str(BIN / "weekly"), "import", str(reports), "--db", str(target)], env)


# --- report ---------------------------------------------------------------------------------

SECTIONS = ("startup", "save", "tui", "typing", "shell", "instructions", "review", "search", "import", "team")
QUICK = ("startup", "save", "tui", "typing", "shell")


def main(argv: list[str] | None = None) -> int:
    import argparse

    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"3 runs (unless BENCH_RUNS says), and only: {', '.join(QUICK)} (under 3 minutes)")
    parser.add_argument("--only", metavar="A,B", help=f"only these parts: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    parts = set(QUICK if args.quick else SECTIONS)
    if args.only:
        parts = set(args.only.split(","))
        if parts - set(SECTIONS):
            parser.error(f"--only: one of {', '.join(SECTIONS)}")
    if args.quick and "BENCH_RUNS" not in os.environ:
        RUNS = 3

    # Our modules' bytecode, as an installed Weekly has it: where PYTHONDONTWRITEBYTECODE is
    # set (as on our CI machines), every run would otherwise compile them again.
    import compileall

    for package in ("tui", "store", "exporters"):
        compileall.compile_dir(ROOT / package, quiet=1)
    rows: list[tuple[str, str, str, bool | None]] = []

    def row(figure: str, target: str, measured: str, met: bool | None = None) -> None:
        rows.append((figure, target, measured, met))
        print(f"  {figure}: {measured}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        weeks10 = make_weeks(520)
        (tmp / "y10").mkdir()
        (tmp / "y1").mkdir()
        db10 = build_store(tmp / "y10", weeks10)
        db1 = build_store(tmp / "y1", weeks10[-52:])
        size = sum(p.stat().st_size for p in (tmp / "y10").iterdir())
        print(f"store: 520 weeks, {sum(len(w.incidents) for w in weeks10)} incidents, "
              f"{sum(len(w.daily_notes) for w in weeks10)} daily notes, {size / 1e6:.1f} MB in "
              f"{len(list((tmp / 'y10').glob('weekly.*.json')))} year files; {RUNS} runs each "
              f"({RUNS * 3} for the shell commands); parts: {', '.join(p for p in SECTIONS if p in parts)}", flush=True)

        if "startup" in parts:
            started = bench_startup(db10)
            ours, floor, minimal = started["weekly"], started["floor"], started["minimal"]
            for clock in ("cpu", "wall"):
                name = "CPU, all threads" if clock == "cpu" else "wall"
                row(f"TUI start-up to the week's first frame ({name})", "≤ 1.25 × floor app",
                    f"{ours[clock + '/floor']:.2f} × ({ours[clock]:.0f} vs {floor[clock]:.0f} ms); "
                    f"{ours[clock + '/minimal']:.2f} × the minimal app ({minimal[clock]:.0f} ms)",
                    ours[clock + "/floor"] <= 1.25)
            row("  the floor app against the minimal app", "(info)",
                f"CPU {floor['cpu/minimal']:.2f} ×, wall {floor['wall/minimal']:.2f} ×")
            row("TUI peak memory at the first frame", "≤ 1.5 × minimal app",
                f"{ours['peak/minimal']:.3f} × ({ours['peak'] / 1024:.1f} vs {minimal['peak'] / 1024:.1f} MB); "
                f"{ours['peak/floor']:.2f} × the floor app ({floor['peak'] / 1024:.1f} MB)",
                ours["peak/minimal"] <= 1.5)

        if "save" in parts:
            save10, save1 = bench_save(db10), bench_save(db1)
            row("save after one edit (10 years)", "≤ 10 ms median", f"{save10:.1f} ms", save10 <= 10)
            row("save: 10 years vs 1 year", "≤ 1.5 ×", f"{save10 / save1:.2f} × ({save1:.1f} ms on 1 year)",
                save10 / save1 <= 1.5)
            (tmp / "limits").mkdir()
            at_limits, at_limits_cpu, limits_mb = bench_save_at_limits(tmp / "limits")
            row("save after one edit, a week at the limits", "≤ 100 ms median",
                f"{at_limits:.0f} ms (CPU {at_limits_cpu:.0f} ms; the week {limits_mb:.1f} MB)", at_limits <= 100)

        if "tui" in parts:
            switch, preview, switch_wall, preview_wall, idle = asyncio.run(bench_tui(db10))

            def net(raw: float) -> str:  # below the noise of two medians, a figure would mislead
                return f"{raw - idle:.1f} ms" if raw - idle >= 0.5 else "< 0.5 ms"

            row("switching weeks (CPU, incl. repaint)", "≤ 16 ms median",
                f"{net(switch)} ({switch:.1f} less {idle:.1f} idle Pilot; wall {switch_wall:.0f} ms)",
                switch - idle <= 16)
            row("preview re-render after a keystroke (CPU)", "≤ 16 ms median",
                f"{net(preview)} ({preview:.1f} less {idle:.1f} idle Pilot; wall {preview_wall:.0f} ms)",
                preview - idle <= 16)

        if "typing" in parts:
            (tmp / "typing").mkdir()
            typed = asyncio.run(bench_typing(*typing_store(tmp / "typing")))
            for name, f in typed.items():
                row(f"typing at the limits, {name}: a keystroke (CPU)", "≤ 16 ms median",
                    f"{f['key']:.1f} ms (slowest {f['key_max']:.0f} ms)", f["key"] <= 16)
                block = max(f["typing"], f["save"], f["close"])  # closing draws the week and its preview again
                row(f"typing at the limits, {name}: longest UI block (UI thread CPU)", "≤ 50 ms",
                    f"{block:.0f} ms: typing {f['typing']:.0f}, the save {f['save']:.0f} (wall {f['typing_wall']:.0f}, "
                    f"{f['save_wall']:.0f}); closing the editor {f['close']:.0f} (wall {f['close_wall']:.0f})",
                    block <= 50)

        if "shell" in parts:
            for name, (cmd, base, ratio) in bench_shell(db10).items():
                row(f"`weekly {name}` (clock)", "≤ 1.2 × floor", f"{ratio:.2f} × ({cmd:.0f} vs {base:.0f} ms)",
                    ratio <= 1.2)

        if "instructions" in parts:
            counted = bench_instructions(db10)
            if counted is None:
                row("shell commands by instruction count", "≤ 1.1 × floor", "not measured: no valgrind")
            for name, (count, ratio) in (counted or {}).items():
                row(f"`weekly {name}` (instructions)", "≤ 1.1 × floor", f"{ratio:.3f} × ({count / 1e6:.0f} M)",
                    ratio <= 1.1)

        if "review" in parts:
            for fmt, (review, export, ratio) in bench_review(db10).items():
                if fmt == "md":
                    row("`weekly review --year 2025` (Markdown)", "≤ 2 × `weekly export` of one week",
                        f"{ratio:.2f} × ({review:.0f} vs {export:.0f} ms)", ratio <= 2)
                else:
                    row("  the same review as HTML with its charts (pygal)", "(info)",
                        f"{ratio:.2f} × ({review:.0f} vs {export:.0f} ms)")

        if "search" in parts:
            found, export, ratio = bench_search(db10)
            row("`weekly search 对账` (10 years, every section)", "≤ 2 × `weekly export` of one week",
                f"{ratio:.2f} × ({found:.0f} vs {export:.0f} ms)", ratio <= 2)

        if "import" in parts:
            seconds = bench_import(tmp, weeks10)
            row("import of 520 weekly reports", "≤ 10 s", f"{seconds:.1f} s", seconds <= 10)
            from import_fields import run as read_corpus, share  # scripts/import_fields.py prints it per kind

            fields = share(read_corpus())
            row("what a reader recognises in the test reports, in fields", "≥ 90 %", f"{fields:.1f} %",
                fields >= 90)

        if "team" in parts:
            from bench_team import team_rows  # only these rows: python scripts/bench_team.py

            (tmp / "team").mkdir()
            rows.extend(team_rows(tmp / "team"))

    width = max(len(r[0]) for r in rows)
    print(f"\n| {'figure':<{width}} | target | measured | met |")
    print(f"|{'-' * (width + 2)}|---|---|---|")
    for figure, target, measured, met in rows:
        print(f"| {figure:<{width}} | {target} | {measured} | {'' if met is None else 'yes' if met else 'NO'} |")
    targets = [r[3] for r in rows if r[3] is not None]
    print(f"\n{sum(targets)} of {len(targets)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What a user installs, tried as a user would: build the wheel, install it (not editable)
into a clean venv, and run Weekly from a folder outside the checkout.

    python3 scripts/smoke_wheel.py            # CI runs this before the test suite

Fails (exit 1, naming the step) if the wheel misses a module of the source folders, or if
`--version`, `note`, `incident`, `export`, `review --format html`, `team join` + `publish` +
`report` against a local bare repository, or the TUI's first screen in a pseudo-terminal
(quit with `q`, exit 0) does not work."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("tui", "store", "exporters")
IMPORT_NAME = "weekly_zhoubao"


def step(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""), flush=True)
    if not ok:
        raise SystemExit(1)


def build_wheel(out: Path) -> Path:
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools keeps stale modules in build/lib
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return next(out.glob("*.whl"))


def wheel_holds_every_module(wheel: Path) -> None:
    inside = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith(IMPORT_NAME + "/")}
    wanted = {f"{IMPORT_NAME}/{path.relative_to(ROOT).as_posix()}"
              for folder in SOURCES for path in (ROOT / folder).rglob("*")
              if path.is_file() and path.suffix in (".py", ".tcss", ".md") and "__pycache__" not in path.parts}
    missing = sorted(wanted - inside)
    step(f"the wheel holds all {len(wanted)} files of {', '.join(SOURCES)}", not missing, ", ".join(missing))
    generic = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()} - {IMPORT_NAME}
    generic = {name for name in generic if not name.endswith(".dist-info")}
    step(f"one import name ({IMPORT_NAME}) in site-packages", not generic, ", ".join(sorted(generic)))


def run(cmd: list[str], cwd: Path, env: dict, stdin: str | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, input=stdin, timeout=120)
    step(" ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))[:100],
         done.returncode == 0, (done.stderr or done.stdout).strip()[-400:])
    return done.stdout


def first_screen(weekly: Path, db: Path, cwd: Path, env: dict) -> None:
    """The TUI in a pseudo-terminal: its first screen shows the week, `q` quits with 0."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 120x40
        os.chdir(cwd)
        os.execve(str(weekly), [str(weekly), "--db", str(db), "--date", "2023-10-13"],
                  {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "第42周".encode() not in seen:
        if select.select([fd], [], [], 0.5)[0]:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    step("the TUI's first screen shows the week (第42周)", "第42周".encode() in seen, seen[-300:].decode(errors="replace"))
    time.sleep(0.5)
    os.write(fd, b"q")
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.2)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            break
    else:
        os.kill(pid, 9)
        step("the TUI quits on q", False, "still running after 20 s")
    step("the TUI quits on q with exit code 0", os.waitstatus_to_exitcode(status) == 0,
         f"exit {os.waitstatus_to_exitcode(status)}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="weekly-smoke-") as tmp:
        tmp = Path(tmp)
        wheel = build_wheel(tmp / "dist")
        wheel_holds_every_module(wheel)
        venv.create(tmp / "venv", with_pip=True)
        py = tmp / "venv" / "bin" / "python"
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
        weekly = tmp / "venv" / "bin" / "weekly"
        home = tmp / "home"
        home.mkdir()
        away = tmp / "elsewhere"  # outside the checkout: nothing can come from the source folders
        away.mkdir()
        env = {"PATH": f"{weekly.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
               "LANG": "C.UTF-8", "WEEKLY_CONFIG": str(tmp / "config.toml")}
        db = tmp / "store" / "weekly.json"
        store = ["--db", str(db)]
        version = run([str(weekly), "--version"], away, env)
        step("--version names the version", version.startswith("weekly "), version)
        run([str(weekly), "note", "和银行沟通开户流程", "--date", "2023-10-12", *store], away, env)
        run([str(weekly), "incident", "监控发现支付超时", "--at", "2023-10-09 15:37", "--grade", "C", *store], away, env)
        report = run([str(weekly), "export", "--date", "2023-10-13", *store], away, env)
        step("the export holds the note and the incident", "监控发现支付超时" in report and "第42周" in report, report[:300])
        run([str(weekly), "review", "--quarter", "2023Q4", "--format", "html", "-o", str(tmp / "q4.html"), *store],
            away, env)
        step("the HTML review is written", (tmp / "q4.html").stat().st_size > 1000)
        bare = tmp / "team.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
        run([str(weekly), "team", "join", str(bare), "--as", "alice", *store], away, env)
        run([str(weekly), "team", "publish", *store], away, env)
        lead = ["--db", str(tmp / "lead" / "weekly.json")]
        run([str(weekly), "team", "join", str(bare), "--as", "lead", *lead], away, env)
        rollup = run([str(weekly), "team", "report", "--date", "2023-10-13", *lead], away, env)
        step("the roll-up holds alice's incident", "监控发现支付超时" in rollup and "alice" in rollup, rollup[:400])
        first_screen(weekly, db, away, env)
    print("the installed wheel works")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

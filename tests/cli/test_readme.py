"""The README's shell examples are one sequence that works as written on a new store."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE

README = ROOT / "README.md"


def shell_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## From the shell", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def test_the_readme_shell_examples_work_in_order_on_a_new_store(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "week-42-2023.md")
    weekly = Path(sys.executable).with_name("weekly")
    env = {**os.environ, "WEEKLY_DB": str(tmp_path / "store" / "weekly.json"), "HOME": str(tmp_path),
           "WEEKLY_CONFIG": str(tmp_path / "config.toml"), "PATH": f"{weekly.parent}:{os.environ['PATH']}"}
    outputs = {}
    commands = shell_examples()
    assert len(commands) >= 8 and all(c.startswith("weekly ") for c in commands)
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        outputs[command] = done.stdout
    report = next(out for cmd, out in outputs.items() if cmd == "weekly export --date 2023-10-13")
    assert "# 第42周 2023/10/13" in report
    assert "对账文件生成延迟" in report and "P99 延迟" in report and "99.995%" in report
    assert (tmp_path / "q4.html").stat().st_size > 1000
    assert any(p.suffix == ".md" for p in (tmp_path / "reports").iterdir())

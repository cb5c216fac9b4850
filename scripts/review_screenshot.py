"""screenshots/review.png: the HTML review of the demo store's quarter, as headless Chromium
draws it (`python scripts/review_screenshot.py`; needs Debian's chromium and fonts-noto-cjk)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from weekly_zhoubao.exporters.review_html import render_html  # noqa: E402
from weekly_zhoubao.store import review  # noqa: E402
from weekly_zhoubao.tui.demo import build_demo_store  # noqa: E402


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.stderr.write("review_screenshot: chromium is not installed (apt-get install chromium fonts-noto-cjk)\n")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = build_demo_store(folder / "demo.json", date(2023, 12, 15))
        page = folder / "review.html"
        page.write_text(render_html(review.build_review(store, review.quarter("2023Q4")), "zh"), encoding="utf-8")
        target = ROOT / "screenshots" / "review.png"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={folder / 'profile'}", "--window-size=860,2300",
                        f"--screenshot={target}", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Regenerate screenshots/*.svg from the real app on the demo data (`make screenshots`)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.widgets import Input  # noqa: E402

from weekly_zhoubao.tui.demo import SCREENS, demo_app  # noqa: E402


async def shoot(name: str, overrides: dict, keys: list[str], out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder), overrides)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            for field in app.screen.query(Input):
                field.cursor_blink = False
            await pilot.pause(0.3)
            (out / f"{name}.svg").write_text(app.export_screenshot(), encoding="utf-8")
            print(out / f"{name}.svg")


async def main() -> None:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    for name, overrides, keys in SCREENS:
        await shoot(name, overrides, keys, out)


if __name__ == "__main__":
    asyncio.run(main())

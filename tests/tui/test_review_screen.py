"""The review screen (tui/review_screen.py), pushed directly: the quarter holding a date,
`[` / `]` to move a period, `e` to export, Esc to close."""

from __future__ import annotations

from datetime import date

from textual.widgets import Sparkline, Static

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.tui.review_screen import ReviewScreen

from tests.formats.review_weeks import hand_weeks
from tests.tui.helpers import ScreenHost, host_app, notices, notifications


def host(tmp_path, lang="zh") -> tuple[ScreenHost, ReviewScreen]:
    store = WeekStore(tmp_path / "weekly.json")
    store.put_many(hand_weeks())
    screen = ReviewScreen(store, Settings(lang=lang), date(2023, 11, 15), export_dir=tmp_path / "out")
    return host_app(screen), screen


def title_of(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-title", Static).render())


async def test_opens_on_the_quarter_and_moves_by_periods(tmp_path):
    app, screen = host(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen is screen
        assert title_of(screen).startswith("2023年第四季度述职")
        text = str(screen.query_one("#review-text", Static).render())
        assert "已写 5/13 周" in text and "合计：A级1次，B级1次，C级2次，D级1次，未定级1次，共6次" in text
        sparklines = screen.query(Sparkline)
        assert [list(s.data) for s in sparklines] == [[99.995, 99.98, 99.99, 99.999], [180, 250, 190, 210, 150]]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert title_of(screen).startswith("2024年第一季度述职")
        assert "已写 0/13 周" in str(screen.query_one("#review-text", Static).render())
        assert not screen.query(Sparkline)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert title_of(screen).startswith("2023年第三季度述职")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_e_exports_the_review_on_screen(tmp_path):
    app, screen = host(tmp_path, lang="en")
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        assert title_of(screen).startswith("Review of 2023 Q4")
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        html = tmp_path / "out" / "review-2023Q4.html"
        md = tmp_path / "out" / "review-2023Q4.md"
        assert html.read_text().startswith("<!DOCTYPE html>") and "<svg" in html.read_text()
        assert md.read_text().startswith("# Review of 2023 Q4")
        assert any(str(html) in message for message in notices(app))


async def test_an_export_that_cannot_be_written_says_why_and_the_screen_stays(tmp_path):
    app, screen = host(tmp_path)
    (tmp_path / "out").write_text("a file where the folder should be")
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert any(n.severity == "error" for n in notifications(app))

"""Issue 24 point 2: a readable preview. A key gives the preview the whole screen and the
same key or Esc gives it back; at 120×40 the sample's metric lines read whole; names in the
panes are cut only where there is no room; toasts and the status line keep every character."""

from __future__ import annotations

import html
import re

import pytest

from weekly_zhoubao.tui.panes import MetricsPane, PreviewView

from tests.tui.helpers import painted, preview_lines, settle

METRIC_LINE = "• 出金有效成功率：99.973% ，一次支付成功率：99.206%"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_v_gives_the_preview_the_whole_screen_and_v_or_escape_gives_it_back(store, make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        for back in ("v", "escape"):
            await pilot.press("v")
            await settle(pilot)
            screen, preview = app.screen, app.query_one(PreviewView)
            assert screen.maximized is preview and app.focused is preview
            assert preview.region.width == size[0], "the whole width"
            assert preview.region.height >= size[1] - 1, "the whole height but the footer"
            assert not app.query_one(MetricsPane).display or not app.query_one(MetricsPane).region
            await pilot.press("down")  # the arrows scroll what is read
            await pilot.press(back)
            await settle(pilot)
            assert screen.maximized is None
            assert app.focused is app.query_one(MetricsPane), "back in the pane the user was in"


async def test_at_120x40_the_sample_metric_lines_read_on_one_line(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lines = preview_lines(app)
        assert any(line.strip() == METRIC_LINE for line in lines), [line for line in lines if "出金" in line]
        assert any(line.strip() == "• 入金有效成功率：99.997%" for line in lines)


async def test_names_are_whole_where_the_pane_has_room(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        metrics = painted(app, "#pane-metrics")
        assert re.search(r"支付系统年度可用性 +99\.998%", metrics), metrics
        key_work = painted(app, "#pane-key_work")
        for title in ("商户服务重构", "银行虚户前期设计"):
            assert title in key_work


def screen_lines(app) -> list[str]:
    """The screen's lines as the terminal gets them (a screenshot's SVG, one text a run)."""
    lines: dict[int, str] = {}
    for number, text in re.findall(r'<text [^>]*clip-path="url\(#[^)]*-line-(\d+)\)">([^<]*)</text>',
                                   app.export_screenshot()):
        lines[int(number)] = lines.get(int(number), "") + html.unescape(text).replace("\xa0", " ")
    return [lines.get(n, "") for n in range(app.size.height)]


@pytest.mark.parametrize("width", [80, 120, 121, 163, 164, 165, 200])
async def test_a_toast_keeps_every_wide_character_wherever_it_lies(store, make_app, width):
    words = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥" * 2 + "，一二三四五六七八九十" + "a甲乙丙丁戊己庚辛壬癸" * 3
    app = make_app()
    async with app.run_test(size=(width, 40), notifications=True) as pilot:
        await settle(pilot)
        app.say(words)
        await pilot.pause(0.3)
        toast = app.screen.query_one("Toast").region
        lines = screen_lines(app)[toast.y:toast.bottom]
        # the toast's words follow its left border (▌); the pane's right border is beyond them
        after = "".join(line.split("▌", 1)[1] for line in lines if "▌" in line)
        shown = "".join(char for char in after if char in words)
        assert shown == words, width


async def test_the_status_line_ends_with_an_ellipsis_not_half_a_character(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.week_screen.update_status("已通过 OSC 52 发送周报：终端支持时即在剪贴板中；tmux 中需先 set -g set-clipboard on")
        await pilot.pause()
        line = painted(app, "#status").splitlines()[0].rstrip()
        assert line.endswith("…") and line.startswith("已通过 OSC 52 发送周报：终端支持时即在剪贴板中")

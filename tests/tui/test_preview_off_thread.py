"""A report that renders slowly (a week near the limits) renders on a thread: the preview
still shows each edit, and a report rendered for an older edit never replaces a newer one."""

from __future__ import annotations

import threading
from datetime import date

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.tui.app import create_app
from weekly_zhoubao.tui.panes import PreviewView

from tests.tui.helpers import settle

MONDAY = date(2023, 10, 9)


def make_app(db_path):
    WeekStore(db_path).put(Week(monday=MONDAY, reflections="第一版"))
    app = create_app(db_path, Settings(), today=MONDAY, poll_seconds=3600)
    app.animation_level = "none"
    return app


async def test_a_slow_report_renders_on_a_thread_and_shows_each_edit(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = app.week_screen
        threads = []
        render_off_thread = screen._render_off_thread

        def recorded(*args):
            threads.append(threading.current_thread() is not threading.main_thread())
            render_off_thread(*args)

        screen._render_off_thread = recorded
        screen._render_seconds = 1.0  # as a week at the limits: the next report renders on a thread
        assert screen.edit(ops.SetText(MONDAY, ("reflections", None), "第一版", "第二版"))
        await settle(pilot)
        preview = app.screen.query_one(PreviewView)
        assert threads == [True]
        assert "第二版" in preview.plain and "第一版" not in preview.plain
        assert screen._render_seconds < 1.0  # measured again: this small week renders at once next time
        assert screen.edit(ops.SetText(MONDAY, ("reflections", None), "第二版", "第三版"))
        assert "第三版" in preview.plain and threads == [True]


async def test_a_report_for_an_older_edit_is_not_shown(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = app.week_screen
        preview = app.screen.query_one(PreviewView)
        shown = preview.plain
        screen._rendered("# 旧的报告", screen._preview_asked - 1, 1.0)
        assert preview.plain == shown

"""The TUI on the session engine: quitting keeps typed text, undo follows an edit into another
week, yearless dates, the clock, and hostile files and locks (issues #13, #14). Pilot,
fixed size, fixed or injected clock, store path passed in."""

from __future__ import annotations

import fcntl
import os
import signal
from datetime import date, datetime

import pytest
from rich.text import Text
from textual.widgets import Input, Static, TextArea

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import KeyWorkItem, Objective, ObjectiveItem, Week
from tests.conftest import ROOT, SAMPLE_MONDAY, TODAY
from weekly_zhoubao.tui.editor import EditorScreen
from weekly_zhoubao.tui.forms import ConfirmScreen, FormScreen
from tests.tui.helpers import fill, notices, settle, status, stored

class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# --- quitting never drops typed text ---------------------------------------------------------

async def test_ctrl_q_with_an_incident_form_open_saves_it(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *"typed then quit")
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    assert any(i.summary == "typed then quit" for i in stored(db_path).incidents)


async def test_q_in_a_form_is_typed_text_and_ctrl_q_then_saves_the_objective(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "o")
        await pilot.press(*"O9 quarterly q")
        assert app.is_running and isinstance(app.screen, FormScreen), "q in a field is a letter"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    assert stored(db_path).objectives[-1].heading == "O9 quarterly q"


async def test_quitting_with_a_form_that_cannot_be_saved_asks_first(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "down", "enter")  # the first reading, below its group's row
        fill(app.screen, value="abc", target="99.9")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen), "asked, not dropped"
        assert any("“abc”不是数字" in str(s.render()) for s in app.screen.query(Static))
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.values()["value"] == "abc"
        fill(app.screen, value="99.95")
        await pilot.press("q")  # typed into the field: q never quits from a form
        assert app.screen.values()["value"] == "99.95"
        fill(app.screen, value="99.95")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0
    metric = stored(db_path).metrics[0]
    assert (metric.value, metric.target) == ("99.95", 99.9)


async def test_discarding_what_cannot_be_saved_quits(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "a")
        app.screen.query_one("#editor-body", TextArea).text = "a body without a title"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
    assert app.return_code == 0
    assert len(stored(db_path).key_work) == 3


async def test_a_closed_terminal_saves_valid_text_and_keeps_the_rest_in_a_file(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "down", "enter")
        app.screen.query_one(TextArea).text = "reflections typed before the terminal closed"
        await pilot.press("f2")  # an incident form on top, without a summary: cannot be saved
        fill(app.screen, impact="half typed impact")
        os.kill(os.getpid(), signal.SIGHUP)
        await pilot.pause(0.3)
    assert app.return_code == 1, "something could not be saved: not a success"
    assert stored(db_path).reflections == "reflections typed before the terminal closed"
    kept = list(db_path.parent.glob("weekly.json.unsaved-*.txt"))
    assert len(kept) == 1 and "half typed impact" in kept[0].read_text(encoding="utf-8")
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"


async def test_quitting_with_a_save_that_keeps_failing_exits_non_zero(store, make_app, db_path, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def full(fd, data):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        await pilot.press("1", "d")
        await pilot.pause(0.3)
        await pilot.press("q")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmScreen), "asked whether to quit anyway"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    monkeypatch.undo()
    assert len(stored(db_path).key_work) == 3


# --- undo, dates, the clock --------------------------------------------------------------------

async def test_undo_after_an_incident_logged_into_another_week(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "d")  # an edit of the week on screen first
        await settle(pilot)
        await pilot.press("i", *"last week's")
        fill(app.screen, when="2023-10-05 08:00")
        await pilot.press("enter")
        await settle(pilot)
        assert [i.summary for i in stored(db_path, date(2023, 10, 2)).incidents] == ["last week's"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        # the incident's own week is undone: the op made it, so it goes (not left behind, empty)
        assert stored(db_path, date(2023, 10, 2)) is None
        assert len(stored(db_path).key_work) == 2, "the earlier edit stays"
        await pilot.press("ctrl+y")  # redo
        await settle(pilot)
        assert [i.summary for i in stored(db_path, date(2023, 10, 2)).incidents] == ["last week's"]
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        assert len(stored(db_path).key_work) == 3


async def test_a_yearless_date_is_read_in_the_week_on_screen(store, make_app, db_path):
    app = make_app(now=lambda: datetime(2026, 11, 27, 9, 0))  # the calendar says 2026; 2023 is on screen
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *"pay timeout")
        fill(app.screen, when="10/9 15:37")
        await pilot.pause()
        understood = str(app.screen.query_one("#form-understood", Static).render())
        assert "2023-10-09 15:37" in understood and "第42周" in understood, "the full date, before saving"
        await pilot.press("enter")
        await settle(pilot)
    assert any(i.summary == "pay timeout" and i.at == datetime(2023, 10, 9, 15, 37)
               for i in stored(db_path).incidents)
    assert WeekStore(db_path).mondays(2026) == [], "no week of 2026 was made"


async def test_today_rolls_over_at_midnight(db_path, make_app):
    WeekStore(db_path).put(Week(monday=SAMPLE_MONDAY, objectives=[Objective(code="O1", title="t", items=[
        ObjectiveItem(name="due on thursday", due=date(2023, 10, 12), status="in progress")])]))
    clock = Clock(datetime(2023, 10, 12, 23, 59))  # Thursday night, before the report day (Friday)
    app = make_app(start=None, now=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.week_screen
        assert screen.week.monday == SAMPLE_MONDAY

        def due_style() -> str:
            row = Text("").join(screen.query_one("#pane-objectives").get_row_at(1))  # words + figures
            return next(str(span.style) for span in row.spans if row.plain[span.start:span.end].strip() == "10/12")

        assert due_style() == "dim", "due today: not overdue yet"
        clock.now = datetime(2023, 10, 13, 0, 1)
        await pilot.pause(0.3)
        assert due_style() == "bold red", "overdue once the day has passed, without a key pressed"
        clock.now = datetime(2023, 10, 16, 0, 1)  # the next Monday
        await pilot.pause(0.3)
        await pilot.press("t")
        assert screen.week.monday == date(2023, 10, 16), "this week is the new week"
        await pilot.press("n")
        assert isinstance(app.screen, EditorScreen) and "10/16" in app.screen.heading


# --- hostile files, text and locks (issue #14) --------------------------------------------------

async def test_go_to_the_last_supported_week_says_why_instead_of_crashing(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for day in ("9999-12-20", "9999-12-31"):
            await pilot.press("g")
            fill(app.screen, day=day)
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, FormScreen)
            assert str(app.screen.query_one("#form-error", Static).render()), "one line says why"
            await pilot.press("escape")
        assert app.week_screen.week.monday == SAMPLE_MONDAY


async def test_a_notification_shows_controls_escaped(store, make_app, tmp_path):
    hostile = tmp_path / "exports\x1b]0;pwned\x07\x1b[2J"
    app = make_app(export_dir=str(hostile))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("e", "enter")
        await settle(pilot)
        said = [m for m in notices(app) if "pwned" in m]
        assert said and all("\x1b" not in m and "\x07" not in m for m in said)
        assert "\\x1b]0;pwned\\x07" in said[0]
        assert "\x1b" not in status(app) and "已导出" in status(app)  # the file's name; the path is in `said`


async def test_a_damaged_older_year_file_degrades_the_trend_with_one_notice(db_path, make_app):
    s = WeekStore(db_path)
    s.put(Week(monday=date(2022, 12, 26), key_work=[KeyWorkItem(title="last year")]))
    s.put(Week(monday=date(2023, 1, 9), key_work=[KeyWorkItem(title="this week")]))
    s.year_path(2022).write_text('{"weeks": {"1": ', encoding="utf-8")  # damaged
    app = make_app(start=date(2023, 1, 13))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert app.is_running
        assert app.week_screen.week.key_work[0].title == "this week", "the week itself shows"
        assert "this week" in str(app.query_one("#pane-key_work").get_row_at(0)[0])
        await pilot.pause(0.6)  # several polls
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause(0.3)
        assert len([m for m in notices(app) if "weekly.2022.json" in m]) == 1, notices(app)


async def test_waiting_for_the_lock_never_blocks_the_screen(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        fd = os.open(db_path.with_name(db_path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process saving, for as long as this test likes
        try:
            await pilot.press("1", "d")
            await pilot.pause(0.2)
            await pilot.press("right_square_bracket")
            await pilot.pause(0.1)
            assert app.week_screen.week.monday == date(2023, 10, 16), "the switch did not wait"
            assert "保存中" in status(app) and "保存失败" not in status(app), "the save still waits for the lock"
            await pilot.press("left_square_bracket")
            await pilot.pause(0.1)
            assert len(app.week_screen.week.key_work) == 2, "the unsaved edit is still shown"
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        await settle(pilot)
        assert len(stored(db_path).key_work) == 2


# --- editors merge --------------------------------------------------------------------------------

async def test_a_note_written_from_the_shell_appears_in_the_open_editor(store, make_app, db_path):
    import subprocess
    import sys
    from pathlib import Path

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        area = app.screen.query_one(TextArea)
        area.text = "typed in the TUI"
        await pilot.pause(0.6)  # saved (debounced)
        await settle(pilot)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "note", "from the shell", "--date", "2023-10-13",
                        "--db", str(db_path)], check=True, env=env, capture_output=True, timeout=60)
        # what the 0.1 s poll does, run now: a loaded machine may not have polled in 0.5 s
        app.week_screen.saved()  # our own save taken in (its message may still be queued)
        app.week_screen.tick()
        await pilot.pause()
        assert "from the shell" in area.text and "typed in the TUI" in area.text
        area.text = area.text + "\nmore typing"
        await pilot.press("escape")
        await settle(pilot)
    text = stored(db_path).note_for(TODAY).text
    assert "from the shell" in text and "typed in the TUI" in text and "more typing" in text


async def test_a_form_writes_only_the_fields_the_user_changed(store, make_app, db_path):
    import subprocess
    import sys
    from pathlib import Path

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "down", "enter")  # 入金有效成功率, 99.997 on screen
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "metric", "入金有效成功率", "99.5", "--date", "2023-10-13",
                        "--db", str(db_path)], check=True, env=env, capture_output=True, timeout=60)
        fill(app.screen, target="99.99")  # the user changes only the target
        await pilot.press("enter")
        await settle(pilot)
    metric = stored(db_path).metrics[0]
    assert (metric.value, metric.target) == ("99.5", 99.99), "the reading taken meanwhile stays"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_footer_keeps_keys_and_quit_in_view_at_every_width(store, make_app, size):
    from textual.geometry import Region

    app = make_app(lang="en")
    async with app.run_test(size=size) as pilot:
        for pane in "123456":
            await pilot.press(pane)
            await pilot.pause()
            bar = app.query_one("KeyBar")
            line = bar.render_lines(Region(0, 0, *bar.size))[0].text
            assert "? Keys" in line and "q Quit" in line, (pane, line)
            assert line.startswith("a Add") or pane == "6", "the pane's own keys come first"


async def test_r_opens_the_review_of_the_quarter_on_screen(store, make_app):
    from weekly_zhoubao.tui.review_screen import ReviewScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ReviewScreen)
        assert "2023" in str(app.screen.query_one("#review-title", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.week_screen


def test_the_app_module_stays_small():
    from pathlib import Path

    assert len((ROOT / "tui" / "app.py").read_text().splitlines()) <= 300

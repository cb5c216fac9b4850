"""The TUI driven by the Pilot, asserting on the store and the screen."""

from __future__ import annotations

import errno
import os
from datetime import date, datetime

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Static, TextArea

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident, KeyWorkItem, Metric, Objective, ObjectiveItem, Week
from tests.conftest import NOW, ROOT, SAMPLE_MONDAY, TODAY
from tests.tui.helpers import painted, settle, status, stored
from weekly_zhoubao.tui.editor import EditorScreen
from weekly_zhoubao.tui.forms import ConfirmScreen, FormScreen
from weekly_zhoubao.tui.panes import ObjectivesPane
from weekly_zhoubao.tui.rowlist import RowList

HOSTILE = ["[bold]x[/bold]", "a [/] b", "[@click=app.quit]x[/]", "[link=file:///etc/passwd]x[/link]"]


def outline(app) -> list[str]:
    """The objectives pane's lines as shown (guides, glyphs, labels)."""
    pane = app.query_one("#pane-objectives", ObjectivesPane)
    return ["".join(str(c) for c in pane.get_row_at(i)) for i in range(pane.row_count)]  # words + figures


async def submit_form(pilot, **values):
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    for name, value in values.items():
        screen.query_one(f"#field-{name}", Input).value = value
    screen.query_one(Input).focus()
    await pilot.press("enter")
    await settle(pilot)


# --- opening and navigating -----------------------------------------------------------

async def test_opens_on_the_week_with_its_title_and_every_section(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert "第42周 2023/10/13" in str(app.query_one("#week-title", Static).render())
        assert app.query_one("#pane-key_work", RowList).row_count == 3
        assert app.query_one("#pane-metrics", RowList).row_count == 7  # 5 readings under 2 group rows
        assert app.query_one("#pane-incidents", RowList).row_count == 4
        headings = [line for line in outline(app) if line.startswith("▼ ")]
        assert headings == ["▼ O1 服务业务", "▼ O2系统升级", "▼ O3 安全稳定、降本提效"]
        assert "├ ▼ ○ 账单数据质量治理" in outline(app) and "│ ├ ○ 账单验证环境搭建完成；" in outline(app)
        assert "第42周 2023/10/13" in app.week_screen.report_text()
        # the preview is the exporters' own output
        from weekly_zhoubao.exporters.markdown import render

        assert app.week_screen.report_text() == render(store.get(SAMPLE_MONDAY))


async def test_week_navigation(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("left_square_bracket")
        assert app.week_screen.week.monday == date(2023, 10, 2)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.week_screen.week.monday == date(2023, 10, 16)
        assert app.week_screen.week.carried_from == SAMPLE_MONDAY, "a new week starts from the last written one"
        await pilot.press("t")
        assert app.week_screen.week.monday == SAMPLE_MONDAY
        await pilot.press("g")
        await submit_form(pilot, day="2021-01-01")
        assert app.week_screen.week.monday == date(2020, 12, 28)
        assert "第1周 2021/01/01" in str(app.query_one("#week-title", Static).render())
        await pilot.press("g")
        await submit_form(pilot, day="2023-02-30")
        assert isinstance(app.screen, FormScreen), "a bad date keeps the form open"
        assert "不是存在的日期" in str(app.screen.query_one("#form-error", Static).render())  # zh UI: zh message


async def test_focus_panes_by_number(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for n, pane in enumerate(["key_work", "metrics", "objectives", "incidents", "notes", "preview"], 1):
            await pilot.press(str(n))
            assert app.focused.id == f"pane-{pane}"


async def test_row_cursor_follows_keys_clicks_and_the_same_item(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        objectives = app.query_one("#pane-objectives", ObjectivesPane)
        await pilot.press("3", "end")
        assert objectives.cursor_row == objectives.row_count - 1
        assert objectives.scroll_y == 0, "the whole outline fits: nothing scrolls"
        await pilot.press("home", "down", "down")
        chosen = objectives.selected()
        assert chosen == stored(db_path).objectives[0].items[1].id
        app.week_screen.load_week(TODAY)  # a redraw keeps the cursor on the same item, not the same line
        await pilot.pause()
        assert objectives.selected() == chosen
        incidents = app.query_one("#pane-incidents", RowList)
        await pilot.click("#pane-incidents", offset=(5, 3))  # border, header, then the 2nd row
        assert app.focused is incidents and incidents.cursor_row == 1
        await pilot.click("#pane-incidents", offset=(5, 1))  # the header selects nothing
        assert incidents.cursor_row == 1
        await pilot.press("down", "d")  # delete the last: the cursor stays in place, on the new last
        await settle(pilot)
        assert incidents.row_count == 3 and incidents.cursor_row == 2


async def test_a_long_pane_scrolls_to_keep_the_cursor_in_view(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:  # a short terminal: panes hold few lines
        objectives = app.query_one("#pane-objectives", ObjectivesPane)
        await pilot.press("3")  # 24 rows: one pane at a time, this one
        await pilot.pause()
        visible = objectives.scrollable_content_region.height
        assert objectives.row_count > visible
        await pilot.press("end")
        await pilot.pause()
        assert objectives.scroll_y == objectives.row_count - visible
        bottom = objectives.render_line(visible - 1).text
        assert "健康分与稳定性提升" in bottom, "the last item is drawn on the pane's last line"
        await pilot.press("pageup", "home")
        await pilot.pause()
        assert objectives.cursor_row == 0 and objectives.scroll_y == 0

# --- key work -------------------------------------------------------------------------------

async def test_key_work_add_edit_move_delete(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "a")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.query_one("#editor-title", Input).value = "新项目 [/]"
        editor.query_one("#editor-body", TextArea).text = "第一行\n    1. 细节"
        await pilot.press("escape")
        await settle(pilot)
        titles = [k.title for k in stored(db_path).key_work]
        assert titles == ["商户服务重构", "新项目 [/]", "银行虚户前期设计", "银行账户合作沟通"]
        assert stored(db_path).key_work[1].body == "第一行\n    1. 细节"
        await pilot.press("shift+down")
        await settle(pilot)
        assert [k.title for k in stored(db_path).key_work][2] == "新项目 [/]"
        await pilot.press("enter")
        app.screen.query_one("#editor-title", Input).value = "改名"
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db_path).key_work[2].title == "改名"
        await pilot.press("d")
        await settle(pilot)
        assert "改名" not in [k.title for k in stored(db_path).key_work]


async def test_escape_in_an_editor_holding_an_invalid_field_offers_discard_or_keep_editing(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "a")
        app.screen.query_one("#editor-body", TextArea).text = "正文但没有标题"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen), "typed text is not thrown away without asking"
        assert any("不能为空" in str(s.render()) for s in app.screen.query(Static))
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#editor-body", TextArea).text == "正文但没有标题"
        assert "标题：不能为空" in str(app.screen.query_one("#form-error", Static).render())
        await pilot.press("escape", "enter")  # discard
        await settle(pilot)
        assert not isinstance(app.screen, (EditorScreen, ConfirmScreen))
        assert len(stored(db_path).key_work) == 3


# --- metrics ---------------------------------------------------------------------------------

async def test_metric_value_is_validated_and_saved(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("2", "down", "enter")  # the first reading, below its group's row
        await submit_form(pilot, value="abc")
        assert isinstance(app.screen, FormScreen)
        assert "“abc”不是数字" in str(app.screen.query_one("#form-error", Static).render())
        await submit_form(pilot, value="101")
        assert "超出 0–100" in str(app.screen.query_one("#form-error", Static).render())
        await submit_form(pilot, value="99.5 %", target="99.99")
        metric = stored(db_path).metrics[0]
        assert metric.value == "99.5" and metric.target == 99.99
        row = [str(c) for c in app.query_one("#pane-metrics", RowList).get_row_at(1)]
        assert "99.5% ✗" in row[1], "a missed target is shown"


async def test_metric_definitions_add_rename_move_delete(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "down", "a")  # after the first reading, in its group
        await submit_form(pilot, name="P99 延迟", value="120", kind="number", unit="ms",
                          target="200", better="n")
        names = [m.name for m in stored(db_path).metrics]
        assert names[1] == "P99 延迟"
        assert "- P99 延迟：120ms" in app.week_screen.report_text()
        await pilot.press("shift+up")
        await settle(pilot)
        assert stored(db_path).metrics[0].name == "P99 延迟"
        await pilot.press("enter")
        await submit_form(pilot, name="P99 latency")
        assert stored(db_path).metrics[0].name == "P99 latency"
        await pilot.press("d")
        await settle(pilot)
        assert "P99 latency" not in [m.name for m in stored(db_path).metrics]


async def test_stated_counts_differ_until_the_user_decides(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one("#pane-metrics", RowList)
        counts_row = [str(c) for c in table.get_row_at(table.row_count - 1)]
        assert "AB0 CD1 ⚠" in counts_row[1] and "记录 AB0 CD0" in counts_row[3]
        await pilot.press("2")
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await submit_form(pilot, ab="", cd="")  # blank: the log's counts
        assert stored(db_path).stated_incident_counts is None
        assert "- 事故数AB级0次，CD级0次" in app.week_screen.report_text()


# --- incidents -------------------------------------------------------------------------------

async def test_incident_hotkey_prefills_now_and_saves(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("i")
        form = app.screen
        assert isinstance(form, FormScreen) and form.id == "incident-form"
        assert form.query_one("#field-when", Input).value == "2023-10-13 15:37"
        assert app.focused.id == "field-summary", "the cursor is in the summary"
        await pilot.press(*"db down")
        await submit_form(pilot, grade="b", duration="12", impact="[@click=app.quit]x[/]")
        incident = max(stored(db_path).incidents, key=lambda i: i.at)
        assert (incident.summary, incident.grade, incident.duration_min) == ("db down", "B", 12)
        assert incident.at == NOW and incident.impact == "[@click=app.quit]x[/]"
        rows = app.query_one("#pane-incidents", RowList)
        assert str(rows.get_row_at(0)[2]) == "未解决 db down", "newest first; open, and marked so"
        # grading an incident ends the imported report's stated counts: the log now speaks
        assert stored(db_path).stated_incident_counts is None
        assert "- 事故数AB级1次，CD级0次" in app.week_screen.report_text()


async def test_incident_form_is_filled_with_tab_as_a_user_does(store, make_app, db_path):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *"db down", "tab", "tab", "c", "tab", *"orders late", "tab", "3", "enter")
        await settle(pilot)
        incident = max(stored(db_path).incidents, key=lambda i: i.at)
        assert (incident.summary, incident.grade, incident.impact, incident.duration_min) == (
            "db down", "C", "orders late", 3)


async def test_incident_escape_cancels_and_bad_time_is_refused(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *"x", "escape")
        await settle(pilot)
        assert len(stored(db_path).incidents) == 4
        await pilot.press("i")
        await submit_form(pilot, summary="x", when="25:61")
        assert "不是一天中的时间" in str(app.screen.query_one("#form-error", Static).render())
        await submit_form(pilot, when="10/13 10:00", grade="E")
        assert isinstance(app.screen, FormScreen)
        assert len(stored(db_path).incidents) == 4


async def test_incident_for_another_week_lands_there(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await submit_form(pilot, summary="上周的事", when="2023-10-05 08:00")
        assert stored(db_path, date(2023, 10, 2)).incidents[0].summary == "上周的事"
        assert len(stored(db_path).incidents) == 4
        assert "第41周" in status(app)


async def test_f2_logs_an_incident_while_a_text_field_has_focus(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "enter")  # 其他: a text editor with focus in the TextArea
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("f2")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "incident-form"
        await submit_form(pilot, summary="typed while editing")
        assert any(i.summary == "typed while editing" for i in stored(db_path).incidents)
        assert isinstance(app.screen, EditorScreen), "back in the editor"


async def test_incident_edit_and_delete(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "enter")  # the newest: 10/13 09:25
        await submit_form(pilot, grade="C", resolution="回滚配置")
        newest = max(stored(db_path).incidents, key=lambda i: i.at)
        assert newest.grade == "C" and newest.status == "resolved"
        await pilot.press("d")
        await settle(pilot)
        assert len(stored(db_path).incidents) == 3


# --- objectives ------------------------------------------------------------------------------

async def test_objectives_add_edit_move_delete(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "o")
        await submit_form(pilot, heading="O4 新目标")
        assert stored(db_path).objectives[-1].heading == "O4 新目标"
        tree = app.query_one("#pane-objectives", ObjectivesPane)
        tree.select_key(stored(db_path).objectives[-1].id)
        await pilot.press("a")
        await submit_form(pilot, name="迁移", text="完成方案", progress="30", due="2023-10-20", status="in progress")
        item = stored(db_path).objectives[-1].items[0]
        assert (item.name, item.progress, item.due, item.status) == ("迁移", 30, date(2023, 10, 20), "in progress")
        assert item.text == "完成方案，进度30%", "progress is written into the words"
        await pilot.pause()
        tree.select_key(stored(db_path).objectives[-1].items[0].id)
        await pilot.press("c")
        await submit_form(pilot, text="子项 [/]")
        assert stored(db_path).objectives[-1].items[0].children[0].text == "子项 [/]"
        await pilot.pause()
        tree.select_key(stored(db_path).objectives[-1].items[0].id)
        await pilot.press("enter")
        await submit_form(pilot, progress="60")
        assert stored(db_path).objectives[-1].items[0].text == "完成方案，进度60%"
        await pilot.press("enter")
        await submit_form(pilot, progress="160")
        assert "超出 0–100" in str(app.screen.query_one("#form-error", Static).render())
        await pilot.press("escape")
        await pilot.press("d")
        await settle(pilot)
        assert stored(db_path).objectives[-1].items == []
        tree.select_key(stored(db_path).objectives[0].items[1].id)
        await pilot.pause()
        await pilot.press("shift+up")
        await settle(pilot)
        assert stored(db_path).objectives[0].items[0].name == "存管衍生-银行卡办理"


# --- notes -----------------------------------------------------------------------------------

async def test_notes_lists_reflections_and_daily_notes(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "enter")  # 其他
        app.screen.query_one(TextArea).text = "第一条\n第二条\n  接着第二条\n# 不是标题"
        await pilot.press("escape")
        await settle(pilot)
        assert [e.text for e in stored(db_path).other] == ["第一条", "第二条\n  接着第二条", "# 不是标题"]
        assert "3. \\# 不是标题" in app.week_screen.report_text()
        await pilot.press("down", "enter")  # 收获与反思
        app.screen.query_one(TextArea).text = "新的反思 [bold]x[/bold]"
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db_path).reflections == "新的反思 [bold]x[/bold]"
        await pilot.press("n")  # today's daily note
        app.screen.query_one(TextArea).text = "今天的日报"
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db_path).note_for(TODAY).text == "今天的日报"
        assert "[2023/10/13 周五](2023-10-13%20周五.md)" in app.week_screen.report_text()


# --- saving, undo, quitting ------------------------------------------------------------------

async def test_undo_reverts_the_last_change(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "d")
        await settle(pilot)
        assert len(stored(db_path).key_work) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [k.title for k in stored(db_path).key_work][0] == "商户服务重构"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "没有可撤销" in status(app)


async def test_quit_saves_typed_text_first(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "down", "enter")
        area = app.screen.query_one(TextArea)
        area.text = "还没等到自动保存就退出"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert stored(db_path).reflections == "还没等到自动保存就退出"


async def test_a_failed_save_is_loud_and_keeps_the_edit_on_screen(store, make_app, db_path, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        real_write = os.write

        def full(fd, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        await pilot.press("1", "d")
        await settle(pilot)
        assert "保存失败" in status(app) and "disk is full" in status(app)
        assert app.query_one("#status").has_class("failed")
        assert len(app.week_screen.week.key_work) == 2, "the edit stays on screen"
        assert len(stored(db_path).key_work) == 3, "nothing half-written"
        monkeypatch.setattr(os, "write", real_write)
        app.week_screen.session.retry()
        await settle(pilot)
        assert len(stored(db_path).key_work) == 2, "saved once there is room"
        assert "已保存" in status(app)


async def test_another_writer_shows_up_and_nothing_is_lost(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        other = WeekStore(db_path)  # e.g. `weekly incident` from another shell
        other.update(SAMPLE_MONDAY, lambda w: w.incidents.append(
            Incident(at=datetime(2023, 10, 12, 11, 0), summary="from the shell")))
        await pilot.pause(0.6)
        assert any(i.summary == "from the shell" for i in app.week_screen.week.incidents), "shows up on screen"
        await pilot.press("1", "d")
        await settle(pilot)
        week = stored(db_path)
        assert any(i.summary == "from the shell" for i in week.incidents)
        assert len(week.key_work) == 2


async def test_carried_week_is_written_only_when_edited(store, make_app, db_path):
    app = make_app(start=date(2023, 10, 20))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.week_screen.week.carried_from == SAMPLE_MONDAY
        assert "沿用" in status(app)
        assert stored(db_path, date(2023, 10, 16)) is None
        assert "商户升级、银行虚户设计和研发计划" in app.week_screen.report_text()
        await pilot.press("2", "down", "enter")
        await submit_form(pilot, value="99.9")
        week = stored(db_path, date(2023, 10, 16))
        assert week is not None and [o.code for o in week.objectives] == ["O1", "O2", "O3"]


# --- export and copy -------------------------------------------------------------------------

async def test_export_runs_the_check_first(store, make_app, db_path, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ConfirmScreen)
        lines = [str(s.render()) for s in app.screen.query(Static)]
        assert any("与事件记录（AB0/CD0）不符" in line for line in lines)
        assert any("事件 10/09 15:37 没有处理结果" in line for line in lines)
        await pilot.press("enter")
        await settle(pilot)
        exported = tmp_path / "exports" / "第42周 2023-10-13.md"
        # in a folder the daily note gets a name Weekly builds from its date, and the link follows
        built = app.week_screen.report_text().replace("2023-10-12%20周四_r6KkZhiGFMTBBoQGJk2sfH.md",
                                                      "2023-10-12%20周四.md")
        assert exported.read_text() == built
        assert (exported.parent / "2023-10-12 周四.md").is_file()
        assert f"已导出 {exported.name}" in status(app)  # the name; the whole path is in the notification


async def test_copy_uses_the_clipboard(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        assert app.clipboard == app.week_screen.report_text()


# --- language, keys, palette ---------------------------------------------------------------

async def test_english_ui_and_report(store, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Week 42 · 2023-10-13" in str(app.query_one("#week-title", Static).render())
        assert app.query_one("#pane-key_work").border_title == "1 Key work"
        assert app.week_screen.report_text().startswith("# Week 42 · 2023-10-13")
        from weekly_zhoubao.tui.keybar import name_of

        from weekly_zhoubao.tui.help import binding_rows

        names = {name_of(b, "en") for _, b in binding_rows(app)}
        assert {"Log incident", "Prev week", "This week", "Export", "Undo", "Quit", "Command palette"} <= names


async def test_keys_are_rebindable_from_the_config(store, make_app):
    app = make_app(keys={"log_incident": "ctrl+l"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "incident-form"


async def test_hovering_a_short_footer_label_names_the_action_in_full(store, make_app):
    from weekly_zhoubao.tui.keybar import KeyBar

    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = footer_line(app)
        await pilot.hover(KeyBar, offset=(line.index("i Incident") + 3, 0))
        assert app.query_one(KeyBar).tooltip == "Log incident"


async def test_question_mark_lists_every_key(store, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        listed = {(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)}
        for key, action in [("i", "Log incident"), ("f2", "Log incident"), ("[", "Prev week"), ("]", "Next week"),
                            ("e", "Export"), ("y", "Copy report"), ("a", "Add"), ("⏎", "Edit"), ("d", "Delete"),
                            ("c", "Sub-item"), ("o", "Objective"), ("^z", "Undo"), ("q", "Quit")]:
            assert any(k.lower() == key.lower() and a == action for k, a in listed), (key, action)


async def test_palette_knows_the_apps_actions(store, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"log incident")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, FormScreen) and app.screen.id == "incident-form"


def footer_line(app) -> str:
    return painted(app, "KeyBar")


FOOTER_WORDS = {  # the app's keys, a pane's own, the move keys
    "zh": (["[] 上周/下周", "t 本周", "g 跳转", "i 记事件", "n 日报", "e 导出", "y 复制", "^z 撤销", "? 按键", "q 退出",
            "^p 命令"], "a 添加 ⏎ 编辑 d 删除", "⇧↑⇧↓ 移动"),
    "en": (["[] Week", "t Today", "g Go to", "i Incident", "n Note", "e Export", "y Copy", "^z Undo", "? Keys",
            "q Quit", "^p Menu"], "a Add ⏎ Edit d Delete", "⇧↑⇧↓ Move"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_footer_holds_every_key_that_applies_in_120_columns(store, make_app, lang):
    app = make_app(lang=lang)
    app_keys, edit_keys, move_keys = FOOTER_WORDS[lang]
    async with app.run_test(size=(120, 40)) as pilot:
        for pane, own in [("1", f"{edit_keys} {move_keys}"), ("2", f"{edit_keys} {move_keys}"), ("4", edit_keys),
                          ("5", edit_keys), ("6", "")]:
            await pilot.press(pane)
            await settle(pilot)
            line = footer_line(app)  # as wide as the screen: what is in it is in view
            assert line.startswith(own), "the pane's own keys come first"
            assert all(key in line for key in app_keys), (pane, line)
            if pane in "456":
                assert move_keys not in line, "incidents and notes keep their own order"


async def test_a_click_on_a_footer_key_runs_it(store, make_app):
    from rich.cells import cell_len

    from weekly_zhoubao.tui.keybar import KeyBar

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = footer_line(app)
        await pilot.click(KeyBar, offset=(cell_len(line[:line.index("记事件")]), 0))  # on the label
        await settle(pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.id == "incident-form"


async def test_incidents_and_notes_cannot_be_moved(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = stored(db_path).model_dump()
        for pane in ("4", "5"):
            await pilot.press(pane, "down", "shift+up", "shift+down")
            await settle(pilot)
        assert stored(db_path).model_dump() == before
        assert app.week_screen.session.undo_stack == []


async def test_palette_runs_a_panes_action_on_that_pane(store, make_app, db_path):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"key work add")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen), "the key work editor, for a new item"
        assert app.screen_stack[0].focused.id == "pane-key_work", "the pane it acts on has the focus"


async def test_palette_and_key_list_speak_the_apps_language(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [c.title for c in app.get_system_commands(app.screen)] == ["最大化窗格", "选择主题", "截图"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        table = app.screen.query_one(DataTable)
        actions = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "退出" in actions and "Quit" not in actions and "" not in actions


# --- user text is text -----------------------------------------------------------------------

@pytest.fixture
def hostile_store(db_path):
    s = WeekStore(db_path)
    s.put(Week(
        monday=SAMPLE_MONDAY,
        key_work=[KeyWorkItem(title=h, body=h) for h in HOSTILE],
        metrics=[Metric(name=f"m{n} {h}", group=h, value="1") for n, h in enumerate(HOSTILE)],
        objectives=[Objective(code="O1", title=HOSTILE[2], items=[ObjectiveItem(name=h, text=h) for h in HOSTILE])],
        incidents=[Incident(at=datetime(2023, 10, 9, 10, n), summary=h, impact=h) for n, h in enumerate(HOSTILE)],
        reflections="\n".join(HOSTILE),
    ))
    return s


async def test_markup_in_user_text_is_shown_literally_everywhere(hostile_store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        for pane in ("#pane-key_work", "#pane-incidents"):
            table = app.query_one(pane, RowList)
            cells = [table.get_row_at(i) for i in range(table.row_count)]
            assert all(isinstance(c, Text) for row in cells for c in row)
            assert {str(row[0]) if pane == "#pane-key_work" else str(row[2]).removeprefix("未解决 ")
                    for row in cells} == set(HOSTILE)
        metrics = app.query_one("#pane-metrics", RowList)
        assert [str(metrics.get_row_at(i)[0]) for i in range(8)] == [
            x for n, h in enumerate(HOSTILE) for x in (f"{h}：", f" m{n} {h} ")], "each its own group's"
        lines = outline(app)
        assert lines[0] == "▼ O1 " + HOSTILE[2]
        assert [line[4:] for line in lines[1:]] == HOSTILE, "after the guide and the status glyph"
        import html

        screen_text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "a [/] b" in screen_text and "[bold]x[/bold]" in screen_text
        # clicking the text that looks like an action does nothing
        for selector in ("#pane-key_work", "#pane-incidents", "#pane-objectives", "#pane-preview"):
            await pilot.click(selector, offset=(6, 1))
            await pilot.click(selector, offset=(12, 2))
            await pilot.pause()
            assert app.is_running and app.return_code is None


async def test_markup_in_forms_and_error_messages(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("i")
        await submit_form(pilot, summary="[/]", when="[@click=app.quit]x[/]")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "“[@click=app.quit]x[/]”不是时间" in error
        await pilot.click("#form-error")
        assert app.is_running
        await submit_form(pilot, when="15:37")
        assert any(i.summary == "[/]" for i in stored(db_path).incidents)


def test_store_and_exporters_import_without_textual():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, weekly_zhoubao.store.db, weekly_zhoubao.store.words, weekly_zhoubao.store.session, weekly_zhoubao.store.ops, "
            "weekly_zhoubao.store.inputs, weekly_zhoubao.exporters.markdown, weekly_zhoubao.exporters.reader, weekly_zhoubao."
            "exporters.files; assert not [m for m in sys.modules if m.startswith('textual')]")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


async def test_a_week_like_the_last_is_repainted_where_it_differs(store, make_app, sample_week):
    # The next week has as many rows in every pane, so only the lines that differ are redrawn.
    later = sample_week.model_copy(deep=True, update={"monday": date(2023, 10, 16)})
    later.key_work[0].title = "第二周的重点"
    later.incidents = [i.model_copy(update={"at": i.at.replace(day=i.at.day + 7)}) for i in later.incidents]
    later.objectives[0].items[0].name = "物保二期"
    store.put(later)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "商户服务重构" in painted(app, "#pane-key_work")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.week_screen.week.monday == date(2023, 10, 16)
        key_work = painted(app, "#pane-key_work")
        assert "第二周的重点" in key_work and "商户服务重构" not in key_work
        assert "银行虚户前期设计" in key_work, "an unchanged row is still drawn"
        assert "10/20 09:25" in painted(app, "#pane-incidents")
        assert "物保二期" in painted(app, "#pane-objectives")
        assert "【第二周的重点】" in painted(app, "#pane-preview")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "商户服务重构" in painted(app, "#pane-key_work")
        assert "【商户服务重构】" in painted(app, "#pane-preview")


async def test_an_edit_repaints_its_row_and_preview_line(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.query_one("#pane-preview").scroll_to(y=6, animate=False)  # the second item's line in view
        await settle(pilot)
        await pilot.press("1", "down", "enter")
        app.screen.query_one("#editor-title", Input).value = "改过的标题 [/]"
        await pilot.press("escape", "up")
        await settle(pilot)
        assert "改过的标题 [/]" in painted(app, "#pane-key_work")
        assert "银行虚户前期设计" not in painted(app, "#pane-key_work")
        assert "【改过的标题 [/]】" in painted(app, "#pane-preview")
        first, third = row_backgrounds(app, "#pane-key_work", 0), row_backgrounds(app, "#pane-key_work", 2)
        assert first != third, "the cursor's row is drawn apart"
        await pilot.press("down", "down")
        await settle(pilot)
        assert app.query_one("#pane-key_work", RowList).cursor_row == 2
        assert row_backgrounds(app, "#pane-key_work", 0) == third, "the old cursor row was repainted"
        assert row_backgrounds(app, "#pane-key_work", 2) == first, "the new cursor row was repainted"


def row_backgrounds(app, selector, row: int) -> set:
    """The background colours a pane's row is painted in (inside its border)."""
    from textual.geometry import Region

    widget = app.query_one(selector)
    strip = widget.render_lines(Region(0, 1 + row, widget.size.width, 1))[0]
    return {seg.style.bgcolor for seg in list(strip)[1:-1] if seg.style}


async def test_the_start_up_heap_is_frozen_while_the_app_runs_and_released_after(store, make_app):
    import gc

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0, "the collector skips what start-up loaded"
    assert gc.get_freeze_count() == 0, "nothing stays frozen once the app is gone"

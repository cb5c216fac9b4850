"""Forms that fit how people type (issue #16): grade and status chosen from lists in the UI's
language; an item's progress, date and status read from its words as the importer reads them
and shown before saving; brackets the app adds itself stripped when typed; an objective's
heading on one line (with or without its space); deleting an objective that holds items
asks first; one objective item in a handful of keys. Pilot, fixed size, clock and store."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual import events
from textual.widgets import Input, Label, Static

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Objective, ObjectiveItem, Week
from tests.conftest import SAMPLE_MONDAY
from tests.tui.helpers import Words, send, settle, stored, type_keys
from weekly_zhoubao.tui.editor import EditorScreen
from weekly_zhoubao.tui.forms import ChoiceInput, ConfirmScreen, FormScreen
from weekly_zhoubao.tui.panes import ObjectivesPane

LATER = datetime(2026, 11, 27, 10, 0)  # the real today is years after the week on screen


def understood(app) -> str:
    return str(app.screen.query_one("#form-understood", Static).render())


def field(app, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


async def highlight(app, pilot, key: str) -> None:
    await pilot.press("3")
    app.query_one("#pane-objectives", ObjectivesPane).select_key(key)
    await pilot.pause()


def o1(db_path) -> Objective:
    return stored(db_path).objectives[0]


# --- the target: an item with name, progress, date and status in ≤ 10 keys ---------------------

async def test_an_item_whose_words_carry_progress_and_date_takes_three_keys(store, make_app, db_path):
    app = make_app(now=lambda: LATER)
    async with app.run_test(size=(120, 40)) as pilot:
        before = len(o1(db_path).items)
        await highlight(app, pilot, o1(db_path).id)
        keys = await type_keys(pilot, "a", Words("银行卡办理"), "tab", Words("实现办卡能力建设，进度60%，预计10/26上线"))
        assert understood(app) == "理解为 2023-10-26 · 进度 60% · 进行中"
        keys += await type_keys(pilot, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    assert keys == 3
    item = o1(db_path).items[-1]
    assert len(o1(db_path).items) == before + 1
    assert (item.name, item.text, item.progress, item.due, item.status) == (
        "银行卡办理", "实现办卡能力建设，进度60%，预计10/26上线", 60, date(2023, 10, 26), "in progress")


async def test_an_item_with_a_status_of_its_own_takes_five_keys(store, make_app, db_path):
    """Words give progress and date; the user picks 有风险 from the list, right after the
    words (tab, `a`)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(app, pilot, o1(db_path).id)
        keys = await type_keys(pilot, "a", Words("杭州政府存管"), "tab", Words("研发联调完成启动测试，进度30%，计划10/19上线"),
                               "tab", "a")
        assert field(app, "status").value == "有风险"
        assert understood(app) == "理解为 2023-10-19 · 进度 30% · 有风险"
        keys += await type_keys(pilot, "enter")
        await settle(pilot)
    assert keys == 5 <= 10
    item = o1(db_path).items[-1]
    assert (item.name, item.progress, item.due, item.status) == ("杭州政府存管", 30, date(2023, 10, 19), "at risk")
    assert item.text == "研发联调完成启动测试，进度30%，计划10/19上线", "the words are kept as typed"


# --- choice lists in the UI's language ---------------------------------------------------------

async def test_status_is_chosen_from_a_list_in_chinese(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(app, pilot, o1(db_path).id)
        await type_keys(pilot, "a", Words("新事项"), "tab", "tab")
        status = field(app, "status")
        assert isinstance(status, ChoiceInput) and app.focused is status
        assert status.value == "计划中"
        label = str(app.screen.query(Label)[2].render())
        assert "计划中 · 进行中 · 已完成 · 有风险 · 受阻" in label
        seen = []
        for key in ("right", "right", "right", "right", "right", "left", "b", "d", "p", "space"):
            await pilot.press(key)
            seen.append(status.value)
        assert seen == ["进行中", "已完成", "有风险", "受阻", "计划中", "受阻", "受阻", "已完成", "计划中", "进行中"]
        await pilot.press(*"写不进去", "backspace")
        assert status.value == "进行中", "typing does not edit a choice"
        await pilot.press("enter")
        await settle(pilot)
    assert o1(db_path).items[-1].status == "in progress"


async def test_status_and_grade_lists_speak_english_in_the_english_ui(store, make_app, db_path):
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(app, pilot, o1(db_path).id)
        await type_keys(pilot, "a", Words("x"), "tab", "tab", "left")
        assert field(app, "status").value == "blocked"
        await pilot.press("escape", "i")
        await pilot.pause()
        assert field(app, "grade").value == "none"
        assert "none · A · B · C · D" in str(app.screen.query(Label)[2].render())


async def test_incident_grade_is_chosen_with_a_letter(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await type_keys(pilot, "i", Words("网关超时"), "tab", "tab", "c")
        grade = field(app, "grade")
        assert grade.value == "C"
        await pilot.press("left", "left", "left")
        assert grade.value == "无"
        await pilot.press("right", "right", "right", "enter")
        await settle(pilot)
    assert keys == 4
    logged = [i for i in stored(db_path).incidents if i.summary == "网关超时"]
    assert len(logged) == 1 and logged[0].grade == "C"


async def test_editing_an_incident_shows_its_grade_and_none_clears_it(store, make_app, db_path):
    week = stored(db_path)
    first = week.incidents[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        field(app, "summary").value = "graded"
        field(app, "grade").focus()
        await pilot.press("b", "enter")
        await settle(pilot)
        graded = next(i for i in stored(db_path).incidents if i.summary == "graded")
        assert graded.grade == "B"
        assert stored(db_path).incidents[0].grade == first.grade
        pane = app.query_one("#pane-incidents")
        pane.focus()
        pane.select_key(graded.id)
        await pilot.press("enter")
        await pilot.pause()
        assert field(app, "grade").value == "B"
        field(app, "grade").focus()
        await pilot.press("home", "enter")
        await settle(pilot)
    assert next(i for i in stored(db_path).incidents if i.id == graded.id).grade is None


# --- dates, progress and status read from the item's words -------------------------------------

async def test_yearless_date_in_the_words_resolves_to_the_week_on_screen(store, make_app, db_path):
    """The real today is 2026: `1/5` in a 2023-10 week is 2024-01-05, not 2026-01-05."""
    app = make_app(now=lambda: LATER)
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(app, pilot, o1(db_path).id)
        await type_keys(pilot, "a", Words("对账"), "tab", Words("预计1/5上线"))
        assert field(app, "due").value == "2024-01-05"
        assert understood(app) == "理解为 2024-01-05 · 计划中"
        await pilot.press("enter")
        await settle(pilot)
    assert o1(db_path).items[-1].due == date(2024, 1, 5)


async def test_fields_the_user_typed_into_do_not_follow_the_words(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(app, pilot, o1(db_path).id)
        await type_keys(pilot, "a", Words("迁移"), "tab", "tab", "tab", Words("40"), "tab", Words("10/20"),
                        "shift+tab", "shift+tab", "shift+tab", Words("方案评审，进度60%，预计10/26上线"))
        assert (field(app, "progress").value, field(app, "due").value) == ("40", "10/20")
        assert field(app, "status").value == "进行中", "progress typed: the status follows it"
        assert understood(app) == "理解为 2023-10-20 · 进度 40% · 进行中"
        await pilot.press("enter")
        await settle(pilot)
    item = o1(db_path).items[-1]
    assert (item.progress, item.due, item.status) == (40, date(2023, 10, 20), "in progress")
    assert item.text == "方案评审，进度40%，预计10/26上线", "the progress typed goes into the words"


async def test_words_that_say_done_and_words_taken_back(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await highlight(app, pilot, o1(db_path).id)
        await type_keys(pilot, "a", Words("收银台升级"), "tab", Words("10/12上线完成"))
        assert (field(app, "due").value, field(app, "status").value) == ("2023-10-12", "已完成")
        await pilot.press(*["backspace"] * 9)
        await pilot.pause()
        assert (field(app, "due").value, field(app, "status").value) == ("", "计划中"), "words gone: fields back"
        assert understood(app) == "理解为 计划中"
        await pilot.press(*"10/12上线完成", "enter")
        await settle(pilot)
    item = o1(db_path).items[-1]
    assert (item.text, item.due, item.status, item.progress) == ("10/12上线完成", date(2023, 10, 12), "done", None)


async def test_editing_an_item_follows_new_words_and_keeps_the_rest(store, make_app, db_path):
    WeekStore(db_path).put(Week(monday=SAMPLE_MONDAY, objectives=[Objective(code="O1", title="t", items=[
        ObjectiveItem(name="账单", text="方案评审，进度50%", progress=50, due=date(2023, 11, 21), status="at risk")])]))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        item = o1(db_path).items[0]
        await highlight(app, pilot, item.id)
        await pilot.press("enter")
        await pilot.pause()
        assert (field(app, "progress").value, field(app, "due").value, field(app, "status").value) == (
            "50", "2023-11-21", "有风险"), "opening the form changes nothing"
        field(app, "text").focus()
        await pilot.press("end", *"0")  # 进度50%0 → the last figure still 50; then fix it
        await pilot.press("backspace", "left", "backspace", "backspace", *"70")
        await pilot.pause()
        assert field(app, "text").value == "方案评审，进度70%"
        assert (field(app, "progress").value, field(app, "due").value, field(app, "status").value) == (
            "70", "2023-11-21", "有风险"), "a status and date the words do not name stay"
        await pilot.press("enter")
        await settle(pilot)
    item = o1(db_path).items[0]
    assert (item.text, item.progress, item.due, item.status) == ("方案评审，进度70%", 70, date(2023, 11, 21), "at risk")


# --- brackets the app adds itself; an objective's heading on one line ---------------------------

@pytest.mark.parametrize("typed, code, title, spaced, heading", [
    ("【O2系统升级】", "O4", "系统升级", False, "## 【O4系统升级】"),
    ("O4系统升级", "O4", "系统升级", False, "## 【O4系统升级】"),
    ("O4 系统升级", "O4", "系统升级", True, "## 【O4 系统升级】"),
    ("新方向", "O4", "新方向", True, "## 【O4 新方向】"),
])
async def test_objective_heading_typed_as_the_report_shows_it(store, make_app, db_path, typed, code, title,
                                                             spaced, heading):
    if typed.startswith("【O2"):
        typed = typed.replace("O2", "O4")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "o")
        await pilot.pause()
        assert field(app, "heading").placeholder == "O4 …"
        await pilot.press(*typed, "enter")
        await settle(pilot)
        preview = app.week_screen.report_text()
    objective = stored(db_path).objectives[-1]
    assert (objective.code, objective.title, objective.spaced) == (code, title, spaced)
    assert heading in preview.splitlines()


async def test_objective_heading_edit_and_a_code_taken(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        o2 = stored(db_path).objectives[1]
        await highlight(app, pilot, o2.id)
        await pilot.press("enter")
        await pilot.pause()
        assert field(app, "heading").value == "O2系统升级", "the sample's no-space heading, as written"
        field(app, "heading").value = "O1 系统升级"
        await pilot.press("enter")
        await pilot.pause()
        assert "O1" in str(app.screen.query_one("#form-error", Static).render())
        assert isinstance(app.screen, FormScreen)
        field(app, "heading").value = "【O2 系统升级与治理】"
        await pilot.press("enter")
        await settle(pilot)
    o2 = stored(db_path).objectives[1]
    assert (o2.code, o2.title, o2.spaced) == ("O2", "系统升级与治理", True)
    assert len(o2.items) == 4, "its items stay"


async def test_key_work_title_typed_in_brackets_is_stored_without_them(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "a")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*"【新项目】", "enter", *"内容")
        app.screen.flush()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        preview = app.week_screen.report_text()
    titles = [k.title for k in stored(db_path).key_work]
    assert "新项目" in titles and "【新项目】" not in titles
    assert "- 【新项目】" in preview.splitlines() and "【【" not in preview


# --- deleting an objective that holds items asks first ------------------------------------------

async def test_deleting_an_objective_with_items_asks_and_undo_restores(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        o1_before = o1(db_path)
        await highlight(app, pilot, o1_before.id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "O1 服务业务" in shown and "6 个条目" in shown and "物保" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert o1(db_path).id == o1_before.id, "Esc keeps it"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert [o.code for o in stored(db_path).objectives] == ["O2", "O3"]
        await pilot.press("ctrl+z")
        await settle(pilot)
    restored = stored(db_path).objectives[0]
    assert restored.model_dump() == o1_before.model_dump()


async def test_an_empty_objective_is_deleted_at_once(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "o", *"O4 空目标", "enter")
        await settle(pilot)
        empty = stored(db_path).objectives[-1]
        assert empty.heading == "O4 空目标" and not empty.items
        await highlight(app, pilot, empty.id)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
    assert [o.code for o in stored(db_path).objectives] == ["O1", "O2", "O3"]


# --- the rules the forms read with (store/inputs.py, no Textual) -------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("【O2系统升级】", ("O2", "系统升级", False)), ("O2系统升级", ("O2", "系统升级", False)),
    ("O1 服务业务", ("O1", "服务业务", True)), ("【O1 服务业务】", ("O1", "服务业务", True)),
    ("o3  安全稳定", ("O3", "安全稳定", True)), ("O1：服务业务", ("O1", "服务业务", True)),
    ("新方向", ("O4", "新方向", True)), ("O12", ("O12", "", True)), ("Oracle 迁移", ("O4", "Oracle 迁移", True)),
])
def test_heading_rule(typed, expected):
    from weekly_zhoubao.store.inputs import parse_heading

    assert parse_heading(typed, "O4") == expected


def test_bracket_rule_takes_off_only_the_pair_the_export_adds():
    from weekly_zhoubao.store.inputs import key_work_title

    assert key_work_title(" 【商户服务重构】 ") == "商户服务重构"
    assert key_work_title("商户服务重构") == "商户服务重构"
    assert key_work_title("【A】与【B】") == "【A】与【B】", "brackets inside the words are the user's"


def test_an_item_name_typed_with_the_colon_the_export_adds():
    from weekly_zhoubao.store.inputs import new_item

    item = new_item({"name": "物保：", "text": "10/10上线完成"}, date(2026, 11, 27), date(2023, 10, 12))
    assert item.name == "物保" and item.line == "物保：10/10上线完成"


def test_words_rule_is_the_importers():
    from weekly_zhoubao.store import words
    from weekly_zhoubao.store.inputs import followed_status, item_words

    anchor = date(2023, 10, 12)
    line = "研发联调完成启动测试，计划10/19上线"
    assert item_words("", line, anchor) == {"progress": None, "due": words.read_due(line, anchor), "status": None}
    assert item_words("物保", "10/10上线完成", anchor) == {"progress": None, "due": date(2023, 10, 10), "status": "done"}
    assert item_words("", "预计10/26上线完成", anchor)["status"] is None, "a plan is not done"
    assert item_words("", "进度60%", anchor)["progress"] == 60
    assert followed_status("in progress", "at risk") == "at risk"
    assert followed_status("done", "blocked") == "done"
    assert followed_status(None, "planned") == "planned"
    done_207 = "已完成207台服务器初始化，代码环境部署检查，完成占比70%"
    assert item_words("", done_207, anchor) == {"progress": 70, "due": None, "status": "in progress"}, \
        "a progress short of 100 is not done, whatever else the words finished"


# --- keys typed faster than a form opens ---------------------------------------------------------

@pytest.mark.parametrize("pane, key, screen", [("3", "a", FormScreen), ("3", "o", FormScreen), ("3", "d", ConfirmScreen),
                                               ("3", "enter", FormScreen), ("2", "a", FormScreen),
                                               ("1", "a", EditorScreen)])
async def test_a_key_pressed_twice_before_its_form_is_up_opens_one(store, make_app, db_path, pane, key, screen):
    """Both presses reach the pane before the first form is pushed; the second is dropped
    (two forms with one id crashed the app)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(pane)
        if pane == "3":
            app.query_one("#pane-objectives", ObjectivesPane).select_key(o1(db_path).id)
        await pilot.pause()
        for _ in range(2):  # as a terminal sends them: no wait between
            send(app, events.Key(key, None if key == "enter" else key))
        await pilot.pause(0.3)
        assert isinstance(app.screen, screen)
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.week_screen
    assert [o.code for o in stored(db_path).objectives] == ["O1", "O2", "O3"]

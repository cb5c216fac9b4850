"""The Chinese UI speaks Chinese everywhere, Textual's own words included: the `?` table,
the palette's "no matches", ctrl+c's quit hint, and every message the input rules give a
form (beside the field's Chinese label)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from textual.widgets import DataTable, Input, Static

from weekly_zhoubao.store import dates, inputs
from tests.tui.helpers import notifications
from weekly_zhoubao.store.messages import set_language
from weekly_zhoubao.tui.messages import form_error

pytestmark = pytest.mark.usefixtures("demo_store")  # the demo's weeks (tui/demo.py)

HAN = re.compile(r"[\u4e00-\u9fff]")
TODAY = date(2023, 10, 13)
NOW = datetime(2023, 10, 13, 15, 37)


def _refusal(call) -> inputs.InputError:
    with pytest.raises(inputs.InputError) as caught:
        call()
    return caught.value


BAD_INPUT = [
    lambda: dates.parse_day("someday", TODAY, TODAY),
    lambda: dates.parse_day("2/30", TODAY, TODAY),
    lambda: dates.parse_day("2023-02-30", TODAY, TODAY),
    lambda: dates.parse_when("25:99", NOW, TODAY),
    lambda: dates.parse_when("later", NOW, TODAY),
    lambda: inputs.parse_grade("E"),
    lambda: inputs.parse_duration("a while"),
    lambda: inputs.parse_duration("99999999"),
    lambda: inputs.parse_kind("color"),
    lambda: inputs.parse_progress("150"),
    lambda: inputs.parse_progress("lots"),
    lambda: inputs.parse_status("whenever"),
    lambda: inputs.new_metric({"name": "", "group": "", "value": "1", "target": "", "better": "y",
                               "kind": "number", "unit": ""}),
    lambda: inputs.new_metric({"name": "x", "group": "", "value": "1", "target": "", "better": "maybe",
                               "kind": "number", "unit": ""}),
    lambda: inputs.new_metric({"name": "x", "group": "", "value": "1", "target": "many", "better": "y",
                               "kind": "number", "unit": ""}),
    lambda: inputs.new_incident({"summary": "", "when": "15:37", "grade": "", "impact": "", "duration": "",
                                 "resolution": ""}, NOW, TODAY),
    lambda: inputs.new_item({"name": "", "text": "", "progress": "", "due": "", "status": ""}, TODAY, TODAY),
    lambda: inputs.new_incident({"summary": "x", "when": "15:37", "status": "closed"}, NOW, TODAY),
]


@pytest.mark.parametrize("call", BAD_INPUT)
def test_every_input_message_has_a_chinese_form(call):
    set_language("zh")  # as the zh app and a zh store's shell do
    error = _refusal(call)
    line = form_error(error.field, error.message, {}, "zh")
    assert HAN.search(line), f"{error.message!r} is not in Chinese: {line!r}"
    set_language("en")
    english = _refusal(call)
    assert not HAN.search(english.message) and form_error(english.field, english.message, {}, "en").endswith(
        english.message), "en says the rule's words"


def test_user_text_in_a_message_is_kept_as_typed():
    set_language("zh")
    assert _refusal(lambda: inputs.parse_day("[bold]x", TODAY, TODAY)).message == \
        "“[bold]x”不是日期：请写成 2023-10-13 或 10/13"
    set_language("en")
    assert _refusal(lambda: inputs.parse_day("[bold]x", TODAY, TODAY)).message == \
        "'[bold]x' is not a date: write it as 2023-10-13 or 10/13"


def test_a_field_named_in_the_message_gets_its_label():
    labels = {"code": "编号 O1", "title": "标题"}
    assert form_error("code", "title: 不能为空", labels, "zh") == "标题：不能为空"
    assert form_error("name / text", "不能都为空", {"name": "名称", "text": "内容"}, "zh") == \
        "名称 / 内容：不能都为空"


def error_line(app) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


async def test_keys_table_speaks_chinese(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert headers == ["按键", "功能", "动作 id（[keys] 用）", "位置"]
        cells = [str(table.get_row_at(n)[1]) for n in range(table.row_count)]
        assert "复制选中的文字" in cells
        assert not [c for c in cells if re.fullmatch(r"[A-Za-z ]+", c)], cells


async def test_palette_says_no_matches_in_chinese(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"qqqzzz")
        await pilot.pause(0.8)  # Textual waits half a second before it says so
        await pilot.pause()
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(n).prompt.renderable) for n in range(options.option_count)]
        assert any("没有匹配的命令" in s for s in shown), shown
        assert not any("No matches" in s for s in shown)


async def test_ctrl_c_says_how_to_quit_in_chinese(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [(str(n.title), str(n.message)) for n in notifications(app)]
        assert ("要退出吗？", "按 q 退出") in said, said


async def test_key_work_without_a_title_in_chinese(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#editor-body").focus()
        await pilot.press(*"正文")
        assert not app.screen.flush()
        assert error_line(app) == "标题：不能为空"


@pytest.mark.parametrize("typed, said", [("someday", "“someday”不是日期"), ("2/30", "2/30 不是存在的日期")])
async def test_goto_errors_in_chinese(make_app, typed, said):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        field = app.screen.query_one("#field-day", Input)
        field.value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert said in error_line(app) and not re.search(r"is not|write it", error_line(app))


async def test_incident_grade_error_beside_its_label(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *"超时")
        app.screen.query_one("#field-grade", Input).value = "E"
        await pilot.press("enter")
        await pilot.pause()
        assert error_line(app).startswith("级别：“E”：填 A、B、C 或 D")


async def test_english_ui_keeps_english(make_app):
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        headers = [str(column.label) for column in app.screen.query_one(DataTable).columns.values()]
        assert headers == ["key", "action", "action id (for [keys])", "where"]

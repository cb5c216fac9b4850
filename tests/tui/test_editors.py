"""The text editors as people type (issue #16): outlines keep their indentation on Enter and
continue their lists, list editors take a typed `1. ` as the list's own marker, any day's
daily note, key-work titles at 80 columns, and Textual's own strings in Chinese. Pilot, fixed
size and clock, store path passed in; asserts on the store, the exported Markdown and the
screen."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Static, TextArea

from weekly_zhoubao.exporters.markdown import render
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import KeyWorkItem, ListEntry, Week
from tests.conftest import SAMPLE, SAMPLE_MONDAY, TODAY
from weekly_zhoubao.tui.editor import EditorScreen
from tests.tui.helpers import open_list, press_text, send, settle, stored, terminal_key

def sample_section(start: str, end: str) -> str:
    """The sample's lines from the heading `start` up to (not including) the heading `end`."""
    text = SAMPLE.read_text(encoding="utf-8")
    return text[text.index(start):text.index(end)]


# The sample's key-work bodies, as a user types them: Tab once to go in, Enter for the rest
# (the indentation and the list's next number come by themselves).
KEY_WORK = [
    ("商户服务重构",
     "商户领域模型设计review，完善总体模型设计：\n\t1. 补充领域模型。子商户模型、平台产品模板、法人代表/受益人/联系人等"
     "\n产品内部细化协议及产品定义"),
    ("银行虚户前期设计",
     "正式启动银行虚户体系的设计，总体设计review及改进意见\n\t1. 银行接入：抽象接口清单、细化ICIP及其他应用交互"
     "\n银行开户：商户要素以商户主数据为准，根据不同银行要求完成适配；隐私和授权协议待沟通\n账户交易：增加流水查询用例；完善资金提现处理流程。"),
    ("银行账户合作沟通",
     "内容：\n\t\n本周出差新网银行、平安银行，沟通银行账户合作，匹配业务场景，银行合规限制等。\n\n"
     "目标：希望通过引入银行账户能力，优化对公支付和沉淀收益。\n\n- 母子账户模型\n开户：企业要素字段、审核流程、开户意愿确认方式等"
     "\n入金/出金：ACS出入金、企业网银转账，子账户户名要求等"),
]


async def test_key_work_outlines_typed_with_enter_export_byte_for_byte(make_app, db_path):
    app = make_app()
    extra = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for title, typed in KEY_WORK:
            await pilot.press("1", "a")
            assert isinstance(app.screen, EditorScreen)
            await press_text(pilot, title)
            await pilot.press("enter")  # to the body
            extra += await press_text(pilot, typed) + 3  # a, enter, escape
            await pilot.press("escape")
            await settle(pilot)
        week = stored(db_path)
        assert [k.title for k in week.key_work] == [t for t, _ in KEY_WORK]
        assert week.key_work[2].body.split("\n")[1] == "    "  # whitespace-only lines, as the sample has
        report = render(week)
        assert sample_section("## 【重点工作】", "## 【系统运行数据】") in report
    # 3 items, 17 body lines: the keys beyond the words are Enter for each new line, one Tab
    # to go into each outline and a, Enter, Esc an item; no marker or indentation is retyped
    assert extra == 25


async def test_enter_keeps_indentation_and_on_an_empty_nested_item_goes_a_level_out_with_a_marker(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1", "a")
        await press_text(pilot, "大纲\n")
        area = app.screen.query_one("#editor-body", TextArea)
        await press_text(pilot, "段落\n\t1. 一\n二\n\t甲\n乙\n\n")
        # Tab on the empty `3. ` began a list a level in; Enter on its empty `3. ` went a level
        # out, on to the list there
        assert area.text.split("\n")[-1] == "    3. "
        await press_text(pilot, "三\n\n")
        assert area.text.split("\n")[-1] == "1. "  # a paragraph above, no list: one of its own
        await press_text(pilot, "四\n\n")
        assert area.text.split("\n")[-1] == "", "the top level: an empty item ends the list"
        typed = "段落\n    1. 一\n    2. 二\n        1. 甲\n        2. 乙\n    3. 三\n1. 四\n"
        assert area.text == typed
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db_path).key_work[0].body == typed


async def test_shift_tab_on_an_unindented_line_goes_back_to_the_title(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1", "a")
        await press_text(pilot, "标题\n正文⇤")
        assert app.focused.id == "editor-title"


async def test_list_editors_take_a_typed_number_as_the_lists_marker(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_list(pilot, "other")
        await press_text(pilot, "1. 支付中心Q3述职\n数据架构规划review")  # Enter wrote the `2. `
        await pilot.press("escape")
        await open_list(pilot, "next_week")
        await press_text(pilot, "1. 商户升级、银行虚户设计和研发计划\n稳定性4项目推进思路和计划review\nADC述职和沟通")
        await pilot.press("escape")
        await settle(pilot)
        week = stored(db_path)
        assert [e.text for e in week.other] == ["支付中心Q3述职", "数据架构规划review"]
        assert [e.text for e in week.next_week] == ["商户升级、银行虚户设计和研发计划", "稳定性4项目推进思路和计划review",
                                                    "ADC述职和沟通"]
        report = render(week)
        assert sample_section("## 【其他】", "## 收获与反思") in report
        assert sample_section("# 下周工作及目标", "# 日报合集") in report
        assert "1\\." not in report
        # opened again, the list reads as the report does
        area = await open_list(pilot, "other")
        assert area.text == "1. 支付中心Q3述职\n2. 数据架构规划review"


async def test_list_entries_keep_words_that_only_look_like_markers(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_list(pilot, "other")
        # Enter continues `1、` with `2、`: a second Enter on the empty item ends that list
        await press_text(pilot, "2023年Q4规划\n1、评审\n\n- 复盘\n\n1.5倍扩容\n10、20、30个节点\n1. 1. 原文")
        await pilot.press("escape")
        await settle(pilot)
        assert [e.text for e in stored(db_path).other] == ["2023年Q4规划", "评审", "复盘", "1.5倍扩容", "10、20、30个节点",
                                                           "1. 原文"]


async def test_a_list_editors_own_save_never_takes_back_what_is_being_typed(make_app, db_path):
    """The store keeps a list without blank lines or trailing spaces; the editor must not get
    that back as a change made elsewhere (it ate the Enter just typed, and the space)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        area = await open_list(pilot, "other")
        await press_text(pilot, "abc\n")
        await pilot.pause(EditorScreen.DEBOUNCE + 0.1)
        await settle(pilot)
        assert [e.text for e in stored(db_path).other] == ["abc"]
        assert area.text == "abc\n" and area.cursor_location == (1, 0)
        await press_text(pilot, "def ")
        await pilot.pause(EditorScreen.DEBOUNCE + 0.1)
        await settle(pilot)
        await press_text(pilot, "x")
        assert area.text == "abc\ndef x"
        await pilot.press("escape")
        await settle(pilot)
        assert [e.text for e in stored(db_path).other] == ["abc", "def x"]


@pytest.mark.parametrize("line, stays, starts", [
    ("1. a", "1. a", "2. "), ("    9) b", "    9) b", "    10) "), ("- x", "- x", "- "), ("1、支付", "1、支付", "2、"),
    ("    ", "    ", "    "), ("段落", "段落", ""), ("2023年总结", "2023年总结", ""), ("1.5倍", "1.5倍", ""),
    ("    2. ", "1. ", None), ("        - ", "    - ", None), ("- ", "", None),
])
def test_what_enter_does_at_the_end_of_a_line(line, stays, starts):
    from weekly_zhoubao.store import outline

    assert outline.enter(line) == (stays, starts)


@pytest.mark.parametrize("above, line, stays", [
    (["- 账单数据质量治理", "    1. 账单验证环境搭建完成；"], "    2. ", "- "),
    (["1. 支付链路", "    - 测试用例", "    - 测试进度"], "    - ", "2. "),
    (["- a", "    1. b", "        - c"], "        - ", "    2. "),
    (["段落", "    1. b"], "    2. ", "1. "),  # no list a level out: its own marker there
])
def test_enter_on_an_empty_nested_item_goes_a_level_out_and_keeps_a_marker(above, line, stays):
    from weekly_zhoubao.store import outline

    assert outline.enter(line, above) == (stays, None)


@given(st.lists(st.text(alphabet="12.、- a年\t", min_size=1, max_size=8).map(str.strip).filter(bool), max_size=5))
def test_a_list_shown_in_its_editor_reads_back_as_the_same_entries(texts):
    from weekly_zhoubao.store import outline

    texts = [t.replace("\t", " ") for t in texts]
    texts = [t for t in texts if t.strip() == t and t]
    assert outline.list_items(outline.list_text(texts)) == texts


def test_list_text_and_entries_read_each_other_back():
    from weekly_zhoubao.store import ops

    entries = [ListEntry(text=t) for t in ("1. 原文", "2023年", "a\n  continued", "- dash")]
    text = ops.list_text(entries)
    assert text.split("\n")[0] == "1. 1. 原文"
    assert [e.text for e in ops.list_entries(text, entries)] == [e.text for e in entries]
    assert [e.id for e in ops.list_entries(text, entries)] == [e.id for e in entries]


async def note_for(pilot, typed: str):
    """`N`, the day typed over the prefilled one, Enter."""
    from weekly_zhoubao.tui.forms import FormScreen

    await pilot.press("N")
    form = pilot.app.screen
    assert isinstance(form, FormScreen) and form.id == "note-day-form"
    field = form.query_one("#field-day", Input)
    field.value = ""
    await press_text(pilot, typed)
    await pilot.pause()
    return form


@pytest.mark.parametrize("typed", ["10/12", "周四", "thu", "2023-10-12", "2023/10/12 周四"])
async def test_any_days_note_of_the_week_on_screen(make_app, db_path, typed):
    app = make_app(start=date(2023, 10, 13))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket", "right_square_bracket")  # a past week, back on screen
        form = await note_for(pilot, typed)
        assert "2023/10/12 周四" in str(form.query_one("#form-understood", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and "2023/10/12 周四" in app.screen.heading
        await press_text(pilot, "和银行沟通开户流程")
        await pilot.press("escape")
        await settle(pilot)
        week = stored(db_path)
        assert [(n.day, n.text) for n in week.daily_notes] == [(date(2023, 10, 12), "和银行沟通开户流程")]
        assert "[2023/10/12 周四](" in render(week)


async def test_a_day_outside_the_week_on_screen_is_refused_in_the_form(make_app, db_path):
    from weekly_zhoubao.tui.forms import FormScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await note_for(pilot, "10/20")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form and isinstance(form, FormScreen)
        assert "2023-10-20 不在本周（10/09–10/15）" in str(form.query_one("#form-error", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.week_screen and app.week_screen.week.daily_notes == []
        assert stored(db_path) is None  # nothing was written


async def test_n_still_opens_todays_note_at_once_and_a_in_pane_5_asks_the_day(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, EditorScreen) and "2023/10/13 周五" in app.screen.heading
        await pilot.press("escape")
        await pilot.press("5", "a")
        assert app.screen.id == "note-day-form"
        assert app.screen.query_one("#field-day", Input).value == "10/13"  # the default day, one Enter away
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and "2023/10/13 周五" in app.screen.heading


def screen_lines(app) -> list[str]:
    """The screen as text, line by line (a wide character once)."""
    return ["".join(seg.text for seg in strip if not seg.control) for strip in app.screen._compositor.render_strips()]


LONG_TITLE = "银行账户合作沟通与母子账户模型设计评审"  # 38 cells: more than the column's 18


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_key_work_titles_take_the_width_of_the_tab(make_app, db_path, size):
    WeekStore(db_path).put(Week(monday=SAMPLE_MONDAY, key_work=[
        KeyWorkItem(title=LONG_TITLE, body="本周出差新网银行、平安银行，沟通银行账户合作"),
        KeyWorkItem(title="短标题", body="正文")]))
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert app.week_screen.tabbed
        text = "\n".join(screen_lines(app))
        assert LONG_TITLE in text and "本周出差新网银行" in text
        # and a body is still there at once beside a short title
        assert any("短标题" in line and "正文" in line for line in screen_lines(app))


async def test_side_by_side_a_long_title_takes_the_room_the_pane_has_and_the_body_keeps_its_own(make_app, db_path):
    WeekStore(db_path).put(Week(monday=SAMPLE_MONDAY, key_work=[KeyWorkItem(title=LONG_TITLE, body="正文")]))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        from weekly_zhoubao.tui.panes import KeyWorkPane

        pane = app.query_one(KeyWorkPane)
        title, body = pane._widths()
        assert not app.week_screen.tabbed and title > 18 and body == 22, (title, body)


CJK = re.compile(r"[\u4e00-\u9fff]")


def untranslated(app) -> list[str]:
    """Names the palette and `?` would give the keys of the app and the screen on top, in zh,
    that hold no Chinese (Textual's own English, or an id never translated)."""
    from weekly_zhoubao.tui.keybar import name_of
    from weekly_zhoubao.tui.palette import described

    return [name_of(b, "zh") for node in (app, app.screen) for b in described(node) if not CJK.search(name_of(b, "zh"))]


def key_bar(app) -> str:
    from weekly_zhoubao.tui.keybar import KeyBar

    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_review_screen_speaks_chinese_in_its_key_bar_and_palette(make_app, db_path, size):
    from textual.widgets import Footer

    from weekly_zhoubao.tui.review_screen import ReviewScreen

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and not app.screen.query(Footer)
        bar = key_bar(app)
        assert "上一期/下一期" in bar and "返回" in bar and "退出" in bar and "? 按键" in bar
        assert bar.count("^p") == 1 and not re.search(r"keys|quit|palette|prev|next|close", bar)
        assert untranslated(app) == []


async def test_editors_forms_and_dialogs_name_their_keys_in_chinese(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert untranslated(app) == []
        await pilot.press("n")
        assert isinstance(app.screen, EditorScreen) and untranslated(app) == []
        await pilot.press("escape", "N")
        assert app.screen.id == "note-day-form" and untranslated(app) == []


async def test_the_team_screen_names_its_keys_in_chinese(tmp_path):
    from textual.app import App

    from weekly_zhoubao.tui.team_screen import TeamScreen

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(TeamScreen(tmp_path / "no-team", TODAY, lambda monday, change: True, "zh"))

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = key_bar(app)
        assert "p 拉入本周" in bar and "[] 上周/下周" in bar and "esc 返回" in bar
        assert untranslated(app) == []


async def test_quitting_with_the_day_form_open_asks_nothing_and_opens_nothing(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await note_for(pilot, "10/2")  # not in the week: nothing to keep either way
        assert app._typed_but_unsaved() == []
        app.screen.query_one("#field-day", Input).value = "周四"
        assert app._typed_but_unsaved() == []
        await pilot.pause()
        assert app.screen.id == "note-day-form"  # no editor was opened behind the question


async def test_a_marker_typed_over_the_one_enter_wrote_is_not_doubled(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        area = await open_list(pilot, "other")
        await press_text(pilot, "1. 支付中心Q3述职\n2. 数据架构规划review\n- 复盘")  # markers typed out of habit
        assert area.text == "1. 支付中心Q3述职\n2. 数据架构规划review\n- 复盘"
        await pilot.press("escape")
        await settle(pilot)
        week = stored(db_path)
        assert [e.text for e in week.other] == ["支付中心Q3述职", "数据架构规划review", "复盘"]
        assert "1. 支付中心Q3述职\n2. 数据架构规划review\n3. 复盘\n" in render(week)


def test_a_yearless_note_day_is_read_in_the_week_on_screen_across_new_year():
    from weekly_zhoubao.store.dates import parse_note_day
    from weekly_zhoubao.store.errors import InputError

    monday, friday, today = date(2024, 12, 30), date(2025, 1, 3), date(2026, 11, 27)
    assert parse_note_day("12/31", today, monday, friday) == date(2024, 12, 31)
    assert parse_note_day("1/2", today, monday, friday) == date(2025, 1, 2)
    assert parse_note_day("周日", today, monday, friday) == date(2025, 1, 5)
    with pytest.raises(InputError, match="not in this week"):
        parse_note_day("1/6", today, monday, friday)


async def test_a_poll_while_an_editor_is_not_yet_composed_changes_nothing(make_app):
    """The 1 s poll merges stored text into every open editor; one just pushed (its body not
    there yet) is left for the next poll instead of failing the app."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        draft = app.week_screen.session.draft(("note", TODAY))
        editor = EditorScreen("日报", "", "zh", lambda title, body: None, draft=draft)
        editor.merge_in()  # not mounted: nothing to merge into
        assert editor.unsaved() is None  # and nothing typed to keep (quitting at that moment)
        await app.push_screen(editor)
        editor.merge_in()
        assert editor.query_one("#editor-body", TextArea).text == ""


async def test_a_list_form_section_takes_a_typed_number_and_continues_it(make_app, db_path):
    from weekly_zhoubao.store.models import Section

    WeekStore(db_path).put(Week(monday=SAMPLE_MONDAY, sections=[Section(id="s1", key="risks", title="问题与风险",
                                                                        form="list")]))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        area = await open_list(pilot, "section:s1")
        assert "1. 或 -" in str(app.screen.query_one(".dialog-keys", Static).render())  # the hint says how
        await press_text(pilot, "1. 银行虚户合规待确认\n母子账户户名规则未定")
        assert area.text == "1. 银行虚户合规待确认\n2. 母子账户户名规则未定"
        await pilot.press("escape")
        await settle(pilot)
        assert "## 问题与风险\n\n1. 银行虚户合规待确认\n2. 母子账户户名规则未定\n" in render(stored(db_path))

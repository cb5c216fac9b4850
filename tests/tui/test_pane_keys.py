"""Keys in the panes: pane 5's `d` asks before emptying a text that
holds something, `R` on a template section says why nothing happens, `c` twice gives siblings,
the palette names each pane, the go-to form says Enter goes, the export status fits 80 columns.
Pilot, fixed size and clock, store path passed in."""

from __future__ import annotations

from textual.widgets import Static

from weekly_zhoubao.store import ops

from weekly_zhoubao.tui.forms import ConfirmScreen
from weekly_zhoubao.tui.panes import NotesPane
from tests.tui.helpers import notices, painted, settle, stored


async def test_emptying_other_asks_first_and_undo_restores(store, make_app, db_path):
    before = stored(db_path)
    assert before.other and before.reflections
    app = make_app(lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        assert app.screen.query_one(NotesPane).selected() == "other"
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        heading = str(app.screen.query_one(".dialog-title", Static).render())
        assert heading == f"清空【其他】的 {len(before.other)} 条内容？"
        assert before.other[0].text.split()[0] in str(app.screen.query(Static)[1].render())
        await pilot.press("escape")
        await settle(pilot)
        assert stored(db_path).other == before.other  # nothing changed
        await pilot.press("d", "enter")
        await settle(pilot)
        assert stored(db_path).other == []
        await pilot.press("d")  # empty now: nothing to ask about, nothing to lose
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [e.text for e in stored(db_path).other] == [e.text for e in before.other]

        await pilot.press("down", "d")  # 收获与反思: asked too
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one(".dialog-title", Static).render()) == "清空收获与反思的内容？"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(db_path).reflections == ""


async def test_rename_of_a_template_section_says_why(store, make_app, db_path):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("5", "R")
        await settle(pilot)
        assert app.screen is app.week_screen
        assert "Only your own sections can be renamed (A adds one)" in notices(app)


async def test_two_sub_items_in_a_row_are_siblings_under_the_named_parent(store, make_app, db_path):
    from textual.widgets import Input

    from weekly_zhoubao.tui.forms import FormScreen
    from weekly_zhoubao.tui.panes import ObjectivesPane

    app = make_app(lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        pane = app.screen.query_one(ObjectivesPane)
        parent = next(i for o in stored(db_path).objectives for i in o.items if i.name == "账单数据质量治理")
        pane.select_key(parent.id)
        await pilot.pause()
        for name in ("第一个子项", "第二个子项"):
            await pilot.press("c")
            assert isinstance(app.screen, FormScreen)
            assert str(app.screen.query_one(".dialog-title", Static).render()) == "子项 · 账单数据质量治理"
            app.screen.query_one("#field-name", Input).value = name
            await pilot.press("enter")
            await settle(pilot)
            assert ops.find(app.week_screen.week, pane.selected()).name == name  # the cursor on the new one
        after = next(i for o in stored(db_path).objectives for i in o.items if i.id == parent.id)
        names = [c.name for c in after.children]
        assert names[-2:] == ["第一个子项", "第二个子项"]
        assert all(not c.children for c in after.children)  # siblings, none nested in another
        first = after.children[-2]
        pane.select_key(first.id)  # `c` on an item `c` did not just add: nested under it
        await pilot.pause()
        await pilot.press("c")
        assert str(app.screen.query_one(".dialog-title", Static).render()) == "子项 · 第一个子项"
        app.screen.query_one("#field-name", Input).value = "孙项"
        await pilot.press("enter")
        await settle(pilot)
        assert [c.name for c in ops.find(stored(db_path), first.id).children] == ["孙项"]


async def test_palette_names_each_pane_and_goes_there(store, make_app):
    from weekly_zhoubao.tui.palette import WeeklyCommands

    for lang, first, typed in (("zh", "切换到窗格 1 重点工作", "切换到窗格 4"), ("en", "Go to pane 1 Key work", "go to pane 4")):
        app = make_app(lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            names = [name for name, _, _ in WeeklyCommands(app.screen)._commands()]
            panes = [name for name in names if name.startswith(first[:first.index("1")])]
            assert len(panes) == len(set(panes)) == 6 and panes[0] == first
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*typed)
            await pilot.pause(0.5)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is app.week_screen and app.screen.focused.id == "pane-incidents"


async def test_goto_form_says_enter_goes(store, make_app):
    for lang, keys in (("zh", "Enter 跳转 · Esc 取消"), ("en", "Enter go · Esc cancels")):
        app = make_app(lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("g")
            assert str(app.screen.query_one(".dialog-keys", Static).render()) == keys
            await pilot.press("escape", "5", "a")  # another form still says it saves
            await settle(pilot)
            assert str(app.screen.query_one(".dialog-keys", Static).render()) != keys


async def test_export_status_leaves_the_weeks_dates_whole_at_80_columns(store, make_app):
    for lang, said in (("zh", "已导出 第42周 2023-10-13.md"), ("en", "exported ")):
        app = make_app(lang=lang)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("e")
            if isinstance(app.screen, ConfirmScreen):  # the sample has gaps: export anyway
                await pilot.press("enter")
            await settle(pilot)
            header = painted(app, "#week-title") + painted(app, "#status")
            assert "2023-10-09 – 10-15" in header and said in header
            assert any(str(app.settings.export_dir) in n for n in notices(app))  # the whole path, there


def test_a_long_file_name_is_cut_in_the_middle_keeping_its_extension():
    from rich.cells import cell_len

    from weekly_zhoubao.tui.status import short_name

    assert short_name("第42周 2023-10-13.md", 22) == "第42周 2023-10-13.md"
    cut = short_name("第42周 2023-10-13 支付中心周报（终稿）.md", 22)
    assert cut.startswith("第42周 2023") and cut.endswith("….md") and cell_len(cut) <= 22
    assert short_name("a" * 40, 10) == "a" * 9 + "…"

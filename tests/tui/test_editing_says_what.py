"""Issue 24 point 4: editing. Enter on an empty nested outline item goes a level out and
keeps a marker; editors open with the cursor at the end; the messages after `d` and
`ctrl+z` name what was deleted or undone, and `d`'s says which key brings it back."""

from __future__ import annotations

from textual.widgets import TextArea

from weekly_zhoubao.tui.editor import EditorScreen

from tests.tui.helpers import settle, status, stored
from tests.tui.helpers import open_list, press_text


def toasts(app) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_enter_on_an_empty_nested_item_goes_a_level_out_with_a_marker(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        area = await open_list(pilot, "next_week")
        area.move_cursor(area.document.end)
        await press_text(pilot, "\n\t开户\n\n入金")
        assert area.text.split("\n")[-2:] == ["    1. 开户", "4. 入金"], area.text


async def test_editors_open_with_the_cursor_at_the_end(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "enter")  # a key work item's body
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        body = app.screen.query_one("#editor-body", TextArea)
        assert body.text and body.cursor_location == body.document.end
        await pilot.press("escape")
        await settle(pilot)
        area = await open_list(pilot, "other")
        await settle(pilot)
        assert area.text and area.cursor_location == area.document.end


async def test_d_and_ctrl_z_name_what_went_and_came_back(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("1", "d")
        await settle(pilot)
        assert [k.title for k in stored(db_path).key_work][0] == "银行虚户前期设计"
        assert toasts(app) == ["已删除「商户服务重构」· ^z 恢复"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [k.title for k in stored(db_path).key_work][0] == "商户服务重构"
        assert status(app).strip() == "已撤销：「商户服务重构」回来了"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert status(app).strip() == "已重做：「商户服务重构」又删除了"


async def test_after_rebinding_undo_d_names_the_key_it_has_now(store, make_app):
    app = make_app(lang="en", keys={"undo": "u"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4", "d")
        await settle(pilot)
        said = toasts(app)
        assert len(said) == 1 and said[0].startswith("deleted “") and said[0].endswith("” · u brings it back")

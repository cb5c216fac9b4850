"""Issue 24 point 3: help that tells the truth. `?` lists the keys of the screen on top as
they are bound now (after the config's `[keys]`), each with its action's id, and what the
panes' icons mean; End keeps the key column in view; every footer keeps its pane's keys at
80 columns."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from weekly_zhoubao.tui.forms import FormScreen, KeysScreen
from weekly_zhoubao.tui.keybar import KeyBar

from tests.tui.helpers import settle


def listed(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def test_keys_on_the_week_as_rebound_with_their_ids_and_the_icons(store, make_app):
    app = make_app(lang="en", keys={"log_incident": "ctrl+l"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        rows = listed(app)
        assert ("^l", "Log incident", "log_incident", "") in rows
        assert not any(key == "i" and action == "Log incident" for key, action, *_ in rows), "the key it had"
        assert ("v", "Preview full screen / back", "toggle_preview", "") in rows
        assert ("a", "Add", "add", "1 Key work") in rows
        for glyph, meaning in [("○", "planned"), ("◐", "in progress"), ("●", "done"), ("▲", "at risk"),
                               ("■", "blocked")]:
            assert (glyph, meaning, "", "icons") in rows


async def test_keys_on_the_review_are_the_reviews(store, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        ids = {row[2] for row in listed(app)}
        assert {"review_prev", "review_next", "review_export", "review_close"} <= ids
        assert not ids & {"log_incident", "prev_week", "this_week", "add"}, "the week's keys are not the review's"


async def test_f1_in_a_form_lists_the_forms_keys(store, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        rows = listed(app)
        assert ("esc", "取消", "form_cancel", "") in rows and any(row[2] == "next_field" for row in rows)
        assert not any(row[2] in ("add", "prev_week") for row in rows)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen), "back in the form, its text kept"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_end_in_the_keys_goes_to_the_last_row_with_the_key_column_in_view(store, make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor_row == 0 and table.scroll_x == 0


def footer(app) -> str:
    return app.query_one(KeyBar).render().plain


async def test_at_80_columns_every_footer_keeps_its_panes_keys(store, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        own = {"1": ["a 添加", "⏎ 编辑", "d 删除", "⇧↑⇧↓ 移动"], "2": ["a 添加", "⏎ 编辑", "d 删除", "⇧↑⇧↓ 移动"],
               "3": ["a 添加", "c 子项", "o 新目标"], "4": ["a 添加", "⏎ 编辑", "d 删除"],
               "5": ["a 添加", "⏎ 编辑", "d 删除", "n 日报"]}
        for pane, keys in own.items():
            await pilot.press(pane)
            await settle(pilot)
            line = footer(app)
            assert all(key in line for key in keys), (pane, line)
            assert line.endswith("q 退出 ^p 命令"), "the app's own stay too"


def test_keys_are_shown_as_textual_shows_them_without_looking_up_unicode_names():
    """The footer's keys come from a table (Textual's lookup pages in 0.8 MB of Unicode name
    tables); for every punctuation key, every named key and every key with modifiers it
    gives what Textual gives, ⇧ for shift aside."""
    import string

    from textual.app import App
    from textual.binding import Binding
    from textual.keys import Keys, _character_to_key

    from weekly_zhoubao.tui.app import WeeklyApp
    from weekly_zhoubao.tui.keybar import PUNCTUATION_KEYS

    assert set(PUNCTUATION_KEYS) == {_character_to_key(c) for c in string.punctuation}
    textual = App()
    keys = [*PUNCTUATION_KEYS, *(k.value for k in Keys), *string.ascii_letters, *string.digits, "支", "f12"]
    for key in keys:
        for combo in (key, f"ctrl+{key}", f"shift+{key}", f"ctrl+shift+{key}", f"alt+{key}"):
            binding = Binding(combo, "noop")
            assert WeeklyApp.get_key_display(textual, binding) == \
                textual.get_key_display(binding).replace("shift+", "⇧"), combo


def test_the_character_of_a_key_is_textuals_without_looking_up_unicode_names():
    import string

    from textual.keys import Keys, _character_to_key, key_to_character

    from weekly_zhoubao.tui.keybar import key_character

    names = [_character_to_key(c) for c in string.punctuation] + [k.value for k in Keys]
    for name in [*names, *string.ascii_letters, "支", "ctrl+a", "shift+tab", "alt+question_mark", "f13"]:
        assert key_character(name) == key_to_character(name), name

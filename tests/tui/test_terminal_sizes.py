"""The week screen from 80×24 up, driven by the Pilot: one pane at a time under tabs on a
small terminal, the footer's `?` and `q` at every width, forms whose every field and key
hint is on screen, and a preview that reads as the report (markers beside their text,
no Markdown stars, the theme's own background)."""

from __future__ import annotations


import pytest
from textual.widgets import Input

from weekly_zhoubao.tui.keybar import KeyBar
from weekly_zhoubao.tui.panes import PreviewView
from weekly_zhoubao.tui.screens.tabs import NAMES, PaneTabs

pytestmark = pytest.mark.usefixtures("demo_store")  # the demo's weeks (tui/demo.py)

PANES = [f"#pane-{name}" for name in NAMES]


def shown(app) -> list[str]:
    """The panes on screen (laid out with a size)."""
    return [name for name in NAMES if app.screen.query_one(f"#pane-{name}").region.area]


def footer(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_small_terminal_shows_one_pane_under_tabs(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(PaneTabs).region.height == 1
        assert shown(app) == ["key_work"]
        assert app.screen.query_one("#pane-key_work").region.width == 80, "the pane takes the whole width"
        await pilot.press("6")  # the preview, one key away
        await pilot.pause()
        assert shown(app) == ["preview"] and app.focused.id == "pane-preview"
        assert app.screen.query_one(PaneTabs).current == "preview"
        await pilot.press("tab")  # tab steps through the panes, round
        await pilot.pause()
        assert shown(app) == ["key_work"]
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert shown(app) == ["objectives"] and app.focused.id == "pane-objectives"
        await pilot.press("shift+tab")
        await pilot.pause()
        assert shown(app) == ["metrics"]
        await pilot.click(PaneTabs, offset=(40, 0))  # a tab is a click away too
        await pilot.pause()
        assert len(shown(app)) == 1 and app.focused.id == f"pane-{shown(app)[0]}" != "pane-metrics"


async def test_wide_terminal_shows_every_pane_and_resizing_switches(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert shown(app) == NAMES and not app.screen.query_one(PaneTabs).region.area
        await pilot.press("tab")  # the usual focus step when all are shown
        await pilot.pause()
        assert shown(app) == NAMES
        await pilot.press("3")
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert shown(app) == ["objectives"], "the pane with focus stays on screen"
        await pilot.resize_terminal(120, 24)  # wide but short: tabs as well
        await pilot.pause()
        assert shown(app) == ["objectives"]
        await pilot.resize_terminal(140, 44)
        await pilot.pause()
        assert shown(app) == NAMES


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 100, 120, 160])
async def test_footer_keeps_keys_and_quit_in_view(make_app, lang, width):
    app = make_app(lang)
    async with app.run_test(size=(width, 24)) as pilot:
        for pane in ("1", "3", "6"):
            await pilot.press(pane)
            await pilot.pause()
            line = footer(app)
            assert len(line) <= width
            for key in ("? ", "q ", "^p "):
                assert key in line, f"{key!r} missing at {width} columns: {line}"
        assert "a " in footer(app) or pane == "6"


@pytest.mark.parametrize("keys, last", [(["i"], "field-status"), (["2", "a"], "field-unit"),
                                        (["3", "down", "a"], "field-due"), (["g"], "field-day")])
async def test_forms_fit_at_80x24_with_their_keys(make_app, keys, last):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        form = app.screen
        screen_region = form.region
        for field in form.query(Input):
            assert screen_region.contains_region(field.region), f"{field.id} is cut"
        assert form.query(Input).last().id == last
        hints = form.query_one(".dialog-keys")
        assert hints.region.height and screen_region.contains_region(hints.region)
        assert "Enter" in str(hints.render())


async def test_editor_fits_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        dialog = editor.query_one(".dialog")
        assert editor.region.contains_region(dialog.region)
        hints = editor.query(".dialog-keys").last()
        assert hints.region.height and editor.region.contains_region(hints.region)


def preview_lines(app) -> list[str]:
    view = app.screen.query_one(PreviewView)
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_preview_reads_as_the_report(make_app, lang):
    app = make_app(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = [line.rstrip() for line in preview_lines(app)]
        text = "\n".join(lines)
        assert "**" not in text
        title = "【商户服务重构】" if lang == "zh" else "商户服务重构"
        assert any(line.lstrip().startswith(f"• {title}") for line in lines), text
        numbered = next(n for n, line in enumerate(lines) if line.lstrip().startswith("1. 补充领域模型"))
        marker_column = lines[numbered].index("1.")
        text_column = marker_column + 3
        # wrapped: the next line continues under the text, not under the marker
        follow = lines[numbered + 1]
        assert follow[:text_column].strip() == "" and follow[text_column] != " ", text
        for line in lines:
            assert line.strip() not in ("•", "1.", "2.", "3."), "a marker alone on its line"


async def test_light_preview_has_no_dark_strips(make_app):
    app = make_app("en", theme="light")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(PreviewView)
        background = view.rich_style.bgcolor
        for y in range(5):
            for segment in view.render_line(y):
                assert segment.style is not None and segment.style.bgcolor == background, (y, segment)


async def test_a_resize_under_a_dialog_lays_the_week_out_when_it_closes(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert shown(app) == ["key_work"]
        await pilot.press("g")
        await pilot.pause()
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert shown(app) == NAMES


@pytest.mark.parametrize("rows", [32, 36, 40])
async def test_side_by_side_on_few_rows_every_pane_keeps_its_rows(make_app, rows):
    app = make_app()
    async with app.run_test(size=(120, rows)) as pilot:
        await pilot.press("i")  # a busier week: more incidents than the first column has room for
        for n in range(6):
            await pilot.press(*f"事件{n}", "enter")
            await pilot.pause()
            await pilot.press("i")
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.week_screen.week.incidents) >= 11
        assert shown(app) == NAMES
        main = app.screen.query_one("#main").region
        for name in NAMES:
            pane = app.screen.query_one(f"#pane-{name}")
            assert main.contains_region(pane.region), name
        assert app.screen.query_one("#pane-notes").region.height >= 5


@pytest.mark.parametrize("width", [12, 20, 26, 40])
def test_wrapping_keeps_every_character_within_the_width(width):
    from rich.text import Text

    from weekly_zhoubao.tui.panes.preview import styled_line, wrap_line

    for line in ["    1. 补充领域模型。子商户模型、平台产品模板、法人代表/受益人/联系人等",
                 "- **Merchant service** rebuilt: the domain model reviewed, then refined，完善总体模型设计。",
                 "- 10/13 09:25 监控发现sre切换到新的负载均衡，没有白名单列表",
                 "averyveryverylongwordwithoutanyspaceatallthatmustbecut"]:
        text, hang = styled_line(line)
        parts = wrap_line(text, width, hang)
        assert all(part.cell_len <= width for part in parts), [p.plain for p in parts]
        joined = "".join(part.plain for part in parts)
        assert joined.replace(" ", "") == text.plain.replace(" ", ""), "no character lost or added"
        assert not any(part.plain.strip() in ("•", "1.") for part in parts), "a marker alone on its line"
        if hang and len(parts) > 1 and hang <= width // 2:
            assert all(part.plain[:hang].strip() == "" for part in parts[1:]), "wrapped lines hang under the text"
        assert not any(part.plain.lstrip().startswith(("，", "。")) for part in parts)

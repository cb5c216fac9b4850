"""Form fields: a multi-line paste into a one-line field keeps every line;
a new section's form chosen from a list in the UI's language; an incident's detection and
status in its form; the key-work title keeps its text when it gets focus, and ↑ on the body's
first line reaches it. Pilot, fixed size, clock and store."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Label, Static

from weekly_zhoubao.exporters.markdown import incident_lines
from tests.tui.helpers import Words, notices, send, settle, stored, type_keys
from weekly_zhoubao.tui.editor import EditorScreen
from weekly_zhoubao.tui.forms import ChoiceInput, FormScreen

PASTED = "第一行标题\n第二行\n\n第三行\r\n"


async def paste(pilot, text: str) -> None:
    """A bracketed paste as the terminal sends it: to the app, which hands it to the focus."""
    send(pilot.app, events.Paste(text))
    await pilot.pause()


def field(app, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


# --- a paste of several lines keeps every line ----------------------------------------------------

async def test_a_multi_line_paste_into_the_key_work_title_keeps_every_line(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = len(stored(db_path).key_work)
        await pilot.press("1", "a")
        assert isinstance(app.screen, EditorScreen) and app.focused.id == "editor-title"
        await paste(pilot, PASTED)
        assert app.focused.value == "第一行标题 第二行 第三行"
        assert "粘贴的 3 行已用空格连成一行" in notices(app), "the user is told the lines were joined"
        await pilot.press("enter", *"正文")
        await pilot.press("escape")
        await settle(pilot)
    assert len(stored(db_path).key_work) == before + 1
    assert "第一行标题 第二行 第三行" in [k.title for k in stored(db_path).key_work]


async def test_a_multi_line_paste_into_the_incident_summary_keeps_every_line(store, make_app, db_path):
    app = make_app("en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("i")
        await paste(pilot, "gateway timeouts\n  payments slow\n")
        assert field(app, "summary").value == "gateway timeouts payments slow"
        assert "the 2 pasted lines were joined into one, by spaces" in notices(app)
        await paste(pilot, " one line")  # one line: as Textual pastes it, nothing said
        assert field(app, "summary").value == "gateway timeouts payments slow one line"
        assert len(notices(app)) == 1
        await pilot.press("enter")
        await settle(pilot)
    assert any(i.summary == "gateway timeouts payments slow one line" for i in stored(db_path).incidents)


async def test_a_paste_over_a_selection_replaces_it_with_every_line(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", *"旧", "tab")  # tab into 时间: its text is selected, as forms do
        await paste(pilot, "2023-10-10\n09:30")
        assert field(app, "when").value == "2023-10-10 09:30"
        assert field(app, "summary").value == "旧"


async def test_a_paste_drops_control_characters_and_blank_lines_around_a_line(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("i")
        await paste(pilot, "\n\x1b[200~网关\t超时\x07\n")  # a paste from a terminal that sent its own markers
        assert field(app, "summary").value == "[200~网关 超时", "what is text is kept; no control character"
        assert notices(app) == [], "one line: nothing joined"
        await pilot.press("enter")
        await settle(pilot)
    assert any(i.summary == "[200~网关 超时" for i in stored(db_path).incidents)


# --- a new section's form: a choice, in the UI's language -----------------------------------------

async def test_a_new_sections_form_is_chosen_from_a_list_in_chinese(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "A")
        assert isinstance(app.screen, FormScreen) and app.screen.id == "section-form"
        kind = field(app, "form")
        assert isinstance(kind, ChoiceInput) and kind.value == "自由文本"
        labels = " ".join(str(label.render()) for label in app.screen.query(Label))
        assert "形式" in labels and "自由文本 · 列表" in labels
        assert "markdown" not in labels and "list" not in labels, "no English in the zh UI"
        await type_keys(pilot, Words("风险"), "tab", "right")
        assert kind.value == "列表"
        await pilot.press("enter")
        await settle(pilot)
    section = stored(db_path).sections[-1]
    assert (section.title, section.form) == ("风险", "list")


async def test_a_new_sections_form_speaks_english_in_the_english_ui(store, make_app, db_path):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "A")
        assert field(app, "form").value == "free text"
        await pilot.press("enter")  # no name: said in the form, nothing added
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Asks")
        await pilot.press("enter")
        await settle(pilot)
    section = stored(db_path).sections[-1]
    assert (section.title, section.form) == ("Asks", "markdown")


async def test_a_section_without_a_name_is_refused_in_chinese(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "A", "enter")
        assert str(app.screen.query_one("#form-error", Static).render()) == "章节需要名称"


# --- an incident's detection and status ---------------------------------------------------------

async def test_an_incident_gets_its_detection_and_status_from_the_form(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        status = field(app, "status")
        assert isinstance(status, ChoiceInput) and status.value == "未解决"
        await type_keys(pilot, Words("网关超时"), *["tab"] * 5, Words("已切换备用通道"))
        assert field(app, "resolution").value == "已切换备用通道"
        assert status.value == "已解决", "a resolution means resolved, until a status is chosen"
        await type_keys(pilot, "tab", Words("监控告警"), "tab")
        assert app.focused is status
        await pilot.pause()
        fields = app.screen.query_one(".form-fields")
        assert fields.region.contains_region(status.region), "at 80×24 the fields scroll to the last"
        await type_keys(pilot, "left")
        assert status.value == "未解决"
        await pilot.press("enter")
        await settle(pilot)
    logged = next(i for i in stored(db_path).incidents if i.summary == "网关超时")
    assert (logged.detection, logged.resolution, logged.status) == ("监控告警", "已切换备用通道", "open")
    plain = logged.model_copy(update={"detection": "", "status": "resolved"})
    assert incident_lines([logged]) == incident_lines([plain]), "the report's incident line is as it was"


async def test_editing_an_incident_shows_its_detection_and_status(store, make_app, db_path):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", *"probe")
        await pilot.press("enter")
        await settle(pilot)
        logged = next(i for i in stored(db_path).incidents if i.summary == "probe")
        assert logged.status == "open"
        pane = app.query_one("#pane-incidents")
        pane.focus()
        pane.select_key(logged.id)
        await pilot.press("enter")
        assert isinstance(app.screen, FormScreen)
        assert (field(app, "detection").value, field(app, "status").value) == ("", "open")
        field(app, "detection").value = "alert"
        field(app, "status").choose("resolved")
        await pilot.press("enter")
        await settle(pilot)
    logged = next(i for i in stored(db_path).incidents if i.summary == "probe")
    assert (logged.detection, logged.status, logged.resolution) == ("alert", "resolved", "")


# --- the key-work editor's title --------------------------------------------------------------------

async def test_the_title_keeps_its_text_when_it_gets_focus_and_up_reaches_it(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        item = stored(db_path).key_work[0]
        await pilot.press("1", "enter")
        assert isinstance(app.screen, EditorScreen) and app.focused.id == "editor-body"
        keys = str(app.screen.query(".dialog-keys").last().render())
        assert "首行按 ↑ 回到标题" in keys
        app.screen.query_one("#editor-body").move_cursor((0, 0))  # it opens at the end; from the first line
        await pilot.press("shift+tab", "W")
        title = app.screen.query_one("#editor-title", Input)
        assert title.value == f"{item.title}W", "focus selects nothing: a key adds to the title"
        await pilot.press("enter")  # to the body
        assert app.focused.id == "editor-body"
        await pilot.press("down", "up", "up")  # up, up: to the first line, then the title
        assert app.focused is title and title.selection.is_empty
        assert title.cursor_position == len(title.value)
        await pilot.press("backspace", "escape")
        await settle(pilot)
    assert stored(db_path).key_work[0].title == item.title

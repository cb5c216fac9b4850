"""Pane 2 from the keyboard (issue #16): metrics in their groups, a reading added to the
group of its row, a key for a new group, moves that keep groups whole, joined readings,
stated incident counts kept apart from the log, and the derived count line put back.
Pilot at a fixed size, clock and store path; asserts on the store, the export and the pane."""

from __future__ import annotations

import re

from datetime import date, datetime

import pytest
from hypothesis import given, strategies as st
from textual.widgets import Input, Static

from weekly_zhoubao.exporters.markdown import ExportOptions, render
from weekly_zhoubao.store import counts, inputs, metric_lines
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import Incident, Metric, Week
from tests.conftest import NOW, SAMPLE, SAMPLE_MONDAY
from weekly_zhoubao.tui.forms import ChoiceInput, ConfirmScreen, FormScreen
from weekly_zhoubao.store.messages import set_language
from weekly_zhoubao.tui.panes.metrics import COUNTS_MISSING, GROUP, MetricsPane
from tests.tui.helpers import settle, stored



def pane(app) -> MetricsPane:
    return app.query_one(MetricsPane)


def rows(app) -> list[str]:
    """The pane's rows as shown: the name and value cells (and the log's counts when shown)."""
    p = pane(app)
    out = []
    for i in range(p.row_count):
        cells = [str(c).rstrip() for c in p.get_row_at(i)]
        shown = cells[:2] + ([cells[3]] if p.row_key(i) == COUNTS_MISSING or "AB" in cells[1] else [])
        out.append(" | ".join(shown).rstrip(" |"))
    return out


def put_cursor(app, text: str) -> None:
    """The cursor to the first row whose name cell holds `text`."""
    p = pane(app)
    index = next(i for i in range(p.row_count) if text in str(p.get_row_at(i)[0]))
    p.move_cursor(row=index)


async def type_form(pilot, **values) -> None:
    """Type each field's text as keys (the field emptied first with ctrl+u; a choice by its first
    letter), then Enter."""
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    for name, text in values.items():
        field = form.query_one(f"#field-{name}", Input)
        field.focus()
        if isinstance(field, ChoiceInput):  # a letter jumps to the choice it starts
            await pilot.press(text[0])
            assert field.chosen == text
            continue
        await pilot.press("end", "ctrl+u", *text)
        assert field.value == text
    await pilot.press("enter")
    await settle(pilot)


def section(markdown: str, heading: str = "## 【系统运行数据】") -> str:
    """A section of a report, its heading to the line before the next `## `."""
    lines = markdown.split("\n")
    start = lines.index(heading)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    return "\n".join(lines[start:end])


def export(app) -> str:
    return app.week_screen.report_text()


# --- the sample's section, typed on a clean store --------------------------------------------

async def test_the_sample_metrics_typed_from_the_keyboard_export_byte_for_byte(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert rows(app) == ["系统可用性：", " 事故数 | AB0 CD0"], "a new store's week: its count line, in its group"
        await pilot.press("A")  # a new group, after the selected one
        assert "新分组" in app.screen.form_title
        await type_form(pilot, group="支付成功率", name="入金有效成功率", value="99.997")
        await pilot.press("shift+up")  # the group moves, its reading with it
        await settle(pilot)
        await pilot.press("a")  # on a reading: after it, in its group
        assert "支付成功率" in app.screen.form_title
        await type_form(pilot, name="出金有效成功率", value="99.973%")
        await pilot.press("a")
        await type_form(pilot, name="一次支付成功率", value="99.206", joined="y")
        put_cursor(app, "系统可用性")
        await pilot.press("a")  # on a group's row: at the group's end
        assert "系统可用性" in app.screen.form_title
        await type_form(pilot, name="支付系统年度可用性", value="99.998 %")
        await pilot.press("shift+up")
        await settle(pilot)
        put_cursor(app, "事故数")
        await pilot.press("enter")
        assert app.screen.id == "counts-form"
        await type_form(pilot, cd="1")
        await settle(pilot)
        assert rows(app) == ["支付成功率：", " 入金有效成功率 | 99.997%", " 出金有效成功率 | 99.973%",
                             "↳一次支付成功率 | 99.206%", "系统可用性：", " 支付系统年度可用性 | 99.998%",
                             " 事故数 | AB0 CD1 ⚠ | 记录 AB0 CD0"]
    week = stored(db_path)
    assert week.stated_incident_counts == (0, 1)
    assert [m.group for m in week.metrics] == ["支付成功率"] * 3 + ["系统可用性"] * 2
    expected = section(SAMPLE.read_text(encoding="utf-8"))
    assert section(render(week)) == expected
    assert "- 出金有效成功率：99.973% ，一次支付成功率：99.206%\n" in render(week)


# --- groups ------------------------------------------------------------------------------------

async def test_groups_have_rows_and_a_adds_to_the_group_of_its_row(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert [r for r in rows(app) if r.endswith("：")] == ["支付成功率：", "系统可用性："]
        put_cursor(app, "入金有效成功率")
        await pilot.press("a")
        await type_form(pilot, name="P99 延迟", value="120", kind="number", unit="ms")
        names = [m.name for m in stored(db_path).metrics]
        assert names[:3] == ["入金有效成功率", "P99 延迟", "出金有效成功率"]
        put_cursor(app, "出金有效成功率")  # a new reading follows the readings joined to its line
        await pilot.press("a")
        await type_form(pilot, name="退款成功率", value="99.9")
        names = [m.name for m in stored(db_path).metrics]
        assert names.index("退款成功率") == names.index("一次支付成功率") + 1
        put_cursor(app, "系统可用性")
        await pilot.press("a")
        await type_form(pilot, name="网关可用性", value="99.99")
        metrics = stored(db_path).metrics
        assert metrics[-1].name == "网关可用性" and metrics[-1].group == "系统可用性"
        report = export(app)
        assert report.count("\n系统可用性：\n") == 1 and report.count("\n支付成功率：\n") == 1
        assert "- 事故数AB级0次，CD级1次\n- 网关可用性：99.99%" in report


async def test_a_new_group_with_a_name_in_use_is_refused_and_a_group_is_renamed_on_its_row(
        store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "A")
        await type_form(pilot, group="系统可用性", name="x", value="1")
        assert isinstance(app.screen, FormScreen), "refused: the report would print the heading twice"
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "分组“系统可用性”已存在" in error
        await pilot.press("escape")
        put_cursor(app, "支付成功率")
        await pilot.press("enter")
        assert "改名" in app.screen.form_title
        await type_form(pilot, group="成功率")
        assert [m.group for m in stored(db_path).metrics][:3] == ["成功率"] * 3
        assert "\n成功率：\n" in export(app)
        await pilot.press("ctrl+z")  # the three readings renamed in one step
        await settle(pilot)
        assert [m.group for m in stored(db_path).metrics][:3] == ["支付成功率"] * 3


async def test_a_reading_moves_inside_its_group_and_a_group_moves_with_its_readings(
        store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        put_cursor(app, "支付系统年度可用性")
        await pilot.press("shift+up")  # the first of its group: it stays there
        await settle(pilot)
        assert [m.name for m in stored(db_path).metrics][3] == "支付系统年度可用性"
        put_cursor(app, "入金有效成功率")
        await pilot.press("shift+down")  # past the next line, which moves whole (its joined reading too)
        await settle(pilot)
        assert [m.name for m in stored(db_path).metrics][:3] == ["出金有效成功率", "一次支付成功率", "入金有效成功率"]
        await pilot.press("shift+down")  # the group's last line: no further
        await settle(pilot)
        assert [m.name for m in stored(db_path).metrics][2] == "入金有效成功率"
        assert "- 出金有效成功率：99.973% ，一次支付成功率：99.206%\n- 入金有效成功率：99.997%" in export(app)
        put_cursor(app, "系统可用性")
        await pilot.press("shift+up")
        await settle(pilot)
        assert [m.group for m in stored(db_path).metrics] == ["系统可用性"] * 2 + ["支付成功率"] * 3
        assert pane(app).selected().startswith(GROUP), "the cursor stays on the group"
        await pilot.press("ctrl+z")  # the group's move is one step
        await settle(pilot)
        assert [m.group for m in stored(db_path).metrics] == ["支付成功率"] * 3 + ["系统可用性"] * 2


async def test_deleting_a_group_asks_and_deleting_a_line_keeps_its_joined_reading(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        put_cursor(app, "出金有效成功率")
        await pilot.press("d")
        await settle(pilot)
        metrics = stored(db_path).metrics
        assert [m.name for m in metrics][:2] == ["入金有效成功率", "一次支付成功率"]
        assert metrics[1].joined_by is None, "it starts its own line now"
        assert "- 入金有效成功率：99.997%\n- 一次支付成功率：99.206%" in export(app)
        put_cursor(app, "支付成功率")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert [m.group for m in stored(db_path).metrics] == ["系统可用性"] * 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(stored(db_path).metrics) == 4


# --- joined readings ---------------------------------------------------------------------------

async def test_a_reading_goes_on_the_previous_line_and_back(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        put_cursor(app, "一次支付成功率")
        await pilot.press("enter")
        joined = app.screen.query_one("#field-joined", ChoiceInput)
        assert joined.chosen == "y" and joined.value == "接在上一条之后（ ，）", "a choice in the UI's language"
        await type_form(pilot, joined="n")
        assert stored(db_path).metrics[2].joined_by is None
        assert "- 出金有效成功率：99.973%\n- 一次支付成功率：99.206%" in export(app)
        await pilot.press("enter")
        await type_form(pilot, joined="y")
        assert stored(db_path).metrics[2].joined_by == " ，"
        assert "- 出金有效成功率：99.973% ，一次支付成功率：99.206%" in export(app)
        put_cursor(app, "入金有效成功率")
        await pilot.press("enter")
        assert not app.screen.query("#field-joined"), "a group's first reading has no line above"
        await pilot.press("escape")
    en = render(stored(db_path), ExportOptions(lang="en"))
    assert "- 出金有效成功率: 99.973%, 一次支付成功率: 99.206%" in en


# --- stated incident counts --------------------------------------------------------------------

async def test_stated_counts_are_edited_and_cleared_back_to_the_log(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "down", "enter")
        form = app.screen
        assert form.id == "counts-form"
        assert [form.query_one(f"#field-{n}", Input).value for n in ("ab", "cd")] == ["0", "0"]
        await type_form(pilot, cd="x")
        assert "“x”：填事故次数" in str(app.screen.query_one("#form-error", Static).render())
        await type_form(pilot, cd="1次")
        assert stored(db_path).stated_incident_counts == (0, 1)
        assert rows(app)[-1] == " 事故数 | AB0 CD1 ⚠ | 记录 AB0 CD0"
        assert "- 事故数AB级0次，CD级1次" in export(app)
        await pilot.press("enter")
        assert "报告写 AB0 CD1；记录得出 AB0 CD0" in str(app.screen.query_one("#form-understood", Static).render())
        await type_form(pilot, ab="", cd="")  # blank: the log's counts
        assert stored(db_path).stated_incident_counts is None
        assert rows(app)[-1] == " 事故数 | AB0 CD0"
        await pilot.press("ctrl+z")  # one step each
        await settle(pilot)
        assert stored(db_path).stated_incident_counts == (0, 1)


async def test_stated_counts_stay_apart_from_the_events_text(make_app, db_path):
    """The sample's line comes from a stated count: the events' words stay as typed."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await type_form(pilot, summary="监控发现统一收单调用风控前置出现25次超时")
        await pilot.press("2", "down", "enter")
        await type_form(pilot, cd="1")
    report = render(stored(db_path))
    assert "- 事故数AB级0次，CD级1次" in report
    assert "- 10/13 15:37 监控发现统一收单调用风控前置出现25次超时\n" in report


# --- the derived count line, deleted and put back ------------------------------------------------

async def test_the_count_line_once_deleted_is_offered_back(store, make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        put_cursor(app, "事故数")
        await pilot.press("d")
        await settle(pilot)
        assert not counts.has_counts_line(stored(db_path))
        assert "事故数" not in export(app)
        assert pane(app).row_key(pane(app).row_count - 1) == COUNTS_MISSING
        assert rows(app)[-1] == " 事故数 | — | Enter 加回"
        pane(app).move_cursor(row=pane(app).row_count - 1)
        await pilot.press("enter")
        await settle(pilot)
        metrics = stored(db_path).metrics
        assert metrics[-1].kind == "incident_counts" and metrics[-1].group == "系统可用性"
        assert section(export(app)) == section(SAMPLE.read_text(encoding="utf-8"))


async def test_a_week_carried_from_one_without_the_count_line_says_so_and_the_kind_list_offers_it(
        store, make_app, db_path):
    week = stored(db_path)
    week.metrics = [m for m in week.metrics if m.kind != "incident_counts"]
    store.put(week)
    app = make_app(start=date(2023, 10, 20))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert app.week_screen.week.carried_from == SAMPLE_MONDAY
        assert rows(app)[-1] == " 事故数 | — | Enter 加回", "the loss is shown, not inherited silently"
        put_cursor(app, "系统可用性")
        await pilot.press("a")
        await type_form(pilot, name="", kind="incident_counts")
        carried = stored(db_path, date(2023, 10, 16))
        assert carried.metrics[-1].kind == "incident_counts" and carried.metrics[-1].name == "事故数"
        assert COUNTS_MISSING not in [pane(app).row_key(i) for i in range(pane(app).row_count)]
        await pilot.press("a")
        await type_form(pilot, name="事故数2", kind="incident_counts")
        assert "本周已有事故数一行" in str(app.screen.query_one("#form-error", Static).render())
        await pilot.press("escape")
        put_cursor(app, "支付系统年度可用性")
        await pilot.press("enter")
        await type_form(pilot, value="", kind="incident_counts")
        assert "本周已有事故数一行" in str(app.screen.query_one("#form-error", Static).render()), "nor by an edit"


# --- the rules behind the pane (store/, no Textual) ---------------------------------------------

def _metrics(*spec: str) -> list[Metric]:
    """`G:a`, `G:+b` (b joined onto a's line)."""
    out = []
    for item in spec:
        group, name = item.split(":")
        out.append(Metric(group=group, name=name.lstrip("+"), joined_by=" ，" if name.startswith("+") else None))
    return out


def _moved(metrics: list[Metric], steps) -> list[str]:
    names = [m.name for m in metrics]
    ids = [m.id for m in metrics]
    for id_, step in steps:
        i = ids.index(id_)
        ids[i], ids[i + step] = ids[i + step], ids[i]
        names[i], names[i + step] = names[i + step], names[i]
    return names


def test_moves_keep_groups_whole_and_lines_together():
    ms = _metrics("G:a", "G:b", "G:+c", "H:d", "H:e")
    assert _moved(ms, metric_lines.reading_moves(ms, ms[1].id, -1)) == ["b", "c", "a", "d", "e"]
    assert metric_lines.reading_moves(ms, ms[1].id, 1) == [], "b's line is the group's last"
    assert metric_lines.reading_moves(ms, ms[3].id, -1) == [], "d is the first of H: it stays in H"
    assert metric_lines.reading_moves(ms, ms[2].id, -1) == [], "a joined reading stays on its line"
    assert _moved(ms, metric_lines.group_moves(ms, ms[4].id, -1)) == ["d", "e", "a", "b", "c"]
    assert metric_lines.group_moves(ms, ms[0].id, -1) == []
    assert metric_lines.insert_after(ms, ms[1].id) == ms[2].id and metric_lines.insert_after(ms, None) == ms[4].id
    assert [m.name for m in metric_lines.joined_after(ms, ms[1].id)] == ["c"]
    assert [(g, s, e) for g, s, e in metric_lines.metric_runs(_metrics("G:a", "H:b", "G:c"))] == \
        [("G", 0, 1), ("H", 1, 2), ("G", 2, 3)], "runs as the report prints headings"


def test_counts_line_goes_back_under_its_group_or_as_its_own():
    ms = _metrics("支付成功率:a", "系统可用性:b", "其他:c")
    assert counts.counts_line_place(ms) == ("系统可用性", ms[1].id)
    assert counts.counts_line_place(ms[:1]) == ("系统可用性", ms[0].id)
    assert counts.counts_line_place([]) == ("系统可用性", None)


def test_typed_counts_groups_and_joins():
    assert inputs.parse_counts({"ab": "", "cd": ""}, (0, 0)) is None
    assert inputs.parse_counts({"ab": "0", "cd": "1次"}, (0, 0)) == (0, 1)
    assert inputs.parse_counts({"ab": "", "cd": "2"}, (1, 0)) == (1, 2), "a blank figure is the log's"
    assert inputs.parse_counts({"ab": "1", "cd": "0"}, (1, 0)) is None, "what the log gives is not stated"
    for bad in ("-1", "x", "1.5"):
        with pytest.raises(inputs.InputError):
            inputs.parse_counts({"ab": bad, "cd": ""}, (0, 0))
    assert inputs.parse_group(" 支付成功率 ", ["系统可用性"]) == "支付成功率"
    assert inputs.parse_group("系统可用性", ["系统可用性"], "系统可用性") == "系统可用性", "its own name"
    with pytest.raises(inputs.InputError):
        inputs.parse_group("a：b", [])
    assert inputs.parse_joined("y") == " ，" and inputs.parse_joined("") is None
    assert inputs.parse_joined("y", Metric(name="x", joined_by="、")) == "、", "a joiner as imported is kept"
    assert inputs.parse_kind("百分比", counts=True) == "percent"
    assert inputs.parse_kind("事故数", counts=True) == "incident_counts"
    with pytest.raises(inputs.InputError):
        inputs.parse_kind("事故数")  # the shell records readings; the count line is derived


@pytest.mark.parametrize("call", [
    lambda: inputs.parse_counts({"ab": "x"}, (0, 0)),
    lambda: inputs.parse_group("系统可用性", ["系统可用性"]),
    lambda: inputs.parse_joined("maybe"),
    lambda: inputs.parse_kind("color", counts=True),
    lambda: inputs.new_metric({"name": "", "kind": "incident_counts"},
                              Week(monday=SAMPLE_MONDAY, metrics=[Metric(name="事故数", kind="incident_counts")])),
])
def test_every_metric_message_has_a_chinese_form(call):
    with pytest.raises(inputs.InputError) as caught:
        call()
    set_language("zh")  # as the zh app does
    with pytest.raises(inputs.InputError) as said:
        call()
    assert said.value.message != caught.value.message and re.search(r"[\u4e00-\u9fff]", said.value.message)


def test_an_incident_graded_by_the_user_still_clears_stated_counts():
    week = Week(monday=SAMPLE_MONDAY, stated_incident_counts=(0, 1),
                incidents=[Incident(at=NOW, summary="x")])
    week.incidents[0].grade = "C"
    counts.user_graded(week)
    assert week.stated_incident_counts is None


async def test_at_80x24_the_pane_shows_groups_long_names_whole_and_the_form_fits(store, make_app):
    import html

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "支付系统年度可用性" in screen and "支付成功率：" in screen and "A 新分组" in screen
        put_cursor(app, "系统可用性")
        await pilot.press("a")
        form = app.screen
        last = form.query_one("#field-unit", Input)
        last.focus()
        await pilot.pause()
        assert last.region.bottom <= form.region.bottom and form.query_one(".dialog-keys").region.height > 0


async def test_a_week_without_metrics_starts_a_group_with_a(db_path, make_app):
    WeekStore(db_path).put(Week(monday=SAMPLE_MONDAY))
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert rows(app) == [" Incident counts | — | Enter: add back"]
        await pilot.press("a")  # not the count line: a group and its first reading
        assert app.screen.form_title == "A new group and its first reading"
        await type_form(pilot, group="Availability", name="API", value="99.9")
        assert rows(app)[:2] == ["Availability:", " API | 99.9%"]
    week = stored(db_path)
    assert [(m.group, m.name) for m in week.metrics] == [("Availability", "API")]
    assert "Availability:\n\n- API: 99.9%" in render(week, ExportOptions(lang="en"))


def test_the_shell_records_a_new_reading_at_the_end_of_its_group():
    from weekly_zhoubao.store.ops import RecordMetric

    week = Week(monday=SAMPLE_MONDAY, metrics=_metrics("支付成功率:a", "系统可用性:b"))
    RecordMetric(SAMPLE_MONDAY, "c", "99.9", "支付成功率").apply({SAMPLE_MONDAY: week})
    assert [(m.group, m.name) for m in week.metrics] == [("支付成功率", "a"), ("支付成功率", "c"), ("系统可用性", "b")]
    assert render(week).count("支付成功率：\n") == 1

_SPECS = st.lists(st.tuples(st.sampled_from("GHK"), st.booleans()), min_size=1, max_size=9)


def _built(spec) -> list[Metric]:
    return [Metric(group=g, name=f"m{i}", joined_by=" ，" if joined else None) for i, (g, joined) in enumerate(spec)]


@given(_SPECS, st.data())
def test_any_move_keeps_every_group_whole_and_every_reading(spec, data):
    ms = _built(spec)
    chosen = data.draw(st.sampled_from(ms))
    step = data.draw(st.sampled_from([-1, 1]))
    shape = [(g, e - s) for g, s, e in metric_lines.metric_runs(ms)]
    moved = _moved(ms, metric_lines.reading_moves(ms, chosen.id, step))
    by_name = {m.name: m for m in ms}
    after = [by_name[n] for n in moved]
    assert sorted(moved) == sorted(m.name for m in ms)
    assert [(g, e - s) for g, s, e in metric_lines.metric_runs(after)] == shape, "a reading never leaves its group"
    regrouped = [by_name[n] for n in _moved(ms, metric_lines.group_moves(ms, chosen.id, step))]
    runs_before = sorted(tuple(m.name for m in ms[s:e]) for _, s, e in metric_lines.metric_runs(ms))
    runs_after = sorted(tuple(m.name for m in regrouped[s:e]) for _, s, e in metric_lines.metric_runs(regrouped))
    if len({g for g, _, _ in metric_lines.metric_runs(ms)}) == len(metric_lines.metric_runs(ms)):  # no name twice
        assert runs_after == runs_before, "a group moves whole, its readings in their order"


async def test_each_change_in_the_pane_is_one_undo_step(store, make_app, db_path):
    app = make_app()

    async def undone(before: list) -> None:
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [m.model_dump() for m in stored(db_path).metrics] == before

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        original = [m.model_dump() for m in stored(db_path).metrics]
        put_cursor(app, "出金有效成功率")
        await pilot.press("a")
        await type_form(pilot, name="退款成功率", value="99.9", joined="y")
        assert len(stored(db_path).metrics) == 6
        await undone(original)
        await pilot.press("A")
        await type_form(pilot, group="延迟", name="P99", value="120", kind="number", unit="ms")
        await undone(original)
        put_cursor(app, "出金有效成功率")
        await pilot.press("d")  # the reading and its joined reading's new line: one step
        await settle(pilot)
        await undone(original)
        put_cursor(app, "一次支付成功率")
        await pilot.press("enter")
        await type_form(pilot, joined="n", value="99.3")
        await undone(original)

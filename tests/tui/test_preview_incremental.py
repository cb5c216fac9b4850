"""The preview lays out again only the report lines an edit changed, and the result is the
same as laying out the whole report; the wrapped lines of text no longer in the report go.
A line of one-cell characters breaks by the general rule, found faster."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from textual.app import App, ComposeResult

from weekly_zhoubao.tui.panes.preview import PreviewView, _ascii_cuts, _cuts

REPORT = "\n".join([
    "# 第48周 2026/11/27",
    "",
    "## 【重点工作】",
    "",
    "- 【商户服务重构】",
    "商户领域模型设计review，完善总体模型设计：" * 3,  # a lazy continuation line, wrapped
    "    1. 补充领域模型。子商户模型、平台产品模板",
    "",
    "## 【其他】",
    "",
    "上线检查 " * 30,
])

EDITS = [
    REPORT.replace("【商户服务重构】", "【商户服务重构与迁移】"),  # one line changes
    REPORT.replace("- 【商户服务重构】", "【商户服务重构】"),  # no longer an item: the line after moves left
    REPORT.replace("\n\n## 【其他】", "\n## 【其他】"),  # a line fewer
    REPORT + "\n- 新的一项\n" + "续行 " * 40,  # lines at the end
    "新的第一行\n" + REPORT,  # a line at the start
    "",
    REPORT,
]


class PreviewApp(App):
    def compose(self) -> ComposeResult:
        yield PreviewView(id="preview")


def laid_out_whole(view: PreviewView) -> list:
    rows = list(view.rows)
    view.on_resize()  # lays out every line again, from nothing
    return rows


async def test_each_edit_lays_out_as_the_whole_report_would():
    app = PreviewApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(PreviewView)
        view.show(REPORT)
        await pilot.pause()
        for report in EDITS:
            view.show(report)
            incremental = laid_out_whole(view)
            assert incremental == view.rows, report[:40]
            assert len(view.rows) >= len(report.split("\n"))


async def test_typing_on_a_long_line_keeps_only_its_latest_wrapping():
    app = PreviewApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(PreviewView)
        view.show(REPORT)
        await pilot.pause()
        held = len(view._wraps)
        long_line = "y" * 5_000
        for n in range(20):
            view.show(REPORT + "\n" + long_line + "z" * n)
        assert len(view._wraps) == held + 1
        last_line = view.rows[view._starts[-2]:]
        assert "".join(segment.text for row in last_line for segment in row[0]).replace(" ", "") == long_line + "z" * 19


@given(st.text(alphabet="ab ,.)", max_size=150), st.integers(8, 40), st.integers(0, 12))
@settings(max_examples=400, deadline=None)
def test_a_line_of_one_cell_characters_breaks_where_the_general_rule_breaks_it(plain, width, hang):
    hang = 0 if hang > width // 2 else hang
    first = len(plain) - len(plain[hang:].lstrip(" ")) if hang else 0
    assert _ascii_cuts(plain, width, hang, first) == _cuts(plain, width, hang, first)

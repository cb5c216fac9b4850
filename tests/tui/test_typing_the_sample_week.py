"""Issue #16's capstone: the whole sample week (shared/samples/week-42-2023.md) typed into an
empty store by keys alone — one key event a character, as a terminal sends it (Pilot.press
for named keys; see press_character), no direct store write, no paste — then exported by the code of `weekly export --date 2023-10-13` and compared with
the sample byte for byte.

What is left out of the comparison, and why:
- Notion's page title and `Created:` line (its first four lines): Notion writes them, not us.
- The Notion page id in the daily note's link (`2023-10-12%20周四_r6KkZhiGFMTBBoQGJk2sfH.md`):
  Notion makes that id when it exports; a note typed here is linked by its date-built name
  (`2023-10-12%20周四.md`), so the expected text drops the id.
- The file's end: Notion's file has no newline after its last line; our export ends its last
  line, as every text file it writes (tests/formats/test_markdown.py's golden test says the same).
Nothing else is changed.

The week is typed once (module fixture) on a fixed clock (Friday 2023-10-13 17:00) at
120×40, animations off, part by part (PARTS: a part that cannot be typed is said by its
section's test, and the next parts go on); each section of the export is then checked on
its own, and the whole file as one. Every key is counted: the characters of the report's words apart from
the keys beyond them (panes, add, tab, enter, escape, indentation, and typed text the report
does not show, such as a status or a date typed into its own field). #16's target: one
objective item with name, progress, date and status in ≤ 10 keys beyond its words.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.settings import Settings
from tests.conftest import SAMPLE, SAMPLE_MONDAY
from tests.tui.helpers import new_app, send, settle, terminal_key
from weekly_zhoubao.tui import forms
from weekly_zhoubao.tui.forms import FormScreen
from weekly_zhoubao.tui.panes import ObjectivesPane
from weekly_zhoubao.tui.screens.week import PANES

# The week is typed once per process (a module fixture, a minute of keys): all on one worker.
pytestmark = pytest.mark.xdist_group("typed-sample")

NOW = datetime(2023, 10, 13, 17, 0)  # Friday: the report day of week 42
SIZE = (120, 40)
NOTION_LINK_ID = "_r6KkZhiGFMTBBoQGJk2sfH"  # made by Notion's export: see the module's text


def expected_report() -> str:
    """The sample as our export must write it: Notion's page title and `Created:` line
    dropped, and the Notion id in the daily note's link (see the module's text)."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "# 第42周 2023-10-13" and lines[1] == "" and lines[2].startswith("Created: ") \
        and lines[3] == "", "the sample's Notion header is not where it was"
    text = "\n".join(lines[4:])
    assert text.count(NOTION_LINK_ID) == 1
    assert not text.endswith("\n")
    return text.replace(f"{NOTION_LINK_ID}.md)", ".md)") + "\n"


# --- the report's text, as the user types it ----------------------------------------------------

KEY_WORK = [  # (title, body): the title as the report shows it inside 【】
    ("商户服务重构", "商户领域模型设计review，完善总体模型设计：\n"
                     "    1. 补充领域模型。子商户模型、平台产品模板、法人代表/受益人/联系人等\n"
                     "    2. 产品内部细化协议及产品定义"),
    ("银行虚户前期设计", "正式启动银行虚户体系的设计，总体设计review及改进意见\n"
                         "    1. 银行接入：抽象接口清单、细化ICIP及其他应用交互\n"
                         "    2. 银行开户：商户要素以商户主数据为准，根据不同银行要求完成适配；隐私和授权协议待沟通\n"
                         "    3. 账户交易：增加流水查询用例；完善资金提现处理流程。"),
    ("银行账户合作沟通", "内容：\n"
                         "    \n"
                         "    本周出差新网银行、平安银行，沟通银行账户合作，匹配业务场景，银行合规限制等。\n"
                         "    \n"
                         "    目标：希望通过引入银行账户能力，优化对公支付和沉淀收益。\n"
                         "    \n"
                         "    - 母子账户模型\n"
                         "    - 开户：企业要素字段、审核流程、开户意愿确认方式等\n"
                         "    - 入金/出金：ACS出入金、企业网银转账，子账户户名要求等"),
]


@dataclass
class Item:
    """An objective item as the report prints it, and the structured fields its words state
    (what the objectives pane draws and what carries to next week)."""

    line: str
    name: str = ""
    progress: float | None = None
    due: date | None = None
    status: str = "planned"
    children: list[Item] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.line[len(self.name) + 1:] if self.name else self.line


OBJECTIVES = [  # (code, title, spaced, items)
    ("O1", "服务业务", True, [
        Item("物保：在物保资金项解冻+解除场景，优化双边资金分配利息规则，10/10上线完成；理房通/光大存管模式，完成产品评审。",
             name="物保", due=date(2023, 10, 10), status="done"),
        Item("存管衍生-银行卡办理：实现办卡能力建设+运营体系线上化，预计10/26上线完成",
             name="存管衍生-银行卡办理", due=date(2023, 10, 26), status="in progress"),
        Item("杭州政府存管，研发联调完成启动测试，计划10/19上线", due=date(2023, 10, 19), status="in progress"),
        Item("收银台升级，支付结果页改版，10/12上线完成", due=date(2023, 10, 12), status="done"),
        Item("看懂账：企业钱包账单与房源数据匹配刷数完成；新版PC账单，下周启动产品设计&开发，预计11/21上线。",
             name="看懂账", due=date(2023, 11, 21), status="in progress"),
        Item("家家盈平台（小贝项目）：理房通账户模式按计划推进中，研发进度50%，预计10月中上线。",
             name="家家盈平台（小贝项目）", progress=50, status="in progress"),
    ]),
    ("O2", "系统升级", False, [
        Item("账单数据质量治理", children=[
            Item("账单验证环境搭建完成；", status="done"),
            Item("账单的测试回归方案启动，账单自动化回归方案的第一次评审完成，进度5%；", progress=5, status="in progress"),
            Item("完善报警。账户对账单报警提测，完成电话报警功能技术评审完成，进度60%。", progress=60, status="in progress"),
        ]),
        Item("POS收单系统建设", children=[
            Item("支付链路，测试用例评审完成，测试进度15%。", progress=15, status="in progress"),
            Item("POS应用市场、终端申请和库存管理和商户巡检模块按计划推进中", status="in progress"),
            Item("ARK国密产品送检，与安全同学沟通送审工作安排，当前已提交初版产品到检测中。", status="in progress"),
        ]),
        Item("机房双活", children=[
            Item("支付昌平万国拆分迁移环境准备，一共297台机器，已完成207台服务器初始化，代码环境部署检查，完成占比70%",
                 progress=70, status="in progress"),
            Item("支付核心系统梳理完毕，具备在昌平万国启动条件。", status="done"),
        ]),
        Item("风险数据指标立项评审", children=[
            Item("轻松付的业务交易模型设计和开发，进度100%", progress=100, status="done"),
            Item("风控系统事中接口超时数据分析,进度100%", progress=100, status="done"),
            Item("风控指标数据分析盘点,进度10%", progress=10, status="in progress"),
        ]),
    ]),
    ("O3", "安全稳定、降本提效", True, [
        Item("健康分与稳定性提升，定制指标逐步纳入考核，健康分658.8。", status="in progress"),
    ]),
]

INCIDENTS = [  # (when as the report prints it, summary); none graded: stability events
    ("10/9 15:37", "监控发现零余额付款出现一波记账高峰，持续10mins，出现24笔记账超时，影响出金交易调用账户记账，出现超时8s，业务无影响。"),
    ("10/10 10:28", "监控发现20笔账务类交易(4笔出金)，由于账务系统返回信息异常，导致资产交换和账务系统状态不一致，人工介入确认后修复"),
    ("10/11 11:38", "监控发现统一收单调用风控前置出现25次超时，性能待优化"),
    ("10/13 09:25", "监控发现sre切换到新的负载均衡，没有白名单列表，导致拉卡拉推送对账文件全部失败，回滚配置后重新拉取，拉取后恢复"),
]
STATED_COUNTS = (0, 1)  # 事故数AB级0次，CD级1次: the report states one CD incident its log does not grade

OTHER = ["支付中心Q3述职", "数据架构规划review"]
REFLECTIONS = ("核心团队述职交流，总结Q3工作进展与思考，分享对支付的想法和建议。能看到很多变化，对本职工作思考更多了，"
               "心态也更加开放。也有需要共同改进的，比如对新业务方向的理解和思考还偏浅，对新技术的应用还不敏感、不坚决。"
               "这里面可能有资源紧张的问题，但我们核心团队有责任一起解决问题，用我们的能力和智慧去获得突破。"
               "因为目标还在远方，需要我们更快的进步。")
NEXT_WEEK = ["商户升级、银行虚户设计和研发计划", "稳定性4项目推进思路和计划review", "ADC述职和沟通"]
DAILY_DAY = date(2023, 10, 12)  # Thursday: not today, not the report day
DAILY_TEXT = "拉卡拉对账文件推送失败，排查负载均衡白名单"  # the note's own words: the report only links it


# --- typing, and counting the keys ---------------------------------------------------------------

ChoiceInput = getattr(forms, "ChoiceInput", ())  # a choice list (s2-forms); () where there is none


def field_value(screen: FormScreen, name: str) -> str:
    """What a form's field holds (a choice list: its stored value)."""
    if hasattr(screen, "field_value"):
        return screen.field_value(name)
    return screen.query_one(f"#field-{name}", Input).value


KEY_OF = {"\n": "enter", "\t": "tab"}  # pressed as named keys; any other character as typed


async def press_character(pilot, ch: str) -> None:
    """One character as a terminal delivers it (textual/_xterm_parser.py: the key named after
    the character, with the character). Pilot.press cannot send `，：、；。（`: it looks their
    names up, finds none and sends them without their character, so nothing is typed.
    Faster than Pilot.press (no idle-wait of 40 ms a key): the key is queued in order behind
    the ones before it, and each screen's queue is drained before the next."""
    send(pilot.app, terminal_key(ch))
    await pilot.pause(0)  # the app forwards the key to the focused widget…
    await pilot.pause(0)  # …which handles it


class Typist:
    """Presses keys as a user would, one a character, and counts them per part of the
    report: `words` (characters the report shows) and `extra` (every other key)."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.part = ""
        self.words: Counter[str] = Counter()
        self.extra: Counter[str] = Counter()
        self.items: list[tuple[str, int]] = []  # (item line, keys beyond its words)

    @property
    def app(self):
        return self.pilot.app

    async def keys(self, *keys: str) -> None:
        """Keys beyond the words: panes, add, tab, enter, escape, indentation."""
        for key in keys:
            self.extra[self.part] += 1
            await self.pilot.press(key)

    async def type(self, text: str, words: bool = True) -> None:
        """Text, one key a character; `words=False`: text the report does not show (a
        status, a date typed into its own field), counted with the extra keys."""
        for ch in text:
            (self.words if words else self.extra)[self.part] += 1
            if ch in KEY_OF:
                await self.pilot.press(KEY_OF[ch])
            else:
                await press_character(self.pilot, ch)
        if text:  # what the last key set off (a form's Changed, bubbling up) is handled too
            await self.pilot.pause()

    async def settle(self) -> None:
        await settle(self.pilot)

    # forms: Tab to each field in the form's order and type (a prefilled field's text is
    # selected on focus: typing replaces it; a choice list takes one letter), Enter saves
    async def fill(self, values: dict[str, tuple[str, bool]]) -> None:
        """`values`: field name → (text, shown in the report); a choice field's text is the
        stored value chosen, reached by its first letter."""
        screen = self.app.screen
        assert isinstance(screen, FormScreen), f"a form, not {screen!r}"
        order = [f.name for f in screen.fields]
        for name, (text, words) in values.items():
            here = order.index(screen.focused.id.removeprefix("field-"))
            there = order.index(name)
            assert there >= here, f"fields typed in the form's order: {name}"
            for _ in range(there - here):
                await self.keys("tab")
            if isinstance(screen.focused, ChoiceInput):
                for _ in screen.focused.choices:  # a letter jumps to the next choice it starts
                    if field_value(screen, name) == text:
                        break
                    await self.keys(text[0])
                assert field_value(screen, name) == text, (name, field_value(screen, name))
            else:
                await self.type(text, words)

    async def submit(self) -> None:
        screen = self.app.screen
        await self.keys("enter")
        await self.settle()
        assert not isinstance(self.app.screen, FormScreen), self.form_error(screen)

    async def form(self, values: dict[str, tuple[str, bool]]) -> None:
        await self.fill(values)
        await self.submit()

    @staticmethod
    def form_error(screen) -> str:
        try:
            return str(screen.query_one("#form-error").render())
        except Exception:  # noqa: BLE001 - only for the message
            return "?"

    # editors: lines typed with Enter; what the editor puts at a new line's start (its
    # indentation, the next list marker) is kept when the line starts so, else taken back
    # with backspace; indentation still missing is reached with Tab (4 columns)
    async def outline(self, text: str) -> None:
        area = self.app.screen.query_one(TextArea)
        assert area.has_focus
        for n, line in enumerate(text.split("\n")):
            if n:
                await self.type("\n")
            while True:
                row, column = area.cursor_location
                prefill = area.document[row][:column]
                if line.startswith(prefill):
                    break
                await self.keys("backspace")
            rest = line[len(prefill):]
            while rest.startswith("    ") and rest.strip():
                await self.keys("tab")
                rest = rest[4:]
            if rest and not rest.strip():  # a line of spaces only (Notion's blank line in a list)
                await self.keys("tab")
                rest = rest[4:]
            await self.type(rest)
            row, _ = area.cursor_location
            assert area.document[row] == line, (area.document[row], line)


# --- the week, typed ---------------------------------------------------------------------------

@dataclass
class Typed:
    db_path: Path
    words: Counter
    extra: Counter
    items: list[tuple[str, int]]
    preview: str  # the preview pane's report at the end
    outline: list[str]  # the objectives pane's rows at the end
    failed: dict[str, str]  # part → why its typing stopped


async def type_key_work(t: Typist) -> None:
    """Titles typed as the report shows them, 【】 and all (the app writes them itself)."""
    await focus_pane(t, 1)
    for title, body in KEY_WORK:
        await t.keys("a")
        await t.type(f"【{title}】")
        await t.keys("enter")  # to the body
        await t.outline(body)
        await t.keys("escape")
        await t.settle()


async def type_metrics(t: Typist) -> None:
    """A new week holds the derived `事故数` line under its group 系统可用性: rows
    [系统可用性：, 事故数]. Each group's row stands above its readings."""
    await focus_pane(t, 2)
    await t.keys("A")  # a new group, after 系统可用性; then moved above it
    await t.form({"group": ("支付成功率", True), "name": ("入金有效成功率", True), "value": ("99.997%", True)})
    await t.keys("shift+up")
    await t.keys("a")  # on the group's row: a reading at the group's end
    await t.form({"name": ("出金有效成功率", True), "value": ("99.973%", True)})
    await t.keys("a")  # after 出金有效成功率, on its line
    await t.form({"name": ("一次支付成功率", True), "value": ("99.206%", True), "joined": ("y", False)})
    await t.keys("down", "down")  # 系统可用性's row
    await t.keys("a")
    await t.form({"name": ("支付系统年度可用性", True), "value": ("99.998%", True)})
    await t.keys("shift+up")  # above 事故数
    await t.keys("down", "enter")  # 事故数: the counts the report states (the log grades none)
    await t.form({"cd": ("1", True)})


def _due(day: date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


async def type_item(t: Typist, item: Item, key: str) -> None:
    """Name and text; the form reads progress, date and status from the words and shows
    them: a field it read otherwise than the item says is typed (keys beyond the words)."""
    before = t.extra[t.part]
    await t.keys(key)
    values = {"name": (item.name, True)} if item.name else {}
    await t.fill({**values, "text": (item.text, True)})
    screen = t.app.screen
    if item.due:  # the form says what it read before it saves
        assert f"{item.due:%Y-%m-%d}" in str(screen.query_one("#form-understood").render())
    want = {"progress": "" if item.progress is None else f"{item.progress:g}", "due": _due(item.due),
            "status": item.status}
    typed = {"due": f"{item.due.month}/{item.due.day}" if item.due else ""}
    fixes = {f.name: (typed.get(f.name, want[f.name]), False) for f in screen.fields  # in the form's order
             if f.name in want and field_value(screen, f.name) != want[f.name]}
    await t.fill(fixes)
    await t.submit()
    t.items.append((item.line, t.extra[t.part] - before))


async def focus_pane(t: Typist, number: int) -> None:
    """The pane's number key, unless it has focus already."""
    if t.app.focused is not t.app.query_one(f"#pane-{PANES[number - 1]}"):
        await t.keys(str(number))


def type_objective(code: str, title: str, spaced: bool, items: list[Item]):
    """The objective's heading as the report shows it; items below it, sub-items with c."""
    async def part(t: Typist) -> None:
        await focus_pane(t, 3)
        await t.keys("o")
        await t.form({"heading": (f"{code}{' ' if spaced else ''}{title}", True)})
        for item in items:
            await type_item(t, item, "a")  # after the objective's row, or after the item above
            for m, child in enumerate(item.children):
                await type_item(t, child, "c" if m == 0 else "a")
            for _ in item.children:  # back to the item: the next one follows it, not its sub-items
                await t.keys("up")
    return part


async def type_incidents(t: Typist) -> None:
    for when, summary in INCIDENTS:
        await t.keys("i")
        await t.form({"summary": (summary, True), "when": (when, True)})


async def type_list(t: Typist, entries: list[str]) -> None:
    """A numbered list as the report shows it: `1. ` typed, the editor numbers the next."""
    await t.outline("\n".join(f"{n}. {entry}" for n, entry in enumerate(entries, 1)))


async def note_row(t: Typist, row: int) -> None:
    """Pane 5's rows: other, reflections, next week, then the daily notes."""
    await focus_pane(t, 5)
    pane = t.app.query_one("#pane-notes")
    while pane.cursor_row != row:
        await t.keys("down" if pane.cursor_row < row else "up")


async def type_other(t: Typist) -> None:
    await note_row(t, 0)
    await t.keys("enter")
    await type_list(t, OTHER)
    await t.keys("escape")


async def type_reflections(t: Typist) -> None:
    await note_row(t, 1)
    await t.keys("enter")
    await t.outline(REFLECTIONS)
    await t.keys("escape")


async def type_next_week(t: Typist) -> None:
    await note_row(t, 2)
    await t.keys("enter")
    await type_list(t, NEXT_WEEK)
    await t.keys("escape")


async def type_daily(t: Typist) -> None:
    await focus_pane(t, 5)
    await t.keys("a")  # the day is asked, prefilled with today's
    await t.form({"day": ("周四", False)})
    await t.outline(DAILY_TEXT)
    await t.keys("escape")


PARTS = {"key_work": type_key_work, "metrics": type_metrics,
         **{code: type_objective(code, title, spaced, items) for code, title, spaced, items in OBJECTIVES},
         "incidents": type_incidents, "other": type_other, "reflections": type_reflections,
         "next_week": type_next_week, "daily": type_daily}
PARTS_OF_SECTION = {"title": [], "O3": ["O3", "incidents"]}  # else the section's own part


async def back_to_the_week(t: Typist) -> None:
    """After a part that could not be typed: close what it left open, so the next starts
    from the week screen (plumbing, not counted)."""
    for _ in range(3):
        if t.app.screen is t.app.week_screen:
            return
        await t.pilot.press("escape")
        await t.settle()
    while t.app.screen is not t.app.week_screen:
        t.app.pop_screen()
        await t.settle()


async def type_the_week(db_path: Path, export_dir: Path) -> Typed:
    app = new_app(db_path, Settings(lang="zh", export_dir=str(export_dir)), start=NOW.date(), now=NOW)
    failed: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:
        t = Typist(pilot)
        await t.settle()
        for name, part in PARTS.items():
            t.part = name
            try:
                await part(t)
                await t.settle()
            except Exception as exc:  # noqa: BLE001 - said by the section's test; the next parts go on
                failed[name] = f"{type(exc).__name__}: {exc}"
                await back_to_the_week(t)
        await t.settle()
        assert app.week_screen.session.save_error is None
        preview = app.week_screen.report_text()
        pane = app.query_one("#pane-objectives", ObjectivesPane)
        outline = ["".join(str(c) for c in pane.get_row_at(i)) for i in range(pane.row_count)]  # words + figures
    return Typed(db_path, t.words, t.extra, t.items, preview, outline, failed)


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> Typed:
    """The whole week typed once, into an empty store of its own."""
    folder = tmp_path_factory.mktemp("sample")
    with pytest.MonkeyPatch.context() as mp:  # as tests/conftest.isolated_env, for the module
        mp.setenv("WEEKLY_CONFIG", str(folder / "no-config.toml"))
        mp.setenv("WEEKLY_DB", str(folder / "default-store" / "weekly.json"))
        mp.setenv("HOME", str(folder / "home"))
        db_path = folder / "store" / "weekly.json"
        assert not db_path.exists()
        return asyncio.run(type_the_week(db_path, folder / "exports"))


def exported(db_path: Path, capsys) -> str:
    """`weekly --db PATH export --date 2023-10-13`, in this process."""
    from weekly_zhoubao.tui.cli import main

    capsys.readouterr()
    assert main(["--db", str(db_path), "export", "--date", "2023-10-13"]) == 0
    return capsys.readouterr().out


HEADING = re.compile(r"^#{1,2} ", re.M)


def sections(report: str) -> list[str]:
    """The report cut before each `#`/`##` heading: the title, then one block a section."""
    starts = [m.start() for m in HEADING.finditer(report)]
    return [report[a:b] for a, b in zip(starts, starts[1:] + [len(report)])]


def heading_key(block: str) -> str:
    """A section found by its heading, spaces aside (`【O2 系统升级】` is O2's, to compare)."""
    return block.split("\n", 1)[0].replace(" ", "")


SECTION_NAMES = ["title", "key_work", "metrics", "O1", "O2", "O3", "other", "reflections", "next_week", "daily"]


def test_the_sample_cuts_into_the_sections_named_here():
    blocks = sections(expected_report())
    assert len(blocks) == len(SECTION_NAMES)
    assert blocks[0] == "# 第42周 2023/10/13\n\n" and blocks[5].startswith("## 【O3 ")


# The sections that cannot be typed yet, each with why (and whose branch brings it): a strict
# xfail, so the others still prove themselves byte for byte. Empty since s2-forms, s2-metrics
# and s2-editors were merged; on main before them: metrics (joined reading, stated counts),
# O2 (heading without its space) and daily (Thursday's note), see coord NOTES 20:38.
MISSING: dict[str, str] = {}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=MISSING[name])) if name in MISSING else name
    for name in SECTION_NAMES])
def test_each_typed_section_exports_as_the_sample_byte_for_byte(typed, capsys, name):
    for part in PARTS_OF_SECTION.get(name, [name]):
        assert part not in typed.failed, f"typing {part} stopped: {typed.failed[part]}"
    want = sections(expected_report())[SECTION_NAMES.index(name)]
    got = {heading_key(block): block for block in sections(exported(typed.db_path, capsys))}
    assert heading_key(want) in got, f"the export has no section {want.splitlines()[0]}"
    assert got[heading_key(want)] == want


def test_the_typed_week_exports_as_the_sample_byte_for_byte(typed, capsys):
    assert not typed.failed
    assert exported(typed.db_path, capsys) == expected_report()


def test_the_screen_shows_the_typed_week(typed):
    """The preview pane shows the report as exported; the objectives pane draws what the
    words state: status glyphs, progress bars, dates."""
    assert typed.preview == expected_report()
    rows = typed.outline
    assert rows[0] == "▼ O1 服务业务" and "▼ O2系统升级" in rows
    assert any(row.endswith("● 物保 10/10") for row in rows), rows[:3]
    assert any("家家盈平台（小贝项目） ▰▰▱▱▱ 50%" in row for row in rows), rows[:8]
    assert any("◐ 存管衍生-银行卡办理 10/26" in row for row in rows)


def test_the_typed_week_holds_what_its_words_state(typed):
    """The store is the truth: what the report prints, and the structured fields behind it."""
    week = WeekStore(typed.db_path).get(SAMPLE_MONDAY)
    assert [k.title for k in week.key_work] == [title for title, _ in KEY_WORK]  # 【】 typed, not stored
    assert [(m.group, m.name, m.value, m.joined_by, m.kind) for m in week.metrics] == [
        ("支付成功率", "入金有效成功率", "99.997", None, "percent"),
        ("支付成功率", "出金有效成功率", "99.973", None, "percent"),
        ("支付成功率", "一次支付成功率", "99.206", " ，", "percent"),
        ("系统可用性", "支付系统年度可用性", "99.998", None, "percent"),
        ("系统可用性", "事故数", None, None, "incident_counts")]
    assert week.stated_incident_counts == STATED_COUNTS
    assert [i.summary for i in week.sorted_incidents()] == [s for _, s in INCIDENTS]
    assert all(i.grade is None for i in week.incidents)
    assert [o.heading for o in week.objectives] == ["O1 服务业务", "O2系统升级", "O3 安全稳定、降本提效"]
    for (code, title, _, items), objective in zip(OBJECTIVES, week.objectives, strict=True):
        assert objective.code == code
        for want, got in zip([c for i in items for c in (i, *i.children)],
                             [c for i in objective.items for c in (i, *i.children)], strict=True):
            assert (got.line, got.progress, got.due, got.status) == (want.line, want.progress, want.due, want.status)
    assert [e.text for e in week.other] == OTHER and [e.text for e in week.next_week] == NEXT_WEEK
    assert week.reflections == REFLECTIONS
    assert [(n.day, n.text) for n in week.daily_notes] == [(DAILY_DAY, DAILY_TEXT)]


# Keys beyond the words, per part, as typed on this branch: a ceiling, so that a change that
# makes the report cost more keys is seen (lower them as the forms learn).
KEY_CEILINGS = {"key_work": 12, "metrics": 24, "O1": 27, "O2": 64, "O3": 7, "incidents": 12,
                "other": 3, "reflections": 3, "next_week": 3, "daily": 5}
ITEM_TARGET = 10  # #16: one objective item with name, progress, date and status


def test_keys_beyond_the_words(typed):
    """Printed for the report (pytest -s -k keys)."""
    print("\nkeys beyond the words, per part (and the word keys):")
    for part in KEY_CEILINGS:
        print(f"  {part:12} {typed.extra[part]:5}  ({typed.words[part]})")
    print(f"  {'all':12} {sum(typed.extra.values()):5}  ({sum(typed.words.values())})")
    print("objective items, keys beyond their words:")
    for line, n in typed.items:
        print(f"  {n:3}  {line[:40]}")
    assert not typed.failed and set(typed.extra) == set(KEY_CEILINGS)
    assert {part: typed.extra[part] for part in KEY_CEILINGS} == {
        part: min(typed.extra[part], ceiling) for part, ceiling in KEY_CEILINGS.items()}
    assert sum(typed.words.values()) > 1500  # the report's words, typed a key a character


def test_an_objective_item_takes_at_most_ten_keys_beyond_its_words(typed):
    """Name and text typed; progress, date and status read from the words (a status they do
    not state: Tab to it, one letter). The least an item takes: add, Tab past the name, Enter."""
    assert min(n for _, n in typed.items) == 3
    assert max(n for _, n in typed.items) <= ITEM_TARGET, max(typed.items, key=lambda x: x[1])

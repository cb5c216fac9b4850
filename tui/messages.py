"""The rules' messages in the UI's language. store/ (shared with the shell) says why typed
text cannot be used in English; a form in the zh UI says it in Chinese, beside the field's
own label. A message this table does not know is shown as it is: never lost, only not
translated (tests/tui/test_chinese_ui.py feeds it every message the rules write)."""

from __future__ import annotations

import re
from functools import cache

Q = r"'(?P<q>.*)'"  # the user's text, quoted: shown exactly, in Chinese quotes
ZH: list[tuple[str, str]] = [
    (r"must not be empty", "不能为空"),
    (r"must not both be empty", "不能都为空"),
    (r"must be a single line", "只能写一行"),
    (r"contains a control character", "含有控制字符"),
    (r"contains a character that is not valid text \(a lone surrogate\)", "含有无效字符"),
    (r"is too long \((?P<n>[\d,]+) characters, at most (?P<cap>[\d,]+)\)", "太长（{n} 个字符，最多 {cap}）"),
    (Q + r" is not a number", "“{q}”不是数字"),
    (Q + r" is not a finite number", "“{q}”不是有限的数"),
    (r"must not contain '：' or '，' \(they separate readings in the report\)", "不能含有“：”或“，”（报告用它们分隔读数）"),
    (r"incident counts are derived from the incident log, not typed", "事故数由事件记录得出，无需填写"),
    (r"(?P<x>.+) is outside 0–100 for a percentage", "{x} 超出 0–100（百分比）"),
    (r"(?P<x>.+) is outside 0–100", "{x} 超出 0–100"),
    (r"(?P<x>\S+) is outside the dates Weekly supports \(years (?P<a>\d+)–(?P<b>\d+)\)",
     "{x} 超出支持的日期范围（{a}–{b} 年）"),
    (r"(?P<x>\d+/\d+) is not a date that exists", "{x} 不是存在的日期"),
    (Q + r" is not a date that exists", "“{q}”不是存在的日期"),
    (Q + r" is not a date: write it as 2023-10-13 or 10/13", "“{q}”不是日期：请写成 2023-10-13 或 10/13"),
    (Q + r" is not a date: (?P<forms>.+)", "“{q}”不是日期：可写 {forms}"),
    (Q + r" is not a time: write 15:37, 10/9 15:37 or 2023-10-09 15:37",
     "“{q}”不是时间：请写成 15:37、10/9 15:37 或 2023-10-09 15:37"),
    (Q + r" is not a time of day \(hours 0–23, minutes 0–59\)", "“{q}”不是一天中的时间（时 0–23，分 0–59）"),
    (Q + r": A, B, C or D \(or empty: not a graded incident\)", "“{q}”：填 A、B、C 或 D（空＝非事故）"),
    (Q + r": minutes, as 25, 25m or 1\.5h", "“{q}”：填分钟数，如 25、25m 或 1.5h"),
    (Q + r": a whole number of minutes, at most a year", "“{q}”：分钟须为整数，最多一年"),
    (Q + r": percent, number or text", "“{q}”：填 percent（百分比）、number（数字）或 text（文字）"),
    (Q + r": y \(higher is better\) or n \(lower is better\)", "“{q}”：填 y（越高越好）或 n（越低越好）"),
    (Q + r": planned / in progress / done / at risk / blocked", "“{q}”：填 计划、进行中、完成、有风险 或 受阻"),
    (r"(?P<x>.+) exists already", "{x} 已存在"),
    (r"(?P<x>\S+) is not a Monday", "{x} 不是周一"),
    (r"week (?P<w>\d+) does not exist in (?P<y>\d+)", "{y} 年没有第 {w} 周"),
    # editors
    (r"(?P<d>\S+) is not in this week \((?P<a>\S+)–(?P<b>\S+)\): go to its week first",
     "{d} 不在本周（{a}–{b}）：请先按 g 跳到那一周"),
    # metrics
    (Q + r": percent, number, text or incident_counts", "“{q}”：选百分比、数字、文字或事故数"),
    (Q + r": y \(on the previous reading's line\) or n \(a line of its own\)", "“{q}”：填 y（接上一条同行）或 n（单独一行）"),
    (r"the group " + Q + r" exists already: add its readings there with a", "分组“{q}”已存在：在该分组上按 a 添加指标"),
    (Q + r": a whole number of incidents, 0 or more", "“{q}”：填事故次数（0 或正整数）"),
    (r"the week has its incident counts line already", "本周已有事故数一行"),
    # fix-forms
    (r"the form is markdown or list", "形式须为自由文本或列表"),
    (r"a section needs a name", "章节需要名称"),
    (Q + r": open or resolved", "“{q}”：填 未解决 或 已解决"),
]
FIELD = r"^(?P<field>[a-z_]+(?: / [a-z_]+)?): (?P<rest>.+)$"


@cache
def _compiled() -> list[tuple[re.Pattern, str]]:
    """Compiled when a form first shows an error: ~5 ms a start-up otherwise."""
    return [(re.compile(f"^{pattern}$", re.S), template) for pattern, template in ZH]


def _zh(message: str) -> str | None:
    for pattern, template in _compiled():
        if m := pattern.match(message):
            return template.format(**m.groupdict())
    return None


def localized(message: str, lang: str) -> str:
    """One rule's message in the UI's language (as it is when unknown, or in English). A
    message about one named thing (`入金有效成功率: 'abc' is not a number`) keeps the name."""
    if lang != "zh":
        return message
    head, colon, rest = message.partition(": ")
    if colon and "'" not in head and (inner := _zh(rest)) is not None:
        return f"{head}：{inner}"
    return _zh(message) or message


def form_error(field: str, message: str, labels: dict[str, str], lang: str) -> str:
    """A form's error line: each part (pydantic may give several, `; ` apart) beside the
    label of its field as the form shows it, in the UI's language."""
    parts = []
    for part in message.split("; "):
        where = field
        if (m := re.match(FIELD, part, re.S)) and (m["field"] in labels or m["field"] == field or not field):
            where, part = m["field"], m["rest"]
        label = labels.get(where) or " / ".join(labels.get(name, name) for name in where.split(" / ")) if where else ""
        text = localized(part, lang)
        parts.append((f"{label}：{text}" if lang == "zh" else f"{label}: {text}") if label else text)
    return "; ".join(parts)

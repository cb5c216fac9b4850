"""Which section a heading names, in the spellings real reports use (zh and en, with or
without 【】, `一、`, `1.`, `##`, a trailing colon). One table for the importer (exporters/importer.py)
and the team roll-up (store/team/rollup.py), which maps members' sections to the lead's."""

from __future__ import annotations

import re

# key → spellings, compared after `normalise`. Keys of the week's own fields, plus the
# custom sections every common template has (risks, help).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "key_work": (
        "重点工作", "本周工作", "本周重点工作", "本周完成", "本周完成工作", "本周已完成", "本周进展", "本周工作内容",
        "工作内容", "产出清单", "重点进展", "本周重点", "学习笔记", "学习笔记/记录", "学习记录", "本周产出", "工作进展", "过去一周", "过去两周的进展", "过去两周进展",
        "本周学习", "本周学习内容", "学习内容", "完成情况", "本周总结", "已完成", "完成工作", "上周工作", "双周工作",
        "本周主要工作", "主要工作", "进展", "本周", "工作",
        "key work", "done", "this week", "what i did", "what i did this week", "what i've done", "accomplishments",
        "achievements", "progress", "completed", "highlights", "what happened", "last week", "what we did",
        "what we did this week", "wins", "shipped", "active projects", "things done", "updates", "work done", "done this week", "this week's work",
    ),
    "next_week": (
        "下周工作及目标", "下周计划", "下周工作", "下周工作计划", "下周目标", "下周安排", "未来两周计划", "下阶段计划",
        "后续计划", "下一步计划", "下一步", "计划", "下周待办", "待办", "下周要做", "下周工作安排", "下双周计划",
        "next week", "next", "plans", "plan", "coming up", "next steps", "upcoming", "to do", "todo", "what's next",
        "next week's plan", "plans for next week", "next week plan", "goals for next week", "up next",
    ),
    "risks": (
        "问题与风险", "风险", "问题", "遇到的问题", "遇到的困难", "困难", "风险与求助", "阻碍", "难点", "存在问题",
        "存在的问题", "风险与问题", "风险与阻塞", "阻塞", "问题和风险", "遇到的困难及解决方法", "遇到难题解决方法", "遇到的问题及解决",
        "blockers", "risks", "issues", "problems", "challenges", "blocked", "obstacles", "risks and issues",
        "blockers and risks", "concerns",
    ),
    "support": (
        "需要的支持", "需要支持", "需要协调", "需协调事项", "需要协调事项", "需协调与帮助", "需要协调与帮助", "求助", "需协助", "需要帮助", "需要协助", "需要的帮助", "支持与协调",
        "help needed", "asks", "needs", "support needed", "help", "requests", "need help with",
    ),
    "reflections": (
        "本周工作总结", "工作总结", "工作的收获", "复盘", "本周复盘", "收获与反思", "反思", "总结", "心得", "感想", "感受", "体会", "思考", "收获", "心得体会", "本周感想", "小结", "本周小结",
        "reflections", "learnings", "lessons learned", "lessons", "retro", "retrospective", "thoughts", "til",
        "things i learned", "what i learned", "reflection", "notes to self",
    ),
    "metrics": (
        "系统运行数据", "运行数据", "运行情况", "质量数据", "数据", "指标", "关键指标", "关键数据", "核心指标", "数据指标", "业务数据",
        "metrics", "operational metrics", "numbers", "kpis", "kpi", "stats", "key metrics",
    ),
    "incidents": (
        "生产稳定性事件", "线上问题", "故障", "事故", "事件", "稳定性", "线上事故", "稳定性事件", "故障与事故", "故障记录",
        "incidents", "production incidents", "outages", "incident log", "postmortems", "postmortem",
    ),
    "other": ("其他", "其它", "其他事项", "杂项", "备注", "other work", "other", "misc", "miscellaneous", "anything else", "other things"),
    "daily": ("日报合集", "日报", "每日", "每日记录", "每日工作", "daily notes", "dailies", "daily"),
}

_LOOKUP = {spelling: key for key, spellings in SYNONYMS.items() for spelling in spellings}

_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|\(?[0-9]{1,2}\s*[.、．)]|[（(][一二三四五六七八九十0-9]+[）)])\s*")
# a trailing run is matched only from its first character: linear time on a line of spaces (issue 25)
_DECOR = re.compile(r"^[\s*_`#>]+|(?<![\s*_`])[\s*_`]+$")
_TRAIL = re.compile(r"(?<![\s:：;；.。,，!！])[\s:：;；.。,，!！]+$")
_EMOJI = re.compile(r"^[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\s]+")

# 【O1 服务业务】, 【O2系统升级】, 【O1：服务业务】 and the English twin's `O1 …`
OBJECTIVE = re.compile(r"^(?:【(O\d{1,2})(\s*|[：:]\s*)(.*?)】|(O\d{1,2})(\s+|[：:]\s*)(\S.*))$")


def objective_parts(match: re.Match) -> tuple[str, str, bool]:
    """(code, title, spaced) of an objective heading."""
    if match.group(1):
        return match.group(1), match.group(3), bool(match.group(2))
    return match.group(4), match.group(6), True


_DAY_HEADING = re.compile(
    r"^(?:周[一二三四五六日天]|星期[一二三四五六日天]|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*"
    r"(?:\d{1,4}[./\-月]\d{1,2}日?(?:[./\-]\d{1,2})?)?$"
    r"|^\d{1,4}[./\-年]\d{1,2}[./\-月]?(?:\d{1,2}日?)?\s*(?:周[一二三四五六日天]|星期.|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$",
    re.I)

# Longer headings: the first phrase found decides (`Upcoming Next Week`, `下周工作计划`).
_PHRASES: tuple[tuple[str, str], ...] = (
    ("上周", "custom"), ("last week", "custom"),
    ("next week", "next_week"), ("upcoming", "next_week"), ("next step", "next_week"), ("下周", "next_week"),
    ("下阶段", "next_week"), ("blocker", "risks"), ("blocking", "risks"), ("risk", "risks"), ("issues", "risks"), ("风险", "risks"),
    ("困难", "risks"), ("help", "support"), ("协助", "support"), ("求助", "support"),
    ("metric", "metrics"), ("kpi", "metrics"), ("指标", "metrics"), ("incident", "incidents"), ("故障", "incidents"),
    ("事故", "incidents"), ("reflection", "reflections"), ("lesson", "reflections"), ("feeling", "reflections"),
    ("反思", "reflections"), ("收获", "reflections"), ("心得", "reflections"), ("感想", "reflections"),
    ("accomplish", "key_work"), ("work done", "key_work"), ("completed", "key_work"), ("done", "key_work"),
    ("本周工作", "key_work"), ("本周完成", "key_work"), ("本周进展", "key_work"), ("重点工作", "key_work"),
)


def normalise(heading: str) -> str:
    text = _DECOR.sub("", heading.strip().lstrip("#").strip())
    text = _EMOJI.sub("", text)
    text = text.strip()
    if text.startswith("【") and "】" in text:
        text = text[1:text.index("】")] + text[text.index("】") + 1:]
    text = _LEAD.sub("", text)
    text = _DECOR.sub("", text)
    return _TRAIL.sub("", text).strip().lower()


def section_key(heading: str) -> str | None:
    """The key of the section a heading names, or None when it is nobody's."""
    text = normalise(heading)
    if text in _LOOKUP:
        return _LOOKUP[text]
    # 本周工作总结（10.9-10.13）, Done this week:, 下周计划 & 目标 — the first words decide
    head = re.split(r"[（(\[【:：/&、,，\-–—]", text, maxsplit=1)[0].strip()
    if head in _LOOKUP:
        return _LOOKUP[head]
    if _DAY_HEADING.match(text):
        return "daily"
    if len(text) <= 60:
        for phrase, key in _PHRASES:
            if phrase in text:
                return None if key == "custom" else key
    return None


def is_synonym(heading: str) -> bool:
    """The heading is a section's name (not merely holding one of the words)."""
    text = normalise(heading)
    head = re.split(r"[（(\[【:：/&、,，\-–—]", text, maxsplit=1)[0].strip()
    return text in _LOOKUP or head in _LOOKUP


def is_numbered_heading(line: str) -> bool:
    """`一、学习内容`: a Chinese-numbered line short enough to be a heading."""
    return bool(re.match(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*\S", line)) and len(line) <= 40

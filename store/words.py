"""Structured fields read from the user's words (progress, dates, status, grades,
durations) and written back into them; an incident's line as the report prints it. No I/O and no UI here."""

from __future__ import annotations

import re
from datetime import date

from .models import Incident, ObjectiveItem, check_day
from .dates import nearest_year
from .text import LazyPattern


_PROGRESS = LazyPattern(r"(?:进度|完成占比|完成度|完成率)?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]")


_DUE = LazyPattern(
    r"(?:(?P<y>\d{4})[/-])?(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![\d/])[ \t]{0,2}"
    r"(?=上线|提测|完成|发布|交付|启动|前|已全量|全量|切流|凌晨|窗口)"
    r"|(?:预计|计划|目标|截止|(?i:\bETA|\bdue|\bdeadline|\blive(?: since| on)?|\bby))[ \t:：]{0,3}(?:(?P<y2>\d{4})[/-])?"
    r"(?P<m2>\d{1,2})/(?P<d2>\d{1,2})(?![\d/])"
    r"|[(（](?P<m3>\d{1,2})/(?P<d3>\d{1,2})[)）]"
    r"|(?i:\b(?:ETA|due|by|deadline|live(?: since| on)?))[ \t:：]{0,3}(?P<mon>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"[a-z]{0,6}\.?[ \t]{1,2}(?P<d4>\d{1,2})\b"
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_DONE_WORDS = LazyPattern(r"上线完成|已上线|已完成|完成上线")


# a share that is a change, a rate, a rollout or a target, not how far the work is (`提升35%`,
# `覆盖率 71%`, `灰度到 30%`, `目标进度90%`): the few characters before the figure say so
_NOT_PROGRESS = LazyPattern(r"(?:提升|下降|降低|降到|降至|增长|增加|提高|减少|节省|覆盖率|点击率|命中率|成功率|可用性|占用|"
                           r"灰度|放量|流量|目标|target)[^，,；;。\d]{0,4}$|[+±-]$", re.I)
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_PERCENT = LazyPattern(r"百分之([零一二两三四五六七八九十百]{1,4})")
# a fraction done: `完成3/5`, `✅ 14/15`, `(18/30)`, `(3 of 5)`, `412/430 …`; a bare `3/15` is a date
_FRACTION = LazyPattern(r"(?:(完成|✅|done|progress)[ \t:：]{0,2}|([(（]))(\d{1,4})[ \t]{0,2}(?:/|of)[ \t]{0,2}(\d{1,4})"
                       r"|(?<![\d/.])(\d{1,4})[ \t]?/[ \t]?(\d{1,4})(?=[ \t]{0,2}(?:[个项条台章节]|[A-Za-z]))"
                       r"|(?<![\d/.])(\d{1,4}) of (\d{1,4})\b", re.I)


def _chinese_number(words: str) -> int | None:
    """`二十` 20, `三十五` 35, `一百` 100, `五` 5."""
    if words == "一百" or words == "百":
        return 100
    if "百" in words:
        return None
    tens, _, ones = words.partition("十") if "十" in words else ("", "", words)
    if "十" in words:
        value = (_CN_DIGITS.get(tens, -1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, -1) if ones else 0)
    else:
        value = _CN_DIGITS.get(ones, -1)
    return value if 0 <= value <= 100 else None


def read_progress(text: str) -> float | None:
    """How far the work is, as its words say it (`进度60%`, `60%完成`, `[Progress: 90%]`,
    `百分之二十`, `完成3/5`, `✅ 14/15`); a change, a rate, a rollout or a target is no progress."""
    matches = [m for m in _PROGRESS.finditer(text) if not _NOT_PROGRESS.search(text[max(0, m.start() - 8):m.start()])]
    found = [float(m.group(1)) for m in matches if "进度" in m.group(0) or "完成" in m.group(0)] or \
        [float(m.group(1)) for m in matches]
    if not found and (m := _CN_PERCENT.search(text)):
        value = _chinese_number(m.group(1))
        found = [float(value)] if value is not None else []
    if not found:
        for m in _FRACTION.finditer(text):
            done, total = next((int(a), int(b)) for a, b in zip(m.groups()[2::2], m.groups()[3::2]) if a)
            if 0 < total and done <= total and (m.group(1) or m.group(2) or total > 12 or done > 12 or m.group(0)[-1].isdigit()):
                found = [float(round(100 * done / total))]
                break
    value = found[-1] if found else None
    return value if value is not None and 0 <= value <= 100 else None


def write_progress(text: str, progress: float | None) -> str:
    """Put a new progress figure into the user's words, where the old one stood."""
    if progress is None:
        return text
    figure = f"{progress:g}%"
    matches = list(_PROGRESS.finditer(text))
    if matches:
        m = matches[-1]
        percent_sign = text[m.end() - 1]  # keep the user's % or ％
        return text[: m.start(1)] + f"{progress:g}{percent_sign}" + text[m.end():]
    sep = "，" if text and not text.endswith(("，", "。", "；")) else ""
    return f"{text}{sep}进度{figure}"


def read_due(text: str, anchor: date) -> date | None:
    """The date the work is due or went live (`10/10上线完成`, `预计10/26上线`, `ETA 3/15`,
    `due Mar 15`, `（10/26）`)."""
    for m in _DUE.finditer(text):
        if m.group("mon"):
            year, month, day = None, _MONTH_NAMES.index(m.group("mon").lower()) + 1, m.group("d4")
        elif m.group("m3"):
            year, month, day = None, m.group("m3"), m.group("d3")
        else:
            year, month, day = (m.group("y"), m.group("m"), m.group("d")) if m.group("m") else (
                m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            return check_day(date(int(year), int(month), int(day)) if year else nearest_year(
                int(month), int(day), anchor))
        except ValueError:
            continue
    return None


def read_status(text: str, progress: float | None) -> str:
    # "预计10/26上线完成" is a plan, not a fact: only a clause without 预计/计划 says done; and a
    # progress short of 100 says it is not done ("已完成207台…，完成占比70%").
    clauses = re.split(r"[，,。；;]", text)
    if progress == 100 or (progress is None and any(
            _DONE_WORDS.search(c) and not re.search("预计|计划|目标", c) for c in clauses)):
        return "done"
    if progress or "推进中" in text or "进行中" in text:
        return "in progress"
    return "planned"


def enrich_item(item: ObjectiveItem, anchor: date) -> ObjectiveItem:
    """Fill progress, due date and status from the item's own words."""
    words = item.line
    item.progress = read_progress(words)
    item.due = read_due(words, anchor)
    item.status = read_status(words, item.progress)
    for child in item.children:
        enrich_item(child, anchor)
    return item


# `D级`, `【D级】`, `（D级）`, `A类`, `P2`, `Sev1`, `SEV-2`, `severity: high`
def read_task(words: str, body: str, anchor: date) -> tuple[float | None, date | None]:
    """(progress, due date) of a task from its line, else from the lines under it."""
    progress = read_progress(words)
    if progress is None and any(sign in body for sign in "%％/百"):
        progress = read_progress(body)
    try:
        due = read_due(words + "\n" + body, anchor)
    except ValueError:
        due = None
    return progress, due


_GRADE = LazyPattern(r"(?<![A-Za-z])([A-D])[ \t]?[级类]"
                    r"|(?<![A-Za-z0-9])P([0-4])(?![\d.])"
                    r"|(?<![A-Za-z])sev(?:erity)?[ \t]?[-:：]?[ \t]?([1-4])(?!\d)"
                    r"|(?<![A-Za-z])severity[ \t]{0,2}[:：=]?[ \t]{0,2}(critical|high|medium|low)\b", re.I)


def grade_scale(p_grades: str = "ABCDD", sev_grades: str = "ABCD") -> dict:
    """How P0–P4 and Sev1–Sev4 read as grades A–D (the settings `incident_p_grades`,
    `incident_sev_grades`); `severity: critical|high|medium|low` reads as A–D."""
    return {"P": p_grades, "SEV": sev_grades, "severity": {"critical": "A", "high": "B", "medium": "C", "low": "D"}}


GRADE_SCALE = grade_scale()


def describe_scale(scale: dict) -> str:
    return (f"P0–P4 → {' '.join(scale['P'])}, Sev1–Sev4 → {' '.join(scale['SEV'])}, "
            f"severity critical/high/medium/low → A B C D")

# `持续10mins`, `10分钟`, `40 min`, `2h`, `lasted 2 hours`; a delay (`延迟40分钟`, `40 min late`) is no duration
_DURATION = LazyPattern(r"(?:持续|历时|耗时|lasted|lasting|for)?[ \t]{0,2}(?:约|about|~)?[ \t]{0,2}(\d{1,4})[ \t]{0,2}"
                       r"(mins?|minutes?|分钟|min|小时|h|hrs?|hours?)(?![A-Za-z])", re.I)
_DELAY = LazyPattern(r"(?:延迟|延时|晚到|晚了|推迟|慢了|延后|delayed|late)(?:启动|发出|到达|了)?[ \t]{0,2}$"
                    r"|^[ \t]{0,2}(?:late|delay)", re.I)

_RESOLVED = ("修复", "恢复", "回滚", "解决", "已处理", "补跑", "补做", "冲正", "resolved", "mitigated", "recovered", "fixed",
             "re-ran", "rerun", "re-run", "rolled back", "failed over", "restored")
_STILL_OPEN = ("未恢复", "未解决", "排查中", "处理中", "investigating", "ongoing", "unresolved", "still open")


def read_grade(text: str, scale: dict = GRADE_SCALE) -> str | None:
    """An incident's grade A–D as its words write it, P and Sev read by `scale`."""
    m = _GRADE.search(text)
    if m is None:
        return None
    if m.group(1):
        return m.group(1).upper()
    if m.group(2):
        return scale["P"][int(m.group(2))]
    if m.group(3):
        return scale["SEV"][int(m.group(3)) - 1]
    return scale["severity"][m.group(4).lower()]


def read_duration(text: str) -> int | None:
    """Minutes an incident lasted, when its words say; a delay is not how long it lasted."""
    for m in _DURATION.finditer(text):
        if _DELAY.search(text[max(0, m.start() - 8):m.start()]) or _DELAY.match(text[m.end():m.end() + 6]):
            continue
        n = int(m.group(1))
        return n * 60 if m.group(2).lower().startswith(("小时", "h")) else n
    return None


def enrich_incident(inc: Incident, words: str | None = None, scale: dict = GRADE_SCALE) -> Incident:
    """Read grade, duration, detection, impact, follow-up and status out of an imported line
    (`words`: the line and its sub-lines, when more than the summary)."""
    text = inc.summary
    words = words if words is not None else text
    if (grade := read_grade(words, scale)) is not None:
        inc.grade = grade
    if (minutes := read_duration(words)) is not None:
        inc.duration_min = minutes
    if text.startswith("监控发现"):
        inc.detection = "监控"
    clauses = [c for c in re.split(r"[，,。；;]", text) if c.strip()]
    impact = next((c for c in clauses if "影响" in c), "")
    inc.impact = impact.strip()
    follow = next((c for c in reversed(clauses) if any(w in c for w in (*_RESOLVED, "优化"))), "")
    inc.resolution = follow.strip()
    lower = words.lower()
    inc.status = "resolved" if any(w in lower for w in _RESOLVED) and not any(w in lower for w in _STILL_OPEN) \
        else "open"
    return inc


_WHEN = LazyPattern(r"^(?:(\d{1,2})/(\d{1,2})|(\d{1,2})月(\d{1,2})日)\s*(\d{1,2})[:：](\d{2})$")


def incident_when(inc: Incident) -> str:
    """The incident's time as the report prints it: as the user wrote it, while that still
    names the same minute; else `M/D HH:MM`."""
    if inc.when_written and (m := _WHEN.match(inc.when_written)):
        month, day = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
        if (month, day, int(m.group(5)), int(m.group(6))) == (inc.at.month, inc.at.day, inc.at.hour, inc.at.minute):
            return inc.when_written
    return f"{inc.at.month}/{inc.at.day} {inc.at:%H:%M}"


def incident_text(inc: Incident, lang: str = "zh") -> str:
    """The incident's report line after its time: the summary, then any field the summary
    does not already say."""
    parts = [inc.summary]
    s = inc.summary
    if lang == "en":
        if inc.grade:
            parts.insert(0, f"[{inc.grade}]")
        extra = []
        if inc.duration_min is not None and not _DURATION.search(s):
            extra.append(f"lasted {inc.duration_min} min")
        if inc.impact and inc.impact not in s:
            extra.append(f"impact: {inc.impact}")
        if inc.resolution and inc.resolution not in s:
            extra.append(f"resolution: {inc.resolution}")
        return " ".join(parts) + "".join(f"; {e}" for e in extra)
    extra = []
    if inc.grade and f"{inc.grade}级" not in s:
        extra.append(f"{inc.grade}级事故")
    if inc.duration_min is not None and not _DURATION.search(s):
        extra.append(f"持续{inc.duration_min}分钟")
    if inc.impact and inc.impact not in s:
        extra.append(f"影响：{inc.impact}")
    if inc.resolution and inc.resolution not in s:
        extra.append(f"处理：{inc.resolution}")
    if extra and s.endswith(("。", "！", "？", "；", "，", "、")):
        return s + "，".join(extra)  # `业务无影响。C级事故`, not `业务无影响。，C级事故`
    return "，".join([s, *extra])

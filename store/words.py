"""Structured fields read from the user's words (progress, dates, status, grades,
durations) and written back into them; an incident's line as the report prints it. No I/O and no UI here."""

from __future__ import annotations

import re
from datetime import date

from .models import Incident, ObjectiveItem, check_day
from .dates import nearest_year


_PROGRESS = re.compile(r"(?:进度|完成占比|完成度|完成率)?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]")


_DUE = re.compile(
    r"(?:(?P<y>\d{4})[/-])?(?P<m>\d{1,2})/(?P<d>\d{1,2})\s*(?=上线|提测|完成|发布|交付|启动|前)"
    r"|(?:预计|计划|目标)\s*(?:(?P<y2>\d{4})[/-])?(?P<m2>\d{1,2})/(?P<d2>\d{1,2})"
)


_DONE_WORDS = re.compile(r"上线完成|已上线|已完成|完成上线")


def read_progress(text: str) -> float | None:
    found = [float(m.group(1)) for m in _PROGRESS.finditer(text) if "进度" in m.group(0)
             or "完成" in m.group(0)] or [float(m.group(1)) for m in _PROGRESS.finditer(text)]
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
    for m in _DUE.finditer(text):
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


_GRADE = re.compile(r"([A-D])级(?:事故|事件|故障)")


_DURATION = re.compile(r"持续\s*(\d+)\s*(mins?|分钟|min|m|小时|h|hours?)", re.I)


_RESOLVED = ("修复", "恢复", "回滚", "解决", "已处理")


def enrich_incident(inc: Incident) -> Incident:
    """Read grade, duration, detection, impact and follow-up out of an imported line."""
    text = inc.summary
    if m := _GRADE.search(text):
        inc.grade = m.group(1)
    if m := _DURATION.search(text):
        n = int(m.group(1))
        inc.duration_min = n * 60 if m.group(2).lower().startswith(("小时", "h")) else n
    if text.startswith("监控发现"):
        inc.detection = "监控"
    clauses = [c for c in re.split(r"[，,。；;]", text) if c.strip()]
    impact = next((c for c in clauses if "影响" in c), "")
    inc.impact = impact.strip()
    follow = next((c for c in reversed(clauses) if any(w in c for w in (*_RESOLVED, "优化"))), "")
    inc.resolution = follow.strip()
    inc.status = "resolved" if any(w in text for w in _RESOLVED) else "open"
    return inc


_WHEN = re.compile(r"^(?:(\d{1,2})/(\d{1,2})|(\d{1,2})月(\d{1,2})日)\s*(\d{1,2})[:：](\d{2})$")


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

"""The check before export: what a reader of the report would trip over. No I/O and no UI here."""

from __future__ import annotations

from datetime import date

from .models import Week
from .carry import is_overdue, progress_change
from .counts import count_mismatch


CHECK_MESSAGES = {
    "no_value": ("指标「{name}」本周没有数值", "metric '{name}' has no value this week"),
    "counts_differ": ("报告写明事故数 AB{a}/CD{c}，与事件记录（AB{da}/CD{dc}）不符：给事件定级或删去该数字",
                      "stated incident counts AB {a} / CD {c} differ from the log (AB {da} / CD {dc}): "
                      "grade the incidents or drop the figure"),
    "no_resolution": ("事件 {when} 没有处理结果", "incident {when} has no resolution"),
    "over_100": ("{code}「{label}」进度超过 100%", "{code} '{label}': progress over 100%"),
    "backwards": ("{code}「{label}」进度倒退了 {change:g} 个百分点", "{code} '{label}': progress went back {change:g} points"),
    "overdue": ("{code}「{label}」日期 {due} 已过，尚未完成", "{code} '{label}': date {due} has passed, not done"),
}


def pre_export_check(week: Week, today: date, last_week: Week | None = None,
                     derived: tuple[int, int] | None = None, lang: str = "en") -> list[str]:
    problems: list[str] = []

    def say(key: str, **values) -> None:
        zh, en = CHECK_MESSAGES[key]
        problems.append((zh if lang == "zh" else en).format(**values))

    for m in week.metrics:
        if m.kind != "incident_counts" and m.value is None:
            say("no_value", name=m.name)
    mismatch = count_mismatch(week, derived) if derived is not None else None
    if mismatch:
        (a, c), (da, dc) = mismatch
        say("counts_differ", a=a, c=c, da=da, dc=dc)
    for inc in week.incidents:
        if not inc.resolution and inc.status != "resolved":
            say("no_resolution", when=f"{inc.at:%m/%d %H:%M}")
    for objective in week.objectives:
        for item in objective.walk():
            label = item.name or item.text[:20]
            if item.progress is not None and item.progress > 100:
                say("over_100", code=objective.code, label=label)
            change = progress_change(item, last_week)
            if change is not None and change < 0:
                say("backwards", code=objective.code, label=label, change=change)
            if is_overdue(item, today):
                say("overdue", code=objective.code, label=label, due=f"{item.due:%m/%d}")
    return problems

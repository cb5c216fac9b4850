"""The week as Markdown: the zh template follows the sample report line for line, the en
template is its English twin. Deterministic: the same week always gives the same bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from store.models import DailyNote, Metric, ObjectiveItem, Week
from store.rules import counts, incident_text, reported_counts, title

from .escape import escape_line, escape_text, trim_blank_lines

ZH_WEEKDAYS = "周一 周二 周三 周四 周五 周六 周日".split()
EN_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
KEY_WORK_START = re.compile(r"[-+*][ \t]+【")  # a body line like this would start a new item

LABELS = {
    "zh": {
        "key_work": "## 【重点工作】", "metrics": "## 【系统运行数据】", "other": "## 【其他】",
        "reflections": "## 收获与反思", "next_week": "# 下周工作及目标", "daily": "# 日报合集",
        "incidents": "## 生产稳定性事件", "incident_host_line": "1. 生产稳定性事件：",
        "colon": "：", "joiner": " ，",
    },
    "en": {
        "key_work": "## Key work", "metrics": "## Operational metrics", "other": "## Other",
        "reflections": "## Reflections", "next_week": "## Next week", "daily": "## Daily notes",
        "incidents": "## Production incidents", "incident_host_line": "",
        "colon": ": ", "joiner": ", ",
    },
}


@dataclass(frozen=True)
class ExportOptions:
    lang: str = "zh"
    numbering: str = "jan1"
    report_day: int = 4
    incident_counts: tuple[int, int] | None = None  # derived by the caller (year-to-date scope)


def daily_label(day: date, lang: str) -> str:
    if lang == "en":
        return f"{day:%Y-%m-%d} {EN_WEEKDAYS[day.weekday()]}"
    return f"{day:%Y/%m/%d} {ZH_WEEKDAYS[day.weekday()]}"


def daily_file_name(note: DailyNote, lang: str) -> str:
    if note.link:
        return unquote(note.link)
    return f"{note.day:%Y-%m-%d} {(ZH_WEEKDAYS if lang == 'zh' else EN_WEEKDAYS)[note.day.weekday()]}.md"


def daily_link(note: DailyNote, lang: str) -> str:
    # Notion encodes only what breaks a link (spaces), not CJK: so do we, for the same links.
    name = daily_file_name(note, lang)
    return note.link or name.replace("%", "%25").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def metric_reading(m: Metric, lang: str, ab_cd: tuple[int, int]) -> str:
    colon = LABELS[lang]["colon"]
    name = escape_line(m.name)
    if m.kind == "incident_counts":
        ab, cd = ab_cd
        if lang == "en":
            return f"Incidents: A/B {ab}, C/D {cd}"
        return f"{name}AB级{ab}次，CD级{cd}次"
    if m.value is None:
        value = ""
    elif m.kind == "percent":
        value = f"{m.value}%"
    else:
        value = f"{m.value}{m.unit}"
    return f"{name}{colon}{value}"


def _metrics(week: Week, lang: str, ab_cd: tuple[int, int]) -> list[str]:
    out: list[str] = []
    group: str | None = None
    for m in week.metrics:
        if m.group != group or not out:
            group = m.group
            if out:
                out.append("")
            if group:
                out += [escape_line(group) + ("：" if lang == "zh" else ":"), ""]
        reading = metric_reading(m, lang, ab_cd)
        if m.joined_by is not None and out and out[-1].startswith("- "):
            out[-1] += (m.joined_by if lang == "zh" else ", ") + reading
        else:
            out.append(f"- {reading}")
    return out


def _item_lines(item: ObjectiveItem, depth: int, marker: str, lang: str) -> list[str]:
    line = item.line if lang == "zh" else (f"{item.name}: {item.text}" if item.name and item.text
                                           else item.name or item.text)
    out = [f"{'    ' * depth}{marker}{escape_line(line)}"]
    for n, child in enumerate(item.children, 1):
        out += _item_lines(child, depth + 1, f"{n}. " if item.ordered_children else "- ", lang)
    return out


def _incident_lines(week: Week, lang: str) -> list[str]:
    out = []
    for inc in week.sorted_incidents():
        when = f"{inc.at.month}/{inc.at.day} {inc.at:%H:%M}"
        out.append(f"- {when} {incident_text(inc, lang)}")
    return out


def _numbered(entries) -> list[str]:
    out = []
    for n, entry in enumerate(entries, 1):
        first, *rest = entry.text.split("\n")
        out.append(f"{n}. {escape_line(first)}")
        out += [escape_line(line) for line in rest]
    return out


def render(week: Week, options: ExportOptions = ExportOptions()) -> str:
    lang = options.lang if options.lang in LABELS else "zh"
    label = LABELS[lang]
    derived = options.incident_counts or counts(week.incidents)
    ab_cd = reported_counts(week, derived)
    blocks: list[list[str]] = []

    if week.page_title and lang == "zh":
        blocks.append([f"# {week.page_title}"])
    blocks.append([f"# {title(week, lang, options.numbering, options.report_day)}"])

    key_work = [label["key_work"]]
    items = []
    for item in week.key_work:
        heading = f"- 【{item.title}】" if lang == "zh" else f"- **{item.title.replace('*', chr(92) + '*')}**"
        items.append(heading)
        body = "\n".join(trim_blank_lines(item.body.split("\n")))
        if body:
            items.append(escape_text(body, lists=False, extra=KEY_WORK_START))
    blocks.append(key_work)
    if items:
        blocks.append(items)

    blocks.append([label["metrics"]])
    if week.metrics:
        blocks.append(_metrics(week, lang, ab_cd))

    host = week.objective(week.incident_host) if lang == "zh" else None
    for objective in week.objectives:
        heading = f"## 【{objective.heading}】" if lang == "zh" else f"## {objective.code} {objective.title}".rstrip()
        blocks.append([heading])
        lines = []
        for item in objective.items:
            lines += _item_lines(item, 0, "- ", lang)
        if objective is host and week.incidents:
            lines.append(label["incident_host_line"])
            lines += _incident_lines(week, lang)
        if lines:
            blocks.append(lines)
    if host is None and week.incidents:
        blocks += [[label["incidents"]], _incident_lines(week, lang)]

    for key, entries in (("other", week.other),):
        blocks.append([label[key]])
        if entries:
            blocks.append(_numbered(entries))

    blocks.append([label["reflections"]])
    reflections = "\n".join(trim_blank_lines(week.reflections.split("\n")))
    if reflections:
        blocks.append([escape_text(reflections, lists=False)])

    blocks.append([label["next_week"]])
    if week.next_week:
        blocks.append(_numbered(week.next_week))

    blocks.append([label["daily"]])
    for note in sorted(week.daily_notes, key=lambda n: n.day):
        blocks.append([f"[{daily_label(note.day, lang)}]({daily_link(note, lang)})"])

    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def render_daily(note: DailyNote, lang: str = "zh") -> str:
    return f"# {daily_label(note.day, lang)}\n\n{note.text.strip()}\n" if note.text.strip() else \
        f"# {daily_label(note.day, lang)}\n"

"""The week as Markdown: the zh template follows the sample report line for line, the en
template is its English twin. Deterministic: the same week always gives the same bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from weekly_zhoubao.store.models import (
    DailyNote, Incident, KeyWorkItem, ListEntry, Metric, Objective, ObjectiveItem, Section, Task, Week, Words,
)
from weekly_zhoubao.store.counts import counts, reported_counts
from weekly_zhoubao.store.weeks import number_of, report_date, title
from weekly_zhoubao.store.words import incident_text, incident_when
from weekly_zhoubao.store.templates import FIELD_KEYS, SectionSpec, Template, builtin_templates, default_heading

from .escape import escape_line, escape_text, trim_blank_lines
from weekly_zhoubao.store.text import LazyPattern

ZH_WEEKDAYS = "周一 周二 周三 周四 周五 周六 周日".split()
EN_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
KEY_WORK_START = LazyPattern(r"[-+*][ \t]+【")  # a body line like this would start a new item

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
    template: Template | None = None  # the week's template when it is a user's (read by the caller)


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


def with_words(element: Words, lines: list[str]) -> list[str]:
    """An element's lines: its imported words while it is unedited, else `lines` (written from
    its fields); the lines around it that belong to no element, always (SPEC §2.2)."""
    out = [element.before] if element.before else []
    if element.written is None:
        out += lines
    elif element.written:  # "": its words are on another element's line (a second reading, a table row)
        out.append(element.written)
    if element.after:
        out.append(element.after)
    return out


def checkbox(task: Task) -> str:
    """`[x] ` / `[ ] ` for a task imported with a checkbox; nothing for one without."""
    return "" if task.done is None else "[x] " if task.done else "[ ] "


def _metrics(week: Week, lang: str, ab_cd: tuple[int, int]) -> list[str]:
    out: list[str] = []
    group: str | None = None
    metrics = week.metrics
    n = 0
    while n < len(metrics):
        m = metrics[n]
        end = n + 1
        while end < len(metrics) and metrics[end].joined_by is not None:
            end += 1
        if m.written and all(x.written == "" for x in metrics[n + 1:end]):
            # a line of readings as imported, none of them edited since
            for x in metrics[n:end]:
                out += with_words(x, [])
            group = metrics[end - 1].group
            n = end
            continue
        for x in metrics[n:end]:
            if x.before:
                out.append(x.before)
                group = x.group  # its group's label is in the words above it
            if x.group != group or not out:
                group = x.group
                if out:
                    out.append("")
                if group:
                    out += [escape_line(group) + ("：" if lang == "zh" else ":"), ""]
            reading = metric_reading(x, lang, ab_cd)
            if x.joined_by is not None and out and out[-1].startswith("- "):
                out[-1] += (x.joined_by if lang == "zh" else ", ") + reading
            else:
                out.append(f"- {reading}")
            if x.after:
                out.append(x.after)
        n = end
    return out


def _item_lines(item: ObjectiveItem, depth: int, marker: str, lang: str) -> list[str]:
    line = item.line if lang == "zh" else (f"{item.name}: {item.text}" if item.name and item.text
                                           else item.name or item.text)
    out = [f"{'    ' * depth}{marker}{escape_line(line)}"]
    for n, child in enumerate(item.children, 1):
        out += _item_lines(child, depth + 1, f"{n}. " if item.ordered_children else "- ", lang)
    return out


def template_of(week: Week, options: ExportOptions = ExportOptions()) -> Template:
    """The template a week is written in: its own inferred layout, else the named one."""
    if week.layout is not None:
        return week.layout
    if options.template is not None and options.template.name == week.template:
        return options.template
    return builtin_templates().get(week.template) or builtin_templates()["default"]


def render(week: Week, options: ExportOptions = ExportOptions()) -> str:
    template = template_of(week, options)
    lang = template.lang or (options.lang if options.lang in LABELS else "zh")
    if template.is_sample:
        text = _render_sample(week, options, lang)
        if week.preamble.strip():  # front matter or notes above the title, as imported
            text = "\n".join(trim_blank_lines(week.preamble.split("\n"))) + "\n\n" + text
        placed = {"key_work", "metrics", "objectives", "incidents", "other", "reflections", "next_week", "daily"}
        extra = _other_sections(week, placed, lang)
        return text if not extra else text + "\n" + "\n\n".join("\n".join(b) for b in extra) + "\n"
    return _render_generic(week, template, options, lang)


def _render_sample(week: Week, options: ExportOptions, lang: str) -> str:
    label = LABELS[lang]
    derived = options.incident_counts or counts(week.incidents)
    ab_cd = reported_counts(week, derived)
    blocks: list[list[str]] = []

    if week.page_title and lang == "zh":
        blocks.append([f"# {week.page_title}"])
    blocks.append([f"# {title(week, lang, options.numbering, options.report_day)}"])
    if week.intro.strip():  # text an imported report had under its title (a week moved to this template)
        blocks.append(["\n".join(trim_blank_lines(week.intro.split("\n")))])

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
            lines += with_words(item, _item_lines(item, 0, "- ", lang))
        if objective is host and week.incidents:
            lines.append(label["incident_host_line"])
            lines += incident_lines(week.incidents, lang)
        if lines:
            blocks.append(lines)
    if host is None and week.incidents:
        blocks += [[label["incidents"]], incident_lines(week.incidents, lang)]

    for key, entries in (("other", week.other),):
        blocks.append([label[key]])
        if entries:
            blocks.append(_list_lines(entries))

    blocks.append([label["reflections"]])
    reflections = "\n".join(trim_blank_lines(week.reflections.split("\n")))
    if reflections:
        blocks.append([escape_text(reflections, lists=False)])

    blocks.append([label["next_week"]])
    if week.next_week:
        blocks.append(_list_lines(week.next_week))

    blocks.append([label["daily"]])
    for note in sorted(week.daily_notes, key=lambda n: n.day):
        blocks.append([f"[{daily_label(note.day, lang)}]({daily_link(note, lang)})"])

    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def render_daily(note: DailyNote, lang: str = "zh") -> str:
    return f"# {daily_label(note.day, lang)}\n\n{note.text.strip()}\n" if note.text.strip() else \
        f"# {daily_label(note.day, lang)}\n"


# --- any other template --------------------------------------------------------------------

def _key_work_lines(items: list[KeyWorkItem], spec: SectionSpec, lang: str,
                    after_titles: list[str] | None = None, first: int = 1) -> list[str]:
    """`after_titles`: words after each item's title (the team roll-up's attribution); `first`:
    the position of the first item (numbers count from it)."""
    out: list[str] = []
    for n, item in enumerate(items, first):
        start = len(out)
        if spec.marker == "- 【":
            out.append(f"- 【{item.title}】")
        elif spec.marker == "- **":
            out.append(f"- **{item.title.replace('*', chr(92) + '*')}**")
        else:
            out.append(f"{spec.item_marker(n)}{checkbox(item)}{escape_line(item.title)}")
        if after_titles:
            out[-1] += after_titles[n - first]
        body = "\n".join(trim_blank_lines(item.body.split("\n")))
        if body:
            out.append(escape_text(body, lists=False, extra=KEY_WORK_START))
        if not after_titles:  # the roll-up writes every member's items in the lead's way
            out[start:] = with_words(item, out[start:])
    return out


def _list_lines(entries: list[ListEntry], spec: SectionSpec | None = None) -> list[str]:
    """A numbered list (其他, 下周), in the section's own markers when it has a spec."""
    out = []
    for n, entry in enumerate(entries, 1):
        first, *rest = entry.text.split("\n")
        out += with_words(entry, [f"{spec.item_marker(n) if spec else f'{n}. '}{checkbox(entry)}{escape_line(first)}",
                                  *(escape_line(line) for line in rest)])
    return out


def element_lines(element, spec: SectionSpec, lang: str, position: int) -> list[str]:
    """The lines one element's fields write, at its position in its section (numbers count)."""
    if isinstance(element, KeyWorkItem):
        return _key_work_lines([element.model_copy(update=Words.unwritten())],
                               spec, lang, first=position)
    if isinstance(element, ListEntry):
        first, *rest = element.text.split("\n")
        return [f"{spec.item_marker(position)}{checkbox(element)}{escape_line(first)}",
                *(escape_line(line) for line in rest)]
    if isinstance(element, Metric):
        return [f"- {metric_reading(element, lang, (0, 0))}"]
    if isinstance(element, Incident):
        return [f"- {incident_when(element)} {incident_text(element, lang)}"]
    if isinstance(element, ObjectiveItem):
        return _item_lines(element, 0, "- ", lang)
    return []  # a daily note's fields write a link to its file: its words stay


def objective_lines(objective: Objective, incidents: list[Incident] | None, lang: str,
                    host_line: str | None = None) -> list[str]:
    lines = []
    for item in objective.items:
        lines += with_words(item, _item_lines(item, 0, "- ", lang))
    if incidents:
        lines.append(host_line if host_line is not None else LABELS["zh"]["incident_host_line"])
        lines += incident_lines(incidents)
    return lines


def incident_lines(incidents: list[Incident], lang: str = "zh") -> list[str]:
    """In time order; an imported log keeps the file's order (newest first, say) while it
    holds words as written."""
    imported = any(i.written is not None or i.before or i.after for i in incidents)
    out = []
    for inc in incidents if imported else sorted(incidents, key=lambda i: i.at):
        out += with_words(inc, [f"- {incident_when(inc)} {incident_text(inc, lang)}"])
    return out


_FENCE_LINE = LazyPattern(r"^ {0,3}(`{3,}|~{3,})")


def _custom_lines(section: Section, level: int = 2) -> list[str]:
    body = custom_text(section.body, level)
    return [body] if body else []


def custom_text(text: str, level: int) -> str:
    """Markdown of one's own, as written; only a line that would end its section (a heading as
    high as the section's, outside a code fence) is escaped. An imported section holds none:
    those lines started sections of their own."""
    lines = trim_blank_lines(text.split("\n"))
    breaker = re.compile(r"^ {0,3}#{1,%d}(?:[ \t]|$)" % (level or 6))
    fenced = False
    for n, line in enumerate(lines):
        if _FENCE_LINE.match(line):
            fenced = not fenced
        elif not fenced and breaker.match(line):
            lines[n] = escape_line(line)
    return "\n".join(lines)


def section_body(week: Week, spec: SectionSpec, lang: str, ab_cd: tuple[int, int],
                 incidents_here: bool) -> list[str] | None:
    """The lines under one section's heading; None when the week holds nothing for it. A
    section imported as written comes first; what was added to the same field since follows."""
    own = week.section(spec.key)
    fields = _field_lines(week, spec, lang, ab_cd, incidents_here)
    if own is None:
        return fields
    lines = _custom_lines(own, spec.level)
    if fields and _has_content(week, spec.key):
        lines += fields
    return lines


def _field_lines(week: Week, spec: SectionSpec, lang: str, ab_cd: tuple[int, int],
                 incidents_here: bool) -> list[str] | None:
    key = spec.key
    if key.startswith("day:"):
        note = next((n for n in week.daily_notes if n.day.isoformat() == key[4:]), None)
        if note is None:
            return None
        text = custom_text(note.text, spec.level)
        return [text] if text else []
    if key == "key_work":
        return _key_work_lines(week.key_work, spec, lang)
    if key == "metrics":
        return _metrics(week, lang, ab_cd) if week.metrics else []
    if key == "incidents":
        return incident_lines(week.incidents, lang)
    if key in ("other", "next_week"):
        return _list_lines(getattr(week, key), spec)
    if key == "reflections":
        text = "\n".join(trim_blank_lines(week.reflections.split("\n")))
        return [escape_text(text, lists=False)] if text else []
    if key == "daily":
        return [line for n in sorted(week.daily_notes, key=lambda n: n.day)
                for line in with_words(n, [f"[{daily_label(n.day, lang)}]({daily_link(n, lang)})"])]
    if key.startswith("objective:"):
        objective = week.objective(key.split(":", 1)[1])
        if objective is None:
            return None
        host = incidents_here and objective.code == week.incident_host
        return objective_lines(objective, week.incidents if host else None, lang)
    return None


def _has_content(week: Week, key: str) -> bool:
    if key == "metrics":
        return any(m.value is not None for m in week.metrics)
    if key == "reflections":
        return bool(week.reflections.strip())
    if key == "daily":
        return bool(week.daily_notes)
    return bool(getattr(week, key, None))


def _other_sections(week: Week, placed: set[str], lang: str) -> list[list[str]]:
    """What the template has no place for is never dropped: it follows, under its own heading."""
    blocks: list[list[str]] = []
    ab_cd = reported_counts(week, counts(week.incidents))
    for key in FIELD_KEYS:
        if key in placed or key == "objectives" or not _has_content(week, key):
            continue
        spec = SectionSpec(key=key, heading={lang: default_heading(key, lang)})
        blocks += [[spec.heading_line(lang)], section_body(week, spec, lang, ab_cd, True) or []]
    if "objectives" not in placed:
        for objective in week.objectives:
            if f"objective:{objective.code}" in placed:
                continue
            blocks += [[f"## {objective.code} {objective.title}".rstrip()],
                       objective_lines(objective, None, lang)]
    for section in week.sections:
        if section.key in placed:
            continue
        blocks += [[f"## {escape_line(section.title or section.key)}"], _custom_lines(section, 2)]
    return [b for b in blocks if b]


def _render_generic(week: Week, template: Template, options: ExportOptions, lang: str) -> str:
    derived = options.incident_counts or counts(week.incidents)
    ab_cd = reported_counts(week, derived)
    blocks: list[list[str]] = []
    if week.preamble.strip():
        blocks.append(["\n".join(trim_blank_lines(week.preamble.split("\n")))])
    if week.title_line is not None:
        if week.title_line:
            blocks.append([week.title_line])
    else:
        pattern = template.title.get(lang) or next(iter(template.title.values()), "{date:%Y-%m-%d}")
        text = pattern.format(number=number_of(week, options.numbering, options.report_day),
                              date=report_date(week, options.report_day))
        blocks.append([f"{'#' * template.title_level} {text}" if template.title_level else text])
    if week.intro.strip():
        blocks.append(["\n".join(trim_blank_lines(week.intro.split("\n")))])
    keys = {s.key for s in template.sections}
    days = {k[4:] for k in keys if k.startswith("day:")}
    if days:  # notes under their own day headings are not listed again under the daily notes
        full, week = week, week.model_copy(update={"daily_notes": [
            n for n in week.daily_notes if n.day.isoformat() not in days]})
    else:
        full = week
    incidents_placed = "incidents" in keys
    placed: set[str] = set()
    for position, spec in enumerate(template.sections, 1):
        if spec.key == "objectives":
            placed.add("objectives")
            for objective in week.objectives:
                if f"objective:{objective.code}" in keys:
                    continue
                own = SectionSpec(key=f"objective:{objective.code}", heading={lang: f"{objective.code} {objective.title}".rstrip()},
                                  level=spec.level, style=spec.style)
                blocks.append([own.heading_line(lang)])
                body = section_body(week, own, lang, ab_cd, not incidents_placed)
                if body:
                    blocks.append(body)
            continue
        body = section_body(full if spec.key.startswith("day:") else week, spec, lang, ab_cd, not incidents_placed)
        if body is None:
            continue
        placed.add(spec.key)
        if spec.key.startswith("objective:") and week.objective(spec.key.split(":", 1)[1]) and \
                week.objective(spec.key.split(":", 1)[1]).code == week.incident_host and not incidents_placed:
            placed.add("incidents")
        if heading := spec.heading_line(lang, position):  # "": a section the file wrote without a heading
            blocks.append([heading])
        if body:
            blocks.append(body)
    if not incidents_placed and week.incidents and week.objective(week.incident_host) is None:
        pass  # no host: the incidents follow under their own heading
    elif not incidents_placed:
        placed.add("incidents")
    blocks += _other_sections(week, placed, lang)
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"

"""A team's week as one report (Markdown, or JSON for scripts).

Sections in the default template's order (exporters/markdown.py): key work, metrics,
objectives, incidents, other, reflections, next week; then the members who have not
published. Each entry names its member. Incidents of all members are merged by time and
their counts by grade summed; metrics sit side by side, one column per member.
Daily notes never appear (they are private by default and never leave a member's machine).
"""

from __future__ import annotations

from store.models import Week
from store.rules import counts, incident_text, reported_counts, title
from store.team.rollup import Rollup

from .escape import escape_line, escape_text, trim_blank_lines
from .markdown import KEY_WORK_START, LABELS, _item_lines

TEAM_LABELS = {
    "zh": {"title": "团队周报", "metric": "指标", "missing": "## 未发布", "none": "（全员已发布）",
           "incidents": "## 生产稳定性事件", "counts": "事故数AB级{ab}次，CD级{cd}次",
           "cell_counts": "AB级{ab}次，CD级{cd}次"},
    "en": {"title": "Team", "metric": "Metric", "missing": "## Not published", "none": "(everyone published)",
           "incidents": "## Production incidents", "counts": "Incidents: A/B {ab}, C/D {cd}",
           "cell_counts": "A/B {ab}, C/D {cd}"},
}


def by(member: str, lang: str) -> str:
    return f"（{member}）" if lang == "zh" else f" ({member})"


def _cell(text: str) -> str:
    return escape_line(text).replace("|", "\\|")


def _member_counts(week: Week) -> tuple[int, int]:
    return reported_counts(week, counts(week.incidents))


def _metric_value(metric, week: Week, lang: str) -> str:
    if metric.kind == "incident_counts":
        ab, cd = _member_counts(week)
        return TEAM_LABELS[lang]["cell_counts"].format(ab=ab, cd=cd)
    if metric.value is None:
        return ""
    return f"{metric.value}%" if metric.kind == "percent" else f"{metric.value}{metric.unit}"


def _metrics_table(rollup: Rollup, lang: str) -> list[str]:
    names = list(rollup.weeks)
    rows: dict[tuple[str, str, str], dict[str, str]] = {}  # first appearance order
    for member, week in rollup.weeks.items():
        for metric in week.metrics:
            key = (metric.group, metric.name, metric.kind)
            rows.setdefault(key, {})[member] = _metric_value(metric, week, lang)
    if not rows:
        return []
    out = [f"| {TEAM_LABELS[lang]['metric']} | " + " | ".join(names) + " |",
           "|---" * (len(names) + 1) + "|"]
    for (group, name, _), values in rows.items():
        label = f"{group} / {name}" if group else name
        out.append(f"| {_cell(label)} | " + " | ".join(_cell(values.get(m, "")) for m in names) + " |")
    return out


def render_rollup(rollup: Rollup, lang: str = "zh", numbering: str = "jan1", report_day: int = 4) -> str:
    lang = lang if lang in LABELS else "zh"
    label, team = LABELS[lang], TEAM_LABELS[lang]
    blocks: list[list[str]] = [[f"# {team['title']} {title(Week(monday=rollup.monday), lang, numbering, report_day)}"]]

    blocks.append([label["key_work"]])
    items = []
    for member, week in rollup.weeks.items():
        for item in week.key_work:
            heading = f"- 【{item.title}】" if lang == "zh" else f"- **{item.title.replace('*', chr(92) + '*')}**"
            items.append(heading + by(member, lang))
            body = "\n".join(trim_blank_lines(item.body.split("\n")))
            if body:
                items.append(escape_text(body, lists=False, extra=KEY_WORK_START))
    if items:
        blocks.append(items)

    blocks.append([label["metrics"]])
    table = _metrics_table(rollup, lang)
    if table:
        blocks.append(table)

    objectives: dict[str, list[str]] = {}  # heading -> lines, first appearance order
    for member, week in rollup.weeks.items():
        for objective in week.objectives:
            heading = (f"## 【{objective.heading}】" if lang == "zh"
                       else f"## {objective.code} {objective.title}".rstrip())
            lines = objectives.setdefault(heading, [])
            for item in objective.items:
                item_lines = _item_lines(item, 0, "- ", lang)
                item_lines[0] += by(member, lang)
                lines += item_lines
    for heading, lines in objectives.items():
        blocks.append([heading])
        if lines:
            blocks.append(lines)

    merged = sorted(((inc, member) for member, week in rollup.weeks.items() for inc in week.incidents),
                    key=lambda pair: (pair[0].at, pair[1]))
    ab = sum(_member_counts(w)[0] for w in rollup.weeks.values())
    cd = sum(_member_counts(w)[1] for w in rollup.weeks.values())
    blocks.append([team["incidents"]])
    incident_lines = [team["counts"].format(ab=ab, cd=cd), ""]
    for inc, member in merged:
        incident_lines.append(f"- {inc.at.month}/{inc.at.day} {inc.at:%H:%M} "
                              f"{escape_line(incident_text(inc, lang))}{by(member, lang)}")
    blocks.append(incident_lines[:-1] if not merged else incident_lines)

    for key, attr in (("other", "other"),):
        blocks.append([label[key]])
        lines = _numbered_by(rollup, attr, lang)
        if lines:
            blocks.append(lines)

    blocks.append([label["reflections"]])
    for member, week in rollup.weeks.items():
        text = "\n".join(trim_blank_lines(week.reflections.split("\n")))
        if text:
            blocks += [[f"### {member}"], [escape_text(text, lists=False)]]

    blocks.append([label["next_week"]])
    lines = _numbered_by(rollup, "next_week", lang)
    if lines:
        blocks.append(lines)

    blocks.append([team["missing"]])
    blocks.append([", ".join(rollup.missing) if rollup.missing else team["none"]])
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def _numbered_by(rollup: Rollup, attr: str, lang: str) -> list[str]:
    out, n = [], 0
    for member, week in rollup.weeks.items():
        for entry in getattr(week, attr):
            n += 1
            first, *rest = entry.text.split("\n")
            out.append(f"{n}. {escape_line(first)}{by(member, lang)}")
            out += [escape_line(line) for line in rest]
    return out


def rollup_json(rollup: Rollup) -> dict:
    """The roll-up for scripts: each member's week as published, the merged incident log,
    the summed counts, who has not published, and the files skipped."""
    merged = sorted(((inc, member) for member, week in rollup.weeks.items() for inc in week.incidents),
                    key=lambda pair: (pair[0].at, pair[1]))
    return {
        "monday": rollup.monday.isoformat(),
        "members": {m: w.model_dump(mode="json") for m, w in rollup.weeks.items()},
        "incidents": [{"member": member, **inc.model_dump(mode="json")} for inc, member in merged],
        "incident_counts": {"AB": sum(_member_counts(w)[0] for w in rollup.weeks.values()),
                            "CD": sum(_member_counts(w)[1] for w in rollup.weeks.values())},
        "not_published": rollup.missing,
        "problems": rollup.problems,
    }

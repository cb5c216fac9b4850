"""A team's week as one report (Markdown, or JSON for scripts), written in the lead's template.

The lead's template (store/team/rollup.lead_template) decides the sections, their order
and headings; store/team/rollup.plan says where each member's part goes (the same section
by key or meaning, as the importer maps headings; else "other sections"). Each entry names
its member. Incidents of all members are merged by time and their counts by grade summed;
metrics sit side by side, one column per member; the members who have not published are
named last. Daily notes are private by default and never leave a member's machine.
"""

from __future__ import annotations

import re

from weekly_zhoubao.store.models import Week, Words
from weekly_zhoubao.store.weeks import number_of, report_date, title
from weekly_zhoubao.store.words import incident_text
from weekly_zhoubao.store.synonyms import normalise
from weekly_zhoubao.store.team.rollup import Place, Rollup, names_line, plan
from weekly_zhoubao.store.templates import FIELD_KEYS, SectionSpec, Template, builtin_templates

from .escape import escape_line, escape_text, trim_blank_lines
from .markdown import LABELS, custom_text, _item_lines, _key_work_lines, _list_lines, daily_label

TEAM_LABELS = {
    "zh": {"title": "团队周报", "metric": "指标", "missing": "## 未发布", "none": "（全员已发布）",
           "others": "## 其他部分", "counts": "事故数AB级{ab}次，CD级{cd}次",
           "cell_counts": "AB级{ab}次，CD级{cd}次"},
    "en": {"title": "Team", "metric": "Metric", "missing": "## Not published", "none": "(everyone published)",
           "others": "## Other sections", "counts": "Incidents: A/B {ab}, C/D {cd}",
           "cell_counts": "A/B {ab}, C/D {cd}"},
}


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
# Lines that would reach past the member's own text: an HTML block (`<!--`, `<pre>` run to
# their end, wherever that is), a link definition (it would change another's `[x]`).
_REACHES_OUT = re.compile(r"^ {0,3}(?:<|\[[^\]]*\]:)")


def fenced_text(text: str, level: int) -> str:
    """A member's own Markdown, kept as written, but closed in on itself: a code fence left
    open is closed at its end; a heading as high as its place, an HTML block or a link
    definition outside a fence is escaped. Nothing one member writes changes how the next
    member's text, or the rest of the report, is read."""
    lines = custom_text(text, level).split("\n")
    fence = ""
    for n, line in enumerate(lines):
        found = _FENCE.match(line)
        if not fence:
            if found and not (found[1][0] == "`" and "`" in found[2]):
                fence = found[1]
            elif _REACHES_OUT.match(line):
                lines[n] = escape_line(line)
        elif found and found[1][0] == fence[0] and len(found[1]) >= len(fence) and not found[2].strip():
            fence = ""
    if fence:
        lines.append(fence)
    return "\n".join(lines)


def by(member: str, lang: str) -> str:
    return f"（{member}）" if lang == "zh" else f" ({member})"


def _cell(text: str) -> str:
    return escape_line(text).replace("|", "\\|")


def _metric_value(metric, rollup: Rollup, member: str, lang: str) -> str:
    if metric.kind == "incident_counts":
        ab, cd = rollup.member_counts(member)
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
            rows.setdefault(key, {})[member] = _metric_value(metric, rollup, member, lang)
    if not rows:
        return []
    out = [f"| {TEAM_LABELS[lang]['metric']} | " + " | ".join(names) + " |",
           "|---" * (len(names) + 1) + "|"]
    for (group, name, _), values in rows.items():
        label = f"{group} / {name}" if group else name
        out.append(f"| {_cell(label)} | " + " | ".join(_cell(values.get(m, "")) for m in names) + " |")
    return out


def merged_incidents(rollup: Rollup) -> list:
    """(incident, member) of all members, by time."""
    return sorted(((inc, member) for member, week in rollup.weeks.items() for inc in week.incidents),
                  key=lambda pair: (pair[0].at, pair[1]))


class _Writer:
    """The blocks of one roll-up: `place` writes one section of the plan."""

    def __init__(self, rollup: Rollup, template: Template, lang: str) -> None:
        self.rollup, self.template, self.lang = rollup, template, lang
        self.sample = template.is_sample  # the sample's layout: its headings and item styles

    def place(self, place: Place, position: int, other: bool) -> list[list[str]]:
        spec, holds = place.spec, place.holds
        if holds == "objectives":
            return self.objectives(spec, other) + self.texts(place, spec.level or 2)
        sample = self.sample and not other and spec.key in LABELS[self.lang]
        blocks = [[LABELS[self.lang][spec.key] if sample else spec.heading_line(self.lang, position)]]
        body = self.field(holds, spec) if holds in FIELD_KEYS else []
        if body:
            blocks.append(body)
        return blocks + self.texts(place, 2 if sample else spec.level)

    def field(self, holds: str, spec: SectionSpec) -> list[str]:
        rollup, lang = self.rollup, self.lang
        if holds == "key_work":
            if not self.sample:  # the lead's own markers for everyone's items
                items = [item for week in rollup.weeks.values() for item in week.key_work]
                marks = [by(member, lang) for member, week in rollup.weeks.items() for _ in week.key_work]
                return _key_work_lines(items, spec, lang, marks)
            # the sample's bracketed titles only for members who write them: a zh-simple
            # member's numbered items stay numbered
            lines: list[str] = []
            for member, week in rollup.weeks.items():
                own = builtin_templates().get(week.template)
                style = spec if own is None or own.is_sample else (own.spec("key_work") or spec)
                if own is None or own.is_sample:
                    style = style.model_copy(update={"marker": "- 【" if lang == "zh" else "- **"})
                lines += _key_work_lines(week.key_work, style, lang, [by(member, lang)] * len(week.key_work))
            return lines
        if holds == "metrics":
            return _metrics_table(rollup, lang)
        if holds == "incidents":
            ab, cd = rollup.incident_counts()
            merged = merged_incidents(rollup)
            lines = [TEAM_LABELS[lang]["counts"].format(ab=ab, cd=cd)]
            if merged:
                lines.append("")
            return lines + [f"- {inc.at.month}/{inc.at.day} {inc.at:%H:%M} "
                            f"{escape_line(incident_text(inc, lang))}{by(member, lang)}" for inc, member in merged]
        if holds in ("other", "next_week"):
            entries = []
            for member, week in rollup.weeks.items():
                for entry in getattr(week, holds):
                    first, *rest = entry.text.split("\n")
                    entries.append(entry.model_copy(update={"text": "\n".join([first + by(member, lang), *rest]),
                                                            **Words.unwritten()}))  # in the lead's way
            return _list_lines(entries, spec)
        sub = "#" * min(6, max(spec.level, 1) + 1)
        lines: list[str] = []
        for member, week in rollup.weeks.items():
            if holds == "reflections":
                text = "\n".join(trim_blank_lines(week.reflections.split("\n")))
                if text:
                    lines += [f"{sub} {member}", "", escape_text(text, lists=False), ""]
            elif holds == "daily":  # only a member who chose to publish them has any here
                for note in sorted(week.daily_notes, key=lambda n: n.day):
                    text = fenced_text(note.text, len(sub))
                    lines += [f"{sub} {member} · {daily_label(note.day, lang)}", ""] + ([text, ""] if text else [])
        return lines[:-1]

    def objectives(self, spec: SectionSpec, other: bool) -> list[list[str]]:
        """Objectives of the same heading merged, in first appearance order; each item names
        its member."""
        merged: dict[str, list[str]] = {}
        for member, week in self.rollup.weeks.items():
            for objective in week.objectives:
                if self.sample and not other:
                    heading = (f"## 【{objective.heading}】" if self.lang == "zh"
                               else f"## {objective.code} {objective.title}".rstrip())
                else:
                    heading = SectionSpec(key="objective", heading={self.lang: f"{objective.code} {objective.title}".rstrip()},
                                          level=spec.level or 2, style=spec.style).heading_line(self.lang)
                lines = merged.setdefault(heading, [])
                for item in objective.items:
                    item_lines = _item_lines(item, 0, "- ", self.lang)
                    item_lines[0] += by(member, self.lang)
                    lines += item_lines
        blocks = []
        for heading, lines in merged.items():
            if lines:  # an objective no member wrote an item under: no empty heading
                blocks += [[heading], lines]
        return blocks

    def texts(self, place: Place, level: int) -> list[list[str]]:
        """Members' own sections landing here, each under its member's name (and its own
        heading's words when they differ from this section's)."""
        sub = "#" * min(6, max(level, 1) + 1)
        here = {normalise(h) for h in place.spec.heading.values()}
        blocks = []
        for member, section in place.texts:
            label = member if not section.title or normalise(section.title) in here else f"{member} · {section.title}"
            blocks.append([f"{sub} {escape_line(label)}"])
            body = fenced_text(section.body, len(sub))
            if body:
                blocks.append([body])
        return blocks

    def title(self, numbering: str, report_day: int) -> str:
        week = Week(monday=self.rollup.monday)
        text = title(week, self.lang, numbering, report_day)
        if not self.sample:
            pattern = self.template.title.get(self.lang) or next(iter(self.template.title.values()), "{date:%Y-%m-%d}")
            try:
                text = pattern.format(number=number_of(week, numbering, report_day), date=report_date(week, report_day))
            except (KeyError, IndexError, ValueError, AttributeError):  # a user template's odd title: ours
                pass
        return f"# {TEAM_LABELS[self.lang]['title']} {text}"


def render_rollup(rollup: Rollup, lang: str = "zh", numbering: str = "jan1", report_day: int = 4,
                  template: Template | None = None, lead_sections=()) -> str:
    """The roll-up in `template` (the lead's; the default one when None). A template that
    forces a language (en, weeknotes, zh-simple) writes in it, as the lead's export does."""
    template = template or builtin_templates()["default"]
    lang = template.lang or (lang if lang in LABELS else "zh")
    team = TEAM_LABELS[lang]
    layout = plan(rollup, template, lead_sections)
    writer = _Writer(rollup, template, lang)
    blocks: list[list[str]] = [[writer.title(numbering, report_day)]]
    for position, place in enumerate(layout.places, 1):
        blocks += writer.place(place, position, other=False)
    if layout.others:
        blocks.append([team["others"]])
        for place in layout.others:
            blocks += writer.place(place, 0, other=True)
    blocks.append([team["missing"]])
    blocks.append([names_line(rollup.missing, lang) if rollup.missing else team["none"]])
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def rollup_json(rollup: Rollup) -> dict:
    """The roll-up for scripts: each member's week as published, the merged incident log,
    the summed counts, who has not published, and the files skipped."""
    merged = merged_incidents(rollup)
    ab, cd = rollup.incident_counts()
    return {
        "monday": rollup.monday.isoformat(),
        "members": {m: w.model_dump(mode="json") for m, w in rollup.weeks.items()},
        "incidents": [{"member": member, **inc.model_dump(mode="json")} for inc, member in merged],
        "incident_counts": {"AB": ab, "CD": cd},
        "not_published": rollup.missing,
        "problems": rollup.problems,
    }

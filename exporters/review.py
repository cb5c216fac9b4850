"""The review of a period as Markdown (zh in the report's own conventions: 【…】 headings,
`：` and `，`; en its twin) and as JSON. The HTML lives in review_html (it loads pygal)."""

from __future__ import annotations

from datetime import date

from weekly_zhoubao.store.models import Incident
from weekly_zhoubao.store.review import GRADES, ItemTrack, MetricSummary, Review
from weekly_zhoubao.store.weeks import week_title
from weekly_zhoubao.store.words import incident_text

from .escape import escape_line, escape_text, trim_blank_lines

STATUS = {
    "zh": {"planned": "计划中", "in progress": "进行中", "done": "已完成", "at risk": "有风险", "blocked": "受阻"},
    "en": {"planned": "planned", "in progress": "in progress", "done": "done", "at risk": "at risk",
           "blocked": "blocked"},
}

WORDS = {
    "zh": {
        "coverage": "## 【周报覆盖】", "delivered": "## 【交付】", "objectives": "## 【目标进展】",
        "incidents": "## 【生产稳定性】", "metrics": "## 【系统运行数据】", "key_work": "## 【重点工作】",
        "reflections": "## 收获与反思", "plans": "## 【未完成的计划】",
        "written": "已写 {n}/{total} 周", "missing": "缺：{weeks}", "no_weeks": "本期间没有任何一周（报告日都不在期间内）",
        "none": "无", "sep": "、", "colon": "：", "comma": "，", "semi": "；",
        "reported": "（{week}）", "new": "新增", "dropped": "移除", "slipped": "延期",
        "moved": "日期 {a} → {b}，推迟{d}天", "overdue": "逾期未完成{d}天", "last_seen": "最后出现于{week}",
        "month": "{y}年{m}月", "grades": {"A": "A级", "B": "B级", "C": "C级", "D": "D级", "": "未定级"},
        "count": "{n}次", "month_line": "{label}：{counts}，共{n}次", "total_line": "合计：{counts}，共{n}次",
        "durations": "总时长{total}分钟，中位数{median}分钟（{n}/{all}次记录了时长）",
        "no_durations": "没有记录时长", "resolved": "已解决 {r}/{n}（{p}%）",
        "severe": "A/B级事件：", "no_severe": "A/B级事件：无",
        "lasted": "持续{d}分钟", "impact": "影响：{v}", "resolution": "处理：{v}", "open": "未解决",
        "metric": "首周{first}，末周{last}，最低{low}，最高{high}，中位数{median}",
        "met": "{met}/{judged} 周达标（目标{target}）", "worst": "最差：{week} {value}",
        "no_value": "本期间没有数值", "plan": "{text}（{week}列入{times}）", "times": "，共{n}周",
        "step": "{p}（{d}）", "renamed": "（曾写作：{names}）",
    },
    "en": {
        "coverage": "## Coverage", "delivered": "## Delivered", "objectives": "## Objectives",
        "incidents": "## Production incidents", "metrics": "## Operational metrics", "key_work": "## Key work",
        "reflections": "## Reflections", "plans": "## Plans not done",
        "written": "{n} of {total} weeks written", "missing": "Missing: {weeks}",
        "no_weeks": "No week falls in this period (no report day is inside it)",
        "none": "None", "sep": ", ", "colon": ": ", "comma": ", ", "semi": "; ",
        "reported": " ({week})", "new": "New", "dropped": "Dropped", "slipped": "Slipped",
        "moved": "date {a} → {b}, {d} days later", "overdue": "{d} days overdue while not done",
        "last_seen": "last listed in {week}",
        "month": "{y}-{m:02d}", "grades": {"A": "A", "B": "B", "C": "C", "D": "D", "": "ungraded"},
        "count": "{n}", "month_line": "{label}: {counts}; {n} in all", "total_line": "Total: {counts}; {n} in all",
        "durations": "{total} min in all, median {median} min ({n} of {all} with a duration)",
        "no_durations": "No durations recorded", "resolved": "Resolved: {r}/{n} ({p}%)",
        "severe": "A/B incidents:", "no_severe": "A/B incidents: none",
        "lasted": "lasted {d} min", "impact": "impact: {v}", "resolution": "resolution: {v}", "open": "open",
        "metric": "first {first}, last {last}, min {low}, max {high}, median {median}",
        "met": "target met {met}/{judged} weeks (target {target})", "worst": "worst: {week} {value}",
        "no_value": "no value in this period", "plan": "{text} ({week}{times})", "times": ", listed {n} weeks",
        "step": "{p} ({d})", "renamed": " (earlier: {names})",
    },
}


def md_escape(text: str) -> str:
    """User text that starts a list item's content must not start a block (`# x`, `1. x`)."""
    return escape_line(text)


def plain(text: str) -> str:
    return text


def lang_of(lang: str) -> str:
    return lang if lang in WORDS else "zh"


def short_day(day: date, lang: str) -> str:
    return f"{day:%m/%d}" if lang == "zh" else f"{day:%m-%d}"


def day_text(day: date, lang: str) -> str:
    return f"{day:%Y/%m/%d}" if lang == "zh" else day.isoformat()


def week_text(review: Review, monday: date, lang: str) -> str:
    ref = review.week(monday)
    return week_title(ref.number, ref.report_day, lang)


def title(review: Review, lang: str) -> str:
    p = review.period
    span = f"{day_text(p.start, lang)}–{day_text(p.end, lang)}"
    if lang == "zh":
        name = {"quarter": f"{p.start.year}年第{'一二三四'[(p.start.month - 1) // 3]}季度述职",
                "half": f"{p.start.year}年{'上下'[(p.start.month - 1) // 6]}半年述职",
                "year": f"{p.start.year}年度述职", "range": "述职"}[p.kind]
        return f"{name} {span}"
    name = {"quarter": f"Review of {p.start.year} Q{(p.start.month - 1) // 3 + 1}",
            "half": f"Review of {p.start.year} H{(p.start.month - 1) // 6 + 1}",
            "year": f"Review of {p.start.year}", "range": "Review"}[p.kind]
    return f"{name} · {span}"


def number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.6f}".rstrip("0").rstrip(".")


def metric_value(m: MetricSummary, value: float | None) -> str:
    if value is None:
        return "—"
    return number(value) + ("%" if m.kind == "percent" else m.unit)


def progress_text(value: float | None) -> str:
    return "—" if value is None else f"{number(value)}%"


def percent(share: float) -> str:
    return number(round(share * 100, 1))


# --- sections -----------------------------------------------------------------------------

def coverage_lines(review: Review, lang: str) -> list[str]:
    w = WORDS[lang]
    if not review.weeks:
        return [f"- {w['no_weeks']}"]
    lines = [f"- {w['written'].format(n=len(review.written), total=len(review.weeks))}"]
    if review.missing:
        lines.append(f"- {w['missing'].format(weeks=w['sep'].join(week_text(review, m, lang) for m in review.missing))}")
    return lines


def delivered_lines(review: Review, lang: str) -> list[str]:
    w = WORDS[lang]
    return [f"- {day_text(d.on, lang)} {d.objective} {d.line}"
            f"{w['reported'].format(week=week_text(review, d.week, lang))}" for d in review.delivered]


def progress_path(t: ItemTrack, lang: str) -> str:
    """`15%（10/13） → 45%（10/20） → 100%（11/03）`: each change of progress, dated by the
    report day of the week that gave it."""
    w = WORDS[lang]
    steps, last = [], object()
    for step in t.path:
        if step.progress is not None and step.progress != last:
            steps.append(w["step"].format(p=progress_text(step.progress), d=short_day(step.on, lang)))
            last = step.progress
    return " → ".join(steps)


def track_line(review: Review, t: ItemTrack, lang: str, esc=md_escape) -> str:
    w = WORDS[lang]
    status = STATUS[lang].get(t.end_status, t.end_status)
    earlier = [n for n in t.names if n != t.label]
    renamed = w["renamed"].format(names=w["sep"].join(earlier)) if earlier else ""
    path = progress_path(t, lang)
    if not path:
        return f"{esc(t.label)}{w['colon']}{status}{renamed}"
    return f"{esc(t.label)}{w['colon']}{path}{w['comma']}{status}{renamed}"


def slip_text(t: ItemTrack, lang: str) -> str:
    w = WORDS[lang]
    parts = []
    if t.moved_days:
        parts.append(w["moved"].format(a=day_text(t.first_due, lang), b=day_text(t.last_due, lang), d=t.moved_days))
    if t.overdue_days:
        parts.append(w["overdue"].format(d=t.overdue_days))
    return w["comma"].join(parts)


def objective_lines(review: Review, lang: str, esc=md_escape) -> list[str]:
    w = WORDS[lang]
    lines: list[str] = []
    objectives: dict[str, str] = {}
    for t in review.objectives:
        objectives.setdefault(t.objective, t.objective_title)
    for code, name in objectives.items():
        lines.append(f"- {code} {name}".rstrip())
        for t in review.objectives:
            if t.objective == code:
                lines.append(f"{'    ' * (t.depth + 1)}- {track_line(review, t, lang, esc)}")
    for key, items, detail in (
        ("new", review.new_items, lambda t: week_text(review, t.first_week, lang)),
        ("dropped", review.dropped_items,
         lambda t: w["last_seen"].format(week=week_text(review, t.last_week, lang))),
        ("slipped", review.slipped_items, lambda t: slip_text(t, lang)),
    ):
        lines.append(f"- {w[key]}{w['colon']}{w['none'] if not items else ''}".rstrip())
        for t in items:
            lines.append(f"    - {t.objective} {t.label}{w['colon']}{detail(t)}")
    return lines


def _grade_counts(counts: dict[str, int], lang: str) -> str:
    w = WORDS[lang]
    return w["comma"].join(f"{w['grades'][g]}{w['count'].format(n=counts[g])}" if lang == "zh"
                           else f"{w['grades'][g]} {counts[g]}" for g in GRADES)


def incident_lines(review: Review, lang: str) -> list[str]:
    w = WORDS[lang]
    inc = review.incidents
    lines = []
    for month, counts in inc.by_month:
        y, m = month.split("-")
        label = w["month"].format(y=int(y), m=int(m))
        lines.append(f"- {w['month_line'].format(label=label, counts=_grade_counts(counts, lang), n=sum(counts.values()))}")
    lines.append(f"- {w['total_line'].format(counts=_grade_counts(inc.by_grade, lang), n=inc.total)}")
    if inc.with_duration:
        lines.append(f"- {w['durations'].format(total=inc.total_minutes, median=number(inc.median_minutes), n=inc.with_duration, all=inc.total)}")
    else:
        lines.append(f"- {w['no_durations']}")
    if inc.total:
        lines.append(f"- {w['resolved'].format(r=inc.resolved, n=inc.total, p=percent(inc.resolved_share))}")
    if not inc.severe:
        lines.append(f"- {w['no_severe']}")
        return lines
    lines.append(f"- {w['severe']}")
    for s in inc.severe:
        # The week's own rule for an incident's line: fields the summary does not already say.
        line = incident_text(Incident(at=s.at, grade=s.grade, summary=s.summary, duration_min=s.duration_min,
                                      impact=s.impact, resolution=s.resolution, status=s.status), lang)
        if not s.resolution:
            line += w["comma"] + (STATUS[lang]["done"] if s.status == "resolved" else w["open"])
        when = f"{s.at:%Y/%m/%d %H:%M}" if lang == "zh" else f"{s.at:%Y-%m-%d %H:%M}"
        lines.append(f"    - {when} {line}")
    return lines


def metric_lines(review: Review, lang: str, esc=md_escape) -> list[str]:
    w = WORDS[lang]
    lines: list[str] = []
    groups = list(dict.fromkeys(m.group for m in review.metrics))
    group = None
    for m in sorted(review.metrics, key=lambda m: groups.index(m.group)):
        if m.group != group:  # `支付成功率：` and a blank line, as the weekly report groups them
            group = m.group
            if lines:
                lines.append("")
            if group:
                lines += [esc(group) + ("：" if lang == "zh" else ":"), ""]
        name = esc(m.name)
        if m.first is None:
            lines.append(f"- {name}{w['colon']}{w['no_value']}")
            continue
        parts = [w["metric"].format(first=metric_value(m, m.first), last=metric_value(m, m.last),
                                    low=metric_value(m, m.low), high=metric_value(m, m.high),
                                    median=metric_value(m, m.median))]
        if m.judged:
            parts.append(w["met"].format(met=m.met, judged=m.judged, target=metric_value(m, m.target)))
        if m.worst:
            parts.append(w["worst"].format(week=week_text(review, m.worst[0], lang), value=metric_value(m, m.worst[1])))
        lines.append(f"- {name}{w['colon']}{w['semi'].join(parts)}")
    return lines


def key_work_lines(review: Review, lang: str, esc=md_escape) -> list[str]:
    """Each key-work item once (followed when renamed), with the weeks that listed it."""
    w = WORDS[lang]
    lines = []
    for t in review.key_work:
        earlier = [n for n in t.names if n != t.title]
        weeks = w["sep"].join(week_text(review, m, lang) for m in t.weeks)
        renamed = w["renamed"].format(names=w["sep"].join(earlier)) if earlier else ""
        title = f"【{t.title}】" if lang == "zh" else esc(t.title) + w["colon"]
        lines.append(f"- {title}{weeks}{renamed}")
    return lines


def reflection_blocks(review: Review, lang: str) -> list[list[str]]:
    blocks = []
    for monday, text in review.reflections:
        body = "\n".join(trim_blank_lines(text.split("\n")))
        blocks += [[f"### {week_text(review, monday, lang)}"], [escape_text(body, lists=False)]]
    return blocks


def plan_lines(review: Review, lang: str, esc=md_escape) -> list[str]:
    w = WORDS[lang]
    return [f"{n}. " + esc(w["plan"].format(
                text=p.text, week=week_text(review, p.week, lang),
                times=w["times"].format(n=p.weeks_planned) if p.weeks_planned > 1 else ""))
            for n, p in enumerate(review.unfinished_plans, 1)]


def render_markdown(review: Review, lang: str = "zh") -> str:
    lang = lang_of(lang)
    w = WORDS[lang]
    blocks: list[list[str]] = [[f"# {title(review, lang)}"]]

    def section(heading: str, lines: list[str]) -> None:
        blocks.append([heading])
        blocks.append(lines or [f"- {w['none']}"])

    section(w["coverage"], coverage_lines(review, lang))
    section(w["delivered"], delivered_lines(review, lang))
    section(w["objectives"], objective_lines(review, lang) if review.objectives else [])
    section(w["incidents"], incident_lines(review, lang))
    section(w["metrics"], metric_lines(review, lang))
    section(w["key_work"], key_work_lines(review, lang))
    blocks.append([w["reflections"]])
    blocks += reflection_blocks(review, lang) or [[f"- {w['none']}"]]
    section(w["plans"], plan_lines(review, lang))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def render_json(review: Review) -> str:
    import orjson

    return orjson.dumps(review.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"

"""The review of a period as one self-contained HTML file: no script, no network, printable
on A4, with SVG charts drawn by pygal (imported here only, when a review is drawn:
~70 ms, against ~600 ms for matplotlib; see the README)."""

from __future__ import annotations

import html
import re
import sys
import types

from weekly_zhoubao.store.review import GRADES, Review

from .review import (WORDS, coverage_lines, day_text, delivered_lines, incident_lines, key_work_lines,
                     lang_of, metric_lines, metric_value, number, objective_lines, plain, plan_lines, title,
                     week_text)

# Named so that Chinese renders wherever the file is opened: Linux (Noto / Source Han),
# macOS (PingFang), Windows (Microsoft YaHei), then whatever the system has.
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
              '"WenQuanYi Micro Hei", sans-serif')
GRADE_COLOURS = {"A": "#b71c1c", "B": "#ef6c00", "C": "#f9a825", "D": "#7cb342", "": "#90a4ae"}
CHART_WIDTH = 720  # px of the viewBox; the page scales it to A4's text width

CHART_WORDS = {
    "zh": {"charts": "图表", "metric_charts": "指标走势（虚线为目标）", "incident_chart": "事故（按月、按级别）",
           "progress_chart": "目标进展（期初 → 期末）", "target": "目标", "start": "期初", "end": "期末",
           "no_data": "无数据", "week_short": "第{n}周"},
    "en": {"charts": "Charts", "metric_charts": "Metrics over the weeks (dashed: target)",
           "incident_chart": "Incidents by grade per month", "progress_chart": "Objective progress (start → end)",
           "target": "target", "start": "start", "end": "end", "no_data": "No data", "week_short": "W{n}"},
}

CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
html { font-family: %(font)s; color: #1f2328; background: #fff; }
body { max-width: 182mm; margin: 0 auto; padding: 8mm 0; font-size: 10.5pt; line-height: 1.55; }
h1 { font-size: 17pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1px solid #d0d7de;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
ul, ol { margin: 1mm 0; padding-left: 6mm; }
li { margin: 0.5mm 0; }
.text { white-space: pre-wrap; margin: 0 0 2mm; }
figure { margin: 3mm 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%%; height: auto; }
figcaption { font-size: 9.5pt; color: #57606a; }
.empty { color: #57606a; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
}
""" % {"font": FONT_STACK}


def _pygal():
    """pygal, imported without its search for map plugins: its package import loads
    importlib_metadata and scans every installed package's entry points (~35 ms, half of its
    import), for maps, which a review does not draw."""
    if "pygal" in sys.modules:
        return sys.modules["pygal"]
    real = sys.modules.get("importlib_metadata")
    stub = types.ModuleType("importlib_metadata")
    stub.entry_points = lambda **_: ()
    sys.modules["importlib_metadata"] = stub
    try:
        import pygal
    finally:
        if real is None:
            del sys.modules["importlib_metadata"]
        else:
            sys.modules["importlib_metadata"] = real
    return pygal


def _style(**extra):
    from pygal.style import Style

    return Style(**{
        "font_family": FONT_STACK, "background": "white", "plot_background": "white",
        "foreground": "#1f2328", "foreground_strong": "#1f2328", "foreground_subtle": "#8c959f",
        "colors": ("#1f6feb", "#cf222e", "#2da44e", "#8250df", "#bf8700"),
        "label_font_size": 11, "major_label_font_size": 11, "legend_font_size": 12, "title_font_size": 14,
        "value_font_size": 10, "tooltip_font_size": 11, "opacity": ".85", "opacity_hover": ".95",
        "stroke_width": "2", "guide_stroke_color": "#d0d7de", "major_guide_stroke_color": "#d0d7de",
        "guide_stroke_dasharray": "2,3", "major_guide_stroke_dasharray": "2,3", **extra})


_CREDIT = re.compile(r"<!--.*?-->", re.S)  # pygal's credit comments name web addresses: no need
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)  # its config for tooltips (we load no script)


def _svg(chart, n: int) -> str:
    """pygal's SVG, deterministic (its random chart id replaced by the chart's number) and
    without the XML declaration, to sit inline in the page."""
    chart.uuid = f"review-{n}"
    return _SCRIPT.sub("", _CREDIT.sub("", chart.render(is_unicode=True)))


def _config(**extra) -> dict:
    return {"style": _style(), "width": CHART_WIDTH, "js": [], "disable_xml_declaration": True,
            "legend_at_bottom": True, "legend_at_bottom_columns": 4, "print_values": False,
            "margin": 12, "margin_bottom": 28, "spacing": 8, "truncate_legend": 40, "truncate_label": 24, **extra}


def metric_charts(review: Review, lang: str) -> list[tuple[str, str]]:
    pygal = _pygal()

    words = CHART_WORDS[lang]
    out = []
    # every week from the first written to the last: a week not written is a gap (None
    # breaks pygal's line), not a step straight from the week before to the week after
    span = [r.monday for r in review.weeks if review.written and review.written[0] <= r.monday <= review.written[-1]]
    labels = [words["week_short"].format(n=review.week(m).number) for m in span]
    for n, m in enumerate(review.metrics):
        readings = dict(m.series)
        values = [readings.get(monday) for monday in span]
        if not any(v is not None for v in values):
            continue
        unit = "%" if m.kind == "percent" else m.unit
        chart = pygal.Line(**_config(height=290, show_x_guides=False, allow_interruptions=True,
                                     show_dots=len(labels) <= 26,  # a year of dots hides the line
                                     y_labels_major_count=6, show_minor_y_labels=False,
                                     x_label_rotation=0 if len(labels) <= 14 else 45,
                                     margin_bottom=28 if len(labels) <= 14 else 44,  # room for slanted labels
                                     show_minor_x_labels=len(labels) <= 14, x_labels_major_every=4,
                                     value_formatter=lambda v, unit=unit: f"{number(v)}{unit}"))
        chart.title = f"{m.name}{f' ({unit})' if unit else ''}"
        chart.x_labels = labels
        chart.add(m.name, values)
        if m.target is not None:
            chart.add(f"{words['target']} {metric_value(m, m.target)}", [m.target] * len(values),
                      show_dots=False, stroke_style={"width": 3, "dasharray": "8, 5"})
        out.append((chart.title, _svg(chart, n)))
    return out


def incident_chart(review: Review, lang: str) -> str | None:
    pygal = _pygal()

    inc = review.incidents
    if not inc.total:
        return None
    grades = WORDS[lang]["grades"]
    colours = tuple(GRADE_COLOURS[g] for g in GRADES)
    # counts are whole: ticks at whole numbers, at most ~8 of them
    top = max(sum(counts.values()) for _, counts in inc.by_month)
    step = -(-top // 8)
    chart = pygal.StackedBar(**{**_config(height=300, y_labels=list(range(0, top + step, step)),
                                          value_formatter=lambda v: f"{v:.0f}"),
                                "style": _style(colors=colours)})
    chart.title = CHART_WORDS[lang]["incident_chart"]
    chart.x_labels = [WORDS[lang]["month"].format(y=int(k[:4]), m=int(k[5:])) for k, _ in inc.by_month]
    for g in GRADES:
        chart.add(grades[g], [counts[g] for _, counts in inc.by_month])
    return _svg(chart, 1000)


def progress_chart(review: Review, lang: str) -> str | None:
    pygal = _pygal()

    words = CHART_WORDS[lang]
    tracks = [t for t in review.objectives if t.start_progress is not None or t.end_progress is not None]
    if not tracks:
        return None
    tracks.reverse()  # pygal draws the first label at the bottom: the page reads top-down
    labels = [f"{t.objective} {t.label if len(t.label) <= 14 else t.label[:13] + '…'}" for t in tracks]
    # pygal sizes the label margin as if every character were narrow; a CJK one is twice that
    wide = max(sum(1 for ch in label if ord(ch) > 0x2E80) for label in labels)
    chart = pygal.HorizontalBar(**_config(height=110 + 34 * len(tracks), range=(0, 100), truncate_label=-1,
                                          margin_left=12 + 6 * wide,
                                          value_formatter=lambda v: f"{number(v)}%"))
    chart.title = words["progress_chart"]
    chart.x_labels = labels
    chart.add(words["start"], [t.start_progress for t in tracks])
    chart.add(words["end"], [t.end_progress for t in tracks])
    return _svg(chart, 2000)


_LIST_LINE = re.compile(r"^( *)(- |\d+\. )(.*)$")


def list_html(lines: list[str]) -> str:
    """Our own Markdown lines (`- `, `1. `, four spaces a level; a plain line between lists)
    as nested HTML lists and paragraphs."""
    out: list[str] = []
    stack: list[str] = []  # open list tags
    for line in lines:
        m = _LIST_LINE.match(line)
        if not m:
            if line.strip():  # a group's name between lists
                while stack:
                    out.append(f"</li></{stack.pop()}>")
                out.append(f"<p>{html.escape(line)}</p>")
            continue
        depth = len(m.group(1)) // 4 + 1
        tag = "ul" if m.group(2) == "- " else "ol"
        while len(stack) > depth:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth:
            out.append("</li>")
        while len(stack) < depth:
            stack.append(tag)
            out.append(f"<{tag}>")
        out.append(f"<li>{html.escape(m.group(3))}")
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "".join(out)


def render_html(review: Review, lang: str = "zh") -> str:
    lang = lang_of(lang)
    w = WORDS[lang]
    cw = CHART_WORDS[lang]
    esc = html.escape
    head = title(review, lang)
    parts = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n'
             f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f"<title>{esc(head)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{esc(head)}</h1>\n"]

    def section(key: str, lines: list[str], extra: str = "") -> None:
        heading = w[key].lstrip("# ")
        body = list_html(lines) if lines else f'<p class="empty">{esc(w["none"])}</p>'
        parts.append(f'<section id="{key}">\n<h2>{esc(heading)}</h2>\n{body}\n{extra}</section>\n')

    def figure(svg: str | None, caption: str) -> str:
        if svg is None:
            return ""
        return f'<figure class="chart" aria-label="{esc(caption)}">{svg}</figure>\n'

    section("coverage", coverage_lines(review, lang))
    section("delivered", delivered_lines(review, lang))
    section("objectives", objective_lines(review, lang, plain) if review.objectives else [],
            figure(progress_chart(review, lang), cw["progress_chart"]))
    section("incidents", incident_lines(review, lang), figure(incident_chart(review, lang), cw["incident_chart"]))
    charts = "".join(figure(svg, name) for name, svg in metric_charts(review, lang))
    section("metrics", metric_lines(review, lang, plain), charts)
    section("key_work", key_work_lines(review, lang, plain))
    reflections = "".join(f"<h3>{esc(week_text(review, monday, lang))}</h3>\n<p class=\"text\">{esc(text)}</p>\n"
                          for monday, text in review.reflections)
    parts.append(f'<section id="reflections">\n<h2>{esc(w["reflections"].lstrip("# "))}</h2>\n'
                 f'{reflections or "<p class=empty>" + esc(w["none"]) + "</p>"}\n</section>\n')
    section("plans", plan_lines(review, lang, plain))
    parts.append(f'<footer><p class="empty">{esc(day_text(review.period.start, lang))}–'
                 f'{esc(day_text(review.period.end, lang))}</p></footer>\n</body>\n</html>\n')
    return "".join(parts)

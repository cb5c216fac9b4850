"""The review's charts (issue 24 point 9), read off the SVG the HTML holds: incident counts
on whole-number ticks, and metric lines broken across a week that was not written."""

from __future__ import annotations

import re
from datetime import datetime

from weekly_zhoubao.exporters.review_html import incident_chart, metric_charts, render_html
from weekly_zhoubao.store import review as rv
from weekly_zhoubao.store.models import Incident, Week

from tests.formats.review_weeks import W1, hand_weeks  # (the week of 10-23, 第44周, is not written)

Q4 = rv.quarter("2023Q4")
_Y_AXIS = re.compile(r'<g class="axis y[^"]*">(.*?)</g>\s*</g>', re.S)
_LINE = re.compile(r'<path d="([^"]*)" class="line reactive nofill"')


def y_ticks(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", _Y_AXIS.search(svg).group(1))


def x_labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>(第\d+周)</text>", svg)


def test_incident_counts_sit_on_whole_number_ticks():
    svg = incident_chart(rv.compute(Q4, hand_weeks()), "zh")  # 4 in October, 2 in November
    assert y_ticks(svg) == ["0", "1", "2", "3", "4"]
    two = [Week(monday=W1, incidents=[Incident(at=datetime(2023, 10, 3, 9, n), summary="x", grade="C")
                                      for n in range(2)])]
    assert y_ticks(incident_chart(rv.compute(Q4, two), "zh")) == ["0", "1", "2"]  # not 0.2, 0.4 … 1.8


def test_many_incidents_still_get_whole_ticks_and_no_more_than_nine():
    many = [Week(monday=W1, incidents=[Incident(at=datetime(2023, 10, 3, 9, n), summary=f"事件{n}", grade="D")
                                       for n in range(37)])]
    ticks = y_ticks(incident_chart(rv.compute(Q4, many), "zh"))
    assert all(t.isdigit() for t in ticks) and len(ticks) <= 9
    assert int(ticks[-1]) >= 37


def test_a_metric_line_breaks_across_a_week_not_written():
    review = rv.compute(Q4, hand_weeks())
    latency = dict(metric_charts(review, "zh"))["P99延迟 (ms)"]
    assert x_labels(latency) == ["第41周", "第42周", "第43周", "第44周", "第45周", "第46周"]
    *runs, target = _LINE.findall(latency)  # pygal draws each unbroken run as its own path
    # 180 250 190 | (第44周 not written) | 210 150: two runs, not one line across the gap
    assert [len(run.split()) // 2 for run in runs] == [3, 2]
    assert len(target.split()) // 2 == 6  # the target: one dashed line over the whole span


def test_the_html_page_holds_the_charts_as_drawn():
    page = render_html(rv.compute(Q4, hand_weeks()), "zh")
    assert "第44周" in page  # the gap is on the axis
    assert ">0.2<" not in page and ">0.5<" not in page

"""The HTML review in a real browser: Debian's headless Chromium, driven from the command line
(`--dump-dom` after a probe script ran in the page; no driver to keep in step with the browser).
Checks that every chart is drawn at a size and that no Chinese character falls to a missing
glyph (a tofu box). `.ci/run` installs chromium and fonts-noto-cjk; without chromium the test
skips locally and fails under CI=true."""

from __future__ import annotations

import html
import json
import re

import pytest

from weekly_zhoubao.exporters.review_html import render_html
from weekly_zhoubao.store import review as rv
from weekly_zhoubao.store.db import WeekStore

from tests.formats.helpers import chromium, run_chromium
from tests.formats.review_weeks import hand_weeks

# Runs in the page once it is laid out. A character no font has is drawn as the same box
# (.notdef) whatever it is: a private-use code point of plane 16 is one no font covers, so
# any Chinese character drawn with exactly its pixels is a missing glyph.
PROBE = r"""
<script>
(function () {
  const out = {charts: [], missing: [], chars: 0, families: {}};
  for (const svg of document.querySelectorAll("figure.chart svg")) {
    const box = svg.getBoundingClientRect();
    const marks = [...svg.querySelectorAll("path.line, rect.rect, path.rect")]
      .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 || r.height > 0);
    const texts = [...svg.querySelectorAll("text")].filter(t => t.getBBox().width > 0);
    out.charts.push({width: box.width, height: box.height, marks: marks.length, texts: texts.length});
  }
  const font = getComputedStyle(document.body).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const g = canvas.getContext("2d", {willReadFrequently: true});
  function pixels(ch, family) {
    g.clearRect(0, 0, 48, 48);
    g.font = "32px " + family;
    g.textBaseline = "top";
    g.fillText(ch, 4, 4);
    const data = g.getImageData(0, 0, 48, 48).data;
    let s = "";
    for (let i = 3; i < data.length; i += 4) s += data[i] > 127 ? "1" : "0";
    return s;
  }
  const svgText = [...document.querySelectorAll("svg text")].map(t => t.textContent).join("");
  const chars = [...new Set([...(document.body.innerText + svgText)].filter(c => /[\u3400-\u9fff]/.test(c)))];
  const tofu = pixels("\u{10FFFD}", font);
  out.chars = chars.length;
  out.missing = chars.filter(c => pixels(c, font) === tofu);
  out.blank = chars.filter(c => !pixels(c, font).includes("1"));
  // Which named families of the stack this machine has: a family that is present draws
  // Latin text at another width than the generic fallback does.
  const sample = "mmmmmmmmmmlli 你好";
  for (const family of font.split(",").map(f => f.trim()).filter(f => f.startsWith('"'))) {
    g.font = "32px monospace";
    const mono = g.measureText(sample).width;
    g.font = "32px " + family + ", monospace";
    out.families[family] = g.measureText(sample).width !== mono;
  }
  document.body.setAttribute("data-probe", JSON.stringify(out));
})();
</script>
"""


# Chromium starts once per process for the module: all on one worker.
pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    store = WeekStore(tmp_path_factory.mktemp("store") / "weekly.json")
    store.put_many(hand_weeks())
    return render_html(rv.build_review(store, rv.quarter("2023Q4")), "zh")


def test_charts_are_drawn_and_chinese_has_every_glyph(page, tmp_path):
    browser = chromium()
    probed = tmp_path / "review.html"
    probed.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = run_chromium(browser, tmp_path, "--virtual-time-budget=5000", "--dump-dom", probed.as_uri())
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, f"the probe did not run: {done.stderr[-2000:]}"
    probe = json.loads(html.unescape(found.group(1)))

    # 2 metrics over the weeks, incidents by grade per month, objective progress
    assert len(probe["charts"]) == 4
    for chart in probe["charts"]:
        assert chart["width"] > 300 and chart["height"] > 150, chart
        assert chart["marks"] > 0 and chart["texts"] > 0, chart
    assert probe["chars"] > 50  # the page's Chinese: headings, labels, chart titles and legends
    assert probe["missing"] == [] and probe["blank"] == []
    # the stack's first family is what Debian's fonts-noto-cjk installs, and it is the one used
    assert probe["families"]['"Noto Sans CJK SC"'] is True, probe["families"]


def test_the_page_prints_on_a4(page, tmp_path):
    browser = chromium()
    source = tmp_path / "review.html"
    source.write_text(page, encoding="utf-8")
    pdf = tmp_path / "review.pdf"
    done = run_chromium(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert sizes, "no page in the PDF"
    # A4 is 210 × 297 mm = 595.28 × 841.89 pt
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}


def test_the_probe_sees_a_missing_glyph(tmp_path):
    # The control: U+9FFB–U+9FFF (Unicode 14) are in no Noto CJK release Debian ships, so the
    # probe must call them missing while it finds 你好.
    browser = chromium()
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
                    '<body style="font-family: sans-serif"><p>你好 \u9ffb\u9ffc\u9ffd</p>'
                    + PROBE + "</body></html>", encoding="utf-8")
    done = run_chromium(browser, tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    probe = json.loads(html.unescape(re.search(r'data-probe="([^"]*)"', done.stdout).group(1)))
    assert probe["missing"] == ["\u9ffb", "\u9ffc", "\u9ffd"] and probe["chars"] == 5

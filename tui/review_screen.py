"""The review of a period (述职) in the TUI: the quarter holding a date, `[` / `]` to the
previous / next period, `e` to export it (HTML, with charts, and Markdown), Esc to close.
Self-contained: give it the store, the settings and a date, and push it.

Drawing only: the figures come from store.review, the text from exporters.review."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from weekly_zhoubao.exporters import review as out
from weekly_zhoubao.exporters.files import write_review
from weekly_zhoubao.store import review
from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.files import make_folders
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.settings import Settings, default_export_dir

from .keybar import KeyBar

WORDS = {
    "zh": {"prev": "上一期", "next": "下一期", "export": "导出", "close": "返回", "exported": "已导出：{p}",
           "trends": "指标走势", "incidents": "事故（按月）", "progress": "目标进展（期初 → 期末）",
           "none": "无"},
    "en": {"prev": "Previous", "next": "Next", "export": "Export", "close": "Back", "exported": "Exported: {p}",
           "trends": "Metric trends", "incidents": "Incidents by month", "progress": "Objective progress (start → end)",
           "none": "None"},
}
BAR = 24  # cells of a full progress bar


def progress_bar(start: float | None, end: float | None) -> Text:
    """`███████░░░░` to the end figure, the part gained since the start in another colour."""
    start_cells = round((start or 0) / 100 * BAR)
    end_cells = round((end or 0) / 100 * BAR)
    bar = Text()
    bar.append("█" * min(start_cells, end_cells), style="blue")
    bar.append("█" * max(0, end_cells - start_cells), style="green")
    bar.append("░" * (BAR - max(start_cells, end_cells)), style="grey50")
    if start_cells > end_cells:  # went back
        bar.append(" ↓", style="red")
    return bar


PERIOD_KEYS = Binding.Group("review_periods")  # one footer entry for [ and ]


class ReviewScreen(Screen):
    DEFAULT_CSS = """
    ReviewScreen #review-title { padding: 0 1; text-style: bold; background: $panel; }
    ReviewScreen VerticalScroll { padding: 0 1; }
    ReviewScreen .review-heading { margin-top: 1; text-style: bold; }
    ReviewScreen Sparkline { height: 1; margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "shift(-1)", "prev", id="review_prev", group=PERIOD_KEYS),
        Binding("right_square_bracket", "shift(1)", "next", id="review_next", group=PERIOD_KEYS),
        Binding("e", "export", "export", id="review_export"),
        Binding("escape", "close", "close", id="review_close"),
    ]

    def __init__(self, store: WeekStore, settings: Settings, day: date, *, kind: str = "quarter",
                 export_dir: Path | None = None, lock=None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.lang = settings.lang if settings.lang in WORDS else "zh"
        self.period = review.period_holding(kind, day)
        self.export_dir = export_dir
        self.lock = lock or contextlib.nullcontext()  # the app's store lock, where it has one
        self.result: review.Review | None = None
        words = WORDS[self.lang]
        keys = self._bindings.key_to_bindings  # this screen's own copy: the footer in its language
        for key, bindings in keys.items():
            keys[key] = [replace(b, description=words.get(b.description, b.description)) for b in bindings]

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", markup=False)
        yield VerticalScroll(id="review-body")
        yield KeyBar()  # the week screen's: its keys in the app's language (Textual's Footer is English)

    async def on_mount(self) -> None:
        await self.show()

    async def action_shift(self, steps: int) -> None:
        try:
            self.period = self.period.shifted(steps)
        except ValueError as exc:  # past the years a store can hold
            self.notify(str(exc), severity="warning", markup=False)
            return
        await self.show()

    def action_close(self) -> None:
        self.dismiss()

    def build(self) -> review.Review:
        with self.lock:
            return review.build_review(self.store, self.period, self.settings.numbering, self.settings.report_day)

    async def show(self) -> None:
        try:
            self.result = self.build()
        except WeeklyError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        self.query_one("#review-title", Static).update(Text(out.title(self.result, self.lang)))
        body = self.query_one("#review-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(self.widgets(self.result))
        body.scroll_home(animate=False)

    def widgets(self, result: review.Review) -> list:
        """The charts first (terminal ones), then every section as the Markdown says it."""
        words = WORDS[self.lang]
        found = []
        trends = [m for m in result.metrics if m.first is not None]
        if trends:
            found.append(Static(Text(words["trends"]), classes="review-heading"))
            for m in trends:
                summary = f"{m.name}  {out.metric_value(m, m.first)} → {out.metric_value(m, m.last)}"
                if m.judged:
                    summary += f"  ({m.met}/{m.judged})"
                found.append(Static(Text(summary)))
                values = [v for _, v in m.series if v is not None]
                spark = Sparkline(values, summary_function=max)
                spark.styles.width = min(60, max(12, 3 * len(values)))  # a few cells a week, not the screen
                found.append(spark)
        if result.incidents.by_month:
            found.append(Static(Text(words["incidents"]), classes="review-heading"))
            lines = Text()
            for month, counts in result.incidents.by_month:
                lines.append(f"{month}  ")
                for grade, colour in (("A", "red"), ("B", "dark_orange"), ("C", "yellow"), ("D", "green"),
                                      ("", "grey50")):
                    lines.append("█" * counts[grade], style=colour)
                lines.append(f" {sum(counts.values())}\n")
            found.append(Static(lines))
        tracked = [t for t in result.objectives if t.start_progress is not None or t.end_progress is not None]
        if tracked:
            found.append(Static(Text(words["progress"]), classes="review-heading"))
            lines = Text()
            labels = [set_cell_size(t.label, 30).rstrip() for t in tracked]
            width = max(cell_len(label) for label in labels)
            for t, label in zip(tracked, labels):
                lines.append(f"{t.objective} {set_cell_size(label, width)} ")
                lines.append(progress_bar(t.start_progress, t.end_progress))
                lines.append(f" {out.progress_text(t.start_progress)} → {out.progress_text(t.end_progress)}\n")
            found.append(Static(lines))
        # The sections as text: the same words as the exported Markdown, without its title.
        text = out.render_markdown(result, self.lang).split("\n", 2)[2]
        found.append(Static(Text(text), id="review-text"))
        return found

    def action_export(self) -> None:
        if self.result is not None:
            self.export(self.result)

    @work(thread=True, exclusive=True, group="review-export")
    def export(self, result: review.Review) -> None:
        """Drawing the charts takes a few hundred ms: off the UI thread."""
        folder = self.export_dir or default_export_dir(self.settings)
        try:
            make_folders(folder)  # 0700 whatever the umask
            paths = [write_review(result, folder, self.lang, fmt) for fmt in ("html", "md")]
        except (WeeklyError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=10)
            return
        self.app.call_from_thread(self.notify, WORDS[self.lang]["exported"].format(p=str(paths[0])),
                                  markup=False)

"""`/`: search every week (store/search, as `weekly search`). Type words; the lines holding
them are listed as you type (searched off the UI thread); Enter (or a click) on one closes
the search with it, and the week screen opens its week with the item under the cursor.
Loaded when first opened."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.weeks import week_number
from weekly_zhoubao.store.search import Hit, search
from weekly_zhoubao.store.text import visible

from .i18n import t
from .rowlist import RowList

SHOWN = 500  # hits listed at most: a word in every week is found, not read
DEBOUNCE = 0.25  # seconds after the last key before searching


def marked(hit: Hit) -> Text:
    """The hit's line, its words in reverse (each part made visible on its own: the spans
    stay where the words are)."""
    line, at = Text(no_wrap=True, end=""), 0
    for start, end in hit.spans:
        line.append(visible(hit.line[at:start]))
        line.append(visible(hit.line[start:end]), style="bold reverse")
        at = end
    line.append(visible(hit.line[at:]))
    return line


class Results(RowList):
    """The hits; Enter picks the one under the cursor."""

    BINDINGS = [Binding("enter", "pick", show=False)]

    def action_pick(self) -> None:
        self.screen.pick(self.cursor_row)

    def on_click(self, event: events.Click) -> None:
        super().on_click(event)
        if event.chain == 2:  # a double click opens it, as Enter does
            self.screen.pick(self.cursor_row)


class SearchScreen(ModalScreen[Hit | None]):
    DEFAULT_CSS = """
    .search-dialog { width: 110; height: 80%; }
    .search-dialog Results { height: 1fr; max-height: 1fr; }
    .search-dialog Input { margin-bottom: 0; }
    """
    BINDINGS = [Binding("escape", "close", show=False),
                Binding("down", "to_results", show=False)]

    def __init__(self, store, settings, lock=None) -> None:
        super().__init__(id="search")
        self.store, self.settings, self.lang = store, settings, settings.lang
        self.lock = lock or contextlib.nullcontext()  # the session's: its worker may be writing
        self.hits: list[Hit] = []
        self._timer = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search-dialog"):
            yield Static(t("search_title", self.lang), classes="dialog-title", markup=False)
            yield Input(placeholder=t("search_hint", self.lang), id="search-words")
            yield Static("", id="search-count", markup=False)
            results = Results(id="search-results", show_header=False, cell_padding=0)
            yield results
            yield Static(t("search_keys", self.lang), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        results = self.query_one(Results)
        results.add_column("week", 16)
        results.add_column("section", 12)
        results.add_column("line", 30)  # and the rest of the width
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, lambda: self.run_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:  # Enter before the pause: search now, then open the first
            self._timer.stop()
            self._timer = None
            self.run_search(event.value, pick_first=True)
            return
        self.pick(self.query_one(Results).cursor_row)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str, pick_first: bool = False) -> None:
        words = text.split()
        hits: list[Hit] = []
        problem = None
        if words:
            try:
                with self.lock:
                    found = search(self.store, words)
                    for hit in found:
                        hits.append(hit)
                        if len(hits) > SHOWN:
                            break
            except (WeeklyError, ValueError) as exc:
                problem = str(exc)
        self.app.call_from_thread(self.show_hits, words, hits, problem, pick_first)

    def show_hits(self, words: list[str], hits: list[Hit], problem: str | None, pick_first: bool) -> None:
        self._timer = None
        self.hits = hits[:SHOWN]
        count = self.query_one("#search-count", Static)
        if problem:
            count.update(visible(problem))
        elif not words:
            count.update("")
        elif not hits:
            count.update(t("search_nothing", self.lang))
        else:
            more = len(hits) > SHOWN
            count.update(t("search_count_more" if more else "search_count", self.lang, n=len(self.hits)))
        rows = []
        for n, hit in enumerate(self.hits):
            rows.append((str(n), [Text(self._week_name(hit)), Text(visible(hit.section_label(self.lang)),
                                                                    style="dim"), marked(hit)]))
        self.query_one(Results).set_rows(rows)
        if pick_first and self.hits:
            self.pick(0)

    def _week_name(self, hit: Hit) -> str:
        day = hit.monday + timedelta(days=self.settings.report_day)
        number = week_number(day, self.settings.numbering)
        return f"{day:%y-%m-%d} " + (f"第{number}周" if self.lang == "zh" else f"W{number}")

    def pick(self, index: int) -> None:
        if 0 <= index < len(self.hits):
            self.dismiss(self.hits[index])

    def action_to_results(self) -> None:
        if self.hits:
            self.query_one(Results).focus()

    def action_close(self) -> None:
        self.dismiss(None)

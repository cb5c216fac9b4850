"""Below 120 columns (or 32 rows) the week's panes cannot sit side by side: the screen shows
one pane at a time, full size, under a line of tabs. The pane shown is the pane with focus,
so `1`–`6` (the preview is `6`) and a click on a tab switch it, and tab / shift+tab step
through them. The panes stay mounted either way: switching size keeps cursors and scroll."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from ..i18n import t
from ..rowlist import RowList

TABS_BELOW = (120, 32)  # columns, rows: smaller than either shows one pane at a time
LOW_BELOW = 40  # rows: fewer, and the panes beside each other hold fewer rows each
WIDE = 160  # columns: this many and more, the objectives and the preview stand side by side
NAMES = ["key_work", "metrics", "objectives", "incidents", "notes", "preview"]  # keys 1–6


class PaneTabs(Widget):
    """The line of tabs: the panes' numbers and short names, the shown one highlighted."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"panetabs--current"}
    DEFAULT_CSS = """
    PaneTabs {
        height: 1;
        display: none;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .panetabs--current { background: $accent; color: $text; text-style: bold; }
    }
    """

    def __init__(self, lang: str, **kw) -> None:
        super().__init__(**kw)
        self.lang = lang
        self.current = NAMES[0]
        self._places: list[tuple[int, int, str]] = []

    def show(self, name: str) -> None:
        if name != self.current:
            self.current = name
            self.refresh()

    def render(self) -> Text:
        current = self.get_component_rich_style("panetabs--current", partial=True)
        text, self._places = Text(end=""), []
        for name in NAMES:
            start = text.cell_len
            text.append(f" {t(f'tab_{name}', self.lang)} ", current if name == self.current else Style())
            self._places.append((start, text.cell_len, name))
        return text

    def on_click(self, event: events.Click) -> None:
        name = next((name for start, end, name in self._places if start <= event.x < end), None)
        if name is not None:
            self.screen.query_one(f"#pane-{name}").focus()


class TabbedScreen(Screen):
    """A screen of the week's panes, shown as tabs when it is small. The screen yields a
    PaneTabs; app.tcss shows the pane named by the `-show-NAME` class alone while the
    screen has the `-tabs` class."""

    BINDINGS = [
        Binding("tab", "step_pane(1)", show=False),
        Binding("shift+tab", "step_pane(-1)", show=False),
    ]
    shown_pane = NAMES[0]

    def on_resize(self, event: events.Resize) -> None:
        columns, rows = TABS_BELOW
        tabbed = event.size.width < columns or event.size.height < rows
        self.set_class(tabbed, "-tabs")
        self.set_class(not tabbed and event.size.width >= WIDE, "-wide")
        for rows in self.query(RowList):  # a pane's titles and names take the room it has
            rows.set_fit_first(True)
        # side by side but short: the first column's panes hold fewer rows (they scroll), so
        # that the notes pane keeps its own (app.tcss)
        self.set_class(not tabbed and event.size.height < LOW_BELOW, "-low")
        self._show_pane(self.shown_pane)

    @property
    def tabbed(self) -> bool:
        return self.has_class("-tabs")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for node in event.widget.ancestors_with_self:
            if node.id and node.id.startswith("pane-") and node.id[5:] in NAMES:
                self._show_pane(node.id[5:])
                return

    def _show_pane(self, name: str) -> None:
        self.shown_pane = name
        if not self.tabbed:
            # the classes say which pane shows alone (app.tcss): side by side they would only
            # restyle the whole screen at start-up and at every change of focus
            return
        for other in NAMES:
            self.set_class(other == name, f"-show-{other}")
        for tabs in self.query(PaneTabs):
            tabs.show(name)

    def action_step_pane(self, step: int) -> None:
        """Tab: the next pane when they show one at a time, else the next field as usual."""
        if not self.tabbed:
            if step > 0:
                self.focus_next()
            else:
                self.focus_previous()
            return
        name = NAMES[(NAMES.index(self.shown_pane) + step) % len(NAMES)]
        self._show_pane(name)
        self.set_focus(self.query_one(f"#pane-{name}"))  # at once: the next key goes to it

"""The command palette's list: every action of the app and of the screen it was opened
from, named in the app's language — the app's own, the screen's, then each pane's (add,
edit, …) under the pane's title."""

from __future__ import annotations

from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from .i18n import t
from .keybar import name_of


def described(node) -> list:
    """A node's named bindings as they are bound now: Textual applies the config's `[keys]`
    to the keys it dispatches, not to the node's own list, so it is applied here too."""
    bindings = node._bindings.copy()
    keymap = getattr(getattr(node.app, "settings", None), "keys", None)
    if keymap:
        bindings.apply_keymap(node.app._normalize_keymap(keymap))  # Textual's, as set_keymap does
    return [binding for _, binding in bindings if binding.description]


class WeeklyCommands(Provider):
    def _commands(self):
        app, lang = self.app, self.app.lang
        seen = set()
        for node in (app, self.screen):
            for binding in described(node):
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                yield name_of(binding, lang), partial(app.run_action, binding.action, node), app.get_key_display(binding)
        for pane in self.screen.query(".pane"):
            for binding in described(pane):
                if binding.id:  # ours: Textual's scrolling keys go without saying
                    yield (f"{pane.border_title} · {name_of(binding, lang)}", partial(self._on_pane, pane, binding.action),
                           app.get_key_display(binding))

    async def _on_pane(self, pane, action: str) -> None:
        """A pane's action: on that pane, as if its key were pressed there."""
        pane.focus()
        await self.app.run_action(action, pane)

    async def discover(self) -> Hits:
        for name, run, key in self._commands():
            yield DiscoveryHit(name, run, help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, key in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=key)



class WeeklyPalette(CommandPalette):
    """Textual's command palette, saying "no matches" in the app's language (Textual writes
    it in English inside the method that shows it: that method is redone here)."""

    def __init__(self, lang: str) -> None:
        super().__init__(id="--command-palette", placeholder=t("palette_search", lang))
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:  # searching found nothing; an empty search lists, it does not search
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(t("no_matches", self.lang), style="not bold")), disabled=True,
                           id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

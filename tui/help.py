"""`?`: the keys of the screen on top (the week, the review, the team, a form) as they are
bound now, after the config's `[keys]`, each with its action's id (what `[keys]` rebinds),
then what the panes' icons mean."""

from __future__ import annotations

from .forms import KeysScreen
from .i18n import t
from .keybar import name_of
from .palette import described
from .panes.objectives import STATUS_GLYPH

ICON_LEGEND = [*((glyph, f"status:{status}") for status, (glyph, _) in STATUS_GLYPH.items()),
               ("▼", "icon_children"), ("▰▱", "icon_progress"), ("↳", "icon_joined"), ("✓ ✗", "icon_target"),
               ("⚠", "icon_counts_differ"), ("⇣", "icon_draft")]


def binding_rows(app):
    """Every key of the screen on top that does something named (the arrows and scrolling go
    without saying): the app's, the screen's, then its panes' and fields'."""
    screen = app.screen
    for node in (app, screen):
        for binding in described(node):
            yield "", binding
    for widget in screen.query("*"):
        for binding in described(widget):
            if binding.id:  # ours, named in the app's language
                yield widget.border_title or "", binding


def show_keys(app) -> None:
    if isinstance(app.screen, KeysScreen):
        return
    lang = app.lang
    rows = [(app.get_key_display(b), name_of(b, lang), b.id or "", where) for where, b in binding_rows(app)]
    rows += [(glyph, t(meaning, lang), "", t("legend", lang)) for glyph, meaning in ICON_LEGEND]
    columns = (t("col_key", lang), t("col_action", lang), t("col_id", lang), t("col_where", lang))
    app.push_screen(KeysScreen(t("keys_title", lang), rows, columns))

"""The text editor: a title and a Markdown body, saved as you type. Its own module so that
TextArea (and its document machinery) loads when an editor first opens, not at start-up."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from .i18n import t


class EditorScreen(ModalScreen[None]):
    """A title and a Markdown body, saved as you type (debounced), closed with Escape.
    `save(title, body)` returns an error to show (nothing saved) or None."""

    # priority: TextArea (indenting with tab, as outlines need) would otherwise take escape
    BINDINGS = [Binding("escape", "close", "Close", show=False, priority=True)]
    DEBOUNCE = 0.4

    def __init__(self, heading: str, body: str, lang: str, save: Callable[[str | None, str], str | None],
                 title: str | None = None, hint: str = "", draft=None) -> None:
        super().__init__(id="editor")
        self.heading = heading
        self.initial_title = title
        self.initial_body = body
        self.lang = lang
        self.save = save
        self.hint = hint
        self._timer: Timer | None = None
        self.error: str | None = None  # why what is typed could not be saved
        self.draft = draft  # the session's link to the stored text (store/session.Draft)
        self.last_saved = (title, body)  # compared with what is typed: no event can be missed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            if self.initial_title is not None:
                yield Label(t("title", self.lang), markup=False)
                yield Input(value=self.initial_title, id="editor-title")
            if self.hint:
                yield Static(self.hint, classes="dialog-keys", markup=False)
            yield TextArea(self.initial_body, id="editor-body", soft_wrap=True, tab_behavior="indent")
            yield Static("", id="form-error", markup=False)
            yield Static(t("editor_keys", self.lang), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        target = "#editor-title" if self.initial_title is not None and not self.initial_title else "#editor-body"
        self.query_one(target).focus()

    def current(self) -> tuple[str | None, str]:
        title = self.query_one("#editor-title", Input).value if self.initial_title is not None else None
        return title, self.query_one("#editor-body", TextArea).text

    @on(TextArea.Changed)
    @on(Input.Changed)
    def changed(self, event) -> None:
        event.stop()
        if self._timer:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE, self.flush)

    @on(Input.Submitted)
    def title_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#editor-body", TextArea).focus()

    def flush(self) -> bool:
        """Save what is typed now. Returns False (and says why) when it cannot be saved."""
        if self._timer:
            self._timer.stop()
            self._timer = None
        typed = self.current()
        if typed == self.last_saved:
            return True
        error = self.save(*typed)
        if error:  # the rules say it in English; the form in the UI's language, by its labels
            from .messages import form_error

            labels = {"title": t("title", self.lang), "body": t("body", self.lang)}
            error = form_error("", error, labels, self.lang)
        self.error = error
        box = self.query_one("#form-error", Static)
        if error:
            box.update(Text(error, style="bold red"))
            return False
        box.update("")
        self.last_saved = typed
        return True

    def merge_in(self) -> None:
        """Show a change of the text stored elsewhere (a `weekly note` from a shell), merged
        with what is typed here."""
        if self.draft is None:
            return
        area = self.query_one("#editor-body", TextArea)
        merged = self.draft.catch_up(area.text)
        if merged is None:
            return
        cursor = area.cursor_location
        area.text = merged
        lines = merged.split("\n")
        row = min(cursor[0], len(lines) - 1)
        area.move_cursor((row, min(cursor[1], len(lines[row]))))
        if self.draft.conflicts:
            self.query_one("#form-error", Static).update(Text(t("conflict_marked", self.lang), style="bold yellow"))

    def heading_text(self) -> str:
        return self.heading

    def typed_text(self) -> str:
        title, body = self.current()
        return body if title is None else f"{title}\n\n{body}"

    def nothing_typed(self) -> bool:
        title, body = self.current()
        return not (title or "").strip() and not body.strip()

    def unsaved(self) -> str | None:
        """On quit: save what is typed; returns why it cannot be saved, None when all is kept."""
        if self.flush() or self.nothing_typed():
            return None
        return str(self.query_one("#form-error", Static).render())

    def action_close(self) -> None:
        if self.flush() or self.nothing_typed():  # nothing typed: nothing to keep
            self.dismiss(None)
            return
        from .forms import ConfirmScreen

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("unsaved_typed", self.lang), [self.error], t("discard_keys", self.lang)),
                             decided)

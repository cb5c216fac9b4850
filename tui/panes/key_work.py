"""Pane 1: the week's key work, a title and the first line of its body; `a` and Enter open
the editor of a title and a body."""

from __future__ import annotations

from pydantic import ValidationError
from rich.text import Text

from weekly_zhoubao.store import ops
from weekly_zhoubao.store.errors import describe_validation
from weekly_zhoubao.store.models import KeyWorkItem, Week

from ..i18n import t
from .base import DRAFT, EDIT_BINDINGS, MOVE_BINDINGS, Pane, first_line


class KeyWorkPane(Pane):
    BINDINGS = [*EDIT_BINDINGS, *MOVE_BINDINGS]

    def __init__(self, lang: str) -> None:
        super().__init__("key_work", lang, show_header=False)

    def on_mount(self) -> None:
        self.add_column("title", width=18)
        self.add_column("body", width=22)

    def show(self, week: Week) -> None:
        def title(item) -> Text:
            words = Text(item.title, style="bold")
            return Text(DRAFT, style="cyan") + words if item.id in week.drafts else words

        self.fill([(item.id, [title(item), Text(first_line(item.body), style="dim")]) for item in week.key_work])

    def add_row(self, selected: str | None) -> None:
        self._editor(None, selected)

    def edit_row(self, selected: str) -> None:
        self._editor(ops.find(self.host.week, selected), None)

    def _editor(self, item: KeyWorkItem | None, after: str | None) -> None:
        """A title and a body. A new item is added at its first valid save; from then on the
        body is a merged text (a draft) and the title a field, one undo step."""
        from weekly_zhoubao.store import inputs

        host = self.host
        state = {"draft": host.session.draft(("key_work", item.id), lang=self.lang) if item else None,
                 "title": item.title if item else None}

        def save(title_text: str | None, body: str) -> str | None:
            title_text = inputs.key_work_title(title_text) if title_text is not None else None  # 【】: the export's
            try:
                new = KeyWorkItem(title=title_text or "", body=body)
            except ValidationError as exc:
                return describe_validation(exc)
            draft = state["draft"]
            if draft is None:
                if not self.add_element(ops.AddElement(host.week.monday, "key_work", new, after_id=after)):
                    return "!"
                state["draft"], state["title"] = host.session.draft(("key_work", new.id), lang=self.lang), new.title
                return None
            if title_text != state["title"]:
                op = ops.SetFields(draft.monday, draft.target[1], {"title": (state["title"], title_text)})
                if not host.edit(op, group=draft.group):  # with the body: one undo step
                    return "!"
                state["title"] = title_text
            result = draft.save(body)
            host.show_week()
            return None if result else (result.error or "!")

        editor = self.app.editor(t("pane_key_work", self.lang)[2:], item.body if item else "", self.lang, save,
                                 title=item.title if item else "", draft=state["draft"])
        self.app.push_screen(editor)

"""Pane 5: other, reflections, next week, the week's own sections, and its daily notes.
Each row is a text, edited in the editor as a draft merged with what is stored."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding

from weekly_zhoubao.store import dates, ops, sections
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.messages import say
from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.carry import default_note_day

# forms and dialogs are imported where one opens: they load then, not with the first screen
from ..i18n import t
from .base import DRAFT, EDIT_BINDINGS, MOVE_BINDINGS, Pane, WeekHost, first_line

DAILY = "daily:"  # a daily note's row key: daily:2023-10-12
SECTION = "section:"  # a week's own section's row key: section:ID


def text_editor(host: WeekHost, heading: str, draft, hint: str = "") -> None:
    """An editor of a stored text: each save sends what is typed against the text it was
    typed over, merged with what is stored; a change made elsewhere shows in it."""
    def save(_title, body: str) -> str | None:
        result = draft.save(body)
        if not result:
            return result.error or "!"
        host.show_week()
        return None

    host.app.push_screen(host.app.editor(heading, draft.sent, host.lang, save, hint=hint, draft=draft))


def daily_note(host: WeekHost, day: date | None = None) -> None:
    """The note of `day` (today when None) in the editor."""
    from weekly_zhoubao.exporters.markdown import daily_label

    day = day or host.today
    try:
        draft = host.session.draft(("note", day), lang=host.lang)
    except WeeklyError as exc:
        host.app.say(str(exc), severity="error")
        return
    text_editor(host, f"{t('daily', host.lang)} {daily_label(day, host.lang)}", draft)


def note_for_day(host: WeekHost) -> None:
    """The note of a day of the week on screen, asked in a form prefilled with the day `a`
    in pane 5 would write."""
    from .. import dialogs
    def read(text: str) -> date:
        return dates.parse_note_day(text, host.today, host.week.monday, host.anchor())

    day = default_note_day(host.week, host.today, host.settings.report_day)
    # after the form has closed: the editor opens over the week, not under the form
    host.app.push_screen(dialogs.note_day_form(host.lang, day, read,
                                               lambda chosen: host.call_later(daily_note, host, chosen)))


def text_target(selected: str) -> tuple:
    """The notes pane's row as the text it stands for (store/ops.text_of)."""
    if selected.startswith(DAILY):
        return ("note", date.fromisoformat(selected.removeprefix(DAILY)))
    if selected.startswith(SECTION):
        return ("section", selected.removeprefix(SECTION))
    return (selected, None)


class NotesPane(Pane):
    # shift+up/down order the week's own sections (the other rows are listed by kind and day);
    # these keys are in `?`, not the footer: it is full at 120 columns
    BINDINGS = [*EDIT_BINDINGS,
                *[Binding(b.key, b.action, b.description, show=False, id=f"notes_{b.id}") for b in MOVE_BINDINGS],
                Binding("A", "add_section", "add_section", id="add_section", show=False),
                Binding("R", "rename", "rename_section", id="rename_section", show=False)]
    FOOTER_KEEPS = ("daily_note",)  # the week screen's `n`: today's note, the pane's first thing

    def action_rename(self) -> None:
        self._ask(self.rename_section)

    def action_add_section(self) -> None:
        self._ask(lambda _selected: self.add_section(), needs_row=False)

    def __init__(self, lang: str) -> None:
        super().__init__("notes", lang, show_header=False)

    def on_mount(self) -> None:
        self.add_column("section", width=18)
        self.add_column("first", width=22)

    def show(self, week: Week) -> None:
        from weekly_zhoubao.exporters.markdown import daily_label

        def dim(text: str) -> Text:
            return Text(first_line(text), style="dim")

        drafts = set(week.drafts)

        def label(text: str, *ids: str) -> Text:
            """⇣ before a row holding something pulled from a member and not edited since."""
            return Text(DRAFT, style="cyan") + text if drafts.intersection(ids) else Text(text)

        rows = [
            ("other", [label(f"{t('other', self.lang)} {len(week.other)}", *(e.id for e in week.other)),
                       dim(week.other[0].text if week.other else "")]),
            ("reflections", [Text(t("reflections", self.lang)), dim(week.reflections)]),
            ("next_week", [label(f"{t('next_week_list', self.lang)} {len(week.next_week)}", *(e.id for e in week.next_week)),
                           dim(week.next_week[0].text if week.next_week else "")]),
        ]
        for section in week.sections:
            rows.append((f"{SECTION}{section.id}", [label(section.title or section.key, section.id), dim(section.body)]))
        for note in sorted(week.daily_notes, key=lambda n: n.day):
            rows.append((f"{DAILY}{note.day.isoformat()}",
                         [Text(f"{t('daily', self.lang)} {daily_label(note.day, self.lang)[5:]}"), dim(note.text)]))
        self.fill(rows)

    # --- the flows ------------------------------------------------------------------------

    def add_row(self, selected: str | None) -> None:
        if (selected or "").startswith(SECTION):
            self.add_section()
        else:
            note_for_day(self.host)

    def edit_row(self, selected: str) -> None:
        host = self.host
        target = text_target(selected)
        if target[0] == "section":
            section = next((x for x in host.week.sections if x.id == target[1]), None)
            if section is not None:
                text_editor(host, section.title or section.key, host.session.draft(target, lang=self.lang),
                            t("section_list_hint", self.lang) if section.form == "list" else "")
            return
        if target[0] == "note":
            daily_note(host, target[1])
            return
        heading = t({"other": "other", "next_week": "next_week_list"}.get(target[0], target[0]), self.lang)
        text_editor(host, heading, host.session.draft(target, lang=self.lang),
                    t("list_hint", self.lang) if target[0] != "reflections" else "")

    def delete_row(self, selected: str) -> None:
        if selected.startswith(SECTION):
            self._delete_section(selected.removeprefix(SECTION))
        else:
            self._clear(text_target(selected))

    def move_row(self, selected: str, step: int) -> None:
        """The week's own sections only: the other rows are listed by kind and day."""
        if selected.startswith(SECTION):
            section_id = selected.removeprefix(SECTION)
            self._edit_sections(lambda week: sections.move_section(week, section_id, step))
            self.prefer = selected

    # the week's own sections (store/sections.py): each change one week-level op, one undo step
    def _edit_sections(self, change) -> bool:
        try:
            op = ops.from_change(self.host.week, change)
        except ValueError as exc:
            self.app.say(str(exc), severity="error")
            return False
        return self.host.edit(op)

    def add_section(self) -> None:
        from ..forms import Field, FormScreen
        lang = self.lang
        forms = [("markdown", t("section_form:markdown", lang)), ("list", t("section_form:list", lang))]
        fields = [Field("title", t("section_title", lang)),
                  Field("form", t("section_form_kind", lang), "markdown", choices=forms)]

        def read(values: dict) -> tuple[str, str]:
            form = values["form"].strip().lower() or "markdown"
            if form not in ("markdown", "list"):
                raise ValueError(say("section_form_choice"))
            if not values["title"].strip():
                raise ValueError(say("section_needs_name"))
            return values["title"], form

        def check(values: dict) -> str | None:
            try:
                read(values)
            except ValueError as exc:
                return str(exc)  # in the UI's language already (store/messages.py)
            return None

        def save(values: dict) -> None:
            title, form = read(values)
            added: dict = {}
            if self._edit_sections(lambda week: added.update(id=sections.add_section(week, title, form).id)):
                self.prefer = f"{SECTION}{added['id']}"  # the cursor goes to it
                self.host.show_week()

        self.app.push_screen(FormScreen(t("add_section", lang), fields, lang, check, save, "section-form"))

    def rename_section(self, selected: str) -> None:
        from ..forms import Field, FormScreen
        if not selected.startswith(SECTION):
            self.app.say(t("rename_own_only", self.lang))  # the template's sections keep their names
            return
        section_id = selected.removeprefix(SECTION)
        section = next((x for x in self.host.week.sections if x.id == section_id), None)
        if section is None:
            return

        def check(values: dict) -> str | None:
            return None if values["title"].strip() else say("section_needs_name")

        def save(values: dict) -> None:
            self._edit_sections(lambda week: sections.rename_section(week, section_id, values["title"]))

        self.app.push_screen(FormScreen(t("rename_section", self.lang), [Field("title", t("section_title", self.lang),
                                                                                section.title)],
                                        self.lang, check, save, "section-form"))

    def _clear(self, target: tuple) -> None:
        """【其他】, 下周, 收获与反思 or a day's note: emptied only when the user says so (undo
        restores it); an empty one goes at once."""
        from ..forms import ConfirmScreen
        host = self.host
        clear = ops.clear_text(host.week, target)
        lines = [line.strip() for line in clear.base.splitlines() if line.strip()]
        if not lines:  # nothing to lose; an empty list stays as it is (no empty undo step)
            if target[0] == "note" or clear.base:
                host.edit(clear)
            return
        kind = target[0]
        if kind == "note":
            name = f"{t('daily', self.lang)} {target[1]:%m/%d}"
        else:
            name = t({"other": "other", "next_week": "next_week_list"}.get(kind, kind), self.lang)
        heading = (t("clear_list", self.lang, name=name, n=len(lines)) if kind in ("other", "next_week")
                   else t("clear_text", self.lang, name=name))
        self.app.push_screen(ConfirmScreen(heading, [first_line(line) for line in lines[:5]],
                                           t("delete_keys", self.lang)), lambda ok: ok and self.delete(clear, name))

    def _delete_section(self, section_id: str) -> None:
        from ..forms import ConfirmScreen
        section = next((x for x in self.host.week.sections if x.id == section_id), None)
        if section is None:
            return

        def go(ok: bool | None = True) -> None:
            if ok and self._edit_sections(lambda week: sections.delete_section(week, section_id)):
                self.said_deleted(section.title or section.key)

        if not section.body.strip():
            go()
            return
        self.app.push_screen(ConfirmScreen(t("delete_section", self.lang, name=section.title or section.key),
                                           [first_line(section.body)], t("delete_keys", self.lang)), go)

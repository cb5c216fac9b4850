"""The team screen: members' weeks for the week on screen, one row per item, and `p` to
pull the highlighted item into your own week (a draft naming its source).

It reads only the team's clone (store/team), never the store: a pull is handed to `pull`,
the week screen's callback, which turns it into ops on its session (shown at once, saved
by the session's worker, one undo step, another writer's changes kept).
No rule lives here: reading, validating and pulling are store/team/rollup.py's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from weekly_zhoubao.store.models import Week, monday_of
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.words import incident_text
from weekly_zhoubao.store.team.rollup import Rollup, collect, names_line, pull_into

from .keybar import KeyBar
from weekly_zhoubao.store.text import visible

# (monday, change of a Week) -> True when taken (or nothing to change); False when refused,
# the caller having said why
Pull = Callable[[date, Callable[[Week], None]], bool]

LABELS = {
    "zh": {"title": "团队 · {monday} 这一周", "member": "成员", "section": "部分", "item": "内容",
           "key_work": "重点工作", "objectives": "目标", "incidents": "事件", "other": "其他",
           "next_week": "下周", "missing": "未发布：{names}", "everyone": "全员已发布",
           "pulled": "已加入本周：{what}", "already": "本周已有这一项", "nothing": "没有可拉取的条目",
           "problems": "跳过 {n} 个文件（见 weekly team report）"},
    "en": {"title": "Team · week of {monday}", "member": "Member", "section": "Section", "item": "Item",
           "key_work": "Key work", "objectives": "Objectives", "incidents": "Incidents", "other": "Other",
           "next_week": "Next week", "missing": "Not published: {names}", "everyone": "Everyone published",
           "pulled": "Pulled into your week: {what}", "already": "Already in your week", "nothing": "Nothing to pull",
           "problems": "{n} file(s) skipped (see weekly team report)"},
}


@dataclass(frozen=True)
class Row:
    member: str
    item_id: str
    section: str
    text: str
    heading: str = ""  # a member's own section: its heading's words


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def rows_of(rollup: Rollup, lang: str) -> list[Row]:
    rows = []
    for member, week in rollup.weeks.items():
        rows += [Row(member, i.id, "key_work", i.title) for i in week.key_work]
        rows += [Row(member, i.id, "objectives", f"{o.code} {i.line}") for o in week.objectives for i in o.items]
        rows += [Row(member, i.id, "incidents", f"{i.at:%m/%d %H:%M} {incident_text(i, lang)}")
                 for i in week.sorted_incidents()]
        rows += [Row(member, e.id, "other", e.text.split("\n")[0]) for e in week.other]
        rows += [Row(member, e.id, "next_week", e.text.split("\n")[0]) for e in week.next_week]
        rows += [Row(member, s.id, "section", _first_line(s.body), s.title or s.key)
                 for s in week.sections if s.body.strip()]
    return rows


class TeamScreen(Screen):
    BINDINGS = [
        # descriptions are i18n ids (tui/i18n.py): the key bar and `?` say them in the app's language
        Binding("p", "pull", "team_pull", id="team_pull"),
        Binding("left_square_bracket", "week(-1)", "prev_week", id="team_prev", group=Binding.Group("week_keys")),
        Binding("right_square_bracket", "week(1)", "next_week", id="team_next", group=Binding.Group("week_keys")),
        Binding("escape", "close", "close", id="team_close"),
    ]
    DEFAULT_CSS = """
    TeamScreen #team-title { padding: 0 1; text-style: bold; }
    TeamScreen #team-status { padding: 0 1; }
    TeamScreen DataTable { height: 1fr; }
    """

    def __init__(self, team_folder: Path, day: date, pull: Pull, lang: str = "zh",
                 refused: dict[str, str] | None = None) -> None:
        super().__init__()
        self.team_folder = team_folder
        self.monday = monday_of(day)
        self.pull = pull
        self.lang = lang if lang in LABELS else "zh"
        self.refused = refused or {}
        self.rollup = Rollup(self.monday)
        self.rows: list[Row] = []

    @classmethod
    def for_store(cls, db_path: Path, day: date, pull: Pull, lang: str = "zh") -> TeamScreen:
        """The screen for the team the store at `db_path` joined (raises WeeklyError when it
        joined none): only the team's config and clone beside the store are read."""
        from weekly_zhoubao.store.team import repo

        team = repo.load_team(db_path)
        return cls(team.folder, day, pull, lang, repo.refused_files(team))

    def compose(self) -> ComposeResult:
        yield Static(id="team-title", markup=False)
        yield DataTable(cursor_type="row", zebra_stripes=True, id="team-items")
        yield Static(id="team-status", markup=False)
        yield KeyBar()  # the keys of this screen and the app's, in the app's language

    def on_mount(self) -> None:
        label = LABELS[self.lang]
        self.query_one(DataTable).add_columns(label["member"], label["section"], label["item"])
        self.load()

    def load(self) -> None:
        """Read the members' weeks off the UI thread (a team of thousands opens every
        member's folder); the newest request wins."""
        self.run_worker(lambda monday=self.monday: self._collect(monday), thread=True, group="team-collect",
                        exclusive=True)

    def _collect(self, monday: date) -> None:
        try:
            rollup = collect(self.team_folder, monday, refused=self.refused)
        except WeeklyError as exc:
            self.app.call_from_thread(self.say, str(exc), "error")
            return
        self.app.call_from_thread(self.show, rollup)

    def show(self, rollup: Rollup) -> None:
        if rollup.monday != self.monday:  # the user moved on to another week meanwhile
            return
        label = LABELS[self.lang]
        self.rollup = rollup
        self.rows = rows_of(self.rollup, self.lang)
        table = self.query_one(DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(Text(row.member), Text(row.heading or label[row.section]), Text(row.text))
        self.query_one("#team-title", Static).update(label["title"].format(monday=self.monday.isoformat()))
        status = (label["missing"].format(names=names_line(self.rollup.missing, self.lang)) if self.rollup.missing
                  else label["everyone"])
        if self.rollup.problems:
            status += " · " + label["problems"].format(n=len(self.rollup.problems))
        self.query_one("#team-status", Static).update(status)

    def action_week(self, step: int) -> None:
        self.monday += timedelta(days=7 * step)
        self.load()

    def action_close(self) -> None:
        self.dismiss()

    def action_pull(self) -> None:
        label = LABELS[self.lang]
        table = self.query_one(DataTable)
        if not self.rows:
            self.say(label["nothing"])
            return
        row = self.rows[table.cursor_row]
        outcome = {}

        def change(week: Week) -> None:  # run on a copy of the week; the ops come from the difference
            outcome["pulled"] = pull_into(week, self.rollup, self.lang, {(row.member, row.item_id)})

        if not self.pull(self.monday, change) or "pulled" not in outcome:
            return  # refused or unreadable: the week screen said why
        pulled = outcome["pulled"]
        if pulled.problems:
            self.say(pulled.problems[0], "error")
        elif pulled.added:
            self.say(label["pulled"].format(what=row.text))
        else:
            self.say(label["already"])

    def say(self, text: str, severity: str = "information") -> None:
        """Member files are untrusted: their words are shown, never interpreted."""
        self.notify(visible(text), severity=severity, markup=False, timeout=8 if severity == "error" else None)

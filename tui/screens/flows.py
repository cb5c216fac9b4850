"""The week screen's flows that are no pane's: going to a week, searching every week,
exporting, the review, the team's weeks and a pull from them. Each takes the screen, whose `edit` is the one way into
the session."""

from __future__ import annotations

from datetime import date, timedelta

from weekly_zhoubao.store import dates, ops
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.export_check import pre_export_check
from weekly_zhoubao.store.models import monday_of
from weekly_zhoubao.store.settings import default_export_dir
from weekly_zhoubao.store.weeks import week_number

# forms and dialogs are imported where one opens: they load then, not with the first screen
from ..i18n import t
from ..status import short_name
from .tabs import NAMES

STATUS_NAME_CELLS = 22  # a file's name in the header: with the week's title, within 80 columns


def goto_week(screen) -> None:
    from .. import dialogs
    def read(text: str) -> date:
        day = dates.parse_week_day(text, screen.today, screen.anchor(), screen.settings.numbering)
        try:  # a week we can show and name (9999-12-27 has no Sunday)
            week_number(monday_of(day) + timedelta(days=6), screen.settings.numbering)
        except (ValueError, OverflowError):
            raise ValueError(t("no_such_week", screen.lang, d=f"{day:%Y-%m-%d}")) from None
        return day

    screen.app.push_screen(dialogs.goto_form(screen.lang, screen.week.monday, read, screen.load_week, screen.week_name))


def search(screen) -> None:
    """Every week's text (tui/search_screen.py); Enter goes to the week and the item found."""
    from ..search_screen import SearchScreen  # loaded when first opened

    def go(hit) -> None:
        if hit is not None and screen.load_week(hit.monday):
            screen.action_focus_pane(NAMES.index(hit.pane) + 1)
            screen.query_one(f"#pane-{hit.pane}").select_key(hit.row)

    screen.app.push_screen(SearchScreen(screen.session.store, screen.settings, lock=screen.session.reading()), go)


def export(screen) -> None:
    """The pre-export check (confirmed when it finds something), then the files."""
    from ..forms import ConfirmScreen
    session, lang = screen.session, screen.lang
    problems = pre_export_check(screen.week, screen.overdue_day, session.last_week, session.derived, lang)

    def go(ok: bool | None = True) -> None:
        if not ok:
            return
        from weekly_zhoubao.exporters.files import export_week

        try:
            with session.reading():
                paths = export_week(session.store, screen.week, screen.settings, lang,
                                    default_export_dir(screen.settings), folder=True)
        except (WeeklyError, OSError) as exc:
            screen.app.say(str(exc), severity="error", timeout=10)
            return
        # the header names the file, short: the week's dates keep their room at 80 columns;
        # the whole path is in the notification
        screen.update_status(t("exported_short", lang, f=short_name(paths[0].name, STATUS_NAME_CELLS)))
        screen.app.say(t("exported", lang, p=str(paths[0])))

    if problems:
        screen.app.push_screen(ConfirmScreen(t("check_title", lang), problems, t("check_keys", lang)), go)
    else:
        go()


def open_review(screen) -> None:
    """The review of the quarter holding the week on screen (SPEC §8)."""
    from ..review_screen import ReviewScreen  # loaded when first opened

    screen.app.push_screen(ReviewScreen(screen.session.store, screen.settings, screen.week.monday,
                                        lock=screen.session.reading()))


def open_team(screen) -> None:
    """The team's weeks for the week on screen; `p` there pulls an item into one's own week
    through the screen's session. Not in a team: the one line that says how."""
    from weekly_zhoubao.store.team.repo import config_path

    from ..team_screen import TeamScreen  # loaded when first opened

    path = screen.session.store.path
    try:
        team = TeamScreen.for_store(path, screen.week.monday, lambda monday, change: pull(screen, monday, change),
                                    screen.lang)
    except WeeklyError as exc:
        joined = config_path(path).exists()  # a damaged config or a missing clone says so itself
        screen.app.say(str(exc) if joined else t("team_not_joined", screen.lang), severity="error")
        return
    screen.app.push_screen(team)


def pull(screen, monday: date, change) -> bool:
    """A team pull (`change`, a function of a Week) as ops: run on a copy of that week as
    shown (or as stored, for another week), applied by the session to the freshest stored
    week, so another writer's changes stay; one undo step. False when refused (said here)."""
    try:
        week = screen.week if monday == screen.week.monday else screen.session.read_week(monday)
        op = ops.from_change(week, change)
    except (WeeklyError, ValueError) as exc:
        screen.app.say(str(exc), severity="error")
        return False
    return screen.edit(op)

"""The `weekly` command. Shell commands never import Textual (they must start fast);
only the TUI path does. Every failure is one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import gc
import sys
from datetime import date
from functools import partial
from pathlib import Path

from weekly_zhoubao.tui import __version__

EXAMPLES = """\
examples:
  weekly                                   open this week in the TUI
  weekly --date 2023-10-13                 open the week holding that date
  weekly --demo                            try it on a store of sample weeks
  weekly incident "支付超时 25 笔" --at 15:37 --grade C
  weekly note "和银行沟通开户流程"
  weekly metric 入金有效成功率 99.997
  weekly export --lang en -o ~/reports/
  weekly import ~/notion-export/
  weekly review --quarter 2023Q4 --format html -o q4.html
  weekly weeks
  weekly team join ~/team.git --as alice   then: team publish | sync | members | report | pull
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line, no usage dump
        sys.stderr.write(f"{self.prog}: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def _day(text: str) -> date:
    from weekly_zhoubao.store.dates import parse_day

    try:
        return parse_day(text, date.today())  # `10/9`: the latest such date up to today
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser(asking_for_help: bool = True) -> argparse.ArgumentParser:
    # argparse builds a help formatter for every argument it adds, and a formatter sizes
    # itself from the terminal through shutil (zlib, bz2, lzma: ~2.5 ms a start). Only help
    # is ever formatted at that size.
    formatter = argparse.RawDescriptionHelpFormatter
    if not asking_for_help:
        formatter = partial(formatter, width=80)
    common = argparse.ArgumentParser(add_help=False, formatter_class=formatter)
    default = "the user data folder"
    if asking_for_help:  # name the real path; other runs need not load platformdirs for it
        from weekly_zhoubao.store.settings import default_db_path

        default = str(default_db_path())
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"the store's file (default: $WEEKLY_DB or {default})")

    parser = _Parser(prog="weekly", parents=[common], formatter_class=formatter,
                     description="Write your weekly report (周报) from the keyboard; keep it in a local "
                                 "store; export it as Markdown.", epilog=EXAMPLES)
    parser.add_argument("--version", action="version", version=f"weekly {__version__}")
    parser.add_argument("--date", type=_day, metavar="D", help="open the week holding this date (2023-10-13)")
    parser.add_argument("--lang", choices=["zh", "en"], help="language of the app and the report, for this run")
    parser.add_argument("--demo", action="store_true", help="open the TUI on a temporary store of sample weeks")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def command(name, help_text, example):
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text,
                              epilog=f"example:\n  {example}", formatter_class=formatter)

    p = command("import", "read Markdown reports (files or folders) into the store",
                "weekly import ~/notion-export/ week-42-2023.md --replace")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--replace", action="store_true", help="replace weeks already in the store")
    p.add_argument("--date", type=_day, metavar="D",
                   help="a day of the report's week, for files that carry no date (or no year)")
    p.add_argument("--dry-run", action="store_true",
                   help="show the weeks, sections, fields and warnings each file would give; write nothing")
    p.add_argument("--day-first", action="store_true",
                   help="read 04-08-2017 as 4 August where nothing in a file or its folder says the order")

    p = command("export", "print or write a week's report", "weekly export --date 2023-10-13 --lang en -o reports/")
    p.add_argument("--date", type=_day, metavar="D", help="a date in the week (default: today)")
    p.add_argument("--lang", choices=["zh", "en"])
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE_OR_DIR",
                   help="a file, or a folder (gets the week plus one file per daily note)")

    p = command("incident", "log a production incident (time defaults to now)",
                'weekly incident "监控发现支付超时" --at "2023-10-09 15:37" --grade C --duration 10')
    p.add_argument("summary")
    p.add_argument("--at", metavar="WHEN", help="15:37, 10/9 15:37 or 2023-10-09 15:37 (default: now)")
    p.add_argument("--grade", type=str.upper, choices=["A", "B", "C", "D"])
    p.add_argument("--impact", default="")
    p.add_argument("--duration", type=int, metavar="MINUTES")
    p.add_argument("--resolution", default="")
    p.add_argument("--detection", default="", help="how it was found (监控, 用户反馈, …)")
    p.add_argument("--status", default="", help="open or resolved (default: resolved when a resolution is given)")

    p = command("note", "add to a day's daily note", 'weekly note "和银行沟通开户流程" --date 2023-10-12')
    p.add_argument("text")
    p.add_argument("--date", type=_day, metavar="D", help="the day (default: today)")

    p = command("metric", "record a metric reading for the week", "weekly metric 入金有效成功率 99.997% --date 2023-10-13")
    p.add_argument("name")
    p.add_argument("value")
    p.add_argument("--date", type=_day, metavar="D", help="a date in the week (default: today)")
    p.add_argument("--group", help="define the metric in this group if it is new")
    p.add_argument("--kind", choices=["percent", "number", "text"], default="percent",
                   help="for a new metric (default: percent)")

    p = command("review", "the review of a period (述职): coverage, delivered, objectives, incidents, "
                "metrics, key work, reflections, plans not done",
                "weekly review --quarter 2023Q4 --format html -o q4.html")

    def period(kind: str):
        def parse(text: str):
            from weekly_zhoubao.store import review

            try:
                return getattr(review, kind)(text)
            except ValueError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None
        return parse

    one = p.add_mutually_exclusive_group()
    one.add_argument("--quarter", type=period("quarter"), metavar="2023Q4")
    one.add_argument("--half", type=period("half"), metavar="2023H2")
    one.add_argument("--year", type=period("year"), metavar="2023")
    p.add_argument("--from", dest="start", type=_day, metavar="D", help="with --to: any range of dates")
    p.add_argument("--to", dest="end", type=_day, metavar="D")
    p.add_argument("--date", type=_day, metavar="D",
                   help="with no period given: the quarter holding this date (default: today)")
    p.add_argument("--lang", choices=["zh", "en"])
    p.add_argument("--format", choices=["md", "html", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: print)")

    command("weeks", "list the weeks in the store", "weekly weeks")
    _team_parsers(command("team", "share weeks with a team through a git repository",
                          "weekly team join git@example.com:pay/weeks.git --as alice"), common, formatter)
    return parser


def _team_parsers(team, common, formatter) -> None:
    actions = team.add_subparsers(dest="team_command", parser_class=_Parser, metavar="ACTION", required=True)

    def action(name, help_text, example):
        return actions.add_parser(name, parents=[common], help=help_text, description=help_text,
                                  epilog=f"example:\n  {example}", formatter_class=formatter)

    p = action("join", "clone the team's repository beside the store and say who you are",
               "weekly team join git@example.com:pay/weeks.git --as alice")
    p.add_argument("url", metavar="URL", help="any address git takes: ssh, https, a path, file://")
    p.add_argument("--as", dest="name", required=True, metavar="NAME", help="your name in the team (your folder)")
    p.add_argument("--private", metavar="SECTIONS",
                   help="sections never published, comma-separated (default: daily_notes)")
    p = action("publish", "write your weeks into the team repository, commit and push", "weekly team publish")
    p.add_argument("--date", type=_day, metavar="D", help="only the week holding this date (default: every week)")
    action("sync", "bring in what the team published", "weekly team sync")
    action("members", "who has published, and when", "weekly team members")
    p = action("report", "the team's week rolled up into one report, in your week's template (else the config's)",
               "weekly team report --date 2023-10-13")
    p.add_argument("--date", type=_day, metavar="D", help="a date in the week (default: today)")
    p.add_argument("--members", metavar="A,B", help="only these members")
    p.add_argument("--lang", choices=["zh", "en"])
    p.add_argument("--format", choices=["md", "json"], default="md")
    p = action("pull", "copy members' items into your own week as drafts naming their source",
               "weekly team pull --date 2023-10-13 --members alice")
    p.add_argument("--date", type=_day, metavar="D", help="a date in the week (default: today)")
    p.add_argument("--members", metavar="A,B", help="only these members")


def main(argv: list[str] | None = None) -> int:
    # Loading pydantic (and Textual) makes ~300k objects and next to no garbage; the cyclic
    # collector would walk them over and over meanwhile. It is off until they are loaded,
    # then they are frozen out of its sight (`_loaded`).
    collecting = gc.isenabled()
    gc.disable()
    try:
        argv = sys.argv[1:] if argv is None else argv
        parser = build_parser(asking_for_help=bool({"-h", "--help"} & set(argv)))
        args = parser.parse_args(argv)
        from weekly_zhoubao.store.errors import WeeklyError
        from weekly_zhoubao.store.text import visible

        try:
            return run(args)
        except WeeklyError as exc:
            sys.stderr.write(f"weekly: {visible(str(exc))}\n")
            return exc.exit_code
        except OSError as exc:  # a file or folder named on the command line, as the system says
            where = f"{visible(str(exc.filename))}: " if exc.filename else ""
            sys.stderr.write(f"weekly: {where}{visible(exc.strerror or str(exc))}\n")
            return 1
        except KeyboardInterrupt:
            return 130
    finally:
        if collecting:
            gc.enable()


def _loaded() -> None:
    """Everything the command needs is imported: it lives to the end, so freeze it, and let
    the collector look after what the command itself makes."""
    gc.freeze()
    gc.enable()


def run(args) -> int:
    from weekly_zhoubao.store.settings import default_db_path, load_settings

    settings = load_settings()
    if getattr(args, "lang", None):
        settings = settings.model_copy(update={"lang": args.lang})
    db = getattr(args, "db", None)
    if db is not None and not db.strip():
        from weekly_zhoubao.store.errors import UsageError

        raise UsageError("--db: the path is empty; name the store's file")
    db_path = Path(db or default_db_path()).expanduser()
    if args.command is None:
        return _tui(args, settings, db_path)
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.tui import commands

    _loaded()
    store = WeekStore(db_path)
    return getattr(commands, f"cmd_{args.command}")(args, store, settings)


def _tui(args, settings, db_path: Path) -> int:
    from weekly_zhoubao.tui.app import create_app

    folder = None  # the demo's temporary store: removed when the demo ends
    if args.demo:
        from weekly_zhoubao.tui.demo import build_demo_store, demo_folder

        folder = demo_folder()
        db_path = Path(folder) / "demo.json"
        store = build_demo_store(db_path, args.date or date.today())
        today = args.date  # a demo on a date of the user's choosing stays on that date
    else:
        from weekly_zhoubao.store.db import WeekStore

        store = WeekStore(db_path)  # refuses a corrupt store before the screen opens
        today = None  # the clock's own: the app stays open past midnight and rolls over
    app = create_app(db_path, settings, today=today, start=args.date, store=store,
                     keeps_settings=not args.demo)
    _loaded()
    try:
        app.run()
    finally:
        if folder is not None:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The `weekly` command. Shell commands never import Textual (they must start fast);
only the TUI path does. Every failure is one line on stderr and a non-zero exit: 2 for
usage and bad input, 1 for failures.

A shell command pays for its start: only the parser of the command given is built (the
whole tree only for help and completion), and argparse comes without gettext unless help
is asked for."""

from __future__ import annotations

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
  echo "和银行沟通开户流程" | weekly note -
  weekly metric 入金有效成功率 99.997
  weekly metric "P99 延迟" 120 --group 性能 --kind number --target 200 --lower-is-better
  weekly search 对账 --from 2023-01-01
  weekly export --lang en -o ~/reports/
  weekly import ~/notion-export/
  weekly review --quarter 2023Q4 --format html -o q4.html
  weekly weeks --format json
  weekly team join ~/team.git --as alice   then: team publish | sync | members | report | pull
  weekly completion bash > ~/.local/share/bash-completion/completions/weekly
  weekly config path

exit status: 0 done, 1 a failure (nothing found by search), 2 usage or bad input
"""

HELP_FLAGS = {"-h", "--help"}
TOP_VALUED = {"--db", "--date", "--lang"}  # the top level's options that take a value


def _argparse(asking_for_help: bool):
    """argparse. It translates only its own words through gettext, and no translation of
    them ships with Python, so outside help it gets the identity instead of gettext (which
    loads locale): a tenth of what a shell command costs above the floor."""
    if "argparse" not in sys.modules and "gettext" not in sys.modules and not asking_for_help:
        import types

        identity = types.ModuleType("gettext")
        identity.gettext = str
        identity.ngettext = lambda singular, plural, n: singular if n == 1 else plural
        sys.modules["gettext"] = identity
        try:
            import argparse
        finally:
            del sys.modules["gettext"]  # anyone else importing gettext gets the real one
    import argparse

    return argparse


def _parser_class(argparse):
    class Parser(argparse.ArgumentParser):
        def error(self, message: str):  # one clear line, no usage dump
            sys.stderr.write(f"{self.prog}: {message} (see '{self.prog} --help')\n")
            raise SystemExit(2)

    return Parser


def _day(text: str) -> date:
    from weekly_zhoubao.store.dates import parse_day

    try:
        return parse_day(text, date.today())  # `10/9`: the latest such date up to today
    except ValueError as exc:
        raise sys.modules["argparse"].ArgumentTypeError(str(exc)) from None


def _period(kind: str):
    def parse(text: str):
        from weekly_zhoubao.store import review

        try:
            return getattr(review, kind)(text)
        except ValueError as exc:
            raise sys.modules["argparse"].ArgumentTypeError(str(exc)) from None
    return parse


def _lang(p, what: str = "the report") -> None:
    p.add_argument("--lang", choices=["zh", "en"], help=f"language of {what} (default: the config's lang)")


def _week_date(p, what: str = "a date in the week (default: today)") -> None:
    p.add_argument("--date", type=_day, metavar="D", help=f"{what}; 2023-10-13, 10/13, …")


# --- each command's arguments: built only for the command given -----------------------------

def _import_args(p) -> None:
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="Markdown files, or folders of them")
    p.add_argument("--replace", action="store_true", help="replace weeks already in the store")
    _week_date(p, "a day of the report's week, for files that carry no date (or no year)")
    p.add_argument("--dry-run", action="store_true",
                   help="show the weeks, sections, fields and warnings each file would give; write nothing")
    p.add_argument("--day-first", action="store_true",
                   help="read 04-08-2017 as 4 August where nothing in a file or its folder says the order")
    p.add_argument("--week-one", type=_day, metavar="D",
                   help="a day of week 1, for files dated by week numbers only (Week 2:, 第十二周)")


def _export_args(p) -> None:
    _week_date(p)
    _lang(p)
    p.add_argument("--format", choices=["md", "json"], default="md",
                   help="md: the report; json: the week as the store holds it")
    p.add_argument("-o", "--output", metavar="FILE_OR_DIR",
                   help="a file, or a folder (gets the week plus one file per daily note); default: print")


def _format_json(p, what: str) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text", help=f"json: {what}, for scripts")


def _incident_args(p) -> None:
    p.add_argument("summary", help="what happened, one line; - reads it from stdin")
    p.add_argument("--at", metavar="WHEN", help="15:37, 10/9 15:37 or 2023-10-09 15:37 (default: now)")
    p.add_argument("--grade", type=str.upper, choices=["A", "B", "C", "D"], help="the incident's grade")
    p.add_argument("--impact", default="", help="who or what it affected")
    p.add_argument("--duration", type=int, metavar="MINUTES", help="how long it lasted, in whole minutes")
    p.add_argument("--resolution", default="", help="what was done about it")
    p.add_argument("--detection", default="", help="how it was found (监控, 用户反馈, …)")
    p.add_argument("--status", default="", help="open or resolved (default: resolved when a resolution is given)")
    _format_json(p, "the incident as stored")


def _note_args(p) -> None:
    p.add_argument("text", nargs="?", help="the text to add; - reads it from stdin (with --edit: the editor's start)")
    _week_date(p, "the day (default: today)")
    p.add_argument("--edit", action="store_true", help="write the text in $VISUAL or $EDITOR (default: vi)")
    _format_json(p, "the day's note as stored")


def _metric_args(p) -> None:
    p.add_argument("name", help="the metric's name, as the week lists it")
    p.add_argument("value", help="the reading: 99.997 or 99.997%% (percent), 120 (number), any line (text)")
    _week_date(p)
    p.add_argument("--group", help="define the metric in this group if it is new")
    p.add_argument("--kind", choices=["percent", "number", "text"], default=None,
                   help="for a new metric (default: percent)")
    p.add_argument("--target", metavar="T", help="the target the reading is judged against (a number)")
    p.add_argument("--lower-is-better", action="store_true",
                   help="lower readings are better (a latency, an error count); for a new metric or to change it")
    _format_json(p, "the metric as stored")


def _review_args(p) -> None:
    one = p.add_mutually_exclusive_group()
    one.add_argument("--quarter", type=_period("quarter"), metavar="2023Q4", help="a quarter")
    one.add_argument("--half", type=_period("half"), metavar="2023H2", help="a half year")
    one.add_argument("--year", type=_period("year"), metavar="2023", help="a year")
    p.add_argument("--from", dest="start", type=_day, metavar="D", help="with --to: any range of dates")
    p.add_argument("--to", dest="end", type=_day, metavar="D", help="with --from: the range's last day")
    p.add_argument("--date", type=_day, metavar="D",
                   help="with no period given: the quarter holding this date (default: today)")
    _lang(p, "the review")
    p.add_argument("--format", choices=["md", "html", "json"], default="md",
                   help="md: Markdown; html: a page with charts; json: the figures")
    p.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: print)")


def _search_args(p) -> None:
    p.add_argument("words", nargs="+", metavar="WORD",
                   help="a line must hold every word; case is ignored, Chinese needs no spaces")
    p.add_argument("--from", dest="start", type=_day, metavar="D", help="only weeks from the one holding D")
    p.add_argument("--to", dest="end", type=_day, metavar="D", help="only weeks up to the one holding D")
    p.add_argument("--section", metavar="S",
                   help="only this section: key_work, metrics, objectives, incidents, other, reflections, "
                        "next_week, daily, or a section of your own by its key")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="json: a list of {week, section, heading, item, line, spans}")


def _weeks_args(p) -> None:
    _format_json(p, "a list of the weeks with their counts")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise sys.modules["argparse"].ArgumentTypeError(f"'{text}' is not a port (1–65535)")
    return int(text)


def _serve_args(p) -> None:
    p.add_argument("--port", type=_port, default=8000, metavar="P", help="the local port to serve on (default: 8000)")
    _week_date(p, "open the week holding this date (default: today)")
    _lang(p, "the app and the report")


def _completion_args(p) -> None:
    p.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell to complete in")


def _config_args(p) -> None:
    p.add_argument("action", choices=["path"], help="path: print where the config file lives (made or not)")


def _team_args(team, parser_class, common, formatter) -> None:
    actions = team.add_subparsers(dest="team_command", parser_class=parser_class, metavar="ACTION", required=True)

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
    _week_date(p, "only the week holding this date (default: every week)")
    action("sync", "bring in what the team published", "weekly team sync")
    p = action("members", "who has published, and when", "weekly team members")
    _format_json(p, "a list of the members")
    p = action("report", "the team's week rolled up into one report, in your week's template (else the config's)",
               "weekly team report --date 2023-10-13")
    _week_date(p)
    p.add_argument("--members", metavar="A,B", help="only these members")
    _lang(p)
    p.add_argument("--format", choices=["md", "json"], default="md", help="md: the report; json: the roll-up")
    p = action("pull", "copy members' items into your own week as drafts naming their source",
               "weekly team pull --date 2023-10-13 --members alice")
    _week_date(p)
    p.add_argument("--members", metavar="A,B", help="only these members")


# name: (what it does, an example, its arguments)
COMMANDS = {
    "import": ("read Markdown reports (files or folders) into the store",
               "weekly import ~/notion-export/ week-42-2023.md --replace", _import_args),
    "export": ("print or write a week's report", "weekly export --date 2023-10-13 --lang en -o reports/", _export_args),
    "incident": ("log a production incident (time defaults to now)",
                 'weekly incident "监控发现支付超时" --at "2023-10-09 15:37" --grade C --duration 10', _incident_args),
    "note": ("add to a day's daily note", 'weekly note "和银行沟通开户流程" --date 2023-10-12', _note_args),
    "metric": ("record a metric reading for the week", "weekly metric 入金有效成功率 99.997% --date 2023-10-13",
               _metric_args),
    "review": ("the review of a period (述职): coverage, delivered, objectives, incidents, metrics, key work, "
               "reflections, plans not done", "weekly review --quarter 2023Q4 --format html -o q4.html", _review_args),
    "search": ("find lines holding every word, in every section of every week",
               "weekly search 对账 --from 2023-01-01 --section key_work", _search_args),
    "weeks": ("list the weeks in the store", "weekly weeks", _weeks_args),
    "team": ("share weeks with a team through a git repository",
             "weekly team join git@example.com:pay/weeks.git --as alice", None),
    "serve": ("the TUI in a browser (textual-serve), on this machine only (localhost)",
              "weekly serve --port 8000   then open http://localhost:8000", _serve_args),
    "completion": ("print the completion script of a shell",
                   "weekly completion bash > ~/.local/share/bash-completion/completions/weekly", _completion_args),
    "config": ("about the config file", "weekly config path", _config_args),
}


def command_in(argv: list[str]) -> str | None:
    """The command named in `argv` (its first word that is no option or option's value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--":
            return None
        elif arg.startswith("-"):
            skip = arg in TOP_VALUED
        else:
            return arg
    return None


def build_parser(argv: list[str] | None = None, everything: bool = False):
    """The parser for `argv`: the top level and the command it names (every command for help,
    completion, or a name that is no command, so the error lists them). `everything`: the
    whole tree, formatted for help."""
    argv = [] if argv is None else argv
    asking_for_help = everything or bool(HELP_FLAGS & set(argv))
    argparse = _argparse(asking_for_help)
    parser_class = _parser_class(argparse)
    # argparse builds a help formatter for every argument it adds, and a formatter sizes
    # itself from the terminal through shutil (zlib, bz2, lzma: ~2.5 ms a start). Only help
    # is ever formatted at that size.
    formatter = argparse.RawDescriptionHelpFormatter
    if not asking_for_help:
        formatter = partial(formatter, width=80)
    common = argparse.ArgumentParser(add_help=False, formatter_class=formatter)
    default = "the user data folder"
    if asking_for_help:  # name the real path
        from weekly_zhoubao.store.settings import default_db_path

        default = str(default_db_path())
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=f"the store's file (default: $WEEKLY_DB or {default})")

    parser = parser_class(prog="weekly", parents=[common], formatter_class=formatter,
                          description="Write your weekly report (周报) from the keyboard; keep it in a local "
                                      "store; export it as Markdown.", epilog=EXAMPLES)
    parser.add_argument("--version", action="version", version=f"weekly {__version__}")
    parser.add_argument("--date", type=_day, metavar="D", help="open the week holding this date (2023-10-13)")
    _lang(parser, "the app and the report, for this run")
    parser.add_argument("--demo", action="store_true", help="open the TUI on a temporary store of sample weeks")
    parser.set_defaults(command=None)
    named = command_in(argv)
    if named is None and not asking_for_help:
        return parser  # the TUI
    names = [named] if named in COMMANDS and not asking_for_help else list(COMMANDS)
    sub = parser.add_subparsers(dest="command", parser_class=parser_class, metavar="COMMAND")
    for name in names:
        help_text, example, arguments = COMMANDS[name]
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text,
                           epilog=f"example:\n  {example}", formatter_class=formatter)
        if arguments is None:
            _team_args(p, parser_class, common, formatter)
        else:
            arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Loading pydantic (and Textual) makes ~300k objects and next to no garbage; the cyclic
    # collector would walk them over and over meanwhile. It is off until they are loaded,
    # then they are frozen out of its sight (`_loaded`).
    collecting = gc.isenabled()
    gc.disable()
    from weekly_zhoubao.store.errors import WeeklyError
    from weekly_zhoubao.store.messages import set_language
    from weekly_zhoubao.store.settings import environment_lang, load_settings

    try:  # the store's language, for every message from here on (a bad --date's too)
        settings, problem = load_settings(), None
    except WeeklyError as exc:  # said by the command that needs the config (not `config path`)
        settings, problem = None, exc
    spoken = set_language(settings.lang if settings else environment_lang() or "zh")
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser(argv).parse_args(argv)
        from weekly_zhoubao.store.text import visible

        try:
            if problem is not None and args.command not in ("config", "completion"):
                raise problem
            if getattr(args, "lang", None):
                settings = settings.model_copy(update={"lang": args.lang})
                set_language(args.lang)
            return run(args, settings)
        except WeeklyError as exc:
            sys.stderr.write(f"weekly: {visible(str(exc))}\n")
            return exc.exit_code
        except OSError as exc:  # a file or folder named on the command line, as the system says
            where = f"{visible(str(exc.filename))}: " if exc.filename else ""
            sys.stderr.write(f"weekly: {where}{visible(exc.strerror or str(exc))}\n")
            return 1
        except UnicodeEncodeError:  # an output stream that cannot carry the text (PYTHONIOENCODING=ascii)
            encoding = getattr(sys.stdout, "encoding", None) or "?"
            sys.stderr.write(f"weekly: the output's encoding ({encoding}) cannot carry this text; "
                             f"use a UTF-8 locale or PYTHONIOENCODING=utf-8, or write a file with -o\n")
            return 1
        except KeyboardInterrupt:
            return 130
    finally:
        set_language(spoken)
        if collecting:
            gc.enable()


def _loaded() -> None:
    """Everything the command needs is imported: it lives to the end, so freeze it, and let
    the collector look after what the command itself makes."""
    gc.freeze()
    gc.enable()


def run(args, settings) -> int:
    """The command in `args`, with the config's `settings` (None where it could not be read:
    only `completion` and `config` run then)."""
    if args.command == "completion":  # neither the config nor the store: a script to print
        import shtab

        sys.stdout.write(shtab.complete(build_parser(everything=True), args.shell))
        return 0
    from weekly_zhoubao.store.settings import config_path, default_db_path

    if args.command == "config":
        print(config_path())
        return 0
    db = getattr(args, "db", None)
    if db is not None and not db.strip():
        from weekly_zhoubao.store.errors import UsageError

        from weekly_zhoubao.store.messages import say

        raise UsageError(say("db_path_empty"))
    db_path = Path(db or default_db_path()).expanduser()
    if args.command is None:
        return _tui(args, settings, db_path)
    from weekly_zhoubao.store.db import WeekStore
    from weekly_zhoubao.tui import commands

    _loaded()
    store = WeekStore(db_path, settings.lang)
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

        store = WeekStore(db_path, settings.lang)  # refuses a corrupt store before the screen opens
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

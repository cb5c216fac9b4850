"""The shell commands behind `weekly import|export|incident|note|metric|weeks`.
No Textual here: these must start as fast as `import pydantic, tinydb`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from store.db import WeekStore, now_minute
from store.errors import WeeklyError, describe_validation
from store.models import DailyNote, monday_of
from store.rules import title
from store.settings import Settings


def _validated(build):
    try:
        return build()
    except ValidationError as exc:
        raise WeeklyError(describe_validation(exc)) from None


def cmd_export(args, store: WeekStore, settings: Settings) -> int:
    week = store.week(args.date or date.today(), settings.incident_host)
    lang = args.lang or settings.lang
    if args.format == "json":
        import orjson

        sys.stdout.write(orjson.dumps(week.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    from exporters.files import export_week, render_week

    if args.output:
        for path in export_week(store, week, settings, lang, Path(args.output).expanduser()):
            print(path)
        return 0
    sys.stdout.write(render_week(store, week, settings, lang))
    return 0


def _apply(store: WeekStore, op, settings: Settings):
    """An op applied to the freshest stored weeks under the store's lock, as the TUI's are."""
    weeks, outcome = store.update_weeks(list(op.mondays), op.apply, settings.incident_host)
    return weeks


def cmd_incident(args, store: WeekStore, settings: Settings) -> int:
    from store.inputs import InputError, new_incident
    from store.ops import add_incident

    values = {"summary": args.summary, "grade": args.grade, "impact": args.impact,
              "resolution": args.resolution, "detection": args.detection,
              "duration": args.duration}
    if args.at is not None:  # an empty --at is an error, not "now"
        values["when"] = args.at
    try:
        incident = new_incident(values, now_minute())  # no anchor: a yearless date is the latest one
    except InputError as exc:
        raise WeeklyError(f"--at: {exc.message}" if exc.field == "when" else exc.line) from None
    op = add_incident(incident)
    week = _apply(store, op, settings)[op.monday]
    at = incident.at
    print(f"logged {at:%Y-%m-%d %H:%M} in {title(week, settings.lang, settings.numbering, settings.report_day)}")
    return 0


def cmd_note(args, store: WeekStore, settings: Settings) -> int:
    from store.ops import AppendNote

    day = args.date or date.today()
    text = args.text.strip()
    if not text:
        raise WeeklyError("the note is empty; nothing was written")
    _validated(lambda: DailyNote(day=day, text=text))
    _apply(store, AppendNote(day, text), settings)
    print(f"noted for {day:%Y-%m-%d}")
    return 0


def cmd_metric(args, store: WeekStore, settings: Settings) -> int:
    from store.ops import RecordMetric

    day = args.date or date.today()
    try:
        _apply(store, RecordMetric(monday_of(day), args.name, args.value, args.group, args.kind), settings)
    except ValidationError as exc:
        raise WeeklyError(describe_validation(exc)) from None
    except WeeklyError:
        raise
    except ValueError as exc:
        raise WeeklyError(f"{args.name}: {exc}" if "metric named" not in str(exc) else str(exc)) from None
    print(f"{args.name} = {args.value.strip()} for the week of {monday_of(day):%Y-%m-%d}")
    return 0


def cmd_weeks(args, store: WeekStore, settings: Settings) -> int:
    mondays = store.mondays()
    if not mondays:
        print(f"no weeks in {store.path} yet")
        return 0
    for week in store.all_weeks():
        name = title(week, settings.lang, settings.numbering, settings.report_day)
        print(f"{week.monday:%Y-%m-%d}  {name}  key work {len(week.key_work)}, "
              f"incidents {len(week.incidents)}, notes {len(week.daily_notes)}")
    return 0


def cmd_review(args, store: WeekStore, settings: Settings) -> int:
    from store import review

    period = args.quarter or args.half or args.year
    try:
        if args.start or args.end:
            if period:
                raise ValueError("give either --from/--to or one of --quarter/--half/--year, not both")
            if not (args.start and args.end):
                raise ValueError("--from and --to go together: give both")
            period = review.date_range(args.start, args.end)
        elif period and args.date:
            raise ValueError("--date picks the quarter only when no period is given; drop one")
        period = period or review.period_holding("quarter", args.date or date.today())
    except ValueError as exc:  # a bad period: one line, exit 2, nothing written (as argparse does)
        sys.stderr.write(f"weekly review: {exc}\n")
        return 2
    lang = args.lang or settings.lang
    result = review.build_review(store, period, settings.numbering, settings.report_day)
    from exporters import review as out

    if not args.output:
        sys.stdout.write(out.render(result, lang, args.format))
        return 0
    print(out.write(result, Path(args.output).expanduser(), lang, args.format))
    return 0


def _ask_at_terminal(question: str) -> bool:
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def cmd_import(args, store: WeekStore, settings: Settings) -> int:
    ask = _ask_at_terminal if sys.stdin.isatty() else None  # never prompt a pipe or CI

    from exporters.files import import_reports

    weeks, problems = import_reports(store, args.paths, settings, args.replace, ask)
    for problem in problems:
        sys.stderr.write(problem + "\n")
    print(f"imported {len(weeks)} week{'s' if len(weeks) != 1 else ''}"
          + (f"; {len(problems)} file{'s' if len(problems) != 1 else ''} not imported" if problems else ""))
    return 1 if problems else 0

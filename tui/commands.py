"""The shell commands behind `weekly import|export|incident|note|metric|weeks`.
No Textual here: these must start as fast as `import pydantic, tinydb`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from weekly_zhoubao.store.db import WeekStore, now_minute
from weekly_zhoubao.store.errors import UsageError, WeeklyError, describe_validation
from weekly_zhoubao.store.models import DailyNote, monday_of
from weekly_zhoubao.store.weeks import title
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.store.text import visible


def _validated(build):
    try:
        return build()
    except ValidationError as exc:
        raise WeeklyError(describe_validation(exc)) from None


def cmd_export(args, store: WeekStore, settings: Settings) -> int:
    week = store.week(args.date or date.today(), settings.incident_host, settings.template)
    lang = args.lang or settings.lang
    if args.format == "json":
        import orjson

        _write_out(orjson.dumps(week.model_dump(mode="json"), option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    from weekly_zhoubao.exporters.files import export_week, render_week

    if args.output:
        for path in export_week(store, week, settings, lang, Path(args.output).expanduser()):
            print(visible(str(path)))
        return 0
    _write_out(render_week(store, week, settings, lang))
    return 0


def _write_out(text: str) -> None:
    """A report to stdout. Stored text holds no control character, but a terminal must never
    receive one, whatever a store (or a team's repository) holds: any left is shown, not sent."""
    if sys.stdout.isatty():
        text = visible(text, keep="\n\t")
    sys.stdout.write(text)


def _apply(store: WeekStore, op, settings: Settings):
    """An op applied to the freshest stored weeks under the store's lock, as the TUI's are."""
    weeks, outcome = store.update_weeks(list(op.mondays), op.apply, settings.incident_host,
                                      template=settings.template)
    return weeks


def cmd_incident(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.inputs import InputError, new_incident
    from weekly_zhoubao.store.ops import add_incident

    values = {"summary": args.summary, "grade": args.grade, "impact": args.impact,
              "resolution": args.resolution, "detection": args.detection, "status": args.status,
              "duration": args.duration}
    if args.at is not None:  # an empty --at is an error, not "now"
        values["when"] = args.at
    try:
        incident = new_incident(values, now_minute())  # no anchor: a yearless date is the latest one
    except InputError as exc:
        if exc.field == "when":
            raise UsageError(f"--at: {exc.message}") from None
        raise WeeklyError(exc.line) from None
    op = add_incident(incident)
    week = _apply(store, op, settings)[op.monday]
    at = incident.at
    print(f"logged {at:%Y-%m-%d %H:%M} in {title(week, settings.lang, settings.numbering, settings.report_day)}")
    return 0


def cmd_note(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.ops import AppendNote

    day = args.date or date.today()
    text = args.text.strip()
    if not text:
        raise WeeklyError("the note is empty; nothing was written")
    _validated(lambda: DailyNote(day=day, text=text))
    _apply(store, AppendNote(day, text), settings)
    print(f"noted for {day:%Y-%m-%d}")
    return 0


def cmd_metric(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.ops import RecordMetric

    day = args.date or date.today()
    try:
        _apply(store, RecordMetric(monday_of(day), args.name, args.value, args.group, args.kind), settings)
    except ValidationError as exc:
        raise WeeklyError(describe_validation(exc)) from None
    except WeeklyError:
        raise
    except ValueError as exc:
        raise WeeklyError(f"{args.name}: {exc}" if "metric named" not in str(exc) else str(exc)) from None
    print(visible(f"{args.name} = {args.value.strip()} for the week of {monday_of(day):%Y-%m-%d}"))
    return 0


def cmd_weeks(args, store: WeekStore, settings: Settings) -> int:
    mondays = store.mondays()
    if not mondays:
        print(f"no weeks in {visible(str(store.path))} yet")
        return 0
    for week in store.all_weeks():
        name = title(week, settings.lang, settings.numbering, settings.report_day)
        print(f"{week.monday:%Y-%m-%d}  {name}  key work {len(week.key_work)}, "
              f"incidents {len(week.incidents)}, notes {len(week.daily_notes)}")
    return 0


def cmd_review(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store import review

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
    from weekly_zhoubao.exporters.files import render_review, write_review

    if not args.output:
        _write_out(render_review(result, lang, args.format))
        return 0
    print(write_review(result, Path(args.output).expanduser(), lang, args.format))
    return 0


def _ask_at_terminal(question: str) -> bool:
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def cmd_import(args, store: WeekStore, settings: Settings) -> int:
    dry_run = getattr(args, "dry_run", False)
    ask = _ask_at_terminal if sys.stdin.isatty() and not dry_run else None  # never prompt a pipe or CI

    from weekly_zhoubao.exporters.files import import_reports

    weeks, problems, warnings, results = import_reports(
        store, args.paths, settings, args.replace, ask, getattr(args, "date", None), dry_run,
        True if getattr(args, "day_first", False) else None)
    if dry_run:
        from weekly_zhoubao.exporters.importer import describe

        for result in results:
            sys.stdout.write(describe(result, settings.lang, settings.numbering, settings.report_day))
    for line in problems:
        sys.stderr.write(visible(line) + "\n")
    for line in warnings if not dry_run else ():  # a dry run shows them under their file
        sys.stderr.write("warning: " + visible(line) + "\n")
    chosen = {id(w) for w in weeks}
    used = sum(1 for r in results if any(id(read.week) in chosen for read in r.weeks))
    refused = sum(1 for r in results if not any(id(read.week) in chosen for read in r.weeks))
    verb = "would import" if dry_run else "imported"
    print(f"{verb} {len(weeks)} week{'s' if len(weeks) != 1 else ''} from {used} "
          f"file{'s' if used != 1 else ''}"
          + (f"; {refused} file{'s' if refused != 1 else ''} not imported" if refused else "")
          + (f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else "")
          + ("; nothing written" if dry_run else ""))
    return 1 if problems else 0


# --- team (store/team, exporters/team) -----------------------------------------------------

def _members_arg(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    return [name.strip() for name in raw.split(",") if name.strip()]


def cmd_team(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.team import repo

    action = args.team_command
    if action == "join":
        private = None if args.private is None else [s.strip() for s in args.private.split(",") if s.strip()]
        if private is not None:
            unknown = [s for s in private if s not in repo.SECTIONS]
            if unknown:
                raise WeeklyError(f"--private: unknown section '{unknown[0]}' "
                                  f"(sections: {', '.join(repo.SECTIONS)})")
        team = repo.join(store.path, args.url, args.name, private)
        print(f"joined as {team.name} in {team.folder} (private: {', '.join(team.config.private) or 'none'})")
        return 0
    team = repo.load_team(store.path)
    if action == "publish":
        weeks = [w for w in ([store.get(args.date)] if args.date else store.all_weeks()) if w is not None]
        if args.date and not weeks:
            raise WeeklyError(f"no week holding {args.date:%Y-%m-%d} in the store; nothing published")
        try:
            result = repo.publish(team, weeks)
        except repo.PushPending as exc:
            sys.stderr.write(f"weekly: {exc}\n")
            return 1
        changed = len(result.written)
        print(f"published {changed} changed week{'s' if changed != 1 else ''} as {team.name}"
              + (f"; pushed {result.pushed} commit{'s' if result.pushed != 1 else ''}" if result.pushed
                 else " (the team repository already had everything)"))
        return 0
    if action == "sync":
        try:
            result = repo.sync(team)
        except repo.PushPending as exc:
            sys.stderr.write(f"weekly: synced, but {exc}\n")
            return 1
        for line in result.refused:
            sys.stderr.write(f"refused {visible(line)}\n")
        print(f"synced: {result.commits} new commit{'s' if result.commits != 1 else ''}"
              + (f", {len(result.refused)} file{'s' if len(result.refused) != 1 else ''} refused"
                 if result.refused else ""))
        return 1 if result.refused else 0
    if action == "members":
        found, skipped = repo.members(team)
        for line in skipped:
            sys.stderr.write(visible(line) + "\n")
        if not found:
            print("nobody has published yet")
        for m in found:
            when = f"{m.published_at:%Y-%m-%d %H:%M}" if m.published_at else "not committed"
            latest = f"latest week {m.latest:%Y-%m-%d}" if m.latest else "no weeks"
            print(visible(f"{m.name}  {m.weeks} week{'s' if m.weeks != 1 else ''}, {latest}, last published {when}"))
        return 0
    from weekly_zhoubao.store.team.rollup import collect

    rollup = collect(team.folder, args.date or date.today(), _members_arg(args.members), repo.refused_files(team))
    for line in rollup.problems:
        sys.stderr.write(visible(line) + "\n")
    if action == "report":
        if args.format == "json":
            import orjson

            from weekly_zhoubao.exporters.team import rollup_json

            _write_out(orjson.dumps(rollup_json(rollup), option=orjson.OPT_INDENT_2).decode() + "\n")
            return 0
        from weekly_zhoubao.exporters.team import render_rollup
        from weekly_zhoubao.store.team.rollup import lead_template

        # your week as written, or as it would start (carried over in last week's template)
        try:
            own = store.week(rollup.monday, settings.incident_host, settings.template)
        except WeeklyError as exc:  # your store's trouble must not stop the team's report
            sys.stderr.write(visible(f"weekly: {exc}; the roll-up is in the config's template") + "\n")
            own = None
        template, own_sections = lead_template(own, settings.template)
        _write_out(render_rollup(rollup, args.lang or settings.lang, settings.numbering, settings.report_day,
                                 template, own_sections))
        return 0
    # pull: as ops, applied to the freshest stored week under the lock (as the team screen's)
    from weekly_zhoubao.store.team.rollup import pull_op

    if not rollup.weeks:
        print(f"nothing to pull: nobody published the week of {rollup.monday:%Y-%m-%d}")
        return 0
    op, result = pull_op(store.week(rollup.monday, settings.incident_host, settings.template), rollup,
                         settings.lang)
    if op is not None:
        _, outcome = store.update_weeks(list(op.mondays), op.apply, settings.incident_host,
                                        template=settings.template)
        for notice in outcome.notices:  # e.g. a section changed meanwhile elsewhere: theirs kept
            sys.stderr.write(visible(notice.text(settings.lang)) + "\n")
    for line in result.problems:
        sys.stderr.write(visible(line) + "\n")
    print(f"pulled {result.added} item{'s' if result.added != 1 else ''} from "
          f"{len(rollup.weeks)} member{'s' if len(rollup.weeks) != 1 else ''} into the week of "
          f"{rollup.monday:%Y-%m-%d}" + (f" ({result.already} already there)" if result.already else ""))
    return 0

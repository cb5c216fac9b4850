"""The shell commands behind `weekly import|export|incident|note|metric|weeks`.
No Textual here: these must start as fast as `import pydantic, tinydb`."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from weekly_zhoubao.store.db import WeekStore, now_minute
from weekly_zhoubao.store.errors import UsageError, WeeklyError, describe_validation
from weekly_zhoubao.store.messages import msg
from weekly_zhoubao.store.models import DailyNote
from weekly_zhoubao.store.weeks import title
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.store.text import visible


def _validated(build):
    try:
        return build()
    except ValidationError as exc:
        raise UsageError(describe_validation(exc)) from None


def _print_json(data) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _typed(text: str | None, lang: str) -> str:
    """A text argument: `-` reads it from stdin (`echo x | weekly note -`)."""
    if text != "-":
        return text or ""
    try:
        return sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(msg("stdin_not_text", lang)) from None


def _from_editor(start: str, lang: str) -> str:
    """Text written in the user's editor ($VISUAL, $EDITOR, else vi), starting from `start`."""
    import os
    import shlex
    import subprocess
    import tempfile

    from weekly_zhoubao.store.files import write_new

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    folder = Path(tempfile.mkdtemp(prefix="weekly-"))
    path = folder / "note.md"
    try:
        write_new(path, start.encode("utf-8"))
        try:
            done = subprocess.run([*shlex.split(editor), str(path)])
        except (OSError, ValueError) as exc:  # not found, not runnable, unbalanced quotes
            raise WeeklyError(msg("editor_failed", lang, editor=editor, why=getattr(exc, "strerror", None) or exc)) from None
        if done.returncode != 0:
            raise WeeklyError(msg("editor_failed", lang, editor=editor, why=f"exit {done.returncode}"))
        return path.read_text(encoding="utf-8", errors="replace")
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


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


def cmd_incident(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.counts import user_graded
    from weekly_zhoubao.store.inputs import InputError, new_incident

    values = {"summary": _typed(args.summary, settings.lang).strip(), "grade": args.grade, "impact": args.impact,
              "resolution": args.resolution, "detection": args.detection, "status": args.status,
              "duration": args.duration}
    if args.at is not None:  # an empty --at is an error, not "now"
        values["when"] = args.at
    try:
        incident = new_incident(values, now_minute())  # no anchor: a yearless date is the latest one
    except InputError as exc:
        if exc.field == "when":
            raise UsageError(f"--at: {exc.message}") from None
        raise UsageError(exc.message if exc.message.startswith(f"{exc.field}: ") else exc.line) from None
    def log(week) -> None:  # as ops.AddElement adds one, without its undo (the shell has none)
        week.incidents.append(incident)
        if incident.grade:
            user_graded(week)

    week = store.update(incident.at.date(), log, settings.incident_host, template=settings.template)
    if args.format == "json":
        _print_json({"week": week.monday.isoformat(), **incident.model_dump(mode="json")})
        return 0
    name = title(week, settings.lang, settings.numbering, settings.report_day)
    print(msg("incident_logged", settings.lang, at=f"{incident.at:%Y-%m-%d %H:%M}", week=name))
    return 0


def cmd_note(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.carry import add_to_note

    day = args.date or date.today()
    text = _typed(args.text, settings.lang)
    if args.edit:
        text = _from_editor(text, settings.lang)
        if not text.strip():
            raise WeeklyError(msg("note_empty", settings.lang))  # the editor left empty: given up
    elif args.text is None:
        raise UsageError(msg("note_needs_text", settings.lang))
    text = text.strip()
    if not text:
        raise UsageError(msg("note_empty", settings.lang))
    _validated(lambda: DailyNote(day=day, text=text))
    # the rule itself, not its op (store/ops.AppendNote): the shell has no undo, and the ops
    # module is a sixth of this command's start
    week = store.update(day, lambda week: add_to_note(week, day, text), settings.incident_host,
                        template=settings.template)
    if args.format == "json":
        _print_json({"week": week.monday.isoformat(), **week.note_for(day).model_dump(mode="json")})
        return 0
    print(msg("noted", settings.lang, day=f"{day:%Y-%m-%d}"))
    return 0


def cmd_metric(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.metric_lines import UnknownMetric, set_metric
    from weekly_zhoubao.store.models import parse_number

    day = args.date or date.today()
    target = None
    if args.target is not None:
        try:
            target = parse_number(args.target)
        except ValueError as exc:
            raise UsageError(f"--target: {exc}") from None
    # the rule itself, not its op (store/ops.RecordMetric): the shell has no undo (as `note`)
    def record(week) -> None:
        set_metric(week, args.name, args.value, args.group, args.kind or "percent", target,
                   False if args.lower_is_better else None)

    try:
        week = store.update(day, record, settings.incident_host, template=settings.template)
    except ValidationError as exc:
        raise UsageError(f"{args.name}: {describe_validation(exc)}") from None
    except WeeklyError:
        raise
    except UnknownMetric as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:  # the value: bad input
        raise UsageError(f"{args.name}: {exc}") from None
    metric = next(m for m in week.metrics if m.name == args.name)
    if args.format == "json":
        _print_json({"week": week.monday.isoformat(), **metric.model_dump(mode="json")})
        return 0
    shown = f"{metric.value}%" if metric.kind == "percent" and metric.value is not None else metric.value
    print(visible(msg("metric_recorded", settings.lang, name=metric.name, value=shown or "—",
                      monday=f"{week.monday:%Y-%m-%d}")))
    return 0


def cmd_weeks(args, store: WeekStore, settings: Settings) -> int:
    weeks = [{"monday": w.monday.isoformat(), "title": title(w, settings.lang, settings.numbering, settings.report_day),
              "key_work": len(w.key_work), "incidents": len(w.incidents), "daily_notes": len(w.daily_notes)}
             for w in store.all_weeks()]
    if args.format == "json":
        _print_json(weeks)
        return 0
    if not weeks:
        print(msg("no_weeks", settings.lang, path=visible(str(store.path))))
    for w in weeks:
        print(msg("week_line", settings.lang, **w))
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
        raise UsageError(f"review: {exc}") from None
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
        True if getattr(args, "day_first", False) else None, getattr(args, "week_one", None))
    shown: set[str] = set()
    if dry_run:
        from weekly_zhoubao.exporters.importer import describe
        from weekly_zhoubao.store.words import describe_scale, grade_scale

        scale = grade_scale(settings.incident_p_grades, settings.incident_sev_grades)
        print(msg("grade_scale", settings.lang, scale=describe_scale(scale)))
        for result in results:
            sys.stdout.write(describe(result, settings.lang, settings.numbering, settings.report_day))
            shown.update(result.warnings)  # a dry run shows them under their file
    for line in problems:
        sys.stderr.write(visible(line) + "\n")
    for line in warnings:
        if line not in shown:  # a dry run shows its files' own warnings under each file
            sys.stderr.write(msg("warning", settings.lang, line=visible(line)) + "\n")
    chosen = {id(w) for w in weeks}
    used = sum(1 for r in results if any(id(read.week) in chosen for read in r.weeks))
    refused = sum(1 for r in results if not any(id(read.week) in chosen for read in r.weeks))
    lang = settings.lang
    print(msg("would_import" if dry_run else "imported", lang, weeks=len(weeks), files=used,
              s_weeks=_plural(len(weeks)), s_files=_plural(used))
          + (msg("import_refused", lang, n=refused, s=_plural(refused)) if refused else "")
          + (msg("import_warnings", lang, n=len(warnings), s=_plural(len(warnings))) if warnings else "")
          + (msg("nothing_written", lang) if dry_run else ""))
    return 1 if problems else 0


def _plural(n: int) -> str:
    return "" if n == 1 else "s"  # English's; the Chinese messages leave it out


# --- team (store/team, exporters/team) -----------------------------------------------------

def _members_arg(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    return [name.strip() for name in raw.split(",") if name.strip()]


def cmd_team(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.team import repo

    lang = settings.lang
    action = args.team_command
    if action == "join":
        private = None if args.private is None else [s.strip() for s in args.private.split(",") if s.strip()]
        if private is not None:
            unknown = [s for s in private if s not in repo.SECTIONS]
            if unknown:
                raise UsageError(f"--private: unknown section '{unknown[0]}' "
                                  f"(sections: {', '.join(repo.SECTIONS)})")
        team = repo.join(store.path, args.url, args.name, private)
        print(msg("team_joined", lang, name=team.name, folder=team.folder,
                  private=", ".join(team.config.private) or msg("none", lang)))
        if repo.split_credentials(args.url)[1] is not None:
            print(msg("team_credential_kept_nowhere", lang))
        return 0
    team = repo.load_team(store.path)
    if action == "publish":
        weeks = [w for w in ([store.get(args.date)] if args.date else store.all_weeks()) if w is not None]
        if args.date and not weeks:
            raise WeeklyError(msg("team_no_week", lang, day=f"{args.date:%Y-%m-%d}"))
        try:
            result = repo.publish(team, weeks, complete=not args.date)
        except repo.PushPending as exc:
            sys.stderr.write(f"weekly: {exc}\n")
            return 1
        changed = len(result.written)
        print(msg("team_published", lang, n=changed, s=_plural(changed), name=team.name)
              + (msg("team_pushed", lang, n=result.pushed, s=_plural(result.pushed)) if result.pushed
                 else msg("team_up_to_date", lang)))
        return 0
    if action == "sync":
        try:
            result = repo.sync(team)
        except repo.PushPending as exc:
            sys.stderr.write(f"weekly: {msg('team_synced_but', lang, why=exc)}\n")
            return 1
        for line in result.refused:
            sys.stderr.write(msg("team_refused", lang, line=visible(line)) + "\n")
        refused = len(result.refused)
        print(msg("team_synced", lang, n=result.commits, s=_plural(result.commits))
              + (msg("team_sync_refused", lang, n=refused, s=_plural(refused)) if refused else ""))
        return 1 if result.refused else 0
    if action == "members":
        found, skipped = repo.members(team)
        for line in skipped:
            sys.stderr.write(visible(line) + "\n")
        owners = [repo.owner_of(path) for path in repo.refused_files(team)]
        for name in sorted(set(owners)):
            n = owners.count(name)
            sys.stderr.write(visible(msg("team_owner_restores", lang, name=name, n=n, s=_plural(n))) + "\n")
        if args.format == "json":
            _print_json([{"name": m.name, "weeks": m.weeks, "latest": m.latest.isoformat() if m.latest else None,
                          "published_at": m.published_at.isoformat() if m.published_at else None} for m in found])
            return 0
        if not found:
            print(msg("team_nobody", lang))
        for m in found:
            when = f"{m.published_at:%Y-%m-%d %H:%M}" if m.published_at else msg("team_not_committed", lang)
            latest = msg("team_latest", lang, day=f"{m.latest:%Y-%m-%d}") if m.latest else msg("team_no_weeks", lang)
            print(visible(msg("team_member", lang, name=m.name, n=m.weeks, s=_plural(m.weeks), latest=latest, when=when)))
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
            sys.stderr.write(visible(f"weekly: {msg('team_own_week_unreadable', lang, why=exc)}") + "\n")
            own = None
        template, own_sections = lead_template(own, settings.template)
        _write_out(render_rollup(rollup, args.lang or settings.lang, settings.numbering, settings.report_day,
                                 template, own_sections))
        return 0
    # pull: as ops, applied to the freshest stored week under the lock (as the team screen's)
    from weekly_zhoubao.store.team.rollup import pull_op

    if not rollup.weeks:
        print(msg("team_nothing_to_pull", lang, monday=f"{rollup.monday:%Y-%m-%d}"))
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
    members = len(rollup.weeks)
    print(msg("team_pulled", lang, n=result.added, s=_plural(result.added), members=members,
              s_members=_plural(members), monday=f"{rollup.monday:%Y-%m-%d}")
          + (msg("team_pulled_already", lang, n=result.already) if result.already else ""))
    return 0


# --- serve (textual-serve) -----------------------------------------------------------------

def cmd_serve(args, store: WeekStore, settings: Settings) -> int:
    """The TUI in a browser: textual-serve runs `weekly` on this store for each page opened,
    streaming its screen over a websocket, on the loopback interface only."""
    import shlex

    from textual_serve.server import Server

    command = [sys.executable, "-m", "weekly_zhoubao.tui.cli", "--db", str(store.path)]
    if args.date:
        command += ["--date", args.date.isoformat()]
    if args.lang:
        command += ["--lang", args.lang]
    sys.stderr.write(msg("serving", settings.lang, url=f"http://localhost:{args.port}") + "\n")
    Server(shlex.join(command), host="localhost", port=args.port, title="Weekly").serve()
    return 0


# --- search (store/search) -----------------------------------------------------------------

MARK_ON, MARK_OFF = "\x1b[1;7m", "\x1b[0m"  # bold, reverse: the words found, on a terminal only


def _marked(line: str, spans, on_terminal: bool) -> str:
    """The line made safe for a terminal, its words marked there; plain in a pipe."""
    if not on_terminal:
        return visible(line)
    out, at = [], 0
    for start, end in spans:
        out += [visible(line[at:start]), MARK_ON, visible(line[start:end]), MARK_OFF]
        at = end
    out.append(visible(line[at:]))
    return "".join(out)


def cmd_search(args, store: WeekStore, settings: Settings) -> int:
    from weekly_zhoubao.store.weeks import week_number
    from weekly_zhoubao.store.search import search

    if args.start and args.end and args.start > args.end:
        raise UsageError(msg("search_range", settings.lang, start=f"{args.start:%Y-%m-%d}", end=f"{args.end:%Y-%m-%d}"))
    try:
        hits = search(store, args.words, args.start, args.end, args.section)
        first = next(hits, None)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    found = [] if first is None else [first, *hits]
    if args.format == "json":
        import orjson

        sys.stdout.write(orjson.dumps([h.to_json(settings.lang) for h in found],
                                      option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0 if found else 1  # as grep: nothing found is 1, in either format
    if not found:
        sys.stderr.write(msg("search_none", settings.lang, words=visible(" ".join(args.words))) + "\n")
        return 1
    on_terminal = sys.stdout.isatty()
    out = []
    for hit in found:
        day = hit.monday + timedelta(days=settings.report_day)
        number = week_number(day, settings.numbering)
        week = f"第{number}周" if settings.lang == "zh" else f"week {number}"
        out.append(f"{day:%Y-%m-%d} {week}  {visible(hit.section_label(settings.lang))}  "
                   f"{_marked(hit.line, hit.spans, on_terminal)}\n")
    sys.stdout.write("".join(out))
    return 0

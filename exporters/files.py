"""Reports as files: a week written to a file or a folder, and folders of reports read in."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from store.db import WeekStore, atomic_write, make_folders
from store.errors import WeeklyError
from store.models import Week
from store.rules import report_date, title, year_to_date_counts
from store.settings import Settings
from store.text import visible

from .markdown import ExportOptions, daily_file_name, render, render_daily
from .reader import ImportProblem, read_report_file


def options(settings: Settings, lang: str | None = None, ytd_counts: tuple[int, int] | None = None) -> ExportOptions:
    """How the settings shape a report; `ytd_counts`: the year-to-date incident counts, when
    that is the counts' scope."""
    return ExportOptions(lang=lang or settings.lang, numbering=settings.numbering,
                         report_day=settings.report_day, incident_counts=ytd_counts)


def export_options(store: WeekStore, week: Week, settings: Settings, lang: str | None = None) -> ExportOptions:
    scope_counts = None
    if settings.count_scope == "ytd":
        year = report_date(week, settings.report_day).year
        scope_counts = year_to_date_counts(week, store.incidents_earlier_in_year(week.monday, year),
                                           settings.report_day)
    return options(settings, lang, scope_counts)


def render_week(store: WeekStore, week: Week, settings: Settings, lang: str | None = None) -> str:
    return render(week, export_options(store, week, settings, lang))


def report_file_name(week: Week, settings: Settings, lang: str) -> str:
    name = title(week, lang, settings.numbering, settings.report_day)
    return name.replace("/", "-").replace(" · ", " ") + ".md"


class ExportError(WeeklyError):
    pass


def _writable(path: Path) -> None:
    """Refuse to replace what is not a plain file: a symlink (it would be followed, or lost)
    or a device, pipe or socket."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise ExportError(f"{visible(str(path))}: is a symbolic link; not replaced (remove it, or "
                          f"choose another name)")
    if not stat.S_ISREG(st.st_mode):
        raise ExportError(f"{visible(str(path))}: is not a regular file; not replaced")


def _folder(target: Path) -> None:
    try:
        make_folders(target)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {visible(str(target))}: "
                          f"{visible(exc.strerror or str(exc))}") from None


def _write(path: Path, text: str) -> None:
    _writable(path)
    atomic_write(path, text.encode(), what=f"the folder {visible(str(path.parent))}")


def wants_folder(raw: str | Path, folder: bool = False) -> bool:
    """`-o DIR/`, an existing folder, or a name without a suffix that does not exist yet."""
    target = Path(raw)
    if folder or str(raw).endswith(("/", "\\")) or target.is_dir():
        return True
    return not os.path.lexists(target) and not target.suffix


def export_week(store: WeekStore, week: Week, settings: Settings, lang: str, target: Path,
                folder: bool = False) -> list[Path]:
    """Write the week to a file, or to a folder with one file per daily note beside it.
    In a folder, every file has a name Weekly builds itself (from the title, from each
    note's date): nothing from the week's content chooses where a file goes."""
    if not wants_folder(target, folder):
        _writable(target)
        _folder(target.parent)
        _write(target, render_week(store, week, settings, lang))
        return [target]
    _folder(target)
    written = []
    notes = [note.model_copy(update={"link": None}) for note in week.daily_notes]
    for note in notes:
        path = target / daily_file_name(note, lang)
        if path.parent != target:  # a name built from a date has no separator; kept so
            raise ExportError(f"{visible(str(path))}: outside {visible(str(target))}; not written")
        _write(path, render_daily(note, lang))
        written.append(path)
    # the report links to the files just written, under their new names
    text = render_week(store, week.model_copy(update={"daily_notes": notes}), settings, lang)
    report = target / report_file_name(week, settings, lang)
    _write(report, text)
    return [report, *written]


def report_files(paths: list[str]) -> list[Path]:
    files = []
    for raw in paths:
        path = Path(raw).expanduser()
        files += sorted(p for p in path.rglob("*.md") if p.is_file()) if path.is_dir() else [path]
    return files


def import_reports(store: WeekStore, paths: list[str], settings: Settings, replace: bool,
                   ask=None) -> tuple[list[Week], list[str]]:
    """Read every file; write the weeks that read cleanly, never half of one.
    Returns (weeks written, one `FILE:LINE: problem` line per file not imported)."""
    problems: list[str] = []
    parsed: list[tuple[Path, Week]] = []
    untitled: list[tuple[Path, ImportProblem]] = []
    for path in report_files(paths):
        try:
            parsed.append((path, read_report_file(path, settings.numbering, settings.report_day)))
        except ImportProblem as exc:
            if exc.message.startswith("no week title"):
                untitled.append((path, exc))
            else:
                problems.append(str(exc))
    # A folder export holds the daily notes' own files beside the weeks: those are not reports.
    linked = {(p.parent / unquote(n.link)).resolve() for p, w in parsed for n in w.daily_notes if n.link}
    problems += [str(exc) for path, exc in untitled if path.resolve() not in linked]

    chosen: dict[date, tuple[Path, Week]] = {}
    for path, week in parsed:
        if week.monday in chosen:
            problems.append(f"{path}:1: the week of {week.monday} was already read from "
                            f"{chosen[week.monday][0]}; skipped")
            continue
        if store.get(week.monday) is not None and not replace:
            if ask is None or not ask(f"{path}: the week of {week.monday} is already in the store. Replace it?"):
                problems.append(f"{path}:1: the week of {week.monday} is already in the store; "
                                f"not replaced (use --replace)")
                continue
        chosen[week.monday] = (path, week)
    weeks = [w for _, w in chosen.values()]
    store.put_many(weeks)
    return weeks, problems

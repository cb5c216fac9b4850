"""Reports as files: a week written to a file or a folder, and folders of reports read in."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.files import check_writable, make_folders, write_file
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.counts import year_to_date_counts
from weekly_zhoubao.store.weeks import report_date, title
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.store.text import visible

from .markdown import ExportOptions, daily_file_name, render, render_daily


def options(settings: Settings, lang: str | None = None, ytd_counts: tuple[int, int] | None = None,
            week: Week | None = None) -> ExportOptions:
    """How the settings shape a report; `ytd_counts`: the year-to-date incident counts, when
    that is the counts' scope; `week`: to write it in its user template (a TOML file), if any."""
    return ExportOptions(lang=lang or settings.lang, numbering=settings.numbering,
                         report_day=settings.report_day, incident_counts=ytd_counts,
                         template=user_template(week) if week is not None else None)


def export_options(store: WeekStore, week: Week, settings: Settings, lang: str | None = None) -> ExportOptions:
    scope_counts = None
    if settings.count_scope == "ytd":
        year = report_date(week, settings.report_day).year
        scope_counts = year_to_date_counts(week, store.incidents_earlier_in_year(week.monday, year),
                                           settings.report_day)
    return options(settings, lang, scope_counts, week)


def user_template(week: Week):
    """The user template a week names, read from the config folder; None when it is built in,
    inferred, or cannot be read (the week is then written in the default template, its
    other sections after it: nothing is lost)."""
    from weekly_zhoubao.store.templates import builtin_templates, load_template

    if week.layout is not None or week.template in builtin_templates():
        return None
    try:
        return load_template(week.template)
    except WeeklyError:  # a missing or broken template file must not stop an export
        return None


def render_week(store: WeekStore, week: Week, settings: Settings, lang: str | None = None) -> str:
    return render(week, export_options(store, week, settings, lang))


def report_file_name(week: Week, settings: Settings, lang: str) -> str:
    name = title(week, lang, settings.numbering, settings.report_day)
    return name.replace("/", "-").replace(" · ", " ") + ".md"


class ExportError(WeeklyError):
    pass


def _folder(target: Path) -> None:
    try:
        make_folders(target)
    except OSError as exc:
        raise ExportError(f"cannot make the folder {visible(str(target))}: "
                          f"{visible(exc.strerror or str(exc))}") from None


def _write(path: Path, text: str) -> None:
    write_file(path, text.encode(), what=f"the folder {visible(str(path.parent))}", error=ExportError)


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
        check_writable(target, ExportError)
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


def render_review(review, lang: str = "zh", fmt: str = "md") -> str:
    """The review of a period in a format: md, json, or html (which loads the chart library)."""
    if fmt == "html":
        from .review_html import render_html

        return render_html(review, lang)
    from .review import render_json, render_markdown

    return render_json(review) if fmt == "json" else render_markdown(review, lang)


def review_file_name(review, fmt: str = "md") -> str:
    return f"review-{review.period.label.replace('..', '_')}.{fmt}"


def write_review(review, target: Path, lang: str = "zh", fmt: str = "md") -> Path:
    """Write the review to a file, or into a folder under its own name; atomically, after
    the whole text is rendered (nothing is written if rendering fails), and never over a
    symlink, a device or a pipe."""
    text = render_review(review, lang, fmt)
    if target.is_dir() or str(target).endswith(("/", "\\")):
        target = target / review_file_name(review, fmt)
    check_writable(target, ExportError)
    _folder(target.parent)
    _write(target, text)
    return target


REPORT_SUFFIXES = (".md", ".markdown", ".txt")  # reports are kept as any of these


def report_files(paths: list[str]) -> list[Path]:
    files = []
    for raw in paths:
        path = Path(raw).expanduser()
        files += sorted(p for p in path.rglob("*") if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()) \
            if path.is_dir() else [path]
    return files


FILE_CAP_CHARS = 1 << 20  # enough of a report to see how it writes its dates


def date_orders(paths: list[str], files: list[Path]) -> dict[Path, bool | None]:
    """For each file, how its folder writes NN-NN-YYYY (True: day first): the nearest folder,
    up to the one named, whose reports' unambiguous dates all agree (`29-09-2017` in `10/`
    tells how to read `04-08-2017` in `2/`). None: nothing tells, or they disagree."""
    from .dates import numeric_order

    roots = [Path(raw).expanduser() for raw in paths if Path(raw).expanduser().is_dir()]
    seen: dict[Path, set[bool]] = {}
    above: dict[Path, list[Path]] = {}
    for file in files:
        root = next((r for r in roots if r in file.parents), None)
        above[file] = [] if root is None else [d for d in file.parents if d == root or root in d.parents]
        try:
            order = numeric_order(file.read_text(encoding="utf-8", errors="replace")[:FILE_CAP_CHARS])
        except OSError:
            order = None
        for folder in above[file] if order is not None else []:
            seen.setdefault(folder, set()).add(order)
    orders: dict[Path, bool | None] = {}
    for file in files:
        for folder in above[file]:
            if folder in seen:
                orders[file] = next(iter(seen[folder])) if len(seen[folder]) == 1 else None
                break
    return orders


def read_reports_in(paths: list[str], settings: Settings, fallback: date | None = None,
                    day_first: bool | None = None, week_one: date | None = None) -> list:
    """Every report under the paths, read (exporters.importer.FileRead each), nothing written.
    A yearless title takes its year from dated reports in the same folder; the daily-note
    files a folder export wrote beside a week are that week's, not reports of their own."""
    from weekly_zhoubao.store.words import grade_scale

    from .importer import ReadOptions
    from .reader import read_file, unsafe_link

    files = report_files(paths)
    orders = date_orders(paths, files)

    def options(year_hint=None, file=None):
        # 04-08-2017: the folder's own dates decide; `day_first` (--day-first) where they do not
        order = orders.get(file)
        return ReadOptions(settings.numbering, settings.report_day, fallback, year_hint,
                           order if order is not None else day_first, week_one,
                           grade_scale(settings.incident_p_grades, settings.incident_sev_grades))

    results = [read_file(path, options(file=path)) for path in files]
    dated: dict[Path, list[date]] = {}
    for r in results:
        for read in r.weeks:
            dated.setdefault(Path(r.file).parent, []).append(read.week.monday)
    for n, r in enumerate(results):
        near = sorted(dated.get(Path(r.file).parent, []))
        if r.needs_year and r.problems and near:
            results[n] = read_file(Path(r.file), options(near[len(near) // 2], files[n]))
    linked = {(Path(r.file).parent / unquote(note.link)).resolve()
              for r in results for read in r.weeks for note in read.week.daily_notes
              if note.link and unsafe_link(note.link) is None}
    return [r for r in results if not (linked and Path(r.file).resolve() in linked)]


def import_reports(store: WeekStore, paths: list[str], settings: Settings, replace: bool,
                   ask=None, fallback: date | None = None, dry_run: bool = False, day_first: bool | None = None,
                   week_one: date | None = None):
    """Read every file; write the weeks of the files that read cleanly, never part of a file.
    Returns (weeks written or, with dry_run, that would be, problem lines `FILE:LINE: …`,
    warning lines, the FileRead of each file). A dry run runs every check the real run runs."""
    results = read_reports_in(paths, settings, fallback, day_first, week_one)
    problems: list[str] = []
    warnings: list[str] = []
    chosen: dict[date, tuple[str, Week]] = {}
    for result in results:
        problems += result.problems
        warnings += result.warnings
        # a week another file already gave refuses this file whole: nothing of it is written
        clashes = [(read, chosen[read.week.monday][0]) for read in result.weeks if read.week.monday in chosen]
        if clashes:
            problems += [f"{result.file}:{read.title_line + 1}: the week of {read.week.monday} was already read "
                         f"from {other}; this file is not imported" for read, other in clashes]
            continue
        for read in result.weeks:
            week = read.week
            where = f"{result.file}:{read.title_line + 1}"
            if store.get(week.monday) is not None and not replace:
                # a dry run never asks: it says what a run that cannot ask (a pipe, CI) would do
                if ask is None or not ask(f"{result.file}: the week of {week.monday} is already in the store. "
                                          f"Replace it?"):
                    problems.append(f"{where}: the week of {week.monday} is already in the store; "
                                    f"not replaced (use --replace)")
                    continue
            chosen[week.monday] = (result.file, week)
    weeks = [w for _, w in chosen.values()]
    if not dry_run:
        store.put_many(weeks)
    return weeks, problems, warnings, results

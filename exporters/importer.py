"""Reports in any layout, read into weeks with nothing lost: the importer's public entry point.

The steps, one module each:
- import_headings: the file's outline (front matter, headings, heading-like lines, the title);
- import_dates: the dates around a week's title (front matter, a line under it, its body);
- import_weeks: the file split into its weeks, each dated;
- import_sections: each section matched to ours by its heading and read into fields, or
  kept as written;
- import_roundtrip: the weeks written back, and the file's lines found again in that export.

A heading is matched to a section by the synonym table; what no synonym names becomes a
custom section. The layout (headings as written, their order, list markers) is kept with the
week as its template."""

from __future__ import annotations

from weekly_zhoubao.store.weeks import title
from weekly_zhoubao.store.text import visible

from .import_model import FILE_CAP, ITEM_CAP, FileRead, Mapping, ReadOptions, WeekRead
from .import_roundtrip import export_file, kept_lines
from .import_weeks import FileImporter

__all__ = ["FILE_CAP", "ITEM_CAP", "FileRead", "Mapping", "ReadOptions", "WeekRead", "describe", "export_file",
           "kept_lines", "read_text"]


def read_text(text: str, file: str = "<report>", options: ReadOptions | None = None) -> FileRead:
    """Every week of one report's text, in any layout, or the file's problems."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return FileImporter(file, text, options or ReadOptions()).read()


def describe(result: FileRead, lang: str = "zh", numbering: str = "jan1", report_day: int = 4) -> str:
    """What `weekly import --dry-run` shows for one file (file content made visible)."""
    out = [f"{visible(result.file)} (read as {result.encoding.upper().replace('-SIG', ' with BOM')})"]
    if result.problems:
        out.append("  refused:")
        out += [f"    {visible(p)}" for p in result.problems]
    for read in result.weeks:
        w = read.week
        shown = w.title_line.strip() if w.title_line else title(w, lang, numbering, report_day)
        out.append(f"  week of {w.monday} ({visible(shown[:80])}), date from {read.date_from}, "
                   f"template {visible(w.template)}")
        for m in read.mappings:
            out.append(f"    line {m.line}: {visible(m.heading[:80])} → {m.key} ({m.how})")
        if read.fields:
            out.append(f"    read: {', '.join(read.fields)}")
    for warning in result.warnings:
        out.append(f"  warning: {visible(warning)}")
    return "\n".join(out) + "\n"

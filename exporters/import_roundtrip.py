"""What the round trip of an import keeps: its weeks written back, and the lines of the file
found again in that export."""

from __future__ import annotations

import re
from collections import Counter

from .import_model import FileRead
from .markdown import ExportOptions, render

_LEADS = re.compile(r"^(?:[-*+>]\s+|\d{1,9}[.)、．]\s*|[一二三四五六七八九十]{1,3}[、.．]\s*|#{1,6}\s+|\\(?=\S))+")


def _norm(line: str) -> str:
    text = _LEADS.sub("", line.strip())
    return re.sub(r"\s+", " ", text).strip()


def kept_lines(original: str, exported: str) -> tuple[int, int, list[str]]:
    """(lines kept, lines, lines lost) of an imported file in its export, compared after
    dropping list markers, numbering, heading hashes, backslash escapes and spacing. Blank
    lines and Notion's `Created:` property lines do not count."""
    have = Counter(_norm(line) for line in exported.split("\n"))
    kept = total = 0
    lost = []
    for line in original.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        key = _norm(line)
        if not key or line.startswith("Created: "):
            continue
        total += 1
        if have[key] > 0:
            have[key] -= 1
            kept += 1
        else:
            lost.append(line)
    return kept, total, lost


def export_file(result: FileRead, options: ExportOptions | None = None) -> str:
    """The weeks of one imported file, each in its own template, one after the other."""
    options = options or ExportOptions()
    return "\n".join(render(r.week, options) for r in result.weeks)

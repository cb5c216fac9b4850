"""Import every report under a folder and say, per file, whether it imported and how many of
its lines come back in the export; then the totals.

    .venv/bin/python scripts/import_check.py FOLDER [--date 2024-03-15]

A file that carries no date at all is read again with --date (as a user would pass it).
Lines are compared after dropping list markers, numbering, heading hashes and spacing
(`exporters.importer.kept_lines`). Nothing is written anywhere."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from weekly_zhoubao.exporters.importer import ReadOptions, export_file, kept_lines  # noqa: E402
from weekly_zhoubao.exporters.files import date_orders, report_files  # noqa: E402
from weekly_zhoubao.exporters.reader import read_file  # noqa: E402
from weekly_zhoubao.store.text import visible as visible_line  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--date", type=date.fromisoformat, default=date(2024, 3, 15),
                        help="the --date given to files that carry no date (default 2024-03-15)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the lines not kept")
    args = parser.parse_args(argv)
    files = report_files([args.folder])
    orders = date_orders([args.folder], files)
    imported = with_date = 0
    kept_total = lines_total = 0
    for path in files:
        result = read_file(path, ReadOptions(day_first=orders.get(path)))
        note = ""
        if result.problems and any("--date" in p for p in result.problems):
            result = read_file(path, ReadOptions(fallback=args.date, day_first=orders.get(path)))
            note = " (with --date)"
        name = path.relative_to(args.folder)
        if result.problems:
            print(f"REFUSED  {name}: {visible_line(result.problems[0])}")
            continue
        imported += 1
        with_date += bool(note)
        text = path.read_bytes().decode(result.encoding, errors="replace")
        kept, total, lost = kept_lines(text, export_file(result))
        kept_total += kept
        lines_total += total
        weeks = ", ".join(str(r.week.monday) for r in result.weeks)
        print(f"imported {name}{note}: weeks {weeks}; lines kept {kept}/{total} "
              f"({100 * kept / max(total, 1):.1f}%); warnings {len(result.warnings)}")
        if args.verbose:
            for line in lost:
                print(f"    lost: {visible_line(line)}")
    n = len(files)
    print(f"\n{imported}/{n} files imported ({100 * imported / max(n, 1):.1f}%), {with_date} of them with --date; "
          f"lines kept {kept_total}/{lines_total} ({100 * kept_total / max(lines_total, 1):.2f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

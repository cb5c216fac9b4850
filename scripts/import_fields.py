"""How much of what a reader recognises in the test reports lands in fields (issue 23).

    .venv/bin/python scripts/import_fields.py [-v]

Imports every report of tests/data/layouts (and the sample, tests/data/week-42-2023.md) into a
temporary store, with --date from expected.json where a file needs it, reads the weeks back
from the store and compares their fields with the hand counts of recognised.json (the rules:
tests/data/layouts/RECOGNISED.md). Prints, per kind and in all, the share of recognised
things found in fields; then weeks split as expected.json says, and lines kept in the export.
`-v` lists what was not found."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from weekly_zhoubao.exporters.importer import ReadOptions, export_file, kept_lines  # noqa: E402
from weekly_zhoubao.exporters.reader import read_file  # noqa: E402
from weekly_zhoubao.store.db import WeekStore  # noqa: E402
from weekly_zhoubao.store.models import Week  # noqa: E402

LAYOUTS = ROOT / "tests" / "data" / "layouts"
KINDS = ("work_items", "next_week_items", "metrics", "progress", "dates", "incidents", "daily_notes")


@dataclass
class Tally:
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    counted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    incident_parts: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in
                                                                         ("grade", "duration", "status")})
    weeks_split = weeks_files = 0
    merged: list[str] = field(default_factory=list)
    lines_kept = lines = 0
    missed: list[str] = field(default_factory=list)


def _number(text) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return None


def _work_items(weeks: list[Week]) -> list[tuple[str, object]]:
    out = []
    for week in weeks:
        out += [(f"{k.title}\n{k.body}", k) for k in week.key_work]
        for objective in week.objectives:
            out += [(item.line, item) for item in objective.items]
    return out


def _all_items(weeks: list[Week]) -> list[tuple[str, object]]:
    """Every item a progress or a date may sit on: work items and their sub-items, then next-week items."""
    out = []
    for week in weeks:
        out += [(f"{k.title}\n{k.body}", k) for k in week.key_work]
        for objective in week.objectives:
            out += [(item.line, item) for item in objective.walk()]
    for week in weeks:
        out += [(e.text, e) for e in week.next_week]
    return out


def _match(identifier: str, items: list[tuple[str, object]], used: set[int]) -> object | None:
    for n, (text, item) in enumerate(items):
        if n not in used and identifier in text:
            used.add(n)
            return item
    return None


def measure(name: str, path: Path, facts: dict, recognised: dict, tally: Tally, store: WeekStore) -> None:
    fallback = date.fromisoformat(facts["date_arg"]) if facts.get("needs_date") else None
    result = read_file(path, ReadOptions(fallback=fallback))
    mondays = [str(r.week.monday) for r in result.weeks]
    for read in result.weeks:
        store.put(read.week)
    weeks = [store.get(read.week.monday) for read in result.weeks]
    tally.weeks_files += 1
    if not result.problems and mondays == facts.get("weeks", mondays):
        tally.weeks_split += 1
    elif not result.problems and len(set(mondays)) < len(facts.get("weeks", [])):
        tally.merged.append(name)
    if not result.problems:
        kept, total, _ = kept_lines(path.read_bytes().decode(result.encoding, "replace"), export_file(result))
        tally.lines_kept += kept
        tally.lines += total

    def count(kind: str, ok: bool, what: str) -> None:
        tally.counted[kind] += 1
        tally.found[kind] += ok
        if not ok:
            tally.missed.append(f"{name}: {kind} {what}")

    used: set[int] = set()
    work = _work_items(weeks)
    for identifier in recognised["work_items"]:
        count("work_items", _match(identifier, work, used) is not None, identifier)
    used = set()
    plans = [(e.text, e) for w in weeks for e in w.next_week]
    for identifier in recognised["next_week_items"]:
        count("next_week_items", _match(identifier, plans, used) is not None, identifier)
    used = set()
    metrics = [m for w in weeks for m in w.metrics if m.value is not None]
    for metric_name, value in recognised["metrics"]:
        hit = next((n for n, m in enumerate(metrics) if n not in used and _number(m.value) == _number(value)
                    and (metric_name in f"{m.group} {m.name}" or m.name in metric_name)), None)
        if hit is not None:
            used.add(hit)
        count("metrics", hit is not None, f"{metric_name}={value}")
    for kind, attribute in (("progress", "progress"), ("dates", "due")):
        used = set()
        items = _all_items(weeks)
        for identifier, expected in recognised[kind]:
            candidates = [(n, item) for n, (text, item) in enumerate(items) if n not in used and identifier in text]
            good = next((n for n, item in candidates if _same(getattr(item, attribute, None), expected)), None)
            if good is not None:
                used.add(good)
            count(kind, good is not None, f"{identifier} {expected}")
    incidents = [i for w in weeks for i in w.incidents]
    for expected in recognised["incidents"]:
        at = next((i for i in incidents if f"{i.at:%m-%d %H:%M}" == expected["when"]), None)
        parts = {"grade": at is not None and at.grade == expected["grade"],
                 "duration": at is not None and at.duration_min == expected["duration_min"],
                 "status": at is not None and (at.status == "resolved") == (expected["status"] == "resolved")}
        for part, ok in parts.items():
            tally.incident_parts[part][0] += ok
            tally.incident_parts[part][1] += 1
        count("incidents", all(parts.values()), f"{expected} got {at and (at.grade, at.duration_min, at.status)}")
    days = {str(n.day) for w in weeks for n in w.daily_notes}
    for day in recognised["daily_notes"]:
        count("daily_notes", day in days, day)


def _same(value, expected) -> bool:
    if value is None:
        return False
    if isinstance(expected, str):  # a date as MM-DD
        return f"{value:%m-%d}" == expected
    return round(float(value)) == round(float(expected))


def run(verbose: bool = False) -> Tally:
    expected = json.loads((LAYOUTS / "expected.json").read_text(encoding="utf-8"))
    recognised = json.loads((LAYOUTS / "recognised.json").read_text(encoding="utf-8"))
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        for name in sorted(recognised):
            store = WeekStore(Path(folder) / f"{len(tally.missed)}-{tally.weeks_files}.json")
            measure(name, LAYOUTS / name, expected.get(name, {}), recognised[name], tally, store)
    return tally


def share(tally: Tally) -> float:
    """The share, in percent, of everything recognised that lands in fields."""
    return 100 * sum(tally.found.values()) / max(sum(tally.counted.values()), 1)


def report(tally: Tally) -> list[str]:
    out = []
    for kind in KINDS:
        found, counted = tally.found[kind], tally.counted[kind]
        out.append(f"{kind:<16} {found:>4}/{counted:<4} {100 * found / max(counted, 1):5.1f}%")
    for part, (ok, n) in tally.incident_parts.items():
        out.append(f"  incident {part:<8} {ok:>4}/{n:<4} {100 * ok / max(n, 1):5.1f}%")
    found, counted = sum(tally.found.values()), sum(tally.counted.values())
    out.append(f"{'in all':<16} {found:>4}/{counted:<4} {100 * found / max(counted, 1):5.1f}%")
    out.append(f"weeks split as expected: {tally.weeks_split}/{tally.weeks_files} files; "
               f"files whose weeks merged: {len(tally.merged)}")
    out.append(f"lines kept: {tally.lines_kept}/{tally.lines} ({100 * tally.lines_kept / max(tally.lines, 1):.2f}%)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list what was not found")
    args = parser.parse_args(argv)
    tally = run()
    print("\n".join(report(tally)))
    if args.verbose:
        print("\n".join(["", "not found:", *tally.missed, *(f"merged: {n}" for n in tally.merged)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

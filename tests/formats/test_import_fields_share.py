"""On the test reports (tests/data/layouts, hand-counted in recognised.json): at least 90% of
what a reader recognises lands in fields, every week is split as expected.json says, no two
weeks merge, and every line is kept (scripts/import_fields.py prints the shares per kind)."""

from __future__ import annotations

import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from import_fields import KINDS, run, share  # noqa: E402


def test_the_corpus_lands_in_fields_split_into_its_weeks_with_every_line_kept():
    tally = run()
    assert share(tally) >= 90, tally.missed
    assert all(tally.counted[kind] for kind in KINDS)  # every kind is measured
    assert tally.weeks_split == tally.weeks_files == 89
    assert tally.merged == []
    assert tally.lines_kept == tally.lines > 2_000

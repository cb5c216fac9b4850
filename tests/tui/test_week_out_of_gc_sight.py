"""The week on screen and the preview's rows are frozen out of the cyclic collector's sight
once laid out (a full collection over a week at the limits took ~100 ms, in the middle of
typing); what an edit makes afterwards is not, and the app unfreezes all when it ends."""

from __future__ import annotations

import gc
from datetime import date

from weekly_zhoubao.store.db import WeekStore
from weekly_zhoubao.store.models import KeyWorkItem, Week
from weekly_zhoubao.store.settings import Settings
from weekly_zhoubao.tui.app import create_app
from weekly_zhoubao.tui.panes import PreviewView

from tests.tui.helpers import settle

MONDAY = date(2023, 10, 9)


def watched(obj) -> bool:
    """Whether the cyclic collector still walks `obj` (frozen objects are in no generation)."""
    return any(o is obj for o in gc.get_objects())


async def test_the_week_and_its_preview_rows_are_frozen_once_shown(db_path):
    WeekStore(db_path).put(Week(monday=MONDAY, key_work=[KeyWorkItem(title="重构", body="设计")]))
    app = create_app(db_path, Settings(), today=MONDAY, poll_seconds=3600)
    app.animation_level = "none"
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        preview = app.screen.query_one(PreviewView)
        assert preview.rows and not watched(preview.rows)
        assert not watched(app.week_screen.week.key_work)
        fresh = [object()]  # made after: the collector still sees it
        assert watched(fresh)
    assert watched(preview.rows)  # the app ended: unfrozen

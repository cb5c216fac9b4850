"""What the Pilot tests of the week screen share."""

from __future__ import annotations

import asyncio


async def settle(pilot) -> None:
    """Until the screen has acted on every key and the session has saved every edit: workers
    done, messages handled, the save queue flushed (a real wait, not a sleep)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
    session = pilot.app.week_screen.session
    if session is not None and session.unsaved:
        await asyncio.to_thread(session.flush, 10)
        await pilot.pause(0.05)

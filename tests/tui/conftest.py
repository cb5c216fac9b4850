"""The Pilot tests' fixtures. The app itself comes from tests/conftest.py's `make_app` (the team
screen's tests use it too); waiting for it and reading it, from tests/tui/helpers.py."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY


@pytest.fixture
def demo_store(db_path):
    """The demo's weeks (tui/demo.py) in the store at db_path."""
    from weekly_zhoubao.tui.demo import build_demo_store

    db_path.parent.mkdir(parents=True, exist_ok=True)
    build_demo_store(db_path, TODAY)
    return db_path

"""Where the user's config lives: its own module, so that the settings (which read the
template the config names) and the templates (which live beside the config) both use it."""

from __future__ import annotations

import os
from pathlib import Path


def config_path() -> Path:
    if env := os.environ.get("WEEKLY_CONFIG"):
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("weekly") / "config.toml"

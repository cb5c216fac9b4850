"""Where the user's config and data live: its own module, so that the settings (which read
the template the config names) and the templates (which live beside the config) both use it.
Computed here as platformdirs gives them: importing platformdirs cost a shell command a
tenth of its start."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def user_dir(xdg_variable: str, linux_default: str) -> Path:
    """The user's folder for Weekly's config or data: an absolute $XDG_* first, else
    ~/.config or ~/.local/share on Linux, ~/Library/Application Support on macOS."""
    base = os.environ.get(xdg_variable, "")
    if not os.path.isabs(base):
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home):  # unset or relative: the account's own, as platformdirs does
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
        base = os.path.join(home, "Library/Application Support" if sys.platform == "darwin" else linux_default)
    return Path(base) / "weekly"


def config_path() -> Path:
    if env := os.environ.get("WEEKLY_CONFIG"):
        return Path(env)
    return user_dir("XDG_CONFIG_HOME", ".config") / "config.toml"

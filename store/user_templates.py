"""The templates a user may write in: the built-in ones, and `NAME.toml` files in the config
folder, read and validated here (the store, the settings and the team read them; the model
and the rules never touch the config folder)."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import WeeklyError
from .paths import config_path
from .templates import Template, builtin_templates, parse_template


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def load_template(name: str, config_dir: Path | None = None) -> Template:
    """A built-in template by name, else `NAME.toml` in the config folder."""
    builtins = builtin_templates()
    if name in builtins:
        return builtins[name]
    if not _NAME.match(name) or name == "config":
        raise WeeklyError(f"template '{name}': a template name is letters, digits, '-', '_' or '.'")
    if config_dir is None:
        config_dir = config_path().parent
    path = config_dir / f"{name}.toml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WeeklyError(f"template '{name}' is neither built in ({', '.join(builtins)}) nor a file {path}") from None
    except OSError as exc:
        raise WeeklyError(f"{path}: cannot read the template ({exc.strerror})") from None
    return parse_template(raw, name, str(path))

"""Settings from the user's config file (TOML). A missing file means defaults; a bad
one is refused with a message naming the file and the setting."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import WeeklyError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Literal["zh", "en"] = "zh"
    numbering: Literal["jan1", "iso"] = "jan1"
    report_day: int = Field(default=4, ge=0, le=6)  # Friday
    incident_host: str = Field(default="O3", pattern=r"^O\d{1,2}$")
    count_scope: Literal["week", "ytd"] = "week"
    export_dir: str | None = None
    theme: Literal["dark", "light"] = "dark"
    keys: dict[str, str] = Field(default_factory=dict)

    @field_validator("report_day", mode="before")
    @classmethod
    def _day_name(cls, v):
        if isinstance(v, str) and v[:3].lower() in DAY_NAMES:
            return DAY_NAMES.index(v[:3].lower())
        return v


def config_path() -> Path:
    if env := os.environ.get("WEEKLY_CONFIG"):
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("weekly") / "config.toml"


def default_db_path() -> Path:
    if env := os.environ.get("WEEKLY_DB"):
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("weekly") / "weekly.json"


def default_export_dir(settings: Settings) -> Path:
    if settings.export_dir:
        return Path(settings.export_dir).expanduser()
    from platformdirs import user_documents_path

    return user_documents_path() / "weekly"


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise WeeklyError(f"{path}: cannot read the config file ({exc.strerror})") from None
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WeeklyError(f"{path}: not a valid TOML config file ({exc})") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "config"
        raise WeeklyError(f"{path}: setting '{where}': {first['msg']}") from None


_TOP_LEVEL_KEY = r"^(?P<lead>[ \t]*{key}[ \t]*=[ \t]*)(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s#]+)(?P<rest>.*)$"


def remember_setting(key: str, value: str, path: Path | None = None) -> Path:
    """Write one top-level string setting (the theme F9 chose) into the config file, changing
    only that line: the user's other settings, comments and layout stay as they wrote them.
    The line is added above the first [table] when absent; the file is made when missing.
    Raises WeeklyError (nothing written) when the file cannot be read or written, or when
    the edit would change anything but that setting."""
    import re
    import tomllib

    path = path or config_path()
    try:
        before = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        before = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise WeeklyError(f"{path}: cannot read the config file ({exc})") from None
    line = f'{key} = "{value}"'
    lines = before.split("\n")
    table = next((n for n, text in enumerate(lines) if text.lstrip().startswith("[")), len(lines))
    pattern = re.compile(_TOP_LEVEL_KEY.format(key=re.escape(key)))
    found = next((n for n in range(table) if pattern.match(lines[n])), None)
    if found is not None:
        m = pattern.match(lines[found])
        lines[found] = f'{m["lead"]}"{value}"{m["rest"]}'
    else:
        while table > 0 and not lines[table - 1].strip():
            table -= 1  # above the blank lines that lead into the first table
        lines.insert(table, line)
    after = "\n".join(lines)
    if not after.endswith("\n"):
        after += "\n"
    try:  # the edit changed that setting and nothing else, or it is not written
        old, new = tomllib.loads(before), tomllib.loads(after)
    except tomllib.TOMLDecodeError as exc:
        raise WeeklyError(f"{path}: not a valid TOML config file ({exc})") from None
    if new != {**old, key: value}:
        raise WeeklyError(f"{path}: cannot change '{key}' by itself here; edit the file")
    real = path.resolve() if path.is_symlink() else path  # a dotfiles link stays a link
    temporary = real.with_name(f".{real.name}.{os.getpid()}.tmp")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(after, encoding="utf-8")
        if real.exists():
            import shutil

            shutil.copymode(real, temporary)
        os.replace(temporary, real)  # whole or not at all: a crash leaves the old file
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise WeeklyError(f"{path}: cannot write the config file ({exc.strerror})") from None
    return path

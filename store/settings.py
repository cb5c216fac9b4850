"""Settings from the user's config file (TOML). A missing file means defaults; a bad
one is refused with a message naming the file and the setting."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import WeeklyError
from .paths import config_path, user_dir

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# A key as Textual names it: modifiers, then one printable character or a key's name
# (`q`, `ctrl+q`, `f1`, `question_mark`, `shift+tab`). A comma separates keys, so `,,,` is none.
_KEY = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[a-z][a-z0-9_]*|[^\s,+\x00-\x1f\x7f-\x9f])$")
_BINDING_ID = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


def _binding_id(name: str) -> str:
    if not _BINDING_ID.match(name):
        raise ValueError("not the name of an action")
    return name


def _key_list(value: str) -> str:
    from .text import visible

    bad = next((k for k in (k.strip() for k in value.split(",")) if not _KEY.match(k)), None)
    if bad is not None:
        why = "holds an empty key" if not bad else f"'{visible(bad)[:40]}' is not a key"
        raise ValueError(f"'{visible(value)[:40]}' {why} (write keys as q, ctrl+q or f1, "
                         f"separated by commas)")
    return value


class Settings(BaseModel):
    # Its validator is built when a config file is first checked: a store without one
    # takes the defaults as they are (model_construct), and every command starts ~2 ms sooner.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    lang: Literal["zh", "en"] = "zh"
    numbering: Literal["jan1", "iso"] = "jan1"
    report_day: int = Field(default=4, ge=0, le=6)  # Friday
    incident_host: str = Field(default="O3", pattern=r"^O\d{1,2}$")
    count_scope: Literal["week", "ytd"] = "week"
    export_dir: str | None = None
    # dark, light, or any of Textual's themes by name (nord, gruvbox, …): checked where
    # Textual is loaded (tui/app.py), since the core never imports it
    theme: str = Field(default="dark", pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    keys: dict[Annotated[str, AfterValidator(_binding_id)], Annotated[str, AfterValidator(_key_list)]] = \
        Field(default_factory=dict)  # action -> keys, as Textual's keymap takes them
    template: str = Field(default="default", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")  # store/templates.py
    # how an imported P0–P4 and Sev1–Sev4 read as grades A–D (store/words.py)
    incident_p_grades: str = Field(default="ABCDD", pattern=r"^[A-D]{5}$")
    incident_sev_grades: str = Field(default="ABCD", pattern=r"^[A-D]{4}$")

    @field_validator("report_day", mode="before")
    @classmethod
    def _day_name(cls, v):
        if isinstance(v, str) and v[:3].lower() in DAY_NAMES:
            return DAY_NAMES.index(v[:3].lower())
        return v


def default_db_path() -> Path:
    if env := os.environ.get("WEEKLY_DB"):
        return Path(env)
    return user_dir("XDG_DATA_HOME", ".local/share") / "weekly.json"


def default_export_dir(settings: Settings) -> Path:
    if settings.export_dir:
        return Path(settings.export_dir).expanduser()
    from platformdirs import user_documents_path

    return user_documents_path() / "weekly"


def environment_lang() -> str | None:
    """The language the environment asks for (LC_ALL, then LC_MESSAGES, then LANG, as POSIX
    reads them): zh for Chinese, en for any other language; None when it names none (unset,
    C, POSIX), which leaves Weekly's default."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value:
            code = value.split(".")[0].split("_")[0].split("@")[0].lower()
            if code in ("c", "posix", ""):
                return None
            return "zh" if code == "zh" else "en"
    return None


def load_settings(path: Path | None = None) -> Settings:
    """The config file's settings; where it sets no `lang` (or there is none), the
    environment's language (`environment_lang`)."""
    path = path or config_path()
    lang = environment_lang()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings.model_construct(lang=lang) if lang else Settings.model_construct()
    except OSError as exc:
        raise WeeklyError(f"{path}: cannot read the config file ({exc.strerror})") from None
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WeeklyError(f"{path}: not a valid TOML config file ({exc})") from None
    except RecursionError:
        raise WeeklyError(f"{path}: not a valid TOML config file (nested too deep)") from None
    if lang:
        data.setdefault("lang", lang)
    from .text import visible

    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "config"
        msg = first["msg"].removeprefix("Value error, ")
        raise WeeklyError(visible(f"{path}: setting '{where}': {msg}")) from None
    from .user_templates import load_template

    try:  # the template the config names is read now: missing or broken, it is the config's error
        load_template(settings.template, path.parent)
    except WeeklyError as exc:
        raise WeeklyError(visible(f"{path}: setting 'template': {exc}")) from None
    return settings


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
    from .files import atomic_write  # whole or not at all: a crash leaves the old file

    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WeeklyError(f"{path}: cannot write the config file ({exc.strerror})") from None
    atomic_write(real, after.encode("utf-8"), what="the config file")
    return path

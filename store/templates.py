"""Templates are data: which sections a report has, in which order, under which headings,
and how their items are written.

Built in: the sample's layout (`default`, zh with its English twin), `en` (the same forced
to English), `zh-simple` (本周工作 / 下周计划 / 问题与风险 / 需要的支持) and `weeknotes`
(Done / Next / Blockers). A user template is a TOML file `NAME.toml` beside config.toml,
chosen by `template = "NAME"` in the config. A report imported in a layout of its own
keeps that layout as an inferred template stored with the week (`Week.layout`).

Cheap to import: pydantic only; tomllib is loaded only when a user template is read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import WeeklyError
from .text import has_control, visible

# What a section holds. The first ones are fields of the week; "custom" is a section of
# the week's `sections` list (free Markdown or a list), keyed by its `key`.
SectionKind = Literal["key_work", "metrics", "objectives", "incidents", "list", "markdown", "daily", "custom"]
HeadingStyle = Literal["brackets", "plain", "numbered", "raw"]

# Keys of the week's own fields; every other key names a custom section.
FIELD_KEYS = ("key_work", "metrics", "objectives", "incidents", "other", "reflections", "next_week", "daily")

ZH_NUMERALS = "一二三四五六七八九十"

# What a title may hold: `{number}` with a bounded width (`{number:02d}`, `{number:>3}`) and
# `{date:…}` with strftime directives only (`%Y`, `%-d`; no width, which would pad without
# end). No attribute, index or conversion: a template is data, not a program.
_NUMBER_SPEC = re.compile(r"(?:[^{}]?[<>^=])?[+\- ]?0?[0-9]{0,2}d?")
_DATE_SPEC = re.compile(r"(?:[^%{}]|%[-_0^#]?[A-Za-z%]){0,64}")
TITLE_FIELDS = "{number} and {date:%Y/%m/%d}"


def check_title(pattern: str) -> str:
    """The title pattern, or a ValueError saying what it may hold."""
    from string import Formatter

    try:
        parts = list(Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(f"'{visible(pattern)[:80]}' is not a title pattern ({exc}; write {{{{ for a brace)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        shown = visible("{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}")
        if conversion or name not in ("number", "date") or "{" in (spec or ""):
            raise ValueError(f"'{shown[:80]}' is not a field a title may hold (only {TITLE_FIELDS})")
        if not (_NUMBER_SPEC if name == "number" else _DATE_SPEC).fullmatch(spec or ""):
            raise ValueError(f"'{shown[:80]}': a format Weekly cannot write (a width of at most 99 for "
                             f"{{number}}, strftime directives like %Y for {{date}})")
    return pattern


def _no_control(value: str, tabs: bool = False) -> str:
    if has_control(value.replace("\t", "") if tabs else value):
        raise ValueError(f"'{visible(value)[:80]}' contains a control character")
    return value


class SectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=80)  # a week field (FIELD_KEYS) or a custom section's key
    kind: SectionKind = "custom"
    heading: dict[str, Annotated[str, AfterValidator(_no_control)]] = Field(default_factory=dict)  # lang → text
    level: int = Field(default=2, ge=0, le=6)  # 0: a plain line, no '#'
    style: HeadingStyle = "plain"
    raw: str | None = None  # the heading line exactly as an imported report wrote it
    marker: str = "1. "  # how list items start, indentation included: "1. ", "1、", "- ", "\t1、"

    @field_validator("marker")
    @classmethod
    def _marker(cls, v: str) -> str:
        if "\n" in v or len(v) > 8:
            raise ValueError("a list marker is a few characters on one line")
        return _no_control(v, tabs=True)

    @field_validator("key", "raw")
    @classmethod
    def _line(cls, v: str | None) -> str | None:
        return v if v is None else _no_control(v, tabs=True)


    def heading_line(self, lang: str, position: int = 1) -> str:
        if self.raw is not None:
            return self.raw
        text = self.heading.get(lang) or self.heading.get("zh") or self.heading.get("en") or self.key
        if self.style == "brackets":
            text = f"【{text}】"
        elif self.style == "numbered":
            numeral = ZH_NUMERALS[position - 1] if 0 < position <= len(ZH_NUMERALS) else str(position)
            text = f"{numeral}、{text}" if lang == "zh" else f"{position}. {text}"
        return f"{'#' * self.level} {text}" if self.level else text

    def item_marker(self, n: int) -> str:
        """The marker of the n-th item (1-based): numbers count, bullets repeat."""
        return re.sub(r"\d+", str(n), self.marker, count=1)


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    lang: Literal["zh", "en"] | None = None  # forces the report's language (the `en` twin)
    # lang → '第{number}周 {date:%Y/%m/%d}'
    title: dict[str, Annotated[str, AfterValidator(_no_control), AfterValidator(check_title)]] = \
        Field(default_factory=dict)
    title_level: int = Field(default=1, ge=0, le=6)
    sections: list[SectionSpec] = Field(default_factory=list, max_length=2_000)  # as many as a week's items
    incident_host: str | None = None  # the objective whose section carries the incident log

    @field_validator("name", "incident_host")
    @classmethod
    def _line(cls, v: str | None) -> str | None:
        return v if v is None else _no_control(v)

    def spec(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def is_sample(self) -> bool:
        """The sample's own layout: rendered by the writer that reproduces it byte for byte."""
        return self.name in ("default", "en")


def _h(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _sample_sections() -> list[SectionSpec]:
    return [
        SectionSpec(key="key_work", kind="key_work", heading=_h("重点工作", "Key work"), style="brackets",
                    marker="- "),
        SectionSpec(key="metrics", kind="metrics", heading=_h("系统运行数据", "Operational metrics"),
                    style="brackets", marker="- "),
        SectionSpec(key="objectives", kind="objectives", heading=_h("目标", "Objectives"), style="brackets",
                    marker="- "),
        SectionSpec(key="incidents", kind="incidents", heading=_h("生产稳定性事件", "Production incidents"),
                    marker="- "),
        SectionSpec(key="other", kind="list", heading=_h("其他", "Other"), style="brackets"),
        SectionSpec(key="reflections", kind="markdown", heading=_h("收获与反思", "Reflections")),
        SectionSpec(key="next_week", kind="list", heading=_h("下周工作及目标", "Next week"), level=1),
        SectionSpec(key="daily", kind="daily", heading=_h("日报合集", "Daily notes"), level=1),
    ]


SAMPLE_TITLE = {"zh": "第{number}周 {date:%Y/%m/%d}", "en": "Week {number} · {date:%Y-%m-%d}"}  # the one title format


def _builtins() -> dict[str, Template]:
    zh_simple = Template(name="zh-simple", lang="zh", title={"zh": SAMPLE_TITLE["zh"]}, sections=[
        SectionSpec(key="key_work", kind="key_work", heading=_h("本周工作", "This week"), marker="1. "),
        SectionSpec(key="next_week", kind="list", heading=_h("下周计划", "Next week"), marker="1. "),
        SectionSpec(key="risks", kind="custom", heading=_h("问题与风险", "Risks"), marker="1. "),
        SectionSpec(key="support", kind="custom", heading=_h("需要的支持", "Help needed"), marker="1. "),
    ])
    weeknotes = Template(name="weeknotes", lang="en", title={"en": SAMPLE_TITLE["en"]}, sections=[
        SectionSpec(key="key_work", kind="key_work", heading=_h("完成", "Done"), marker="- "),
        SectionSpec(key="next_week", kind="list", heading=_h("下周", "Next"), marker="- "),
        SectionSpec(key="risks", kind="custom", heading=_h("阻碍", "Blockers"), marker="- "),
    ])
    return {
        "default": Template(name="default", title=SAMPLE_TITLE, sections=_sample_sections(), incident_host="O3"),
        "en": Template(name="en", lang="en", title=SAMPLE_TITLE, sections=_sample_sections()),
        "zh-simple": zh_simple,
        "weeknotes": weeknotes,
    }


_BUILTINS: dict[str, Template] | None = None


def builtin_templates() -> dict[str, Template]:
    global _BUILTINS
    if _BUILTINS is None:
        _BUILTINS = _builtins()
    return _BUILTINS


def template_names(config_dir: Path | None = None) -> list[str]:
    names = list(builtin_templates())
    if config_dir is not None and config_dir.is_dir():
        names += sorted(p.stem for p in config_dir.glob("*.toml") if p.stem != "config" and p.stem not in names)
    return names


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def load_template(name: str, config_dir: Path | None = None) -> Template:
    """A built-in template by name, else `NAME.toml` in the config folder."""
    builtins = builtin_templates()
    if name in builtins:
        return builtins[name]
    if not _NAME.match(name) or name == "config":
        raise WeeklyError(f"template '{name}': a template name is letters, digits, '-', '_' or '.'")
    if config_dir is None:
        from .paths import config_path

        config_dir = config_path().parent
    path = config_dir / f"{name}.toml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WeeklyError(f"template '{name}' is neither built in ({', '.join(builtins)}) nor a file {path}") from None
    except OSError as exc:
        raise WeeklyError(f"{path}: cannot read the template ({exc.strerror})") from None
    return parse_template(raw, name, str(path))


def parse_template(raw: bytes, name: str, where: str = "<template>") -> Template:
    import tomllib  # only when a user template is read

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WeeklyError(visible(f"{where}: not a valid TOML template ({exc})")) from None
    except RecursionError:
        raise WeeklyError(f"{where}: not a template (nested too deep)") from None
    data.setdefault("name", name)
    try:
        template = Template.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "template"
        raise WeeklyError(visible(f"{where}: '{at}': {first['msg'].removeprefix('Value error, ')}")) from None
    keys = [s.key for s in template.sections]
    if len(set(keys)) != len(keys):
        raise WeeklyError(f"{where}: a section key appears twice")
    return template


def default_heading(key: str, lang: str) -> str:
    """The heading a week field gets where a template has no place for it ("other sections")."""
    spec = builtin_templates()["default"].spec(key)
    if spec is None:
        return key
    return spec.heading.get(lang) or spec.heading["zh"]

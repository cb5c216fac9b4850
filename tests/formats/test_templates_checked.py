"""Templates and config.toml are validated when loaded (issue 25): a title holds only the
fields Weekly provides, with bounded widths and no attribute or index access; no control
character in any text; nesting is capped; a template the config names that is missing or
broken is one line naming the file and the field, in every command, not a silent fallback."""

from __future__ import annotations

from datetime import date

import pytest

from weekly_zhoubao.store.models import Week
from weekly_zhoubao.store.templates import parse_template
from weekly_zhoubao.store.errors import WeeklyError
from weekly_zhoubao.tui.cli import main

SECTION = '\n[[sections]]\nkey = "key_work"\nkind = "key_work"\nheading = { zh = "本周" }\n'


@pytest.fixture
def config(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("WEEKLY_CONFIG", str(folder / "config.toml"))

    def write(template_toml: str | None, config_toml: str = 'template = "mine"\n') -> None:
        (folder / "config.toml").write_text(config_toml, encoding="utf-8")
        if template_toml is not None:
            (folder / "mine.toml").write_text(template_toml, encoding="utf-8")
    return write


def run(capsys, tmp_path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", str(tmp_path / "weekly.json")])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("title, why", [
    ('{0}', "'{0}' is not a field a title may hold"),
    ('{nope}', "'{nope}' is not a field a title may hold"),
    ('{date', "is not a title pattern"),
    ('{date.__class__.__mro__}', "'{date.__class__.__mro__}' is not a field"),
    ('{date[0]}', "is not a field a title may hold"),
    ('{number!r}', "is not a field a title may hold"),
    ('{number:>300000000}{number:>300000000}', "a format Weekly cannot write"),
    ('{date:%300000000Y}', "a format Weekly cannot write"),
    ('\\u001b]0;pwned\\u0007 {date:%Y}', "contains a control character"),
])
def test_a_bad_title_is_one_line_naming_file_and_field_in_every_command(config, capsys, tmp_path, title, why):
    config(f'title = {{ zh = "{title}" }}\n' + SECTION)
    for command in (["weeks"], ["export", "--date", "2023-10-13", "-o", str(tmp_path / "out.md")]):
        code, out, err = run(capsys, tmp_path, *command)
        assert code != 0 and err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith(f"weekly: {tmp_path / 'config' / 'config.toml'}: setting 'template': ")
        assert f"mine.toml: 'title.zh': " in err and why in err
        assert "\x1b" not in err
    assert not (tmp_path / "out.md").exists()


def test_a_good_title_renders(config, capsys, tmp_path):
    config('title = { zh = "周报 {date:%Y.%-m.%d} 第{number:02d}周 {{x}}" }\n' + SECTION)
    code, out, err = run(capsys, tmp_path, "export", "--date", "2023-10-13")
    assert code == 0, err
    assert out.startswith("# 周报 2023.10.13 第42周 {x}\n")


def test_a_control_character_in_a_heading_is_refused(config, capsys, tmp_path):
    config('title = { zh = "{date:%Y}" }\n[[sections]]\nkey = "key_work"\nkind = "key_work"\n'
           'heading = { zh = "本周\\u009b2J" }\n')
    code, _, err = run(capsys, tmp_path, "weeks")
    assert code != 0 and "mine.toml: 'sections.0.heading.zh': " in err and "control character" in err


def test_deep_nesting_in_a_template_or_the_config_is_one_line(config, capsys, tmp_path):
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    config(deep)
    code, _, err = run(capsys, tmp_path, "weeks")
    assert code != 0 and err.count("\n") == 1 and "mine.toml: not a template (nested too deep)" in err
    config(None, deep)
    code, _, err = run(capsys, tmp_path, "weeks")
    assert code != 0 and err.count("\n") == 1 and "config.toml: not a valid TOML config file (nested too deep)" in err
    with pytest.raises(WeeklyError):
        parse_template(("a = " + "{ b = " * 5000 + "1" + " }" * 5000).encode(), "t")


def test_a_missing_template_named_in_the_config_is_an_error_not_the_default(config, capsys, tmp_path):
    config(None, 'template = "gone"\n')
    code, _, err = run(capsys, tmp_path, "export", "--date", "2023-10-13")
    assert code != 0 and err.count("\n") == 1
    assert "config.toml: setting 'template': template 'gone' is neither built in" in err


def test_an_imported_layouts_title_still_validates():
    from weekly_zhoubao.store.templates import Template

    week = Week(monday=date(2023, 10, 9), layout=Template(
        name="imported:x", title={"zh": "# 周报 {date:%Y年%m月%d日} 第{number}周 {{注}}"}))
    assert week.layout.title["zh"].startswith("# 周报")

"""What each layer may load. The core is used without a terminal, and every start of Weekly
(the TUI, each shell command) pays for what it imports, so the costly imports stay out."""

import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import loaded_after
from tests.conftest import ROOT


def test_models_validate_without_the_pydantic_plugin_search():
    # store/__init__.py answers pydantic's plugin question up front; if a pydantic upgrade
    # asks differently, either this fails or building a model does.
    modules = loaded_after(
        "from datetime import date\n"
        "from weekly_zhoubao.store.models import Week, Incident\n"
        "week = Week.model_validate({'monday': '2023-10-09', 'incidents': "
        "[{'at': '2023-10-09T15:37', 'summary': 'x', 'grade': 'C'}]})\n"
        "assert week.incidents[0].grade == 'C' and week.monday == date(2023, 10, 9)\n"
        "import pydantic.plugin._loader as loader\n"
        "assert list(loader.get_plugins()) == []")
    assert "pydantic.main" in modules
    assert "importlib.metadata" not in modules


def test_a_shell_command_loads_neither_the_tui_nor_the_importer(tmp_path):
    db = tmp_path / "weekly.json"
    modules = loaded_after(f"from weekly_zhoubao.tui.cli import main\nmain(['incident', 'x', '--db', {str(db)!r}])")
    assert "weekly_zhoubao.store.db" in modules
    assert not {m for m in modules if m.split(".")[0] in ("textual", "markdown_it", "pygal")}
    assert "weekly_zhoubao.tui.app" not in modules
    assert "weekly_zhoubao.exporters.reader" not in modules and "importlib.metadata" not in modules
    assert "shutil" not in modules, "argparse sizes its formatters from the terminal only for --help"


def test_the_review_loads_its_chart_library_only_to_draw(tmp_path):
    db = str(tmp_path / "weekly.json")
    core = loaded_after("import weekly_zhoubao.store.review, weekly_zhoubao.exporters.review, weekly_zhoubao.exporters.review_html")
    assert "pygal" not in core and not {m for m in core if m.startswith("textual")}
    markdown = loaded_after(f"from weekly_zhoubao.tui.cli import main\nmain(['review', '--year', '2023', '--db', {db!r}])")
    assert "weekly_zhoubao.store.review" in markdown and "pygal" not in markdown and "textual" not in markdown
    drawn = loaded_after(f"from weekly_zhoubao.tui.cli import main\nmain(['review', '--year', '2023', '--format', 'html', "
                         f"'--db', {db!r}])")
    assert "pygal" in drawn and "textual" not in drawn
    assert "importlib_metadata" not in drawn  # pygal's plugin search (35 ms) is skipped: no maps drawn


def test_the_layers_point_one_way_and_no_package_imports_in_a_loop():
    """tui -> exporters -> store, never back up; no Textual below tui; no import loops
    (the contracts are in pyproject.toml, checked by import-linter)."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter), str(ROOT / "pyproject.toml")], capture_output=True, text=True,
                          cwd=ROOT.parent, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "3 kept, 0 broken" in done.stdout


def test_a_shell_command_builds_only_its_own_parser_and_loads_no_plumbing(tmp_path):
    """`weekly note` (incident, metric) above the floor (`import tinydb` and the week model) is the command's
    own work: no platformdirs for the config's path, no gettext (nor locale) for argparse, no
    completion library, not the ops module (the shell has no undo)."""
    db = str(tmp_path / "weekly.json")
    code = ("import os; os.environ.pop('WEEKLY_CONFIG'); os.environ.pop('WEEKLY_DB')\n"
            "from weekly_zhoubao.tui import cli\n"
            f"assert cli.main(['note', 'x', '--date', '2023-10-12', '--db', {db!r}]) == 0\n"
            f"assert cli.main(['incident', 'x', '--at', '2023-10-12 10:00', '--grade', 'C', '--db', {db!r}]) == 0\n"
            f"assert cli.main(['metric', 'm', '1', '--group', 'g', '--db', {db!r}]) == 0\n"
            "parser = cli.build_parser(['note', 'x'])\n"
            "commands = next(a for a in parser._actions if a.dest == 'command').choices\n"
            "assert list(commands) == ['note'], list(commands)")
    modules = loaded_after(code)
    assert not {"platformdirs", "gettext", "locale", "shtab", "weekly_zhoubao.store.ops"} & modules
    helped = loaded_after("from weekly_zhoubao.tui import cli\n"
                          "parser = cli.build_parser(['note', '--help'])\n"
                          "assert len(next(a for a in parser._actions if a.dest == 'command').choices) > 5")
    assert "gettext" in helped


def test_the_search_screen_loads_when_first_opened():
    modules = loaded_after("from weekly_zhoubao.tui.app import create_app\nfrom weekly_zhoubao.tui.screens import week")
    assert "weekly_zhoubao.tui.search_screen" not in modules and "weekly_zhoubao.store.search" not in modules
    assert "textual_serve" not in modules and "shtab" not in modules

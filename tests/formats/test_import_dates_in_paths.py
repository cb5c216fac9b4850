"""Dates an importer finds in the path of a report: its file name and its folder's name."""

from datetime import date
from pathlib import Path

from weekly_zhoubao.exporters.files import read_reports_in, report_files
from weekly_zhoubao.exporters.importer import ReadOptions
from weekly_zhoubao.exporters.reader import read_file
from weekly_zhoubao.store.settings import Settings

BODY = "# Weekly notes\n\n## Done\n- wired the pump controller\n\n## Next\n- calibrate the sensor\n"


def _write(root, rel, text=BODY):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _mondays(result):
    assert not result.problems, result.problems
    return [r.week.monday for r in result.weeks]


def test_a_full_date_in_the_folder_name_dates_the_report(tmp_path):
    path = _write(tmp_path, "published/2026-08-14/report.md")
    assert _mondays(read_file(path, ReadOptions())) == [date(2026, 8, 10)]


def test_a_two_digit_year_folder_yy_mm_dd_dates_the_report(tmp_path):
    path = _write(tmp_path, "updates/23_11_15/update.md")
    assert _mondays(read_file(path, ReadOptions())) == [date(2023, 11, 13)]


def test_a_yearless_file_name_takes_only_the_year_from_date(tmp_path):
    path = _write(tmp_path, "alice/04月24日.md", "# 本周工作\n- 写完了解析器\n")
    assert _mondays(read_file(path, ReadOptions(fallback=date(2024, 3, 15)))) == [date(2024, 4, 22)]
    refused = read_file(path, ReadOptions())
    assert refused.problems and refused.needs_year


def test_a_yearless_folder_name_glued_to_a_word(tmp_path):
    path = _write(tmp_path, "10.13notes/notes.txt", "finished the lexer\nstarted the parser\n")
    assert _mondays(read_file(path, ReadOptions(fallback=date(2023, 3, 1)))) == [date(2023, 10, 9)]


def test_a_folder_of_yearless_files_imports_each_into_its_own_week(tmp_path):
    for name in ("03月06日.md", "04月03日.md", "04月24日.md"):
        _write(tmp_path, f"bob/{name}", "# 周报\n- 调通了串口\n")
    results = read_reports_in([str(tmp_path)], Settings(), fallback=date(2024, 3, 15))
    mondays = sorted(m for r in results for m in _mondays(r))
    assert mondays == [date(2024, 3, 4), date(2024, 4, 1), date(2024, 4, 22)]


def test_a_folder_import_reads_markdown_and_txt_reports_too(tmp_path):
    _write(tmp_path, "a/2024-05-10.md")
    _write(tmp_path, "b/2024-05-17.markdown")
    _write(tmp_path, "c/20240524_me.txt", "fixed the build\n")
    _write(tmp_path, "c/picture.png", "not a report")
    assert sorted(p.name for p in report_files([str(tmp_path)])) == [
        "2024-05-10.md", "2024-05-17.markdown", "20240524_me.txt"]
    results = read_reports_in([str(tmp_path)], Settings())
    assert sorted(m for r in results for m in _mondays(r)) == [
        date(2024, 5, 6), date(2024, 5, 13), date(2024, 5, 20)]


def _weeks_of(text):
    from weekly_zhoubao.exporters.importer import read_text

    result = read_text(text, "log.md")
    return [r.week.monday for r in _checked(result)]


def _checked(result):
    assert not result.problems, result.problems
    return result.weeks


def test_a_dated_heading_in_another_week_starts_a_week_even_with_a_day_word():
    text = ("# 2018年4月22日 星期天\n\n本周做了电路板\n\n# 2018年4月29日 星期天\n\n本周调通了电机\n\n"
            "#2018年5月13日\n\n本周写了测试\n")
    assert _weeks_of(text) == [date(2018, 4, 16), date(2018, 4, 23), date(2018, 5, 7)]


def test_a_heading_starting_with_a_full_date_is_a_week_before_a_section_name():
    text = ("# 2021/11/19 Model training\n\n- trained the small model\n\n"
            "# 2021/11/12 Preprocessing done!\n\n- cleaned the recordings\n\n# 2021/11/26 Next steps\n\n- tune it\n")
    assert _weeks_of(text) == [date(2021, 11, 15), date(2021, 11, 8), date(2021, 11, 22)]


def test_a_glued_hash_is_not_a_heading_without_a_date():
    from weekly_zhoubao.exporters.importer import read_text

    result = read_text("# 2024-05-10 周报\n\n#hashtag notes here\n- item\n", "log.md")
    assert [r.week.monday for r in _checked(result)] == [date(2024, 5, 6)]


def test_a_weekday_beside_the_title_date_is_not_copied_into_new_weeks_titles():
    from weekly_zhoubao.exporters.importer import read_text

    result = read_text("# 2018年4月29日 星期天\n\n本周调通了电机\n", "sun.md")
    assert _checked(result)[0].week.layout.title["zh"] == "# {date:%Y年%m月%d日}"
    result = read_text("# Sunday, 2018-04-29 log\n\n- wired the motor\n", "sun.md")
    assert _checked(result)[0].week.layout.title["en"] == "# {date:%Y-%m-%d} log"
    # a word that only looks like a day, and a span of days, stay as written
    result = read_text("# 周一至周五 sun report 2018-04-27\n\n- wired the motor\n", "sun.md")
    assert _checked(result)[0].week.layout.title["zh"] == "# 周一至周五 sun report {date:%Y-%m-%d}"


def test_a_glued_date_title_gives_new_weeks_a_real_heading():
    from weekly_zhoubao.exporters.importer import read_text

    result = read_text("#2018年6月3日\n\n本周写了测试\n", "glued.md")
    assert _checked(result)[0].week.layout.title["zh"] == "# {date:%Y年%m月%d日}"


def test_nn_nn_yyyy_takes_its_order_from_the_files_own_dates():
    from weekly_zhoubao.exporters.importer import read_text

    day_first = read_text("## Week 2: 04-08-2017\n\n- met the team\n\nnext meeting 29-09-2017\n", "w.md")
    assert [r.week.monday for r in _checked(day_first)] == [date(2017, 7, 31)]
    month_first = read_text("## Week 2: 04-08-2017\n\n- met the team\n\nnext meeting 09/29/2017\n", "w.md")
    assert [r.week.monday for r in _checked(month_first)] == [date(2017, 4, 3)]


def test_nn_nn_yyyy_takes_its_order_from_the_reports_beside_it(tmp_path):
    _write(tmp_path, "series/2/index.md", "## Week 2: 04-08-2017\n\n- met the team\n")
    _write(tmp_path, "series/10/index.md", "## Week 10: 29-09-2017\n\n- shipped search\n")
    _write(tmp_path, "other/us.md", "## Week of 06/21/2019\n\n- unrelated\n")
    results = read_reports_in([str(tmp_path)], Settings())
    mondays = {Path(r.file).relative_to(tmp_path).as_posix(): _mondays(r) for r in results}
    assert mondays["series/2/index.md"] == [date(2017, 7, 31)]
    assert mondays["other/us.md"] == [date(2019, 6, 17)]


def test_a_yearless_folder_date_without_any_year_names_the_folder_in_its_one_line(tmp_path):
    path = _write(tmp_path, "11.4notes/notes.md", "fixed the build\n")
    result = read_file(path, ReadOptions())
    assert not result.weeks and len(result.problems) == 1
    assert "the date in the folder name has no year; pass --date" in result.problems[0]


def test_nn_nn_yyyy_with_nothing_to_order_it_is_read_month_first_and_said():
    from weekly_zhoubao.exporters.importer import read_text

    alone = read_text("## Week 2: 04-08-2017\n\n- met the team\n", "w.md")
    assert [r.week.monday for r in _checked(alone)] == [date(2017, 4, 3)]
    assert [w for w in alone.warnings if "04-08-2017" in w] == [
        "w.md:1: '04-08-2017' read as 2017-04-08 (month first): nothing says whether the day or the month "
        "comes first; if it is the day, import with --day-first"]
    ordered = read_text("## Week 2: 04-08-2017\n\n- met the team\n\nnext meeting 29-09-2017\n", "w.md")
    assert not [w for w in ordered.warnings if "month first" in w], "the file's own dates decide: nothing to say"
    plain = read_text("# 2023-10-13\n\n- one\n", "w.md")
    assert not [w for w in plain.warnings if "month first" in w]


def test_day_first_reads_an_unordered_nn_nn_yyyy_day_first_from_the_shell(tmp_path):
    import subprocess
    import sys

    report = _write(tmp_path, "w.md", "## Week 2: 04-08-2017\n\n- met the team\n")
    db = tmp_path / "weekly.json"

    def weekly(*args):
        return subprocess.run([sys.executable, "-m", "weekly_zhoubao.tui.cli", "--db", str(db), *args],
                              capture_output=True, text=True, timeout=60)

    guessed = weekly("import", str(report), "--dry-run")
    assert guessed.returncode == 0 and "--day-first" in guessed.stderr + guessed.stdout
    done = weekly("import", str(report), "--day-first")
    assert done.returncode == 0, done.stderr
    assert "month first" not in done.stderr
    assert "2017-07-31" in weekly("weeks").stdout  # 4 August 2017 is in the week of Monday 31 July

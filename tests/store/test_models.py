from datetime import date, datetime

import pytest
from pydantic import ValidationError

from weekly_zhoubao.store.errors import describe_validation
from weekly_zhoubao.store.models import Incident, KeyWorkItem, Metric, ObjectiveItem, Week
from weekly_zhoubao.store.dates import parse_when
from weekly_zhoubao.store.weeks import title, week_number
from weekly_zhoubao.store.words import read_progress, read_due, write_progress


def message(build) -> str:
    with pytest.raises(ValidationError) as info:
        build()
    return describe_validation(info.value)


@pytest.mark.parametrize("day, numbering, expected", [
    ("2023-10-13", "jan1", 42), ("2023-12-29", "jan1", 53), ("2021-01-01", "jan1", 1),
    ("2023-10-13", "iso", 41), ("2024-12-30", "jan1", 1), ("2024-12-30", "iso", 1),
    ("2025-01-03", "jan1", 1), ("2024-12-27", "jan1", 52),
])
def test_week_numbers(day, numbering, expected):
    d = date.fromisoformat(day)
    # the number is the report day's: Friday of the week holding d
    from weekly_zhoubao.store.models import monday_of
    from datetime import timedelta

    assert week_number(monday_of(d) + timedelta(days=4), numbering) == expected


def test_title_zh_and_en():
    week = Week(monday=date(2023, 10, 9))
    assert title(week) == "第42周 2023/10/13"
    assert title(week, "en") == "Week 42 · 2023-10-13"
    assert title(week, numbering="iso") == "第41周 2023/10/13"


def test_week_must_start_on_monday():
    assert "is not a Monday" in message(lambda: Week(monday=date(2023, 10, 10)))


@pytest.mark.parametrize("raw", ["99.997", "99.997%", "99.997 %", "99.997％", " 99.997 "])
def test_percentage_spellings_are_one_value(raw):
    assert Metric(name="x").check_value(raw) == "99.997"


@pytest.mark.parametrize("raw, why", [("abc", "not a number"), ("101", "outside 0–100"),
                                      ("nan", "not a finite number"), ("-1", "outside 0–100"),
                                      ("1e9", "not written as a plain number")])
def test_bad_percentages_are_refused_with_reason(raw, why):
    with pytest.raises(ValueError, match=why):
        Metric(name="x").check_value(raw)


def test_incident_validation_messages():
    assert "summary: must not be empty" in message(lambda: Incident(at=datetime(2023, 10, 9, 15, 37), summary="  "))
    assert "too long" in message(lambda: Incident(at=datetime(2023, 10, 9), summary="x" * 5000))
    assert "single line" in message(lambda: Incident(at=datetime(2023, 10, 9), summary="a\nb"))
    assert "control character" in message(lambda: Incident(at=datetime(2023, 10, 9), summary="a\x07b"))
    assert "not valid text" in message(lambda: Incident(at=datetime(2023, 10, 9), summary="a\ud800b"))


def test_progress_range():
    assert "less than or equal to 100" in message(lambda: ObjectiveItem(text="x", progress=101))


def test_markup_like_text_is_just_text():
    item = KeyWorkItem(title="[bold]x[/bold] [/] [@click=app.quit]q[/]")
    assert item.title == "[bold]x[/bold] [/] [@click=app.quit]q[/]"


@pytest.mark.parametrize("typed, expected", [
    ("15:37", datetime(2023, 10, 13, 15, 37)),
    ("10/9 15:37", datetime(2023, 10, 9, 15, 37)),
    ("2023-10-09 15:37", datetime(2023, 10, 9, 15, 37)),
    ("12/31 23:59", datetime(2022, 12, 31, 23, 59)),
])
def test_times_as_people_type_them(typed, expected):
    now = datetime(2023, 10, 13, 18, 0) if typed != "12/31 23:59" else datetime(2023, 1, 2, 9, 0)
    assert parse_when(typed, now) == expected


@pytest.mark.parametrize("typed", ["25:61", "2023-02-30 10:00", "13/40 10:00", "soon", ""])
def test_impossible_times_are_refused(typed):
    with pytest.raises(ValueError):
        parse_when(typed, datetime(2023, 10, 13, 18, 0))


@pytest.mark.parametrize("text, progress", [
    ("研发进度60%", 60), ("完成占比70%", 70), ("测试进度 35%", 35), ("当前55％", 55), ("无", None),
])
def test_progress_in_words(text, progress):
    assert read_progress(text) == progress


def test_progress_is_written_back_where_it_stood():
    assert write_progress("研发进度50%，预计10月中上线", 60) == "研发进度60%，预计10月中上线"
    assert write_progress("当前55％", 70) == "当前70％"
    assert write_progress("账单验证环境搭建", 20) == "账单验证环境搭建，进度20%"


def test_dates_in_words():
    anchor = date(2023, 10, 13)
    assert read_due("10/10上线完成", anchor) == date(2023, 10, 10)
    assert read_due("预计10/26上线", anchor) == date(2023, 10, 26)
    assert read_due("预计2024/01/26提测", anchor) == date(2024, 1, 26)

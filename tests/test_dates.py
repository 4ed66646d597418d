"""The one date and period grammar (`cchc.dates`): what people type, what documents write, and
the names of reporting periods."""

from datetime import date

import pytest

from cchc.dates import (
    PERIODS,
    InvalidDate,
    next_period,
    parse_dmy,
    parse_user_date,
    period_label,
    quarter_number,
)
from cchc.extract.calendar import _calendar, report_period
from cchc.extract.deadlines import find_deadline


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/03/2020", date(2020, 3, 5)),
        ("5/3/2020", date(2020, 3, 5)),
        (" 29/02/2024 ", date(2024, 2, 29)),
        ("31.12.2025", date(2025, 12, 31)),
    ],
)
def test_a_typed_date_is_read_day_first(typed, day):
    assert parse_user_date(typed) == day


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1/1/99999999999999999999", "năm “99999999999999999999” phải từ 1900"),
        ("1/1/0", "năm “0” phải từ 1900"),
        ("31/02/2021", "không có ngày 31"),
        ("29/02/2023", "không có ngày 29"),
        ("1/13/2020", "tháng 13 không có"),
        ("0/1/2020", "không có ngày 0"),
        ("2020-03-05", "dd/mm/yyyy"),
        ("abc", "dd/mm/yyyy"),
        ("", "dd/mm/yyyy"),
    ],
)
def test_a_bad_typed_date_says_what_is_wrong_in_vietnamese(typed, words):
    with pytest.raises(InvalidDate, match=words) as caught:
        parse_user_date(typed)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("period", "label"),
    [
        ("Q1", "quý I năm 2026"),
        ("Q4", "quý IV năm 2026"),
        ("H1", "6 tháng đầu năm 2026"),
        ("9M", "9 tháng năm 2026"),
        ("Y", "năm 2026"),
    ],
)
def test_period_labels_in_words(period, label):
    assert period_label(period, 2026) == label
    assert period_label(period, 2026, capital=True) == label[0].upper() + label[1:]


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="kỳ báo cáo không hợp lệ"):
        period_label("Q5", 2026)


def test_the_period_after_the_last_is_in_the_next_year():
    assert next_period("Q4", 2026) == ("Q1", 2027)
    assert next_period("Q2", 2026) == ("Q3", 2026)
    assert next_period("H1", 2026) == ("9M", 2026)


def test_quarter_numerals_roman_arabic_and_ocr():
    assert [quarter_number(q) for q in ("i", "II", "iii", "iv", "3", "i11")] == [1, 2, 3, 4, 3, 3]


def test_the_report_calendar_and_the_grammar_know_the_same_periods():
    assert set(_calendar()["periods"]) == set(PERIODS)
    for period, (last_month, _name) in PERIODS.items():
        assert int(report_period(2026, period)["data_to"][5:7]) == last_month


def test_quarter_deadlines_and_dates_read_through_the_grammar():
    assert find_deadline("hoàn thành trong quý III/2026").date == "2026-09-30"
    assert find_deadline("hoàn thành trong quý 2 năm 2026").date == "2026-06-30"
    assert find_deadline("trước ngày 05 tháng 3 năm 2026").date == "2026-03-05"
    assert parse_dmy("15/12/2020") == "2020-12-15" and parse_dmy("31/02/2021") is None

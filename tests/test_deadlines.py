"""Deadline, recurrence and urgency phrases, anchored on the document's date."""

import time
from datetime import date

import pytest

from cchc.extract.calendar import national_calendar
from cchc.extract.deadlines import (
    InvalidRecurrence,
    find_deadline,
    next_dates,
    validate_recurrence,
)

ANCHOR = date(2021, 1, 5)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("gửi dự thảo Kế hoạch về UBND thị xã trước ngày 16/4/2021", "2021-04-16"),
        ("báo cáo chậm nhất ngày 15/01/2021", "2021-01-15"),
        ("tổ chức hội nghị trong tháng 4 năm 2021", "2021-04-30"),
        ("hoàn thành trước ngày 30/4/2021", "2021-04-30"),
        ("hoàn thành trong quý I/2026", "2026-03-31"),
        ("hoàn thành trong quý 3/2026", "2026-09-30"),
        ("hoàn thành trong năm 2025", "2025-12-31"),
        ("xong trước ngày 20 tháng 5 năm 2021", "2021-05-20"),
        ("trả lời trong 10 ngày", "2021-01-15"),
        ("trả lời trong 5 ngày làm việc", "2021-01-12"),
        ("chậm nhất 05 ngày làm việc kể từ ngày ban hành Quyết định", "2021-01-12"),
        ("gửi báo cáo không quá 10 ngày kể từ ngày ký văn bản", "2021-01-15"),
        ("chậm nhất 05 ngày làm việc kể từ ngày nhận được hồ sơ", None),
        ("chuẩn bị để chính quyền các xã mới chính thức hoạt động từ ngày 01/7/2021", "2021-07-01"),
        ("Nghị quyết có hiệu lực thi hành từ ngày 01/7/2021", None),
    ],
)
def test_deadline_phrases(phrase, expected):
    assert find_deadline(phrase, ANCHOR).date == expected


def test_urgent_without_a_date():
    found = find_deadline("khẩn trương triển khai thực hiện", ANCHOR)
    assert (found.date, found.urgent) == (None, True)


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("báo cáo hằng tháng", "FREQ=MONTHLY"),
        ("báo cáo định kỳ hằng quý", "FREQ=YEARLY;BYMONTH=3,6,9,12"),
        ("báo cáo định kỳ 6 tháng", "FREQ=YEARLY;BYMONTH=6,12"),
        ("tổng kết hằng năm", "FREQ=YEARLY"),
        ("trước ngày 20 của tháng cuối quý", "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20"),
    ],
)
def test_recurrences_as_rrules(phrase, rule):
    assert find_deadline(phrase, ANCHOR).recurrence == rule


def test_recurring_duty_has_its_next_dates():
    found = find_deadline("báo cáo hằng quý trước ngày 20 của tháng cuối quý", ANCHOR)
    assert found.next_dates == ["2021-03-20", "2021-06-20", "2021-09-20", "2021-12-20"]


def test_impossible_date_is_a_warning_not_a_crash():
    found = find_deadline("hoàn thành trước ngày 31/02/2021", ANCHOR)
    assert found.date is None
    assert found.text == "trước ngày 31/02/2021"
    assert "không hợp lệ" in found.warnings[0]


def test_relative_deadline_without_document_date_says_why():
    found = find_deadline("trả lời trong 10 ngày", None)
    assert found.date is None
    assert "không ghi ngày" in found.note


def test_national_quarterly_calendar():
    rows = national_calendar(2026, "quarterly")
    assert rows[0] == {
        "period": "Q1/2026",
        "data_from": "2025-12-15",
        "data_to": "2026-03-14",
        "due": "2026-03-20",
    }
    assert [r["data_to"] for r in rows] == ["2026-03-14", "2026-06-14", "2026-09-14", "2026-12-14"]


def test_national_annual_calendar():
    assert national_calendar(2026, "yearly") == [
        {
            "period": "Y/2026",
            "data_from": "2025-12-15",
            "data_to": "2026-12-14",
            "due": "2026-12-20",
        }
    ]


def test_ambiguous_deadline_keeps_the_phrase_and_says_why():
    found = find_deadline("Thời gian thực hiện: Năm 2025 và các năm tiếp theo", ANCHOR)
    assert found.date is None
    assert found.text == "Năm 2025 và các năm tiếp theo"
    assert found.note == "thời hạn không có ngày cụ thể"


def test_an_hour_before_the_date_keeps_the_date():
    found = find_deadline("gửi Báo cáo về Văn phòng Chính phủ trước 17 giờ ngày 27/11/2025")
    assert found.date == "2025-11-27"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1",
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "rrule:freq=yearly;bymonth=6,12;count=10",
    ],
)
def test_recurrence_rules_tasks_use_are_valid(rule):
    assert validate_recurrence(rule).startswith("FREQ=")
    assert next_dates(rule, ANCHOR)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", "MINUTELY"),
        ("FREQ=DAILY", "chỉ nhận"),
        ("garbage", "không hiểu"),
        ("", "trống"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "tháng 2 không có ngày 30"),
        ("FREQ=YEARLY;BYMONTH=13", "từ 1 đến 12"),
        ("FREQ=MONTHLY;COUNT=99999999999999999999", "COUNT"),
        ("FREQ=MONTHLY;UNTIL=20211331", "UNTIL"),
        ("FREQ=MONTHLY;BYDAY=XX", "BYDAY"),
        ("FREQ=MONTHLY;FREQ=YEARLY", "không hiểu"),
    ],
)
def test_bad_recurrence_is_refused_with_a_vietnamese_reason(rule, words):
    with pytest.raises(InvalidRecurrence, match=words):
        validate_recurrence(rule)


@pytest.mark.parametrize(
    "stored",
    ["FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", "garbage", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"],
)
def test_bad_stored_recurrence_expands_to_no_dates_quickly(stored):
    started = time.perf_counter()
    assert next_dates(stored, ANCHOR) == []
    assert time.perf_counter() - started < 1


def test_calendar_command_refuses_an_impossible_year():
    from click.testing import CliRunner

    from cchc.cli import main

    result = CliRunner().invoke(main, ["calendar", "0"])
    assert result.exit_code == 2
    assert "năm 0 không hợp lệ" in result.stderr and "Traceback" not in result.output
    assert CliRunner().invoke(main, ["calendar", "2026"]).exit_code == 0


def test_yearly_duty_with_a_day_is_due_on_its_first_occurrence_after_the_document():
    found = find_deadline(
        "gửi Sở Tài chính trước ngày 25 tháng 01 hàng năm hoặc theo yêu cầu", date(2025, 12, 8)
    )
    assert (found.date, found.recurrence) == ("2026-01-25", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=25")
    later = find_deadline("Định kỳ hằng năm (trước ngày 30/11) báo cáo kết quả", date(2025, 12, 8))
    assert later.date == "2026-11-30" and later.next_dates[1] == "2027-11-30"


def test_a_time_columns_bare_month_quarter_or_year_is_its_end():
    from cchc.extract.deadlines import time_limit

    anchor = date(2025, 11, 21)
    assert time_limit("Tháng 11 - 12/2025.", anchor).date == "2025-12-31"
    assert time_limit("Quý III, IV/2026", anchor).date == "2026-12-31"
    assert time_limit("Năm 2026", anchor).date == "2026-12-31"
    assert time_limit("Trước ngày 31/5/2026.", anchor).date == "2026-05-31"
    assert time_limit("Từ tháng 11/2025 đến khi kết thúc", anchor).date is None
    assert time_limit("Thường xuyên", anchor).date is None
    # A span of years: its last year's end.
    assert time_limit("2025 - 2030", anchor).date == "2030-12-31"
    assert time_limit("Giai đoạn 2026-2030", anchor).date == "2030-12-31"

"""Codes shown as words: recurrence rules, report periods, the text's source, and numbers with a
decimal comma and a real minus sign, in the core and on the pages."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from cchc.extract.recurrence_words import period_in_words, recurrence_in_words
from cchc.web.work.models import Task


@pytest.mark.parametrize(
    "rule, words",
    [
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15", "Hằng năm, ngày 15 tháng 12"),
        ("FREQ=YEARLY", "Hằng năm"),
        ("FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20", "Hằng quý, ngày 20 tháng cuối quý"),
        ("FREQ=YEARLY;BYMONTH=3,6,9,12", "Hằng quý, ngày cuối tháng cuối quý"),
        ("FREQ=YEARLY;BYMONTH=6,12", "6 tháng một lần, ngày cuối tháng 6 và tháng 12"),
        ("FREQ=MONTHLY;BYMONTHDAY=5", "Hằng tháng, ngày 5"),
        ("FREQ=MONTHLY", "Hằng tháng"),
        ("FREQ=WEEKLY;BYDAY=MO,FR", "Hằng tuần, thứ Hai và thứ Sáu"),
        ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1", "2 tháng một lần, ngày cuối tháng"),
    ],
)
def test_a_recurrence_rule_reads_in_words(rule, words):
    assert recurrence_in_words(rule) == words


@pytest.mark.parametrize(
    "rule", ["garbage", "", "FREQ=MINUTELY;BYMONTH=2", "FREQ=YEARLY;BYMONTH=13", "FREQ=DAILY;X=1"]
)
def test_a_rule_it_cannot_say_gives_none_not_wrong_words(rule):
    assert recurrence_in_words(rule) is None


@pytest.mark.parametrize(
    "period, words",
    [
        ("Q1", "Quý I"),
        ("Q4/2026", "Quý IV năm 2026"),
        ("H1/2026", "6 tháng đầu năm 2026"),
        ("9M/2026", "9 tháng năm 2026"),
        ("Y", "Năm"),
        ("2026", "Năm 2026"),
    ],
)
def test_a_report_period_reads_in_words(period, words):
    assert period_in_words(period) == words


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    "value, shown",
    [(1.25, "+1,25"), (-0.5, "\u22120,50"), (-3, "\u22123"), (0, "0"), ("84.375", "+84,38")],
)
def test_a_difference_shows_its_sign_a_real_minus_and_a_decimal_comma(value, shown):
    assert render("{{ v|signed }}", v=value) == shown


def test_numbers_on_pages_have_a_decimal_comma():
    assert render('{{ v }} {{ v|floatformat:"-2" }}', v=84.38) == "84,38 84,38"


@pytest.mark.parametrize(
    "code, words",
    [
        ("text", "Chữ có sẵn trong tệp"),
        ("ocr", "Nhận dạng chữ (OCR)"),
        ("repaired", "Đã khôi phục dấu"),
    ],
)
def test_the_texts_source_reads_in_words(code, words):
    assert render("{{ c|text_source }}", c=code) == words


def test_the_task_page_says_recurrence_and_period_in_words(login):
    task = Task.objects.create(
        action="Báo cáo tình hình CCHC",
        kind=Task.Kind.REPORT,
        recurrence="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15",
        period="H1/2026",
    )
    page = login("xem").get(f"/cong-viec/{task.pk}/").content.decode()
    assert "Hằng năm, ngày 15 tháng 12" in page
    assert "6 tháng đầu năm 2026" in page
    assert ">FREQ=" not in page and ">H1/2026" not in page


def test_the_document_page_says_where_its_text_came_from(login, sample_path):
    from cchc.web.documents.ingest import ingest_file

    job = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt"))
    page = login("xem").get(f"/van-ban/{job.document_id}/").content.decode()
    assert "Nguồn chữ: Chữ có sẵn trong tệp" in page
    assert "Nguồn chữ: text" not in page


def test_the_task_form_names_recurrence_in_words(login):
    task = Task.objects.create(action="Báo cáo", recurrence="FREQ=MONTHLY;BYMONTHDAY=25")
    page = login("quantri").get(f"/cong-viec/{task.pk}/sua/").content.decode()
    assert "Lặp lại định kỳ" in page and "(RRULE)" not in page
    assert "Hiện là: Hằng tháng, ngày 25" in page


def test_the_cli_says_periods_and_recurrences_in_words(sample_path):
    from click.testing import CliRunner

    from cchc.cli import main

    calendar = CliRunner().invoke(main, ["calendar", "2026", "--frequency", "half-yearly"])
    assert "6 tháng đầu năm 2026" in calendar.output and "H1/" not in calendar.output
    tasks = CliRunner().invoke(main, ["tasks", str(sample_path("cong-van-tang-cuong-cchc.txt"))])
    assert "định kỳ: Hằng quý" in tasks.output and "FREQ=" not in tasks.output


def test_the_par_pages_show_decimal_commas_and_real_minus_signs(login):
    import re

    from cchc.web import demo

    demo.create_par()
    client = login("lanhdao")
    page = client.get("/chi-so/").content.decode()
    table = page[page.index('id="ranking"') :]
    table = table[: table.index("</table>")]
    assert re.search(r"\d,\d\d%", table)  # the index, e.g. 84,38%
    assert not re.search(r"\d\.\d", table)
    change = r'<td class="num">([+\u2212-]?[\d,]+|—)</td>\s*<td>[^<]*</td>\s*<td><span class="pill'
    changes = re.findall(change, table)
    assert changes and all(not c.startswith("-") for c in changes)
    assert any(c.startswith("\u2212") for c in changes)  # the demo has units that fell back

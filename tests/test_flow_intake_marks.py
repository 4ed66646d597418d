"""The văn thư's intake fields pre-filled from what the machine reads (issue 15 §1): the độ khẩn
and độ mật marks stamped above the header (Nghị định 30/2020, Phụ lục I), and the page count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cchc.parse import marks
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document

FIXTURE = Path(__file__).parent / "fixtures" / "cong-van-giao-viec-noi-vu-an-lac.txt"


@pytest.mark.parametrize(
    ("top", "urgency", "secrecy"),
    [
        ("HỎA TỐC", "hoa-toc", ""),
        ("THƯỢNG KHẨN", "thuong-khan", ""),
        ("KHẨN", "khan", ""),
        ("HOA TOC", "hoa-toc", ""),  # the mark read without its diacritics (OCR)
        ("MẬT", "", "mat"),
        ("TỐI MẬT", "", "toi-mat"),
        ("TUYỆT MẬT", "", "tuyet-mat"),
        ("", "", ""),
    ],
)
def test_the_marks_above_the_header_are_read(top, urgency, secrecy):
    text = f"{top}\n{FIXTURE.read_text()}"
    assert (marks.urgency(text), marks.secrecy(text)) == (urgency, secrecy)


def test_the_same_words_in_the_body_are_no_mark():
    text = FIXTURE.read_text() + "\n" * 20 + "KHẨN\nĐề nghị thực hiện khẩn trương.\nMẬT\n"
    assert (marks.urgency(text), marks.secrecy(text)) == ("", "")
    assert marks.urgency("Thực hiện khẩn trương\n") == ""


def test_an_ingested_document_comes_to_the_intake_form_with_its_marks(deployment, login, tmp_path):
    path = tmp_path / "cong-van-hoa-toc-mat.txt"
    path.write_text("HỎA TỐC\nMẬT\n" + FIXTURE.read_text())
    clerk = get_user_model().objects.get(username="vanthu")
    doc = ingest_file(path, clerk).document
    assert (doc.urgency, doc.secrecy) == (Document.Urgency.EXPRESS, Document.Secrecy.SECRET)
    form = login("vanthu").get(f"/van-ban/{doc.pk}/vao-so/").context["form"]
    assert form.initial["urgency"] == "hoa-toc" and form.initial["secrecy"] == "mat"
    plain = ingest_file(FIXTURE, clerk).document
    assert (plain.urgency, plain.secrecy) == ("thuong", "thuong")


def test_a_pdf_comes_to_the_intake_with_its_page_count(deployment, tmp_path):
    from fpdf import FPDF

    from tests.documents import FONT

    lines = FIXTURE.read_text().splitlines()
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    for part in (lines[:25], lines[25:]):  # two pages of text
        pdf.add_page()
        for line in part:
            pdf.multi_cell(190, 6, line or " ")
    path = tmp_path / "cong-van-hai-trang.pdf"
    pdf.output(str(path))
    doc = ingest_file(path, get_user_model().objects.get(username="vanthu")).document
    assert doc.page_count == 2

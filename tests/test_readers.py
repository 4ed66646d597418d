"""Each reader gives the same fields for the same document."""

import pytest

from cchc import errors, parse_file
from tests.documents import EXPECTED, plain_text, write_docx, write_pdf


def _fields(doc):
    return {
        "type": doc.type,
        "number": doc.number,
        "issuer": doc.issuer,
        "date": doc.date,
        "place": doc.place,
        "subject": doc.subject,
        "signer": doc.signer.name if doc.signer else None,
    }


def test_txt_reader(tmp_path):
    path = tmp_path / "cong-van.txt"
    path.write_text(plain_text(), encoding="utf-8")
    doc = parse_file(path)
    assert _fields(doc) == EXPECTED
    assert doc.quality.source == "text"


def test_docx_reader_reads_text_inside_header_tables(tmp_path):
    doc = parse_file(write_docx(tmp_path / "cong-van.docx"))
    assert _fields(doc) == EXPECTED
    assert doc.recipients == ["Các phòng, ban chuyên môn thuộc UBND thị xã", "UBND các phường, xã"]
    assert doc.signer.authority == "KT. CHỦ TỊCH"
    assert doc.quality.reader == "docx"


def test_pdf_reader_reads_the_text_layer(tmp_path):
    doc = parse_file(write_pdf(tmp_path / "cong-van.pdf"))
    assert _fields(doc) == EXPECTED
    assert doc.quality.source == "pdf-text"
    assert doc.bases[0].references[0].number == "215/QĐ-UBND"


def test_docx_extension_is_not_trusted(tmp_path):
    path = write_docx(tmp_path / "cong-van.docx")
    renamed = path.rename(tmp_path / "cong-van.txt")
    assert parse_file(renamed).number == "412/UBND-NV"


def test_pdf_without_text_needs_ocr_when_ocr_is_off(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(errors.NeedsOcr, match=r"scan\.pdf"):
        parse_file(path, ocr=False)


def test_image_needs_ocr_when_ocr_is_off(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.png"
    Image.new("L", (200, 100), 255).save(path)
    with pytest.raises(errors.NeedsOcr, match="PNG"):
        parse_file(path, ocr=False)


def test_docx_with_xml_comments_inside_paragraphs_and_tables_is_read(tmp_path):
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    from cchc.readers import read_file

    path = write_docx(tmp_path / "comments.docx")
    document = docx.Document(str(path))
    body = document.element.body
    body.insert(0, etree.Comment(" before the header table "))
    first_table = document.tables[0]._tbl
    first_table.insert(0, etree.Comment(" in a table "))
    first_table.find(qn("w:tr")).insert(0, etree.Comment(" in a row "))
    for paragraph in document.paragraphs[:3]:
        runs = paragraph._p.findall(qn("w:r"))
        (runs[0] if runs else paragraph._p).addprevious(etree.Comment(" in a paragraph "))
        paragraph._p.append(etree.Comment(" at the end "))
    for cell_paragraph in first_table.iter(qn("w:p")):
        cell_paragraph.append(etree.Comment(" in a cell "))
    document.save(str(path))
    doc = parse_file(path)
    assert _fields(doc) == _fields(parse_file(write_docx(tmp_path / "plain.docx")))
    text = read_file(path).text
    assert "in a paragraph" not in text and "in a cell" not in text
    assert EXPECTED["number"] in text

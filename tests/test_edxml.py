"""edXML packages (QCVN 102:2016/BTTTT): read into a Document, written back, and refused with a
clear message when they are bad. The packages are fictional, written for these tests."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import cchc
from cchc import edxml, errors
from cchc.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "edxml"
PACKAGE = FIXTURES / "cong-van-1287.edxml"
ROOT = Path(__file__).resolve().parents[1]


def variant(tmp_path: Path, old: str, new: str, name: str = "goi.edxml", count: int = 1) -> Path:
    """The fixture package with one piece of it changed."""
    text = PACKAGE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def parse_cli(path: Path):
    return CliRunner().invoke(main, ["parse", "--json", str(path)])


# -- reading ---------------------------------------------------------------------------------


def test_package_header_gives_the_fields_without_guessing():
    doc = cchc.parse_file(PACKAGE)
    assert (doc.type, doc.number, doc.symbol) == ("Công văn", "1287/SXD-VP", "SXD-VP")
    assert (doc.issuer, doc.parent_issuer) == ("Sở Xây dựng tỉnh Bình Long", "UBND tỉnh Bình Long")
    assert (doc.place, doc.date) == ("Bình Long", "2026-11-05")
    assert doc.subject == "V/v báo cáo kết quả cải cách hành chính quý IV năm 2026"
    assert doc.recipients == ["UBND thị xã An Phú"]
    assert doc.distribution == ["UBND thị xã An Phú", "Lưu: VT, VP"]
    assert (doc.signer.authority, doc.signer.title, doc.signer.name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Bình",
    )
    assert doc.quality.source == "edxml" and doc.quality.reader == "text"


def test_main_attachment_gives_the_text_and_the_tasks():
    doc = cchc.parse_file(PACKAGE)
    assert "Sở Xây dựng đề nghị" in doc.text
    assert [t["deadline"] for t in doc.tasks] == ["2026-12-10", "2026-12-20"]
    assert doc.tasks[0]["lead"][0]["name"] == "UBND thị xã An Phú"


def test_json_has_an_edxml_section_with_sender_business_and_attachments():
    answer = parse_cli(PACKAGE)
    assert answer.exit_code == 0, answer.output
    section = json.loads(answer.output)["edxml"]
    assert section["kind"] == "document"
    assert section["sender"] == {"organ_id": "000.15.31.H99", "name": "Sở Xây dựng tỉnh Bình Long"}
    assert section["receivers"] == [{"organ_id": "000.00.31.H99", "name": "UBND thị xã An Phú"}]
    assert section["business"] == "new" and section["response_for"] == []
    assert section["document_ref"] == {
        "organ_id": "000.15.31.H99",
        "date": "2026-11-05",
        "code": "1287/SXD-VP",
    }
    assert (section["due_date"], section["priority"], section["urgency"]) == (
        "2026-12-10",
        1,
        "Khẩn",
    )
    (attachment,) = section["attachments"]
    data = edxml.read_package(PACKAGE).attachments[0].data
    assert attachment["name"] == "cong-van-1287.txt" and attachment["main"] is True
    assert attachment["size"] == len(data)
    assert attachment["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_document_that_is_not_a_package_has_a_null_edxml_section(tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes(edxml.read_package(PACKAGE).attachments[0].data)
    assert json.loads(parse_cli(path).output)["edxml"] is None


@pytest.mark.parametrize("name", ["goi-tin.xml", "0a1b2c3d.txt"])
def test_a_package_under_another_name_is_recognised_by_its_root(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(PACKAGE.read_bytes())
    assert cchc.parse_file(path).number == "1287/SXD-VP"


def test_document_id_reads_organ_date_and_code():
    assert edxml.parse_document_id("000.00.00.G22,2018/09/20,7816/VPCP-TTĐT") == {
        "organ_id": "000.00.00.G22",
        "date": "2018-09-20",
        "code": "7816/VPCP-TTĐT",
    }
    assert edxml.parse_document_id("không đúng dạng") is None


def test_revoke_package_names_the_document_it_revokes(tmp_path):
    path = variant(
        tmp_path,
        "<edXML:BussinessDocType>0</edXML:BussinessDocType>",
        "<edXML:BussinessDocType>1</edXML:BussinessDocType>",
    )
    text = path.read_text(encoding="utf-8").replace(
        "<edXML:DocumentId>",
        "<edXML:ResponseFor><edXML:OrganId>000.15.31.H99</edXML:OrganId>"
        "<edXML:Code>1250/SXD-VP</edXML:Code>"
        "<edXML:PromulgationDate>2026/10/20</edXML:PromulgationDate>"
        "<edXML:DocumentId>000.15.31.H99,2026/10/20,1250/SXD-VP</edXML:DocumentId>"
        "</edXML:ResponseFor><edXML:DocumentId>",
        1,
    )
    path.write_text(text, encoding="utf-8")
    doc = cchc.parse_file(path)
    assert doc.edxml["business"] == "revoke"
    assert doc.edxml["response_for"] == [
        {
            "organ_id": "000.15.31.H99",
            "code": "1250/SXD-VP",
            "date": "2026-10-20",
            "document_id": "000.15.31.H99,2026/10/20,1250/SXD-VP",
        }
    ]
    assert "gói edXML thu hồi văn bản 1250/SXD-VP" in doc.warnings


def test_markup_check_lets_a_package_through_and_still_refuses_other_xml():
    from cchc.readers import markup_kind

    assert markup_kind(PACKAGE.read_text(encoding="utf-8")) is None
    assert markup_kind('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')


def test_commands_that_want_plain_text_point_a_package_to_cchc_parse():
    answer = CliRunner().invoke(main, ["repair", str(PACKAGE)])
    assert answer.exit_code == errors.ExitCode.unsupported
    assert "gói tin edXML: hãy đọc bằng `cchc parse`" in answer.output


def test_extract_writes_each_attachment_under_a_safe_name(tmp_path):
    text = PACKAGE.read_text(encoding="utf-8")
    one = re.search(r"<Attachment>.*?</Attachment>", text, re.S).group(0)
    evil = one.replace(
        "<AttachmentName>cong-van-1287.txt", "<AttachmentName>../../etc/cong-van-1287.txt"
    )
    path = tmp_path / "goi.edxml"
    path.write_text(text.replace(one, one + evil), "utf-8")
    out = tmp_path / "ra"
    answer = CliRunner().invoke(main, ["edxml", "extract", str(path), str(out)])
    assert answer.exit_code == 0, answer.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["cong-van-1287-2.txt", "cong-van-1287.txt"]
    data = edxml.read_package(PACKAGE).attachments[0].data
    assert all(p.read_bytes() == data for p in out.iterdir())


# -- writing ---------------------------------------------------------------------------------


def export_cli(source: Path, out: Path, *options):
    """`cchc edxml export` from 000.15.31.H99 (to 000.00.31.H99 unless `options` name a --to)."""
    to = () if "--to" in options else ("--to", "000.00.31.H99")
    args = ["edxml", "export", str(source), "--from", "000.15.31.H99", *to, "-o", str(out)]
    return CliRunner().invoke(main, args + [str(o) for o in options])


FIELDS = ("type", "number", "symbol", "issuer", "parent_issuer", "place", "date", "subject")


def test_export_then_parse_gives_the_same_fields(tmp_path):
    source = tmp_path / "cong-van-1287.txt"
    source.write_bytes(edxml.read_package(PACKAGE).attachments[0].data)
    annex = tmp_path / "phu-luc.txt"
    annex.write_text("Phụ lục: danh mục thủ tục hành chính.", encoding="utf-8")
    out = tmp_path / "ra.edxml"
    answer = export_cli(source, out, "--to", "000.00.31.H99=UBND thị xã An Phú", "--attach", annex)
    assert answer.exit_code == 0, answer.output
    before, after = cchc.parse_file(source), cchc.parse_file(out)
    assert [getattr(after, f) for f in FIELDS] == [getattr(before, f) for f in FIELDS]
    assert after.signer == before.signer and after.distribution == before.distribution
    assert after.tasks == before.tasks and after.quality.source == "edxml"
    assert after.edxml["sender"]["organ_id"] == "000.15.31.H99"
    assert [a["name"] for a in after.edxml["attachments"]] == ["cong-van-1287.txt", "phu-luc.txt"]


def test_exported_package_prefixes_every_envelope_element(tmp_path):
    source = tmp_path / "cv.txt"
    source.write_bytes(edxml.read_package(PACKAGE).attachments[0].data)
    data = edxml.build_package(cchc.parse_file(source), edxml.Organ("000.15.31.H99"), [], [source])
    envelope = data.decode().split("<edXML:edXMLEnvelope", 1)[1].split("</edXML:edXMLEnvelope>")[0]
    assert not re.search(r"<(?!/|edXML:)", envelope)
    assert f'xmlns="{edxml.NS}"'.encode() in data


def test_reply_carries_response_for_the_package_it_answers(tmp_path):
    source = tmp_path / "bao-cao.txt"
    source.write_text(
        "UBND THỊ XÃ AN PHÚ\nSố: 88/BC-UBND\nAn Phú, ngày 08 tháng 12 năm 2026\nBÁO CÁO\n"
        "Kết quả cải cách hành chính quý IV năm 2026\n",
        encoding="utf-8",
    )
    out = tmp_path / "tra-loi.edxml"
    answer = export_cli(source, out, "--response-for", PACKAGE, "--priority", "3")
    assert answer.exit_code == 0, answer.output
    section = cchc.parse_file(out).edxml
    assert section["urgency"] == "Hỏa tốc"
    (target,) = section["response_for"]
    assert target["code"] == "1287/SXD-VP"
    assert target["document_id"] == "000.15.31.H99,2026/11/05,1287/SXD-VP"


@pytest.mark.parametrize("code", sorted(edxml.STATUS_CODES))
def test_status_message_written_then_read_gives_its_code(tmp_path, code):
    received = edxml.read_package(PACKAGE)
    data = edxml.build_status(
        received,
        code,
        edxml.Organ("000.00.31.H99", "UBND thị xã An Phú"),
        staff="Lê Thị Mai",
        department="Văn phòng",
    )
    path = tmp_path / "trang-thai.edxml"
    path.write_bytes(data)
    section = cchc.parse_file(path).edxml
    assert section["kind"] == "status"
    assert section["status"]["code"] == code
    assert section["status"]["label"] == edxml.STATUS_CODES[code]
    assert section["status"]["staff"] == "Lê Thị Mai"
    assert section["sender"]["organ_id"] == "000.00.31.H99"
    assert section["response_for"][0]["document_id"] == received.document_id


def test_status_cli_writes_the_answer_beside_the_package(tmp_path):
    package = tmp_path / "den.edxml"
    package.write_bytes(PACKAGE.read_bytes())
    answer = CliRunner().invoke(
        main, ["edxml", "status", str(package), "04", "--from", "000.00.31.H99"]
    )
    assert answer.exit_code == 0, answer.output
    written = tmp_path / "den.status-04.edxml"
    assert edxml.read_package(written).status.label == "Đã phân công"


def test_status_with_an_unknown_code_is_refused_in_words():
    with pytest.raises(errors.CchcError, match="mã trạng thái `07` không hợp lệ"):
        edxml.build_status(edxml.read_package(PACKAGE), "07", edxml.Organ("000.00.31.H99"))


def test_failed_export_writes_nothing(tmp_path):
    draft = tmp_path / "du-thao.txt"
    draft.write_text("Dự thảo kế hoạch, chưa có số.\nNội dung dự thảo.\n", encoding="utf-8")
    out = tmp_path / "ra.edxml"
    answer = export_cli(draft, out)
    assert answer.exit_code == errors.ExitCode.other
    assert "chưa có số, ký hiệu" in answer.output
    assert list(tmp_path.iterdir()) == [draft]


# -- bad packages ----------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE edXML [\n<!ENTITY a "hahahahahahahahahahaha">\n'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
)


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        ("<edXML xmlns=", "<<edXML xmlns=", errors.ExitCode.damaged, "không phải XML hợp lệ"),
        (
            'QCVN_102_2016">\n  <edXML:edXMLEnvelope',
            'QCVN_102_2015">\n  <edXML:edXMLEnvelope',
            errors.ExitCode.damaged,
            "phần tử gốc <edXML> thuộc không gian tên",
        ),
        (
            "<edXML:Subject>V/v báo cáo kết quả cải cách hành chính quý IV năm 2026"
            "</edXML:Subject>",
            '<Subject xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">V/v</Subject>',
            errors.ExitCode.damaged,
            "phần tử <Subject> (dòng",
        ),
        (
            "<edXML:CodeNumber>1287</edXML:CodeNumber>\n          "
            "<edXML:CodeNotation>SXD-VP</edXML:CodeNotation>",
            "",
            errors.ExitCode.damaged,
            "<edXML:Code> không có <edXML:CodeNumber>",
        ),
        (
            "<ContentTransferEncoded>\n",
            "<ContentTransferEncoded>\n@@@@",
            errors.ExitCode.damaged,
            "<Attachment> thứ 1 (cong-van-1287.txt, dòng",
        ),
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            BILLION_LAUGHS,
            errors.ExitCode.unsupported,
            "DOCTYPE/ENTITY",
        ),
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
            errors.ExitCode.unsupported,
            "DOCTYPE/ENTITY",
        ),
    ],
    ids=[
        "not-xml",
        "wrong-namespace",
        "unprefixed",
        "empty-code",
        "broken-base64",
        "billion-laughs",
        "external-entity",
    ],
)
def test_bad_package_is_refused_naming_file_and_element(tmp_path, old, new, code, words):
    path = variant(tmp_path, old, new)
    answer = parse_cli(path)
    assert answer.exit_code == code
    assert f"lỗi: {path}: " in answer.output and words in answer.output
    assert "Traceback" not in answer.output


def test_package_without_code_is_refused(tmp_path):
    text = PACKAGE.read_text(encoding="utf-8")
    path = tmp_path / "thieu-code.edxml"
    path.write_text(re.sub(r"<edXML:Code>.*?</edXML:Code>", "", text, flags=re.S), "utf-8")
    with pytest.raises(errors.DamagedFile, match="thiếu phần tử <edXML:Code>"):
        cchc.parse_file(path)


def test_entities_are_never_expanded_even_inside_an_attachment(tmp_path):
    path = variant(
        tmp_path,
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
    )
    path.write_text(
        path.read_text("utf-8").replace("<edXML:Subject>", "<edXML:Subject>&x;"), "utf-8"
    )
    with pytest.raises(errors.UnsupportedFile) as caught:
        edxml.read_package(path)
    assert "root:" not in str(caught.value)


def test_attachment_over_the_decoded_bound_is_refused_before_decoding(tmp_path):
    with pytest.raises(errors.FileTooLarge, match=r"giải mã ra .* quá giới hạn"):
        edxml.read_package(PACKAGE, max_attachment_bytes=100)
    with pytest.raises(errors.FileTooLarge, match="quá giới hạn"):
        edxml.read_package(PACKAGE, max_total_bytes=100)


def test_attachment_bomb_is_refused_with_too_large(tmp_path):
    bomb = base64.b64encode(b"\0" * 9_000_000).decode()
    path = variant(tmp_path, "<ContentTransferEncoded>\n", f"<ContentTransferEncoded>{bomb}")
    answer = parse_cli(path)
    assert answer.exit_code == errors.ExitCode.too_large
    assert "quá lớn" in answer.output or "quá giới hạn" in answer.output


def test_too_many_attachments_are_refused(tmp_path):
    text = PACKAGE.read_text(encoding="utf-8")
    one = re.search(r"<Attachment>.*?</Attachment>", text, re.S).group(0)
    path = tmp_path / "nhieu.edxml"
    path.write_text(text.replace(one, one * (edxml.MAX_ATTACHMENTS + 1)), "utf-8")
    with pytest.raises(errors.FileTooLarge, match="tệp đính kèm, quá giới hạn"):
        edxml.read_package(path)


def test_package_whose_attachment_is_unreadable_keeps_the_header(tmp_path):
    junk = base64.b64encode(b"\x00\x01\x02" * 50).decode()
    text = PACKAGE.read_text(encoding="utf-8")
    path = tmp_path / "goi.edxml"
    path.write_text(
        re.sub(
            r"<ContentTransferEncoded>.*?</ContentTransferEncoded>",
            f"<ContentTransferEncoded>{junk}</ContentTransferEncoded>",
            text,
            flags=re.S,
        ),
        "utf-8",
    )
    doc = cchc.parse_file(path)
    assert doc.number == "1287/SXD-VP" and doc.text == ""
    assert any("không đọc được tệp đính kèm cong-van-1287.txt" in w for w in doc.warnings)


# -- contract --------------------------------------------------------------------------------


def test_the_contract_names_every_key_of_the_edxml_section(tmp_path):
    received = edxml.read_package(PACKAGE)
    status = tmp_path / "s.edxml"
    status.write_bytes(edxml.build_status(received, "03", edxml.Organ("000.00.31.H99")))
    contract = (ROOT / "docs" / "document-json.md").read_text(encoding="utf-8")
    keys: set[str] = {"edxml"}
    for path in (PACKAGE, status):
        section = cchc.parse_file(path).edxml
        keys |= set(section) | set(section["sender"]) | set(section["status"] or {})
        for part in ("receivers", "attachments", "response_for"):
            for item in section[part]:
                keys |= set(item)
        keys |= set(section["document_ref"] or {})
    assert not {key for key in keys if f"`{key}`" not in contract}


def test_package_of_endless_markup_is_refused_before_the_tree_is_built(tmp_path):
    path = variant(
        tmp_path,
        "<edXML:DigitalSignature/>",
        "<edXML:DigitalSignature>" + "<x/>" * (edxml.MAX_MARKUP + 1) + "</edXML:DigitalSignature>",
    )
    answer = parse_cli(path)
    assert answer.exit_code == errors.ExitCode.too_large
    assert "thẻ XML" in answer.output


def test_deeply_nested_package_is_refused_as_damaged(tmp_path):
    path = variant(
        tmp_path,
        "<edXML:DigitalSignature/>",
        "<edXML:DigitalSignature>" + "<x>" * 5000 + "</x>" * 5000 + "</edXML:DigitalSignature>",
    )
    answer = parse_cli(path)
    assert answer.exit_code == errors.ExitCode.damaged
    assert "lồng nhau quá sâu" in answer.output

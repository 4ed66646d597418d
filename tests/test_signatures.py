"""Digital signatures of received PDFs: each fixture is signed here with pyHanko by a throw-away
certificate authority (tests/signed_pdfs.py); nothing is fetched from the network."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import cchc
from cchc import parse_file
from cchc.cli import main
from cchc.errors import CchcError
from cchc.signatures import (
    NO_ROOTS,
    TRUST_ROOTS_ENV,
    describe,
    load_trust_roots,
    read_signatures,
)
from tests.signed_pdfs import NOW, issue, make_root, plain_pdf, sign, write_roots

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "document-json.md"
PROVINCE = "UBND tỉnh Bình Long"


@pytest.fixture(scope="module")
def ca():
    root = make_root()
    return {
        "root": root,
        "person": issue(root, "Nguyễn Văn A", PROVINCE),
        "organisation": issue(root, PROVINCE, PROVINCE),
        # a certificate that expired 35 days ago, after 365 days of validity
        "expired": issue(
            root,
            "Trần Văn B",
            PROVINCE,
            not_before=NOW - dt.timedelta(days=400),
            not_after=NOW - dt.timedelta(days=35),
        ),
        "tsa": issue(
            root,
            "Dịch vụ cấp dấu thời gian thử",
            "Tổ chức thử",
            not_before=NOW - dt.timedelta(days=1000),
            timestamping=True,
        ),
    }


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> bytes:
    return plain_pdf(tmp_path_factory.mktemp("plain"))


@pytest.fixture
def roots(ca, tmp_path, monkeypatch) -> Path:
    """The deployment's trust roots: the test CA's root, named by CCHC_TRUST_ROOTS."""
    folder = write_roots(tmp_path / "roots", ca["root"])
    monkeypatch.setenv(TRUST_ROOTS_ENV, str(folder))
    return folder


@pytest.fixture
def no_roots(monkeypatch):
    monkeypatch.delenv(TRUST_ROOTS_ENV, raising=False)


def write(tmp_path: Path, data: bytes, name: str = "signed.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_signature_with_the_root_configured_is_intact_and_trusted(ca, pdf, roots, tmp_path):
    before = dt.datetime.now(dt.UTC)
    path = write(tmp_path, sign(pdf, ca["person"], ca["root"], tsa=ca["tsa"]))
    after = dt.datetime.now(dt.UTC)
    doc = parse_file(path)
    assert doc.number == "412/UBND-NV"  # the text is still read
    [sig] = doc.signatures
    assert (sig.signer, sig.organisation) == ("Nguyễn Văn A", PROVINCE)
    assert sig.intact and sig.trusted and not sig.modified_after
    signed_at = dt.datetime.fromisoformat(sig.signed_at)
    # the signing time is the moment of signing, not the (much earlier) import of the test module
    assert before - dt.timedelta(seconds=1) <= signed_at <= after + dt.timedelta(seconds=1)
    assert signed_at.utcoffset() == dt.timedelta(hours=7)
    assert sig.timestamp is not None
    assert "người ký đã được xác minh" in sig.reason
    assert not doc.warnings


def test_without_a_configured_root_a_signature_is_intact_but_the_signer_not_verified(
    ca, pdf, no_roots, tmp_path
):
    path = write(tmp_path, sign(pdf, ca["person"], ca["root"]))
    [sig] = parse_file(path).signatures
    assert sig.intact and not sig.trusted
    assert sig.reason == NO_ROOTS


def test_bytes_changed_after_signing_are_not_intact(ca, pdf, roots, tmp_path):
    signed = bytearray(sign(pdf, ca["person"], ca["root"]))
    at = signed.index(b"/Producer (") + len(b"/Producer (")  # inside the signed byte range
    signed[at] = ord("X") if signed[at] != ord("X") else ord("Y")
    [sig] = parse_file(write(tmp_path, bytes(signed))).signatures
    assert not sig.intact and not sig.trusted
    assert "mã băm không khớp" in sig.reason


def test_page_content_added_by_an_incremental_update_after_signing_is_modified_after(
    ca, pdf, roots, tmp_path
):
    signed = sign(pdf, ca["person"], ca["root"])
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    patch = generic.StreamObject(stream_data=b"q 1 0 0 RG 50 50 200 200 re S Q")
    writer.add_stream_to_page(0, writer.add_object(patch))
    out = io.BytesIO()
    writer.write(out)
    [sig] = parse_file(write(tmp_path, out.getvalue())).signatures
    assert sig.intact  # the signed revision itself is untouched
    assert sig.modified_after
    assert sig.reason.endswith("văn bản bị sửa sau khi ký (thay đổi nội dung)")
    assert describe(sig).endswith(
        "còn nguyên vẹn, đã xác minh người ký — văn bản bị sửa sau khi ký (thay đổi nội dung)"
    )


def test_signature_from_a_root_the_office_did_not_install_is_not_trusted(
    ca, pdf, tmp_path, monkeypatch
):
    stranger = make_root("CA lạ")
    signed = sign(pdf, issue(stranger, "Người lạ", "Đơn vị lạ"), stranger)
    monkeypatch.setenv(TRUST_ROOTS_ENV, str(write_roots(tmp_path / "roots", ca["root"])))
    [sig] = parse_file(write(tmp_path, signed)).signatures
    assert sig.intact and not sig.trusted
    assert "không dẫn đến chứng thư gốc tin cậy" in sig.reason


def test_person_and_organisation_signatures_are_both_listed_in_signing_order(
    ca, pdf, roots, tmp_path
):
    once = sign(pdf, ca["person"], ca["root"], field="ChuKyCaNhan")
    twice = sign(once, ca["organisation"], ca["root"], field="ChuKyToChuc")
    person, organisation = parse_file(write(tmp_path, twice)).signatures
    assert person.signer == "Nguyễn Văn A" and organisation.signer == PROVINCE
    assert all(s.intact and s.trusted for s in (person, organisation))
    # the organisation's signature after the person's is not a change of the document
    assert not person.modified_after and not organisation.modified_after


def test_signature_by_an_expired_certificate_is_not_trusted_and_says_expired(
    ca, pdf, roots, tmp_path
):
    [sig] = parse_file(write(tmp_path, sign(pdf, ca["expired"], ca["root"]))).signatures
    assert sig.intact and not sig.trusted
    assert "hết hạn" in sig.reason
    day = (NOW - dt.timedelta(days=35)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert day.strftime("%d/%m/%Y") in sig.reason


def test_broken_signature_blob_is_a_warning_and_an_unverified_entry_not_a_crash(
    ca, pdf, roots, tmp_path
):
    signed = sign(pdf, ca["person"], ca["root"])
    blob = re.search(rb"/Contents <([0-9a-fA-F]+)>", signed)
    broken = signed[: blob.start(1)] + b"0" * len(blob.group(1)) + signed[blob.end(1) :]
    doc = parse_file(write(tmp_path, broken))
    assert doc.number == "412/UBND-NV"
    [sig] = doc.signatures
    assert not sig.intact and not sig.trusted
    assert "hỏng" in sig.reason
    assert any("chữ ký số" in w and "hỏng" in w for w in doc.warnings)


def test_unsigned_pdf_has_no_signatures_and_no_warning(pdf, roots, tmp_path):
    doc = parse_file(write(tmp_path, pdf, "plain.pdf"))
    assert doc.signatures == [] and not doc.warnings


def test_missing_or_unreadable_trust_roots_are_warned_about(ca, pdf, tmp_path, monkeypatch):
    path = write(tmp_path, sign(pdf, ca["person"], ca["root"]))
    monkeypatch.setenv(TRUST_ROOTS_ENV, str(tmp_path / "khong-co"))
    doc = parse_file(path)
    assert not doc.signatures[0].trusted
    assert any("không tồn tại" in w for w in doc.warnings)

    folder = write_roots(tmp_path / "roots", ca["root"])
    (folder / "ghi-chu.txt").write_text("không phải chứng thư", encoding="utf-8")
    roots = load_trust_roots(folder)
    assert len(roots.certs) == 1 and any("ghi-chu.txt" in w for w in roots.warnings)
    [sig], _ = read_signatures(path, roots)
    assert sig.trusted


def test_parse_summary_shows_one_vietnamese_line_per_signature(ca, pdf, no_roots, tmp_path):
    once = sign(pdf, ca["person"], ca["root"], field="ChuKyCaNhan")
    twice = sign(once, ca["organisation"], ca["root"], field="ChuKyToChuc")
    answer = CliRunner().invoke(main, ["parse", str(write(tmp_path, twice))])
    assert answer.exit_code == 0, answer.output
    lines = [ln for ln in answer.output.splitlines() if ln.startswith("Chữ ký số")]
    assert len(lines) == 2
    assert re.search(
        rf"Nguyễn Văn A \({PROVINCE}\), ký lúc \d\d/\d\d/\d{{4}} \d\d:\d\d, còn nguyên vẹn, "
        "chưa xác minh người ký$",
        lines[0],
    )
    assert f"Chữ ký số           {PROVINCE}, ký lúc" in lines[1]  # a seal names its body once


def test_parse_json_prints_signatures_with_every_key_in_the_contract(ca, pdf, roots, tmp_path):
    path = write(tmp_path, sign(pdf, ca["person"], ca["root"], tsa=ca["tsa"]))
    answer = CliRunner().invoke(main, ["parse", "--json", str(path)])
    [sig] = json.loads(answer.output)["signatures"]
    assert sig["trusted"] is True and sig["signer"] == "Nguyễn Văn A"
    contract = CONTRACT.read_text(encoding="utf-8")
    assert {key for key in sig if f"`{key}`" not in contract} == set()


def test_document_page_shows_the_signatures_of_an_ingested_pdf(ca, pdf, login, tmp_path, no_roots):
    from cchc.web.documents.ingest import ingest_file

    once = sign(pdf, ca["person"], ca["root"], field="ChuKyCaNhan")
    twice = sign(once, ca["organisation"], ca["root"], field="ChuKyToChuc")
    doc = ingest_file(write(tmp_path, twice, "cong-van-ky-so.pdf")).document
    page = login("noivu").get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Chữ ký số (2)" in page
    assert "Nguyễn Văn A" in page and f"({PROVINCE})" in page
    assert "còn nguyên vẹn" in page and "chưa xác minh người ký" in page
    signed_at = dt.datetime.fromisoformat(doc.machine["signatures"][0]["signed_at"])
    assert f"ký lúc {signed_at:%d/%m/%Y %H:%M}" in page


def test_damaged_signed_pdfs_never_crash_the_parse(ca, pdf, roots, tmp_path):
    """Truncated, bit-flipped and zeroed copies of a twice-signed PDF: each parses with its
    signatures judged or a warning, or fails with the reader's own CchcError."""
    once = sign(pdf, ca["person"], ca["root"], field="ChuKyCaNhan")
    signed = sign(once, ca["organisation"], ca["root"], field="ChuKyToChuc")
    rnd = random.Random(18)
    for n in range(45):
        data = bytearray(signed)
        if n % 3 == 0:
            data = data[: rnd.randrange(len(data) // 2, len(data))]
        elif n % 3 == 1:
            for _ in range(5):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        else:
            at = rnd.randrange(len(data))
            data[at : at + 50] = b"\0" * 50
        path = write(tmp_path, bytes(data), f"hong-{n}.pdf")
        try:
            doc = parse_file(path, ocr=False)
        except CchcError:
            continue
        assert all(s.trusted <= s.intact for s in doc.signatures)


def test_signature_timestamped_while_the_certificate_was_valid_stays_trusted_after_expiry(
    ca, pdf, roots, tmp_path
):
    signed = sign(
        pdf, ca["expired"], ca["root"], tsa=ca["tsa"], timestamp_at=NOW - dt.timedelta(days=100)
    )
    [sig] = parse_file(write(tmp_path, signed)).signatures
    assert sig.intact and sig.trusted
    assert "còn hiệu lực" in sig.reason and "hết hạn" in sig.reason
    assert dt.datetime.fromisoformat(sig.timestamp) < NOW - dt.timedelta(days=99)


def test_unsigned_pdf_is_parsed_without_loading_pyhanko(pdf, tmp_path):
    path = write(tmp_path, pdf, "plain.pdf")
    code = (
        "import sys, cchc; doc = cchc.parse_file(sys.argv[1]); "
        "print(doc.number, 'pyhanko' in sys.modules)"
    )
    src = str(Path(cchc.__file__).resolve().parents[1])  # this checkout's cchc
    answer = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": src},
    )
    assert answer.stdout.split() == ["412/UBND-NV", "False"]


def test_validation_fetches_nothing_from_the_certificate_urls(ca, pdf, roots, tmp_path):
    """The signer's certificate names CRL, OCSP and issuer URLs on a loopback listener: with the
    roots configured offline, nothing connects to it (a fetch would wait in its backlog)."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        who = issue(ca["root"], "Nguyễn Văn A", PROVINCE, revocation_url=url)
        [sig] = parse_file(write(tmp_path, sign(pdf, who, ca["root"]))).signatures
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()
    assert sig.trusted


def test_signature_of_a_kind_pyhanko_cannot_check_is_listed_unverified_with_a_warning(
    ca, pdf, roots, tmp_path
):
    signed = sign(pdf, ca["person"], ca["root"])
    old = b"/SubFilter /adbe.pkcs7.detached"
    assert old in signed
    signed = signed.replace(old, b"/SubFilter /adbe.pkcs7.sha1".ljust(len(old)))
    doc = parse_file(write(tmp_path, signed))
    [sig] = doc.signatures
    assert (sig.signer, sig.intact, sig.trusted) == ("Nguyễn Văn A", False, False)
    assert sig.reason == "kiểu chữ ký /adbe.pkcs7.sha1 chưa được hỗ trợ, không kiểm tra được"
    assert any("chưa được hỗ trợ" in w for w in doc.warnings)

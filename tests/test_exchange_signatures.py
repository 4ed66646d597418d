"""Digital signatures in the registry and search: a document-level summary set at ingest (none,
valid, intact but unverified, broken), the registry marking broken ones, and the filter
"có chữ ký số / không có chữ ký / chữ ký hỏng" on both pages. PDFs are signed in the test by a
throw-away CA (tests/signed_pdfs.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.signatures import TRUST_ROOTS_ENV
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document, signature_state
from tests.signed_pdfs import issue, make_root, plain_pdf, sign, write_roots

pytest.importorskip("pyhanko")


@pytest.fixture(scope="module")
def ca():
    root = make_root()
    return {"root": root, "person": issue(root, "Nguyễn Văn A", "UBND tỉnh Bình Long")}


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> bytes:
    return plain_pdf(tmp_path_factory.mktemp("plain"))


def _client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="xem"))
    return client


def _ingest(tmp_path, name: str, data: bytes) -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    job = ingest_file(path)
    assert job.document is not None, job.message
    return job.document


def _tampered(signed: bytes) -> bytes:
    """One byte inside the signed byte range changed: the signature no longer matches."""
    data = bytearray(signed)
    at = data.index(b"/Producer (") + len(b"/Producer (")
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    return bytes(data)


@pytest.fixture
def three(deployment, ca, pdf, tmp_path, monkeypatch):
    """An unsigned, a signed (root installed) and a tampered signed PDF, ingested."""
    monkeypatch.setenv(TRUST_ROOTS_ENV, str(write_roots(tmp_path / "roots", ca["root"])))
    signed = sign(pdf, ca["person"], ca["root"])
    return {
        "none": _ingest(tmp_path, "khong-ky.pdf", pdf + b"\n% khac\n"),
        "valid": _ingest(tmp_path, "da-ky.pdf", signed),
        "broken": _ingest(tmp_path, "ky-hong.pdf", _tampered(signed)),
    }


def test_ingest_sums_up_the_signatures_of_each_document(three):
    assert three["none"].signature_state == ""
    assert three["valid"].signature_state == Document.SignatureState.VALID
    assert three["broken"].signature_state == Document.SignatureState.BROKEN


def test_without_a_trust_root_a_signed_pdf_is_intact_but_unverified(
    deployment, ca, pdf, tmp_path, monkeypatch
):
    monkeypatch.delenv(TRUST_ROOTS_ENV, raising=False)
    doc = _ingest(tmp_path, "da-ky.pdf", sign(pdf, ca["person"], ca["root"]))
    assert doc.signature_state == Document.SignatureState.UNVERIFIED


def test_the_summary_lets_a_broken_signature_win():
    good = {"intact": True, "modified_after": False, "trusted": True}
    assert signature_state([]) == ""
    assert signature_state([good]) == "hop-le"
    assert signature_state([good, {**good, "trusted": False}]) == "chua-xac-minh"
    assert signature_state([good, {**good, "modified_after": True}]) == "hong"


def _registry_ids(query: str) -> set[int]:
    page = _client().get(f"/van-ban/?{query}")
    assert page.status_code == 200
    return {d.pk for d in page.context["page"].object_list}


def test_registry_filters_on_signatures_and_marks_broken_ones(three):
    ids = {k: d.pk for k, d in three.items()}
    assert _registry_ids("chu-ky=co") == {ids["valid"], ids["broken"]}
    assert _registry_ids("chu-ky=khong") == {ids["none"]}
    assert _registry_ids("chu-ky=hong") == {ids["broken"]}
    page = _client().get("/van-ban/").content.decode()
    assert page.count("Chữ ký số hỏng</span>") == 1


def test_search_filters_on_signatures(three):
    def found(value: str) -> set[int]:
        page = _client().get(f"/tim-kiem/?q=ky+cuong&chu-ky={value}")
        assert page.status_code == 200
        return {d.pk for d, _snippet in page.context["hits"]}

    ids = {k: d.pk for k, d in three.items()}
    assert found("co") == {ids["valid"], ids["broken"]}
    assert found("khong") == {ids["none"]}
    assert found("hong") == {ids["broken"]}


def test_an_unknown_signature_filter_is_a_clear_400(deployment):
    answer = _client().get("/van-ban/?chu-ky=maybe")
    assert answer.status_code == 400
    assert "chu-ky" in answer.content.decode()


def test_the_document_page_shows_the_summary(three):
    page = _client().get(f"/van-ban/{three['broken'].pk}/").content.decode()
    assert "Chữ ký số hỏng" in page and "không còn nguyên vẹn" in page

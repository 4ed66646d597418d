"""Confidential documents (độ mật, or kept in a secret register) are read only by those who keep
and direct them and by the units given work from them: the page, its files, the registry, the
incoming register, search and the API all follow `documents.services.readable`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cchc.web.accounts.models import Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document, Register
from cchc.web.work.models import Task

FIXTURE = Path(__file__).parent / "fixtures" / "cong-van-giao-viec-noi-vu-an-lac.txt"
AN_LAC = "UBND phường An Lạc"


@pytest.fixture
def doc(deployment) -> Document:
    return ingest_file(FIXTURE, get_user_model().objects.get(username="vanthu")).document


def _pages(doc: Document) -> list[str]:
    return [
        f"/van-ban/{doc.pk}/",
        f"/van-ban/{doc.pk}/tep/",
        f"/van-ban/{doc.pk}/phieu-giai-quyet.docx",
        f"/api/documents/{doc.pk}/",
    ]


def _listed(client, doc: Document) -> dict[str, bool]:
    """Where the document shows for the logged-in client: registry, incoming register, API
    list, search (by a word of its subject)."""
    registry = client.get("/van-ban/").content.decode()
    register = client.get("/van-ban/den/").content.decode()
    api = client.get("/api/documents/").json()
    rows = api["results"] if isinstance(api, dict) else api
    found = client.get("/api/search/", {"q": "rà soát thủ tục hành chính"}).json()
    page = client.get("/tim-kiem/", {"q": "rà soát thủ tục hành chính"}).content.decode()
    link = f'href="/van-ban/{doc.pk}/"'
    return {
        "registry": link in registry,
        "register": link in register,
        "api": any(r["id"] == doc.pk for r in rows),
        "search-api": any(r["id"] == doc.pk for r in found["results"]),
        "search": link in page,
    }


def test_an_ordinary_document_is_read_by_everyone(doc, login):
    client = login("xem")
    for url in _pages(doc):
        assert client.get(url).status_code == 200, url
    assert all(_listed(client, doc).values())


@pytest.mark.parametrize("how", ["secrecy", "register"])
def test_a_confidential_document_is_hidden_from_who_has_no_part_in_it(doc, login, how):
    if how == "secrecy":
        Document.objects.filter(pk=doc.pk).update(secrecy=Document.Secrecy.SECRET)
    else:
        secret = Register.objects.create(name="Sổ văn bản mật đến", direction="den", secret=True)
        Document.objects.filter(pk=doc.pk).update(register=secret)
    viewer = login("xem")
    for url in _pages(doc):
        assert viewer.get(url).status_code in (403, 404), url
    assert "Văn bản mật" in viewer.get(f"/van-ban/{doc.pk}/").content.decode()
    assert not any(_listed(viewer, doc).values())
    for keeper in ("vanthu", "lanhdao"):
        client = login(keeper)
        assert client.get(f"/van-ban/{doc.pk}/").status_code == 200
        assert all(_listed(client, doc).values()), keeper


def test_a_unit_reads_a_confidential_document_once_it_is_given_work_from_it(doc, login):
    Document.objects.filter(pk=doc.pk).update(secrecy=Document.Secrecy.SECRET)
    officer = login("anlac")
    assert officer.get(f"/van-ban/{doc.pk}/").status_code == 403
    an_lac = Unit.objects.get(name=AN_LAC)
    # a proposal for the unit is not yet work: still refused
    Task.objects.create(document=doc, unit=an_lac, action="báo cáo kết quả", state="proposed")
    assert officer.get(f"/van-ban/{doc.pk}/").status_code == 403
    Task.objects.create(document=doc, unit=an_lac, action="rà soát", state="confirmed")
    assert officer.get(f"/van-ban/{doc.pk}/").status_code == 200
    assert officer.get(f"/van-ban/{doc.pk}/tep/").status_code == 200
    listed = _listed(officer, doc)
    assert listed["registry"] and listed["api"] and listed["search"], listed
    # another unit's officer still cannot
    assert login("xem").get(f"/van-ban/{doc.pk}/").status_code == 403


def _search_total(client) -> int:
    return client.get("/api/search/", {"q": "rà soát thủ tục hành chính"}).json()["total"]


def test_search_counts_no_confidential_document_its_reader_may_not_open(doc, login):
    ordinary = _search_total(login("xem"))
    assert ordinary >= 1
    Document.objects.filter(pk=doc.pk).update(secrecy=Document.Secrecy.SECRET)
    assert _search_total(login("vanthu")) == ordinary
    viewer = login("xem")  # one client: each login replaces the last
    assert _search_total(viewer) == ordinary - 1  # not even counted
    page = viewer.get("/tim-kiem/", {"q": "rà soát thủ tục hành chính"}).content.decode()
    assert f'href="/van-ban/{doc.pk}/"' not in page


def test_the_registers_show_a_confidential_document_only_to_who_may_read_it(doc, login):
    an_lac = Unit.objects.get(name=AN_LAC)
    Task.objects.create(document=doc, unit=an_lac, action="rà soát", state="confirmed")
    Document.objects.filter(pk=doc.pk).update(secrecy=Document.Secrecy.SECRET)
    doc.refresh_from_db()
    link = f'href="/van-ban/{doc.pk}/"'
    day = doc.received_date.strftime("%d/%m/%Y")
    tracking = f"/so/giai-quyet-van-ban-den/?tu={day}&den={day}"
    assert link in login("vanthu").get(tracking).content.decode()
    assert link in login("anlac").get(tracking).content.decode()  # given work from it
    assert link not in login("xem").get(tracking).content.decode()
    # the same document as an outgoing one: the register of outgoing documents hides it too
    Document.objects.filter(pk=doc.pk).update(direction=Document.Direction.OUTGOING)
    outgoing = f"/so/van-ban-di/?tu={doc.date:%d/%m/%Y}&den={doc.date:%d/%m/%Y}"
    assert link in login("vanthu").get(outgoing).content.decode()
    assert link not in login("xem").get(outgoing).content.decode()
    export = login("xem").get(outgoing + "&dinh-dang=xlsx")
    assert export.status_code == 200 and doc.subject[:30].encode() not in export.content

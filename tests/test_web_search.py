"""Search ignores diacritics and case, keeps quoted phrases exact, and highlights the original."""

from __future__ import annotations

import pytest

from cchc.web.documents import search
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.services import apply_corrections


@pytest.fixture
def registry(deployment, sample_path):
    names = [
        "cong-van-tang-cuong-cchc.txt",
        "thong-bao-ket-luan.txt",
        "ke-hoach-cchc-2026.md",
        "quyet-dinh-kiem-tra-cchc.txt",
        "bao-cao-quy-1-2026.txt",
    ]
    return {n: ingest_file(sample_path(n)).document for n in names}


def found(text: str, **filters) -> list[str]:
    results = search.search(search.Query.parse(text), filters)
    from cchc.web.documents.models import Document

    return [Document.objects.get(pk=i).number for i in results.ids]


def test_words_typed_without_diacritics_find_the_accented_text(registry):
    assert "412/UBND-NV" in found("cai cach hanh chinh")
    assert found("cai cach hanh chinh") == found("CẢI CÁCH HÀNH CHÍNH")


def test_d_finds_đ(registry):
    assert found("doan kiem tra") == found("Đoàn kiểm tra")
    assert "95/QĐ-UBND" in found("doan kiem tra")


def test_a_quoted_phrase_must_appear_as_written(registry):
    scattered = found("kết luận giám đốc")
    phrase = found('"ket luan cua giam doc"')
    assert phrase == ["33/TB-SNV"]
    assert set(phrase) <= set(scattered)


def test_a_document_number_is_found_as_a_phrase(registry):
    assert found("412/UBND-NV")[0] == "412/UBND-NV"
    assert found("412/ubnd-nv")[0] == "412/UBND-NV"


def test_filters_narrow_and_facets_count_the_matches(registry):
    results = search.search(search.Query.parse("cai cach"), {})
    types = dict(results.facets["type"])
    assert types["Công văn"] == 1 and sum(types.values()) == results.total
    assert found("cai cach", type="Công văn") == ["412/UBND-NV"]
    assert found("cai cach", year=2025) == []


def test_sort_by_date_puts_the_newest_first(registry):
    results = search.search(search.Query.parse("cai cach hanh chinh"), {}, order="date")
    from cchc.web.documents.models import Document

    dates = [Document.objects.get(pk=i).date for i in results.ids]
    assert dates == sorted(dates, reverse=True)


def test_snippets_mark_the_original_accented_words():
    text = "Về việc tăng cường công tác cải cách hành chính năm 2026 trên địa bàn thị xã."
    html = search.snippet(text, search.Query.parse("cai cach hanh chinh"))
    assert "<mark>cải cách hành chính</mark>" in html


def test_snippets_escape_the_document_text():
    html = search.snippet("<script>alert(1)</script> cải cách", search.Query.parse("cai cach"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_snippets_of_long_documents_look_for_the_phrase_near_the_top_only():
    filler = "Các cơ quan (phòng, ban) triển khai thực hiện nghiêm túc. " * 800  # ~46,000 chars
    late_phrase = "Công tác cải cách được quan tâm. " + filler + "Kết quả cải cách hành chính."
    html = search.snippet(late_phrase, search.Query.parse("cai cach hanh chinh"))
    assert html.startswith("Công tác <mark>cải</mark> <mark>cách</mark>")  # terms at the top
    only_late = filler + "Kết quả cải cách hành chính năm 2026."
    html = search.snippet(only_late, search.Query.parse("cai cach hanh chinh"))
    assert "<mark>cải cách hành chính</mark> năm 2026" in html  # found at the end all the same


def test_a_corrected_field_is_searchable_and_the_old_value_is_not(registry, deployment):
    from django.contrib.auth import get_user_model

    doc = registry["thong-bao-ket-luan.txt"]
    apply_corrections(
        doc,
        {"subject": "Kết luận về chuyển đổi số ở phường Xuân Trường"},
        get_user_model().objects.get(username="noivu"),
    )
    assert found("xuan truong") == ["33/TB-SNV"]
    assert "33/TB-SNV" in found("giam doc so noi vu")  # still in the body text


def test_punctuation_only_queries_are_empty():
    assert not search.Query.parse(' " ; / - " ')


def test_search_page_shows_hits_with_highlights(registry, login):
    page = login("xem").get("/tim-kiem/", {"q": "cai cach hanh chinh"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "412/UBND-NV" in body and "<mark>" in body


def test_search_api_answers_json(registry, login):
    answer = login("xem").get("/api/search/", {"q": '"nâng cao chỉ số"'}).json()
    assert answer["total"] >= 1
    assert all("<mark>" in r["snippet"] for r in answer["results"])


def test_a_corrected_type_is_what_the_type_filter_finds(registry, deployment):
    from django.contrib.auth import get_user_model

    doc = registry["thong-bao-ket-luan.txt"]
    apply_corrections(doc, {"type": "Kết luận"}, get_user_model().objects.get(username="noivu"))
    assert found("ket luan", type="Kết luận") == ["33/TB-SNV"]
    assert found("ket luan", type="Thông báo") == []


def test_a_broad_query_is_answered_from_its_newest_matches(registry, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    results = search.search(search.Query.parse("cai cach hanh chinh"), {})
    assert results.capped and results.total == 2
    newest = sorted(registry.values(), key=lambda d: d.pk)[-2:]
    assert set(results.ids) == {d.pk for d in newest}
    assert sum(n for _, n in results.facets["type"]) == 2


@pytest.mark.parametrize("id_scan_cost", [0.0, 1e9])
def test_both_postgresql_plans_find_the_newest_matches(registry, monkeypatch, id_scan_cost):
    """PostgreSQL reads on from the probed rows or takes every match from the GIN index,
    whichever its probe says is cheaper; either way the newest matches come back."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    monkeypatch.setattr(search, "PROBE", 1)
    monkeypatch.setattr(search, "ID_SCAN_COST", id_scan_cost)
    newest = sorted(registry.values(), key=lambda d: d.pk)[-3:]
    for text in ("cai cach hanh chinh", '"cải cách hành chính"'):
        results = search.search(search.Query.parse(text), {}, order="date")
        assert results.capped and results.total == 3
        assert set(results.ids) == {d.pk for d in newest}


def test_the_registry_counts_exactly_up_to_a_limit_then_estimates(registry, login, monkeypatch):
    """Beyond COUNT_EXACTLY documents PostgreSQL's estimate is shown, not a count of every row
    (SQLite counts); the page itself is the same either way."""
    from django.db import connection

    from cchc.web.documents import views

    body = login("xem").get("/van-ban/").content.decode()
    assert "5 văn bản" in body and "Khoảng" not in body
    monkeypatch.setattr(views, "COUNT_EXACTLY", 2)
    body = login("xem").get("/van-ban/").content.decode()
    assert ("Khoảng" in body) == (connection.vendor == "postgresql")
    assert all(doc.number in body for doc in registry.values())

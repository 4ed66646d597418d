"""The document page marks the fields the machine read with low confidence (quality.uncertain)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from cchc.web.documents.ingest import ingest_file

FIXTURES = Path(__file__).parent / "fixtures" / "repair"


def _marked_labels(html: str) -> list[str]:
    """Labels of the fields form followed by the review mark."""
    return re.findall(r"<label>([^<]+?) <mark class=\"review\"", html)


def test_uncertain_fields_of_a_garbled_document_are_marked_for_review(login, media):
    doc = ingest_file(FIXTURES / "cong-van-garbled.txt", tasks=False).document
    assert {"number", "date"} <= set(doc.quality["uncertain"])
    html = login("vanthu").get(reverse("document", args=[doc.pk])).content.decode()
    marked = _marked_labels(html)
    assert "Số, ký hiệu" in marked
    assert "Ngày ban hành" in marked
    assert "Cơ quan ban hành" not in marked


def test_a_clean_document_has_no_review_marks(login, media, sample_path):
    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt"), tasks=False).document
    html = login("vanthu").get(reverse("document", args=[doc.pk])).content.decode()
    assert _marked_labels(html) == []
    assert "cần kiểm tra" not in html

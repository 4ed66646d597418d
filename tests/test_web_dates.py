"""Dates are typed as dd/mm/yyyy whatever the browser's locale: text inputs with that
placeholder, read on the server as dd/mm/yyyy (ISO still accepted), a Vietnamese message when
the text is not a date."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cchc.web.forms import DayField


@pytest.mark.parametrize(
    "text, day",
    [
        ("15/12/2025", date(2025, 12, 15)),
        ("5/3/2026", date(2026, 3, 5)),
        ("2025-12-15", date(2025, 12, 15)),
    ],
)
def test_a_day_is_read_as_dd_mm_yyyy_or_iso(text, day):
    assert DayField().clean(text) == day


@pytest.mark.parametrize("text", ["12/31/2025", "31/02/2026", "1/1/99999999999999999999", "mai"])
def test_a_wrong_day_answers_a_vietnamese_message(text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="dd/mm/yyyy"):
        DayField().clean(text)


def test_a_day_field_is_a_text_input_with_a_dd_mm_yyyy_placeholder():
    html = DayField().widget.render("since", date(2026, 3, 5))
    assert 'type="text"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'value="05/03/2026"' in html


def test_the_document_edit_form_asks_for_the_date_as_dd_mm_yyyy(login, sample_path):
    from cchc.web.documents.ingest import ingest_file

    job = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt"))
    page = login("noivu").get(f"/van-ban/{job.document_id}/").content.decode()
    field = re.search(r'<input name="date"[^>]*>', page)[0]
    assert 'value="14/03/2026"' in field
    assert 'placeholder="dd/mm/yyyy"' in field and 'type="date"' not in field

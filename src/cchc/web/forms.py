"""Form pieces every page shares: dates typed as dd/mm/yyyy whatever the browser's locale."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from cchc.dates import InvalidDate, parse_user_date

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_PATTERN = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}"


class DayInput(forms.DateInput):
    """A text box, not the browser's date picker (whose order follows the browser's locale)."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "pattern": DATE_PATTERN,
            "inputmode": "numeric",
            "title": "Ngày dạng dd/mm/yyyy, ví dụ 15/12/2025",
            "autocomplete": "off",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DayField(forms.DateField):
    """A date read as dd/mm/yyyy (or ISO, for scripts and links) by the core's one date grammar
    (`cchc.dates.parse_user_date`), with its Vietnamese message when it is not one."""

    widget = DayInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if ISO.fullmatch(text):
            text = "/".join(reversed(text.split("-")))
        try:
            return parse_user_date(text)
        except InvalidDate as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

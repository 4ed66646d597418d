"""Template filters that show codes as words and numbers the Vietnamese way. Registered as
builtins (settings.TEMPLATES), so every template has them without `{% load %}`.

- `{{ task.recurrence|rrule_words }}`: "Hằng năm, ngày 15 tháng 12" (the raw rule when it is one
  this cannot say);
- `{{ task.period|period_words }}`: "Quý I năm 2026", "6 tháng đầu năm 2026", "Năm 2026";
- `{{ doc.quality.source|text_source }}`: "Nhận dạng chữ (OCR)" for `ocr`;
- `{{ change|signed }}`: "+1,25" / "−0,5" with a decimal comma and a
  real minus sign (U+2212).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

from cchc.extract.recurrence_words import period_in_words, recurrence_in_words

register = template.Library()

TEXT_SOURCES = {
    "text": "Chữ có sẵn trong tệp",
    "pdf-text": "Chữ có sẵn trong tệp PDF",
    "docx": "Chữ có sẵn trong tệp Word",
    "ocr": "Nhận dạng chữ (OCR)",
    "repaired": "Đã khôi phục dấu",
}
MINUS = "\u2212"


@register.filter
def rrule_words(rule: str | None) -> str:
    if not rule:
        return ""
    return recurrence_in_words(rule) or rule


@register.filter
def period_words(period: str | None) -> str:
    if not period:
        return ""
    return period_in_words(period) or period


@register.filter
def text_source(code: str | None) -> str:
    if not code:
        return ""
    return TEXT_SOURCES.get(code, code)


@register.filter
def signed(value, places: str = "-2") -> str:
    """A difference with its sign: "+1,25", "−0,5", "0" (places as floatformat's: "-2" is up to
    two decimals, trailing zeros dropped)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    shown = floatformat(abs(number), places)
    if number == 0 or not shown.strip("0,"):
        return "0"
    return ("+" if number > 0 else MINUS) + shown

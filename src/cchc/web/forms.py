"""Form pieces every page shares: dates typed as dd/mm/yyyy whatever the browser's locale."""

from __future__ import annotations

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]  # ISO kept for scripts and links
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
    """A date read as dd/mm/yyyy (or ISO), with a Vietnamese message when it is not one."""

    widget = DayInput
    input_formats = DATE_FORMATS
    default_error_messages = {
        "invalid": "Ngày không hợp lệ: nhập dạng dd/mm/yyyy, ví dụ 15/12/2025."
    }

"""Reading numbers from a request's parameters, the one way every page and API endpoint does it.

A parameter a person or a script got wrong (`unit=²`, `unit=99999999999999999999`, `year=1`)
raises InvalidRequest with a Vietnamese message; `InvalidRequestMiddleware` answers it with a 400
page, or JSON under /api/, instead of a 500.
"""

from __future__ import annotations

from cchc.dates import MAX_YEAR, MIN_YEAR

# The largest primary key the databases store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class InvalidRequest(ValueError):
    """A request the user must change: the message (Vietnamese) says what is wrong."""


def as_id(value: str, label: str) -> int:
    """`value` as a row id; InvalidRequest naming the `label` for anything that is no id."""
    value = value.strip()
    # str.isdigit() takes '²' and other digits int() refuses: only ASCII digits are ids
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        raise InvalidRequest(f"Mã {label} không hợp lệ: “{value[:40]}”.")
    return int(value)


def id_param(params, name: str, label: str, allow: tuple[str, ...] = ()) -> int | str | None:
    """The id in `params[name]`: None when absent or empty, one of `allow` as it is (e.g. "all"),
    an int otherwise; InvalidRequest for anything that is no id."""
    value = (params.get(name) or "").strip()
    if not value or value in allow:
        return value or None
    return as_id(value, label)


def int_param(params, name: str, label: str, low: int, high: int, default: int) -> int:
    """A whole number between `low` and `high`; `default` when absent."""
    value = (params.get(name) or "").strip()
    if not value:
        return default
    if not (value.isascii() and value.lstrip("-").isdigit()) or not low <= int(value) <= high:
        raise InvalidRequest(f"{label} không hợp lệ: “{value[:40]}” (từ {low} đến {high}).")
    return int(value)


def year_param(params, name: str = "year", default: int | None = None) -> int | None:
    """A year cchc works with (MIN_YEAR…MAX_YEAR), or `default` when absent."""
    if not (params.get(name) or "").strip():
        return default
    return int_param(params, name, "Năm", MIN_YEAR, MAX_YEAR, MIN_YEAR)

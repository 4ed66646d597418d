"""Which fields of a parsed document were read from doubtful parts of repaired text.

The repair reports the spans of its text it is not sure of (`RepairReport.doubtful`: words left as
printed, costly edits, names the lexicon could not tell apart, numbers and dates whose digits
came from look-alike letters, unknown ký hiệu). A header field whose text overlaps one of them is
listed in `quality.uncertain`, for a person to check; so is a signer whose name the lexicon of
personal names did not read, and a number whose ký hiệu is not in the shape of its issuer's
notation (`cchc.repair.notation`).
"""

from __future__ import annotations

import re

from cchc.document import Document
from cchc.repair.notation import notation_doubt
from cchc.repair.ocr_errors import RepairReport
from cchc.text import canonical

_DATE = re.compile(r"[Nn]gày \d{1,2} tháng \d{1,2} năm \d{4}")


def _span(text: str, value: str | None, last: bool = False) -> tuple[int, int] | None:
    """Where `value` is printed in `text` (white space may differ), first or last occurrence."""
    if not value:
        return None
    words = [re.escape(w) for w in value.split()]
    if not words:
        return None
    pattern = re.compile(r"\s*".join(words[:12]), re.IGNORECASE)
    found = list(pattern.finditer(text)) if last else [pattern.search(text)]
    found = [m for m in found if m]
    if not found:
        return None
    m = found[-1] if last else found[0]
    return m.start(), m.end()


def uncertain_fields(doc: Document, report: RepairReport) -> list[str]:
    """The fields of `doc` (`number`, `date`, `place`, `type`, `issuer`, `subject`, `signer`)
    read from doubtful spans of `report.text`."""
    text = report.text
    spans = {
        "number": _span(text, doc.number),
        "date": (m.start(), m.end()) if (m := _DATE.search(text)) and doc.date else None,
        "place": _span(text, doc.place),
        "issuer": _span(text, doc.issuer),
        "subject": _span(text, doc.subject),
        "signer": _span(text, doc.signer.name if doc.signer else None, last=True),
    }
    out = []
    for name, span in spans.items():
        if span is None:
            continue
        start, end = span
        if any(a < end and start < b for a, b in report.doubtful):
            out.append(name)
    if doc.signer and doc.signer.name and "signer" not in out:
        # A name the lexicon did not read (its family name unknown, or not on a line of its own)
        # is the general model's guess.
        read = {canonical(n).lower() for n in report.names}
        if canonical(doc.signer.name.strip()).lower() not in read:
            out.append("signer")
    if "number" not in out and notation_doubt(doc.number, text, doc.issuer, doc.parent_issuer):
        out.append("number")  # cut short, in small letters, or no part known: not the notation
    if "number" in out and doc.type and doc.symbol and doc.type != "Công văn":
        out.append("type")  # the type was read from the doubtful symbol
    return out

"""cchc: read, understand and track Vietnamese administrative documents.

`cchc.parse_file(path)` runs the front of the flow: read → parse → Document.
"""

from __future__ import annotations

import mmap
from pathlib import Path

from cchc import edxml
from cchc.document import Document, Quality
from cchc.errors import CchcError
from cchc.ocr import mark_uncertain
from cchc.parse import parse_text
from cchc.readers import Source, read_file
from cchc.repair import GARBLED_BELOW, marked_share, needs_repair, repair_report
from cchc.repair import repair as repair_text  # keep `cchc.repair` the module
from cchc.repair.fields import uncertain_fields
from cchc.text import vn_number

__all__ = ["CchcError", "Document", "parse_file", "parse_text"]

# Garbled or unmarked text repaired at most: the n-gram repair reads ~20,000 characters a second,
# so this is ~5 s (~30 pages) and keeps `parse_file` of a text file near `PARSE_BUDGET_S`. Scans
# are exempt: their OCR, minutes for 30 pages, is the cost that matters there.
MAX_REPAIR_CHARS = 100_000
# On text read through OCR or diacritic repair, a task this unsure is not proposed: junk costs the
# leader more than a duty added by hand. Chosen on the tune split's garbled twins (bench/tasks.py):
# the lowest confidence at which the proposals kept are right 90% of the time there.
UNSURE_TEXT_TASK_BELOW = 0.34


def parse_file(path: str | Path, ocr: bool = True, progress=None, tasks: bool = True) -> Document:
    """Read any supported file (scans through OCR unless `ocr` is False) and parse it.

    Raises a `CchcError` naming the file when it cannot. An edXML package is read by
    `cchc.edxml`: its header gives the fields, its main attachment the text. The digital
    signatures of a signed PDF are checked (`cchc.signatures`)."""
    if edxml.is_package(path):
        return edxml.parse_package(path, ocr=ocr, progress=progress, tasks=tasks)
    source = read_file(path, ocr=ocr, progress=progress)
    doc = parse_source(source, str(path), tasks=tasks)
    if source.kind in ("pdf-text", "ocr") and _may_be_signed(path):
        from cchc.signatures import read_signatures  # pyHanko loads in ~0.7 s: only when needed

        doc.signatures, signature_warnings = read_signatures(path)
        doc.warnings += signature_warnings
    return doc


def parse_source(source: Source, file: str, tasks: bool = True) -> Document:
    """Parse text already read from a file (diacritics repaired when needed)."""
    share = marked_share(source.text)
    repaired = needs_repair(source.text, share)
    text = source.text
    cut = len(text)
    if repaired and source.kind != "ocr" and len(text) > MAX_REPAIR_CHARS:
        cut = text.rfind("\n", 0, MAX_REPAIR_CHARS)
        cut = cut if cut > MAX_REPAIR_CHARS // 2 else MAX_REPAIR_CHARS
        source.warnings.append(
            f"chỉ khôi phục dấu cho {MAX_REPAIR_CHARS // 1000}.000 ký tự đầu (văn bản quá dài)"
        )
    report = repair_report(text[:cut], garbled=repaired) if repaired else None
    if report is not None:
        text = report.text + text[cut:]
    else:
        text = (
            repair_text(
                text[:cut], ocr=source.kind == "ocr", garbled=repaired, unsure=source.unsure
            )
            + text[cut:]
        )
    doc = parse_text(text, file=file, tasks=tasks)
    if repaired:
        share = marked_share(doc.text)
    confidence = round(min(1.0, share / 0.45), 2)
    if report is not None:
        # Repaired text is never sure: how much was changed and how sure the model is.
        confidence = min(confidence, report.confidence)
    if source.confidence is not None:
        confidence = round(min(confidence, source.confidence), 2)
    doc.quality = Quality(
        source="repaired"
        if repaired
        else {"pdf-text": "pdf-text", "ocr": "ocr"}.get(source.kind, "text"),
        confidence=confidence,
        reader=source.kind,
        encoding=source.encoding,
        pages=source.pages,
        uncertain=uncertain_fields(doc, report) if report is not None else [],
    )
    if doc.quality.source in ("repaired", "ocr"):
        # Units and duties read through OCR or diacritic repair are guesses: none is sure.
        for task in doc.tasks:
            task["confidence"] = round(task["confidence"] * min(confidence, 0.9), 2)
        kept = [t for t in doc.tasks if t["confidence"] >= UNSURE_TEXT_TASK_BELOW]
        if len(kept) < len(doc.tasks):
            source.warnings.append(
                f"{len(doc.tasks) - len(kept)} nhiệm vụ không được đề xuất vì đọc từ văn bản "
                f"OCR/khôi phục dấu với độ tin cậy dưới {vn_number(UNSURE_TEXT_TASK_BELOW)}: "
                "xem văn bản và thêm tay nếu cần"
            )
            doc.tasks = kept
    doc.warnings[:0] = source.warnings
    # Fields made of words OCR read unsurely are not sure.
    mark_uncertain(doc, source.doubtful, source.unread_number)
    if repaired:
        doc.warnings.append("văn bản OCR mất dấu: đã khôi phục dấu tiếng Việt, cần rà soát lại")
    elif share < GARBLED_BELOW:
        doc.warnings.append("văn bản có vẻ là kết quả OCR mất dấu (garbled OCR text)")
    return doc


def _may_be_signed(path: str | Path) -> bool:
    """A PDF with a signature dictionary: its `/ByteRange` is plain bytes in the file (the byte
    offsets it names cannot sit inside a compressed object stream), so one scan tells."""
    with Path(path).open("rb") as fh:
        if fh.read(4) != b"%PDF":
            return False
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b"/ByteRange") >= 0

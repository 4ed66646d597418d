"""Repair of text that lost its Vietnamese marks, with a syllable n-gram model: diacritic
restoration for unmarked text, a noisy-channel decoder for garbled OCR."""

from __future__ import annotations

import re

from cchc.repair.diacritics import DiacriticModel, default_model, restore_diacritics
from cchc.repair.ocr_errors import RepairReport, repair_garbled, repair_garbled_report

__all__ = [
    "DiacriticModel",
    "RepairReport",
    "marked_share",
    "needs_repair",
    "repair",
    "repair_report",
    "restore_diacritics",
]

# Typed Vietnamese has marks on ~50–70% of its words; OCR without the Vietnamese model far fewer.
GARBLED_BELOW = 0.3
_WORD = re.compile(r"[^\W\d_]{2,}")
_MARKED_WORD = re.compile(r"[^\W\d_]*[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ][^\W\d_]*", re.I)


def marked_share(text: str) -> float:
    """Share of words that carry a Vietnamese mark (first 4,000 characters)."""
    sample = text[:4000]
    words = len(_WORD.findall(sample))
    if not words:
        return 0.0
    return len(_MARKED_WORD.findall(sample)) / words


def needs_repair(text: str, share: float | None = None) -> bool:
    """Too few marked words for typed Vietnamese (`share`: `marked_share(text)` if known)."""
    if share is None:
        share = marked_share(text)
    return share < GARBLED_BELOW and len(_WORD.findall(text[:4000])) >= 20


def repair(
    text: str, ocr: bool = False, garbled: bool | None = None, unsure: list[str] | None = None
) -> str:
    """Garbled OCR or unmarked text → Vietnamese with its marks. Other text is returned as is,
    except Vietnamese OCR output (`ocr`), whose doubtful marks the n-grams may correct: the
    marks of the `unsure` words (what OCR read with low confidence) readily, of the others only
    on overwhelming evidence; when `unsure` is None (no word confidences), of any word readily.
    `garbled` is `needs_repair(text)` when the caller has decided it already."""
    if needs_repair(text) if garbled is None else garbled:
        return repair_garbled(text)
    if ocr:
        return default_model().restore_ocr(text, unsure)
    return text


def repair_report(text: str, ocr: bool = False, garbled: bool | None = None) -> RepairReport | None:
    """As `repair`, with what the repair of garbled text changed and doubts of (None when the
    text was not garbled: restoring marks of Vietnamese OCR changes few words)."""
    if needs_repair(text) if garbled is None else garbled:
        return repair_garbled_report(text)
    return None

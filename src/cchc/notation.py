"""The số and ký hiệu of an outgoing document, as Nghị định 30/2020/NĐ-CP, Phụ lục III
(Chương I, mục II.3) prescribes them.

- A công văn: ``<số>/<viết tắt tên cơ quan ban hành>-<viết tắt tên đơn vị soạn thảo>``,
  e.g. ``15/UBND-NV``; when the body drafts it itself (no separate unit), ``15/UBND``.
- Any other type: ``<số>/<viết tắt tên loại>-<viết tắt tên cơ quan ban hành>``, e.g.
  ``12/QĐ-UBND``, ``3/KH-UBND``, ``5/BC-UBND``.

The type abbreviations are the table of Phụ lục III kept in ``data/doc_types.yaml`` (read by
`cchc.knowledge.doc_types`, the same table the parser reads numbers with). The abbreviation of
a body or unit is the office's own choice ("do cơ quan quy định"): `unit_abbreviation` derives
a customary one from its name (``Phòng Nội vụ`` → ``NV``, ``Văn phòng HĐND và UBND`` →
``VP``, ``UBND thị xã An Phú`` → ``UBND``), and the văn thư may correct the ký hiệu before
the document is issued.
"""

from __future__ import annotations

import re
import unicodedata

from cchc.knowledge import doc_types
from cchc.text import fold

# The type written without a code in its ký hiệu: the công văn (hành chính without a name).
LETTER = "Công văn"

# Bodies whose abbreviation is fixed by custom, whatever follows in their names.
_FIXED = (
    (re.compile(r"^(?:uy ban nhan dan|ubnd)\b"), "UBND"),
    (re.compile(r"^(?:hoi dong nhan dan|hdnd)\b"), "HĐND"),
    (re.compile(r"^(?:van phong|vp)\b"), "VP"),
    (re.compile(r"^thanh tra\b"), "TTr"),
)
# Words a unit's name begins with that its abbreviation leaves out ("Phòng Nội vụ" → "NV").
_KIND_WORDS = {"phong", "p.", "p", "ban"}
# Joining words and the place at the end ("… thị xã An Phú") are not abbreviated.
_SKIP = {"va", "cua", "ve", "thi", "xa", "phuong", "huyen", "tinh", "thanh", "pho"}
_PLACE = re.compile(r"\s+(?:thị xã|thành phố|huyện|tỉnh|quận|phường|xã|thị trấn)\b.*$", re.I)


def type_code(type_name: str) -> str:
    """The abbreviation of a document type in the ký hiệu (``Quyết định`` → ``QĐ``); empty for
    a công văn and for a type the table does not know."""
    if not type_name or fold(type_name) == fold(LETTER):
        return ""
    wanted = fold(type_name)
    for known in doc_types():
        if fold(known.name) == wanted:
            return known.code
    return ""


def unit_abbreviation(name: str, short_name: str = "") -> str:
    """A body's or unit's customary abbreviation from its name (or short name when the name
    says nothing): the fixed ones (UBND, HĐND, VP, TTr), else the initials of the words after
    "Phòng"/"Ban", joining words and the place left out."""
    for text in (name, short_name):
        text = unicodedata.normalize("NFC", (text or "").strip())
        if not text:
            continue
        folded = fold(text)
        for pattern, abbreviation in _FIXED:
            if pattern.search(folded):
                return abbreviation
        words = [w for w in re.split(r"[\s,\-–&/]+", _PLACE.sub("", text)) if w]
        if len(words) > 1 and fold(words[0]) in _KIND_WORDS:
            words = words[1:]
        if len(words) == 1 and words[0].replace(".", "").isupper():  # already one: "NV"
            return words[0].replace(".", "")
        initials = "".join(
            _bare(w[0]).upper() for w in words if fold(w) not in _SKIP and w[0].isalpha()
        )
        if initials:
            return initials
    return ""


def _bare(letter: str) -> str:
    """A letter without its tone and vowel marks (Ư → U), keeping Đ, as abbreviations write."""
    decomposed = unicodedata.normalize("NFD", letter)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def notation(type_name: str, issuer: str, drafting_unit: str = "") -> str:
    """The ký hiệu after the number: ``UBND-NV`` for a công văn, ``QĐ-UBND`` otherwise (the
    issuer's abbreviation alone when a type has no code and no drafting unit is named)."""
    code = type_code(type_name)
    if code:
        return f"{code}-{issuer}" if issuer else code
    if drafting_unit and drafting_unit != issuer:
        return f"{issuer}-{drafting_unit}" if issuer else drafting_unit
    return issuer


def number_and_notation(number: int, type_name: str, issuer: str, drafting_unit: str = "") -> str:
    """``15/UBND-NV``: the document's number and its ký hiệu, as printed under the issuer."""
    symbol = notation(type_name, issuer, drafting_unit)
    return f"{number}/{symbol}" if symbol else str(number)

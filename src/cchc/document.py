"""The `Document` dataclass: what `cchc.parse_file` returns and `cchc parse --json` prints
(the contract in docs/document-json.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Reference:
    """A document cited in the text: `Quyết định số 834/QĐ-UBND ngày 30/3/2021 của UBND tỉnh`."""

    type: str | None
    number: str | None
    date: str | None
    issuer: str | None
    text: str


@dataclass
class Basis:
    """One `Căn cứ …` clause and the documents it cites."""

    text: str
    references: list[Reference] = field(default_factory=list)


@dataclass
class Signer:
    name: str | None
    title: str | None
    authority: str | None


@dataclass
class Signature:
    """One digital signature of a PDF (`cchc.signatures` validates it)."""

    signer: str | None  # the certificate's common name
    organisation: str | None  # its organisation (or unit)
    signed_at: str | None  # when the signer says it signed, ISO 8601 in Việt Nam time
    timestamp: str | None  # the RFC 3161 timestamp's time, same form
    intact: bool  # the signed bytes are unchanged
    modified_after: bool  # the document was changed after signing (more than more signatures)
    trusted: bool  # intact and the signer's chain reaches a configured trust root
    reason: str  # why, in Vietnamese


@dataclass
class Section:
    number: str
    heading: str
    text: str


@dataclass
class Quality:
    source: str  # "text" | "pdf-text" | "ocr" | "repaired" | "edxml"
    confidence: float
    reader: str
    encoding: str | None = None
    pages: int | None = None
    uncertain: list[str] = field(default_factory=list)  # fields read with low confidence


@dataclass
class Document:
    file: str
    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    bases: list[Basis] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    signer: Signer | None = None
    distribution: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    text: str = ""
    quality: Quality | None = None
    warnings: list[str] = field(default_factory=list)
    edxml: dict[str, Any] | None = None  # the package's envelope, for an edXML package

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

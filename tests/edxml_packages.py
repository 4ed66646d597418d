"""edXML packages for the web tests, made from the fictional fixture package: a revoke, update
or replace of it, with more attachments. Nothing here is real correspondence."""

from __future__ import annotations

import base64
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "edxml"
PACKAGE = FIXTURES / "cong-van-1287.edxml"
SENDER = "000.15.31.H99"  # Sở Xây dựng tỉnh Bình Long (the fixture's From)
OURS = "000.00.31.H99"  # UBND thị xã An Phú (the fixture's To)
REASONS = {0: "Văn bản mới", 1: "Thu hồi", 2: "Cập nhật", 3: "Thay thế"}


def package_bytes(
    business: int = 0,
    attachments: list[tuple[str, bytes]] = (),
    reason: str | None = None,
    document_id: str | None = None,
    code_number: str | None = None,
) -> bytes:
    """The fixture package as bytes: BussinessDocType `business` (with `reason`), the extra
    `attachments` (name, bytes) after its own, another DocumentId or CodeNumber."""
    text = PACKAGE.read_text(encoding="utf-8")
    text = text.replace(
        "<edXML:BussinessDocType>0</edXML:BussinessDocType>",
        f"<edXML:BussinessDocType>{business}</edXML:BussinessDocType>",
    ).replace(
        "<edXML:BussinessDocReason>Văn bản mới</edXML:BussinessDocReason>",
        f"<edXML:BussinessDocReason>{reason or REASONS[business]}</edXML:BussinessDocReason>",
    )
    if document_id is not None:
        text = text.replace(
            "<edXML:DocumentId>000.15.31.H99,2026/11/05,1287/SXD-VP</edXML:DocumentId>",
            f"<edXML:DocumentId>{document_id}</edXML:DocumentId>",
        )
    if code_number is not None:
        text = text.replace(
            "<edXML:CodeNumber>1287</edXML:CodeNumber>",
            f"<edXML:CodeNumber>{code_number}</edXML:CodeNumber>",
        )
    refs, items = [], []
    for index, (name, data) in enumerate(attachments, start=2):
        cid = f"3f1c2a9e-{index:04d}"
        refs.append(
            f'<edXML:Reference xlink:href="cid:{cid}" xlink:type="simple">'
            f"<edXML:AttachmentName>{name}</edXML:AttachmentName>"
            "<edXML:ContentType>application/octet-stream</edXML:ContentType></edXML:Reference>"
        )
        items.append(
            f"<Attachment><ContentType>application/octet-stream</ContentType>"
            f"<ContentId>{cid}</ContentId><AttachmentName>{name}</AttachmentName>"
            f"<ContentTransferEncoded>{base64.b64encode(data).decode()}</ContentTransferEncoded>"
            "</Attachment>"
        )
    text = text.replace("</edXML:edXMLManifest>", "".join(refs) + "</edXML:edXMLManifest>")
    text = text.replace("</AttachmentEncoded>", "".join(items) + "</AttachmentEncoded>")
    return text.encode("utf-8")


def write_package(folder: Path, name: str, **kwargs) -> Path:
    path = folder / name
    path.write_bytes(package_bytes(**kwargs))
    return path

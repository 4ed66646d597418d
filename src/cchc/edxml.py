"""edXML packages: documents as the national exchange axis (trục liên thông văn bản quốc gia)
carries them, read into a `Document` and written back.

The format is the one of QCVN 102:2016/BTTTT (cấu trúc mã định danh và định dạng dữ liệu gói tin
phục vụ kết nối các hệ thống quản lý văn bản và điều hành), amended by Thông tư 01/2022/TT-BTTTT
(Sửa đổi 1:2022). Sources checked (the standard's full text was not reachable from here; its
title, scope and amendment were, on luatvietnam.vn, "Thông tư 01/2022/TT-BTTTT sửa đổi 1:2022
QCVN 102:2016/BTTTT"): public implementations on GitHub, read for the structure only, no code
taken — a TypeScript LGSP client whose builder follows the VPCP SDK sample `edoc_new.edxml`
(root, envelope, header, manifest, AttachmentEncoded, DocumentId), Java gateway clients
(`EdXmlConstant`, `EdxmlParser`: the namespace and the `edXML` prefix), C# clients of the axis
(StatusCode read from status packages, BussinessDocType, ResponseFor/DocumentId split on commas)
and an edXML entry form (the Priority values). What this module relies on:

- a root `edXML` whose default namespace is `http://www.mic.gov.vn/TBT/QCVN_102_2016`, holding
  `edXML:edXMLEnvelope` (prefix `edXML`, same namespace: the Văn phòng Chính phủ side rejects
  unprefixed children) and, outside the envelope and unprefixed, `AttachmentEncoded`;
- `edXMLEnvelope/edXMLHeader/MessageHeader` with `From`, `To` (OrganId such as `000.00.00.H41`,
  OrganName, OrganizationInCharge…), `Code` (CodeNumber, CodeNotation), `PromulgationInfo` (Place,
  PromulgationDate as `YYYY/MM/DD`), `DocumentType` (Type, TypeName), `Subject`, `Content`,
  `SignerInfo` (Competence, Position, FullName), `DueDate`, `ToPlaces/Place`, `OtherInfo`
  (Priority = độ khẩn: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ, as the
  edXML forms of public implementations offer it; …), `SteeringType`, `ResponseFor` (OrganId,
  Code, PromulgationDate, DocumentId) and `DocumentId` reading
  `OrganId,YYYY/MM/DD,number/notation`;
- `edXMLHeader/TraceHeaderList` with `TraceHeader` (OrganId, Timestamp) and `Bussiness`
  (BussinessDocType 0 new, 1 revoke, 2 update, 3 replace; BussinessDocReason);
- `edXMLBody/edXMLManifest/Reference` (xlink:href `cid:…`, AttachmentName, ContentType) naming
  the `AttachmentEncoded/Attachment` entries (ContentId, AttachmentName, ContentType,
  ContentTransferEncoded = base64);
- a status message (gói tin trạng thái) carries `Status` with ResponseFor, From, StatusCode
  (01 đã đến … 16), Description, Timestamp and StaffInfo. cchc writes and reads it inside the
  same edXML envelope (`edXMLHeader/Status`); one public client wraps it in a SOAP envelope
  instead, which this module does not read.

Reading is safe by construction: lxml with entities, DTD loading and the network off and its
default size limits (`huge_tree=False`: one text node holds at most 10 MB, so one attachment at
most ~7.5 MB); a package that declares a DOCTYPE or entities is refused outright. Every failure
is a `CchcError` naming the file and the element.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from cchc import errors

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
PREFIX = "edXML"
SUFFIX = ".edxml"

BUSINESS_TYPES = {0: "new", 1: "revoke", 2: "update", 3: "replace"}
BUSINESS_WORDS = {0: "văn bản mới", 1: "thu hồi", 2: "cập nhật", 3: "thay thế"}
# OtherInfo/Priority: độ khẩn, as document-management systems linked to the axis fill it.
PRIORITIES = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc", 4: "Hỏa tốc hẹn giờ"}
STATUS_CODES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Đã phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Thu hồi",
    "15": "Đồng ý thu hồi/cập nhật",
    "16": "Từ chối thu hồi/cập nhật",
}

# A whole package: the same bound as any file cchc reads (readers.MAX_BINARY_BYTES).
MAX_PACKAGE_BYTES = 200 * 1024 * 1024
# lxml without huge_tree keeps one text node under 10,000,000 characters: base64 of 7.5 MB.
MAX_ATTACHMENT_BYTES = 7_500_000
MAX_ATTACHMENTS_TOTAL = 100 * 1024 * 1024
MAX_ATTACHMENTS = 200
# Markup in a whole package: a real one has a few hundred elements (base64 has no `<`); 100 MB
# of `<a/>` would build a tree of gigabytes before any check could see it.
MAX_MARKUP = 100_000

_HEAD = re.compile(rb"<(?:[\w.-]+:)?edXML[\s>/]")
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
# Attachments the usual readers can read, best first: the signed PDF, then Word, then text.
_READABLE = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".docx"))
_TEXT_NAMES = (".txt", ".md")


@dataclass
class Organ:
    """An organisation as edXML names it: its mã định danh (QĐ 20/2020/QĐ-TTg) and name."""

    organ_id: str
    name: str | None = None


@dataclass
class Attachment:
    name: str
    content_type: str
    content_id: str
    data: bytes = field(repr=False)
    description: str | None = None

    def summary(self, main: bool) -> dict[str, Any]:
        return {
            "name": self.name,
            "content_type": self.content_type,
            "content_id": self.content_id,
            "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "main": main,
        }


@dataclass
class ResponseFor:
    organ_id: str | None
    code: str | None
    date: str | None  # ISO
    document_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "organ_id": self.organ_id,
            "code": self.code,
            "date": self.date,
            "document_id": self.document_id,
        }


@dataclass
class Status:
    code: str
    description: str | None = None
    timestamp: str | None = None
    staff: str | None = None
    department: str | None = None

    @property
    def label(self) -> str | None:
        return STATUS_CODES.get(self.code)


@dataclass
class Package:
    """One edXML package as read: its header fields, its attachments (decoded) or its status."""

    file: str
    sender: Organ
    receivers: list[Organ] = field(default_factory=list)
    sender_parent: str | None = None  # From/OrganizationInCharge (cơ quan chủ quản)
    number: str | None = None  # CodeNumber
    notation: str | None = None  # CodeNotation (ký hiệu)
    place: str | None = None
    date: str | None = None
    type_code: str | None = None
    type_name: str | None = None
    subject: str | None = None
    content: str | None = None
    signer_name: str | None = None
    signer_position: str | None = None
    signer_competence: str | None = None
    due_date: str | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int | None = None
    steering_type: int | None = None
    document_id: str | None = None
    response_for: list[ResponseFor] = field(default_factory=list)
    business: int | None = None
    business_reason: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    status: Status | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def code(self) -> str | None:
        """`412/UBND-NV`: số and ký hiệu as one string."""
        if self.number and self.notation:
            return f"{self.number}/{self.notation}"
        return self.notation or self.number

    def main_attachment(self) -> Attachment | None:
        """The attachment whose text is the document: the first PDF, else Word, else text."""
        for magic, _ in _READABLE:
            for item in self.attachments:
                if item.data.startswith(magic):
                    return item
        for item in self.attachments:
            if item.name.lower().endswith(_TEXT_NAMES):
                return item
        return None

    def section(self) -> dict[str, Any]:
        """The `edxml` section of the document JSON (docs/document-json.md)."""
        main = self.main_attachment()
        status = None
        if self.status:
            status = {
                "code": self.status.code,
                "label": self.status.label,
                "description": self.status.description,
                "timestamp": self.status.timestamp,
                "staff": self.status.staff,
                "department": self.status.department,
            }
        return {
            "kind": "status" if self.status else "document",
            "sender": {"organ_id": self.sender.organ_id, "name": self.sender.name},
            "receivers": [{"organ_id": r.organ_id, "name": r.name} for r in self.receivers],
            "document_id": self.document_id,
            "document_ref": parse_document_id(self.document_id),
            "business": BUSINESS_TYPES.get(self.business) if self.business is not None else None,
            "business_reason": self.business_reason,
            "response_for": [r.to_dict() for r in self.response_for],
            "due_date": self.due_date,
            "priority": self.priority,
            "urgency": PRIORITIES.get(self.priority) if self.priority is not None else None,
            "steering_type": self.steering_type,
            "to_places": self.to_places,
            "attachments": [a.summary(a is main) for a in self.attachments],
            "status": status,
        }


# -- recognising a package -------------------------------------------------------------------


def is_package(path: str | Path, head: bytes | None = None) -> bool:
    """An edXML package: named `.edxml`, or XML whose root element is `edXML` (by content, so a
    package stored under another name is still recognised)."""
    path = Path(path)
    if path.suffix.lower() == SUFFIX:
        return True
    if head is None:
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError:
            return False
    return looks_like_package(head)


def looks_like_package(head: bytes) -> bool:
    """The first bytes of a file open XML whose root element is `edXML`."""
    text = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<") and _HEAD.search(text) is not None


def parse_document_id(value: str | None) -> dict[str, str | None] | None:
    """`000.00.00.G22,2018/09/20,7816/VPCP-TTĐT` → organ_id, date (ISO) and code; None when the
    value does not have that shape."""
    if not value:
        return None
    parts = [p.strip() for p in value.split(",", 2)]
    if len(parts) != 3:
        return None
    return {"organ_id": parts[0] or None, "date": _iso(parts[1]), "code": parts[2] or None}


def _iso(value: str | None) -> str | None:
    """`2026/03/14`, `14/03/2026` or `2026-03-14` (a time after it is ignored) → ISO day."""
    if not value:
        return None
    day = value.strip().split(" ")[0].split("T")[0]
    for pattern in ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(day, pattern).date().isoformat()
        except ValueError:
            continue
    return None


# -- reading ---------------------------------------------------------------------------------


def _bad(path: str, detail: str) -> errors.DamagedFile:
    return errors.DamagedFile(path, f"gói edXML không hợp lệ: {detail}")


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _child(node, name: str):
    return node.find(_q(name)) if node is not None else None


def _text(node, *names: str) -> str | None:
    for name in names:
        node = _child(node, name)
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None


def _int(node, *names: str) -> int | None:
    value = _text(node, *names)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_package(
    path: str | Path,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    max_total_bytes: int = MAX_ATTACHMENTS_TOTAL,
) -> Package:
    """Read and check one package; raises a `CchcError` naming the file and the element."""
    name = str(path)
    path = Path(path)
    if not path.exists():
        raise errors.FileNotFound(name)
    if path.is_dir():
        raise errors.NotAFile(name)
    size = path.stat().st_size
    if size == 0:
        raise errors.EmptyFile(name)
    if size > MAX_PACKAGE_BYTES:
        raise errors.FileTooLarge(
            name, f"gói edXML {size / 1e6:.0f} MB, quá giới hạn {MAX_PACKAGE_BYTES / 1e6:.0f} MB"
        )
    data = path.read_bytes()
    if _DECLARATIONS.search(data[:65536]):
        raise errors.UnsupportedFile(
            name,
            "gói edXML có khai báo DOCTYPE/ENTITY (thực thể XML), điều QCVN 102:2016 không dùng "
            "và có thể là tấn công (billion laughs, đọc tệp hệ thống); gói bị từ chối",
        )
    if data.count(b"<") > MAX_MARKUP:
        raise errors.FileTooLarge(
            name,
            f"gói edXML có hơn {MAX_MARKUP:,} thẻ XML".replace(",", ".")
            + ", một gói thật chỉ có vài trăm; gói bị từ chối",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise _bad(
                name, f"các phần tử lồng nhau quá sâu (dòng {exc.position[0]}); gói bị từ chối"
            ) from exc
        if "too long" in str(exc).lower() or "huge" in str(exc).lower():
            raise errors.FileTooLarge(
                name,
                f"gói edXML có một phần tử quá lớn (dòng {exc.position[0]}): tệp đính kèm lớn hơn "
                f"{max_attachment_bytes / 1e6:.1f} MB hoặc dữ liệu bất thường; gói bị từ chối",
            ) from exc
        raise errors.DamagedFile(
            name, f"không phải XML hợp lệ (gói edXML hỏng hoặc bị cắt cụt): {exc}"
        ) from exc
    doctype = root.getroottree().docinfo
    if doctype.doctype or doctype.internalDTD is not None:
        raise errors.UnsupportedFile(name, "gói edXML có khai báo DOCTYPE; gói bị từ chối")
    if etree.QName(root).localname != "edXML" or etree.QName(root).namespace != NS:
        found = etree.QName(root)
        raise _bad(
            name,
            f"phần tử gốc <{found.localname}> thuộc không gian tên "
            f"`{found.namespace or '(không có)'}`, cần <edXML> thuộc `{NS}` (QCVN 102:2016)",
        )
    envelope = _child(root, "edXMLEnvelope")
    if envelope is None:
        raise _bad(name, "thiếu phần tử <edXML:edXMLEnvelope>")
    for node in envelope.iter():
        in_edxml = isinstance(node.tag, str) and etree.QName(node).namespace == NS
        if in_edxml and node.prefix != PREFIX:
            raise _bad(
                name,
                f"phần tử <{etree.QName(node).localname}> (dòng {node.sourceline}) thiếu tiền "
                f"tố `{PREFIX}:`; QCVN 102:2016 yêu cầu mọi phần tử của phong bì dùng `{PREFIX}:`",
            )
    header = _child(envelope, "edXMLHeader")
    if header is None:
        raise _bad(name, "thiếu phần tử <edXML:edXMLHeader>")
    status = _child(header, "Status")
    if status is not None:
        return _status_package(name, status)
    message = _child(header, "MessageHeader")
    if message is None:
        raise _bad(name, "thiếu phần tử <edXML:MessageHeader> (và không phải gói trạng thái)")
    return _document_package(
        name, root, envelope, header, message, max_attachment_bytes, max_total_bytes
    )


def _organ(node) -> Organ:
    return Organ(organ_id=_text(node, "OrganId") or "", name=_text(node, "OrganName"))


def _response_for(node) -> ResponseFor:
    return ResponseFor(
        organ_id=_text(node, "OrganId"),
        code=_text(node, "Code"),
        date=_iso(_text(node, "PromulgationDate")),
        document_id=_text(node, "DocumentId"),
    )


def _status_package(name: str, status) -> Package:
    code = _text(status, "StatusCode")
    if code is None:
        raise _bad(name, "gói trạng thái thiếu <edXML:StatusCode>")
    sender = _child(status, "From")
    if sender is None or not _text(sender, "OrganId"):
        raise _bad(name, "gói trạng thái thiếu <edXML:From>/<edXML:OrganId>")
    package = Package(file=name, sender=_organ(sender))
    package.response_for = [_response_for(n) for n in status.findall(_q("ResponseFor"))]
    package.status = Status(
        code=code.zfill(2),
        description=_text(status, "Description"),
        timestamp=_text(status, "Timestamp"),
        staff=_text(status, "StaffInfo", "Staff"),
        department=_text(status, "StaffInfo", "Department"),
    )
    if package.status.label is None:
        package.warnings.append(f"mã trạng thái edXML `{code}` không có trong QCVN 102:2016")
    return package


def _document_package(name, root, envelope, header, message, max_one, max_total) -> Package:
    sender = _child(message, "From")
    if sender is None or not _text(sender, "OrganId"):
        raise _bad(name, "thiếu <edXML:From>/<edXML:OrganId> (mã định danh cơ quan gửi)")
    code = _child(message, "Code")
    if code is None:
        raise _bad(name, "thiếu phần tử <edXML:Code> (số, ký hiệu văn bản)")
    number, notation = _text(code, "CodeNumber"), _text(code, "CodeNotation")
    if not (number or notation):
        raise _bad(name, "<edXML:Code> không có <edXML:CodeNumber> lẫn <edXML:CodeNotation>")
    package = Package(file=name, sender=_organ(sender), number=number, notation=notation)
    package.receivers = [_organ(n) for n in message.findall(_q("To"))]
    package.sender_parent = _text(sender, "OrganizationInCharge")
    package.place = _text(message, "PromulgationInfo", "Place")
    raw_date = _text(message, "PromulgationInfo", "PromulgationDate")
    package.date = _iso(raw_date)
    if raw_date and package.date is None:
        package.warnings.append(f"ngày ban hành trong gói edXML không hợp lệ: {raw_date}")
    package.type_code = _text(message, "DocumentType", "Type")
    package.type_name = _text(message, "DocumentType", "TypeName")
    package.subject = _text(message, "Subject")
    package.content = _text(message, "Content")
    package.signer_name = _text(message, "SignerInfo", "FullName")
    package.signer_position = _text(message, "SignerInfo", "Position")
    package.signer_competence = _text(message, "SignerInfo", "Competence")
    package.due_date = _iso(_text(message, "DueDate"))
    places = _child(message, "ToPlaces")
    if places is not None:
        package.to_places = [
            p.text.strip() for p in places.findall(_q("Place")) if p.text and p.text.strip()
        ]
    package.priority = _int(message, "OtherInfo", "Priority")
    package.steering_type = _int(message, "SteeringType")
    package.document_id = _text(message, "DocumentId")
    package.response_for = [_response_for(n) for n in message.findall(_q("ResponseFor"))]
    trace = _child(header, "TraceHeaderList")
    business = _child(trace, "Bussiness")
    if business is not None:
        package.business = _int(business, "BussinessDocType")
        package.business_reason = _text(business, "BussinessDocReason")
        if package.business is not None and package.business not in BUSINESS_TYPES:
            raise _bad(
                name,
                f"<edXML:BussinessDocType> = {package.business}, cần 0 (mới), 1 (thu hồi), "
                "2 (cập nhật) hoặc 3 (thay thế)",
            )
    package.attachments = _attachments(name, root, envelope, max_one, max_total)
    return package


def _manifest_names(envelope) -> dict[str, str]:
    names: dict[str, str] = {}
    manifest = _child(_child(envelope, "edXMLBody"), "edXMLManifest")
    if manifest is None:
        return names
    for ref in manifest.findall(_q("Reference")):
        href = (ref.get(f"{{{XLINK}}}href") or _text(ref, "ContentId") or "").strip()
        cid = href[4:] if href.lower().startswith("cid:") else href
        if cid and _text(ref, "AttachmentName"):
            names[cid] = _text(ref, "AttachmentName")
    return names


def _attachments(name: str, root, envelope, max_one: int, max_total: int) -> list[Attachment]:
    encoded = _child(root, "AttachmentEncoded")
    if encoded is None:
        return []
    manifest = _manifest_names(envelope)
    items = encoded.findall(_q("Attachment"))
    if len(items) > MAX_ATTACHMENTS:
        raise errors.FileTooLarge(
            name, f"gói edXML có {len(items)} tệp đính kèm, quá giới hạn {MAX_ATTACHMENTS}"
        )
    found: list[Attachment] = []
    total = 0
    for index, item in enumerate(items, start=1):
        cid = (_text(item, "ContentId") or "").removeprefix("cid:")
        label = _text(item, "AttachmentName") or manifest.get(cid) or f"dinh-kem-{index}"
        where = f"<Attachment> thứ {index} ({label}, dòng {item.sourceline})"
        node = _child(item, "ContentTransferEncoded")
        payload = "".join((node.text or "").split()) if node is not None else ""
        if not payload:
            raise _bad(name, f"{where} không có <ContentTransferEncoded> (nội dung base64)")
        decoded_size = len(payload) * 3 // 4
        total += decoded_size
        if decoded_size > max_one or total > max_total:
            limit = max_one if decoded_size > max_one else max_total
            raise errors.FileTooLarge(
                name,
                f"{where} giải mã ra {decoded_size / 1e6:.1f} MB, quá giới hạn "
                f"{limit / 1e6:.1f} MB; gói bị từ chối",
            )
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _bad(name, f"{where}: nội dung base64 hỏng ({exc})") from exc
        found.append(
            Attachment(
                name=label,
                content_type=_text(item, "ContentType") or "application/octet-stream",
                content_id=cid,
                data=data,
                description=_text(item, "Description"),
            )
        )
    return found


def attachment_file_name(name: str, index: int) -> str:
    """A file name safe to write: no directories, no control or format characters."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[:200] or f"dinh-kem-{index}"


def save_attachments(package: Package, folder: str | Path) -> list[Path]:
    """Write every attachment into `folder` under its own (made safe, made unique) name; all are
    written or, on a failure, none is left behind."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    taken = {p.name for p in folder.iterdir()}
    try:
        for index, item in enumerate(package.attachments, start=1):
            name = attachment_file_name(item.name, index)
            stem, dot, ext = name.rpartition(".")
            stem, ext = (stem, dot + ext) if dot and stem else (name, "")
            copy = 2
            while name in taken:
                name, copy = f"{stem}-{copy}{ext}", copy + 1
            taken.add(name)
            written.append(write_atomically(folder / name, item.data))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


# -- into a Document -------------------------------------------------------------------------


def parse_package(path: str | Path, ocr: bool = True, progress=None, tasks: bool = True):
    """Read a package into a `Document`: the header's fields as they are (`quality.source` is
    `edxml`), the text, sections and tasks from the main attachment read with the usual readers,
    and the `edxml` section (sender, business type, ResponseFor, attachments)."""
    from cchc import parse_source
    from cchc.document import Document, Quality, Signer
    from cchc.readers import read_file

    package = read_package(path)
    doc = Document(file=str(path))
    reader, encoding, pages = "edxml", None, None
    main = package.main_attachment()
    if main is not None:
        suffix = next((ext for magic, ext in _READABLE if main.data.startswith(magic)), ".txt")
        with tempfile.TemporaryDirectory(prefix="cchc-edxml-") as folder:
            inner = Path(folder) / f"dinh-kem{suffix}"
            inner.write_bytes(main.data)
            try:
                source = read_file(inner, ocr=ocr, progress=progress)
            except errors.CchcError as exc:
                doc.warnings.append(f"không đọc được tệp đính kèm {main.name}: {exc.detail or exc}")
            else:
                doc = parse_source(source, str(path), tasks=tasks)
                reader, encoding, pages = source.kind, source.encoding, source.pages
                if suffix == ".pdf" and b"/ByteRange" in main.data:
                    # the signed PDF inside the package: its signatures are the document's
                    from cchc.signatures import read_signatures

                    doc.signatures, signature_warnings = read_signatures(inner)
                    doc.warnings += signature_warnings
    elif package.status is None:
        doc.warnings.append("gói edXML không có tệp đính kèm đọc được (PDF, Word, văn bản)")
    if package.status is None:
        doc.type = package.type_name or doc.type
        doc.number = package.code
        doc.symbol = package.notation
        doc.issuer = package.sender.name or doc.issuer
        doc.parent_issuer = package.sender_parent or doc.parent_issuer
        doc.place = package.place or doc.place
        doc.date = package.date or doc.date
        doc.subject = package.subject or doc.subject
        receivers = [r.name for r in package.receivers if r.name]
        doc.recipients = receivers or doc.recipients
        doc.distribution = package.to_places or doc.distribution
        if package.signer_name or package.signer_position:
            doc.signer = Signer(
                name=package.signer_name,
                title=package.signer_position,
                authority=package.signer_competence,
            )
        doc.warnings = [w for w in doc.warnings if w != "không tìm thấy người ký" or not doc.signer]
    doc.quality = Quality(
        source="edxml", confidence=1.0, reader=reader, encoding=encoding, pages=pages
    )
    doc.warnings.extend(package.warnings)
    if package.business in (1, 2, 3):
        target = package.response_for[0].code if package.response_for else "?"
        doc.warnings.append(f"gói edXML {BUSINESS_WORDS[package.business]} văn bản {target}")
    doc.edxml = package.section()
    return doc


# -- writing ---------------------------------------------------------------------------------


def _sub(parent, name: str, text: str | None = None, **attrs: str):
    node = etree.SubElement(parent, _q(name), attrs)
    if text is not None:
        node.text = text
    return node


def _organ_node(parent, tag: str, organ: Organ, in_charge: str | None = None) -> None:
    node = _sub(parent, tag)
    _sub(node, "OrganId", organ.organ_id)
    if in_charge:
        _sub(node, "OrganizationInCharge", in_charge)
    _sub(node, "OrganName", organ.name or "")


def _slash(iso: str | None) -> str:
    return iso.replace("-", "/") if iso else ""


def _root():
    root = etree.Element(_q("edXML"), nsmap={None: NS})
    envelope = etree.SubElement(root, _q("edXMLEnvelope"), nsmap={PREFIX: NS, "xlink": XLINK})
    return root, envelope


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def split_code(code: str | None) -> tuple[str, str]:
    """`412/UBND-NV` → (`412`, `UBND-NV`); a code without a number keeps its notation."""
    if not code:
        return "", ""
    number, slash, notation = code.partition("/")
    return (number, notation) if slash else ("", number)


def build_package(
    doc,
    sender: Organ,
    receivers: list[Organ],
    attachments: list[str | Path] = (),
    response_for: list[ResponseFor] = (),
    business: int = 0,
    business_reason: str | None = None,
    due_date: str | None = None,
    priority: int = 0,
    steering_type: int = 0,
    type_code: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """An edXML package for a `Document` and its files (the document itself first)."""
    if not doc.number and not doc.symbol:
        raise errors.CchcError(doc.file, "văn bản chưa có số, ký hiệu: không lập được gói edXML")
    now = now or datetime.now()
    number, notation = split_code(doc.number) if doc.number else ("", doc.symbol or "")
    day = _slash(doc.date or date.today().isoformat())
    root, envelope = _root()
    header = _sub(envelope, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ_node(
        message, "From", Organ(sender.organ_id, sender.name or doc.issuer), doc.parent_issuer
    )
    for receiver in receivers:
        _organ_node(message, "To", receiver)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", number)
    _sub(code, "CodeNotation", notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", doc.place or "")
    _sub(promulgation, "PromulgationDate", day)
    kind = _sub(message, "DocumentType")
    _sub(kind, "Type", type_code or "")
    _sub(kind, "TypeName", doc.type or "")
    _sub(message, "Subject", doc.subject or "")
    _sub(message, "Content", doc.subject or "")
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", (doc.signer.authority if doc.signer else None) or "")
    _sub(signer, "Position", (doc.signer.title if doc.signer else None) or "")
    _sub(signer, "FullName", (doc.signer.name if doc.signer else None) or "")
    _sub(message, "DueDate", _slash(due_date))
    places = _sub(message, "ToPlaces")
    for place in doc.distribution:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", str(priority))
    _sub(message, "SteeringType", str(steering_type))
    for target in response_for:
        node = _sub(message, "ResponseFor")
        _sub(node, "OrganId", target.organ_id or "")
        _sub(node, "Code", target.code or "")
        _sub(node, "PromulgationDate", _slash(target.date))
        _sub(node, "DocumentId", target.document_id or "")
    _sub(message, "DocumentId", f"{sender.organ_id},{day},{doc.number or notation}")
    trace = _sub(header, "TraceHeaderList")
    hop = _sub(trace, "TraceHeader")
    _sub(hop, "OrganId", sender.organ_id)
    _sub(hop, "Timestamp", now.strftime("%Y/%m/%d %H:%M:%S"))
    bussiness = _sub(trace, "Bussiness")
    _sub(bussiness, "BussinessDocType", str(business))
    _sub(bussiness, "BussinessDocReason", business_reason or BUSINESS_WORDS[business])
    _sub(header, "DigitalSignature")
    manifest = _sub(_sub(envelope, "edXMLBody"), "edXMLManifest", version="1.0")
    encoded = etree.SubElement(root, _q("AttachmentEncoded"))
    for file in attachments:
        file = Path(file)
        cid = str(uuid.uuid4())
        content_type = _content_type(file)
        ref = _sub(
            manifest,
            "Reference",
            **{f"{{{XLINK}}}href": f"cid:{cid}", f"{{{XLINK}}}type": "simple"},
        )
        _sub(ref, "AttachmentName", file.name)
        _sub(ref, "ContentType", content_type)
        item = etree.SubElement(encoded, _q("Attachment"))
        for tag, value in (
            ("ContentType", content_type),
            ("ContentId", cid),
            ("AttachmentName", file.name),
            ("ContentTransferEncoded", base64.b64encode(file.read_bytes()).decode("ascii")),
        ):
            etree.SubElement(item, _q(tag)).text = value
    return _serialise(root)


def _content_type(file: Path) -> str:
    with file.open("rb") as fh:
        head = fh.read(8)
    from cchc.readers import media_type

    return media_type(head).split(";")[0]


def build_status(
    package: Package,
    code: str,
    sender: Organ,
    description: str | None = None,
    staff: str | None = None,
    department: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """A status message (03 đã tiếp nhận, 04 đã phân công, …) answering a received package."""
    code = code.zfill(2)
    if code not in STATUS_CODES:
        known = ", ".join(f"{k} {v.lower()}" for k, v in STATUS_CODES.items())
        raise errors.CchcError(package.file, f"mã trạng thái `{code}` không hợp lệ; dùng: {known}")
    if package.status is not None:
        raise errors.CchcError(package.file, "gói này là gói trạng thái, không trả lời được")
    now = now or datetime.now()
    root, envelope = _root()
    header = _sub(envelope, "edXMLHeader")
    status = _sub(header, "Status")
    target = _sub(status, "ResponseFor")
    _sub(target, "OrganId", package.sender.organ_id)
    _sub(target, "Code", package.code or "")
    _sub(target, "PromulgationDate", _slash(package.date))
    _sub(target, "DocumentId", package.document_id or "")
    _organ_node(status, "From", sender)
    _sub(status, "StatusCode", code)
    _sub(status, "Description", description or STATUS_CODES[code])
    _sub(status, "Timestamp", now.strftime("%Y/%m/%d %H:%M:%S"))
    info = _sub(status, "StaffInfo")
    _sub(info, "Department", department or "")
    _sub(info, "Staff", staff or "")
    _sub(envelope, "edXMLBody")
    return _serialise(root)


def write_atomically(target: str | Path, data: bytes) -> Path:
    """Write all of `data` to `target` or nothing: a temporary file renamed into place."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target

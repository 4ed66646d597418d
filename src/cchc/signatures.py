"""Digital signatures of a PDF, validated with pyHanko, offline.

`read_signatures(path)` answers, for every signature field of a PDF: who signed (the certificate's
common name and organisation), when the signer says it signed, the RFC 3161 timestamp if any,
whether the signed bytes are intact, whether the document was changed after signing (incremental
updates beyond more signatures, as pyHanko's difference analysis judges them), and whether the
signer's chain reaches one of the trust roots the deployment installed.

Trust roots: a folder of root certificates (PEM or DER, any number per file) named by the
environment variable `CCHC_TRUST_ROOTS` (e.g. the Ban Cơ yếu Chính phủ root the office installs).
Nothing is fetched at run time: no OCSP, CRL or AIA requests (`allow_fetching=False`), so
revocation is not checked unless the deployment adds that later. Without a configured root no
signature is `trusted`: it reads "intact, signer not verified", never "valid".

The chain is checked at the present time, except for a signature whose certificate has expired
since a timestamp from a trusted authority (whose chain also reaches a configured root) shows it
was made: that one is checked at the timestamp's time. A time the signer's own software wrote
(`signed_at`) proves nothing and is never used so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import cms, x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
)
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cchc.document import Signature

# pyHanko logs each failed path search with a traceback; without a handler of the application's,
# Python's last-resort handler would print them on stderr under `cchc parse`.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

TRUST_ROOTS_ENV = "CCHC_TRUST_ROOTS"
# Offices are in Việt Nam (UTC+7, no daylight saving): times are shown and stored there.
VIETNAM = dt.timezone(dt.timedelta(hours=7))
# Signatures validated per file: real documents carry one to three (person, organisation,
# copy-certification); each costs a difference analysis of the revisions after it.
MAX_SIGNATURES = 20
BROKEN_LAST = 1 << 30
# What pyHanko validates: PKCS#7 detached and PAdES (CAdES detached) signatures.
SUPPORTED_SUBFILTERS = {
    "/adbe.pkcs7.detached",
    "/ETSI.CAdES.detached",
}  # signatures are listed in signing order; unreadable ones after them

NO_ROOTS = f"chưa cấu hình chứng thư gốc tin cậy ({TRUST_ROOTS_ENV}), chưa xác minh người ký"
TRUSTED = "người ký đã được xác minh: chứng thư dẫn đến chứng thư gốc tin cậy"
CHANGED = "; văn bản bị sửa sau khi ký"
_TRUST_PROBLEMS = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: (
        "chứng thư người ký không dẫn đến chứng thư gốc tin cậy nào đã cấu hình"
    ),
    AdESIndeterminate.EXPIRED: "chứng thư người ký đã hết hạn",
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "chứng thư người ký đã hết hạn",
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: "chứng thư người ký đã hết hạn",
    AdESIndeterminate.NOT_YET_VALID: "chứng thư người ký chưa có hiệu lực",
    AdESFailure.NOT_YET_VALID: "chứng thư người ký chưa có hiệu lực",
    AdESFailure.REVOKED: "chứng thư người ký đã bị thu hồi",
    AdESIndeterminate.REVOKED_NO_POE: "chứng thư người ký đã bị thu hồi",
    AdESIndeterminate.REVOKED_CA_NO_POE: "chứng thư của tổ chức cấp đã bị thu hồi",
    AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE: (
        "chuỗi chứng thư không đạt ràng buộc (tổ chức cấp không được phép cấp chứng thư này)"
    ),
    AdESIndeterminate.SIG_CONSTRAINTS_FAILURE: (
        "chứng thư người ký không dùng để ký số (sai mục đích sử dụng khóa)"
    ),
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE: "thuật toán của chữ ký quá yếu",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: "thuật toán của chữ ký quá yếu",
}
_EXPIRED = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}
_CHANGES = {
    ModificationLevel.FORM_FILLING: "điền biểu mẫu",
    ModificationLevel.ANNOTATIONS: "thêm chú thích",
    ModificationLevel.OTHER: "thay đổi nội dung",
}


@dataclass
class TrustRoots:
    certs: list[x509.Certificate]
    warnings: list[str]


def load_trust_roots(folder: str | Path | None = None) -> TrustRoots:
    """The root certificates of `folder` (default: `$CCHC_TRUST_ROOTS`); none when unset."""
    if folder is None:
        folder = os.environ.get(TRUST_ROOTS_ENV) or None
    if folder is None:
        return TrustRoots([], [])
    folder = Path(folder)
    if not folder.is_dir():
        return TrustRoots([], [f"thư mục chứng thư gốc {TRUST_ROOTS_ENV} không tồn tại: {folder}"])
    certs: list[x509.Certificate] = []
    warnings: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            found = list(load_certs_from_pemder_data(path.read_bytes()))
        except (OSError, ValueError, TypeError) as exc:
            found = []
            warnings.append(f"bỏ qua tệp chứng thư gốc không đọc được {path.name}: {exc}")
        else:
            if not found:
                warnings.append(f"bỏ qua tệp không chứa chứng thư {path.name}")
        certs += found
    return TrustRoots(certs, warnings)


def read_signatures(
    path: str | Path, roots: TrustRoots | None = None
) -> tuple[list[Signature], list[str]]:
    """Every signature of the PDF at `path` and the warnings (in Vietnamese) met reading them.

    A damaged signature is an entry that is neither intact nor trusted, with a warning; a PDF
    whose signature fields cannot be read at all is a warning. Never an exception."""
    roots = load_trust_roots() if roots is None else roots
    try:
        with Path(path).open("rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            if reader.encrypted:  # readable without a password, or pdfium had refused it
                reader.decrypt(b"")
            fields = list(enumerate_sig_fields(reader, filled_status=True))
            if not fields:
                return [], []
            signatures, warnings = asyncio.run(
                _validate_all(reader, fields[:MAX_SIGNATURES], roots)
            )
            if len(fields) > MAX_SIGNATURES:
                warnings.append(
                    f"tệp có {len(fields)} chữ ký số: chỉ kiểm tra {MAX_SIGNATURES} chữ ký đầu"
                )
            return signatures, warnings
    # pyHanko reads hostile bytes: a broken cross-reference, AcroForm or CMS blob raises whatever
    # the layer that met it raises (PdfReadError, ValueError, KeyError, TypeError, asn1 errors…).
    except Exception as exc:
        return [], [f"không đọc được chữ ký số của tệp: {_short(exc)}"]


class UnsupportedSignature(ValueError):
    """A signature of a kind pyHanko does not validate (e.g. the old `adbe.pkcs7.sha1`)."""


async def _validate_all(
    reader: PdfFileReader, fields: list, roots: TrustRoots
) -> tuple[list[Signature], list[str]]:
    context = ValidationContext(trust_roots=roots.certs, allow_fetching=False)
    warnings = list(roots.warnings)
    names = {name for name, _, _ in fields}
    found: list[tuple[int, Signature]] = []
    for name, value, field in fields:
        # One broken signature must not hide the others: whatever its CMS blob or dictionary
        # raises becomes that signature's entry.
        try:
            sig = EmbeddedPdfSignature(reader, field, name)
            if sig.sig_object_type != "/Sig":
                continue  # a document timestamp (/DocTimeStamp), not a signer
            subfilter = sig.sig_object.get("/SubFilter")
            if subfilter not in SUPPORTED_SUBFILTERS:
                raise UnsupportedSignature(f"kiểu chữ ký {subfilter} chưa được hỗ trợ")
            order = sig.signed_revision
            found.append((order, await _validate(sig, context, roots.certs, names)))
        except UnsupportedSignature as exc:
            warnings.append(f"chữ ký số {name}: {exc}, không kiểm tra được")
            found.append((BROKEN_LAST, _broken(value, f"{exc}, không kiểm tra được")))
        except Exception as exc:
            warnings.append(f"chữ ký số {name} hỏng: {_short(exc)}")
            reason = f"cấu trúc chữ ký hỏng, không kiểm tra được: {_short(exc)}"
            found.append((BROKEN_LAST, _broken(value, reason)))
    return [sig for _, sig in sorted(found, key=lambda item: item[0])], warnings


async def _validate(
    sig: EmbeddedPdfSignature,
    context: ValidationContext,
    roots: list[x509.Certificate],
    names: set[str],
) -> Signature:
    status = await async_validate_pdf_signature(
        sig, signer_validation_context=context, ts_validation_context=context
    )
    expired = status.trust_problem_indic in _EXPIRED and status.intact and status.valid
    if expired and _trusted_timestamp_in_validity(status):
        # Signed, as a trusted timestamp proves, while the certificate was valid: check the
        # chain at that moment (certificates of officials expire every few years; the
        # documents they signed do not).
        at_signing = ValidationContext(
            trust_roots=roots, allow_fetching=False, moment=status.timestamp_validity.timestamp
        )
        then = await async_validate_pdf_signature(
            sig, signer_validation_context=at_signing, ts_validation_context=context
        )
        if then.trusted and not then.revoked:
            return _describe(then, names, True, expired_since=status)
    return _describe(status, names, bool(roots))


def _trusted_timestamp_in_validity(status: PdfSignatureStatus) -> bool:
    ts = status.timestamp_validity
    if ts is None or not ts.trusted:
        return False
    cert = status.signing_cert
    return cert.not_valid_before <= ts.timestamp <= cert.not_valid_after


def _describe(
    status: PdfSignatureStatus,
    fields: set[str],
    have_roots: bool,
    expired_since: PdfSignatureStatus | None = None,
) -> Signature:
    """The entry of one validated signature; `expired_since` is the validation at the present
    time when `status` is the one at the trusted timestamp (the certificate expired since)."""
    signer, organisation = _subject(status.signing_cert)
    intact = bool(status.intact and status.valid)
    change = _change_after(status, fields)
    trusted = bool(status.trusted and not status.revoked and intact)
    if expired_since is not None:
        reason = (
            "người ký đã được xác minh: ký lúc chứng thư còn hiệu lực (theo dấu thời gian), "
            f"chứng thư đã hết hạn ngày {_vn_day(status.signing_cert.not_valid_after)}"
        )
    elif not intact:
        reason = (
            "nội dung được ký đã bị thay đổi sau khi ký (mã băm không khớp)"
            if not status.intact
            else "chữ ký không khớp với chứng thư (chữ ký giả hoặc hỏng)"
        )
    elif trusted:
        reason = TRUSTED
    elif not have_roots:
        reason = NO_ROOTS
    else:
        reason = _TRUST_PROBLEMS.get(
            status.trust_problem_indic,
            f"không xác minh được chuỗi chứng thư ({_indication(status)})",
        )
        if "hết hạn" in reason:
            reason += f" ngày {_vn_day(status.signing_cert.not_valid_after)}"
    if change:
        reason += f"{CHANGED} ({change})"
    ts = status.timestamp_validity
    return Signature(
        signer=signer,
        organisation=organisation,
        signed_at=_iso(status.signer_reported_dt),
        timestamp=_iso(ts.timestamp) if ts is not None and ts.intact and ts.valid else None,
        intact=intact,
        modified_after=change is not None,
        trusted=trusted,
        reason=reason,
    )


def _change_after(status: PdfSignatureStatus, fields: set[str]) -> str | None:
    """What changed after the signature, in words; None when nothing did but more signatures."""
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "chữ ký không phủ hết bản đã ký"
    level = status.modification_level
    if level is None or level <= ModificationLevel.LTA_UPDATES:
        return None
    if level == ModificationLevel.FORM_FILLING:
        # Adding the next signature fills a form field too: only other fields are changes.
        changed = set(getattr(status.diff_result, "changed_form_fields", ()) or ()) - fields
        if not changed:
            return None
    return _CHANGES.get(level, "thay đổi nội dung")


def _broken(value, reason: str) -> Signature:
    """A signature that cannot be checked: who signed it if its certificate still reads."""
    signer = organisation = None
    try:
        signed = cms.ContentInfo.load(bytes(value.get_object()["/Contents"]))["content"]
        leaves = [c.chosen for c in signed["certificates"] if not c.chosen.ca]
        if leaves:
            signer, organisation = _subject(leaves[0])
    except Exception:  # the CMS blob itself is what broke
        pass
    return Signature(
        signer=signer,
        organisation=organisation,
        signed_at=None,
        timestamp=None,
        intact=False,
        modified_after=False,
        trusted=False,
        reason=reason,
    )


def _subject(cert: x509.Certificate) -> tuple[str | None, str | None]:
    name = cert.subject.native

    def one(key: str) -> str | None:
        value = name.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return str(value).strip() or None if value else None

    return one("common_name"), one("organization_name") or one("organizational_unit_name")


def _indication(status: PdfSignatureStatus) -> str:
    indic = status.trust_problem_indic
    return indic.name if indic is not None else "không rõ lý do"


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _vn_day(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _vn_time(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M") if iso else "không rõ"


def describe(signature: Signature | dict[str, Any]) -> str:
    """One line in Vietnamese: `Nguyễn Văn A (UBND tỉnh X), ký lúc 14/03/2026 09:30, còn
    nguyên vẹn, chưa xác minh người ký`; what is wrong (or unusual) follows a dash."""
    s = signature if isinstance(signature, dict) else signature.__dict__
    who = s["signer"] or "không rõ người ký"
    if s["organisation"] and s["organisation"] != s["signer"]:
        who += f" ({s['organisation']})"
    parts = [who, f"ký lúc {_vn_time(s['signed_at'])}"]
    if s["timestamp"]:
        parts.append(f"dấu thời gian {_vn_time(s['timestamp'])}")
    parts.append("còn nguyên vẹn" if s["intact"] else "KHÔNG còn nguyên vẹn")
    parts.append("đã xác minh người ký" if s["trusted"] else "chưa xác minh người ký")
    trust, changed, change = s["reason"].partition(CHANGED)
    notes = [trust] if trust not in (TRUSTED, NO_ROOTS) else []
    if changed:
        notes.append(changed.removeprefix("; ") + change)
    return ", ".join(parts) + (f" — {'; '.join(notes)}" if notes else "")

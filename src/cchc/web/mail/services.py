"""Reading mailboxes over IMAP (Python's `imaplib`): each enabled rule of an account reads its
folder, takes the attachments of the kinds it names and hands each to the one ingest path
(`documents.ingest.accept_upload`, as an upload or the watched folder does), then marks the mail
read or moves it. A mail is recorded (`ProcessedMail`) in the same transaction as its ingest jobs
and before anything is done to it on the server, so it is never ingested twice: an action that
failed is tried again on the next run, the ingest is not.

Bodies are fetched with BODY.PEEK (the server marks nothing read by itself), only after the
headers said the mail is new, matches the rule and is not too large. The password is read at
connection time (`MailAccount.secret`) and appears in no message or log line.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import PurePosixPath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc import edxml
from cchc.web.documents.ingest import accept_upload, run_jobs
from cchc.web.documents.models import IngestJob
from cchc.web.documents.store import UploadRejected
from cchc.web.mail.models import (
    MailAccount,
    MailAttachment,
    MailError,
    MailRule,
    ProcessedMail,
)

log = logging.getLogger("cchc.mail")

TIMEOUT = 30  # seconds for connecting and for each answer of the server
HEADER_BATCH = 200  # mails whose headers are asked in one FETCH

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp"}
KIND_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "edxml": ".edxml", "image": ".jpg"}
_BASE64_DEFECTS = {
    "InvalidBase64PaddingDefect",
    "InvalidBase64CharactersDefect",
    "InvalidBase64LengthDefect",
}
_STRUCTURE_DEFECTS = {
    "NoBoundaryInMultipartDefect",
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
    "MissingHeaderBodySeparatorDefect",
}


def max_mail_bytes() -> int:
    """A mail larger than this is not downloaded: its attachments, base64-encoded (4/3 of their
    size), could not all pass the upload limit. `CCHC_MAIL_MAX_BYTES` overrides."""
    default = settings.CCHC_MAX_UPLOAD_BYTES * 3
    return int(getattr(settings, "CCHC_MAIL_MAX_BYTES", default) or default)


@dataclass
class MailResult:
    """What happened to one mail: `outcome` is a `ProcessedMail.Outcome`, or "seen" (taken on
    an earlier run), or "not-matched" (another sender than the rule's)."""

    account: str
    folder: str
    message_id: str
    sender: str
    subject: str
    outcome: str
    message: str = ""
    jobs: list[IngestJob] = field(default_factory=list)

    def line(self) -> str:
        label = {
            ProcessedMail.Outcome.INGESTED: "đã nhận",
            ProcessedMail.Outcome.SKIPPED: "bỏ qua",
            ProcessedMail.Outcome.FAILED: "lỗi",
            "seen": "đã nhận trước đây",
            "not-matched": "không khớp quy tắc",
        }.get(self.outcome, self.outcome)
        head = f"{self.account}/{self.folder}: thư “{self.subject}” của {self.sender}: {label}"
        return f"{head} – {self.message}" if self.message else head


@dataclass
class Fetched:
    """One account's run: the mails met, and the errors that stopped a rule or the account."""

    account: str
    mails: list[MailResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors) or any(
            m.outcome == ProcessedMail.Outcome.FAILED for m in self.mails
        )


# --- IMAP plumbing ---


def imap_utf7(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3), as servers expect it:
    "Đã nhận" → "&ARAA4w- nh&Hq0-n"."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def _mailbox(name: str) -> str:
    encoded = imap_utf7(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _said(data) -> str:
    """The server's words in an answer, for a message."""
    parts = data if isinstance(data, list | tuple) else [data]
    text = " ".join(
        p.decode("utf-8", "replace") if isinstance(p, bytes) else str(p)
        for p in parts
        if p is not None
    )
    return text.strip() or "không rõ lý do"


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def connect(account: MailAccount) -> imaplib.IMAP4:
    """A logged-in connection, or MailError naming the account and the fix."""
    secret = account.secret()
    where = f"{account.host}:{account.port}"
    try:
        if account.security == MailAccount.Security.SSL:
            conn = imaplib.IMAP4_SSL(
                account.host,
                account.port,
                ssl_context=ssl.create_default_context(),
                timeout=TIMEOUT,
            )
        else:
            conn = imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT)
            if account.security == MailAccount.Security.STARTTLS:
                try:
                    conn.starttls(ssl.create_default_context())
                except imaplib.IMAP4.error as exc:
                    _close(conn)
                    raise MailError(
                        f"hộp thư {account.name}: {where} không nhận STARTTLS ({exc}); chọn chế "
                        "độ bảo mật SSL/TLS (cổng 993) hoặc bật TLS trên máy chủ"
                    ) from None
    except ssl.SSLError as exc:
        raise MailError(
            f"hộp thư {account.name}: lỗi TLS với {where} ({exc}); kiểm tra chế độ bảo mật "
            "(SSL/TLS hay STARTTLS) và chứng chỉ của máy chủ"
        ) from None
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailError(
            f"hộp thư {account.name}: không kết nối được {where} ({_scrub(str(exc), secret)}); "
            "kiểm tra tên máy chủ, cổng và chế độ bảo mật"
        ) from None
    try:
        if "AUTH=PLAIN" in conn.capabilities:
            token = f"\0{account.username}\0{secret}".encode()
            conn.authenticate("PLAIN", lambda _challenge: token)
        else:
            conn.login(account.username, secret)
    except (imaplib.IMAP4.error, OSError, UnicodeError) as exc:
        _close(conn)
        said = _scrub(str(exc), secret)
        raise MailError(
            f"hộp thư {account.name}: máy chủ {account.host} từ chối đăng nhập của "
            f"{account.username} ({said}); kiểm tra tên đăng nhập và mật khẩu"
        ) from None
    return conn


def _close(conn: imaplib.IMAP4) -> None:
    try:
        if conn.state == "SELECTED":
            conn.close()
        conn.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def _ok(answer: tuple, what: str) -> list:
    typ, data = answer
    if typ != "OK":
        raise MailError(f"{what}: máy chủ trả lời {typ} ({_said(data)})")
    return data


_FETCH_UID = re.compile(rb"UID (\d+)")
_FETCH_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _headers(conn: imaplib.IMAP4, uids: list[bytes], where: str) -> list[tuple[bytes, int, bytes]]:
    """(uid, size, header bytes) of each mail, asked HEADER_BATCH at a time."""
    found = []
    fields = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SUBJECT DATE)]"
    for start in range(0, len(uids), HEADER_BATCH):
        chunk = b",".join(uids[start : start + HEADER_BATCH]).decode()
        data = _ok(conn.uid("FETCH", chunk, f"(UID RFC822.SIZE {fields})"), where)
        for item in data:
            if not isinstance(item, tuple):
                continue
            uid, size = _FETCH_UID.search(item[0]), _FETCH_SIZE.search(item[0])
            if uid:
                found.append((uid.group(1), int(size.group(1)) if size else 0, item[1]))
    return found


def _body(conn: imaplib.IMAP4, uid: bytes, where: str) -> bytes:
    data = _ok(conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])"), where)
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    raise MailError(f"{where}: máy chủ không trả nội dung thư (UID {uid.decode()})")


def _act(conn: imaplib.IMAP4, rule: MailRule, uid: bytes, where: str) -> None:
    """Mark the mail read or move it, per the rule; MailError when the server refuses."""
    number = uid.decode()
    if rule.action == MailRule.Action.MARK_READ:
        _ok(conn.uid("STORE", number, "+FLAGS.SILENT", r"(\Seen)"), f"{where}: đánh dấu đã đọc")
        return
    target = _mailbox(rule.move_to)
    what = f"{where}: chuyển thư sang {rule.move_to}"
    if "MOVE" in conn.capabilities:
        _ok(conn.uid("MOVE", number, target), what)
        return
    _ok(conn.uid("COPY", number, target), what)
    _ok(conn.uid("STORE", number, "+FLAGS.SILENT", r"(\Deleted)"), what)
    if "UIDPLUS" in conn.capabilities:
        _ok(conn.uid("EXPUNGE", number), what)
    else:
        _ok(conn.expunge(), what)


# --- reading a mail ---


@dataclass
class Attachment:
    filename: str
    data: bytes | None
    problem: str = ""


@dataclass
class Mail:
    sender: str
    subject: str
    sent_at: datetime | None
    taken: list[Attachment]
    left: list[str]  # attachments of other kinds than the rule takes
    broken: list[str]  # the names of structural MIME defects


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg[name]
    except Exception:  # a header the parser cannot decode: keep its raw text
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _sent_at(msg: EmailMessage) -> datetime | None:
    try:
        when = msg["Date"].datetime if msg["Date"] is not None else None
    except Exception:
        return None
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.utc)
    return when


def _kind(filename: str, content_type: str, data: bytes) -> str | None:
    """pdf, docx, edxml, image, or None for a file the rules never take."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix == ".pdf" or content_type == "application/pdf":
        return "pdf"
    if suffix == ".docx" or content_type == DOCX:
        return "docx"
    if suffix == ".edxml" or (
        (suffix == ".xml" or content_type in ("application/xml", "text/xml"))
        and edxml.looks_like_package(data[:4096])
    ):
        return "edxml"
    if suffix in IMAGE_SUFFIXES or content_type.startswith("image/"):
        return "image"
    return None


def _wanted(rule: MailRule, kind: str | None) -> bool:
    return {
        "pdf": rule.take_pdf,
        "docx": rule.take_docx,
        "edxml": rule.take_edxml,
        "image": rule.take_images,
    }.get(kind or "", False)


def _parts(part, in_related: bool = False):
    """Every part with whether it sits in a multipart/related (the HTML and its pictures)."""
    yield part, in_related
    children = part.get_payload() if part.is_multipart() else None
    if isinstance(children, list):  # a multipart without its boundary keeps a plain string
        inner = in_related or part.get_content_type() == "multipart/related"
        for child in children:
            yield from _parts(child, inner)


def read_mail(raw: bytes, rule: MailRule) -> Mail:
    """The mail's sender, subject, date and the attachments the rule takes (decoded)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    taken, left, broken = [], [], set()
    for part, in_related in _parts(msg):
        broken.update(
            type(d).__name__ for d in part.defects if type(d).__name__ in _STRUCTURE_DEFECTS
        )
        if part.is_multipart():
            continue
        try:
            filename = part.get_filename() or ""
        except Exception:
            filename = ""
        filename = re.sub(r"\s+", " ", filename).strip()
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        if not filename and (part.get_content_maintype() == "text" or disposition != "attachment"):
            continue  # the mail's own text, or an unnamed inline part
        if part.get_content_maintype() == "image" and part["Content-ID"] and in_related:
            continue  # a picture inside the mail's HTML (a logo, a signature)
        try:
            data = part.get_payload(decode=True) or b""
        except Exception as exc:
            taken.append(
                Attachment(filename or "tệp không tên", None, f"không giải mã được ({exc})")
            )
            continue
        kind = _kind(filename, content_type, data)
        if not _wanted(rule, kind):
            left.append(filename or content_type)
            continue
        filename = filename or f"thu-dinh-kem-{len(taken) + 1}{KIND_SUFFIX[kind]}"
        if {type(d).__name__ for d in part.defects} & _BASE64_DEFECTS:
            taken.append(
                Attachment(filename, None, "tệp đính kèm hỏng (mã base64 lỗi); nhờ nơi gửi gửi lại")
            )
            continue
        taken.append(Attachment(filename, data))
    return Mail(
        sender=_header(msg, "From")[:255],
        subject=_header(msg, "Subject")[:500] or "(không tiêu đề)",
        sent_at=_sent_at(msg),
        taken=taken,
        left=left,
        broken=sorted(broken),
    )


# --- one account ---


def fetch(account: MailAccount, process: bool = True) -> Fetched:
    """Read every enabled rule of the account. With `process` the ingest jobs run here once
    the connection is closed (the CLI); without, they go to the background worker as each
    mail's transaction commits (the server). Never raises for a bad mail, server or
    password: see `Fetched.errors`."""
    report = Fetched(account.name)
    try:
        conn = connect(account)
    except MailError as exc:
        report.errors.append(str(exc))
    else:
        try:
            for rule in account.rules.filter(enabled=True):
                try:
                    report.mails.extend(_run_rule(conn, account, rule, process))
                except MailError as exc:
                    report.errors.append(str(exc))
                except (imaplib.IMAP4.error, OSError) as exc:
                    report.errors.append(
                        f"hộp thư {account.name}/{rule.folder}: mất kết nối với máy chủ ({exc}); "
                        "các thư đã nhận được giữ, chạy lại để nhận nốt"
                    )
                    break
        finally:
            _close(conn)
    if process:  # after logging out: OCR may take longer than the server waits
        _run_now(report.mails)
    for problem in report.errors:
        log.warning("%s", problem)
    MailAccount.objects.filter(pk=account.pk).update(
        last_checked_at=timezone.now(), last_error="\n".join(report.errors)
    )
    return report


def _run_now(results: list[MailResult]) -> None:
    """Run the mails' queued ingest jobs here (the CLI), noting the failed ones on their mail."""
    queued = [j for r in results for j in r.jobs if j.status == IngestJob.Status.QUEUED]
    finished = {j.pk: j for j in run_jobs(queued)}
    for result in results:
        result.jobs = [finished.get(j.pk, j) for j in result.jobs]
        failed = [j.message for j in result.jobs if j.status == IngestJob.Status.FAILED]
        if failed:
            result.message = "; ".join(filter(None, [result.message, *failed]))
            ProcessedMail.objects.filter(
                account__name=result.account, folder=result.folder, message_id=result.message_id
            ).update(message=result.message)


def _run_rule(
    conn: imaplib.IMAP4, account: MailAccount, rule: MailRule, process: bool
) -> list[MailResult]:
    where = f"hộp thư {account.name}/{rule.folder}"
    typ, data = conn.select(_mailbox(rule.folder))
    if typ != "OK":
        raise MailError(f"{where}: không mở được thư mục ({_said(data)}); kiểm tra tên thư mục")
    search = "UNSEEN" if rule.unseen_only else "ALL"
    uids = (_ok(conn.uid("SEARCH", None, search), where)[0] or b"").split()
    results = []
    for uid, size, head in _headers(conn, uids, where):
        results.append(_one_mail(conn, account, rule, uid, size, head, process))
    return results


def _one_mail(
    conn: imaplib.IMAP4,
    account: MailAccount,
    rule: MailRule,
    uid: bytes,
    size: int,
    head: bytes,
    process: bool,
) -> MailResult:
    headers = email.message_from_bytes(head, policy=email.policy.default)
    sender = _header(headers, "From")[:255]
    subject = _header(headers, "Subject")[:500] or "(không tiêu đề)"
    message_id = _header(headers, "Message-ID")[:500]
    result = MailResult(account.name, rule.folder, message_id, sender, subject, "")
    where = f"hộp thư {account.name}/{rule.folder}, thư “{subject}” của {sender}"
    if rule.sender_filter and rule.sender_filter.strip().lower() not in sender.lower():
        result.outcome = "not-matched"
        return result
    raw = None
    if not message_id:  # named by its content instead, so it is still taken once
        raw = _body(conn, uid, where)
        message_id = result.message_id = f"<sha256:{_sha256(raw)}@cchc>"
    done = ProcessedMail.objects.filter(
        account=account, folder=rule.folder, message_id=message_id
    ).first()
    if done is not None:
        result.outcome = "seen"
        _retry_action(conn, rule, uid, done, result, where)
        return result

    mail, problem = None, ""
    limit = max_mail_bytes()
    if size > limit:
        problem = (
            f"thư quá lớn ({size // (1024 * 1024)} MB, giới hạn {limit // (1024 * 1024)} MB); "
            "không tải về, hãy lưu tệp đính kèm và nhập tay"
        )
    else:
        raw = raw if raw is not None else _body(conn, uid, where)
        try:
            mail = read_mail(raw, rule)
        except Exception as exc:  # the parser is lenient; this is a mail it cannot read at all
            log.warning("%s: unreadable mail", where, exc_info=True)
            problem = f"thư hỏng, không đọc được ({type(exc).__name__}); nhờ nơi gửi gửi lại"
    try:
        jobs = _record(account, rule, message_id, sender, subject, mail, problem, result, process)
    except IntegrityError:  # another run took this mail just now
        result.outcome, result.message = "seen", ""
        return result
    result.jobs = jobs
    log.info("%s: %s", where, result.outcome)
    if result.outcome == ProcessedMail.Outcome.INGESTED:
        try:
            _act(conn, rule, uid, where)
        except MailError as exc:
            result.message = "; ".join(
                filter(None, [result.message, f"{exc}; sẽ thử lại lần chạy sau"])
            )
        else:
            ProcessedMail.objects.filter(
                account=account, folder=rule.folder, message_id=message_id
            ).update(action_done=True)
    return result


def _record(
    account: MailAccount,
    rule: MailRule,
    message_id: str,
    sender: str,
    subject: str,
    mail: Mail | None,
    problem: str,
    result: MailResult,
    process: bool,
) -> list[IngestJob]:
    """The mail's record, its attachments' ingest jobs and their links, in one transaction;
    sets the result's outcome and message. Unless the caller runs the jobs itself (`process`),
    they go to the background worker once it commits."""
    jobs: list[IngestJob] = []
    notes = [problem] if problem else []
    with transaction.atomic():
        record = ProcessedMail.objects.create(
            account=account,
            folder=rule.folder,
            message_id=message_id,
            rule=rule,
            sender=mail.sender if mail else sender,
            subject=mail.subject if mail else subject,
            sent_at=mail.sent_at if mail else None,
            outcome=ProcessedMail.Outcome.FAILED,
        )
        for attachment in mail.taken if mail else []:
            job, why = None, attachment.problem
            if attachment.data is not None:
                try:
                    job = accept_upload([attachment.data], attachment.filename, None, "den")
                except UploadRejected as exc:
                    why = str(exc)
                except OSError as exc:
                    why = f"không lưu được ({exc})"
            if why:
                notes.append(why if attachment.filename in why else f"{attachment.filename}: {why}")
            MailAttachment.objects.create(
                mail=record, filename=attachment.filename[:255], job=job, problem=why
            )
            if job is not None:
                jobs.append(job)
        if mail is not None and not mail.taken:
            if mail.broken:
                notes.append(
                    "thư hỏng cấu trúc MIME (" + ", ".join(mail.broken) + "), không đọc được "
                    "tệp đính kèm; nhờ nơi gửi gửi lại"
                )
            else:
                record.outcome = ProcessedMail.Outcome.SKIPPED
                kinds = ", ".join(mail.left)
                notes.append(
                    f"không có tệp đính kèm loại quy tắc nhận (có: {kinds})"
                    if kinds
                    else "thư không có tệp đính kèm"
                )
        if mail is not None and mail.taken and mail.left:
            notes.append("không nhận tệp loại quy tắc không nhận: " + ", ".join(mail.left))
        if jobs:
            record.outcome = ProcessedMail.Outcome.INGESTED
        record.message = "; ".join(notes)
        record.save(update_fields=["outcome", "message"])
        if jobs and not process:
            from cchc.web.documents import queue

            transaction.on_commit(lambda: [queue.enqueue(j) for j in jobs])
    result.outcome, result.message = record.outcome, record.message
    return jobs


def _retry_action(
    conn: imaplib.IMAP4,
    rule: MailRule,
    uid: bytes,
    done: ProcessedMail,
    result: MailResult,
    where: str,
) -> None:
    if done.outcome != ProcessedMail.Outcome.INGESTED or done.action_done:
        return
    try:
        _act(conn, rule, uid, where)
    except MailError as exc:
        result.message = f"{exc}; sẽ thử lại lần chạy sau"
        return
    ProcessedMail.objects.filter(pk=done.pk).update(action_done=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- every account ---


def fetch_all(name: str | None = None, process: bool = True) -> list[Fetched]:
    """Read the enabled accounts (or the one named): one report each, in name order."""
    accounts = MailAccount.objects.filter(enabled=True)
    if name is not None:
        accounts = MailAccount.objects.filter(name=name)
        if not accounts.exists():
            raise MailError(f"không có hộp thư tên {name}; xem danh sách trong trang quản trị")
    return [fetch(account, process) for account in accounts.order_by("name")]

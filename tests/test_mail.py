"""Documents by e-mail: mails delivered to a real IMAP server (Dovecot on loopback, started by
the test, see tests/imap_server.py) and read by `cchc.web.mail.services.fetch`."""

from __future__ import annotations

import itertools
import logging
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc.web.documents.models import Document, IngestJob
from cchc.web.mail.models import MailAccount, MailRule, ProcessedMail
from cchc.web.mail.services import fetch, imap_utf7
from tests import imap_server
from tests.documents import write_docx, write_pdf

pytestmark = pytest.mark.skipif(
    not imap_server.available(), reason="dovecot-imapd not installed (Makefile's apt line)"
)

PASSWORD = "Mk-imap-7Qx!2026"
SENDER = "Văn phòng UBND tỉnh <vanphong@binhlong.gov.vn>"
_users = itertools.count(1)


@pytest.fixture(scope="module")
def server():
    with imap_server.Dovecot(PASSWORD) as running:
        yield running


@pytest.fixture
def mailbox(server, db, media):
    """A fresh IMAP user of its own and a cchc account with one mark-read rule reading it."""
    user = f"vanthu{next(_users)}@anphu.test"
    server.add_user(user, PASSWORD)
    account = MailAccount.objects.create(
        name=f"Văn thư {user}",
        host="127.0.0.1",
        port=server.port,
        security=MailAccount.Security.NONE,
        username=user,
        password=PASSWORD,
    )
    rule = MailRule.objects.create(account=account, name="Hộp thư đến", folder="INBOX")
    account.user = user
    account.rule = rule
    return account


def mail(subject: str, *files, sender: str = SENDER, message_id: str | None = None):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "vanthu@anphu.gov.vn"
    msg["Subject"] = subject
    msg["Date"] = "Thu, 03 Dec 2026 08:15:00 +0700"
    msg["Message-ID"] = message_id or f"<{next(_users)}.{abs(hash(subject))}@binhlong.gov.vn>"
    msg.set_content("Kính gửi văn thư, xin gửi văn bản đính kèm.")
    for path, maintype, subtype in files:
        msg.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return msg


def pdf(tmp_path, name="412-UBND-NV.pdf"):
    return (write_pdf(tmp_path / name), "application", "pdf")


def docx(tmp_path, name="412-UBND-NV.docx"):
    subtype = "vnd.openxmlformats-officedocument.wordprocessingml.document"
    return (write_docx(tmp_path / name), "application", subtype)


def test_a_mail_with_a_pdf_and_a_docx_becomes_two_documents_with_its_sender_and_subject(
    server, mailbox, tmp_path, login
):
    subject = "Công văn 412/UBND-NV về kỷ luật hành chính"
    server.deliver(mailbox.user, PASSWORD, mail(subject, pdf(tmp_path), docx(tmp_path)))

    report = fetch(mailbox)

    assert report.errors == []
    [result] = report.mails
    assert result.outcome == ProcessedMail.Outcome.INGESTED, result.message
    assert [j.status for j in result.jobs] == [IngestJob.Status.DONE] * 2
    docs = Document.objects.filter(pk__in=[j.document_id for j in result.jobs])
    assert sorted(d.original_name for d in docs) == ["412-UBND-NV.docx", "412-UBND-NV.pdf"]
    for doc in docs:
        assert doc.number == "412/UBND-NV"
        assert doc.direction == "den" and doc.incoming_number
        assert doc.received_via == Document.ReceivedVia.EMAIL
    record = ProcessedMail.objects.get()
    assert (record.sender, record.subject) == (SENDER, subject)
    assert record.attachments.count() == 2
    page = login("vanthu").get(f"/van-ban/{docs[0].pk}/")
    html = page.content.decode()
    assert "Nhận qua thư điện tử" in html
    assert "vanphong@binhlong.gov.vn" in html and subject in html


def test_a_mail_without_attachments_is_skipped_with_a_message_and_left_unread(
    server, mailbox, tmp_path
):
    server.deliver(mailbox.user, PASSWORD, mail("Lịch họp giao ban tuần"))

    [result] = fetch(mailbox).mails

    assert result.outcome == ProcessedMail.Outcome.SKIPPED
    assert "không có tệp đính kèm" in result.message
    assert "Lịch họp giao ban tuần" in result.line() and mailbox.name in result.line()
    assert Document.objects.count() == 0 and IngestJob.objects.count() == 0
    assert server.mailbox(mailbox.user, PASSWORD) == [
        {"subject": "Lịch họp giao ban tuần", "seen": False}
    ]


def test_attachments_of_other_kinds_are_left_and_named(server, mailbox, tmp_path):
    sheet = tmp_path / "bang-tinh.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook")
    mailbox.rule.take_docx = False
    mailbox.rule.save()
    server.deliver(
        mailbox.user,
        PASSWORD,
        mail("Số liệu", (sheet, "application", "octet-stream"), docx(tmp_path)),
    )

    [result] = fetch(mailbox).mails

    assert result.outcome == ProcessedMail.Outcome.SKIPPED
    assert "bang-tinh.xlsx" in result.message and "412-UBND-NV.docx" in result.message
    assert Document.objects.count() == 0


def test_the_same_mail_fetched_twice_is_ingested_once(server, mailbox, tmp_path):
    mailbox.rule.unseen_only = False  # the read mail is seen again on the second run
    mailbox.rule.save()
    server.deliver(mailbox.user, PASSWORD, mail("Quyết định 215", pdf(tmp_path)))

    first = fetch(mailbox).mails
    second = fetch(mailbox).mails

    assert [m.outcome for m in first] == [ProcessedMail.Outcome.INGESTED]
    assert [m.outcome for m in second] == ["seen"]
    assert Document.objects.count() == 1 and IngestJob.objects.count() == 1
    assert ProcessedMail.objects.count() == 1


def test_a_failed_move_is_retried_without_ingesting_again(server, mailbox, tmp_path):
    mailbox.rule.action, mailbox.rule.move_to = MailRule.Action.MOVE, "Đã nhận"
    mailbox.rule.save()
    server.deliver(mailbox.user, PASSWORD, mail("Thông báo kết luận", pdf(tmp_path)))

    [first] = fetch(mailbox).mails  # the folder is not there yet: the move fails

    assert first.outcome == ProcessedMail.Outcome.INGESTED
    assert "chuyển thư sang Đã nhận" in first.message and "thử lại" in first.message
    assert not ProcessedMail.objects.get().action_done
    assert len(server.mailbox(mailbox.user, PASSWORD)) == 1

    server.create_folder(mailbox.user, PASSWORD, imap_utf7("Đã nhận"))
    [second] = fetch(mailbox).mails

    assert second.outcome == "seen" and second.message == ""
    assert ProcessedMail.objects.get().action_done
    assert IngestJob.objects.count() == 1 and Document.objects.count() == 1
    assert server.mailbox(mailbox.user, PASSWORD) == []
    moved = server.mailbox(mailbox.user, PASSWORD, imap_utf7("Đã nhận"))
    assert [m["subject"] for m in moved] == ["Thông báo kết luận"]


def test_mark_read_marks_the_mail_read_on_the_server(server, mailbox, tmp_path):
    server.deliver(mailbox.user, PASSWORD, mail("Kế hoạch CCHC", docx(tmp_path)))
    assert server.mailbox(mailbox.user, PASSWORD)[0]["seen"] is False

    fetch(mailbox)

    assert server.mailbox(mailbox.user, PASSWORD) == [{"subject": "Kế hoạch CCHC", "seen": True}]
    assert ProcessedMail.objects.get().action_done


def test_move_moves_the_mail_to_the_folder_without_marking_it_read(server, mailbox, tmp_path):
    server.create_folder(mailbox.user, PASSWORD, "Archive")
    mailbox.rule.action, mailbox.rule.move_to = MailRule.Action.MOVE, "Archive"
    mailbox.rule.save()
    server.deliver(mailbox.user, PASSWORD, mail("Giấy mời họp", pdf(tmp_path)))

    fetch(mailbox)

    assert server.mailbox(mailbox.user, PASSWORD) == []
    assert server.mailbox(mailbox.user, PASSWORD, "Archive") == [
        {"subject": "Giấy mời họp", "seen": False}
    ]


def test_a_sender_filter_leaves_other_senders_mail_alone(server, mailbox, tmp_path):
    mailbox.rule.sender_filter = "@binhlong.gov.vn"
    mailbox.rule.save()
    server.deliver(
        mailbox.user, PASSWORD, mail("Quảng cáo", pdf(tmp_path), sender="shop@example.com")
    )
    server.deliver(mailbox.user, PASSWORD, mail("Công văn", docx(tmp_path)))

    results = fetch(mailbox).mails

    assert sorted(m.outcome for m in results) == ["ingested", "not-matched"]
    assert ProcessedMail.objects.get().subject == "Công văn"
    seen = {m["subject"]: m["seen"] for m in server.mailbox(mailbox.user, PASSWORD)}
    assert seen == {"Quảng cáo": False, "Công văn": True}


def test_a_wrong_password_is_a_clear_error_and_stores_nothing(server, mailbox, tmp_path, caplog):
    server.deliver(mailbox.user, PASSWORD, mail("Công văn", pdf(tmp_path)))
    mailbox.password = "sai-mat-khau-99"
    mailbox.save()

    with caplog.at_level(logging.DEBUG):
        report = fetch(mailbox)

    [error] = report.errors
    assert mailbox.name in error and "từ chối đăng nhập" in error and mailbox.user in error
    assert "sai-mat-khau-99" not in error and "sai-mat-khau-99" not in caplog.text
    assert report.failed and report.mails == []
    assert ProcessedMail.objects.count() == 0 and IngestJob.objects.count() == 0
    mailbox.refresh_from_db()
    assert mailbox.last_error == error
    assert server.mailbox(mailbox.user, PASSWORD)[0]["seen"] is False


def test_the_password_from_the_environment_is_used_and_never_logged(
    server, mailbox, tmp_path, caplog, monkeypatch
):
    monkeypatch.setenv("CCHC_TEST_MAIL_PASSWORD", PASSWORD)
    mailbox.password, mailbox.password_env = "", "CCHC_TEST_MAIL_PASSWORD"
    mailbox.save()
    server.deliver(mailbox.user, PASSWORD, mail("Báo cáo", pdf(tmp_path)))
    server.deliver(mailbox.user, PASSWORD, mail("Không đính kèm"))

    with caplog.at_level(logging.DEBUG):
        report = fetch(mailbox)

    assert report.errors == [] and len(report.mails) == 2
    assert caplog.text  # the run is logged…
    assert PASSWORD not in caplog.text  # …without the password
    assert PASSWORD not in repr(mailbox) and PASSWORD not in str(report)


def test_an_unset_password_variable_names_it(mailbox):
    mailbox.password, mailbox.password_env = "", "CCHC_NO_SUCH_VARIABLE"
    mailbox.save()

    [error] = fetch(mailbox).errors

    assert "CCHC_NO_SUCH_VARIABLE" in error and mailbox.name in error


def test_a_server_that_is_not_there_is_a_clear_error(mailbox):
    mailbox.port = imap_server._free_port()
    mailbox.save()

    [error] = fetch(mailbox).errors

    assert "không kết nối được" in error and f"127.0.0.1:{mailbox.port}" in error


@pytest.mark.parametrize(
    ("security", "said"),
    [(MailAccount.Security.SSL, "lỗi TLS"), (MailAccount.Security.STARTTLS, "STARTTLS")],
)
def test_a_security_mode_the_server_does_not_speak_is_a_clear_error(
    server, mailbox, tmp_path, security, said
):
    server.deliver(mailbox.user, PASSWORD, mail("Công văn", pdf(tmp_path)))
    mailbox.security = security
    mailbox.save()

    [error] = fetch(mailbox).errors

    assert mailbox.name in error and said in error and "bảo mật" in error
    assert ProcessedMail.objects.count() == 0


def test_an_attachment_over_the_size_limit_is_named_and_the_others_are_taken(
    server, mailbox, tmp_path, settings
):
    big = tmp_path / "ho-so-quet.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 300_000)
    settings.CCHC_MAX_UPLOAD_BYTES = 200_000
    settings.CCHC_MAIL_MAX_BYTES = 2_000_000
    server.deliver(
        mailbox.user,
        PASSWORD,
        mail("Hồ sơ", (big, "application", "pdf"), docx(tmp_path)),
    )

    [result] = fetch(mailbox).mails

    assert result.outcome == ProcessedMail.Outcome.INGESTED
    assert "ho-so-quet.pdf" in result.message and "quá lớn" in result.message
    assert [j.original_name for j in result.jobs] == ["412-UBND-NV.docx"]
    assert Document.objects.count() == 1


def test_a_mail_over_the_mail_limit_is_not_downloaded_and_stays_unread(
    server, mailbox, tmp_path, settings
):
    settings.CCHC_MAIL_MAX_BYTES = 10_000
    server.deliver(mailbox.user, PASSWORD, mail("Hồ sơ lớn", pdf(tmp_path)))

    [result] = fetch(mailbox).mails

    assert result.outcome == ProcessedMail.Outcome.FAILED
    assert "thư quá lớn" in result.message and "Hồ sơ lớn" in result.line()
    assert IngestJob.objects.count() == 0
    assert server.mailbox(mailbox.user, PASSWORD)[0]["seen"] is False


def test_broken_mime_is_a_failed_mail_with_a_message_and_the_batch_goes_on(
    server, mailbox, tmp_path
):
    broken = (
        b"From: " + "Sở Nội vụ <snv@binhlong.gov.vn>".encode() + b"\r\n"
        b"Subject: =?utf-8?b?SOG7j25nIE1JTUU=?=\r\n"
        b"Message-ID: <broken-1@binhlong.gov.vn>\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--ABC\r\nContent-Type: application/pdf\r\n\r\n%PDF truncated\r\n"
    )
    server.deliver(mailbox.user, PASSWORD, broken)
    bad_base64 = (
        b"From: snv@binhlong.gov.vn\r\nSubject: base64\r\nMessage-ID: <broken-2@x>\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain\r\n\r\nxin gui\r\n--B\r\n"
        b'Content-Type: application/pdf; name="qd.pdf"\r\n'
        b'Content-Disposition: attachment; filename="qd.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x!!!LjQK*\r\n--B--\r\n"
    )
    server.deliver(mailbox.user, PASSWORD, bad_base64)
    no_boundary = (
        b"From: snv@binhlong.gov.vn\r\nSubject: no boundary\r\nMessage-ID: <broken-3@x>\r\n"
        b"Content-Type: multipart/mixed\r\n\r\n--X\r\nContent-Type: application/pdf\r\n\r\n"
        b"%PDF\r\n--X--\r\n"
    )
    server.deliver(mailbox.user, PASSWORD, no_boundary)
    server.deliver(mailbox.user, PASSWORD, mail("Công văn tốt", pdf(tmp_path)))

    results = {m.subject: m for m in fetch(mailbox).mails}

    assert results["Hỏng MIME"].outcome == ProcessedMail.Outcome.FAILED
    assert "MIME" in results["Hỏng MIME"].message
    assert results["base64"].outcome == ProcessedMail.Outcome.FAILED
    assert "qd.pdf" in results["base64"].message and "base64" in results["base64"].message
    assert results["no boundary"].outcome == ProcessedMail.Outcome.FAILED
    assert "NoBoundaryInMultipartDefect" in results["no boundary"].message
    assert results["Công văn tốt"].outcome == ProcessedMail.Outcome.INGESTED
    assert Document.objects.count() == 1


def test_a_mail_without_message_id_is_still_taken_once(server, mailbox, tmp_path):
    mailbox.rule.unseen_only = False
    mailbox.rule.save()
    msg = mail("Không có Message-ID", pdf(tmp_path))
    del msg["Message-ID"]
    server.deliver(mailbox.user, PASSWORD, msg)

    fetch(mailbox)
    fetch(mailbox)

    record = ProcessedMail.objects.get()
    assert record.message_id.startswith("<sha256:")
    assert IngestJob.objects.count() == 1


def test_cli_fetch_reads_the_named_account_and_reports_each_mail(
    server, mailbox, tmp_path, monkeypatch
):
    from cchc.cli import main
    from cchc.web import runtime

    monkeypatch.setattr(runtime, "setup", lambda: None)  # the test database is set up
    server.deliver(mailbox.user, PASSWORD, mail("Công văn qua lệnh", pdf(tmp_path)))

    out = CliRunner().invoke(main, ["mail", "fetch", "--account", mailbox.name])

    assert out.exit_code == 0, out.output
    assert "Công văn qua lệnh" in out.output and "đã nhận" in out.output
    assert "412/UBND-NV" in out.output
    missing = CliRunner().invoke(main, ["mail", "fetch", "--account", "Không có"])
    assert missing.exit_code == 2 and "không có hộp thư tên Không có" in missing.output


def test_imap_folder_names_are_modified_utf7():
    assert imap_utf7("INBOX") == "INBOX"
    assert imap_utf7("A&B") == "A&-B"
    assert imap_utf7("Đã nhận") == "&ARAA4w- nh&Hq0-n"


EDXML = Path(__file__).parent / "fixtures" / "edxml" / "cong-van-1287.edxml"


def test_an_edxml_package_sent_as_xml_is_taken_as_a_package(server, mailbox, tmp_path):
    if not EDXML.is_file():
        pytest.skip(f"{EDXML} not found")
    package = tmp_path / "goi-tin.xml"
    package.write_bytes(EDXML.read_bytes())
    server.deliver(mailbox.user, PASSWORD, mail("Gói tin", (package, "application", "xml")))

    [result] = fetch(mailbox).mails

    assert result.outcome == ProcessedMail.Outcome.INGESTED, result.message
    [job] = result.jobs
    assert job.status == IngestJob.Status.DONE, job.message
    assert job.document.quality.get("source") == "edxml"


def test_pictures_inside_the_mail_are_not_taken_and_other_images_follow_the_rule(
    server, mailbox, tmp_path
):
    mailbox.rule.take_images = False
    mailbox.rule.save()
    logo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    msg = mail("Có logo")
    msg.set_content('<p>Xin gửi <img src="cid:logo@x"></p>', subtype="html")
    msg.add_related(logo, maintype="image", subtype="png", cid="<logo@x>", filename="logo.png")
    path, maintype, subtype = pdf(tmp_path)
    msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    msg.add_attachment(logo, maintype="image", subtype="png", filename="ban-quet.png")
    server.deliver(mailbox.user, PASSWORD, msg)

    [result] = fetch(mailbox).mails

    assert [j.original_name for j in result.jobs] == ["412-UBND-NV.pdf"]
    assert "ban-quet.png" in result.message and "logo.png" not in result.message
    record = ProcessedMail.objects.get()
    assert [a.filename for a in record.attachments.all()] == ["412-UBND-NV.pdf"]


def test_without_processing_the_jobs_go_to_the_worker_when_the_mail_is_stored(
    server, mailbox, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from cchc.web.documents import queue

    sent = []
    monkeypatch.setattr(queue, "enqueue", sent.append)
    server.deliver(mailbox.user, PASSWORD, mail("Cho worker", pdf(tmp_path), docx(tmp_path)))

    with django_capture_on_commit_callbacks(execute=True):
        [result] = fetch(mailbox, process=False).mails

    assert [j.status for j in result.jobs] == [IngestJob.Status.QUEUED] * 2
    assert sorted(j.pk for j in sent) == sorted(j.pk for j in result.jobs)
    assert Document.objects.count() == 0
    assert server.mailbox(mailbox.user, PASSWORD)[0]["seen"] is True

"""Reminders: notifications in the app with their unread badge, and each person's daily digest,
e-mailed through a real SMTP server (a local sink started here) when EMAIL_HOST is set."""

from __future__ import annotations

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.cli import main
from cchc.web.accounts.models import Unit
from cchc.web.documents.models import Document
from cchc.web.work import notify
from cchc.web.work.models import Notification, Task

MAI = "mai@anphu.gov.vn"


def user(name: str):
    return get_user_model().objects.get(username=name)


class Sink:
    """An SMTP server's handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A local SMTP sink, and the app's mail settings pointed at it."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "cchc@anphu.gov.vn"
    yield sink
    controller.stop()


@pytest.fixture
def work(deployment):
    """Mai of Phòng Nội vụ has an assignment (told in the app), one overdue task and one due in
    two days; the leader has a document waiting for direction. Both have e-mail addresses."""
    today = timezone.localdate()
    unit = Unit.objects.get(name="Sở Nội vụ")
    mai, leader = user("noivu"), user("lanhdao")
    for person, address in ((mai, "mai@anphu.gov.vn"), (leader, "lanhdao@anphu.gov.vn")):
        person.email = address
        person.save()
    overdue = Task.objects.create(
        unit=unit, assignee=mai, action="Rà soát thủ tục cấp phép", deadline=today - timedelta(2)
    )
    soon = Task.objects.create(
        unit=unit, assignee=mai, action="Báo cáo kiểm soát TTHC", deadline=today + timedelta(2)
    )
    Task.objects.create(unit=unit, assignee=mai, action="Việc xa", deadline=today + timedelta(30))
    notify.assigned(soon, mai, user("truongnv"))
    Document.objects.create(
        original_name="cv-den.txt",
        original="cv-den.txt",
        content_type="text/plain",
        size=0,
        text="",
        sha256="b" * 64,
        handling=Document.Handling.WAITING,
    )
    return {"overdue": overdue, "soon": soon, "today": today}


def test_the_daily_digest_is_mailed_to_each_person_once(work, smtp):
    counts = notify.send_digests(site="https://cchc.anphu.gov.vn")
    assert counts == {"digests": 3, "emailed": 2, "skipped": 0}  # the admin has no address
    by_recipient = dict(zip((r[0] for r in smtp.recipients), smtp.messages, strict=True))
    mai = by_recipient["mai@anphu.gov.vn"]
    assert mai["From"] == "cchc@anphu.gov.vn"
    assert mai["Subject"].strip() == (
        f"[cchc] Việc ngày {work['today']:%d/%m/%Y}: 1 việc quá hạn, 1 việc sắp đến hạn, "
        "1 thông báo mới"
    )
    lines = mai.get_content().splitlines()
    assert lines[0] == "Kính gửi Trần Thị Mai (Sở Nội vụ),"
    assert "Việc quá hạn (1):" in lines and "Việc đến hạn trong 3 ngày (1):" in lines
    overdue = next(line for line in lines if "Rà soát thủ tục cấp phép" in line)
    assert "quá 2 ngày" in overdue
    assert overdue.endswith(f"https://cchc.anphu.gov.vn/cong-viec/{work['overdue'].pk}/")
    assert any(line.startswith("- Vũ Đức Long") and "giao cho bạn" in line for line in lines)
    assert not any("Việc xa" in line for line in lines)
    leader = by_recipient["lanhdao@anphu.gov.vn"].get_content()
    assert "Văn bản đến chờ ý kiến chỉ đạo của bạn: 1." in leader
    assert Notification.objects.get(kind="assigned").emailed_at is not None
    # a second run the same day sends nothing again
    again = notify.send_digests()
    assert again["emailed"] == 0 and len(smtp.messages) == 2


def test_the_next_digest_carries_only_what_is_new(work, smtp):
    notify.send_digests()
    Notification.objects.filter(kind="digest").update(at=timezone.now() - timedelta(days=1))
    notify.send_digests()
    to_mai = [
        m.get_content() for m, r in zip(smtp.messages, smtp.recipients, strict=True) if r == [MAI]
    ]
    assert len(to_mai) == 2
    assert "Thông báo mới (1):" in to_mai[0] and "Thông báo mới" not in to_mai[1]
    assert "Việc quá hạn (1):" in to_mai[1]


def test_without_a_mail_server_the_digest_is_only_in_the_app(work, settings, mailoutbox, client):
    settings.EMAIL_HOST = ""
    counts = notify.send_digests()
    assert counts == {"digests": 3, "emailed": 0, "skipped": 0} and mailoutbox == []
    digest = Notification.objects.get(user__username="noivu", kind="digest")
    assert "Việc quá hạn (1):" in digest.text and digest.emailed_at is None
    client.force_login(user("noivu"))
    page = client.get("/thong-bao/").content.decode()
    assert "Rà soát thủ tục cấp phép" in page and 'class="count">2<' in page


def test_the_digest_command_says_what_it_sent(work, smtp):
    result = CliRunner().invoke(main, ["digest"])
    assert result.exit_code == 0, result.output
    assert "Đã gửi 3 bản tin qua thư điện tử và ứng dụng; 2 thư điện tử" in result.output
    assert len(smtp.messages) == 2


def test_the_digest_command_explains_a_mail_server_that_does_not_answer(work, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    result = CliRunner().invoke(main, ["digest"])
    assert result.exit_code == 1
    assert "không gửi được thư qua 127.0.0.1" in result.output
    # nobody with an address is counted as having had today's digest
    assert not Notification.objects.filter(kind="digest").exclude(user__email="").exists()


def test_the_unread_badge_costs_one_query_and_reading_clears_it(work, client):
    client.force_login(user("noivu"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/lich/").content.decode()
    badge = [q for q in queries.captured_queries if "work_notification" in q["sql"]]
    assert len(badge) == 1 and 'class="count">1<' in page
    client.post("/thong-bao/", {})
    assert Notification.objects.get(kind="assigned").read_at is not None
    assert 'class="count"' not in client.get("/thong-bao/").content.decode()


def test_one_notification_is_marked_read_and_only_ones_own(work, client):
    mine = Notification.objects.get(kind="assigned")
    client.force_login(user("lanhdao"))
    client.post("/thong-bao/", {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is None
    assert client.post("/thong-bao/", {"id": "²"}).status_code == 400
    client.force_login(user("noivu"))
    client.post("/thong-bao/", {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_digest_days_setting_widens_due_soon(work, settings):
    settings.CCHC_DIGEST_DAYS = 1
    assert notify.digest_for(user("noivu")).due_soon == []
    settings.CCHC_DIGEST_DAYS = 40
    assert len(notify.digest_for(user("noivu"), work["today"]).due_soon) == 2


def test_the_digest_counts_what_waits_for_that_persons_direction(work):
    """Documents submitted to another leader are not in my digest; a document sent on to my
    unit is in the digest of the unit's head (as in the direction queue)."""
    Document.objects.update(submitted_to=user("quantri"))
    assert notify.digest_for(user("lanhdao")).waiting == 0
    assert notify.digest_for(user("quantri")).waiting == 1
    head = user("truongnv")
    assert notify.digest_for(head).waiting == 0
    Document.objects.update(
        handling=Document.Handling.FORWARDED, unit=head.profile.unit, submitted_to=None
    )
    assert notify.digest_for(head).waiting == 1
    assert "Văn bản đến chờ ý kiến chỉ đạo của bạn: 1." in notify.digest_for(head).lines()
    assert notify.digest_for(user("lanhdao")).waiting == 0


ENV_MAIL = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
from cchc.web.work.notify import mail_configured
print(mail_configured(), settings.EMAIL_HOST, settings.EMAIL_PORT, settings.DEFAULT_FROM_EMAIL)
if mail_configured():
    send_mail("[cchc] thử", "Nội dung thử", settings.DEFAULT_FROM_EMAIL, ["mai@anphu.gov.vn"])
"""


def test_mail_settings_come_from_the_environment(smtp, tmp_path):
    """A process started with EMAIL_HOST, EMAIL_PORT and DEFAULT_FROM_EMAIL in its environment
    sends through that server; without EMAIL_HOST mail is off (shown in the app only)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    base = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEFAULT_FROM"))}
    base.update(DJANGO_SETTINGS_MODULE="cchc.web.settings", CCHC_DATA_DIR=str(tmp_path))
    mailing = {
        **base,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),  # the sink's
        "DEFAULT_FROM_EMAIL": "vanthu@binhlong.gov.vn",
    }
    run = [sys.executable, "-c", ENV_MAIL]
    sent = subprocess.run(run, env=mailing, capture_output=True, text=True, timeout=120)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.split() == [
        "True",
        "127.0.0.1",
        str(settings.EMAIL_PORT),
        mailing["DEFAULT_FROM_EMAIL"],
    ]
    assert len(smtp.messages) == 1 and smtp.recipients == [["mai@anphu.gov.vn"]]
    assert smtp.messages[0]["From"] == "vanthu@binhlong.gov.vn"
    assert smtp.messages[0].get_content().strip() == "Nội dung thử"
    quiet = subprocess.run(run, env=base, capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.split()[0] == "False" and len(smtp.messages) == 1

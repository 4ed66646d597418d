"""The admin pages of mail accounts: the password is written, never shown back."""

from __future__ import annotations

import pytest

from cchc.web.accounts.models import AuditEntry
from cchc.web.mail.models import MailAccount, MailRule

STORED = "Stored-Secret-4821"


@pytest.fixture
def account(deployment):
    account = MailAccount.objects.create(
        name="Văn thư",
        host="imap.anphu.gov.vn",
        port=993,
        username="vanthu@anphu.gov.vn",
        password=STORED,
    )
    MailRule.objects.create(account=account, name="Hộp thư đến")
    return account


def _form(account: MailAccount, **changes) -> dict:
    data = {
        "name": account.name,
        "host": account.host,
        "port": account.port,
        "security": account.security,
        "username": account.username,
        "password": "",
        "password_env": account.password_env,
        "enabled": "on",
        "rules-TOTAL_FORMS": "0",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def url(account: MailAccount) -> str:
    return f"/quan-tri/mail/mailaccount/{account.pk}/change/"


def test_the_account_page_never_shows_the_stored_password(login, account):
    page = login("quantri").get(url(account))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="password"' in html and STORED not in html


def test_saving_with_an_empty_password_keeps_the_stored_one(login, account):
    answer = login("quantri").post(url(account), _form(account, port="143", security="starttls"))

    assert answer.status_code == 302, answer.content.decode()[:2000]
    account.refresh_from_db()
    assert (account.port, account.password) == (143, STORED)
    entry = AuditEntry.objects.filter(action="mail-mailaccount").latest("at")
    assert entry.user.username == "quantri" and "port" in entry.summary
    assert STORED not in entry.summary


def test_a_typed_password_replaces_it_and_clearing_removes_it(login, account):
    client = login("quantri")
    client.post(url(account), _form(account, password="New-Secret-77"))
    account.refresh_from_db()
    assert account.password == "New-Secret-77"

    client.post(url(account), _form(account, clear_password="on", password_env="CCHC_PW"))
    account.refresh_from_db()
    assert (account.password, account.password_env) == ("", "CCHC_PW")


def test_a_move_rule_without_a_folder_is_refused(account):
    from django.core.exceptions import ValidationError

    rule = account.rules.get()
    rule.action = MailRule.Action.MOVE
    with pytest.raises(ValidationError, match="thư mục đích"):
        rule.full_clean()


def test_only_administrators_reach_the_mail_accounts(login, account):
    answer = login("vanthu").get(url(account))

    assert answer.status_code in (302, 403)
    assert STORED not in answer.content.decode()


def test_a_rule_added_on_the_account_page_is_audited(login, account):
    rule = account.rules.get()
    data = _form(account)
    data.update(
        {
            "rules-TOTAL_FORMS": "2",
            "rules-INITIAL_FORMS": "1",
            "rules-0-id": str(rule.pk),
            "rules-0-account": str(account.pk),
            "rules-0-name": rule.name,
            "rules-0-folder": "INBOX",
            "rules-0-unseen_only": "on",
            "rules-0-take_pdf": "on",
            "rules-0-action": "mark_read",
            "rules-0-enabled": "on",
            "rules-0-order": "0",
            "rules-1-account": str(account.pk),
            "rules-1-name": "Công văn tỉnh",
            "rules-1-folder": "Tỉnh",
            "rules-1-take_edxml": "on",
            "rules-1-action": "move",
            "rules-1-move_to": "Đã nhận",
            "rules-1-enabled": "on",
            "rules-1-order": "1",
        }
    )

    answer = login("quantri").post(url(account), data)

    assert answer.status_code == 302, answer.content.decode()[:3000]
    added = account.rules.get(name="Công văn tỉnh")
    assert (added.folder, added.move_to, added.take_pdf) == ("Tỉnh", "Đã nhận", False)
    summaries = list(
        AuditEntry.objects.filter(action="mail-mailrule").values_list("summary", flat=True)
    )
    assert any("Thêm" in s and "Công văn tỉnh" in s for s in summaries)
    assert any("Sửa" in s and "take_docx" in s for s in summaries)

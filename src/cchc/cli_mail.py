"""`cchc mail fetch`: read the configured mailboxes once (run it from cron)."""

from __future__ import annotations

import sys

import click

from cchc import cli_words


@click.group("mail", cls=cli_words.Group)
def mail_group() -> None:
    """Nhận văn bản từ hộp thư điện tử (IMAP) theo các quy tắc đặt trong trang quản trị."""


@mail_group.command("fetch")
@click.option("--account", "name", default=None, help="Chỉ đọc hộp thư có tên này.")
def fetch_command(name: str | None) -> None:
    """Đọc các hộp thư đang dùng một lần: nhận tệp đính kèm (PDF, DOCX, edXML, ảnh) của thư
    mới vào sổ văn bản đến, rồi đánh dấu đã đọc hoặc chuyển thư. Thư đã nhận không nhận lại.
    Chạy định kỳ bằng cron, ví dụ: */5 * * * * cchc mail fetch"""
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.documents.ingest import DATABASE_AWAY
    from cchc.web.mail.models import MailError
    from cchc.web.mail.services import fetch_all

    try:
        reports = fetch_all(name)
    except MailError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(2)
    except DATABASE_AWAY as exc:
        click.echo(
            f"lỗi: mất kết nối cơ sở dữ liệu ({exc}); chạy lại lệnh khi CSDL hoạt động "
            "(thư đã nhận không bị nhận hai lần).",
            err=True,
        )
        sys.exit(1)
    if not reports:
        click.echo("Chưa có hộp thư nào đang dùng; thêm hộp thư trong trang quản trị.")
    for report in reports:
        shown = [m for m in report.mails if m.outcome not in ("seen", "not-matched")]
        for mail in shown:
            click.echo(mail.line())
            for job in mail.jobs:
                if job.document_id:
                    click.echo(
                        f"  {job.original_name}: {job.get_status_display()} – {job.document}"
                    )
        for problem in report.errors:
            click.echo(f"lỗi: {problem}", err=True)
        click.echo(f"{report.account}: {len(shown)} thư mới.")
    if any(report.failed for report in reports):
        sys.exit(1)

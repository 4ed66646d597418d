"""`cchc edxml …`: thin wrappers over `cchc.edxml` to write packages and status messages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cchc import cli_words, edxml, parse_file
from cchc.errors import CchcError


def _organ(value: str) -> edxml.Organ:
    """`000.00.12.H01=Phòng Nội vụ` or a bare mã định danh."""
    organ_id, _, name = value.partition("=")
    return edxml.Organ(organ_id.strip(), name.strip() or None)


def _fail(exc: CchcError) -> None:
    click.echo(f"lỗi: {exc}", err=True)
    sys.exit(int(exc.exit_code))


@click.group("edxml", cls=cli_words.Group)
def edxml_group() -> None:
    """Gói tin edXML (QCVN 102:2016/BTTTT): lập gói gửi đi và gói trạng thái."""


@edxml_group.command("export")
@click.argument("file", type=click.Path())
@click.option("--from", "sender", required=True, help="Mã định danh cơ quan gửi[=tên].")
@click.option(
    "--to",
    "receivers",
    multiple=True,
    required=True,
    help="Mã định danh cơ quan nhận[=tên]; lặp lại cho nhiều nơi.",
)
@click.option(
    "--attach",
    "attachments",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Tệp đính kèm thêm (văn bản FILE luôn được đính kèm đầu tiên).",
)
@click.option(
    "--response-for",
    "response_for",
    type=click.Path(dir_okay=False),
    help="Gói edXML đã nhận mà văn bản này trả lời.",
)
@click.option(
    "--business",
    type=click.Choice(list(edxml.BUSINESS_TYPES.values())),
    default="new",
    show_default=True,
    help="Nghiệp vụ: mới, thu hồi, cập nhật, thay thế.",
)
@click.option(
    "--priority",
    type=click.IntRange(0, 4),
    default=0,
    show_default=True,
    help="Độ khẩn: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="Tệp .edxml ghi ra."
)
def export_command(
    file, sender, receivers, attachments, response_for, business, priority, output
) -> None:
    """Lập gói edXML cho văn bản FILE (số, ký hiệu, trích yếu… đọc từ chính văn bản)."""
    try:
        doc = parse_file(file, tasks=False)
        targets = []
        if response_for:
            answered = edxml.read_package(response_for)
            targets.append(
                edxml.ResponseFor(
                    answered.sender.organ_id, answered.code, answered.date, answered.document_id
                )
            )
        code = {v: k for k, v in edxml.BUSINESS_TYPES.items()}[business]
        data = edxml.build_package(
            doc,
            _organ(sender),
            [_organ(r) for r in receivers],
            [file, *attachments],
            targets,
            business=code,
            priority=priority,
        )
        edxml.write_atomically(output, data)
    except CchcError as exc:
        _fail(exc)
    click.echo(f"đã ghi gói edXML: {output}", err=True)


@edxml_group.command("status")
@click.argument("package", type=click.Path())
@click.argument("code", type=click.Choice(list(edxml.STATUS_CODES)))
@click.option("--from", "sender", required=True, help="Mã định danh cơ quan mình[=tên].")
@click.option("--description", help="Mô tả (mặc định: tên trạng thái).")
@click.option("--staff", help="Cán bộ xử lý.")
@click.option("--department", help="Phòng, ban xử lý.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Tệp ghi ra (mặc định: <gói>.status-<mã>.edxml cạnh gói nhận).",
)
def status_command(package, code, sender, description, staff, department, output) -> None:
    """Lập gói trạng thái CODE (03 đã tiếp nhận, 04 đã phân công, 05 đang xử lý, 06 hoàn thành…)
    trả lời gói edXML PACKAGE đã nhận."""
    try:
        received = edxml.read_package(package)
        data = edxml.build_status(received, code, _organ(sender), description, staff, department)
        target = Path(output or Path(package).with_suffix(f".status-{code}.edxml"))
        edxml.write_atomically(target, data)
    except CchcError as exc:
        _fail(exc)
    click.echo(f"đã ghi gói trạng thái {code} ({edxml.STATUS_CODES[code]}): {target}", err=True)


@edxml_group.command("extract")
@click.argument("package", type=click.Path())
@click.argument("folder", type=click.Path(file_okay=False))
def extract_command(package, folder) -> None:
    """Ghi các tệp đính kèm của gói edXML PACKAGE vào thư mục FOLDER."""
    try:
        written = edxml.save_attachments(edxml.read_package(package), folder)
    except CchcError as exc:
        _fail(exc)
    for path in written:
        click.echo(str(path))

"""The `cchc` command: thin wrappers over library functions."""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import smtplib
import sys
from pathlib import Path

import click

from cchc import cli_words, external, parse_file
from cchc.cli_edxml import edxml_group
from cchc.cli_mail import mail_group
from cchc.cli_units import units_group
from cchc.document import Document
from cchc.errors import CchcError, ExitCode
from cchc.extract.calendar import national_calendar, tasks_to_ics
from cchc.extract.recurrence_words import period_in_words, recurrence_in_words
from cchc.extracted import tasks_of
from cchc.readers import read_file
from cchc.repair import needs_repair
from cchc.repair.ocr_errors import repair_garbled

cli_words.install()  # Click's "Usage", "Options", "Error: …" in Vietnamese


def _iso_to_vn(iso: str | None) -> str:
    if not iso:
        return "—"
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def summary(doc: Document) -> str:
    """A readable block of the main fields of one document, in Vietnamese."""
    signer = "—"
    if doc.signer:
        signer = " ".join(x for x in (doc.signer.authority, doc.signer.title, doc.signer.name) if x)
    issuer = " / ".join(x for x in (doc.parent_issuer, doc.issuer) if x) or "—"
    rows = [
        ("Tệp", doc.file),
        ("Loại", doc.type or "—"),
        ("Số, ký hiệu", doc.number or (f"(để trống)/{doc.symbol}" if doc.symbol else "—")),
        ("Cơ quan ban hành", issuer),
        ("Nơi, ngày ban hành", f"{doc.place or '—'}, {_iso_to_vn(doc.date)}"),
        ("Trích yếu", doc.subject or "—"),
        ("Kính gửi", "; ".join(doc.recipients) or "—"),
        ("Căn cứ", f"{len(doc.bases)} căn cứ"),
        ("Văn bản được dẫn", ", ".join(r.number for r in doc.references[:8] if r.number) or "—"),
        ("Người ký", signer),
        ("Nơi nhận", "; ".join(doc.distribution) or "—"),
        ("Các phần", ", ".join(s.number for s in doc.sections) or "—"),
    ]
    if doc.edxml:
        rows.append(("Gói edXML", edxml_line(doc.edxml)))
    if doc.signatures:
        from cchc.signatures import describe  # pyHanko loads in ~0.7 s: only for signed PDFs

        rows += [("Chữ ký số", describe(sig)) for sig in doc.signatures]
    if doc.warnings:
        rows.append(("Cảnh báo", "; ".join(doc.warnings)))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def edxml_line(section: dict) -> str:
    """`gửi từ 000.00.31.H01 (…), văn bản mới, 2 tệp đính kèm` or the status it carries."""
    sender = section["sender"]
    words = [f"gửi từ {sender['organ_id']}" + (f" ({sender['name']})" if sender["name"] else "")]
    if section["status"]:
        status = section["status"]
        words.append(f"trạng thái {status['code']} {status['label'] or ''}".strip())
    else:
        business = {"new": "văn bản mới", "revoke": "thu hồi", "update": "cập nhật"}
        words.append(business.get(section["business"], "thay thế"))
        words.append(f"{len(section['attachments'])} tệp đính kèm")
        if section["priority"]:
            words.append(f"độ khẩn: {section['urgency'] or section['priority']}")
    for target in section["response_for"]:
        words.append(f"trả lời {target['code'] or target['document_id']}")
    return ", ".join(words)


def _progress(label: str):
    """A page counter on stderr when it is a terminal, for multi-page OCR."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        if total > 1:
            end = "\n" if done == total else ""
            click.echo(f"\r{label}: OCR trang {done}/{total}", err=True, nl=False)
            click.echo(end, err=True, nl=False)

    return report


def parse_paths(paths: tuple[str, ...], ocr: bool = True) -> tuple[list[Document], list[CchcError]]:
    """Parse each path; one bad file never stops the others."""
    docs: list[Document] = []
    failures: list[CchcError] = []
    for path in paths:
        try:
            docs.append(parse_file(path, ocr=ocr, progress=_progress(path)))
        except CchcError as exc:
            failures.append(exc)
        except RecursionError as exc:  # pathological input must not kill the batch
            failures.append(CchcError(path, f"văn bản quá phức tạp, không phân tích được: {exc}"))
    return docs, failures


@click.group(cls=cli_words.Group)
@click.version_option(package_name="cchc")
def main() -> None:
    """cchc — đọc, hiểu và theo dõi văn bản cải cách hành chính."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="In JSON theo docs/document-json.md (trong kho mã nguồn).",
)
@click.option("--no-ocr", is_flag=True, help="Không nhận dạng chữ trên bản quét.")
def parse(files: tuple[str, ...], as_json: bool, no_ocr: bool) -> None:
    """Phân tích văn bản: số, ký hiệu, loại, ngày, trích yếu, người ký, nơi nhận…"""
    docs, failures = parse_paths(files, ocr=not no_ocr)
    for doc in docs:
        if doc.quality and doc.quality.encoding not in (None, "utf-8", "utf-8-sig"):
            click.echo(
                f"cảnh báo: {doc.file}: không phải UTF-8, "
                f"đã đọc theo bảng mã {doc.quality.encoding}",
                err=True,
            )
    if as_json:
        payload = [d.to_dict() for d in docs]
        out = payload[0] if len(files) == 1 and payload else payload
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(summary(d) for d in docs))
    for failure in failures:
        click.echo(f"lỗi: {failure}", err=True)
    if failures:
        sys.exit(int(failures[0].exit_code))


@main.command()
@click.argument("file", type=click.Path())
@click.option(
    "--pdfa",
    type=click.Path(dir_okay=False),
    help="Ghi thêm bản PDF/A có lớp chữ (tìm kiếm được) để lưu cạnh bản gốc.",
)
def ocr(file: str, pdfa: str | None) -> None:
    """Nhận dạng chữ (OCR tiếng Việt) trên ảnh hoặc PDF quét và in văn bản."""
    try:
        source = read_file(file, ocr=True, progress=_progress(file))
        if pdfa:
            # A scanner's garbage text layer is never kept in the copy.
            external.ocrmypdf_pdfa(Path(file), Path(pdfa), redo_text=bool(source.garbage_layers))
            click.echo(f"đã ghi bản PDF/A: {pdfa}", err=True)
    except CchcError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    click.echo(source.text)


@main.command("repair")
@click.argument("file", type=click.Path())
@click.option("--diff", "show_diff", is_flag=True, help="Chỉ in những dòng đã sửa.")
def repair_command(file: str, show_diff: bool) -> None:
    """Khôi phục dấu tiếng Việt cho văn bản OCR mất dấu (`Kinh gui` → `Kính gửi`)."""
    try:
        source = read_file(file)
    except CchcError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    fixed = repair_garbled(source.text) if needs_repair(source.text) else source.text
    if not show_diff:
        click.echo(fixed)
        return
    before, after = source.text.splitlines(), fixed.splitlines()
    for line in difflib.unified_diff(before, after, "trước", "sau", lineterm="", n=0):
        click.echo(line)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False), help="Ghi lịch iCalendar.")
def tasks(files: tuple[str, ...], as_json: bool, ics_path: str | None) -> None:
    """Công việc được giao: đơn vị chủ trì, phối hợp, nội dung, thời hạn."""
    docs, failures = parse_paths(files)
    if as_json:
        payload = [{"file": d.file, "number": d.number, "tasks": d.tasks} for d in docs]
        click.echo(
            json.dumps(
                payload[0] if len(files) == 1 and payload else payload, ensure_ascii=False, indent=2
            )
        )
    else:
        click.echo("\n\n".join(tasks_table(d) for d in docs))
    if ics_path:
        Path(ics_path).write_bytes(tasks_to_ics(docs))
        click.echo(f"đã ghi lịch: {ics_path}", err=True)
    for failure in failures:
        click.echo(f"lỗi: {failure}", err=True)
    if failures:
        sys.exit(int(failures[0].exit_code))


def tasks_table(doc: Document) -> str:
    """A readable table of one document's tasks."""
    head = f"{doc.file} — {doc.type or '?'} {doc.number or ''}".strip()
    if not doc.tasks:
        return f"{head}\n  (không có công việc được giao)"
    rows = [head]
    for task in tasks_of(doc.tasks):
        when = _iso_to_vn(task.deadline) if task.deadline else "—"
        if task.recurrence:
            when += f" (định kỳ: {recurrence_in_words(task.recurrence) or task.recurrence})"
        elif task.urgent:
            when = "khẩn"
        leads = ", ".join(u.name for u in task.lead)
        rows.append(f"  {task.id:>4}  {task.kind:10}  {when:24}  {leads}")
        rows.append(f"        {_cut(task.action, 110)}")
        if task.support:
            rows.append(f"        phối hợp: {', '.join(u.name for u in task.support)}")
        if task.report_to:
            rows.append(f"        báo cáo: {task.report_to}")
    return "\n".join(rows)


main.add_command(edxml_group)


@main.command("calendar")
@click.argument("year", type=int)
@click.option(
    "--frequency",
    default="quarterly",
    type=click.Choice(["quarterly", "half-yearly", "yearly", "quarterly-and-yearly"]),
)
def calendar_command(year: int, frequency: str) -> None:
    """Lịch báo cáo định kỳ mặc định (Nghị định 09/2019/NĐ-CP) của một năm."""
    try:
        rows = national_calendar(year, frequency)
    except ValueError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(int(ExitCode.usage))
    click.echo(f"{'Kỳ':22}  {'Số liệu từ':12}  {'đến':12}  {'Hạn gửi':12}")
    for row in rows:
        period = period_in_words(row["period"]) or row["period"]
        click.echo(
            f"{period:22}  {_iso_to_vn(row['data_from']):12}  "
            f"{_iso_to_vn(row['data_to']):12}  {_iso_to_vn(row['due']):12}"
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Chỉ nạp dữ liệu demo, không chạy máy chủ.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Dựng đơn vị, người dùng demo (thị xã An Phú), nhập các văn bản mẫu rồi mở ứng dụng web."""
    from cchc.web import runtime

    runtime.setup()
    from cchc.web import demo as demo_data

    jobs = demo_data.load()
    docs = [job.document for job in jobs if job.document is not None]
    click.echo(demo_table([_stored_summary(d) for d in docs]))
    for job in jobs:
        if job.status == "failed":
            click.echo(f"lỗi: {job.message}", err=True)
    click.echo(f"\n{demo_data.summary()}.\n{demo_data.logins()}")
    if not no_serve:
        with _server_lock():
            click.echo(f"\nMở http://{host}:{port}/ (Ctrl+C để dừng)")
            runtime.serve(host, port)


def _stored_summary(stored) -> Document:
    """A stored document as the core's dataclass, for the demo table."""
    from cchc.document import Signer

    return Document(
        file=stored.original_name,
        type=stored.type or None,
        number=stored.number or None,
        date=stored.date.isoformat() if stored.date else None,
        subject=stored.subject,
        signer=Signer(stored.signer_name or None, None, None),
        tasks=stored.machine.get("tasks", []),
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--processes", default=None, type=int, help="Số tiến trình phục vụ (mặc định: số lõi CPU)."
)
def serve(host: str, port: int, processes: int | None) -> None:
    """Chạy ứng dụng web (CSDL theo DATABASE_URL, mặc định SQLite trong CCHC_DATA_DIR)."""
    from cchc.web import runtime

    runtime.setup()
    with _server_lock():  # `cchc restore` waits for no server
        click.echo(f"Mở http://{host}:{port}/ (Ctrl+C để dừng)")
        runtime.serve(host, port, processes)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--watch", "watch_dir", type=click.Path(file_okay=False), help="Theo dõi thư mục.")
@click.option("--direction", type=click.Choice(["den", "di"]), default="den", show_default=True)
@click.option("--interval", default=2.0, show_default=True, help="Giây giữa hai lần quét thư mục.")
def ingest(paths: tuple[str, ...], watch_dir: str | None, direction: str, interval: float) -> None:
    """Nhập văn bản vào sổ (OCR, khôi phục dấu, phân tích, giao việc); --watch: nhập mọi tệp
    mới thả vào thư mục."""
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.documents.ingest import DATABASE_AWAY
    from cchc.web.documents.watch import ingest_paths, watch

    try:
        failed = ingest_paths(paths, direction, click.echo)
        if watch_dir:
            click.echo(f"Đang theo dõi {watch_dir} (Ctrl+C để dừng)")
            watch(Path(watch_dir), direction, interval, click.echo)
    except DATABASE_AWAY as exc:
        click.echo(
            f"lỗi: mất kết nối cơ sở dữ liệu ({exc}). Các tệp đã lưu xong vẫn còn; chạy lại "
            "lệnh khi CSDL hoạt động để nhập nốt (tệp đã có không bị nhập hai lần).",
            err=True,
        )
        sys.exit(1)
    if failed:
        sys.exit(1)


@main.command()
@click.option(
    "--concurrency", default=None, type=int, help="Số tiến trình xử lý (mặc định: số lõi CPU)."
)
@click.option("--name", default=None, help="Tên worker (mặc định: cchc-<pid>@<máy>).")
def worker(concurrency: int | None, name: str | None) -> None:
    """Chạy worker Celery nhận việc nhập văn bản (OCR, khôi phục dấu, phân tích, lập chỉ mục)
    từ CELERY_BROKER_URL."""
    from cchc.web import runtime

    runtime.setup()
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        raise click.UsageError(
            "Chưa đặt CELERY_BROKER_URL (ví dụ redis://127.0.0.1:6379/0): không có hàng đợi "
            "để nhận việc. Khi không đặt, `cchc serve` tự xử lý việc nhập văn bản."
        )
    from cchc.web.worker import run_worker

    with _server_lock():
        run_worker(concurrency or os.cpu_count() or 1, name or f"cchc-{os.getpid()}@%h")


@main.command()
@click.option(
    "--site", default="", help="Địa chỉ trang web ghi trong thư (ví dụ https://cchc.anphu.gov.vn)."
)
def digest(site: str) -> None:
    """Gửi bản tin việc hằng ngày cho từng người (việc mới giao, sắp đến hạn, quá hạn, văn bản
    chờ chỉ đạo): qua thư điện tử khi đặt EMAIL_HOST, luôn có trong mục Thông báo. Chạy mỗi
    ngày một lần (cron); chạy lại trong ngày không gửi lại."""
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.work.notify import mail_configured, send_digests

    try:
        counts = send_digests(site=site.rstrip("/"))
    except (OSError, smtplib.SMTPException) as exc:
        from django.conf import settings

        click.echo(
            f"lỗi: không gửi được thư qua {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ({exc}). "
            "Kiểm tra EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "EMAIL_USE_TLS; các bản tin đã gửi không bị gửi lại khi chạy lại lệnh.",
            err=True,
        )
        sys.exit(1)
    where = "thư điện tử và ứng dụng" if mail_configured() else "ứng dụng (chưa đặt EMAIL_HOST)"
    click.echo(
        f"Đã gửi {counts['digests']} bản tin qua {where}; {counts['emailed']} thư điện tử; "
        f"{counts['skipped']} người đã nhận bản tin hôm nay."
    )


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def createsuperuser(args: tuple[str, ...]) -> None:
    """Tạo tài khoản quản trị."""
    from cchc.web import runtime

    runtime.setup()
    from django.core.management import call_command

    call_command("createsuperuser", *args)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Lệnh quản trị Django (migrate, changepassword, dumpdata…)."""
    from cchc.web import runtime

    runtime.setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc manage", *args])


@contextlib.contextmanager
def _server_lock():
    """The data directory's shared lock for a serving process; a message if a restore runs."""
    from django.conf import settings

    from cchc.web.backup import ServerRunning, server_lock

    held = contextlib.ExitStack()
    try:
        held.enter_context(server_lock(Path(settings.DATA_DIR), exclusive=False))
    except ServerRunning as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    with held:
        yield


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup_command(file: str) -> None:
    """Sao lưu CSDL và thư mục tệp (bản gốc, minh chứng) vào một tệp .tar.gz; chạy được khi
    ứng dụng đang chạy."""
    from cchc.web import backup

    backup.setup()
    try:
        manifest = backup.backup(Path(file))
    except CchcError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    click.echo(f"Đã sao lưu vào {file}: {_backup_counts(manifest)}")


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Thay cả khi CSDL hoặc thư mục tệp đã có dữ liệu.")
def restore_command(file: str, force: bool) -> None:
    """Khôi phục từ tệp của `cchc backup` (kiểm tra toàn bộ trước khi thay; dừng máy chủ
    trước)."""
    from cchc.web import backup

    backup.setup()
    try:
        manifest = backup.restore(Path(file), force=force)
    except CchcError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    click.echo(f"Đã khôi phục bản sao lưu ngày {manifest['created']}: {_backup_counts(manifest)}")
    if not manifest["signed"]:
        click.echo(
            f"Lưu ý: chưa đặt {backup.KEY_VARIABLE}, tổng kiểm chỉ phát hiện bản sao lưu hỏng, "
            "không phát hiện bản bị sửa có chủ ý."
        )


def _backup_counts(manifest: dict) -> str:
    counts = manifest["counts"]
    return (
        f"{counts['documents']} văn bản, {counts['tasks']} công việc, "
        f"{counts['users']} người dùng, {manifest['files']['count']} tệp "
        f"({manifest['files']['bytes'] / 1e6:.1f} MB)"
    )


def demo_table(docs: list[Document]) -> str:
    """One row per document: file, type, number, date, signer, tasks, subject (cut to fit)."""
    header = ("Tệp", "Loại", "Số, ký hiệu", "Ngày", "Người ký", "Việc", "Trích yếu")
    rows = [
        (
            Path(d.file).name,
            d.type or "—",
            d.number or "—",
            _iso_to_vn(d.date),
            d.signer.name if d.signer and d.signer.name else "—",
            str(len(d.tasks)),
            _cut(d.subject or "—", 56),
        )
        for d in docs
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), line, *(fmt.format(*r) for r in rows)])


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


main.add_command(mail_group)  # `cchc mail fetch`
main.add_command(units_group)  # `cchc units seed|map|list`

if __name__ == "__main__":  # pragma: no cover
    main()

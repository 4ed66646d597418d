"""`cchc units …`: thin wrappers over `cchc.web.accounts.services` — seed a province and its
xã/phường/đặc khu from the `vietnam-provinces` package, import an old → new mapping, list units."""

from __future__ import annotations

import sys

import click

from cchc import cli_words


def _setup():
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.accounts import services

    return services


@click.group("units", cls=cli_words.Group)
def units_group() -> None:
    """Đơn vị: tỉnh, sở và xã/phường/đặc khu (từ 1/7/2025), cùng lịch sử đơn vị cũ."""


@units_group.command("seed")
@click.option("--province", required=True, help="Tên hoặc mã tỉnh, thành phố (vd «Điện Biên», 11).")
@click.option("--no-bodies", is_flag=True, help="Không tạo các sở (Nghị định 150/2025/NĐ-CP).")
def seed(province: str, no_bodies: bool) -> None:
    """Tạo UBND tỉnh, các sở và mọi xã/phường/đặc khu của tỉnh (có mã); chạy lại không đổi gì."""
    services = _setup()
    try:
        result = services.seed_province(province, bodies=not no_bodies)
    except services.UnitDataError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(2)
    click.echo(result.summary())


@units_group.command("map")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
def map_command(csv_file: str) -> None:
    """Nhập bảng đơn vị cũ → mới (CSV: old,new,date[,note]); tất cả hoặc không dòng nào."""
    services = _setup()
    try:
        done = services.import_mapping(csv_file)
    except services.UnitDataError as exc:
        click.echo(f"lỗi: {exc}", err=True)
        sys.exit(2)
    click.echo("\n".join([*done, f"{len(done)} dòng đã nhập."]))


@units_group.command("list")
@click.option("--ended", is_flag=True, help="Chỉ các đơn vị đã kết thúc, với đơn vị kế thừa.")
def list_command(ended: bool) -> None:
    """Liệt kê đơn vị (đang hoạt động, hoặc đã kết thúc với «nay là …»)."""
    _setup()
    from cchc.web.accounts.models import Unit

    units = Unit.objects.ended() if ended else Unit.objects.active()
    for unit in units.order_by("kind", "name"):
        code = f" [{unit.admin_code}]" if unit.admin_code else ""
        click.echo(f"{unit.get_kind_display()}: {unit.history_label()}{code}")

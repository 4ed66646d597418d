"""The unit registry as it is since 1 July 2025: seeding a province and its xã/phường/đặc khu from
the `vietnam-provinces` package, the standard sở from `data/co_quan_chuyen_mon.yaml`, and the
history of units that ended (old → new), imported from a CSV file."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from django.db import transaction

from cchc.dates import InvalidDate, parse_user_date
from cchc.extract.units import canonical_name
from cchc.web.accounts.models import Unit, UnitSuccession, audit

# The day the two-tier government began (Nghị quyết 202/2025/QH15 and the resolutions of the
# Ủy ban Thường vụ Quốc hội on the xã): the last day of the old units is the day before.
TWO_TIER_FROM = date(2025, 7, 1)

_DIVISIONS = {
    "tỉnh": Unit.Division.PROVINCE,
    "thành phố trung ương": Unit.Division.CITY,
    "xã": Unit.Division.COMMUNE,
    "phường": Unit.Division.WARD,
    "đặc khu": Unit.Division.SPECIAL_ZONE,
}


class UnitDataError(ValueError):
    """Input the registry refuses; the message names the source (province, file, row)."""


@dataclass
class SeedResult:
    province: Unit
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.province.name}: tạo mới {len(self.created)}, cập nhật {len(self.updated)}, "
            f"giữ nguyên {self.unchanged} đơn vị"
        )


# --- the package ---------------------------------------------------------------------------


def _package():
    try:
        import vietnam_provinces
    except ImportError as exc:  # pinned in pyproject.toml; a clear word if it is missing
        raise UnitDataError(
            "thiếu gói vietnam-provinces: cài bằng `pip install vietnam-provinces==2025.10.1`"
        ) from exc
    return vietnam_provinces


def find_province(query: str):
    """The package's province for a code ("11") or a name ("Điện Biên", "tỉnh Điện Biên",
    "Thành phố Huế", "Huế"); a clear error listing close names otherwise."""
    vp = _package()
    provinces = list(vp.Province.iter_all())
    text = query.strip()
    if text.isdigit():
        for p in provinces:
            if int(p.code) == int(text):
                return p
        raise UnitDataError(f"không có tỉnh, thành phố mã {text} (34 mã từ 01 đến 96)")
    key = _bare(text)
    for p in provinces:
        if _bare(p.name) == key:
            return p
    near = [p.name for p in provinces if key and key in _bare(p.name)]
    hint = f"; có phải: {', '.join(near)}?" if near else ""
    raise UnitDataError(f"không có tỉnh, thành phố tên «{text}»{hint}")


def _bare(name: str) -> str:
    """`Thành phố Huế` and `huế` alike: folded, without the division word."""
    key = canonical_name(name)
    return re.sub(r"^(?:uy ban nhan dan |ubnd )?(?:tinh|thanh pho)\s+", "", key)


@cache
def standard_bodies() -> dict:
    """The cơ quan chuyên môn of Nghị định 150/2025/NĐ-CP (data/co_quan_chuyen_mon.yaml)."""
    text = resources.files("cchc.data").joinpath("co_quan_chuyen_mon.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def ubnd_name(division_name: str) -> str:
    """`Xã Mường Phăng` → `UBND xã Mường Phăng`; `Thành phố Huế` → `UBND thành phố Huế`;
    `Điện Biên` (a tỉnh, the package drops the word) → `UBND tỉnh Điện Biên`."""
    words = division_name.split(" ", 1)
    if words[0] in ("Xã", "Phường", "Đặc", "Thành", "Tỉnh"):
        return f"UBND {division_name[0].lower()}{division_name[1:]}"
    return f"UBND tỉnh {division_name}"


# --- seeding -------------------------------------------------------------------------------


@transaction.atomic
def seed_province(query: str, user=None, bodies: bool = True) -> SeedResult:
    """The province's UBND, its standard sở (`bodies`) and every xã/phường/đặc khu of the
    package, with their codes. Running it again changes nothing; a unit renamed in the package
    is renamed here (same code), a unit already present by name gets its code."""
    vp = _package()
    p = find_province(query)
    division = _DIVISIONS.get(p.division_type.value, Unit.Division.PROVINCE)
    province_name = ubnd_name(p.name)
    short = province_name.removeprefix("UBND ")
    head, result = _upsert(
        None,
        code=f"{int(p.code):02d}",
        name=province_name,
        kind=Unit.Kind.PROVINCE,
        division=division,
        parent=None,
        aliases=f"Ủy ban nhân dân {short}\n{short}",
        short_name="UBND tỉnh" if division == Unit.Division.PROVINCE else "UBND thành phố",
    )
    outcome = SeedResult(province=head)
    _count(outcome, head, result)
    if bodies:
        for name, short_name in standard_bodies()["province"]:
            if division == Unit.Division.CITY:  # Văn phòng UBND thành phố, Thanh tra thành phố
                name = name.replace(" tỉnh", " thành phố")
            unit, result = _upsert_body(head, name, short_name, short)
            _count(outcome, unit, result)
    for ward in vp.Ward.iter_by_province(p.code):
        wdiv = _DIVISIONS.get(ward.division_type.value, Unit.Division.COMMUNE)
        name = ubnd_name(ward.name)
        unit, result = _upsert(
            head,
            code=f"{int(ward.code):05d}",
            name=name,
            kind=Unit.Kind.COMMUNE,
            division=wdiv,
            parent=head,
            aliases=name.removeprefix("UBND "),
            short_name="",
        )
        _count(outcome, unit, result)
    audit(user, "unit-seed", head, outcome.summary())
    return outcome


def _count(outcome: SeedResult, unit: Unit, result: str) -> None:
    if result == "created":
        outcome.created.append(unit.name)
    elif result == "updated":
        outcome.updated.append(unit.name)
    else:
        outcome.unchanged += 1


def _free_name(name: str, unit: Unit | None, province: str) -> str:
    """`name`, or `name (province)` when another unit already goes by it (names are unique:
    two provinces may each have a Phường Tân Phú)."""
    clash = Unit.objects.filter(name=name)
    if unit is not None and unit.pk:
        clash = clash.exclude(pk=unit.pk)
    return f"{name} ({province})" if clash.exists() else name


def _upsert(head, *, code, name, kind, division, parent, aliases, short_name):
    """The active unit with this code (else the active one of this name), created or brought up
    to date; returns (unit, "created" | "updated" | "same")."""
    unit = Unit.objects.active().filter(admin_code=code, kind=kind).first()
    if unit is None:
        unit = Unit.objects.active().filter(name=name, kind=kind).first()
    province = head.name.removeprefix("UBND ") if head is not None else ""
    if unit is None:
        unit = Unit(
            name=_free_name(name, None, province),
            short_name=short_name,
            kind=kind,
            division=division,
            admin_code=code,
            parent=parent,
            aliases=aliases,
        )
        unit.save()
        return unit, "created"
    wanted = {
        "admin_code": code,
        "division": division,
        "parent_id": parent.pk if parent is not None else None,
    }
    if canonical_name(unit.name) not in (
        canonical_name(name),
        canonical_name(f"{name} ({province})"),
    ):
        wanted["name"] = _free_name(name, unit, province)  # renamed in the package
    changed = [k for k, v in wanted.items() if getattr(unit, k) != v]
    if not changed:
        return unit, "same"
    for k in changed:
        setattr(unit, k, wanted[k])
    unit.save()
    return unit, "updated"


def _upsert_body(head: Unit, name: str, short_name: str, province: str):
    """A sở of the province: found under it by name (plain or with the province), else made."""
    names = (name, f"{name} {province}")
    unit = Unit.objects.active().filter(parent=head, name__in=names).first()
    if unit is not None:
        return unit, "same"
    unit = Unit(
        name=_free_name(name, None, province).replace(f"({province})", province).strip(),
        short_name=short_name,
        kind=Unit.Kind.PROVINCE_BODY,
        parent=head,
        aliases=f"{name} {province}",
    )
    unit.save()
    return unit, "created"


# --- history: old → new --------------------------------------------------------------------


@transaction.atomic
def end_unit(
    unit: Unit, successors: list[Unit], on: date = TWO_TIER_FROM, note: str = "", user=None
) -> Unit:
    """`unit` ceased the day before `on`; its work went to `successors` (kept, never deleted)."""
    for new in successors:
        if new.pk == unit.pk:
            raise UnitDataError(f"{unit.name}: không thể kế thừa chính mình")
        if new.ended_on is not None and new.ended_on < on:
            raise UnitDataError(f"{new.name}: đã kết thúc trước {on:%d/%m/%Y}, không thể kế thừa")
    last_day = on - timedelta(days=1)
    if unit.ended_on != last_day:
        unit.ended_on = last_day
        unit.save(update_fields=["ended_on"])
    for new in successors:
        UnitSuccession.objects.update_or_create(
            predecessor=unit, successor=new, defaults={"on": on, "note": note[:300]}
        )
    names = ", ".join(u.name for u in successors) or "—"
    audit(user, "unit-end", unit, f"{unit.name} kết thúc {last_day:%d/%m/%Y}, nay là {names}")
    return unit


def resolve_current(unit_id: int | None) -> int | None:
    """For new work: the active unit an old name now stands for — the unit itself when active,
    its successor when it ended with exactly one active successor, else the unit as named (a
    person chooses among several successors)."""
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).only("id", "ended_on").first()
    if unit is None or unit.ended_on is None:
        return unit_id
    now = unit.current()
    return now[0].pk if len(now) == 1 else unit_id


# CSV columns of a mapping file (UTF-8, a header row; `;` or `,`):
#   old, new, date[, note]   — old/new: a name, a mã đơn vị hành chính or a mã định danh;
#                              date: the first day of the new unit (1/7/2025 or 2025-07-01).
MAPPING_COLUMNS = ("old", "new", "date", "note")


def _find(text: str, *, active: bool) -> Unit | None:
    text = text.strip()
    pool = Unit.objects.active() if active else Unit.objects.all()
    if re.fullmatch(r"[0-9]{2,5}", text):
        return pool.filter(admin_code=text.zfill(5 if len(text) > 2 else 2)).first()
    unit = pool.filter(organ_id=text).first() if re.fullmatch(r"[0-9A-Z.]+", text) else None
    if unit is None:
        unit = pool.filter(name=text).first()
    if unit is None:
        key = canonical_name(text)
        unit = next((u for u in pool.filter(canonical=key)), None)
    return unit


def _old_kind(name: str) -> str:
    key = canonical_name(name)
    if re.match(r"(?:uy ban nhan dan )?(?:huyen|thi xa|quan|thanh pho)\b", key):
        return Unit.Kind.DISTRICT
    if re.match(r"(?:uy ban nhan dan )?(?:xa|phuong|thi tran)\b", key):
        return Unit.Kind.COMMUNE
    if key.startswith("phong "):
        return Unit.Kind.DEPARTMENT
    return Unit.Kind.AGENCY


@transaction.atomic
def import_mapping(source: str | Path, data: bytes | None = None, user=None) -> list[str]:
    """Old → new lines from a CSV file (see MAPPING_COLUMNS). An old unit not in the registry
    is added as ended (a name met in old documents); the new unit must exist and be active.
    All or nothing: any bad row stops the import with its row number."""
    name = str(source)
    raw = Path(source).read_bytes() if data is None else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnitDataError(f"{name}: không phải UTF-8 (lưu lại tệp CSV dạng UTF-8)") from exc
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if not rows:
        raise UnitDataError(f"{name}: tệp rỗng, cần dòng tiêu đề old,new,date[,note]")
    header = {(h or "").strip().lower() for h in rows[0]}
    if not {"old", "new", "date"} <= header:
        raise UnitDataError(f"{name}: thiếu cột; cần tiêu đề old,new,date[,note]")
    errors, plan = [], []
    for n, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        old_text, new_text, day_text = row.get("old", ""), row.get("new", ""), row.get("date", "")
        if not old_text or not new_text:
            errors.append(f"{name}, dòng {n}: thiếu đơn vị cũ hoặc mới")
            continue
        try:
            day = (
                date.fromisoformat(day_text)
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_text)
                else parse_user_date(day_text)
            )
        except (InvalidDate, ValueError) as exc:
            errors.append(f"{name}, dòng {n}: {exc}")
            continue
        new = _find(new_text, active=True)
        if new is None:
            errors.append(
                f"{name}, dòng {n}: không có đơn vị mới «{new_text}» đang hoạt động "
                "(chạy `cchc units seed` trước)"
            )
            continue
        plan.append((old_text, new, day, row.get("note", "")))
    if errors:
        raise UnitDataError("\n".join(errors))
    done = []
    for old_text, new, day, note in plan:
        old = _find(old_text, active=False)
        if old is None:
            if re.fullmatch(r"[0-9]{2,5}", old_text):
                raise UnitDataError(f"{name}: mã cũ {old_text} không có trong danh mục; ghi tên")
            old = Unit(name=old_text[:200], kind=_old_kind(old_text), ended_on=day - timedelta(1))
            old.save()
        if old.pk == new.pk:
            raise UnitDataError(f"{name}: «{old_text}» và «{new.name}» là cùng một đơn vị")
        end_unit(old, [new], day, note, user)
        done.append(f"{old.name} → {new.name}")
    return done

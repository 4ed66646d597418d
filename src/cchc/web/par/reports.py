"""Drafts of the periodic CCHC report and of the index results report, built from the
database into the layout of Nghị định 30/2020 (`cchc.reports.drafts`)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone

from cchc.extract.calendar import report_period
from cchc.reports.drafts import Draft, Heading, Paragraph, Table, write_docx, write_xlsx
from cchc.web.accounts.models import Unit
from cchc.web.par import services
from cchc.web.work.models import Task

PERIODS = {
    "Q1": "quý I",
    "Q2": "quý II",
    "Q3": "quý III",
    "Q4": "quý IV",
    "H1": "6 tháng đầu năm",
    "9M": "9 tháng",
    "Y": "năm",
}
RECIPIENTS = [
    "UBND tỉnh (báo cáo)",
    "Sở Nội vụ",
    "Thường trực HĐND thị xã",
    "CT, các PCT UBND",
    "Các cơ quan, đơn vị, địa phương",
    "Lưu: VT, NV",
]


def _issuer() -> tuple[str, str]:
    """The deployment's own authority (its district-level unit) as printed, and its place name."""
    own = Unit.objects.filter(kind=Unit.Kind.DISTRICT).order_by("pk").first()
    name = own.name if own else "UBND"
    printed = re.sub(r"^UBND\b", "Ủy ban nhân dân", name).upper()
    place = re.sub(
        r"^(?:UBND|Ủy ban nhân dân)\s+(?:thị xã|huyện|thành phố|tỉnh|xã|phường)\s+",
        "",
        name,
        flags=re.I,
    )
    return printed, place


def _vn(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _draft(title: str, symbol: str, body: list, signer_title: str = "CHỦ TỊCH") -> Draft:
    issuer, place = _issuer()
    return Draft(
        issuer=issuer,
        symbol=symbol,
        place=place,
        doc_type="BÁO CÁO",
        title=title,
        body=body,
        recipients=RECIPIENTS,
        signer_title=signer_title,
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        date=None,
    )


def periodic_report(year: int, period: str, user=None) -> tuple[Draft, list[Table]]:
    """Tasks of the period's data window: done, on time, overdue, by unit and by reform area."""
    window = report_period(year, period)
    start, end = date.fromisoformat(window["data_from"]), date.fromisoformat(window["data_to"])
    label = f"{PERIODS[period]} năm {year}" if period != "Y" else f"năm {year}"
    tasks = list(
        Task.objects.exclude(collective=True)
        .filter(Q(deadline__range=(start, end)) | Q(completed_at__date__range=(start, end)))
        .select_related("unit", "criterion__area", "document")
        .prefetch_related("evidence")
    )
    today = min(end, timezone.localdate())
    done = [t for t in tasks if t.status == Task.Status.DONE]
    on_time = [t for t in done if t.on_time]
    overdue = [
        t for t in tasks if t.status != Task.Status.DONE and t.deadline and t.deadline < today
    ]
    by_unit: dict[str, list[Task]] = defaultdict(list)
    by_area: dict[str, list[Task]] = defaultdict(list)
    for t in tasks:
        by_unit[t.unit.name if t.unit else (t.lead_text or "Chưa giao đơn vị")].append(t)
        area = (
            t.criterion.area.name
            if t.criterion and t.criterion.area
            else (t.criterion.name if t.criterion else "Nhiệm vụ chung (chưa gắn lĩnh vực)")
        )
        by_area[area].append(t)

    def counts(group: list[Task]) -> list:
        finished = [t for t in group if t.status == Task.Status.DONE]
        return [
            len(group),
            len(finished),
            sum(bool(t.on_time) for t in finished),
            sum(
                t.status != Task.Status.DONE and bool(t.deadline) and t.deadline < today
                for t in group
            ),
        ]

    header = ["Tổng số", "Hoàn thành", "Đúng hạn", "Quá hạn"]
    unit_table = Table(
        title="Kết quả theo đơn vị",
        header=["STT", "Đơn vị", *header],
        rows=[
            [n, name, *counts(group)] for n, (name, group) in enumerate(sorted(by_unit.items()), 1)
        ],
    )
    area_table = Table(
        title="Kết quả theo lĩnh vực cải cách",
        header=["STT", "Lĩnh vực", *header],
        rows=[
            [n, name, *counts(group)] for n, (name, group) in enumerate(sorted(by_area.items()), 1)
        ],
    )
    late_table = Table(
        title="Nhiệm vụ quá hạn",
        header=["STT", "Nhiệm vụ", "Đơn vị", "Hạn", "Văn bản giao"],
        rows=[
            [
                n,
                t.action[:200],
                t.unit.name if t.unit else t.lead_text,
                _vn(t.deadline),
                str(t.document) if t.document else "",
            ]
            for n, t in enumerate(overdue, 1)
        ],
    )
    evidence_table = Table(
        title="Minh chứng kết quả",
        header=["STT", "Nhiệm vụ đã hoàn thành", "Đơn vị", "Minh chứng"],
        rows=[
            [
                n,
                t.action[:160],
                t.unit.name if t.unit else "",
                "; ".join(e.name for e in t.evidence.all()) or "(chưa có minh chứng)",
            ]
            for n, t in enumerate(done, 1)
        ],
    )
    rate = f"{100 * len(on_time) / len(done):.1f}%" if done else "—"
    body = [
        Heading("I. TÌNH HÌNH TRIỂN KHAI", 1),
        Paragraph(
            f"Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính {label}; số liệu tính từ "
            f"ngày {_vn(start)} đến ngày {_vn(end)} (chế độ báo cáo định kỳ theo Nghị định "
            f"09/2019/NĐ-CP)."
        ),
        Heading("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", 1),
        Paragraph(
            f"Trong kỳ có {len(tasks)} nhiệm vụ đến hạn hoặc hoàn thành; đã hoàn thành "
            f"{len(done)} nhiệm vụ, trong đó {len(on_time)} nhiệm vụ đúng hạn (tỷ lệ {rate}); "
            f"{len(overdue)} nhiệm vụ quá hạn chưa hoàn thành."
        ),
        Heading("1. Kết quả theo đơn vị", 2),
        unit_table,
        Heading("2. Kết quả theo lĩnh vực cải cách", 2),
        area_table,
        Heading("3. Nhiệm vụ quá hạn", 2),
        late_table if overdue else Paragraph("Không có nhiệm vụ quá hạn."),
        Heading("4. Minh chứng", 2),
        evidence_table if done else Paragraph("Chưa có nhiệm vụ hoàn thành trong kỳ."),
        Heading("III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1),
        Paragraph(
            "Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành, tập trung khắc phục các "
            "nhiệm vụ quá hạn nêu tại mục II.3."
        ),
    ]
    title = f"Kết quả thực hiện công tác cải cách hành chính {label}"
    return _draft(title, "BC-UBND", body), [unit_table, area_table, late_table, evidence_table]


def index_report(stored, year: int, user=None) -> tuple[Draft, list[Table]]:
    """Ranking, per-area points and the weakest criteria of each unit."""
    rows = services.ranking(stored, year)
    areas = list(stored.criteria.filter(depth=0))
    ranking_table = Table(
        title="Xếp hạng",
        header=["Hạng", "Đơn vị", "Điểm đạt", "Chỉ số (%)", "So với năm trước"],
        rows=[
            [
                f"{r.place}/{r.count}",
                r.assessment.unit.name,
                r.result.total,
                r.index,
                "" if r.change is None else f"{r.change:+.2f}",
            ]
            for r in rows
        ],
    )
    area_table = Table(
        title="Điểm theo lĩnh vực",
        header=["Đơn vị", *[f"{a.code}. {a.name} ({a.max_points:g})" for a in areas]],
        rows=[
            [r.assessment.unit.name, *[r.result.areas.get(a.code, 0) for a in areas]] for r in rows
        ],
    )
    weak_rows = []
    for r in rows:
        for criterion, lost in services.weak_criteria(r.assessment, top=3)["maximum"]:
            weak_rows.append([r.assessment.unit.name, f"{criterion.code}. {criterion.name}", lost])
    weak_table = Table(
        title="Tiêu chí mất điểm nhiều nhất",
        header=["Đơn vị", "Tiêu chí", "Điểm bị mất"],
        rows=weak_rows,
    )
    best = rows[0] if rows else None
    body = [
        Heading("I. KẾT QUẢ CHUNG", 1),
        Paragraph(
            f"Áp dụng {stored.name} ({stored.source or 'nguồn chưa ghi'}); {len(rows)} đơn vị "
            f"được đánh giá năm {year}."
            + (f" Đơn vị dẫn đầu: {best.assessment.unit.name} ({best.index:.2f}%)." if best else "")
        ),
        Heading("1. Xếp hạng", 2),
        ranking_table,
        Heading("2. Điểm theo lĩnh vực", 2),
        area_table,
        Heading("II. NHỮNG TIÊU CHÍ CÒN HẠN CHẾ", 1),
        weak_table,
        Heading("III. GIẢI PHÁP", 1),
        Paragraph(
            "Các đơn vị xây dựng kế hoạch nâng cao chỉ số, xác định rõ nhiệm vụ, đơn vị "
            "chịu trách nhiệm và thời hạn khắc phục đối với từng tiêu chí bị mất điểm."
        ),
    ]
    title = f"Kết quả xác định Chỉ số cải cách hành chính năm {year}"
    return _draft(title, "BC-UBND", body), [ranking_table, area_table, weak_table]


def to_bytes(draft: Draft, tables: list[Table], fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "docx":
        write_docx(draft, out)
    else:
        write_xlsx(tables, out, title=draft.title)
    return out.getvalue()

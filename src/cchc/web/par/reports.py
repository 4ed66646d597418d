"""Drafts of the periodic CCHC report and of the index results report, built from the
database into the layout of Nghị định 30/2020 (`cchc.reports.drafts`)."""

from __future__ import annotations

import heapq
import io
import re
from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from cchc import dates
from cchc.extract.calendar import report_period
from cchc.knowledge import report_recipients
from cchc.par.scoring import Layout
from cchc.reports.drafts import Draft, Heading, Paragraph, Table, write_docx, write_xlsx
from cchc.web.accounts.models import Unit
from cchc.web.par import services
from cchc.web.par.models import Level
from cchc.web.work.models import Evidence, Task

# Code → name of each report period, for the page's choices (the grammar is `cchc.dates`).
PERIODS = {code: name for code, (_month, name) in dates.PERIODS.items()}
# What the periodic report reads of each task and of its document: never the document's full
# text or machine JSON (5,000 tasks of one document loaded them 5,000 times: 20 GB).
TASK_FIELDS = (
    "id", "lead_text", "collective", "action", "deadline", "status", "completed_at",
    "unit__name", "criterion__name", "criterion__area__name",
    "document__type", "document__number", "document__date", "document__original_name",
)  # fmt: skip
_LEVEL = re.compile(r"\b(thị xã|thành phố|huyện|quận|tỉnh|xã|phường|đặc khu)\b", re.I)


def _own() -> Unit | None:
    """The body the reports speak for: the first unit that exists today and has no parent (UBND
    tỉnh, a xã, a sở deployed alone), not a district that ended in 2025."""
    return Unit.objects.active().filter(parent=None).order_by("pk").first()


def _issuer() -> tuple[str, str]:
    """The deployment's own authority (its first active top unit) as printed, and its place."""
    own = _own()
    name = own.name if own else "UBND"
    printed = re.sub(r"^UBND\b", "Ủy ban nhân dân", name).upper()
    place = re.sub(
        r"^(?:UBND|Ủy ban nhân dân)\s+(?:thị xã|huyện|thành phố|tỉnh|xã|phường)\s+",
        "",
        name,
        flags=re.I,
    )
    return printed, place


def _authority() -> str:
    """The deployment's authority as a sentence names it: "Ủy ban nhân dân thị xã An Phú"."""
    own = _own()
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", own.name) if own else "Ủy ban nhân dân"


def _vn(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _dec(x: float, places: int = 2, sign: bool = False) -> str:
    """A number as Vietnamese prints it: decimal comma, no trailing zeros ("84,38", "+1,5")."""
    text = f"{x:{'+' if sign else ''}.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _sentence(text: str) -> str:
    """A task's action as a table entry: first letter capitalised, no trailing punctuation."""
    text = text.strip().rstrip(".;,")
    return text[:1].upper() + text[1:]


def _cited(document) -> str:
    """How a report cites the document that assigned a task: "Kế hoạch số 18/KH-UBND ngày
    05/01/2026"."""
    if document is None:
        return ""
    if not document.number:
        return str(document)
    text = f"{document.type} số {document.number}".strip()
    return f"{text} ngày {_vn(document.date)}" if document.date else text


def _draft(title: str, symbol: str, body: list, signer_title: str = "CHỦ TỊCH") -> Draft:
    issuer, place = _issuer()
    level = _LEVEL.search(issuer.lower())
    return Draft(
        issuer=issuer,
        symbol=symbol,
        place=place,
        doc_type="BÁO CÁO",
        title=title,
        body=body,
        recipients=report_recipients("periodic", level.group(1) if level else ""),
        signer_title=signer_title,
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        date=None,
    )


def periodic_report(year: int, period: str, user=None) -> tuple[Draft, list[Table]]:
    """Tasks of the period's data window: done, on time, overdue, by unit and by reform area."""
    window = report_period(year, period)
    start, end = date.fromisoformat(window["data_from"]), date.fromisoformat(window["data_to"])
    label = dates.period_label(period, year)
    tasks = list(
        Task.work.exclude(collective=True)
        .filter(Q(deadline__range=(start, end)) | Q(completed_at__date__range=(start, end)))
        .select_related("unit", "criterion__area", "document")
        .only(*TASK_FIELDS)
        .prefetch_related(Prefetch("evidence", Evidence.objects.only("id", "task_id", "name")))
    )
    today = min(end, timezone.localdate())
    done = [t for t in tasks if t.status == Task.Status.DONE]
    on_time = [t for t in done if t.on_time]
    # work on a task (helper B): a completion after the deadline is late, by how many days
    late_done = [t for t in done if t.days_late]
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
        title="Kết quả thực hiện nhiệm vụ theo đơn vị",
        header=["STT", "Đơn vị", *header],
        rows=[
            [n, name, *counts(group)] for n, (name, group) in enumerate(sorted(by_unit.items()), 1)
        ],
    )
    area_table = Table(
        title="Kết quả thực hiện nhiệm vụ theo lĩnh vực",
        header=["STT", "Lĩnh vực", *header],
        rows=[
            [n, name, *counts(group)] for n, (name, group) in enumerate(sorted(by_area.items()), 1)
        ],
    )
    # A task given to many units at once (fanned out from one line of a plan) is one row,
    # with the units that have not finished it.
    late_groups: dict[tuple, list[Task]] = defaultdict(list)
    for t in overdue:
        late_groups[(t.action.strip(), t.deadline, t.document_id)].append(t)
    late_table = Table(
        title="Nhiệm vụ quá hạn chưa hoàn thành",
        header=["STT", "Nhiệm vụ", "Văn bản giao", "Thời hạn", "Đơn vị chưa hoàn thành"],
        rows=[
            [
                n,
                _sentence(action[:300]),
                _cited(group[0].document),
                _vn(deadline),
                ", ".join(
                    sorted(t.unit.name if t.unit else (t.lead_text or "chưa giao") for t in group)
                ),
            ]
            for n, ((action, deadline, _doc), group) in enumerate(late_groups.items(), 1)
        ],
    )
    late_done_table = Table(
        title="Nhiệm vụ hoàn thành trễ hạn",
        header=["STT", "Nhiệm vụ", "Đơn vị", "Thời hạn", "Ngày hoàn thành", "Trễ hạn"],
        rows=[
            [
                n,
                _sentence(t.action[:300]),
                t.unit.name if t.unit else (t.lead_text or "chưa giao"),
                _vn(t.deadline),
                _vn(timezone.localdate(t.completed_at)),
                f"hoàn thành trễ hạn {t.days_late} ngày",
            ]
            for n, t in enumerate(late_done, 1)
        ],
    )
    evidence_table = Table(
        title="Minh chứng kết quả",
        header=["STT", "Nhiệm vụ đã hoàn thành", "Đơn vị", "Ngày hoàn thành", "Minh chứng"],
        rows=[
            [
                n,
                _sentence(t.action[:200]),
                t.unit.name if t.unit else t.lead_text,
                _vn(timezone.localdate(t.completed_at)) if t.completed_at else "",
                "; ".join(e.name for e in t.evidence.all()) or "(chưa có minh chứng)",
            ]
            for n, t in enumerate(done, 1)
        ],
    )
    next_code, next_year = dates.next_period(period, year)
    following = report_period(next_year, next_code)
    next_from = end + timedelta(days=1)
    next_to = date.fromisoformat(following["data_to"])
    coming = (
        Task.work.exclude(collective=True)
        .exclude(status=Task.Status.DONE)
        .filter(deadline__range=(next_from, next_to))
        .count()
    )
    authority = _authority()
    # the rate is over the finished tasks that had a deadline (as on the dashboard): one
    # without a deadline is neither on time nor late
    dated = [t for t in done if t.deadline]
    rate = f"{_dec(100 * len(on_time) / len(dated), 1)}%" if dated else ""
    if done:
        undated = len(done) - len(dated)
        finished = (
            f"đã hoàn thành {len(done)} nhiệm vụ ({len(on_time)} nhiệm vụ đúng hạn"
            + (f", đạt tỷ lệ {rate}" if dated else "")
            + f"; {len(late_done)} nhiệm vụ hoàn thành sau hạn"
            + (f"; {undated} nhiệm vụ không có hạn" if undated else "")
            + ")"
        )
    else:
        finished = "chưa có nhiệm vụ nào được báo cáo hoàn thành"
    linked = any(t.criterion_id for t in tasks)
    body = [
        Paragraph(
            f"Thực hiện chế độ báo cáo định kỳ theo Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 "
            f"của Chính phủ, {authority} báo cáo kết quả thực hiện công tác cải cách hành chính "
            f"{label} (số liệu tính từ ngày {_vn(start)} đến ngày {_vn(end)}) như sau:"
        ),
        Heading("KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 1),
        Paragraph(
            f"Trong kỳ báo cáo có {len(tasks)} nhiệm vụ đến hạn hoặc đã hoàn thành; {finished}; "
            f"{len(overdue)} nhiệm vụ đã quá hạn nhưng chưa hoàn thành."
        ),
        Heading("Kết quả theo đơn vị", 2),
        unit_table,
        Heading("Kết quả theo lĩnh vực cải cách", 2),
        area_table
        if linked
        else Paragraph(
            "Các nhiệm vụ trong kỳ chưa được gắn với tiêu chí, lĩnh vực của Bộ chỉ số cải cách "
            "hành chính nên chưa tổng hợp được theo lĩnh vực."
        ),
        Heading("Kết quả và minh chứng các nhiệm vụ đã hoàn thành", 2),
        evidence_table if done else Paragraph("Chưa có nhiệm vụ hoàn thành trong kỳ."),
        Heading("TỒN TẠI, HẠN CHẾ", 1),
        Paragraph(
            f"Còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành, cụ thể như sau:"
            if overdue
            else "Không có nhiệm vụ quá hạn."
        ),
        *([late_table] if overdue else []),
        *(
            [
                Paragraph(
                    f"Có {len(late_done)} nhiệm vụ hoàn thành trễ hạn (tính là không đúng hạn "
                    "trong tỷ lệ nêu trên):"
                ),
                late_done_table,
            ]
            if late_done
            else []
        ),
        Heading("NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1),
        Paragraph(
            (
                "Các cơ quan, đơn vị khẩn trương hoàn thành các nhiệm vụ quá hạn nêu tại mục II; "
                if overdue
                else "Các cơ quan, đơn vị "
            )
            + f"tập trung thực hiện {coming} nhiệm vụ có thời hạn từ ngày {_vn(next_from)} đến "
            f"ngày {_vn(next_to)} theo kế hoạch cải cách hành chính đã ban hành."
        ),
    ]
    title = f"Kết quả thực hiện công tác cải cách hành chính {label}"
    tables = [unit_table, area_table, late_table, evidence_table, late_done_table]
    return _draft(title, "BC-UBND", body), tables


def index_report(stored, year: int, user=None) -> tuple[Draft, list[Table]]:
    """Ranking, per-area points and the weakest criteria of each unit."""
    rows = services.ranking(stored, year)
    areas = list(stored.criteria.filter(depth=0))
    ranking_table = Table(
        title="Kết quả xếp hạng",
        header=[
            "Hạng",
            "Đơn vị",
            "Điểm tự đánh giá",
            "Điểm đạt (sau thẩm định)",
            "Chỉ số (%)",
            "Tăng, giảm so với năm trước (%)",
        ],
        rows=[
            [
                f"{r.place}/{r.count}",
                r.assessment.unit.name,
                float(r.assessment.self_total),
                r.result.total,
                r.index,
                "" if r.change is None else _dec(r.change, sign=True),
            ]
            for r in rows
        ],
    )
    area_table = Table(
        title="Điểm đạt theo từng lĩnh vực",
        header=[
            "Đơn vị",
            *[f"{a.code}. {a.name} ({_dec(float(a.max_points))})" for a in areas],
            f"Tổng ({_dec(float(stored.max_total))})",
        ],
        rows=[
            [
                r.assessment.unit.name,
                *[r.result.areas.get(a.code, 0) for a in areas],
                r.result.total,
            ]
            for r in rows
        ],
    )
    # Each unit's largest losses against the maximum, from the scores the ranking loaded
    # (what `services.weak_criteria(...)["maximum"]` gives, without a ranking per unit).
    layout = Layout.of(services.to_core(stored))
    leaves = {c.code: c for c in stored.criteria.filter(is_leaf=True)}
    weak_rows = []
    for r in rows:
        for code, lost in _largest_losses(layout, r.values, 3):
            criterion = leaves[code]
            weak_rows.append(
                [
                    len(weak_rows) + 1,
                    r.assessment.unit.name,
                    f"{criterion.code}. {criterion.name}",
                    float(criterion.max_points),
                    round(float(criterion.max_points) - lost, 2),
                    lost,
                ]
            )
    weak_table = Table(
        title="Tiêu chí thành phần mất điểm nhiều nhất của từng đơn vị",
        header=["STT", "Đơn vị", "Tiêu chí thành phần", "Điểm tối đa", "Điểm đạt", "Điểm bị mất"],
        rows=weak_rows,
    )
    authority = _authority()
    level = dict(Level.choices).get(stored.level, "").lower()
    if rows:
        indices = [r.index for r in rows]
        best, worst = rows[0], rows[-1]
        results = (
            f"Chỉ số trung bình đạt {_dec(sum(indices) / len(indices))}%; đơn vị dẫn đầu là "
            f"{best.assessment.unit.name} ({_dec(best.index)}%), đơn vị xếp cuối là "
            f"{worst.assessment.unit.name} ({_dec(worst.index)}%); "
            f"{sum(i >= 80 for i in indices)} đơn vị đạt từ 80% trở lên, "
            f"{sum(i < 70 for i in indices)} đơn vị dưới 70%."
        )
    else:
        results = "Chưa có đơn vị nào được chấm điểm."
    source = f" ({stored.source})" if stored.source else ""
    body = [
        Paragraph(
            f"{authority} báo cáo kết quả xác định Chỉ số cải cách hành chính năm {year} của "
            f"{len(rows)} đơn vị ({level}) theo {stored.name}{source} như sau:"
        ),
        Heading("KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", 1),
        Paragraph(results),
        Heading("Kết quả xếp hạng", 2),
        ranking_table,
        Heading("Điểm đạt theo từng lĩnh vực", 2),
        area_table,
        Heading("NHỮNG TIÊU CHÍ CÒN HẠN CHẾ, BỊ MẤT ĐIỂM", 1),
        Paragraph("Các tiêu chí thành phần mỗi đơn vị bị mất nhiều điểm nhất so với điểm tối đa:"),
        weak_table,
        Heading(f"NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year + 1}", 1),
        Paragraph(
            "Các đơn vị xây dựng kế hoạch nâng cao chỉ số, xác định rõ nhiệm vụ, đơn vị "
            "chịu trách nhiệm và thời hạn khắc phục đối với từng tiêu chí bị mất điểm."
        ),
    ]
    title = f"Kết quả xác định Chỉ số cải cách hành chính năm {year}"
    return _draft(title, "BC-UBND", body), [ranking_table, area_table, weak_table]


def _largest_losses(layout: Layout, values: dict[str, float], top: int) -> list[tuple[str, float]]:
    """`losses(layout, values, layout.leaf_max, top)`, rounding only the few gaps that can be
    among the largest (rounding every gap of 3,300 units × 100 criteria was a second): a gap
    whose rounded value reaches the top is at most 0.01 below the top-th largest raw gap."""
    get = values.get
    gaps = [
        (gap, code)
        for code, most in layout.leaf_max.items()  # the same codes as leaf_area (Layout.of)
        if (gap := most - get(code, 0.0)) > 0.005
    ]
    if len(gaps) > top:
        floor = heapq.nlargest(top, gaps)[-1][0] - 0.01
        gaps = [g for g in gaps if g[0] >= floor]
    ranked = sorted(((code, round(gap, 2)) for gap, code in gaps), key=lambda i: (-i[1], i[0]))
    return ranked[:top]


def to_bytes(draft: Draft, tables: list[Table], fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "docx":
        write_docx(draft, out)
    else:
        write_xlsx(tables, out, title=draft.title)
    return out.getvalue()

"""Phiếu giải quyết văn bản đến (Nghị định 30/2020): the handling slip of an incoming document,
with the leaders' direction and the work it gave, as a .docx to print."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cchc.web.accounts.models import Unit
from cchc.web.documents.models import Document
from cchc.web.work import flow

BLANK = "." * 110


def top_unit_name() -> str:
    """The deployment's own body: the unit at the top of the tree (of those that exist)."""
    top = Unit.objects.active().filter(parent=None).order_by("id").only("name").first()
    return top.name if top else ""


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _para(doc, text: str = "", bold=False, italic=False, center=False, size=13):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(3)
    return p


def handling_slip(doc: Document) -> bytes:
    out = Docx()
    section = out.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = out.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)

    _para(out, top_unit_name().upper(), bold=True, center=True, size=12)
    _para(out, "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN", bold=True, center=True, size=14)
    received = doc.received_date.strftime("%d/%m/%Y") if doc.received_date else "…/…/……"
    number = doc.incoming_number or "……"
    _para(out, f"Số đến: {number}    Ngày đến: {received}", center=True)
    _para(out, f"Văn bản: {doc}" + (f" ngày {doc.date:%d/%m/%Y}" if doc.date else ""))
    if doc.issuer:
        _para(out, f"Cơ quan gửi: {doc.issuer}")
    _para(out, f"Trích yếu: {doc.subject or '(không có)'}")
    if doc.handling_deadline:
        _para(out, f"Hạn xử lý: {doc.handling_deadline:%d/%m/%Y}")

    _para(out, "I. Ý KIẾN CỦA LÃNH ĐẠO", bold=True)
    given = list(flow.instructions(doc))
    for ins in given:
        line = f"{ins.text or ins.get_outcome_display()}"
        if ins.forwarded_to:
            line += f" (chuyển {ins.forwarded_to.name})"
        _para(out, line)
        _para(out, f"{_person(ins.user)}, ngày {ins.at:%d/%m/%Y}", italic=True, size=12)
    if not given:
        _para(out, BLANK)
        _para(out, BLANK)

    tasks = list(flow.confirmed_tasks(doc))
    _para(out, "II. PHÂN CÔNG XỬ LÝ", bold=True)
    if tasks:
        table = out.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, title in zip(
            table.rows[0].cells,
            ("Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Người xử lý", "Hạn"),
            strict=True,
        ):
            cell.text = title
            cell.paragraphs[0].runs[0].bold = True
        for task in tasks:
            lead = task.unit.name if task.unit else ""
            if task.collective:
                lead = ", ".join(c.unit.name for c in task.children.all() if c.unit)
            row = table.add_row().cells
            row[0].text = task.action
            row[1].text = lead or task.lead_text
            row[2].text = ", ".join(task.support)
            row[3].text = _person(task.assignee)
            row[4].text = task.deadline.strftime("%d/%m/%Y") if task.deadline else ""
    else:
        _para(out, "Không giao việc cụ thể.", italic=True)

    _para(out, "III. Ý KIẾN CỦA ĐƠN VỊ, CÁ NHÂN XỬ LÝ", bold=True)
    for _ in range(4):
        _para(out, BLANK)
    _para(out, "Ngày …… tháng …… năm ……", italic=True)
    _para(out, "Người xử lý", bold=True)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()

"""Builders for test documents in each file format, from one hand-written công văn."""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

ISSUER = ["ỦY BAN NHÂN DÂN", "THỊ XÃ AN PHÚ"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
LEFT = [*ISSUER, "Số: 412/UBND-NV", "V/v tăng cường kỷ luật, kỷ cương", "hành chính năm 2026"]
RIGHT = [*MOTTO, "An Phú, ngày 14 tháng 3 năm 2026"]
BODY = [
    "Kính gửi:",
    "- Các phòng, ban chuyên môn thuộc UBND thị xã;",
    "- UBND các phường, xã.",
    "Căn cứ Quyết định số 215/QĐ-UBND ngày 20/02/2026 của UBND tỉnh Bình Long;",
    "1. Phòng Nội vụ kiểm tra việc chấp hành giờ giấc làm việc, báo cáo trước ngày 31/3/2026.",
    "2. Các cơ quan, đơn vị nghiêm túc thực hiện./.",
]
TAIL_LEFT = ["Nơi nhận:", "- Như trên;", "- Lưu: VT, NV."]
TAIL_RIGHT = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Trần Thị Thu Hà"]

EXPECTED = {
    "type": "Công văn",
    "number": "412/UBND-NV",
    "issuer": "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ",
    "date": "2026-03-14",
    "place": "An Phú",
    "subject": "V/v tăng cường kỷ luật, kỷ cương hành chính năm 2026",
    "signer": "Trần Thị Thu Hà",
}


def write_docx(path: Path) -> Path:
    """The header and the signer block in two-column tables, as real Word documents have them."""
    import docx

    document = docx.Document()
    for left, right in ((LEFT, RIGHT),):
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "\n".join(left)
        table.cell(0, 1).text = "\n".join(right)
    for line in BODY:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(TAIL_LEFT)
    table.cell(0, 1).text = "\n".join(TAIL_RIGHT)
    document.save(str(path))
    return path


def write_pdf(path: Path, scanned_pages: int = 0) -> Path:
    """A text PDF with the header in two columns; `scanned_pages` adds image-only pages."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    top = pdf.get_y()
    for i, line in enumerate(LEFT):
        pdf.set_xy(10, top + 6 * i)
        pdf.cell(85, 6, line, align="C")
    for i, line in enumerate(RIGHT):
        pdf.set_xy(100, top + 6 * i)
        pdf.cell(100, 6, line, align="C")
    pdf.set_xy(10, top + 6 * (len(LEFT) + 2))
    for line in BODY:
        pdf.multi_cell(190, 6, line)
    top = pdf.get_y() + 6
    for i, line in enumerate(TAIL_LEFT):
        pdf.set_xy(10, top + 6 * i)
        pdf.cell(85, 6, line)
    for i, line in enumerate(TAIL_RIGHT):
        pdf.set_xy(110, top + 6 * i)
        pdf.cell(80, 6, line, align="C")
    for _ in range(scanned_pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))
    return path


def plain_text() -> str:
    return "\n".join([*LEFT, *RIGHT, *BODY, *TAIL_LEFT, *TAIL_RIGHT]) + "\n"


def render_page(lines: list[str], dpi: int = 300, degrade: bool = False):
    """An A4 page image of `lines` in DejaVu Sans 13 pt, as a scanner would give it;
    `degrade` adds a slight rotation, blur and speckle noise."""
    import random

    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), int(13 / 72 * dpi))
    y = int(0.8 * dpi)
    for line in lines:
        draw.text((int(0.9 * dpi), y), line, fill=0, font=font)
        y += int(13 / 72 * dpi * 1.5)
    if degrade:
        rng = random.Random(7)
        page = page.rotate(0.6, fillcolor=255, resample=Image.BICUBIC)
        page = page.filter(ImageFilter.GaussianBlur(0.8))
        pixels = page.load()
        for _ in range(width * height // 400):
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
    return page


def page_lines() -> list[str]:
    """The công văn as one column of lines, header first."""
    return [
        *ISSUER,
        "Số: 412/UBND-NV",
        *MOTTO,
        "An Phú, ngày 14 tháng 3 năm 2026",
        *LEFT[3:],
        *BODY,
        *TAIL_LEFT,
        *TAIL_RIGHT,
    ]

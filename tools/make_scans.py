"""Realistic scans of fictional công văn in the Nghị định 30 layout, with their truth.

    .venv/bin/python tools/make_scans.py OUT_DIR [--count 20] [--seed 7] [--dpi 200]

Each page: the two-column header (issuer and `Số:` with the `V/v` subject on the left, the motto
and place/date on the right), `Kính gửi:`, body paragraphs, and the two-column foot (`Nơi nhận:`
beside the signer's title, signature and name), printed in Liberation Serif (Times New Roman's
metrics). Then what a real scan carries: a red seal over the signer's title, a blue signature,
often a number written by hand in blue (the clerk's), sometimes a note in the margin, a tinted
paper, skew, blur, speckles and JPEG. Written as `NNN.pdf` (the page image at `--dpi`) and
`NNN.json` (number, date, subject, signer, text) in OUT_DIR.

All names, units and numbers are drawn from the short lists below: nothing here comes from a real
document. `--corpus-body DIR` takes body paragraphs from the held-out (test) documents of a
corpus instead, at run time; they are never written into the repository.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf"
HAND = (
    "/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf",  # fonts-urw-base35
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
)

PROVINCES = ["TỈNH BÌNH SƠN", "TỈNH AN HÀ", "THÀNH PHỐ HẢI LONG", "TỈNH ĐỒNG VÂN"]
PLACES = {
    "TỈNH BÌNH SƠN": "Bình Sơn",
    "TỈNH AN HÀ": "An Hà",
    "THÀNH PHỐ HẢI LONG": "Hải Long",
    "TỈNH ĐỒNG VÂN": "Đồng Vân",
}
UNITS = [
    ("SỞ NỘI VỤ", "SNV-VP", "GIÁM ĐỐC"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT-VP", "GIÁM ĐỐC"),
    ("SỞ TÀI CHÍNH", "STC-NS", "GIÁM ĐỐC"),
    ("ỦY BAN NHÂN DÂN", "UBND-KT", "CHỦ TỊCH"),
    ("SỞ Y TẾ", "SYT-NVY", "GIÁM ĐỐC"),
]
SUBJECTS = [
    "V/v triển khai thực hiện cải cách hành chính năm {y}",
    "V/v báo cáo kết quả công tác chuyển đổi số quý {q} năm {y}",
    "V/v tăng cường kỷ luật, kỷ cương hành chính trong cơ quan nhà nước",
    "V/v rà soát thủ tục hành chính thuộc phạm vi quản lý",
    "V/v tổ chức kiểm tra công tác văn thư, lưu trữ năm {y}",
    "V/v đôn đốc hoàn thành các nhiệm vụ được giao trong tháng {m}",
]
RECIPIENTS = [
    "Các sở, ban, ngành tỉnh",
    "Ủy ban nhân dân các huyện, thị xã",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Các đơn vị sự nghiệp trực thuộc",
    "Phòng Nội vụ các huyện",
]
BODY = [
    "Thực hiện Kế hoạch số {n2}/KH-UBND ngày {d2}/{m}/{y} của Ủy ban nhân dân tỉnh về công "
    "tác cải cách hành chính, đề nghị các cơ quan, đơn vị triển khai thực hiện các nội dung sau:",
    "1. Tổ chức rà soát, đánh giá kết quả thực hiện các nhiệm vụ được giao; tổng hợp khó khăn, "
    "vướng mắc và đề xuất giải pháp khắc phục trong thời gian tới.",
    "2. Tăng cường công tác tuyên truyền, phổ biến các quy định mới về thủ tục hành chính đến "
    "cán bộ, công chức, viên chức và người dân trên địa bàn.",
    "3. Báo cáo kết quả thực hiện về Sở Nội vụ trước ngày {d3} tháng {m3} năm {y} để tổng hợp, "
    "báo cáo Ủy ban nhân dân tỉnh theo quy định.",
    "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Lâm", "Phúc", "Thảo", "Tuấn", "Vinh"]
NOTES = ["Chuyển P. Nội vụ", "Đ/c Hà xử lý", "Lưu hồ sơ", "Báo cáo LĐ"]


def font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(SERIF.format(style), size)


def hand_font(size: int) -> ImageFont.FreeTypeFont:
    for path in HAND:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return font("Italic", size)


def make_document(rng: random.Random, bodies: list[str] | None = None) -> dict:
    """The fields and lines of one fictional công văn."""
    province = rng.choice(PROVINCES)
    unit, symbol, title = rng.choice(UNITS)
    year = rng.randint(2019, 2026)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    number = rng.randint(12, 4980)
    values = {
        "y": year,
        "m": month,
        "q": (month - 1) // 3 + 1,
        "n2": rng.randint(10, 400),
        "d2": rng.randint(1, 28),
        "d3": rng.randint(1, 28),
        "m3": min(12, month + 1),
    }
    subject = rng.choice(SUBJECTS).format(**values)
    body = [p.format(**values) for p in BODY]
    if bodies:
        body = [body[0], *rng.sample(bodies, min(3, len(bodies))), body[-1]]
    signer = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    deputy = rng.random() < 0.4
    return {
        "parent": f"UBND {province}" if unit != "ỦY BAN NHÂN DÂN" else "",
        "issuer": unit if unit != "ỦY BAN NHÂN DÂN" else f"ỦY BAN NHÂN DÂN\n{province}",
        "number": f"{number}/{symbol}",
        "place": PLACES[province],
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "day": day,
        "month": month,
        "year": year,
        "subject": subject,
        "recipients": rng.sample(RECIPIENTS, 3),
        "body": body,
        "authority": ("KT. " + title)
        if deputy
        else ("TM. ỦY BAN NHÂN DÂN" if "CHỦ" in title else ""),
        "title": ("PHÓ " + title) if deputy else title,
        "signer": signer,
    }


def _wrap(draw, text: str, fnt, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=fnt) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def _centred(draw, x: float, y: float, text: str, fnt, fill=0) -> float:
    width = draw.textlength(text, font=fnt)
    draw.text((x - width / 2, y), text, font=fnt, fill=fill)
    return width


def render(doc: dict, rng: random.Random, dpi: int = 200, handwritten: bool = True) -> Image.Image:
    """The page in colour, clean (no scanner effects yet)."""
    pt = dpi / 72
    page = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    regular, bold, italic = (
        font("Regular", int(13 * pt)),
        font("Bold", int(13 * pt)),
        font("Italic", int(13 * pt)),
    )
    small, small_bold = font("Regular", int(12 * pt)), font("Bold", int(12 * pt))
    left_x, right_x = 0.25 * page.width, 0.66 * page.width
    line = int(13 * pt * 1.35)
    y = int(0.8 * dpi)
    # Header, left: parent, issuer (bold, underlined), Số, subject.
    yl = y
    if doc["parent"]:
        _centred(draw, left_x, yl, doc["parent"], small)
        yl += line
    for part in doc["issuer"].split("\n"):
        w = _centred(draw, left_x, yl, part, small_bold)
        yl += line
    draw.line((left_x - w / 4, yl + 2, left_x + w / 4, yl + 2), fill=0, width=max(1, int(pt)))
    yl += int(0.5 * line)
    digits, symbol = doc["number"].split("/", 1)
    label = "Số: "
    text_w = draw.textlength(label + digits + " /" + symbol, font=regular)
    x = left_x - text_w / 2
    draw.text((x, yl), label, font=regular, fill=0)
    x += draw.textlength(label, font=regular)
    if handwritten:
        hand = hand_font(int(16 * pt))
        digit_layer = Image.new(
            "RGBA", (int(len(digits) * 14 * pt) + 10, int(22 * pt)), (0, 0, 0, 0)
        )
        ImageDraw.Draw(digit_layer).text((2, 0), digits, font=hand, fill=(20, 40, 150, 255))
        digit_layer = digit_layer.rotate(rng.uniform(-6, 6), expand=True, resample=Image.BICUBIC)
        page.paste(digit_layer, (int(x), int(yl - 3 * pt)), digit_layer)
        x += draw.textlength(digits, font=regular) + 4 * pt
    else:
        draw.text((x, yl), digits, font=regular, fill=0)
        x += draw.textlength(digits, font=regular)
    draw.text((x, yl), " /" + symbol, font=regular, fill=0)
    yl += line
    for part in _wrap(draw, doc["subject"], small, int(0.36 * page.width)):
        _centred(draw, left_x, yl, part, small)
        yl += int(12 * pt * 1.3)
    # Header, right: motto, underline, place and date.
    yr = y
    _centred(draw, right_x, yr, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", small_bold)
    yr += line
    w = _centred(draw, right_x, yr, "Độc lập - Tự do - Hạnh phúc", bold)
    yr += line
    draw.line((right_x - w / 2, yr + 2, right_x + w / 2, yr + 2), fill=0, width=max(1, int(pt)))
    yr += int(0.5 * line)
    date = f"{doc['place']}, ngày {doc['day']:02d} tháng {doc['month']:02d} năm {doc['year']}"
    _centred(draw, right_x, yr, date, italic)
    y = max(yl, yr + line) + line
    # Kính gửi and body.
    margin, width = int(1.2 * dpi), int(page.width - 2.0 * dpi)
    draw.text((0.32 * page.width, y), "Kính gửi:", font=regular, fill=0)
    for name in doc["recipients"]:
        draw.text((0.45 * page.width, y), f"- {name};", font=regular, fill=0)
        y += line
    y += int(0.5 * line)
    for para in doc["body"]:
        for i, part in enumerate(_wrap(draw, para, regular, width - int(0.5 * dpi * 0))):
            draw.text((margin + (int(0.4 * dpi) if i == 0 else 0), y), part, font=regular, fill=0)
            y += line
        if y > page.height - 3.2 * dpi:
            break
    y += int(0.6 * line)
    # Foot: Nơi nhận (left), the signer (right) under a seal and a signature.
    foot = y
    draw.text((margin, y), "Nơi nhận:", font=font("BoldItalic", int(12 * pt)), fill=0)
    y += line
    for name in [*("Như trên", "Lưu: VT"), *doc["recipients"][:1]]:
        draw.text((margin, y), f"- {name};", font=font("Regular", int(11 * pt)), fill=0)
        y += int(11 * pt * 1.35)
    yr = foot
    if doc["authority"]:
        _centred(draw, right_x, yr, doc["authority"], small_bold)
        yr += line
    _centred(draw, right_x, yr, doc["title"], small_bold)
    title_y = yr
    yr += int(2.6 * line)
    name_y = yr + int(1.2 * line)
    _centred(draw, right_x, name_y, doc["signer"], bold)
    _signature(page, rng, (int(right_x - 0.5 * dpi), int(yr - 0.3 * line)), dpi)
    _seal(page, rng, (int(right_x - 0.55 * dpi), int(title_y + 0.9 * line)), int(0.72 * dpi), doc)
    if rng.random() < 0.5:
        _note(page, rng, dpi)
    return page


def _seal(page: Image.Image, rng: random.Random, centre, radius: int, doc: dict) -> None:
    """A red round seal: two rings, the issuer's name around, a star inside, semi-transparent."""
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    red = (200 + rng.randint(-20, 30), 30, 40, 200)
    cx, cy = centre
    for r, w in ((radius, 5), (int(radius * 0.72), 3)):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=w)
    text = doc["issuer"].replace("\n", " ") + " * "
    fnt = font("Bold", max(8, radius // 7))
    for i, ch in enumerate(text):
        angle = math.pi + i * 2 * math.pi / len(text)
        x, y = cx + 0.86 * radius * math.cos(angle), cy + 0.86 * radius * math.sin(angle)
        draw.text((x, y), ch, font=fnt, fill=red, anchor="mm")
    star = [
        (
            cx + (0.3 if k % 2 == 0 else 0.12) * radius * math.cos(math.pi / 2 + k * math.pi / 5),
            cy - (0.3 if k % 2 == 0 else 0.12) * radius * math.sin(math.pi / 2 + k * math.pi / 5),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=red)
    page.paste(Image.alpha_composite(page.convert("RGBA"), layer).convert("RGB"))


def _signature(page: Image.Image, rng: random.Random, origin, dpi: int) -> None:
    """A scribble in blue ink: a few loops along a rising stroke."""
    draw = ImageDraw.Draw(page)
    x0, y0 = origin
    points = []
    for k in range(60):
        t = k / 59
        points.append(
            (
                x0 + t * 1.1 * dpi + 0.06 * dpi * math.sin(t * 25 + rng.random()),
                y0 - t * 0.15 * dpi + 0.12 * dpi * math.cos(t * 19 + rng.random()),
            )
        )
    draw.line(points, fill=(30, 50, 160), width=max(2, dpi // 70), joint="curve")


def _note(page: Image.Image, rng: random.Random, dpi: int) -> None:
    """A handwritten note in blue across the left margin (the clerk's or the leader's)."""
    layer = Image.new("RGBA", (int(2.2 * dpi), int(0.35 * dpi)), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text(
        (0, 0), rng.choice(NOTES), font=hand_font(int(0.22 * dpi)), fill=(25, 45, 170, 255)
    )
    layer = layer.rotate(rng.uniform(60, 80), expand=True, resample=Image.BICUBIC)
    page.paste(layer, (int(0.1 * dpi), int(rng.uniform(2.5, 5.5) * dpi)), layer)


def scan_effects(page: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """Tinted paper, skew, blur, speckles and JPEG, as a cheap office scanner leaves them."""
    tint = (rng.randint(235, 250), rng.randint(232, 248), rng.randint(220, 240))
    paper = Image.new("RGB", page.size, tint)
    page = Image.composite(page, paper, page.convert("L").point(lambda v: 255 - v))
    page = page.rotate(rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, fillcolor=tint)
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    pixels = page.load()
    for _ in range(page.width * page.height // rng.randint(800, 3000)):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        grey = rng.choice((40, 90, 200))
        pixels[x, y] = (grey, grey, grey)
    from io import BytesIO

    buffer = BytesIO()
    page.save(buffer, "JPEG", quality=rng.randint(55, 80))
    return Image.open(BytesIO(buffer.getvalue())).convert("RGB")


def page_text(doc: dict) -> str:
    return "\n".join(
        [
            doc["parent"],
            doc["issuer"],
            f"Số: {doc['number']}",
            doc["subject"],
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"{doc['place']}, ngày {doc['day']:02d} tháng {doc['month']:02d} năm {doc['year']}",
            "Kính gửi:",
            *doc["recipients"],
            *doc["body"],
            doc["authority"],
            doc["title"],
            doc["signer"],
        ]
    )


def make(
    out: Path, count: int, seed: int, dpi: int = 200, bodies: list[str] | None = None
) -> list[Path]:
    """`count` scans (PDF + truth JSON) in `out`; the same seed makes the same files."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made = []
    for i in range(count):
        doc = make_document(rng, bodies)
        handwritten = rng.random() < 0.5
        page = scan_effects(render(doc, rng, dpi, handwritten), rng, dpi)
        pdf = out / f"{i:03d}.pdf"
        page.save(pdf, "PDF", resolution=dpi)
        truth = {**doc, "handwritten_number": handwritten, "text": page_text(doc)}
        (out / f"{i:03d}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
        made.append(pdf)
    return made


def corpus_bodies(corpus: Path, limit: int = 200) -> list[str]:
    """Body paragraphs of the corpus's held-out documents (read at run time, never copied)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_diacritics_model import corpus_texts

    paragraphs = []
    for _name, text in corpus_texts(corpus, "test"):
        paragraphs += [p for p in text.splitlines() if 80 < len(p) < 400 and p[0].isupper()]
        if len(paragraphs) > limit:
            break
    return paragraphs[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--corpus-body", type=Path)
    args = parser.parse_args()
    bodies = corpus_bodies(args.corpus_body) if args.corpus_body else None
    for pdf in make(args.out, args.count, args.seed, args.dpi, bodies):
        print(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fifteen crawled documents from ../shared/corpus/docs, each read by hand.

The documents differ in type and issuer: a Quyết định of a UBND tỉnh and of a UBND thành phố, a Công
văn and a Thông báo of a Cục under BỘ TÀI CHÍNH, a Nghị quyết of the Chính phủ and of a HĐND, a Nghị
định, a Thông tư signed by a general, two Công điện of the Thủ tướng (one whose header was lost in
the crawl), a Kế hoạch, a Thông báo of the VPCP, a Chỉ thị, a Party Quy định and a Văn bản hợp
nhất. Every expectation below comes from reading the file, not from what the parser prints.

The crawl breaks printed lines anywhere and adds markdown (`**`, `*`, `|`); a value that the crawl
wrapped ("TM. ỦY BAN\\nNHÂN DÂN") is expected joined with one space, as it was printed. Signature
authority lines (TM./KT./TL./T/M …) are joined with " / ".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import cchc
from cchc.document import Document
from cchc.text import canonical

Ref = tuple[str | None, str | None, str | None, str | None]  # (type, number, date, issuer)


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    type: str
    number: str | None
    symbol: str | None
    issuer: str | None
    parent_issuer: str | None
    place: str | None
    date: str | None
    subject_start: str
    subject_end: str
    signer: tuple[str, str | None, str | None]  # (name, title, authority)
    distribution_first: str
    reference: Ref | None = None  # one document the text cites
    reference_in_basis: bool = True  # the reference sits in a "Căn cứ …" clause
    recipients_first: str | None = None
    recipients_count: int | None = None


CASES = [
    Case(
        id="quyet-dinh-ubnd-tinh-bac-ninh-471",
        file="00e8b0e4daffc2ef.md",
        type="Quyết định",
        number="471/QĐ-UBND",
        symbol="QĐ-UBND",
        issuer="ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
        parent_issuer=None,
        place="Bắc Ninh",
        date="2025-11-28",
        subject_start="VỀ VIỆC PHÊ DUYỆT DANH MỤC ĐỊA ĐIỂM TỔ CHỨC HỘI CHỢ",
        subject_end="TRÊN ĐỊA BÀN TỈNH BẮC NINH NĂM 2026",
        signer=("Phạm Văn Thịnh", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"),
        distribution_first="Như Điều 3",
        reference=("Nghị định", "81/2018/NĐ-CP", "2018-05-22", "Chính phủ"),
    ),
    Case(
        id="cong-van-cuc-thue-5348",
        file="005d8820eb95c1cb.md",
        type="Công văn",
        number="5348/CT-CS",
        symbol="CT-CS",
        issuer="CỤC THUẾ",
        parent_issuer="BỘ TÀI CHÍNH",
        place="Hà Nội",
        date="2025-11-20",
        subject_start="V/v hướng dẫn góp vốn điều lệ",
        subject_end="V/v hướng dẫn góp vốn điều lệ",
        signer=(
            "Phạm Thị Minh Hiền",
            "PHÓ TRƯỞNG BAN",
            "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN CHÍNH SÁCH, THUẾ QUỐC TẾ",
        ),
        distribution_first="Như trên",
        reference=("Nghị định", "181/2025/NĐ-CP", "2025-07-01", "Chính phủ"),
        recipients_first="Thuế tỉnh Quảng Trị",
        recipients_count=1,
    ),
    Case(
        id="nghi-quyet-chinh-phu-385",
        file="b241b75dc4e6df64.md",
        type="Nghị quyết",
        number="385/NQ-CP",
        symbol="NQ-CP",
        issuer="CHÍNH PHỦ",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-12-01",
        subject_start="VỀ VIỆC KÝ HIỆP ĐỊNH VẬN CHUYỂN HÀNG KHÔNG",
        subject_end="VỀ CÁC QUYỀN VẬN CHUYỂN 3, 4 VÀ 5 GIỮA CÁC BÊN",
        signer=("Bùi Thanh Sơn", "PHÓ THỦ TƯỚNG", "TM. CHÍNH PHỦ / KT. THỦ TƯỚNG"),
        distribution_first="Các đồng chí TVCP",
        # "Nghị định số 39/2022/NĐ-CP ngày 18 tháng\n6 năm 2022 của Chính phủ"
        reference=("Nghị định", "39/2022/NĐ-CP", "2022-06-18", "Chính phủ"),
    ),
    Case(
        id="nghi-dinh-304-2025",
        file="1180a89cc49ca3fe.md",
        type="Nghị định",
        number="304/2025/NĐ-CP",
        symbol="NĐ-CP",
        issuer="CHÍNH PHỦ",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-11-25",
        subject_start="QUY ĐỊNH ĐIỀU KIỆN TÀI SẢN BẢO ĐẢM",
        subject_end="CỦA KHOẢN NỢ XẤU ĐƯỢC THU GIỮ",
        signer=("Hồ Đức Phớc", "PHÓ THỦ TƯỚNG", "TM. CHÍNH PHỦ / KT. THỦ TƯỚNG"),
        distribution_first="Ban Bí thư Trung ương Đảng",
        # "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;": no date, no issuer printed
        reference=("Luật", "63/2025/QH15", None, None),
    ),
    Case(
        id="thong-tu-bo-quoc-phong-127-military-signer",
        file="8ea98f884cf1d2a7.md",
        type="Thông tư",
        number="127/2025/TT-BQP",  # "Số:" and the number on two lines
        symbol="TT-BQP",
        issuer="BỘ QUỐC PHÒNG",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-11-19",
        subject_start="BÃI BỎ QUYẾT ĐỊNH SỐ 181/2006/QĐ-BQP",
        subject_end="CỦA VIỆN BỎNG LÊ HỮU TRÁC",
        signer=("Vũ Hải Sản", "THỨ TRƯỞNG", "KT. BỘ TRƯỞNG"),  # "Thượng tướng" dropped
        distribution_first="Thủ tướng Chính phủ (để b/c)",
        reference=("Nghị định", "78/2025/NĐ-CP", "2025-04-01", "Chính phủ"),
    ),
    Case(
        id="cong-dien-thu-tuong-220",
        file="344b9eec106a648a.md",
        type="Công điện",
        number="220/CĐ-TTg",
        symbol="CĐ-TTg",
        issuer="THỦ TƯỚNG CHÍNH PHỦ",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-11-18",
        subject_start="TẬP TRUNG HOÀN THÀNH THỰC THI CÁC PHƯƠNG ÁN CẮT GIẢM",
        subject_end="ĐIỀU KIỆN KINH DOANH NĂM 2025",
        signer=("Phạm Minh Chính", "THỦ TƯỚNG", None),
        distribution_first="Như trên",
        # "Thực hiện Nghị quyết số 66/NQ-CP ngày 26 tháng 3\nnăm 2025 của Chính phủ"
        reference=("Nghị quyết", "66/NQ-CP", "2025-03-26", "Chính phủ"),
        reference_in_basis=False,
        recipients_first="Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ",
    ),
    Case(
        id="cong-dien-header-lost-in-crawl",
        file="c2fb3a9578fcdb7e.md",
        type="Công điện",
        number=None,
        symbol=None,
        issuer=None,
        parent_issuer=None,
        place=None,
        date=None,
        subject_start="VỀ TẬP TRUNG ƯU TIÊN GIỮ VỮNG ỔN ĐỊNH KINH TẾ VĨ MÔ",
        subject_end="THÚC ĐẨY XUẤT KHẨU",
        signer=("Phạm Minh Chính", "THỦ TƯỚNG", None),
        distribution_first="Như trên",
        recipients_first="Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        recipients_count=3,
    ),
    Case(
        id="ke-hoach-ubnd-tinh-nghe-an-980",
        file="c5d930a5fc8373cd.md",
        type="Kế hoạch",
        number="980/KH-UBND",
        symbol="KH-UBND",
        issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        parent_issuer=None,
        place="Nghệ An",
        date="2025-11-18",
        subject_start="THỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025",
        subject_end="CỦA LUẬT PHÒNG THỦ DÂN SỰ",
        signer=("Nguyễn Văn Đệ", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"),
        distribution_first="Chủ tịch UBND tỉnh",
        reference=("Quyết định", "1899/QĐ-TTg", "2025-09-04", "Thủ tướng Chính phủ"),
        reference_in_basis=False,
    ),
    Case(
        id="thong-bao-van-phong-chinh-phu-624",
        file="74e2ddc7b11340da.md",
        type="Thông báo",
        number="624/TB-VPCP",
        symbol="TB-VPCP",
        issuer="VĂN PHÒNG CHÍNH PHỦ",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-11-16",
        subject_start="KẾT LUẬN PHIÊN HỌP LẦN THỨ NĂM CỦA BAN CHỈ ĐẠO",
        subject_end="CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06",
        # "KT. BỘ TRƯỞNG,\nCHỦ NHIỆM" is one authority line wrapped by the crawl
        signer=("Phạm Mạnh Cường", "PHÓ CHỦ NHIỆM", "KT. BỘ TRƯỞNG, CHỦ NHIỆM"),
        # one item wrapped over four lines
        distribution_first=(
            "TTgCP, các PTTg: Nguyễn Hòa Bình, Bùi Thanh Sơn, Hồ Đức Phớc, Nguyễn Chí Dũng, "
            "Lê Thành Long, Mai Văn Chính, Hồ Quốc Dũng (để b/c)"
        ),
        reference=("Nghị định", "82/2024/NĐ-CP", "2024-07-10", None),
        reference_in_basis=False,
    ),
    Case(
        id="quy-dinh-dang-383-ban-bi-thu",
        file="056a116c77fe4047.md",
        type="Quy định",  # printed title "QUY ĐỊNH", although the symbol says QĐ
        number="383-QĐ/TW",  # printed "Số 383-QĐ/TW", no colon
        symbol="QĐ/TW",
        issuer="BAN CHẤP HÀNH TRUNG ƯƠNG",
        parent_issuer=None,  # "ĐẢNG CỘNG SẢN VIỆT NAM" is the Party's motto line
        place="Hà Nội",
        date="2025-11-19",
        subject_start="VỀ PHÔNG LƯU TRỮ ĐẢNG CỘNG SẢN VIỆT NAM",
        subject_end="VỀ PHÔNG LƯU TRỮ ĐẢNG CỘNG SẢN VIỆT NAM",
        signer=("Trần Cẩm Tú", None, "T/M BAN BÍ THƯ"),
        distribution_first="Các tỉnh ủy, thành ủy",  # printed with a trailing ","
        # "- Căn cứ Luật Lưu trữ số 33/2024/QH15, ngày\n21/6/2024 của Quốc hội khoá XV;"
        reference=("Luật", "33/2024/QH15", "2024-06-21", "Quốc hội khoá XV"),
    ),
    Case(
        id="van-ban-hop-nhat-bo-quoc-phong-92",
        file="8180ae11188469fd.md",
        type="Văn bản hợp nhất",  # the symbol is VBHN; the printed title is the merged QĐ's
        number="92/VBHN-BQP",
        symbol="VBHN-BQP",
        issuer="BỘ QUỐC PHÒNG",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-11-24",
        subject_start="VỀ THỰC HIỆN CHẾ ĐỘ ĐỐI VỚI QUÂN NHÂN THAM GIA KHÁNG CHIẾN",
        subject_end="ĐÃ PHỤC VIÊN, XUẤT NGŨ VỀ ĐỊA PHƯƠNG",
        # "XÁC THỰC VĂN BẢN HỢP NHẤT" above "KT. BỘ TRƯỞNG" is not a TM./KT./TL. line;
        # the text prints "Võ Minh Lương" (metadata.tsv says "Vũ"): the text wins
        signer=("Võ Minh Lương", "THỨ TRƯỞNG", "KT. BỘ TRƯỞNG"),
        distribution_first="Lãnh đạo Bộ Quốc phòng",
        reference=("Quyết định", "142/2008/QĐ-TTg", "2008-10-27", "Thủ tướng Chính phủ"),
        reference_in_basis=False,
    ),
    Case(
        id="quyet-dinh-ubnd-tp-ho-chi-minh-2820",
        file="001c610b2efdcf0c.md",
        type="Quyết định",
        number="2820/QĐ-UBND",  # "Số:" and the number on two lines
        symbol="QĐ-UBND",
        issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
        parent_issuer=None,
        place="Thành phố Hồ Chí Minh",  # wrapped "Thành phố Hồ\nChí Minh"
        date="2025-11-19",
        subject_start="BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG",
        subject_end="NGÀY 05 THÁNG 9 NĂM 2025 CỦA BỘ TÀI CHÍNH",
        signer=("Nguyễn Lộc Hà", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
        distribution_first="Như Điều 3",
        reference=("Quyết định", "749/QĐ-TTg", "2020-06-03", "Thủ tướng Chính phủ"),
    ),
    Case(
        id="nghi-quyet-hdnd-ha-noi-55",
        file="02b9be7711f88c70.md",
        type="Nghị quyết",
        number="55/2025/NQ-HĐND",
        symbol="NQ-HĐND",
        issuer="HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        parent_issuer=None,
        place="Hà Nội",
        date="2025-11-26",
        subject_start="QUY ĐỊNH MỘT SỐ NỘI DUNG CHI VÀ MỨC CHI ĐẶC THÙ",
        subject_end="THUỘC THẨM QUYỀN CỦA HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        signer=("Phùng Thị Hồng Hà", "CHỦ TỊCH", None),
        distribution_first="Ủy ban thường vụ Quốc hội",
        reference=("Nghị định", "163/2016/NĐ-CP", "2016-12-21", "Chính phủ"),
    ),
    Case(
        id="thong-bao-cuc-hai-quan-39305",
        file="6f4ccdb7459d17a5.md",
        type="Thông báo",
        number="39305/TB-CHQ",
        symbol="TB-CHQ",
        issuer="CỤC HẢI QUAN",
        parent_issuer="BỘ TÀI CHÍNH",
        place="Hà Nội",
        date="2025-12-01",  # printed "ng**ày\n01 tháng 12 năm 2025": markup inside the word
        subject_start="VỀ KẾT QUẢ XÁC ĐỊNH TRƯỚC MÃ SỐ",
        subject_end="VỀ KẾT QUẢ XÁC ĐỊNH TRƯỚC MÃ SỐ",
        signer=(
            "Đào Thu Hương",
            "PHÓ TRƯỞNG BAN",
            "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN NGHIỆP VỤ THUẾ HQ",
        ),
        distribution_first=(
            "Công ty TNHH Giải trí Our game TCG Trading (số 208, ngõ 66, phố Kim Mã Thượng, "
            "p. Cống Vị, Ba Đình, Hà Nội)"
        ),
        # "Căn\ncứ Thông tư số 38/2015/TT-BTC ngày\n25/03/2015 của Bộ trưởng Bộ Tài chính"
        reference=("Thông tư", "38/2015/TT-BTC", "2015-03-25", "Bộ trưởng Bộ Tài chính"),
    ),
    Case(
        id="chi-thi-ubnd-tp-can-tho-09",
        file="2847e16133f7b987.md",
        type="Chỉ thị",
        number="09/CT-UBND",
        symbol="CT-UBND",
        issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
        parent_issuer=None,
        place="Cần Thơ",
        date="2025-11-18",
        subject_start="VỀ TĂNG CƯỜNG CÔNG TÁC QUẢN LÝ, BẢO VỆ TÀI NGUYÊN NƯỚC DƯỚI ĐẤT",
        subject_end="TRÊN ĐỊA BÀN THÀNH PHỐ CẦN THƠ",
        signer=("Trần Chí Hùng", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
        distribution_first="TT. Thành ủy",
    ),
]

IDS = [case.id for case in CASES]


def canon(text: str | None) -> str | None:
    """NFC with one tone-mark placement, so `uỷ` as printed equals `ủy` (cchc.text.canonical)."""
    return None if text is None else canonical(text)


@cache
def _parse(path: Path) -> Document:
    return cchc.parse_file(path)


def parse(corpus_docs: Path, case: Case) -> Document:
    path = corpus_docs / case.file
    assert path.is_file(), f"{path} is missing from the corpus"
    return _parse(path)


def ref_tuple(ref) -> Ref:
    """(type, number, date, issuer) of a Reference, or of an expected tuple."""
    if isinstance(ref, tuple):
        kind, number, date, issuer = ref
    else:
        kind, number, date, issuer = ref.type, ref.number, ref.date, ref.issuer
    return (canon(kind), number, date, canon(issuer))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_type(corpus_docs, case):
    assert parse(corpus_docs, case).type == case.type


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_number_and_symbol(corpus_docs, case):
    doc = parse(corpus_docs, case)
    assert (doc.number, doc.symbol) == (case.number, case.symbol)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_issuer_and_parent(corpus_docs, case):
    doc = parse(corpus_docs, case)
    expected = (canon(case.issuer), canon(case.parent_issuer))
    assert (canon(doc.issuer), canon(doc.parent_issuer)) == expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_place_and_date(corpus_docs, case):
    doc = parse(corpus_docs, case)
    assert (canon(doc.place), doc.date) == (canon(case.place), case.date)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_subject(corpus_docs, case):
    subject = canon(parse(corpus_docs, case).subject)
    assert subject is not None
    assert subject.startswith(canon(case.subject_start)), subject
    assert subject.endswith(canon(case.subject_end)), subject
    assert "\n" not in subject


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_signer(corpus_docs, case):
    signer = parse(corpus_docs, case).signer
    assert signer is not None
    got = (canon(signer.name), canon(signer.title), canon(signer.authority))
    assert got == tuple(canon(part) for part in case.signer)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_first_distribution_item(corpus_docs, case):
    distribution = parse(corpus_docs, case).distribution
    assert distribution, "the Nơi nhận list is printed"
    assert canon(distribution[0]) == canon(case.distribution_first)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.reference], ids=[c.id for c in CASES if c.reference]
)
def test_cited_reference(corpus_docs, case):
    doc = parse(corpus_docs, case)
    expected = ref_tuple(case.reference)
    found = [ref_tuple(r) for r in doc.references]
    assert expected in found, found
    if case.reference_in_basis:
        in_bases = [ref_tuple(r) for b in doc.bases for r in b.references]
        assert expected in in_bases, in_bases


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.recipients_first],
    ids=[c.id for c in CASES if c.recipients_first],
)
def test_recipients(corpus_docs, case):
    recipients = parse(corpus_docs, case).recipients
    assert recipients, "the Kính gửi list is printed"
    assert canon(recipients[0]) == canon(case.recipients_first)
    if case.recipients_count is not None:
        assert len(recipients) == case.recipients_count, recipients

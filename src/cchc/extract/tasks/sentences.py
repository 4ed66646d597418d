"""Duties written as sentences: the body cut into paragraphs at list markers, each sentence's
lead unit (after a trigger, at its start, or from its heading), support units, deadline and
kind."""

from __future__ import annotations

import re
from functools import cache

from cchc.extract.deadlines import find_deadline
from cchc.extract.tasks.calendars import PERIOD
from cchc.extract.tasks.model import (
    Paragraph,
    Task,
    duty_pattern,
    in_compound,
    new_task,
    plausible_units,
    spelled_as_duty,
    spelled_head,
    words,
)
from cchc.extract.units import Unit, make_unit, split_units, starts_with_head
from cchc.text import fold, squash

_MARKER = re.compile(
    r"^\s*(?:[*_]{1,3}(?=\S))?(?P<m>[-+•–]\s*|\*\s+|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s+|\d{1,2},\s+(?=[A-ZĐ])|[a-zđ]\s*[)]\s*"
    r"|[IVX]{1,4}\s*[.-]\s+|\((?:[ivx]{1,4}|\d{1,2}|[a-zđ])\)\s*"
    r"|Điều\s+\d+\s*[.:]?\s*|Điều(?=[*_\s]*$))"
)


SPEAKER = re.compile(
    r"(?:yeu cau|chi dao|de nghi|(?<!ngoai )giao|quyet dinh|thong bao|ket luan)"
    r"\s*(?:nhu sau)?\s*:$"
)  # `UBND thị xã giao:` introduces assignments; `Bộ Ngoại giao:` is a unit


# Words that name no one in particular: `Cơ quan chủ trì: …` is a table label, not a lead.
_GENERIC = {"co quan", "don vi", "nguoi dung dau co quan", "cac co quan", "cac don vi", "to chuc"}


# Openings of a sentence under a unit heading that are not a duty (`Việc …`, `Kết quả …`).
_NOT_DUTY = (
    "viec ",
    "so ",
    "tong so",
    "danh sach",
    "noi dung",
    "ket qua",
    "muc tieu",
    "muc dich",
    "thoi gian",
    "kinh phi",
    "trong do",
    "tren day",
    "day la",
    "can cu",
    "ky ",
    "theo ",
    "nhu ",
    "tinh hinh",
    "nam ",
    "tran trong",  # `Trân trọng./`, `Trân trọng cảm ơn!`: the closing courtesy
)


# `… trong năm 2023 các cơ quan, đơn vị cần phải thực hiện:` names the lead at its end.
LEAD_AT_END = re.compile(
    r"(?P<u>(?:[Cc]ác|Thủ trưởng các|UBND các|Ủy ban nhân dân các)\s[^:]{3,80}?)\s+"
    r"(?:cần phải|cần|phải|có trách nhiệm)\s+(?:thực hiện|triển khai)[^:]{0,40}:\s*$"
)


HEADING_DUTY = re.compile(
    r"(?:co|chiu) trach nhiem(?: (?:thuc hien|trien khai))?(?: cac nhiem vu sau)?"
)


_NOUN_AFTER = re.compile(
    r"\s*(?:chinh tri|khac|co lien quan|lien quan|, ca nhan|va ca nhan|xa hoi)"
)


_SCOPE = re.compile(
    r"\s(?:theo (?:chức năng|thẩm quyền|phạm vi|nhiệm vụ|lĩnh vực)|trong phạm vi|căn cứ"
    r"|trước ngày)\b"
)


# A circumstance before the lead: `Căn cứ …,`, `Trong quá trình …,`, `nếu có khó khăn, vướng mắc,`.
# `Căn cứ Thông tư số 02/2017/TT-VPCP … của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn
# …`: a legal basis, whose issuer is no lead.
_BASIS = (
    r"(?:(?:bo )?luat|nghi dinh|nghi quyet|thong tu|quyet dinh|chi thi|ke hoach|cong van|van ban"
    r"|thong bao|huong dan|phap lenh|hien phap|ket luan|cong dien)\b"
)
_LEAD_IN = re.compile(
    # `5. Về điều chuyển số vốn dư (khoảng 1.500 tỷ đồng) …: Ủy ban nhân dân tỉnh rà soát …`
    # (or `8. Về …: tăng số lượng cấp phó …: giao Bộ Nội vụ chủ trì …`: up to the colon of the ask)
    r"^(?:ve (?:[^;]{0,450}?:\s*(?=(?:giao|de nghi|yeu cau)\s)"
    r"|(?:[^:;.]|(?<=\d)\.(?=\d)){0,300}:\s*))?"
    # `Về việc góp vốn điều lệ …, đề nghị Thuế tỉnh Quảng Trị trao đổi …`: the ask after a clause
    r"(?:[^;.:]{3,160}?,\s*(?=(?:de nghi|yeu cau)\s(?!cua\b)))?"
    rf"(?:(?:trong qua trinh|can cu(?! {_BASIS})|tren co so|sau khi|nhan duoc|de (?!nghi|xuat))"
    r"[^,;.]{0,90},\s*)?"
    r"(?:(?:truoc|cham nhat|(?:hang|dinh ky) (?:nam|quy|thang))[^,;.]{0,50},\s*)?"
    r"(?:neu (?:co )?(?:phat sinh )?(?:kho khan(?:, vuong mac| vuong mac)?|vuong mac"
    r"|thay can (?:thiet )?(?:sua doi|bo sung|dieu chinh)(?:,? (?:bo sung|dieu chinh))?)"
    r"(?:(?:(?!de nghi|yeu cau|cac )[^,;.]){0,40},)?\s*)?"
    # `Ủy ban nhân dân tỉnh đề nghị …`, `UBND Thành phố yêu cầu …`: the body that asks
    r"(?:(?:uy ban nhan dan|ubnd) [^,;.:]{0,40}? (?=(?:de nghi|yeu cau|giao) ))?"
    r"(?=\S)"
)


_RESPONSIBLE = re.compile(r"\s(?:co|chiu) trach nhiem\s+(?=\w)")


# A clause that names its own unit before `có trách nhiệm`: `các cơ quan phối hợp có trách nhiệm …`
_OWN_LEAD = re.compile(
    r"^(?:cac |thu truong |chu tich |uy ban |so |phong )[^;]{0,120}?(?:co|chiu) trach nhiem"
)


_DIRECTS = re.compile(r"^(?:chi dao|yeu cau|phan cong|huong dan|don doc)\s")


_PAST = re.compile(r"(?:da|vua|dang)\s+$")


# `Hằng năm`, `Định kỳ hằng quý (trước ngày 30 tháng 11)`: how often, before the verb.
_OFTEN = re.compile(
    r"(?:(?:dinh ky )?(?:hang|dinh ky) (?:nam|quy|thang|tuan|\d+ thang),? ?(?:\([^)]{0,40}\) ?)?)?"
)


_BOARD = re.compile(r"(?:\bBan|\bTổ|Hội đồng)\s+$")


_PASSIVE = re.compile(r"(?:duoc|bi)\s+$")  # `các nội dung được giao`: no duty begins here
# `được Ủy ban nhân dân tỉnh giao`, `do Đảng và Nhà nước giao`: a passive with its agent.
_AGENT = re.compile(r"\b(?:duoc|do)\s+(\S+)(?:\s+[^\s,;.:]+){0,6}\s+$")


_REQUEST = re.compile(r"(?:Đề nghị|Yêu cầu)\s")


# A line ending so ends its paragraph (`… quyết định."` closes a quoted provision too).
_PARAGRAPH_ENDS = (".", ":", ";", '."', ".”", ';"', ";”")
# A sentence ends at `.;!?` (or `.”`) before a capitalised word (any Vietnamese capital:
# `Ủy ban …`), not after the abbreviation of a place's kind (`Thuế TP. Hà Nội`, `TX. An Phú`).
_SENTENCE = re.compile(
    r"(?<![\s(](?:TP|Tp|TX|Tx|TT)\.)"
    r"(?:(?<=[.;!?])|(?<=[.;!?][”\"]))\s+(?=[^\W\d_][^\s]*\s)"
)


@cache
def trigger_pattern() -> re.Pattern:
    alternation = "|".join(re.escape(w) for w in sorted(words()["triggers"], key=len, reverse=True))
    return re.compile(rf"(?:{alternation})\s+")  # used with .match(text, pos)


_EMPHASIS = re.compile(r"\s*[*_]{1,3}(?=\S)")


def _marker_level(marker: str) -> int:
    m = marker.strip()
    if not m:
        return 5
    if m.startswith("Điều"):
        return 0
    if re.fullmatch(r"[IVX]{1,4}\s*[.-]", m):
        return 0
    if re.fullmatch(r"\d{1,2}\s*[.)/,]", m):
        return 1
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+\s*[.)]?", m):
        return 2
    if re.fullmatch(r"[a-zđ]\s*\)", m):
        return 2
    if m.startswith("("):
        return 3
    if m.startswith(("-", "–", "•", "*")):
        return 3
    return 4


def paragraphs(
    text: str, start_line: int, end_line: int, folded_text: str | None = None
) -> list[Paragraph]:
    """Join wrapped lines of the body into paragraphs, with character offsets into `text`."""
    lines = text.split("\n")
    flines = (fold(text) if folded_text is None else folded_text).split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    out: list[Paragraph] = []
    current: Paragraph | None = None
    for i in range(start_line, min(end_line, len(lines))):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            nxt = next((x.strip() for x in lines[i + 1 : i + 3] if x.strip()), "")
            # A short unpunctuated line, a blank, then a capital: a heading (`9. Đề nghị …`).
            # An article's title (`Điều 14: Trách nhiệm thi hành`, `**…**` in markdown) stands
            # alone on its line.
            title = bool(
                current
                and nxt[:1].isupper()
                and (
                    lines[i - 1].rstrip().endswith("**")
                    or (current.marker.startswith("Điều") and len(current.text) < 150)
                )
            )
            heading = title or bool(
                current
                and current.level <= 2
                and len(current.text) < 150
                and nxt[:1].isupper()
                and not any(
                    current.text[m.start()].islower()
                    and not _PASSIVE.search(current.folded, 0, m.start())
                    for m in duty_pattern().finditer(current.folded)
                )
            )
            if current and (current.text.rstrip().endswith(_PARAGRAPH_ENDS) or heading):
                out.append(current)
                current = None
            continue
        number = re.match(r"\s*(\d{1,3})\s*[.:]?\s*", line)
        if current and current.marker == "Điều" and not current.text and number:
            # `**Điều` / `14: Trách nhiệm thi hành**`: the article's number on the next line
            current.marker = f"Điều {number.group(1)}."
            current.pieces = [(0, offsets[i] + number.end())]
            current.text = line[number.end() :].rstrip().rstrip("*_ ")
            current.folded = flines[i][number.end() :].rstrip().rstrip("*_ ")
            current.end = offsets[i] + len(line)
            continue
        m = _MARKER.match(line)
        starts_new = bool(m) or current is None or current.text.rstrip().endswith(_PARAGRAPH_ENDS)
        if current and not m and stripped[:1].islower():
            starts_new = False
        if current and current.marker and len(current.text) < 100 and _REQUEST.match(stripped):
            starts_new = True  # `1. Về thuế giá trị gia tăng` / `Đề nghị Thuế tỉnh … căn cứ …`
        if starts_new:
            if current:
                out.append(current)
            marker = m.group("m") if m else ""
            body_at = m.end() if m else len(line) - len(line.lstrip())
            emphasis = _EMPHASIS.match(line, body_at)
            body_at = emphasis.end() if emphasis else body_at  # markdown `**Điều 5. …**`
            body = line[body_at:].rstrip().rstrip("*_ ")
            current = Paragraph(
                body,
                offsets[i],
                offsets[i] + len(line),
                _marker_level(marker),
                marker.strip(),
                [(0, offsets[i] + body_at)],
                flines[i][body_at:].rstrip().rstrip("*_ "),
            )
        else:
            lead_spaces = len(line) - len(line.lstrip())
            current.pieces.append((len(current.text) + 1, offsets[i] + lead_spaces))
            current.text = current.text + " " + stripped.rstrip("*_ ")
            current.folded = current.folded + " " + flines[i].strip().rstrip("*_ ")
            current.end = offsets[i] + len(line)
    if current:
        out.append(current)
    return out


_GROUNDS = re.compile(rf"(?:tren co so|can cu(?! {_BASIS}))\s")


def _after_grounds(text: str, folded: str) -> int:
    """Where the unit begins after a long clause of grounds (`Trên cơ sở Báo cáo số … của Chính
    phủ và Kết luận …, Bộ Xây dựng làm việc …`): at the first comma followed by a capitalised
    unit head, before any `;`; 0 when the text does not open so."""
    if not _GROUNDS.match(folded) or folded.rstrip().endswith(":"):
        return 0  # `Trên cơ sở Đề án …, Ủy ban Thường vụ Quốc hội quyết định … như sau:`
    end = folded.find(";")
    for comma in re.finditer(r",\s*", folded[: 400 if end < 0 else min(end, 400)]):
        at = comma.end()
        if text[at : at + 1].isupper() and starts_with_head(folded[at:]):
            return at
    return 0


def lead_phrase(sentence: str, folded: str | None = None) -> tuple[str | None, int]:
    """(unit phrase, where the duty begins) for a sentence that opens with a trigger or a unit."""
    text = sentence
    folded = fold(sentence) if folded is None else folded
    offset = 0
    lead_in = _LEAD_IN.match(folded)
    if lead_in:
        # `Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các sở … kịp thời phản ánh`
        offset = lead_in.end()
    offset += _after_grounds(text[offset:], folded[offset:])
    trig = trigger_pattern().match(folded, offset)
    if trig:
        offset = trig.end()
    rest = text[offset:]
    rest_f = folded[offset:]
    if not rest_f[:1].isalpha():
        return None, 0
    capital = rest[:1].isupper() or rest_f.startswith("cac ") or trig is not None
    if not starts_with_head(rest_f) or not capital or not spelled_head(rest, rest_f):
        return None, 0  # `Bản tin …` folds like `Ban …` but names no board
    # `Sở Tài chính: Căn cứ khả năng cân đối ngân sách, trình …`: the unit, a colon, its duty.
    colon = rest.find(":", 0, 150)
    after = rest[colon + 1 :].lstrip()
    verb = duty_pattern().match(fold(after))
    if colon > 3 and after[:1].isupper() and verb and spelled_as_duty(after[: verb.end()]):
        name = rest[:colon].strip()
        if plausible_units(name) and not any(
            name[m.start()].islower() for m in duty_pattern().finditer(rest_f, 0, colon)
        ):
            return name, offset + colon + 1
    # `Các cơ quan được phân công chủ trì … có trách nhiệm lập …`: the name runs to the phrase.
    duty = _RESPONSIBLE.search(rest_f, 0, 220)
    if duty and duty.start() > 3 and plausible_units(rest[: duty.start()], longest=6):
        phrase = rest[: duty.start()].strip(" ,:")
        if not _PAST.search(rest_f[: duty.start()]) and fold(phrase) not in _GENERIC:
            return phrase, offset + duty.end()
    for m in duty_pattern().finditer(rest_f):
        if m.start() < 3:
            continue
        if not rest[m.start() : m.start() + 1].islower():
            continue  # a capitalised word belongs to a name: `Sở Xây dựng`
        if not spelled_as_duty(rest[m.start() : m.end()]):
            continue  # `Tôn giáo` is no `giao`
        if _PASSIVE.search(rest_f, 0, m.start()):
            continue  # `các đơn vị được giao làm Bên mời thầu`: part of the name
        agent = rest_f.startswith(" nhiem vu", m.end()) and _AGENT.search(rest_f, 0, m.start())
        if agent and rest[agent.start(1) : agent.start(1) + 1].isupper():
            continue  # `các hội được Đảng và Nhà nước giao nhiệm vụ`: who gave it, in the name
        if in_compound(rest_f, m):
            continue  # `Các đơn vị sự nghiệp công lập`, `Bộ Ngoại giao`
        if _BOARD.search(rest, 0, m.start()):
            continue  # `Văn phòng Ban chỉ đạo …`, `Ban tổ chức`, `Ban quản lý`: a board's name
        if _NOUN_AFTER.match(rest_f, m.end()):
            continue  # `tổ chức chính trị - xã hội`, `cơ quan, tổ chức khác`: a noun here
        if m.group() == "to chuc" and re.search(r"(?:,|\bva)\s*(?:cac\s+)?$", rest_f[: m.start()]):
            continue  # `các cơ quan, tổ chức kịp thời …`: one more body in the list
        phrase = rest[: m.start()].strip(" ,:")
        # `Bộ Y tế theo chức năng, nhiệm vụ …`: what follows the name is not the name.
        duty_at = offset + m.start()
        scope = _SCOPE.search(phrase)
        which = False
        if scope:
            if scope.group().strip() == "trước ngày":
                duty_at = offset + scope.start() + 1  # the time limit belongs to the duty
            cut = phrase[: scope.start()].strip(" ,")
            # but `Các cơ quan theo thẩm quyền`: the scope says which ones
            which = fold(cut) in _GENERIC and scope.group().startswith(" theo") and len(phrase) < 50
            phrase = phrase if which else cut
        if not which and (
            len(phrase) > 260 or fold(phrase) in _GENERIC or not _names_units(phrase)
        ):
            return None, 0
        if fold(phrase).startswith("truong hop"):
            return None, 0
        if _PAST.search(rest_f[: m.start()]):
            return None, 0
        return phrase, duty_at
    return None, 0


# `Ủy ban nhân dân các xã có diện tích lúa`: a unit, then a clause saying which ones.
_WHICH = re.compile(r"\s(?:có|thuộc|đang|trên địa bàn|tại|ở) ", re.IGNORECASE)


def _names_units(phrase: str) -> bool:
    """The phrase names units: names only, or names and a short clause saying which."""
    if plausible_units(phrase):
        return True
    which = _WHICH.search(phrase)
    return bool(
        which
        and which.start() > 3
        and plausible_units(phrase[: which.start()])
        and len(phrase[which.end() :].split()) <= 8
    )


def _support(sentence: str) -> list[Unit]:
    folded = fold(sentence)
    m = re.search(r"phoi hop(?:\s+(?:chat che\s+)?(?:voi|cung))?\s+", folded)
    if not m:
        return []
    tail = sentence[m.end() :]
    stop = duty_pattern().search(fold(tail))
    cut = len(tail)
    if stop:
        cut = stop.start()
    for mark in (";", ".", ":", " để ", " trong ", " theo ", " trước "):
        k = tail.find(mark)
        if 0 <= k < cut:
            cut = k
    phrase = tail[:cut].strip(" ,")
    units = [u for u in split_units(phrase) if starts_with_head(fold(u.name))] if phrase else []
    return units[:8]


def span_of(para: Paragraph, s_start: int, sentence: str, action: str, alone: bool) -> list[int]:
    """Where a duty stands in the document: its sentence, or its clause when the sentence holds
    several duties."""
    k = sentence.find(action[:30])
    if k >= 0 and not alone:
        return [para.offset(s_start + k), para.offset(s_start + k + len(action))]
    return [para.offset(s_start), para.offset(s_start + len(sentence))]


def opens_with_duty(sentence_f: str) -> bool:
    """A verb opens the sentence, maybe after how often or during what: `Hằng năm báo cáo kết
    quả …`, `trong quá trình thi công bảo đảm …`."""
    pos = _OFTEN.match(sentence_f).end()
    if sentence_f.startswith("trong qua trinh ", pos):
        pos += len("trong qua trinh ")
        m = duty_pattern().search(sentence_f, pos, pos + 30)
        return bool(m) and m.start() > pos and "," not in sentence_f[pos : m.start()]
    return bool(duty_pattern().match(sentence_f, pos))


def split_sentences(para: Paragraph):
    """Sentences of a paragraph with their index in the paragraph's joined text."""
    start = 0
    for m in _SENTENCE.finditer(para.text):
        if not para.text[m.end()].isupper():
            continue
        yield para.text[start : m.start()], start
        start = m.end()
    yield para.text[start:], start


def is_issuer(unit: Unit, issuer_key: str | None) -> bool:
    """`Cục trưởng Cục Hải quan` or `Ủy ban nhân dân tỉnh` in a document of that same body."""
    if not issuer_key:
        return False
    key = unit.canonical
    return key == issuer_key or issuer_key in key or (len(key) > 12 and issuer_key.startswith(key))


# `UBND xã, phường (sau đây viết tắt là các cơ quan, đơn vị)`: a definition, not a duty.
_DEFINITION = re.compile(r"\((?:sau|dưới) đây|^(?:viết|gọi) tắt là|^gọi là", re.IGNORECASE)


def _not_an_assignment(phrase: str | None, action: str) -> bool:
    """A definition (`… (sau đây viết tắt là …)`), a title in capitals read as a duty (`TỔ CHỨC
    QUẢN LÝ VÀ BẢO ĐẢM HOẠT ĐỘNG …`), or a lead cut inside a clause (`Các cơ quan, cá nhân liên
    quan đến việc` / `quản lý …`)."""
    if _DEFINITION.search(action) or (phrase and _DEFINITION.search(phrase)):
        return True
    letters = [c for c in action if c.isalpha()]
    if len(letters) >= 10 and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return True
    if _ENACTS.match(fold(action)) or _CHAPTER.match(action):
        return True  # `Chính phủ ban hành Nghị định …`, `Chương IV ĐIỀU KHOẢN THI HÀNH`
    if _ANSWERS_TO.match(fold(action)):
        return True  # `… chịu trách nhiệm toàn diện trước Thủ tướng Chính phủ về …`
    if _APPLIES_LAW.match(fold(action)):
        return True  # `Thanh tra Ngân hàng Nhà nước thực hiện theo quy định tại Luật Thanh tra`
    if phrase and _ENACTING_BODY.match(fold(phrase)) and _ENACTS_ANY.match(fold(action)):
        return True  # `Chính phủ ban hành Nghị định phân loại đơn vị hành chính.`
    # `Bộ Tài chính kính báo cáo Thủ tướng Chính phủ`: the writer addressing its superior.
    # `Trung tâm có chức năng tham mưu …`: what the body is for, not work given to it.
    ends = (" việc", " là", " kính", " có chức năng")
    return bool(phrase and phrase.rstrip(" ,").lower().endswith(ends))


# A step of an administrative procedure as a legal text or a list of procedures states it:
# `Trường hợp hồ sơ chưa đầy đủ: …`, `Trong thời hạn 03 ngày làm việc kể từ ngày nhận được hồ
# sơ, …`, `Thời hạn thẩm định … tối đa là 60 ngày kể từ ngày nhận đủ hồ sơ` — the rule of how a
# file is handled, not a duty given to someone.
_PROCEDURE_STEP = re.compile(
    r"[\s\-+*]*(?:truong hop ho so\b|(?:trong (?:thoi han )?|thoi han [^;.]{0,200}? la )"
    r"\d{1,3} ngay(?: lam viec)? ke tu (?:ngay|khi) (?:nhan|co ket qua|thanh lap|tiep nhan))"
)


_CHAPTER = re.compile(r"Chương [IVXLC\d]+\b")  # a chapter's title, read as an item
# The enacting words under a legal text's bases: `Chính phủ ban hành Nghị định quy định …`,
# `Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Thông tư sửa đổi …` (the document itself).
_ENACTS = re.compile(
    r"ban hanh (?:nghi dinh|thong tu|nghi quyet|quyet dinh|chi thi)"
    r"(?: (?:quy dinh|sua doi|ve|huong dan|bai bo|ban hanh|thay the)\b|\s*[.:]?\s*$)"
)

# Any title after the words that enact a decree or a circular, when its issuer says them with no
# time limit: what the document is, not a duty.
_ENACTS_ANY = re.compile(r"ban hanh (?:nghi dinh|thong tu)\b[^\d;]*$")
# Whom a body answers to (`chịu trách nhiệm (toàn diện) trước … về …`): accountability, not a duty.
_ANSWERS_TO = re.compile(r"(?:toan dien )?truoc (?!ngay|thang|quy|nam|khi|het|mat|\d)\w")
# A body that acts as a law says: which rules apply to it, not a duty given.
_APPLIES_LAW = re.compile(
    r"thuc hien (?:chuc nang, )?(?:nhiem vu, quyen han )?theo quy dinh "
    r"(?:cua phap luat|tai (?:bo )?luat|cua (?:bo )?luat)\b"
)
_ENACTING_BODY = re.compile(r"(?:chinh phu|bo truong [^,;]{3,80})$")


def task_from_sentence(
    sentence, context, anchor, issuer_key, warnings, in_item=True, sentence_f=None
) -> list[Task]:
    sentence_f = fold(sentence) if sentence_f is None else sentence_f
    if PERIOD.match(sentence_f.lstrip("- ")):
        return []  # a line of a report calendar: see `report_calendar`
    if _PROCEDURE_STEP.match(sentence_f):
        return []  # `Trường hợp hồ sơ đầy đủ: cơ quan … cấp …`: how a procedure runs
    execution = _EXECUTION.search(sentence_f)
    if execution and starts_with_head(sentence_f):
        # `Chánh Văn phòng …, Giám đốc các sở … chịu trách nhiệm thi hành Quyết định này`: one
        # task for all the units named, however long the list.
        units = [
            u for u in split_units(sentence[: execution.start()]) if starts_with_head(u.canonical)
        ]
        if units and not is_issuer(units[0], issuer_key):
            action = squash(sentence[execution.end("verb") :]).strip(" ;,./")
            return [new_task(units, [], action, None, evidence="execution")]
    phrase, duty_at = lead_phrase(sentence, sentence_f)
    if context and in_item and phrase and _DIRECTS.match(sentence_f):
        # Under `1. Bộ Tài chính:`, `Chỉ đạo Bảo hiểm xã hội …` is Bộ Tài chính's duty.
        phrase, duty_at = None, 0
    lead = split_units(phrase) if phrase else None
    if lead and is_issuer(lead[0], issuer_key):
        return []  # the issuer speaking of itself
    action = sentence[duty_at:] if lead else sentence
    if not lead:
        if not context:
            return []
        action_f = fold(action)
        not_duty = (
            action_f.startswith(_NOT_DUTY)
            and not action_f.startswith("theo doi")
            and not action.lower().startswith("nắm ")  # `Nắm tình hình` is no `Năm …`
        )
        if not action[:1].isalpha() or not_duty:
            return []  # an item under a unit heading states its duty; these open otherwise
        lead = context
    how = "named" if phrase and lead is not context else "heading"
    opening = sentence[: max(sentence.find(phrase), 0)] if how == "named" else ""
    if how == "named" and _ASKED.search(sentence_f[: max(sentence.find(phrase), 0) + 1]):
        how = "asked"  # `Giao Sở X …`, `Đề nghị Công ty …`: an assignment in so many words
    action = squash(action).strip(" ;,.")
    if len(action) < 8 or _only_names(action) or _not_an_assignment(phrase, action):
        return []
    out = []
    first_lead = lead
    for n, duty in enumerate(_split_duties(action, split=how != "heading")):
        if _FORMULA.fullmatch(fold(duty)) and duty.rstrip().endswith("/"):
            continue  # `nghiêm túc triển khai thực hiện./`: the closing formula assigns nothing
        if _CITATION.match(fold(duty)):
            continue  # `Nghị định số 31/2021/NĐ-CP ngày …`: a document cited, no duty
        lead = first_lead
        if n:
            # `…, các cơ quan phối hợp có trách nhiệm phối hợp …`: a clause with its own lead.
            own, duty_at = lead_phrase(duty)
            if own and _RESPONSIBLE.search(fold(duty)):
                lead, duty = split_units(own), duty[duty_at:].strip(" ,")
        found = find_deadline(duty, anchor)
        if found.date is None and opening:
            # `Trước ngày 20 tháng 12 hằng năm, UBND xã lập …`: the time limit opens the sentence
            before = find_deadline(opening, anchor)
            found = before if before.date else found
        warnings.extend(found.warnings)
        evidence = "named" if lead is not first_lead else how
        out.append(new_task(lead, _support(duty), duty, found, evidence=evidence))
    for task in out if len(out) > 1 else ():
        task.shared = True
    return out


def names_only(value: str) -> list[Unit]:
    """The units of a list that names units and nothing else (a scope like `trong phạm vi
    chức năng của mình` dropped); [] when the text also says what they do."""
    units = []
    for unit in split_units(value.rstrip(". ")):
        scope = _SCOPE.search(unit.name)
        name = unit.name[: scope.start()] if scope else unit.name
        name_f = fold(name)
        verbs = [
            m
            for m in duty_pattern().finditer(name_f)
            if name[m.start()].islower()
            and spelled_as_duty(name[m.start() : m.end()])
            and not _NOUN_AFTER.match(name_f, m.end())
        ]
        if verbs or not starts_with_head(name_f):
            return []
        units.append(make_unit(name))
    return units


def _only_names(action: str) -> bool:
    """`Quốc phòng, Công an, Tài chính` under `Bộ trưởng các Bộ:`: capitalised names, no duty."""
    pieces = re.split(r",\s*|\s+và\s+", action)
    if len(pieces) < 2 or duty_pattern().search(fold(action)):
        return False
    return all(p[:1].isupper() for p in pieces)


# A closing formula: `nghiêm túc triển khai thực hiện./` with no duty and no document named,
# closing the body (`./`); `triển khai thực hiện Kế hoạch này` names what to carry out and
# `Yêu cầu X nghiêm túc thực hiện.` within the text stays a task.
_FORMULA = re.compile(
    r"(?:(?:nghiem tuc|khan truong|quyet liet|kip thoi|dong bo|hieu qua|chu dong|to chuc"
    r"|trien khai|thuc hien|nghiem|tot|cac noi dung|noi dung|tren|va|,)\s*)*"
    r"(?:trien khai|thuc hien)"
    r"(?:\s*(?:,|va|thuc hien|trien khai|dong bo|hieu qua|nghiem tuc|kip thoi|tot))*"
    r"(?:\s*(?:cong dien|cong van|chi thi|ke hoach|quyet dinh|thong bao|van ban|nghi quyet) nay)?"
    r"[\s./]*"
)


# A legal document cited by its number (a line of a list of bases): `Luật Đầu tư số 61/2020/QH14`,
# `Nghị định số 31/2021/NĐ-CP ngày …`, `Thông tư 03/2021/TT-BKHĐT`.
_CITATION = re.compile(
    r"(?:luat|bo luat|nghi dinh|thong tu(?: lien tich)?|quyet dinh|nghi quyet|chi thi|phap lenh)"
    r"\b[^;:]{0,40}?\b(?:so\s+)?\d{1,5}/(?:\d{4}/)?[a-z]"
)


_ASKED = re.compile(r"(?:^|\s)(?:giao|de nghi|yeu cau|chi dao|phan cong)\s")


# The article that names who executes a decision, a resolution or rules.
_EXECUTION = re.compile(
    r"\s+(?:chiu|co) trach nhiem\s+(?P<verb>)(?:to chuc )?(?:thi hanh|thuc hien)\s+"
    r"(?:quyet dinh|nghi quyet|nghi dinh|thong tu|chi thi|quy dinh|quy che) nay"
    r"(?:\s*;[^.]*)?[\s./]*$"
)


# A clause that only gives the time limit of the duty before it.
_ONLY_WHEN = re.compile(
    r"(?:hoan thanh|xong|thuc hien xong)\s*(?:truoc|trong|cham nhat|den het|trong thang|"
    r"trong quy|trong nam)[^;,]{0,40}"
)


_REPORT_TAIL = re.compile(
    r",?\s+(?:và|đồng thời)\s+(?=báo cáo\s+(?:kết quả[^,;]{0,40}?\s)?(?:về\s+)?[A-ZĐ])"
)


_ALSO = re.compile(r"(?:dong thoi|ngoai ra|sau do),?\s+")


def _split_duties(action: str, split: bool = True) -> list[str]:
    """One duty per clause: `kiểm tra …; tham mưu …` is two, and `… và báo cáo Chủ tịch UBND
    kết quả` is a report of its own. With `split` False (an item under a unit heading, one
    bullet being one duty) only a clause naming its own lead or a report to someone stands
    apart."""
    duties: list[str] = []
    for clause in re.split(r"\s*;\s*|,\s+(?=các [^,;]{3,80}? (?:có|chịu) trách nhiệm)", action):
        clause = clause.strip(" ,.")
        also = _ALSO.match(fold(clause))
        if duties and also:
            clause = clause[also.end() :]  # `…; đồng thời, khẩn trương triển khai …`: one more
        clause_f = fold(clause)
        if duties and not opens_with_duty(clause_f) and not _OWN_LEAD.match(clause_f):
            duties[-1] += "; " + clause  # the same duty goes on
            continue
        if duties and not split and not _OWN_LEAD.match(clause_f):
            duties[-1] += "; " + clause  # an item under a unit heading is one duty
            continue
        if duties and _ONLY_WHEN.fullmatch(clause_f):
            duties[-1] += "; " + clause  # `…; hoàn thành trong tháng 11 năm 2025`: its time limit
            continue
        tail = _REPORT_TAIL.search(clause)
        if tail and tail.start() > 15:
            duties += [clause[: tail.start()].strip(" ,"), clause[tail.end() :].strip(" ,")]
        elif clause:
            duties.append(clause)
    return [d for d in duties if len(d) >= 8]

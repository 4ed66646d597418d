"""Tasks: who must do what by when, read from the body of a directive document.

The body is cut into paragraphs at list markers (`1.`, `a)`, `-`, `+`, `Điều 2.`); a paragraph
that names a unit and ends with `:` is a heading whose duties follow it. Each sentence finds its
lead unit after a trigger (`Giao X`, `Đề nghị X`), at its start (`Sở Tài chính chủ trì …`) or in
its heading, then its support units (`phối hợp với …`), where results go (`báo cáo UBND …`), its
deadline, recurrence and kind. Report calendars (`Báo cáo Quý 1/2021: … chốt số liệu từ ngày …`)
become report tasks with their data window and due date.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from importlib import resources

import yaml

from cchc.budget import UNLIMITED, Budget
from cchc.extract.deadlines import Deadline, find_deadline
from cchc.extract.units import Unit, canonical_name, make_unit, split_units, starts_with_head
from cchc.text import fold, iso_date, squash

_MARKER = re.compile(
    r"^\s*(?P<m>[-+•*–]\s*|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s+|\d{1,2},\s+(?=[A-ZĐ])|[a-zđ]\s*[)]\s*"
    r"|[IVX]{1,4}\s*[.-]\s+|\((?:[ivx]{1,4}|\d{1,2}|[a-zđ])\)\s*"
    r"|Điều\s+\d+\s*[.:]?\s*)"
)
_SPEAKER = re.compile(
    r"(?:yeu cau|chi dao|de nghi|giao|quyet dinh|thong bao|ket luan)\s*(?:nhu sau)?\s*:$"
)
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
)
# `… trong năm 2023 các cơ quan, đơn vị cần phải thực hiện:` names the lead at its end.
_LEAD_AT_END = re.compile(
    r"(?P<u>(?:[Cc]ác|Thủ trưởng các|UBND các|Ủy ban nhân dân các)\s[^:]{3,80}?)\s+"
    r"(?:cần phải|cần|phải|có trách nhiệm)\s+(?:thực hiện|triển khai)[^:]{0,40}:\s*$"
)
_HEADING_DUTY = re.compile(
    r"(?:co|chiu) trach nhiem(?: (?:thuc hien|trien khai))?(?: cac nhiem vu sau)?"
)
_NOUN_AFTER = re.compile(
    r"\s*(?:chinh tri|khac|co lien quan|lien quan|, ca nhan|va ca nhan|xa hoi)"
)
_SCOPE = re.compile(
    r"\s(?:theo (?:chức năng|thẩm quyền|phạm vi|nhiệm vụ)|trong phạm vi|căn cứ|trước ngày)\b"
)
# A circumstance before the lead: `Căn cứ …,`, `Trong quá trình …,`, `nếu có khó khăn, vướng mắc,`.
_LEAD_IN = re.compile(
    r"^(?:ve [^:;.]{0,140}:\s*)?"
    r"(?:(?:trong qua trinh|can cu|tren co so|sau khi|nhan duoc|de (?!nghi|xuat))[^,;.]{0,90},\s*)?"
    r"(?:neu co (?:phat sinh )?kho khan(?:, vuong mac| vuong mac)?"
    r"(?:(?:(?!de nghi|yeu cau)[^,;.]){0,40},)?\s*)?"
    r"(?=\S)"
)
_RESPONSIBLE = re.compile(r"\s(?:co|chiu) trach nhiem\s+(?=\w)")
# A clause that names its own unit before `có trách nhiệm`: `các cơ quan phối hợp có trách nhiệm …`
_OWN_LEAD = re.compile(
    r"^(?:cac |thu truong |chu tich |uy ban |so |phong )[^;]{0,120}?(?:co|chiu) trach nhiem"
)
_DIRECTS = re.compile(r"^(?:chi dao|yeu cau|phan cong|huong dan|don doc)\s")
_PAST = re.compile(r"(?:da|vua|dang)\s+$")
_OFTEN = re.compile(r"(?:(?:hang|dinh ky) (?:nam|quy|thang|tuan|\d+ thang),? ?)?")
_PASSIVE = re.compile(r"(?:duoc|bi)\s+$")  # `các nội dung được giao`: no duty begins here
_REQUEST = re.compile(r"(?:Đề nghị|Yêu cầu)\s")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=(?:Giao|Đề nghị|Yêu cầu|[A-ZĐ][^\s]*\s))")


@cache
def words() -> dict:
    data = yaml.safe_load(
        resources.files("cchc.data").joinpath("task_words.yaml").read_text("utf-8")
    )
    return {key: tuple(fold(w) for w in values) for key, values in data.items()}


@cache
def _duty_pattern() -> re.Pattern:
    alternation = "|".join(
        re.escape(w) for w in sorted(words()["duty_starts"], key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")


@cache
def _trigger_pattern() -> re.Pattern:
    alternation = "|".join(re.escape(w) for w in sorted(words()["triggers"], key=len, reverse=True))
    return re.compile(rf"(?:{alternation})\s+")  # used with .match(text, pos)


@dataclass
class Task:
    id: str
    lead: list[dict]
    support: list[dict]
    action: str
    deadline: str | None
    deadline_text: str | None = None
    urgent: bool = False
    recurrence: str | None = None
    next_dates: list[str] = field(default_factory=list)
    report_to: str | None = None
    source_span: list[int] = field(default_factory=list)
    section: str | None = None
    kind: str = "task"
    note: str | None = None
    period: str | None = None
    data_from: str | None = None
    data_to: str | None = None
    due: str | None = None

    def to_dict(self) -> dict:
        """JSON fields; the report-calendar fields only on report-calendar tasks."""
        data = asdict(self)
        for key in ("deadline_text", "note"):
            if data[key] is None:
                del data[key]
        if self.period is None:
            for key in ("period", "data_from", "data_to", "due"):
                del data[key]
        return data


@dataclass
class _Paragraph:
    text: str
    start: int
    end: int
    level: int
    marker: str
    # (index in `text`, offset in the document) where each joined line begins
    pieces: list[tuple[int, int]] = field(default_factory=list)
    folded: str = ""  # fold(text), character for character

    def offset(self, index: int) -> int:
        """Offset in the document of character `index` of the joined paragraph text."""
        base = self.pieces[0]
        for piece in self.pieces:
            if piece[0] > index:
                break
            base = piece
        return base[1] + index - base[0]


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
) -> list[_Paragraph]:
    """Join wrapped lines of the body into paragraphs, with character offsets into `text`."""
    lines = text.split("\n")
    flines = (fold(text) if folded_text is None else folded_text).split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    out: list[_Paragraph] = []
    current: _Paragraph | None = None
    for i in range(start_line, min(end_line, len(lines))):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            nxt = next((x.strip() for x in lines[i + 1 : i + 3] if x.strip()), "")
            # A short unpunctuated line, a blank, then a capital: a heading (`9. Đề nghị …`).
            heading = bool(
                current
                and current.level <= 2
                and len(current.text) < 150
                and nxt[:1].isupper()
                and not any(
                    current.text[m.start()].islower()
                    and not _PASSIVE.search(current.folded, 0, m.start())
                    for m in _duty_pattern().finditer(current.folded)
                )
            )
            if current and (current.text.rstrip().endswith((".", ":", ";")) or heading):
                out.append(current)
                current = None
            continue
        m = _MARKER.match(line)
        starts_new = bool(m) or current is None or current.text.rstrip().endswith((".", ":", ";"))
        if current and not m and stripped[:1].islower():
            starts_new = False
        if current and current.marker and len(current.text) < 100 and _REQUEST.match(stripped):
            starts_new = True  # `1. Về thuế giá trị gia tăng` / `Đề nghị Thuế tỉnh … căn cứ …`
        if starts_new:
            if current:
                out.append(current)
            marker = m.group("m") if m else ""
            body_at = m.end() if m else len(line) - len(line.lstrip())
            body = line[body_at:].rstrip()
            current = _Paragraph(
                body,
                offsets[i],
                offsets[i] + len(line),
                _marker_level(marker),
                marker.strip(),
                [(0, offsets[i] + body_at)],
                flines[i][body_at:].rstrip(),
            )
        else:
            lead_spaces = len(line) - len(line.lstrip())
            current.pieces.append((len(current.text) + 1, offsets[i] + lead_spaces))
            current.text = current.text + " " + stripped
            current.folded = current.folded + " " + flines[i].strip()
            current.end = offsets[i] + len(line)
    if current:
        out.append(current)
    return out


def _lead_phrase(sentence: str, folded: str | None = None) -> tuple[str | None, int]:
    """(unit phrase, where the duty begins) for a sentence that opens with a trigger or a unit."""
    text = sentence
    folded = fold(sentence) if folded is None else folded
    offset = 0
    lead_in = _LEAD_IN.match(folded)
    if lead_in:
        # `Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các sở … kịp thời phản ánh`
        offset = lead_in.end()
    trig = _trigger_pattern().match(folded, offset)
    if trig:
        offset = trig.end()
    rest = text[offset:]
    rest_f = folded[offset:]
    if not rest_f[:1].isalpha():
        return None, 0
    capital = rest[:1].isupper() or rest_f.startswith("cac ") or trig is not None
    if not starts_with_head(rest_f) or not capital:
        return None, 0
    # `Các cơ quan được phân công chủ trì … có trách nhiệm lập …`: the name runs to the phrase.
    duty = _RESPONSIBLE.search(rest_f, 0, 220)
    if duty and duty.start() > 3 and _plausible_units(rest[: duty.start()], longest=6):
        phrase = rest[: duty.start()].strip(" ,:")
        if not _PAST.search(rest_f[: duty.start()]) and fold(phrase) not in _GENERIC:
            return phrase, offset + duty.end()
    for m in _duty_pattern().finditer(rest_f):
        if m.start() < 3:
            continue
        if not rest[m.start() : m.start() + 1].islower():
            continue  # a capitalised word belongs to a name: `Sở Xây dựng`
        if _PASSIVE.search(rest_f, 0, m.start()):
            continue  # `các đơn vị được giao làm Bên mời thầu`: part of the name
        if _NOUN_AFTER.match(rest_f, m.end()):
            continue  # `tổ chức chính trị - xã hội`, `cơ quan, tổ chức khác`: a noun here
        phrase = rest[: m.start()].strip(" ,:")
        # `Bộ Y tế theo chức năng, nhiệm vụ …`: what follows the name is not the name.
        duty_at = offset + m.start()
        scope = _SCOPE.search(phrase)
        if scope:
            if scope.group().strip() == "trước ngày":
                duty_at = offset + scope.start() + 1  # the time limit belongs to the duty
            phrase = phrase[: scope.start()].strip(" ,")
        if len(phrase) > 260 or fold(phrase) in _GENERIC or not _plausible_units(phrase):
            return None, 0
        if fold(phrase).startswith("truong hop"):
            return None, 0
        if _PAST.search(rest_f[: m.start()]):
            return None, 0
        return phrase, duty_at
    return None, 0


def _support(sentence: str) -> list[Unit]:
    folded = fold(sentence)
    m = re.search(r"phoi hop(?:\s+(?:chat che\s+)?(?:voi|cung))?\s+", folded)
    if not m:
        return []
    tail = sentence[m.end() :]
    stop = _duty_pattern().search(fold(tail))
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


_REPORT_TO = re.compile(
    r"(?:bao cao|gui(?: bao cao)?(?: ket qua)?(?: du thao \w+)?)\s+"
    r"(?:ve\s+|cho\s+|len\s+|toi\s+|den\s+)?"
)


def _report_to(sentence: str) -> str | None:
    folded = fold(sentence)
    for m in _REPORT_TO.finditer(folded):
        tail = sentence[m.end() :]
        if not tail[:1].isupper() or not starts_with_head(fold(tail)):
            continue
        stop = re.search(
            r"\s(?:trước|để|theo|trong|đúng|chậm|kết quả|về việc|tình hình|định kỳ)\s|[,;.(]", tail
        )
        return squash(tail[: stop.start()] if stop else tail[:80]) or None
    return None


def _kind(action_f: str) -> str:
    w = words()
    if any(k in action_f for k in w["commitment"]) and (
        "ky" in action_f or "cam ket" in action_f[:40]
    ):
        return "commitment"
    if any(action_f.startswith(k) or f" {k}" in action_f[:60] for k in w["event"]):
        return "event"
    if re.match(r"^(?:(?:\w+\s){0,3})(?:bao cao|gui bao cao)", action_f):
        return "report"
    return "task"


def _unit_dict(unit: Unit) -> dict:
    return {"name": unit.name, "canonical": unit.canonical, "collective": unit.collective}


def extract_tasks(
    text: str,
    start_line: int,
    end_line: int,
    anchor: date | None = None,
    issuer: str | None = None,
    recipients: list[str] | None = None,
    folded_text: str | None = None,
    appendix_end: int | None = None,
    budget: Budget = UNLIMITED,
) -> tuple[list[Task], list[str]]:
    """Tasks of the body lines [start_line, end_line) of `text`, and warnings; when `budget`
    is spent, the tasks found so far.

    `folded_text` is `fold(text)` when the caller has it already."""
    tasks: list[Task] = []
    warnings: list[str] = []
    issuer_key = canonical_name(issuer) if issuer else None
    headings: list[tuple[int, list[Unit], Deadline | None]] = []  # (level, lead, deadline)
    section = None
    block = _TaskBlock(anchor, tasks, warnings)
    quoting = False
    for para in paragraphs(text, start_line, end_line, folded_text):
        if budget.spent():
            break
        # Provisions quoted from other documents (“…”) assign nothing here.
        opens, closes = para.text.count("“") + para.text.startswith('"'), para.text.count("”")
        if quoting or para.text.startswith(("“", '"')):
            quoting = opens > closes or (quoting and closes == 0)
            continue
        quoting = opens > closes
        while headings and headings[-1][0] >= para.level:
            headings.pop()
        if para.level == 0 or (para.marker and para.level <= 1):
            section = (para.marker + " " + para.text[:60]).strip()
        if block.feed(para, section):
            continue  # part of a task table (`Nhiệm vụ:`, `Cơ quan chủ trì:` …)
        body_f = para.folded
        phrase, duty_at = _lead_phrase(para.text, body_f)
        trigger = _trigger_pattern().match(body_f)
        unit_at = trigger.end() if trigger else 0
        names_unit = (
            starts_with_head(body_f[unit_at:]) and para.text[unit_at : unit_at + 1].isupper()
        )
        if phrase and _HEADING_DUTY.fullmatch(body_f[duty_at:].strip(" .:")):
            # `9. Các đơn vị cấp nước sạch … có trách nhiệm` with the duties listed below.
            para.text = para.text.rstrip(" .") + ":"
        # `1. Sở Nội vụ:` or `a) Sở Y tế` alone on its line: the items below are its duties.
        bare_unit = (
            names_unit
            and phrase is None
            and len(para.text) < 150
            and not para.text.rstrip().endswith((".", ";"))
        )
        is_heading = para.text.rstrip().endswith(":") or bare_unit
        if is_heading:
            tail = _LEAD_AT_END.search(para.text)
            if tail:
                phrase = tail.group("u")
            if phrase is None and names_unit and len(para.text) < 150:
                phrase = para.text[unit_at:].rstrip(" :")
            if phrase and not _SPEAKER.search(body_f):
                units = split_units(phrase)
                if units and not _is_issuer(units[0], issuer_key):
                    # An unnumbered heading (`… các cơ quan, đơn vị cần phải thực hiện:`)
                    # governs the numbered items after it; its time limit is theirs.
                    level = para.level if para.marker else -1
                    when = find_deadline(para.text, anchor)
                    headings.append((level, units, when if when.date else None))
            continue  # a heading names who acts; its duties follow it
        context = headings[-1][1] if headings else None
        inherited = headings[-1][2] if headings else None
        previous: list[Unit] | None = None  # the last task's lead, for `Đồng thời …`
        for n, (sentence, s_start) in enumerate(_sentences(para)):
            sentence_f = para.folded[s_start : s_start + len(sentence)]
            # A heading's unit leads the first sentence of each item below it, not the
            # explanations that follow in the same item; `Đồng thời …` keeps the last lead.
            lead_here = context if n == 0 or _opens_with_duty(sentence_f) else None
            if previous and sentence_f.startswith("dong thoi"):
                lead_here = previous
                sentence = re.sub(r"^Đồng thời,?\s*", "", sentence)
                sentence_f = fold(sentence)
            elif previous and lead_here is None and _opens_with_duty(sentence_f):
                # A next sentence that opens with a verb goes on with the same unit.
                lead_here = previous
            found = _task_from_sentence(
                sentence, lead_here, anchor, issuer_key, warnings, bool(para.marker), sentence_f
            )
            if not found:
                continue
            previous = [Unit(u["name"], u["canonical"], u["collective"]) for u in found[0].lead]
            for task in found:
                if task.deadline is None and inherited and lead_here is context:
                    task.deadline, task.deadline_text = inherited.date, inherited.text
                task.source_span = _span(para, s_start, sentence, task.action, len(found) == 1)
                task.section = section
                tasks.append(task)
    tasks += block.close()
    if budget.spent():
        pass
    elif "chu tri" in (folded_text if folded_text is not None else fold(text)):
        tasks += table_tasks(text, start_line, appendix_end or end_line, anchor)
    if not budget.spent():
        tasks += report_calendar(text, anchor, recipients, warnings, folded_text)
    for n, task in enumerate(tasks, start=1):
        task.id = f"t{n}"
    return tasks, warnings


def _span(para: _Paragraph, s_start: int, sentence: str, action: str, alone: bool) -> list[int]:
    """Where a duty stands in the document: its sentence, or its clause when the sentence holds
    several duties."""
    k = sentence.find(action[:30])
    if k >= 0 and not alone:
        return [para.offset(s_start + k), para.offset(s_start + k + len(action))]
    return [para.offset(s_start), para.offset(s_start + len(sentence))]


def _opens_with_duty(sentence_f: str) -> bool:
    """A verb opens the sentence, maybe after how often or during what: `Hằng năm báo cáo kết
    quả …`, `trong quá trình thi công bảo đảm …`."""
    pos = _OFTEN.match(sentence_f).end()
    if sentence_f.startswith("trong qua trinh ", pos):
        pos += len("trong qua trinh ")
        m = _duty_pattern().search(sentence_f, pos, pos + 30)
        return bool(m) and m.start() > pos and "," not in sentence_f[pos : m.start()]
    return bool(_duty_pattern().match(sentence_f, pos))


def _sentences(para: _Paragraph):
    """Sentences of a paragraph with their index in the paragraph's joined text."""
    pos = 0
    for piece in _SENTENCE.split(para.text):
        k = para.text.find(piece, pos)
        yield piece, max(k, 0)
        pos = max(k, 0) + len(piece)


def _is_issuer(unit: Unit, issuer_key: str | None) -> bool:
    """`Cục trưởng Cục Hải quan` or `Ủy ban nhân dân tỉnh` in a document of that same body."""
    if not issuer_key:
        return False
    key = unit.canonical
    return key == issuer_key or issuer_key in key or (len(key) > 12 and issuer_key.startswith(key))


# Lower-case words that may stand inside a unit's name (`các sở, ban, ngành thuộc UBND tỉnh`).
@cache
def _name_words() -> frozenset[str]:
    return frozenset(words()["name_words"])


def _plausible_units(phrase: str, longest: int = 3) -> bool:
    """A lead is names of units, not a clause: no run of `longest` ordinary lower-case words."""
    run = 0
    for word, word_f in zip(phrase.split(), fold(phrase).split(), strict=True):
        bare = word_f.strip(",;:()")
        if "-" in word and any(part[:1].isupper() for part in word.split("-")):
            run = 0  # `Công nghiệp-Năng lượng`: a capitalised compound name
            continue
        if word[:1].islower() and bare not in _name_words():
            run += 1
            if run >= longest:
                return False
        else:
            run = 0
    return True


def _task_from_sentence(
    sentence, context, anchor, issuer_key, warnings, in_item=True, sentence_f=None
) -> list[Task]:
    sentence_f = fold(sentence) if sentence_f is None else sentence_f
    if _PERIOD.match(sentence_f.lstrip("- ")):
        return []  # a line of a report calendar: see `report_calendar`
    phrase, duty_at = _lead_phrase(sentence, sentence_f)
    if context and in_item and phrase and _DIRECTS.match(sentence_f):
        # Under `1. Bộ Tài chính:`, `Chỉ đạo Bảo hiểm xã hội …` is Bộ Tài chính's duty.
        phrase, duty_at = None, 0
    lead = split_units(phrase) if phrase else None
    if lead and _is_issuer(lead[0], issuer_key):
        return []  # the issuer speaking of itself
    action = sentence[duty_at:] if lead else sentence
    if not lead:
        if not context:
            return []
        action_f = fold(action)
        not_duty = action_f.startswith(_NOT_DUTY) and not action_f.startswith("theo doi")
        if not action[:1].isalpha() or not_duty:
            return []  # an item under a unit heading states its duty; these open otherwise
        lead = context
    action = squash(action).strip(" ;,.")
    if len(action) < 8 or _only_names(action):
        return []
    out = []
    first_lead = lead
    for n, duty in enumerate(_split_duties(action)):
        lead = first_lead
        if n:
            # `…, các cơ quan phối hợp có trách nhiệm phối hợp …`: a clause with its own lead.
            own, duty_at = _lead_phrase(duty)
            if own and _RESPONSIBLE.search(fold(duty)):
                lead, duty = split_units(own), duty[duty_at:].strip(" ,")
        found = find_deadline(duty, anchor)
        warnings.extend(found.warnings)
        out.append(_new_task(lead, _support(duty), duty, found))
    return out


def _names_only(value: str) -> list[Unit]:
    """The units of a list that names units and nothing else (a scope like `trong phạm vi
    chức năng của mình` dropped); [] when the text also says what they do."""
    units = []
    for unit in split_units(value.rstrip(". ")):
        scope = _SCOPE.search(unit.name)
        name = unit.name[: scope.start()] if scope else unit.name
        name_f = fold(name)
        verbs = [
            m
            for m in _duty_pattern().finditer(name_f)
            if name[m.start()].islower() and not _NOUN_AFTER.match(name_f, m.end())
        ]
        if verbs or not starts_with_head(name_f):
            return []
        units.append(make_unit(name))
    return units


def _only_names(action: str) -> bool:
    """`Quốc phòng, Công an, Tài chính` under `Bộ trưởng các Bộ:`: capitalised names, no duty."""
    pieces = re.split(r",\s*|\s+và\s+", action)
    if len(pieces) < 2 or _duty_pattern().search(fold(action)):
        return False
    return all(p[:1].isupper() for p in pieces)


def _new_task(lead: list[Unit], support: list[Unit], action: str, when: Deadline | None, **more):
    """A task with its deadline fields, report recipient and kind read from `action`."""
    return Task(
        id="",
        lead=[_unit_dict(u) for u in lead],
        support=[_unit_dict(u) for u in support],
        action=action[:400],
        deadline=when.date if when else None,
        deadline_text=when.text if when else None,
        urgent=bool(when and when.urgent),
        recurrence=when.recurrence if when else None,
        next_dates=when.next_dates if when else [],
        report_to=_report_to(action),
        kind=_kind(fold(action)),
        note=when.note if when else None,
        **more,
    )


_REPORT_TAIL = re.compile(
    r",?\s+(?:và|đồng thời)\s+(?=báo cáo\s+(?:kết quả[^,;]{0,40}?\s)?(?:về\s+)?[A-ZĐ])"
)


def _split_duties(action: str) -> list[str]:
    """One duty per clause: `kiểm tra …; tham mưu …` is two, and `… và báo cáo Chủ tịch UBND
    kết quả` is a report of its own."""
    duties: list[str] = []
    for clause in re.split(r"\s*;\s*|,\s+(?=các [^,;]{3,80}? (?:có|chịu) trách nhiệm)", action):
        clause = clause.strip(" ,.")
        clause_f = fold(clause)
        if duties and not _opens_with_duty(clause_f) and not _OWN_LEAD.match(clause_f):
            duties[-1] += "; " + clause  # the same duty goes on
            continue
        tail = _REPORT_TAIL.search(clause)
        if tail and tail.start() > 15:
            duties += [clause[: tail.start()].strip(" ,"), clause[tail.end() :].strip(" ,")]
        elif clause:
            duties.append(clause)
    return [d for d in duties if len(d) >= 8]


# -- task tables: `Nhiệm vụ: …` / `Đơn vị chủ trì: …` / `Đơn vị phối hợp: …` / `Thời gian: …` --

_LABEL = re.compile(
    r"^(?P<label>nhiem vu(?: cu the)?|noi dung(?: thuc hien)?|(?:don vi|co quan) chu tri"
    r"|(?:don vi|co quan) phoi hop|thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh)?"
    r"|co quan thuc hien)\s*:\s*"
)


class _TaskBlock:
    """The table-like layout of many plans: a duty, then who leads, who helps and by when.

    `a) Nhiệm vụ: …` / `- Nội dung thực hiện: …` open a block (or `- Cơ quan chủ trì: …` under a
    numbered item, whose title is then the duty); `Cơ quan thực hiện: X chủ trì …; Y …` names
    the units in sentences; `Thời gian thực hiện: …` gives the deadline of every duty."""

    def __init__(self, anchor, tasks: list[Task], warnings: list[str]):
        self.anchor, self.tasks, self.warnings = anchor, tasks, warnings
        self.last_item: _Paragraph | None = None
        self._reset()

    def _reset(self) -> None:
        self.duties: list[tuple[_Paragraph, str]] = []
        self.written: list[tuple[_Paragraph, str]] = []
        self.lead: list[Unit] = []
        self.support: list[Unit] = []
        self.when: str | None = None
        self.open_level: int | None = None
        self.collecting = False
        self.section: str | None = None

    def feed(self, para: _Paragraph, section: str | None) -> bool:
        """Take `para` when it belongs to a task table; False leaves it to the sentence rules."""
        m = _LABEL.match(para.folded)
        if m:
            self._label(m.group("label"), para.text[m.end() :].strip(), para, section)
            return self.open_level is not None
        if self.open_level is None:
            if para.level <= 2 and para.marker:
                self.last_item = para
            return False
        if (para.level <= self.open_level and not self.collecting) or para.level < self.open_level:
            self.tasks.extend(self.close())
            if para.level <= 2 and para.marker:
                self.last_item = para
            return False
        if self.collecting:
            self.duties.append((para, para.text))
        return True

    def _label(self, label: str, value: str, para: _Paragraph, section: str | None) -> None:
        if label.startswith(("nhiem vu", "noi dung")):
            self.tasks.extend(self.close())
            self.open_level, self.collecting, self.section = para.level, True, section
            if value:
                self.duties.append((para, value))
            return
        if self.open_level is None and self.last_item is not None:
            # `2. Tổ chức tập huấn …` then `- Cơ quan chủ trì: …`: the item's title is the duty.
            item = self.last_item
            self.open_level, self.section = item.level + 1, section
            self.duties.append((item, item.text))
        self.collecting = False
        if "chu tri" in label:
            self.lead = split_units(value.rstrip(". "))
        elif "phoi hop" in label:
            self.support = split_units(value.rstrip(". "))
        elif label.startswith("thoi"):
            self.when = value
        elif value:  # `Cơ quan thực hiện: Sở Nội vụ chủ trì …; Sở Tư pháp … chủ động …`
            self.written.append((para, value))

    def close(self) -> list[Task]:
        out: list[Task] = []
        when = find_deadline(self.when, self.anchor) if self.when else None
        for para, value in self.written:
            names = _names_only(value)
            if names and not self.lead:
                self.lead = names  # `Cơ quan thực hiện: Sở Nội vụ, các sở, ban, ngành …`
                continue
            for clause in re.split(r";\s*", value):
                start = max(para.text.find(clause[:20]), 0)
                found = _task_from_sentence(clause, None, self.anchor, None, self.warnings)
                for task in found:
                    if not task.deadline and when and when.date:
                        task.deadline, task.deadline_text = when.date, when.text
                    task.source_span = _span(para, start, clause, task.action, len(found) == 1)
                    task.section = self.section
                    out.append(task)
        for para, duty in self.duties if self.lead else ():
            action = squash(duty).strip(" ;,.")
            if len(action) < 8:
                continue
            own = find_deadline(duty, self.anchor)
            deadline = own if own.date else when
            start = max(para.text.find(duty[:20]), 0)
            span = [para.offset(start), para.offset(len(para.text))]
            out.append(
                _new_task(
                    self.lead,
                    self.support,
                    action,
                    deadline,
                    source_span=span,
                    section=self.section,
                )
            )
        self._reset()
        return out


# -- task tables: `TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm` --

_COLUMN = (
    ("action", re.compile(r"^(?:noi dung|nhiem vu|ten nhiem vu|cong viec)")),
    ("lead", re.compile(r"^(?:co quan|don vi) chu tri|^chu tri")),
    ("support", re.compile(r"^(?:co quan|don vi) phoi hop|^phoi hop")),
    ("when", re.compile(r"^thoi (?:gian|han)")),
)
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*\.?|[ivx]{1,5}\.?)$")


def _cells(text: str, start_line: int, end_line: int) -> list[tuple[str, str, int]]:
    """Blocks of consecutive non-empty lines: (text, folded, offset) — table cells once the
    Markdown pipes are gone."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    cells: list[tuple[str, str, int]] = []
    block: list[str] = []
    block_start = 0
    for i in range(start_line, min(end_line, len(lines))):
        if lines[i].strip():
            if not block:
                block_start = offsets[i]
            block.append(lines[i].strip())
        elif block:
            joined = " ".join(block)
            cells.append((joined, fold(joined), block_start))
            block = []
    if block:
        joined = " ".join(block)
        cells.append((joined, fold(joined), block_start))
    return cells


def table_tasks(text: str, start_line: int, end_line: int, anchor) -> list[Task]:
    """Rows of the task tables of plans (often in the appendix after the signature)."""
    cells = _cells(text, start_line, end_line)
    tasks: list[Task] = []
    i = 0
    while i < len(cells):
        if not _COLUMN[1][1].match(cells[i][1]):
            i += 1
            continue
        # Header found at a "chủ trì" cell: walk back to the TT cell, forward to the last title.
        first = i
        while first > 0 and i - first < 3 and not re.match(r"^s?tt$", cells[first][1]):
            first -= 1
        last = i
        while last + 1 < len(cells) and last - i < 5 and not _ROW_NUMBER.match(cells[last + 1][1]):
            last += 1
        header = [c[1] for c in cells[first : last + 1]]
        columns = {}
        for n, title in enumerate(header):
            for name, pattern in _COLUMN:
                if pattern.match(title) and name not in columns:
                    columns[name] = n
        if "action" not in columns:
            i += 1
            continue
        width = len(header)
        j = last + 1
        while j < len(cells):
            if _COLUMN[1][1].match(cells[j][1]):
                break  # the next table
            if _ROW_NUMBER.match(cells[j][1]):
                row = cells[j : j + width]
                # An empty cell at the end of a row (no product, no note) shortens it.
                cut = next(
                    (k for k, c in enumerate(row) if k and _ROW_NUMBER.match(c[1])), len(row)
                )
                row = row[:cut]
                if len(row) > max(columns.values()):
                    task = _row_task(row, columns, anchor)
                    if task:
                        tasks.append(task)
                    j += len(row)
                    continue
            j += 1
        i = j
    return tasks


def _row_task(row, columns, anchor) -> Task | None:
    action = squash(row[columns["action"]][0]).strip(" ;,.")
    lead_text = row[columns["lead"]][0] if "lead" in columns else ""
    lead = [u for u in split_units(lead_text.rstrip(". ")) if u.name]
    if not lead or len(action) < 8:
        return None
    support = split_units(row[columns["support"]][0].rstrip(". ")) if "support" in columns else []
    when_text = row[columns["when"]][0] if "when" in columns else ""
    when = find_deadline(when_text, anchor)
    if when.date is None and re.fullmatch(r"\s*(?:năm\s+)?(\d{4})\s*", when_text, re.I):
        when.date = date(int(re.findall(r"\d{4}", when_text)[0]), 12, 31).isoformat()
        when.text = when_text
    when.text = when.text or when_text or None  # the printed time cell, dated or not
    start = row[columns["action"]][2]
    return _new_task(
        lead, support, action, when, source_span=[start, start + len(row[columns["action"]][0])]
    )


# -- report calendars ------------------------------------------------------------------------

_PERIOD = re.compile(
    r"bao cao\s+(?:(?P<q>quy\s+(?P<qn>iv|iii|ii|i|[1-4]|[il1]{2,3}))|(?P<h>6\s+thang(?:\s+dau)?)|"
    r"(?P<n9>9\s+thang)|(?P<y>tong hop\s+\w{2,4}|nam))\s*(?:nam\s+)?/?\s*(?P<year>\d{4})\s*:"
    r".{0,80}?ngay\s+(?P<from>\d{1,2}/\d{1,2}/\d{4})\s+den\s+"
    r"(?:ngay\s+)?(?:(?P<to>\d{1,2}/\d{1,2}/\d{4})|thoi diem)"
)
_DUE_DAY = re.compile(
    r"cham nhat(?:\s+la)?\s+(?:\w+\s+)?ngay\s+(\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+ky"
)
_RECEIVER = re.compile(
    r"(?:thoi han\s+)?(?P<u>(?:phong|so|van phong|ban)\s[\w\s-]{2,40}?)\s+nhan\s+bao\s+cao"
)
_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


_REPORT_TITLE = re.compile(r"[Bb]áo cáo (tình hình[^.;]{0,80}?)(?=\s+(?:hằng|hàng|định kỳ)|,)")


def _calendar_action(flat: str, m: re.Match, title: re.Match | None, report_to: str | None) -> str:
    """`Báo cáo tình hình, kết quả cải cách hành chính Quý 1/2021 gửi Phòng Nội vụ`."""
    printed = flat[m.start() : m.end()]
    period = printed[len("báo cáo") : printed.index(":")].strip() if ":" in printed else ""
    if not title:
        return squash(printed)[:300]
    action = f"Báo cáo {title.group(1)} {period}"
    return squash(f"{action} gửi {report_to}" if report_to else action)


def _dmy(value: str) -> str | None:
    day, month, year = (int(x) for x in value.split("/"))
    return iso_date(year, month, day)


def report_calendar(
    text: str,
    anchor: date | None,
    recipients: list[str] | None,
    warnings: list[str],
    folded_text: str | None = None,
) -> list[Task]:
    """`Báo cáo Quý 1/2021: … chốt số liệu tính từ ngày 15/12/2020 đến ngày 05/3/2021` → report
    tasks; `nhận báo cáo chậm nhất ngày 06 của tháng cuối kỳ báo cáo` gives their due day."""
    folded_text = fold(text) if folded_text is None else folded_text
    if "so lieu" not in folded_text and "cuoi ky" not in folded_text:
        return []  # no report calendar in this document
    flat = squash(text)
    flat_f = squash(folded_text)  # folding keeps every character, so this is fold(flat)
    due_day = _DUE_DAY.search(flat_f)
    receiver = _RECEIVER.search(flat_f)
    report_to = squash(flat[receiver.start("u") : receiver.end("u")]) if receiver else None
    lead = [_unit_dict(make_unit(r)) for r in (recipients or [])]
    title = _REPORT_TITLE.search(flat)
    tasks = []
    for m in _PERIOD.finditer(flat_f):
        year = int(m.group("year"))
        if m.group("q"):
            quarter = _QUARTER.get(m.group("qn"), len(m.group("qn")))  # OCR: `I11` for III
            period, last_month = f"Q{quarter}/{year}", quarter * 3
        elif m.group("h"):
            period, last_month = f"H1/{year}", 6
        elif m.group("n9"):
            period, last_month = f"9M/{year}", 9
        else:
            period, last_month = str(year), 12
        due = None
        if due_day:
            try:
                due = date(year, last_month, int(due_day.group(1))).isoformat()
            except ValueError:
                warnings.append(f"ngày nhận báo cáo không hợp lệ: {due_day.group(0)}")
        tasks.append(
            Task(
                id="",
                lead=lead,
                support=[],
                action=_calendar_action(flat, m, title, report_to),
                deadline=due,
                report_to=report_to,
                source_span=[],
                kind="report",
                period=period,
                data_from=_dmy(m.group("from")),
                data_to=_dmy(m.group("to")) if m.group("to") else None,
                due=due,
            )
        )
    return tasks

"""The walk over a document's body: each paragraph goes to a labelled block or to the sentence
rules, under the unit headings above it; then the task tables and the report calendar."""

from __future__ import annotations

import re
from datetime import date

from cchc.budget import UNLIMITED, Budget
from cchc.extract.deadlines import Deadline, find_deadline, time_label, time_limit
from cchc.extract.tasks.blocks import TaskBlock
from cchc.extract.tasks.calendars import report_calendar
from cchc.extract.tasks.model import Task, rate, spelled_head
from cchc.extract.tasks.rescore import rescore
from cchc.extract.tasks.sentences import (
    HEADING_DUTY,
    LEAD_AT_END,
    SPEAKER,
    is_issuer,
    lead_phrase,
    opens_with_duty,
    paragraphs,
    span_of,
    split_sentences,
    task_from_sentence,
    trigger_pattern,
)
from cchc.extract.tasks.tables import table_tasks
from cchc.extract.units import Unit, canonical_name, split_units, starts_with_head
from cchc.text import fold


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
    _walk(text, start_line, end_line, anchor, issuer_key, tasks, warnings, folded_text, budget)
    attached = appendix_start(text, end_line, appendix_end or end_line, folded_text)
    if attached is not None and _lists_procedures(text, attached, folded_text):
        attached = None  # `DANH MỤC THỦ TỤC HÀNH CHÍNH …`: procedures described, no duty
    if attached is not None and not budget.spent():
        # `(Ban hành kèm theo Quyết định số …)`: the plan or rules a decision issues assign
        # the duties, after the decision's own signature.
        before = len(tasks)
        _walk(
            text, attached, appendix_end, anchor, issuer_key, tasks, warnings, folded_text, budget
        )
        for task in tasks[before:]:
            task.attached = True
    if _answers(text, start_line, end_line, folded_text):
        # A letter that answers an enquiry explains the law to whoever asked; it assigns only
        # what it asks of a body in so many words (`đề nghị Chi cục Thuế …`), never to the
        # enquirer (`đề nghị Công ty nghiên cứu …`).
        tasks[:] = [t for t in tasks if t.evidence == "asked" and not _enquirer(t)]
    if budget.spent():
        pass
    elif _TABLE_LEAD.search(folded_text if folded_text is not None else fold(text)):
        rows: list[tuple[int, int]] = []
        found = table_tasks(text, start_line, appendix_end or end_line, anchor, rows)
        # The cells of a task table read as sentences (`Sở Tài chính` / `Cơ quan liên quan` /
        # `Thường xuyên` / `2` / `Triển khai …`) give junk: the table's rows are read as rows.
        tasks[:] = [t for t in tasks if not _inside(t.source_span, rows)]
        tasks += found
    if not budget.spent():
        tasks += report_calendar(text, anchor, recipients, warnings, folded_text)
    for task in tasks:
        task.confidence = rate(task)
    tasks[:] = rescore(tasks, text, body_span(text, start_line, appendix_end or end_line))
    for n, task in enumerate(tasks, start=1):
        task.id = f"t{n}"
    return tasks, warnings


def body_span(text: str, start_line: int, end_line: int) -> tuple[int, int]:
    """Document offsets where line `start_line` begins and line `end_line` begins (or the end)."""
    start = end = len(text)
    offset = 0
    for n, line in enumerate(text.split("\n")):
        if n == start_line:
            start = offset
        if n == end_line:
            end = offset
            break
        offset += len(line) + 1
    return min(start, end), end


# The title of an appendix that lists or describes administrative procedures (a decision
# announcing them): their steps, time limits and places say how a procedure runs, not who must
# do what. A plan about reforming procedures (`Kế hoạch rà soát thủ tục hành chính`) is no list.
_PROCEDURES = re.compile(
    r"danh muc (?:cac )?thu tuc hanh chinh|noi dung cu the cua (?:tung|cac) thu tuc hanh chinh"
    r"|quy trinh noi bo"
)


def _lists_procedures(text: str, attached: int, folded_text: str | None) -> bool:
    """The appendix starting at line `attached` is titled as a list of procedures (its title
    is in the few lines above `(Ban hành kèm theo …)`)."""
    folded = (fold(text) if folded_text is None else folded_text).split("\n")
    title = " ".join(folded[max(0, attached - 8) : attached])
    return bool(_PROCEDURES.search(title))


# A part that grants powers (`Điều 3. Phân cấp thẩm quyền ban hành …`, `Điều 2. Nội dung phân cấp`):
# its items say who may act, not who must; unless its title also speaks of duties.
_PART_MARKER = r"(?:(?:dieu \d+|[ivxlc]+|\d+)\s*[.:]?\s*)?"  # `Điều 3.`, `II.`, `1.`, or none
_GRANTS_POWERS = re.compile(
    _PART_MARKER + r"(?:noi dung )?(?:phan cap|phan quyen|uy quyen|tham quyen)\b"
)
_ASSIGNS = re.compile(r"trach nhiem|nhiem vu|to chuc thuc hien")
# A part that describes a body (`Điều 1. Vị trí và chức năng`, `Điều 2. Nhiệm vụ, quyền hạn`,
# `Điều 3. Cơ cấu tổ chức`): its standing remit and structure, not work given to it now.
_REMIT = re.compile(
    _PART_MARKER
    + r"(?:vi tri|chuc nang|(?:nhiem vu,? (?:va )?)?quyen han|co cau to chuc|to chuc bo may)\b"
)


def _not_assigning(title_f: str) -> bool:
    """The part titled so grants powers or describes a body's remit: none of it is a task."""
    if _REMIT.match(title_f):
        return True
    return bool(_GRANTS_POWERS.match(title_f)) and not _ASSIGNS.search(title_f)


_ATTACHED = re.compile(r"^[\s*_(]*(?:ban hanh )?kem theo (?:quyet dinh|ke hoach)")


def appendix_start(
    text: str, end_line: int, appendix_end: int, folded_text: str | None = None
) -> int | None:
    """The line after `(Ban hành kèm theo Quyết định số …)` below the body, if there is one."""
    folded = (fold(text) if folded_text is None else folded_text).split("\n")
    for i in range(end_line, min(appendix_end, len(folded))):
        if _ATTACHED.match(folded[i]):
            return i + 1
    return None


_THIS_DOCUMENT = re.compile(r"(?:\S+\s){1,2}nay\b")  # `Hướng dẫn này thay thế …`: no duty


_ANSWER_OPENING = re.compile(
    r"(?:tra loi|phuc dap|nhan duoc) (?:cong van|van ban|don|thu|phieu|cau hoi|kien nghi|to trinh)"
)
_ANSWER_STANCE = re.compile(
    r"co y kien (?:nhu sau|tra loi)|tra loi (?:nhu sau|de)|huong dan nhu sau"
)
_ENQUIRERS = (
    "cong ty",
    "chi nhanh",
    "doanh nghiep",
    "ong ",
    "ba ",
    "van phong luat",
    "ho kinh doanh",
    "nguoi nop thue",
    "to chuc",
    "don vi",
    "quy co quan",
    "ca nhan",
)


def _answers(text: str, start_line: int, end_line: int, folded_text: str | None) -> bool:
    """The body answers an enquiry: it opens by citing it and says it gives its opinion."""
    lines = (fold(text) if folded_text is None else folded_text).split("\n")[start_line:end_line]
    body = " ".join(lines)
    return bool(_ANSWER_OPENING.search(body[:800]) and _ANSWER_STANCE.search(body))


def _enquirer(task: Task) -> bool:
    """The task's lead is one who may ask but takes no orders: a company, a person."""
    return any(unit["canonical"].startswith(_ENQUIRERS) for unit in task.lead)


# `Điều 5. Nội dung Sở Dân tộc và Tôn giáo có trách nhiệm chủ trì`, `2. Trách nhiệm của Sở Y tế`:
# a title that names the unit whose duties are listed below it.
_TITLE = re.compile(r"(?:noi dung|nhiem vu|trach nhiem)(?: cu the)?(?: cua| do)?\s+(?=\S)")
_TITLE_TAIL = re.compile(r"\s+(?:(?:co|chiu) trach nhiem\s+)?(?:chu tri|thuc hien)$")


def _titled_unit(para) -> str | None:
    """The unit a numbered title names (`Nhiệm vụ của UBND các xã`), else None."""
    if not para.marker or para.level > 1 or len(para.text) > 160:
        return None
    m = _TITLE.match(para.folded)
    if not m or para.text.rstrip().endswith((".", ";")):
        return None
    rest, rest_f = para.text[m.end() :].rstrip(" :"), para.folded[m.end() :].rstrip(" :")
    if not starts_with_head(rest_f) or not (rest[:1].isupper() or rest_f.startswith("cac ")):
        return None  # `Trách nhiệm của các cơ quan, đơn vị` names them collectively
    tail = _TITLE_TAIL.search(rest_f)
    return rest[: tail.start()] if tail else rest


# `nếu có vướng mắc … phản ánh về …`: whoever meets a difficulty reports it.
_SNAG = re.compile(
    r"\bneu (?:co )?(?:phat sinh )?(?:kho khan|vuong mac)[^.;]{0,60}?"
    r"(?:phan anh|bao cao|gui|de xuat)"
)


# A task table names who leads each row: `Cơ quan chủ trì`, `Đơn vị thực hiện`.
_TABLE_LEAD = re.compile(r"chu tri|(?:co quan|don vi) thuc hien")


def _titled(para) -> bool:
    """An article's title alone (`Điều 4. Nội dung thi đua`), not an article that says it all."""
    return len(para.text) < 100 and not para.text.rstrip().endswith((".", ";", ":"))


def _inside(span: list[int], rows: list[tuple[int, int]]) -> bool:
    return bool(span) and any(start <= span[0] < end for start, end in rows)


def _has_sub_items(para, following) -> bool:
    """The next paragraph is numbered under this one: `9.` then `9.1.`."""
    number = para.marker.rstrip(".) ")
    return bool(number.isdigit() and following and re.match(rf"{number}\.\d", following[0].marker))


def _name_goes_on(para) -> bool:
    """An unnumbered short line without a duty or a full stop, after a heading that names
    units and has no colon: the rest of those names."""
    return (
        not para.marker
        and len(para.text) < 120
        and para.text[:1].isupper()
        and not para.text.rstrip().endswith((".", ";"))
        and not opens_with_duty(para.folded)
        and "." not in para.text
        and lead_phrase(para.text, para.folded)[0] is None
    )


def _short_tail(para, duty_at: int) -> bool:
    """What follows the unit's name is too short to be a duty of its own."""
    return duty_at > 0 and len(para.text) - duty_at < 60


# `Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo`: the unit, then its role in the plan.
_ROLE = re.compile(
    r"\s*(?:[-–(]|,\s*là)\s*(?:cơ quan|đơn vị)\s+(?:thường trực|chủ trì|đầu mối)\b.*$",
    re.IGNORECASE | re.DOTALL,
)


_QUOTE = re.compile('[“”"]')


def _still_quoting(text: str, quoting: bool) -> bool:
    """Whether a quotation is open after `text`: `“` opens, `”` closes and a straight `"`
    does whichever the quotation's state calls for (`"Điều 106. …` … `… phân cấp."`)."""
    for m in _QUOTE.finditer(text):
        quoting = m.group() == "“" or (m.group() == '"' and not quoting)
    return quoting


def _dates_duties(text: str, folded: str, duties: list[Task], anchor: date | None) -> bool:
    """`text` is a time label (`Thời gian hoàn thành: Tháng 11 - 12/2025.`) right after
    `duties`: it gives those without a deadline theirs. True when `text` is such a label."""
    label = time_label(folded)
    if label is None or not duties:
        return False
    when = time_limit(text[label.end() :], anchor)
    for task in duties:
        if task.deadline is None and when.date:
            task.deadline, task.deadline_text = when.date, when.text
    return True


def _walk(
    text: str,
    start_line: int,
    end_line: int,
    anchor: date | None,
    issuer_key: str | None,
    tasks: list[Task],
    warnings: list[str],
    folded_text: str | None,
    budget: Budget,
) -> None:
    """Tasks written as sentences and labelled blocks in lines [start_line, end_line)."""
    headings: list[tuple[float, list[Unit], Deadline | None]] = []  # (level, lead, deadline)
    section = None
    block = TaskBlock(anchor, tasks, warnings)
    quoting = False
    item_level = -1.0  # level of the last numbered item, which an unnumbered heading is part of
    item_lead: list[Unit] | None = None  # the unit a numbered item named, for its next paragraphs
    paras = paragraphs(text, start_line, end_line, folded_text)
    open_heading: str | None = None  # a heading's name that may go on in the next paragraph
    part = ""  # the folded title of the part of the body (`iii. to chuc thuc hien`)
    mark = 0  # where the tasks of the paragraph before begin
    for k, para in enumerate(paras):
        if budget.spent():
            break
        before, mark = tasks[mark:], len(tasks)
        # Provisions quoted from other documents (“…”) assign nothing here.
        inside = quoting or para.text.startswith(("“", '"'))
        quoting = _still_quoting(para.text, quoting)
        if inside:
            continue
        while headings and headings[-1][0] >= para.level:
            headings.pop()
        if not para.marker and para.folded.startswith("tren day"):
            headings.clear()  # `Trên đây là Kế hoạch …`: the closing words, under no heading
        if para.marker and para.level <= 2:
            item_level = para.level
        if para.level == 0 or (para.marker and para.level <= 1):
            section = (para.marker + " " + para.text[:60]).strip()
        if (
            para.level == 0
            and para.marker
            and (not para.marker.startswith("Điều") or _titled(para))
        ):
            part = para.folded[:80]  # `III. TỔ CHỨC THỰC HIỆN`, `Điều 5. Trách nhiệm thi hành`
        # `Điều 3. Phân cấp thẩm quyền …`, `Điều 2. Nhiệm vụ, quyền hạn`: nothing here is a task.
        assigns_nothing = _not_assigning(part) or _not_assigning(fold(section or ""))
        if (
            block.open_level is None
            and not para.marker
            and _dates_duties(para.text, para.folded, before, anchor)
        ):
            continue  # `Thời gian hoàn thành: Tháng 12/2025.` under the duty it times
        if block.feed(para, section):
            continue  # part of a task table (`Nhiệm vụ:`, `Cơ quan chủ trì:` …)
        body_f = para.folded
        if open_heading is not None and headings and _name_goes_on(para):
            # `3. Đề nghị Ủy ban MTTQ thành phố, Hội Liên hiệp` / `Phụ nữ thành phố`: the
            # name of a heading's units broken over two paragraphs.
            open_heading = open_heading + " " + para.text.rstrip(" .:")
            level, _units, when = headings[-1]
            headings[-1] = (level, split_units(open_heading), when)
            continue
        open_heading = None
        phrase, duty_at = lead_phrase(para.text, body_f)
        trigger = trigger_pattern().match(body_f)
        unit_at = trigger.end() if trigger else 0
        names_unit = (
            starts_with_head(body_f[unit_at:])
            and (
                para.text[unit_at : unit_at + 1].isupper()
                or (  # `9.1. Đối với các cơ sở sản xuất …:` with its duties below
                    trigger is not None
                    and body_f.startswith("cac ", unit_at)
                    and para.text.rstrip().endswith(":")
                )
            )
            and spelled_head(para.text[unit_at:], body_f[unit_at:])
        )
        if phrase and HEADING_DUTY.fullmatch(body_f[duty_at:].strip(" .:")):
            # `9. Các đơn vị cấp nước sạch … có trách nhiệm` with the duties listed below.
            para.text = para.text.rstrip(" .") + ":"
        # `1. Sở Nội vụ:` or `a) Sở Y tế` alone on its line: the items below are its duties.
        bare_unit = (
            names_unit
            and phrase is None
            and len(para.text) < 150
            and not para.text.rstrip().endswith((".", ";"))
        )
        titled = _titled_unit(para)
        if names_unit and not bare_unit and _has_sub_items(para, paras[k + 1 : k + 2]):
            # `9. Các cơ sở sản xuất, kinh doanh.` with `9.1. …`, `9.2. …` below: a heading.
            bare_unit = len(para.text) < 150 and (phrase is None or _short_tail(para, duty_at))
            phrase = None if bare_unit else phrase
        is_heading = para.text.rstrip().endswith(":") or bare_unit or titled is not None
        if is_heading:
            tail = LEAD_AT_END.search(para.text)
            if tail:
                phrase = tail.group("u")
            elif titled:
                phrase = titled
            if phrase is None and names_unit and len(para.text) < 150:
                phrase = para.text[unit_at:].rstrip(" :")
            if phrase and not SPEAKER.search(body_f):
                units = split_units(_ROLE.sub("", phrase))
                if units and not is_issuer(units[0], issuer_key):
                    # An unnumbered heading (`… các cơ quan, đơn vị cần phải thực hiện:`)
                    # governs the numbered items after it; its time limit is theirs.
                    level = para.level if para.marker else item_level + 0.5
                    when = find_deadline(para.text, anchor)
                    headings.append((level, units, when if when.date else None))
                    if not para.text.rstrip().endswith((":", ".", ";")):
                        open_heading = phrase
            continue  # a heading names who acts; its duties follow it
        context = headings[-1][1] if headings else None
        inherited = headings[-1][2] if headings else None
        previous: list[Unit] | None = None  # the last task's lead, for `Đồng thời …`
        if para.marker:
            item_lead = None
        elif item_lead and (
            (opens_with_duty(para.folded) and not _THIS_DOCUMENT.match(para.folded))
            or _SNAG.search(para.folded, 0, 160)
        ):
            # `2. Các tỉnh ủy … cụ thể hóa …` then a paragraph `Chỉ đạo các cấp ủy …` (or
            # `Trong quá trình thực hiện, nếu có khó khăn, … báo cáo …`) with no marker of its
            # own: the item's unit goes on.
            previous = item_lead
        item_task: Task | None = None  # the duty of this item under a unit heading
        for n, (sentence, s_start) in enumerate(split_sentences(para)):
            sentence_f = para.folded[s_start : s_start + len(sentence)]
            # A heading's unit leads the first sentence of each item below it, not the
            # explanations that follow in the same item; `Đồng thời …` keeps the last lead.
            lead_here = context if n == 0 or opens_with_duty(sentence_f) else None
            if previous and sentence_f.startswith("dong thoi"):
                lead_here = previous
                sentence = re.sub(r"^Đồng thời,?\s*", "", sentence)
                sentence_f = fold(sentence)
            elif previous and lead_here is None and opens_with_duty(sentence_f):
                # A next sentence that opens with a verb goes on with the same unit.
                lead_here = previous
            found = task_from_sentence(
                sentence, lead_here, anchor, issuer_key, warnings, bool(para.marker), sentence_f
            )
            snag = _SNAG.search(sentence_f)
            if not found and snag and previous:
                # `Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Sở X`
                # with no one named: those asked to act in the sentence before.
                found = task_from_sentence(
                    sentence[snag.start() :], previous, anchor, issuer_key, warnings
                )
                for task in found:
                    task.evidence = "snag"
            if not found and _dates_duties(sentence, sentence_f, tasks[mark:], anchor):
                continue  # `…, báo cáo Bộ Tài chính. Thời gian hoàn thành: Trước ngày …`
            if not found:
                continue
            previous = [Unit(u["name"], u["canonical"], u["collective"]) for u in found[0].lead]
            if para.marker and para.level <= 2 and found[0].evidence in ("named", "asked"):
                item_lead = previous
            for task in found:
                if (
                    item_task is not None
                    and task.evidence == "heading"
                    and task.deadline is None
                    and task.lead == item_task.lead
                ):
                    # `- Tăng cường kiểm tra …. Xử lý nghiêm …`: the sentences of one item
                    # under a unit heading are one duty.
                    item_task.action = (item_task.action + ". " + task.action)[:400]
                    continue
                if task.deadline is None and inherited and lead_here is context:
                    task.deadline, task.deadline_text = inherited.date, inherited.text
                task.source_span = span_of(para, s_start, sentence, task.action, len(found) == 1)
                task.section = section
                task.part = part
                if assigns_nothing:
                    continue
                tasks.append(task)
                if para.marker and task.evidence == "heading":
                    item_task = task
    tasks += block.close()

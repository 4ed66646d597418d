"""Text → `Document`: the header, the parts around the body, bases, references and sections.

Each finder is a small function over the list of plain lines (see `markup.to_lines`) and its
folded twin, so each can be tested alone.
"""

from __future__ import annotations

from datetime import date

from cchc.budget import Budget
from cchc.document import Basis, Document
from cchc.extract.tasks import extract_tasks
from cchc.parse import header as hdr
from cchc.parse import parts
from cchc.parse.markup import to_lines
from cchc.parse.references import citations, find_references
from cchc.text import fold

# The time one document may take in `parse_text` on one core of the 2-core CI machine. The
# largest document of the corpus (615,000 characters, 15,563 lines, 1,391 tasks) takes ~1 s; a
# worker or a `cchc parse` stuck for minutes on a hostile file is worse than a document read
# only in part. The limits below keep the worst text we know of (tests/test_fuzz_parser.py,
# tests/test_hostile_files.py) well inside it; as a backstop the clock is checked inside the
# long stages (references, bases, tasks) and between stages.
PARSE_BUDGET_S = 10.0
# Text read at all: 3x the largest corpus document. A 20 MB text file is not one công văn.
MAX_PARSE_CHARS = 2_000_000
# Lines read at all: 3x the longest corpus document (15,563 lines); without tasks, a line of the
# worst shape costs ~0.06 ms, so 50,000 of them take ~3 s.
MAX_PARSE_LINES = 50_000
# Body lines given to the task extractor, the costly stage (~0.3 ms a line when every line is a
# duty): 20,000 such lines take ~6 s.
MAX_TASK_LINES = 20_000
# Longer lines are wrapped at a space: 4.5x the longest line of the corpus (2,194 characters).
# The header finders walk their lines character by character; a 10 MB line took 7.6 s.
MAX_LINE_CHARS = 10_000


def _n(count: int) -> str:
    """`50.000`: thousands as Vietnamese writes them."""
    return f"{count:,}".replace(",", ".")


def _bounded_lines(text: str, warnings: list[str]) -> list[str]:
    """`to_lines(text)` within MAX_PARSE_CHARS, MAX_LINE_CHARS and MAX_PARSE_LINES, with a warning
    for each limit reached."""
    if len(text) > MAX_PARSE_CHARS:
        cut = text.rfind("\n", 0, MAX_PARSE_CHARS)
        text = text[: cut if cut > MAX_PARSE_CHARS // 2 else MAX_PARSE_CHARS]
        warnings.append(f"văn bản quá dài: chỉ phân tích {_n(MAX_PARSE_CHARS)} ký tự đầu")
    lines: list[str] = []
    wrapped = False
    for line in to_lines(text):
        while len(line) > MAX_LINE_CHARS:
            cut = line.rfind(" ", MAX_LINE_CHARS // 2, MAX_LINE_CHARS)
            cut = cut if cut > 0 else MAX_LINE_CHARS
            lines.append(line[:cut])
            line = line[cut:].lstrip()
            wrapped = True
        lines.append(line)
    if wrapped:
        warnings.append(f"dòng dài quá {_n(MAX_LINE_CHARS)} ký tự đã được ngắt thành nhiều dòng")
    if len(lines) > MAX_PARSE_LINES:
        lines = lines[:MAX_PARSE_LINES]
        warnings.append(f"văn bản quá dài: chỉ phân tích {_n(MAX_PARSE_LINES)} dòng đầu")
    return lines


def parse_text(
    text: str, file: str = "", tasks: bool = True, budget_s: float = PARSE_BUDGET_S
) -> Document:
    """Parse the text of one document; `tasks=False` skips the extraction of assigned work.

    When `budget_s` seconds have passed, the stage under way stops where it is and the stages
    not yet started are skipped, with a warning."""
    budget = Budget(budget_s)
    warnings: list[str] = []
    lines = _bounded_lines(text, warnings)
    doc = Document(file=file, text="\n".join(lines))
    doc.warnings[:0] = warnings
    folded_text = fold(doc.text)  # one character per character: offsets stay valid
    folded = folded_text.split("\n")
    warnings = doc.warnings

    def out_of_time(skipped: str | None, partial: str | None = None) -> bool:
        if not budget.spent():
            return False
        what = [f"{partial} chỉ đọc được một phần" if partial else ""]
        what.append(f"bỏ qua {skipped}" if skipped else "")
        warnings.append(
            f"phân tích quá {budget_s:g} giây (time budget): {', '.join(filter(None, what))}; "
            "văn bản có thể bị hỏng hoặc quá dài, cần rà soát lại"
        )
        return True

    number, symbol, number_line = hdr.find_number(lines, folded)
    place, iso_date, date_line, blank_date = hdr.find_date(lines, folded)
    if date_line is not None and blank_date:
        warnings.append("ngày ban hành để trống")
    elif date_line is not None and iso_date is None:
        warnings.append(f"ngày ban hành không hợp lệ: {lines[date_line].strip()}")
    if number_line is not None and number is None:
        warnings.append("số văn bản để trống (dự thảo?)")

    anchors = [i for i in (number_line, date_line) if i is not None]
    header_end = max(anchors) + 1 if anchors else 0
    type_name, type_line = hdr.find_type_line(lines, folded, start=min(anchors) if anchors else 0)
    if type_line is not None and anchors and type_line < min(anchors):
        header_end = max(header_end, type_line)
    issuer_stop = min(i for i in (number_line, date_line, type_line, len(lines)) if i is not None)
    if number_line is not None:
        issuer_stop = number_line + 1
    issuer, parent, motto = hdr.find_issuer(lines, folded, issuer_stop)
    if number_line is None and date_line is None and not motto:
        # A crawl that lost the header table: what is missing stays missing.
        issuer = parent = None
    subject, subject_lines = hdr.find_subject(lines, folded, type_line, issuer)
    vv = subject is not None and subject.startswith("V/v")
    coded = hdr.type_from_symbol(symbol)
    if coded == "Văn bản hợp nhất":
        # A consolidated text reprints the title of the document it consolidates.
        type_name = coded
    if type_name is None:
        if vv or (coded is None and (symbol or doc_recipients_line(folded))):
            type_name = "Công văn"
        else:
            type_name = coded
    doc.type, doc.number, doc.symbol = type_name, number, symbol
    doc.issuer, doc.parent_issuer = issuer, parent
    doc.place, doc.date, doc.subject = place, iso_date, subject

    doc.recipients, _ = parts.find_recipients(lines, folded)
    distribution, dist_line, dist_end, side = parts.find_distribution(lines, folded)
    doc.distribution = distribution
    body_start = max(
        header_end, (subject_lines[1] + 1) if subject_lines else 0, (type_line or 0) + 1
    )
    body_end = parts.body_end_line(lines, folded, body_start)
    if dist_line is not None:
        body_end = min(body_end, dist_line) if dist_line > body_start else body_end
    doc.signer = parts.find_signer(lines, dist_line, dist_end, side, body_end)
    if doc.signer is None:
        warnings.append("không tìm thấy người ký")

    if out_of_time("các văn bản dẫn chiếu, căn cứ, các phần và công việc"):
        return doc
    doc.references = find_references(doc.text, number, folded_text, budget)
    if out_of_time("căn cứ, các phần và công việc", "các văn bản dẫn chiếu"):
        return doc
    cited_in = citations(doc.references)
    for text_, _first, _last in parts.find_bases(lines, folded, body_start, body_end, budget):
        doc.bases.append(Basis(text=text_, references=cited_in(text_)))
    if out_of_time("các phần và công việc", "các căn cứ"):
        return doc
    doc.sections = parts.find_sections(lines, body_start, body_end)
    if not tasks or out_of_time("công việc được giao"):
        return doc
    tasks_end = dist_line if dist_line is not None and dist_line > body_start else body_end
    if tasks_end - body_start > MAX_TASK_LINES:
        tasks_end = body_start + MAX_TASK_LINES
        warnings.append(
            f"thân văn bản quá dài: chỉ tìm công việc trong {_n(MAX_TASK_LINES)} dòng đầu"
        )
    anchor = date.fromisoformat(doc.date) if doc.date else None
    found, task_warnings = extract_tasks(
        doc.text,
        body_start,
        tasks_end,
        anchor,
        doc.issuer,
        doc.recipients,
        folded_text,
        appendix_end=min(len(lines), body_start + MAX_TASK_LINES),
        budget=budget,
    )
    doc.tasks = [t.to_dict() for t in found]
    warnings.extend(task_warnings)
    out_of_time(None, "công việc được giao")
    return doc


def doc_recipients_line(folded: list[str]) -> bool:
    """A `Kính gửi` line: a document without a type title that has one is a công văn."""
    return any(f.lstrip().startswith("kinh gui") for f in folded)

"""Text → `Document`: the header, the parts around the body, bases, references and sections.

Each finder is a small function over the list of plain lines (see `markup.to_lines`) and its
folded twin, so each can be tested alone.
"""

from __future__ import annotations

from datetime import date

from cchc.document import Basis, Document
from cchc.extract.tasks import extract_tasks
from cchc.parse import header as hdr
from cchc.parse import parts
from cchc.parse.markup import to_lines
from cchc.parse.references import find_references
from cchc.text import fold


def parse_text(text: str, file: str = "", tasks: bool = True) -> Document:
    """Parse the text of one document; `tasks=False` skips the extraction of assigned work."""
    lines = to_lines(text)
    doc = Document(file=file, text="\n".join(lines))
    folded_text = fold(doc.text)  # one character per character: offsets stay valid
    folded = folded_text.split("\n")
    warnings = doc.warnings

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

    doc.references = find_references(doc.text, number, folded_text)
    for text_, _first, _last in parts.find_bases(lines, folded, body_start, body_end):
        cited = [r for r in doc.references if r.number and r.number in text_]
        doc.bases.append(Basis(text=text_, references=cited))
    doc.sections = parts.find_sections(lines, body_start, body_end)
    if not tasks:
        return doc
    tasks_end = dist_line if dist_line is not None and dist_line > body_start else body_end
    anchor = date.fromisoformat(doc.date) if doc.date else None
    found, task_warnings = extract_tasks(
        doc.text,
        body_start,
        tasks_end,
        anchor,
        doc.issuer,
        doc.recipients,
        folded_text,
        appendix_end=len(lines),
    )
    doc.tasks = [t.to_dict() for t in found]
    warnings.extend(task_warnings)
    return doc


def doc_recipients_line(folded: list[str]) -> bool:
    """A `Kính gửi` line: a document without a type title that has one is a công văn."""
    return any(f.lstrip().startswith("kinh gui") for f in folded)

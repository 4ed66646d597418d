"""The văn thư's two registers of Nghị định 30/2020 (Phụ lục IV) kept by this app, filtered by
period and register, shown a page at a time and exported as .xlsx or a printable .docx:

- sổ đăng ký văn bản đi: every outgoing document (issued from a draft or filed directly);
- sổ theo dõi giải quyết văn bản đến: every confirmed task of the incoming documents, with its
  lead unit, deadline, progress, on time or late, and the documents that answer it.

Rows are read with the columns they show only, a page (or a batch of an export) at a time, so
a register of 100,000 documents costs what the chosen period holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import islice

from django.db.models import Exists, F, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from cchc.text import fold
from cchc.web.documents.models import Document
from cchc.web.documents.register_files import Period, cell_value
from cchc.web.work.models import Task

from .models import Draft, recipient_lines

BATCH = 1000


# --- sổ đăng ký văn bản đi ---------------------------------------------------------------

OUTGOING_COLUMNS = [
    "Số",
    "Ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
_OUTGOING_FIELDS = (
    "id",
    "number",
    "date",
    "type",
    "subject",
    "signer_name",
    "recipients",
    "register_note",
    "unit__name",
    "outgoing_draft__id",
    "outgoing_draft__number",
    "outgoing_draft__notation",
    "outgoing_draft__signer_name",
    "outgoing_draft__recipients",
    "outgoing_draft__copies",
    "outgoing_draft__issued_date",
    "outgoing_draft__register_note",
    "outgoing_draft__unit__name",
    "outgoing_draft__author__first_name",
    "outgoing_draft__author__username",
)


def outgoing_documents(period: Period) -> QuerySet:
    """The outgoing documents of the period (by their date) in the register's order of Nghị
    định 30: by số within each year (numbers run on per year), then those filed directly
    without a number of this register, by date."""
    docs = Document.objects.filter(
        direction=Document.Direction.OUTGOING, date__gte=period.start, date__lte=period.end
    )
    if period.register is not None:
        docs = docs.filter(register=period.register)
    return (
        docs.select_related(
            "unit", "outgoing_draft", "outgoing_draft__unit", "outgoing_draft__author"
        )
        .only(*_OUTGOING_FIELDS)
        .order_by(
            "year",
            F("outgoing_draft__number").asc(nulls_last=True),
            "date",
            "id",
        )
    )


def year_parts(docs: QuerySet, period: Period) -> list[QuerySet]:
    """The register's documents cut at each new year of the period, in order: the register runs
    by year first (numbers run on per year), so a page or the last number is looked for in one
    year's documents instead of sorting the whole period's."""
    return [
        docs.filter(
            date__gte=max(period.start, date(year, 1, 1)),
            date__lte=min(period.end, date(year, 12, 31)),
        )
        for year in range(period.start.year, period.end.year + 1)
    ]


def last_numbered(docs: QuerySet, period: Period) -> dict | None:
    """The last number the register gave among these documents (its full "số/ký hiệu", the
    document and its date): what the văn thư looks up before numbering the next. The latest
    year with a number, its highest number (a maximum, not a sort of the year)."""
    for part in reversed(year_parts(docs, period)):
        numbered = part.exclude(outgoing_draft__number=None)
        top = numbered.order_by().aggregate(top=Max("outgoing_draft__number"))["top"]
        if top is not None:
            return (
                numbered.filter(outgoing_draft__number=top)
                .order_by("-id")
                .values("pk", "date", notation=F("outgoing_draft__notation"))
                .first()
            )
    return None


def _lines(values) -> str:
    """Nơi nhận, one recipient a line, without the printed dashes and semicolons."""
    return "\n".join(recipient_lines(values or ()))


def _split_number(notation: str) -> tuple[int | str, str]:
    """ "2/BC-UBND" → (2, "BC-UBND"); a notation without a leading number stays whole."""
    head, slash, tail = (notation or "").partition("/")
    if slash and head.strip().isdigit() and tail.strip():
        return int(head), tail.strip()
    return "", notation or ""


def title_and_subject(type_name: str, subject: str) -> str:
    """ "Tên loại và trích yếu": the type before the subject, unless the subject begins with it
    ("Báo cáo kết quả …" stays as it is)."""
    type_name, subject = (type_name or "").strip(), (subject or "").strip()
    if type_name and fold(subject).startswith(fold(type_name)):
        return subject
    return " ".join(x for x in (type_name, subject) if x)


def outgoing_row(doc: Document) -> dict:
    """One line of the register: the draft's values where it was issued from one (they are
    authoritative), the document's otherwise."""
    draft = getattr(doc, "outgoing_draft", None)
    number, symbol = _split_number(doc.number)
    if draft is not None and draft.number:
        number = draft.number
        full = draft.notation or doc.number
        symbol = full.partition("/")[2].strip() if full.startswith(f"{number}/") else full
    keeper = ""
    if draft is not None:
        author = draft.author.first_name or draft.author.username if draft.author else ""
        keeper = ", ".join(x for x in (draft.unit.name, author) if x)
    elif doc.unit_id:
        keeper = doc.unit.name
    subject = title_and_subject(doc.type, doc.subject)
    link = ("outgoing-draft", draft.pk) if draft is not None else ("document", doc.pk)
    return {
        "links": {1: link, 3: ("document", doc.pk)},
        "cells": [
            number,
            symbol,
            doc.date,
            subject,
            (draft.signer_name if draft is not None else "") or doc.signer_name,
            _lines(draft.recipient_lines() if draft is not None else doc.recipients),
            keeper,
            draft.copies if draft is not None and draft.copies else "",
            draft.issued_date if draft is not None else None,
            "",
            (draft.register_note if draft is not None else "") or doc.register_note,
        ],
    }


def outgoing_rows(docs) -> Iterator[dict]:
    for doc in docs:
        yield outgoing_row(doc)


def window(rows: QuerySet, page: int, size: int, parts: list[QuerySet] | None = None):
    """One page of a register without counting the period (a count would read all of it):
    the rows and whether a next page exists. With `parts` (the period's rows cut in order, as
    `year_parts`), each part is counted from its index and only the parts the page falls in
    are ordered: a late page of a long period sorts one year, not six."""
    start = (page - 1) * size
    if parts is None:
        ids = list(rows.values_list("pk", flat=True)[start : start + size + 1])  # the index
    else:
        ids = []
        for part in parts:
            if len(ids) > size:
                break
            if ids:  # the page goes on into this part: read it from its beginning
                ids += part.values_list("pk", flat=True)[: size + 1 - len(ids)]
                continue
            held = part.order_by().count()
            if start >= held:
                start -= held
                continue
            ids += part.values_list("pk", flat=True)[start : start + size + 1]
    found = {row.pk: row for row in rows.filter(pk__in=ids[:size])}
    return [found[pk] for pk in ids[:size] if pk in found], len(ids) > size


# --- sổ theo dõi giải quyết văn bản đến ----------------------------------------------------

TRACKING_COLUMNS = [
    "Số đến",
    "Ngày đến",
    "Số, ký hiệu và trích yếu văn bản đến",
    "Đơn vị chủ trì",
    "Nội dung công việc",
    "Hạn giải quyết",
    "Tiến độ",
    "Đúng hạn / trễ hạn",
    "Văn bản trả lời",
]
_TASK_FIELDS = (
    "id",
    "document_id",
    "action",
    "deadline",
    "status",
    "completed_at",
    "lead_text",
    "unit__name",
)
_TRACKED_FIELDS = ("id", "incoming_number", "received_date", "type", "number", "subject")


def tracked_documents(period: Period) -> QuerySet:
    """The incoming documents received in the period that gave confirmed work, by số đến
    (read along the index of the incoming register; each probes its own tasks by index)."""
    work = Task.objects.filter(document=OuterRef("pk"), state=Task.State.CONFIRMED)
    docs = Document.objects.filter(
        direction=Document.Direction.INCOMING,
        received_date__gte=period.start,
        received_date__lte=period.end,
    ).filter(Exists(work))
    if period.register is not None:
        docs = docs.filter(register=period.register)
    return docs.only(*_TRACKED_FIELDS).order_by("received_date", "incoming_number", "id")


def _tasks_of(documents: list[Document]) -> dict[int, list[Task]]:
    """The confirmed tasks of these documents (a collective task's units' tasks instead of the
    task itself), in one query."""
    has_children = Task.objects.filter(parent=OuterRef("pk"))
    tasks = (
        Task.work.filter(document__in=[d.pk for d in documents])
        .exclude(Exists(has_children))
        .select_related("unit")
        .only(*_TASK_FIELDS)
        .order_by("document_id", "deadline", "id")
    )
    out: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        out[task.document_id].append(task)
    return out


def progress(task: Task, today: date) -> tuple[str, str]:
    """(progress, timing) in words: "Hoàn thành", "Trễ 3 ngày"; "Đang làm", "Quá hạn 2 ngày"."""
    if task.status == Task.Status.DONE:
        late = task.days_late
        if late is None:
            return "Hoàn thành", ""
        return "Hoàn thành", "Đúng hạn" if late == 0 else f"Trễ {late} ngày"
    label = Task.Status(task.status).label
    if task.deadline is None:
        return label, ""
    if task.deadline < today:
        return label, f"Quá hạn {(today - task.deadline).days} ngày"
    return label, "Trong hạn"


def _answers(tasks: list[Task], documents: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Task id → the documents answering it: linked to the task, or issued answering its
    document (one query each for the batch)."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    linked = Task.answers.through.objects.filter(task_id__in=[t.pk for t in tasks]).values_list(
        "task_id", "document_id", "document__number"
    )
    for task_id, doc_id, number in linked:
        out[task_id].append((doc_id, number or f"văn bản {doc_id}"))
    by_document = defaultdict(list)
    answering = defaultdict(list)  # draft → the documents it answers, by the answers' index
    for doc_id, draft_id in Draft.answers.through.objects.filter(
        document_id__in=documents
    ).values_list("document_id", "draft_id"):
        answering[draft_id].append(doc_id)
    issued = Draft.objects.filter(pk__in=list(answering), state=Draft.State.ISSUED)
    issued = issued.values_list("pk", "issued_document_id", "notation") if answering else []
    for draft_id, doc_id, symbol in issued:
        for answered in answering[draft_id]:
            if doc_id is not None:
                by_document[answered].append((doc_id, symbol))
    for task in tasks:
        for pair in by_document.get(task.document_id, ()):
            if pair[0] not in {d for d, _ in out[task.pk]}:
                out[task.pk].append(pair)
    return out


def tracking_rows(documents) -> Iterator[dict]:
    """The register's lines: one for each task of each document, read a batch of documents
    at a time."""
    today = timezone.localdate()
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        tasks = _tasks_of(batch)
        answers = _answers([t for ts in tasks.values() for t in ts], [d.pk for d in batch])
        for doc in batch:
            for index, task in enumerate(tasks.get(doc.pk, ())):
                state, timing = progress(task, today)
                answering = answers.get(task.pk, [])
                yield {
                    "links": {2: ("document", doc.pk), 4: ("task", task.pk)},
                    "first": index == 0,  # the page shows the document once
                    "answers": {8: [("document", pk, symbol) for pk, symbol in answering]},
                    "cells": [
                        doc.incoming_number or "",
                        doc.received_date,
                        " ".join(x for x in (doc.type, doc.number) if x)
                        + (f": {doc.subject}" if doc.subject else ""),
                        task.unit.name if task.unit_id else task.lead_text,
                        task.action,
                        task.deadline,
                        state,
                        timing,
                        "; ".join(symbol for _, symbol in answering),
                    ],
                }


# --- the page ---------------------------------------------------------------------------


def html_row(row: dict) -> str:
    """One register line as table cells (built here: a template loop over every cell of a page
    costs more than the page's queries)."""
    cells = []
    for index, value in enumerate(row["cells"]):
        if index < 3 and row.get("first") is False:
            cells.append("<td></td>")  # the same document as the line above
            continue
        if index in row.get("answers", {}):
            links = [
                format_html('<a href="{}">{}</a>', reverse(name, args=[pk]), text)
                for name, pk, text in row["answers"][index]
            ]
            cells.append("<td>" + ("; ".join(links) or "—") + "</td>")
            continue
        text = cell_value(value)
        if isinstance(text, str) and "\n" in text:  # one recipient a line
            text = mark_safe("<br>".join(conditional_escape(line) for line in text.split("\n")))
        if index in row["links"] and text != "":
            name, pk = row["links"][index]
            cells.append(
                format_html('<td><a href="{}">{}</a></td>', reverse(name, args=[pk]), text)
            )
        else:
            cells.append(format_html("<td>{}</td>", text))
    return mark_safe("<tr>" + "".join(cells) + "</tr>")  # every part escaped above

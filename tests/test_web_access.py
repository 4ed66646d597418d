"""Every URL pattern of the app, pages and API, walked as each role against a small real
deployment (the demo units and users, two ingested sample documents, tasks with evidence, a PAR
framework with assessments): who reads, who changes, who is refused.

The URL list comes from Django's resolver, so a new URL fails
`test_every_url_pattern_is_classified` until it is given a rule in ACCESS below.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cchc.par.framework import shipped
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Correction, Document, IngestJob
from cchc.web.documents.store import store_file
from cchc.web.par import services
from cchc.web.par.models import Assessment, Commitment, Framework, Score, ScoreEvidence
from cchc.web.work.flow import direction_state
from cchc.web.work.models import Evidence, ProgressNote, Task
from cchc.web.work.services import add_evidence
from tests import outgoing_world

# --- who gets through -----------------------------------------------------------------------

ANONYMOUS, VIEWER, OFFICER_A, OFFICER_B, HEAD_B, CLERK, LEADER, ADMIN = (
    "",
    "xem",
    "anlac",
    "noivu",
    "truongnv",
    "vanthu",
    "lanhdao",
    "quantri",
)
ROLES = [ANONYMOUS, VIEWER, OFFICER_A, OFFICER_B, HEAD_B, CLERK, LEADER, ADMIN]
UNIT_A = "UBND phường An Lạc"  # anlac's unit; noivu and truongnv are of Sở Nội vụ (unit B)

OPEN = set(ROLES)  # the secret feeds, log-in
READ = OPEN - {ANONYMOUS}  # every page and API read: anyone logged in
INGEST = {OFFICER_A, OFFICER_B, HEAD_B, CLERK, LEADER, ADMIN}  # documents in, corrections, tasks
OWN_UNIT = {OFFICER_A, LEADER, ADMIN}  # unit A's tasks and self-assessment
COUNCIL = {LEADER, ADMIN}  # frameworks, appraisal, plans, commitments, audit log
REGISTER = {CLERK, LEADER, ADMIN}  # vào sổ, numbering and issuing outgoing documents
DIRECT = {LEADER, ADMIN}  # direction, confirming proposals for any unit, approving drafts
STAFF = {ADMIN}  # the admin pages
QUEUE = {HEAD_B, LEADER, ADMIN}  # the queue of documents waiting for direction (incoming)


@dataclass
class World:
    """The objects the requests name: unit A's task, evidence and assessments, and so on."""

    unit_a: Unit
    doc: Document
    task_a: Task
    evidence: Evidence
    framework: Framework
    draft: Assessment  # unit A's self-assessment in progress
    submitted: Assessment  # unit A's, waiting for appraisal
    job: IngestJob
    leaf: int = 0
    extra: dict = field(default_factory=dict)


@dataclass
class Call:
    method: str
    allowed: set[str]
    url: Callable[[World], str]
    data: Callable[[World], dict] | None = None
    as_json: bool = False  # the API's JSON body (PATCH, POST of fields)
    changes: bool = False  # an allowed call changes the database; a refused one never does
    ok: Callable | None = None  # what "allowed" looks like when it is not a 2xx/3xx answer


def _proposal(w: World) -> int:
    """A proposed task of the walk's document with a lead unit (incoming)."""
    return (
        Task.objects.filter(document=w.doc, state=Task.State.PROPOSED, parent=None)
        .exclude(unit=None)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )


def _excel_framework() -> bytes:
    book = openpyxl.Workbook()
    for row in [
        ["BỘ TIÊU CHÍ KIỂM THỬ QUYỀN"],
        ["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa"],
        ["I", "Công tác chỉ đạo, điều hành", 4],
        [1, "Kế hoạch CCHC năm", 4],
        ["", "Tổng cộng", 4],
    ]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


NOTICE = "Kính gửi: Phòng Nội vụ\nĐề nghị báo cáo kết quả trước ngày 10/4/2026.\n".encode()
logout_ok = lambda r: r.status_code == 302  # noqa: E731
admin_ok = lambda r: r.status_code == 200  # noqa: E731
page_ok = lambda r: r.status_code in (200, 404)  # noqa: E731  (the walk's document is text)

ACCESS: dict[str, list[Call]] = {
    "": [Call("GET", READ, lambda w: "/")],
    "dang-nhap/": [Call("GET", OPEN, lambda w: "/dang-nhap/")],
    "dang-xuat/": [Call("POST", READ, lambda w: "/dang-xuat/", ok=logout_ok)],
    "van-ban/": [Call("GET", READ, lambda w: "/van-ban/?sort=number")],
    "van-ban/nhap/": [
        Call("GET", READ, lambda w: "/van-ban/nhap/"),
        Call(
            "POST",
            INGEST,
            lambda w: "/van-ban/nhap/",
            lambda w: {"files": _file("thong-bao.txt", NOTICE), "direction": "den"},
            changes=True,
        ),
    ],
    "van-ban/nhap/trang-thai/": [
        Call("GET", READ, lambda w: f"/van-ban/nhap/trang-thai/?ids={w.job.pk}")
    ],
    "van-ban/<int:pk>/": [Call("GET", READ, lambda w: f"/van-ban/{w.doc.pk}/")],
    "van-ban/<int:pk>/sua/": [
        Call(
            "POST",
            INGEST,
            lambda w: f"/van-ban/{w.doc.pk}/sua/",
            lambda w: {"subject": "Trích yếu đã sửa"},
            changes=True,
        )
    ],
    "van-ban/<int:pk>/tep/": [Call("GET", READ, lambda w: f"/van-ban/{w.doc.pk}/tep/")],
    "van-ban/<int:pk>/trang/<int:number>.png": [
        Call("GET", READ, lambda w: f"/van-ban/{w.doc.pk}/trang/1.png", ok=page_ok)
    ],
    "tim-kiem/": [Call("GET", READ, lambda w: "/tim-kiem/?q=cai+cach")],
    "cong-viec/": [Call("GET", READ, lambda w: "/cong-viec/?unit=all")],
    "cong-viec/moi/": [
        Call("GET", INGEST, lambda w: "/cong-viec/moi/"),
        Call(
            "POST",
            OWN_UNIT,
            lambda w: "/cong-viec/moi/",
            lambda w: {"action": "Rà soát quy trình một cửa", "unit": w.unit_a.pk, "kind": "task"},
            changes=True,
        ),
    ],
    "cong-viec/<int:pk>/": [Call("GET", READ, lambda w: f"/cong-viec/{w.task_a.pk}/")],
    "cong-viec/<int:pk>/cap-nhat/": [
        Call(
            "POST",
            OWN_UNIT,
            lambda w: f"/cong-viec/{w.task_a.pk}/cap-nhat/",
            lambda w: {"status": "doing", "note": "Đang triển khai"},
            changes=True,
        )
    ],
    "cong-viec/<int:pk>/sua/": [
        Call("GET", OWN_UNIT, lambda w: f"/cong-viec/{w.task_a.pk}/sua/"),
        Call(
            "POST",
            OWN_UNIT,
            lambda w: f"/cong-viec/{w.task_a.pk}/sua/",
            lambda w: {"action": "Nội dung đã sửa", "unit": w.unit_a.pk, "kind": "task"},
            changes=True,
        ),
    ],
    "minh-chung/<int:pk>/": [Call("GET", READ, lambda w: f"/minh-chung/{w.evidence.pk}/")],
    "chi-so/minh-chung/<int:pk>/": [
        Call("GET", READ, lambda w: f"/chi-so/minh-chung/{w.extra['score_evidence']}/")
    ],
    "lich/": [Call("GET", READ, lambda w: "/lich/?year=2026&month=4")],
    "lich/feed/<str:token>.ics": [
        Call("GET", OPEN, lambda w: f"/lich/feed/{w.unit_a.feed_token}.ics")
    ],
    "lich/don-vi/<int:pk>/doi-dia-chi/": [
        Call("POST", OWN_UNIT, lambda w: f"/lich/don-vi/{w.unit_a.pk}/doi-dia-chi/", changes=True)
    ],
    "don-vi/": [Call("GET", READ, lambda w: "/don-vi/")],
    "nhat-ky/": [Call("GET", COUNCIL, lambda w: "/nhat-ky/")],
    "chi-so/": [Call("GET", READ, lambda w: "/chi-so/")],
    "chi-so/bo-tieu-chi/nhap/": [
        Call(
            "POST",
            COUNCIL,
            lambda w: "/chi-so/bo-tieu-chi/nhap/",
            lambda w: {"file": _file("bo-tieu-chi.xlsx", _excel_framework()), "level": "xa"},
            changes=True,
        )
    ],
    "chi-so/bo-tieu-chi/<int:pk>/": [
        Call("GET", READ, lambda w: f"/chi-so/bo-tieu-chi/{w.framework.pk}/")
    ],
    "chi-so/bo-tieu-chi/<int:pk>/excel/": [
        Call("GET", READ, lambda w: f"/chi-so/bo-tieu-chi/{w.framework.pk}/excel/")
    ],
    "chi-so/danh-gia/mo/": [
        Call(
            "POST",
            COUNCIL,
            lambda w: "/chi-so/danh-gia/mo/",
            lambda w: {"framework": w.framework.pk, "year": 2026, "units": [w.unit_a.pk]},
            changes=True,
        )
    ],
    "chi-so/danh-gia/<int:pk>/": [
        Call("GET", READ, lambda w: f"/chi-so/danh-gia/{w.draft.pk}/"),
        Call(  # the unit's own self-assessment
            "POST",
            OWN_UNIT,
            lambda w: f"/chi-so/danh-gia/{w.draft.pk}/",
            lambda w: {"action": "self", f"value-{w.leaf}": "1", f"note-{w.leaf}": "Đã làm"},
            changes=True,
        ),
        Call(
            "POST",
            OWN_UNIT,
            lambda w: f"/chi-so/danh-gia/{w.draft.pk}/",
            lambda w: {"action": "submit"},
            changes=True,
        ),
        Call(  # no action at all: nothing to do, but only for those who may act
            "POST",
            OWN_UNIT,
            lambda w: f"/chi-so/danh-gia/{w.draft.pk}/",
            lambda w: {"action": ""},
        ),
        Call(  # anything else is the council's
            "POST",
            COUNCIL,
            lambda w: f"/chi-so/danh-gia/{w.submitted.pk}/",
            lambda w: {"action": "appraise"},
            changes=True,
        ),
        Call(
            "POST",
            COUNCIL,
            lambda w: f"/chi-so/danh-gia/{w.submitted.pk}/",
            lambda w: {
                "action": "appraise-scores",
                f"appraised-{w.leaf}": "0",
                f"reason-{w.leaf}": "Thiếu minh chứng",
            },
            changes=True,
        ),
    ],
    "chi-so/danh-gia/<int:pk>/ke-hoach/": [
        Call("GET", READ, lambda w: f"/chi-so/danh-gia/{w.submitted.pk}/ke-hoach/"),
        Call(
            "POST",
            COUNCIL,
            lambda w: f"/chi-so/danh-gia/{w.submitted.pk}/ke-hoach/",
            lambda w: {
                "criterion": [w.leaf],
                f"unit-{w.leaf}": w.unit_a.pk,
                f"deadline-{w.leaf}": "2026-06-30",
                f"action-{w.leaf}": "Nâng điểm tiêu chí",
            },
            changes=True,
        ),
    ],
    "chi-so/don-vi/<int:pk>/": [Call("GET", READ, lambda w: f"/chi-so/don-vi/{w.unit_a.pk}/")],
    "chi-so/bieu-do/<str:kind>.<str:fmt>": [
        Call("GET", READ, lambda w: f"/chi-so/bieu-do/xu-huong.svg?unit={w.unit_a.pk}")
    ],
    "chi-so/cam-ket/": [
        Call("GET", READ, lambda w: "/chi-so/cam-ket/"),
        Call(
            "POST",
            COUNCIL,
            lambda w: "/chi-so/cam-ket/",
            lambda w: {
                "unit": w.unit_a.pk,
                "year": 2026,
                "head_name": "Phạm Văn An",
                "head_title": "Chủ tịch UBND phường",
                "deadline": "2026-12-31",
                "tasks": [w.task_a.pk],
            },
            changes=True,
        ),
    ],
    "chi-so/bao-cao/": [Call("GET", COUNCIL, lambda w: "/chi-so/bao-cao/")],
    # the REST API (session log-in here; HTTP Basic in test_web_login.py)
    "api/": [Call("GET", READ, lambda w: "/api/")],
    "api/^units/$": [Call("GET", READ, lambda w: "/api/units/")],
    "api/^units/(?P<pk>[^/.]+)/$": [Call("GET", READ, lambda w: f"/api/units/{w.unit_a.pk}/")],
    "api/^documents/$": [Call("GET", READ, lambda w: "/api/documents/?type=Công văn")],
    "api/^documents/(?P<pk>[^/.]+)/$": [
        Call("GET", READ, lambda w: f"/api/documents/{w.doc.pk}/"),
        Call(
            "PATCH",
            INGEST,
            lambda w: f"/api/documents/{w.doc.pk}/",
            lambda w: {"subject": "Trích yếu sửa qua API"},
            as_json=True,
            changes=True,
        ),
    ],
    "api/^tasks/$": [
        Call("GET", READ, lambda w: f"/api/tasks/?unit={w.unit_a.pk}"),
        Call(
            "POST",
            OWN_UNIT,
            lambda w: "/api/tasks/",
            lambda w: {"action": "Việc tạo qua API", "unit": w.unit_a.pk},
            as_json=True,
            changes=True,
        ),
    ],
    "api/^tasks/(?P<pk>[^/.]+)/$": [
        Call("GET", READ, lambda w: f"/api/tasks/{w.task_a.pk}/"),
        Call(
            "PATCH",
            OWN_UNIT,
            lambda w: f"/api/tasks/{w.task_a.pk}/",
            lambda w: {"status": "done"},
            as_json=True,
            changes=True,
        ),
    ],
    "api/^tasks/(?P<pk>[^/.]+)/evidence/$": [
        Call(
            "POST",
            OWN_UNIT,
            lambda w: f"/api/tasks/{w.task_a.pk}/evidence/",
            lambda w: {"files": _file("bien-ban.txt", b"Bien ban hop")},
            changes=True,
        )
    ],
    "api/^tasks/(?P<pk>[^/.]+)/notes/$": [
        Call(
            "POST",
            OWN_UNIT,
            lambda w: f"/api/tasks/{w.task_a.pk}/notes/",
            lambda w: {"text": "Đã họp triển khai"},
            as_json=True,
            changes=True,
        )
    ],
    "api/search/": [Call("GET", READ, lambda w: "/api/search/?q=cai+cach")],
    "api/upload/": [
        Call(
            "POST",
            INGEST,
            lambda w: "/api/upload/",
            lambda w: {"files": _file("thong-bao-api.txt", NOTICE + b"API")},
            changes=True,
        )
    ],
    "api/jobs/<int:pk>/": [Call("GET", READ, lambda w: f"/api/jobs/{w.job.pk}/")],
    # the admin pages (their own sub-URLs are Django's; only admins get in)
    "quan-tri/": [Call("GET", STAFF, lambda w: "/quan-tri/", ok=admin_ok)],
    # --- incoming: vào sổ, direction, proposals (helper A) ---
    "van-ban/den/": [Call("GET", READ, lambda w: "/van-ban/den/?start=01/01/2020&end=31/12/2030")],
    "van-ban/cho-chi-dao/": [Call("GET", QUEUE, lambda w: "/van-ban/cho-chi-dao/")],
    "van-ban/<int:pk>/vao-so/": [
        Call("GET", REGISTER, lambda w: f"/van-ban/{w.doc.pk}/vao-so/"),
        Call(
            "POST",
            REGISTER,
            lambda w: f"/van-ban/{w.doc.pk}/vao-so/",
            lambda w: {
                "register": w.doc.register_id,
                "urgency": "khan",
                "secrecy": "thuong",
                "handling_deadline": "30/04/2026",
                "page_count": "3",
                "received_via": "giay",
                "received_by": "Hoàng Thị Lan",
            },
            changes=True,
        ),
    ],
    "van-ban/<int:pk>/trinh/": [
        Call("POST", REGISTER, lambda w: f"/van-ban/{w.doc.pk}/trinh/", lambda w: {}, changes=True)
    ],
    "van-ban/<int:pk>/chi-dao/": [
        Call("GET", DIRECT, lambda w: f"/van-ban/{w.doc.pk}/chi-dao/"),
        Call(
            "POST",
            DIRECT,
            lambda w: f"/van-ban/{w.doc.pk}/chi-dao/",
            lambda w: {"text": "Để biết.", "outcome": "inform", "state": direction_state(w.doc)},
            changes=True,
        ),
    ],
    "van-ban/<int:pk>/phieu-giai-quyet.docx": [
        Call("GET", READ, lambda w: f"/van-ban/{w.doc.pk}/phieu-giai-quyet.docx")
    ],
    "api/^proposals/$": [Call("GET", READ, lambda w: f"/api/proposals/?document={w.doc.pk}")],
    "api/^proposals/(?P<pk>[^/.]+)/$": [
        Call("GET", READ, lambda w: f"/api/proposals/{_proposal(w)}/"),
        Call(
            "PATCH",
            DIRECT,
            lambda w: f"/api/proposals/{_proposal(w)}/",
            lambda w: {"deadline": "2026-05-30"},
            as_json=True,
            changes=True,
        ),
    ],
    "api/^proposals/(?P<pk>[^/.]+)/confirm/$": [
        Call(
            "POST",
            DIRECT,
            lambda w: f"/api/proposals/{_proposal(w)}/confirm/",
            lambda w: {},
            as_json=True,
            changes=True,
        )
    ],
    "api/^proposals/(?P<pk>[^/.]+)/discard/$": [
        Call(
            "POST",
            DIRECT,
            lambda w: f"/api/proposals/{_proposal(w)}/discard/",
            lambda w: {"reason": "trùng"},
            as_json=True,
            changes=True,
        )
    ],
    # --- work on a task: my work, history, extensions, notifications (helper B) ---
    "viec-cua-toi/": [Call("GET", READ, lambda w: "/viec-cua-toi/")],
    "thong-bao/": [
        Call("GET", READ, lambda w: "/thong-bao/"),
        Call("POST", READ, lambda w: "/thong-bao/", lambda w: {}),  # marks one's own read
    ],
    "cong-viec/<int:pk>/giao/": [
        Call(  # the head of the task's unit or whoever directs (unit A has no head here)
            "POST",
            DIRECT,
            lambda w: f"/cong-viec/{w.task_a.pk}/giao/",
            lambda w: {"assignee": _user("anlac").pk, "reason": "Phụ trách địa bàn"},
            changes=True,
        )
    ],
    "cong-viec/<int:pk>/gia-han/": [
        Call(
            "POST",
            OWN_UNIT,
            lambda w: f"/cong-viec/{w.task_a.pk}/gia-han/",
            lambda w: {"deadline": "31/05/2026", "reason": "Chờ số liệu của tổ dân phố"},
            changes=True,
        )
    ],
    "gia-han/<int:pk>/duyet/": [
        Call(
            "POST",
            DIRECT,
            lambda w: "/gia-han/{}/duyet/".format(
                w.task_a.extension_requests.get_or_create(
                    deadline=date(2026, 6, 30), defaults={"reason": "Chờ số liệu"}
                )[0].pk
            ),
            lambda w: {"decision": "approve", "answer": "Đồng ý"},
            changes=True,
        )
    ],
    # --- outgoing: drafts, numbering, issuing, registers (helper C) ---
    # (tests/outgoing_world.py makes unit A's drafts in the state each step starts from)
    "van-ban-di/": [Call("GET", READ, lambda w: "/van-ban-di/?tinh-trang=trinh-ky")],
    "van-ban-di/moi/": [
        Call("GET", INGEST, lambda w: f"/van-ban-di/moi/?tra-loi={w.doc.pk}"),
        Call(
            "POST",
            OWN_UNIT,
            lambda w: "/van-ban-di/moi/",
            lambda w: {
                "subject": "V/v trả lời",
                "type": "Công văn",
                "unit": w.unit_a.pk,
                "answers": [w.doc.pk],
                "file": _file("du-thao.txt", "Kính gửi: Sở Nội vụ.\nDự thảo.".encode()),
            },
            changes=True,
        ),
    ],
    "van-ban-di/<int:pk>/": [
        Call(
            "GET",
            READ,
            lambda w: outgoing_world.url(w, "da-phat-hanh"),
        )
    ],
    "van-ban-di/<int:pk>/ban-moi/": [
        Call(
            "POST",
            OWN_UNIT,
            lambda w: outgoing_world.url(w, "du-thao", "ban-moi/"),
            lambda w: {"file": _file("ban-2.txt", "Dự thảo bản 2.".encode())},
            changes=True,
        )
    ],
    "van-ban-di/<int:pk>/trinh-ky/": [
        Call(
            "POST",
            OWN_UNIT,
            lambda w: outgoing_world.url(w, "du-thao", "trinh-ky/"),
            changes=True,
        )
    ],
    "van-ban-di/<int:pk>/duyet/": [
        Call(
            "POST",
            DIRECT,
            lambda w: outgoing_world.url(w, "trinh-ky", "duyet/"),
            lambda w: {"decision": "tra-lai", "comment": "Sửa lại trích yếu"},
            changes=True,
        )
    ],
    "van-ban-di/<int:pk>/cap-so/": [
        Call(
            "POST",
            REGISTER,
            lambda w: outgoing_world.url(w, "da-duyet", "cap-so/"),
            changes=True,
        )
    ],
    "van-ban-di/<int:pk>/phat-hanh/": [
        Call(
            "POST",
            REGISTER,
            lambda w: outgoing_world.url(w, "da-cap-so", "phat-hanh/"),
            lambda w: {"issued": outgoing_world.today(), "recipients": "Sở Nội vụ"},
            changes=True,
        )
    ],
    "van-ban-di/<int:pk>/dong-viec/": [
        Call(
            "POST",
            OWN_UNIT,  # who may change unit A's task: not the văn thư nor another unit
            lambda w: outgoing_world.url(w, "da-phat-hanh", "dong-viec/"),
            lambda w: {"task": outgoing_world.task(w)},
            changes=True,
        )
    ],
    "van-ban-di/ban/<int:pk>/tep/": [
        Call(
            "GET",
            READ,
            lambda w: (
                f"/van-ban-di/ban/{__import__('tests.outgoing_world').outgoing_world.version(w)}/tep/"
            ),
        )
    ],
    "so/van-ban-di/": [
        Call("GET", READ, lambda w: "/so/van-ban-di/?tu=01/01/2026&den=31/12/2026"),
        Call("GET", READ, lambda w: "/so/van-ban-di/?dinh-dang=xlsx"),
    ],
    "so/giai-quyet-van-ban-den/": [
        Call("GET", READ, lambda w: "/so/giai-quyet-van-ban-den/?tu=01/01/2026"),
        Call("GET", READ, lambda w: "/so/giai-quyet-van-ban-den/?dinh-dang=docx"),
    ],
    # --- edxml: attachments of packages, export as edXML ---
    "van-ban/<int:pk>/dinh-kem/<int:position>/": [
        Call("GET", READ, lambda w: f"/van-ban/{w.doc.pk}/dinh-kem/0/", ok=page_ok)
    ],
    "van-ban/<int:pk>/edxml/": [
        # 400 when the deployment has no mã định danh or the document no số, ký hiệu
        Call(
            "POST",
            REGISTER,
            lambda w: f"/van-ban/{w.doc.pk}/edxml/",
            ok=lambda r: r.status_code in (200, 400),
        )
    ],
    # --- survey: rounds, codes, results (council); the questionnaire by code (anyone) ---
    "chi-so/khao-sat/": [
        Call("GET", COUNCIL, lambda w: _surveyed(w, "/chi-so/khao-sat/")),
        Call(
            "POST",
            COUNCIL,
            lambda w: _surveyed(w, "/chi-so/khao-sat/"),
            lambda w: {
                "framework": _survey(w)["framework"],
                "unit": w.unit_a.pk,
                "year": 2026,
                "group": "cong-chuc",
            },
            changes=True,
        ),
    ],
    "chi-so/khao-sat/<int:pk>/": [
        Call("GET", COUNCIL, lambda w: f"/chi-so/khao-sat/{_survey(w)['round']}/"),
        Call(
            "POST",
            COUNCIL,
            lambda w: f"/chi-so/khao-sat/{_survey(w)['round']}/",
            lambda w: {"action": "codes", "count": "5"},
            changes=True,
        ),
        Call(
            "POST",
            COUNCIL,
            lambda w: f"/chi-so/khao-sat/{_survey(w)['round']}/",
            lambda w: {"action": "apply"},
            changes=True,
        ),
    ],
    "chi-so/khao-sat/<int:pk>/ma/": [
        Call("GET", COUNCIL, lambda w: f"/chi-so/khao-sat/{_survey(w)['round']}/ma/"),
        Call("GET", COUNCIL, lambda w: f"/chi-so/khao-sat/{_survey(w)['round']}/ma/?dinh-dang=csv"),
    ],
    "khao-sat/": [Call("GET", OPEN, lambda w: "/khao-sat/")],
    "khao-sat/<str:code>/": [
        Call("GET", OPEN, lambda w: f"/khao-sat/{_survey(w)['code']}/"),
        Call(  # anyone with the code, logged in or not (the reply is not in `fingerprint`)
            "POST",
            OPEN,
            lambda w: f"/khao-sat/{_survey(w)['code']}/",
            lambda w: _survey(w)["answers"],
        ),
    ],
}


# --- survey ---


def _survey(w: World) -> dict:
    """A survey round of unit A's 2026 assessment under the shipped commune framework (it has
    a criterion assessed by survey), with one reply and one unused code; made once per walk."""
    if "survey" not in w.extra:
        from cchc.web.survey import services as survey

        data = next(f for f in shipped().values() if survey_method(f))
        framework = services.import_framework(data, _user("quantri"))
        services.open_assessment(framework, w.unit_a, 2026)
        survey_round = survey.create_round(framework, w.unit_a, 2026, "nguoi-dan", _user("quantri"))
        first, code = survey.generate_codes(survey_round, 2, _user("quantri"))
        questions = list(survey_round.questions.all())
        answers = {f"q-{q.pk}": "" if q.is_comment else "A" for q in questions}
        survey.submit(first, answers)
        w.extra["survey"] = {
            "framework": framework.pk,
            "round": survey_round.pk,
            "code": code,
            "answers": answers,
        }
    return w.extra["survey"]


def _surveyed(w: World, url: str) -> str:
    """`url`, once the walk's survey exists: made while the URL is computed, outside the
    rolled-back request (a data lambda runs inside it)."""
    _survey(w)
    return url


def survey_method(data) -> bool:
    return any(c.method == "survey" for c, _depth, _parent in data.walk())


# The REST framework adds `.json`-style suffixes to its routes: same views, same rules.
SUFFIX = re.compile(r"\\\.\(\?P<format>\[a-z0-9\]\+\)/\?|<drf_format_suffix:format>")


def _base(route: str) -> str:
    return SUFFIX.sub("/", route).replace("//", "/")


def _routes(resolver=None, prefix="") -> list[str]:
    out = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route == "quan-tri/":
                out.append(route)  # Django's admin: classified as a whole
            else:
                out += _routes(entry, route)
        elif isinstance(entry, URLPattern):
            out.append(route)
    return out


def _calls() -> list[tuple[str, Call, bool]]:
    """(route, call, is a format-suffix variant) for every route the resolver knows."""
    out = []
    for route in _routes():
        for call in ACCESS.get(_base(route), []):
            out.append((route, call, _base(route) != route))
    return out


def test_every_url_pattern_is_classified():
    routes = _routes()
    unclassified = sorted({r for r in routes if _base(r) not in ACCESS})
    assert not unclassified, (
        "URL patterns without an access rule: "
        + ", ".join(unclassified)
        + ". Classify each in ACCESS in tests/test_web_access.py (who may GET/POST it)."
    )
    stale = sorted(set(ACCESS) - {_base(r) for r in routes})
    assert not stale, f"ACCESS names URL patterns that no longer exist: {stale}"


# --- the deployment ----------------------------------------------------------------------


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def world(deployment, sample_path) -> World:
    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    job = ingest_file(sample_path("thong-bao-ket-luan.txt"))
    unit_a = Unit.objects.get(name=UNIT_A)
    task_a = Task.objects.create(
        unit=unit_a, action="Niêm yết thủ tục hành chính", deadline=date(2026, 4, 30)
    )
    Task.objects.create(unit=Unit.objects.get(name="Sở Nội vụ"), action="Tổng hợp báo cáo CCHC quý")
    evidence = add_evidence(
        task_a, _file("bien-ban.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"), _user("anlac")
    )
    data = next(f for f in shipped().values() if "minh họa" in f.name)
    data.level = "xa"
    framework = services.import_framework(data, _user("quantri"))
    draft = services.open_assessment(framework, unit_a, 2025)
    submitted = services.open_assessment(framework, unit_a, 2024)
    leaves = list(framework.criteria.filter(is_leaf=True))
    for assessment in (draft, submitted):  # every leaf entered at half, the yes/no ones "no"
        services.save_self_assessment(
            assessment, {c.pk: (_half(c), "") for c in leaves}, _user("anlac")
        )
    services.advance(submitted, "submit", _user("anlac"))
    yesno = next(c for c in leaves if c.scoring == "yesno")
    stored = store_file(iter([b"%PDF-1.4 minh chung"]), "minh-chung.pdf")[1]
    score_evidence = ScoreEvidence.objects.create(
        score=draft.scores.first(), path=stored, name="minh-chung.pdf", user=_user("anlac")
    )
    world = World(unit_a, doc, task_a, evidence, framework, draft, submitted, job, yesno.pk)
    world.extra["score_evidence"] = score_evidence.pk
    return world


def _half(criterion) -> Decimal:
    if criterion.scoring == "yesno":
        return Decimal(0)
    if criterion.scoring == "ratio":
        return Decimal("0.5")
    if criterion.scoring == "scale":
        return Decimal(round(criterion.scale_levels / 2))
    return (criterion.max_points / 2).quantize(Decimal("0.01"))


def fingerprint() -> tuple:
    """Everything a refused request must leave as it was."""
    models = [
        Document,
        Correction,
        IngestJob,
        Task,
        ProgressNote,
        Evidence,
        AuditEntry,
        Framework,
        Assessment,
        Score,
        ScoreEvidence,
        Commitment,
    ]
    return (
        tuple(m.objects.count() for m in models),
        tuple(Task.objects.order_by("pk").values_list("status", "unit_id", "action", "deadline")),
        tuple(Document.objects.order_by("pk").values_list("subject", "number", "date")),
        tuple(Assessment.objects.order_by("pk").values_list("status", "self_total")),
        tuple(Score.objects.order_by("pk").values_list("self_value", "appraised_points")),
    )


def _client(role: str) -> Client:
    client = Client()
    if role:
        client.force_login(_user(role))
    return client


def _request(client: Client, call: Call, world: World, url: str):
    data = call.data(world) if call.data else {}
    if call.method == "GET":
        return client.get(url)
    if call.as_json:
        return client.generic(call.method, url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def _verdict(role: str, route: str, call: Call, answer, changed: bool) -> str | None:
    """None when the answer is what the role should get, else what went wrong."""
    code = answer.status_code
    to_login = code == 302 and answer["Location"].startswith("/dang-nhap/")
    api = route.startswith("api/")
    if role in call.allowed:
        if call.ok is not None:
            good = call.ok(answer)
        else:
            good = code in (200, 201, 202) or (code == 302 and not to_login)
        if not good:
            return f"allowed, but got {code}"
        if call.changes and not changed:
            return f"allowed ({code}), but nothing changed"
        return None
    if changed:
        return f"refused role changed the database (answer {code})"
    if not role:
        expected = code in (401, 403) if api else to_login
        return (
            None
            if expected
            else f"anonymous got {code}, not a log-in " + ("refusal" if api else "redirect")
        )
    if call.allowed is STAFF:  # the admin sends non-staff to its own log-in page
        return None if code == 302 and "/quan-tri/login/" in answer["Location"] else f"got {code}"
    return None if code == 403 else f"should be refused (403), got {code}"


@pytest.mark.parametrize(
    "role",
    ROLES,
    ids=["anonymous", "viewer", "officer-A", "officer-B", "head-B", "clerk", "leader", "admin"],
)
def test_each_role_gets_what_its_role_allows(world, role):
    client = _client(role)
    problems = []
    for route, call, suffixed in _calls():
        url = call.url(world)
        if suffixed:
            if call.method != "GET":
                continue  # the same view as the route without its suffix
            path, _, query = url.partition("?")
            path = path if route.endswith(">") else path.rstrip("/")  # the API root: /api/.json
            url = path + ".json" + (f"?{query}" if query else "")
        # logging out must not end the walk's session
        client_now = _client(role) if call.ok is logout_ok else client
        with transaction.atomic():
            before = fingerprint()
            answer = _request(client_now, call, world, url)
            changed = fingerprint() != before
            transaction.set_rollback(True)
        if problem := _verdict(role, route, call, answer, changed):
            problems.append(f"{call.method} {url} ({route}): {problem}")
    assert not problems, f"as {role or 'anonymous'}:\n" + "\n".join(problems)


def test_read_only_pages_change_nothing_when_posted_to(world):
    """A viewer POSTing to the pages that only show things: never a change, never a crash."""
    client = _client(VIEWER)
    for route, calls in ACCESS.items():
        if route.startswith("api/") or any(c.method != "GET" for c in calls):
            continue
        if calls[0].allowed is not READ:
            continue
        url = calls[0].url(world)
        with transaction.atomic():
            before = fingerprint()
            answer = client.post(url, {"action": "self", "status": "done", "unit": 1})
            assert fingerprint() == before, url
            transaction.set_rollback(True)
        assert answer.status_code < 500, url

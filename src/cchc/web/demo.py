"""The demo deployment, a 2026 one in the two-tier model: tỉnh Bình Long (FICTIONAL), its
UBND, its sở (Nghị định 150/2025/NĐ-CP) and two of its xã/phường; the former thị xã An Phú
(fictional too), its phòng ban and merged phường/xã kept as history, ended on 30/06/2025 and
mapped to the units that carry on their work; a user for each role; and the sample documents
shipped in `cchc/samples` (written with the thị xã's names), ingested through the real pipeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib import resources
from random import Random

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.web.accounts.models import Profile, Unit, UnitSuccession
from cchc.web.accounts.services import TWO_TIER_FROM, standard_bodies
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document, IngestJob

FICTIONAL = "đơn vị hư cấu, chỉ để trình diễn"
PROVINCE = "UBND tỉnh Bình Long"
# (name, short name, division, aliases): xã/phường of the province since 1 July 2025. Each kept
# the name of one of the units merged into it, and continues that unit's record.
COMMUNES = [
    ("UBND phường An Lạc", "P. An Lạc", Unit.Division.WARD, "phường An Lạc"),
    ("UBND xã Phú Mỹ", "X. Phú Mỹ", Unit.Division.COMMUNE, "xã Phú Mỹ"),
]
# The former thị xã An Phú (until 30/06/2025) and what each of its bodies became.
TOWN = "UBND thị xã An Phú"
LAST_DAY = date(2025, 6, 30)
# (name, short name, kind, aliases, successors)
HISTORY = [
    (
        "Văn phòng HĐND và UBND thị xã",
        "VP HĐND-UBND",
        Unit.Kind.DEPARTMENT,
        "Văn phòng UBND thị xã\nVP. UBND",
        ["Văn phòng UBND tỉnh"],
    ),
    (
        "Phòng Nội vụ",
        "P. Nội vụ",
        Unit.Kind.DEPARTMENT,
        "Phòng Nội vụ thị xã An Phú",
        ["Sở Nội vụ"],
    ),
    ("Phòng Tài chính - Kế hoạch", "P. TC-KH", Unit.Kind.DEPARTMENT, "", ["Sở Tài chính"]),
    ("Phòng Tư pháp", "P. Tư pháp", Unit.Kind.DEPARTMENT, "", ["Sở Tư pháp"]),
    (
        "Phòng Văn hóa, Khoa học và Thông tin",
        "P. VH-KH&TT",
        Unit.Kind.DEPARTMENT,
        "",
        ["Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ"],
    ),
    (
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "P. KT-HT&ĐT",
        Unit.Kind.DEPARTMENT,
        "",
        ["Sở Xây dựng", "Sở Công Thương"],
    ),
    (
        "Phòng Nông nghiệp và Môi trường",
        "P. NN&MT",
        Unit.Kind.DEPARTMENT,
        "",
        ["Sở Nông nghiệp và Môi trường"],
    ),
    ("Phòng Giáo dục và Đào tạo", "P. GD&ĐT", Unit.Kind.DEPARTMENT, "", ["Sở Giáo dục và Đào tạo"]),
    ("Phòng Y tế", "P. Y tế", Unit.Kind.DEPARTMENT, "", ["Sở Y tế"]),
    ("Thanh tra thị xã", "Thanh tra", Unit.Kind.DEPARTMENT, "", ["Thanh tra tỉnh"]),
    ("UBND phường An Hòa", "P. An Hòa", Unit.Kind.COMMUNE, "phường An Hòa", ["UBND phường An Lạc"]),
    (
        "UBND phường Phú Thịnh",
        "P. Phú Thịnh",
        Unit.Kind.COMMUNE,
        "phường Phú Thịnh",
        ["UBND phường An Lạc"],
    ),
    ("UBND xã An Bình", "X. An Bình", Unit.Kind.COMMUNE, "xã An Bình", ["UBND xã Phú Mỹ"]),
]
HISTORY_NOTE = "Sắp xếp đơn vị hành chính, chính quyền địa phương 2 cấp (minh họa, hư cấu)"
PASSWORD = "anphu2026"
# (username, full name, role, unit name or None)
USERS = [
    ("quantri", "Quản trị hệ thống", Profile.Role.ADMIN, None),
    ("lanhdao", "Nguyễn Văn Bình (Phó Chủ tịch)", Profile.Role.LEADER, PROVINCE),
    ("vanthu", "Hoàng Thị Lan (Văn thư)", Profile.Role.CLERK, "Văn phòng UBND tỉnh"),
    ("truongnv", "Vũ Đức Long (Giám đốc Sở Nội vụ)", Profile.Role.HEAD, "Sở Nội vụ"),
    ("noivu", "Trần Thị Mai (Sở Nội vụ)", Profile.Role.OFFICER, "Sở Nội vụ"),
    ("vanphong", "Lê Quốc Huy (Văn phòng)", Profile.Role.OFFICER, "Văn phòng UBND tỉnh"),
    ("anlac", "Phạm Thu Hằng (phường An Lạc)", Profile.Role.OFFICER, "UBND phường An Lạc"),
    ("xem", "Đỗ Minh Khoa (xem)", Profile.Role.VIEWER, None),
]


@transaction.atomic
def create_deployment() -> None:
    """Units (those of today and the former thị xã's, ended) and users; running it again
    changes nothing."""
    province, _ = Unit.objects.get_or_create(
        name=PROVINCE,
        defaults={
            "kind": Unit.Kind.PROVINCE,
            "division": Unit.Division.PROVINCE,
            "short_name": "UBND tỉnh",
            "aliases": "UBND tỉnh\nỦy ban nhân dân tỉnh Bình Long",
        },
    )
    for name, short in standard_bodies()["province"]:
        Unit.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": Unit.Kind.PROVINCE_BODY,
                "aliases": f"{name} tỉnh Bình Long",
                "parent": province,
            },
        )
    for name, short, division, aliases in COMMUNES:
        Unit.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": Unit.Kind.COMMUNE,
                "division": division,
                "aliases": aliases,
                "parent": province,
            },
        )
    town, _ = Unit.objects.get_or_create(
        name=TOWN,
        defaults={
            "kind": Unit.Kind.DISTRICT,
            "division": Unit.Division.TOWN,
            "short_name": "UBND thị xã",
            "aliases": "UBND thị xã\nỦy ban nhân dân thị xã An Phú",
            "parent": province,
            "ended_on": LAST_DAY,
        },
    )
    _succeeded(town, [name for name, *_ in COMMUNES], "Địa bàn của thị xã (minh họa, hư cấu)")
    for name, short, kind, aliases, successors in HISTORY:
        unit, _ = Unit.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "aliases": aliases,
                "parent": town,
                "ended_on": LAST_DAY,
            },
        )
        _succeeded(unit, successors, HISTORY_NOTE)
    users = get_user_model()
    for username, full_name, role, unit_name in USERS:
        if users.objects.filter(username=username).exists():
            continue
        user = users.objects.create_user(
            username,
            password=PASSWORD,
            first_name=full_name,
            is_staff=role == Profile.Role.ADMIN,
            is_superuser=role == Profile.Role.ADMIN,
        )
        unit = Unit.objects.get(name=unit_name) if unit_name else None
        Profile.objects.create(user=user, role=role, unit=unit)


def _succeeded(unit: Unit, names: list[str], note: str) -> None:
    for name in names:
        UnitSuccession.objects.get_or_create(
            predecessor=unit,
            successor=Unit.objects.get(name=name),
            defaults={"on": TWO_TIER_FROM, "note": note},
        )


def ingest_samples() -> list[IngestJob]:
    samples = resources.files("cchc") / "samples"
    jobs = []
    for path in sorted(samples.iterdir()):
        if path.name == "README.md" or path.name.startswith("."):
            continue
        jobs.append(ingest_file(path, direction="den"))
    return jobs


def load() -> list[IngestJob]:
    create_deployment()
    jobs = ingest_samples()
    create_flow(jobs)
    create_par()
    return jobs


# What the demo's leader decided on each sample (by file name); the others wait for direction.
DIRECTED = ("cong-van-tang-cuong-cchc.txt", "ke-hoach-cchc-2026.md", "quyet-dinh-kiem-tra-cchc.txt")
# The person of each unit who is named on its confirmed tasks.
ASSIGNEES = {
    "Sở Nội vụ": "noivu",
    "UBND phường An Lạc": "anlac",
    "Văn phòng UBND tỉnh": "vanphong",
}
# The unit the leader gives a task no unit of today is named for (the samples name the thị xã's
# bodies: those that became one unit are matched to it; the rest the leader gives here).
HOME = "Sở Nội vụ"


def create_flow(jobs: list[IngestJob]) -> None:
    """The flow of Nghị định 30 on the samples, as the demo's people would run it: the văn thư
    submits every incoming document; the leader directs three (their proposals confirmed on
    units of today, the people named, the least likely discarded), and two wait for direction
    with their proposals; Sở Nội vụ finishes one task after its deadline and answers the công
    văn with an issued report."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from cchc.web.outgoing import services as outgoing
    from cchc.web.outgoing.models import DraftReview
    from cchc.web.work import assign, flow
    from cchc.web.work.models import Task

    users = {u.username: u for u in get_user_model().objects.all()}
    docs = {job.original_name: job.document for job in jobs if job.document_id}
    home = Unit.objects.get(name=HOME)
    for name, doc in docs.items():
        if doc.handling == Document.Handling.REGISTERED:
            docs[name] = flow.submit(doc, users["vanthu"])
    for name in DIRECTED:
        doc = docs.get(name)
        if doc is None or doc.handling != Document.Handling.WAITING:
            continue
        decisions = []
        for task in flow.proposals(doc):
            if (task.confidence or 0) < 0.5:  # what the leader reads as junk
                decisions.append(flow.Decision(task, "discard"))
                continue
            edits = flow.Edits()
            gone = task.unit is not None and task.unit.ended_on is not None
            if (task.unit is None or gone) and not task.collective:  # the leader names it
                edits = flow.Edits(unit=home, unit_set=True)
            person = ASSIGNEES.get((task.unit or edits.unit or home).name)
            if person and not task.collective:
                edits.assignee, edits.assignee_set = users[person], True
            decisions.append(flow.Decision(task, "confirm", edits))
        flow.direct(
            doc, users["lanhdao"], "Giao các đơn vị thực hiện đúng hạn.", "direct", decisions
        )
    congvan = docs.get("cong-van-tang-cuong-cchc.txt")
    if congvan is None:
        return
    mine = Task.work.filter(document=congvan, unit=home, collective=False).order_by("deadline")
    late = mine.filter(deadline__lt=timezone.localdate()).first()
    if late is not None:  # finished after its deadline: late in every rate and report
        assign.set_status(late, Task.Status.DONE, users["noivu"], "Đã hoàn thành (trễ hạn).")
    answered = mine.exclude(status=Task.Status.DONE).last()
    report = SimpleUploadedFile(
        "bao-cao-tra-loi.txt",
        "ỦY BAN NHÂN DÂN TỈNH BÌNH LONG\nBÁO CÁO\nKết quả thực hiện nhiệm vụ cải cách hành chính "
        f"theo Công văn số {congvan.number or '…'}\n(văn bản minh họa)\n".encode(),
    )
    draft = outgoing.create_draft(
        users["noivu"],
        subject=f"Báo cáo kết quả thực hiện Công văn số {congvan.number or '…'}",
        type="Báo cáo",
        unit=home,
        upload=report,
        recipients="Như trên;\nLưu: VT, SNV.",
        answers=[congvan],
    )
    outgoing.submit(draft, users["noivu"])
    outgoing.review(draft, users["lanhdao"], DraftReview.Decision.APPROVE, "Đồng ý ban hành.")
    outgoing.give_number(draft, users["vanthu"])
    outgoing.issue(draft, users["vanthu"], timezone.localdate())
    if answered is not None:
        outgoing.close_answered(draft, users["noivu"], [answered.pk])


def _demo_value(criterion, fraction: float) -> Decimal:
    """An entry for a criterion from a fraction of its maximum, as its scoring method takes it."""
    if criterion.scoring == "yesno":
        return Decimal(int(fraction > 0.7))
    if criterion.scoring == "ratio":
        return Decimal(str(round(fraction, 2)))
    if criterion.scoring == "scale":
        return Decimal(round(fraction * (criterion.scale_levels or 4)))
    return (Decimal(str(fraction)) * criterion.max_points * 4).quantize(Decimal(1)) / 4


def create_par() -> None:
    """Frameworks shipped as data; two years of illustrative assessments of the phường/xã
    under the sample framework (scores invented for the demo, from a fixed seed), appraised and
    published; and the current year under the made-up 2026 commune framework, its five
    criteria pre-filled from the work the demo tracks (plans, reports, tasks, inspections,
    documents), left as a draft for the unit to finish."""
    from cchc.par.framework import shipped
    from cchc.web.par import services
    from cchc.web.par.models import Framework
    from cchc.web.survey.demo import load_demo as load_survey_demo

    if Framework.objects.exists():
        return
    admin = get_user_model().objects.get(username="quantri")
    frameworks = shipped()
    stored = {stem: services.import_framework(data, admin) for stem, data in frameworks.items()}
    sample = frameworks["minh-hoa-huyen"]
    communes = services.import_framework(
        replace(sample, name=sample.name.replace("cấp huyện", "cấp xã"), level="xa", year=None),
        admin,
    )
    random = Random(2026)
    units = list(Unit.objects.filter(kind=Unit.Kind.COMMUNE))
    leaves = list(communes.criteria.filter(is_leaf=True))
    for year in (2024, 2025):
        for n, unit in enumerate(units):
            assessment = services.open_assessment(communes, unit, year)
            level = 0.6 + 0.07 * ((n + year) % 5)
            entries = {
                c.pk: (_demo_value(c, min(1.0, max(0.0, random.gauss(level, 0.15)))), "")
                for c in leaves
            }
            services.save_self_assessment(assessment, entries, admin)
            services.advance(assessment, "submit", admin)
            cut = random.choice(leaves)
            claimed = assessment.scores.get(criterion=cut).self_points
            if claimed:
                services.save_appraisal(
                    assessment, {cut.pk: (claimed / 2, "Minh chứng chưa đầy đủ (minh họa)")}, admin
                )
            for step in ("appraise", "accept", "lock", "publish"):  # no dispute in the demo
                services.advance(assessment, step, admin)
    current = stored.get("minh-hoa-xa-2026")
    anlac = Unit.objects.get(name="UBND phường An Lạc")
    if current is None:
        services.open_assessment(communes, anlac, 2026)
        return
    draft = services.open_assessment(current, anlac, 2026)
    services.prefill(draft, admin)
    load_survey_demo(draft, admin)  # --- survey ---


def logins() -> str:
    rows = [
        f"  {u:<10} {PASSWORD}   {dict(Profile.Role.choices)[r]}{' – ' + unit if unit else ''}"
        for u, _n, r, unit in USERS
    ]
    return "\n".join(
        [
            f"Tỉnh Bình Long và thị xã An Phú cũ ({FICTIONAL}).",
            "Tài khoản demo (tên đăng nhập, mật khẩu, vai trò):",
            *rows,
        ]
    )


def summary() -> str:
    incoming = Document.objects.filter(direction=Document.Direction.INCOMING).count()
    outgoing = Document.objects.filter(direction=Document.Direction.OUTGOING).count()
    return f"{incoming} văn bản đến, {outgoing} văn bản đi trong sổ"

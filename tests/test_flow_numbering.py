"""Số đến and số văn bản đi run on per year, per register (issue 15 §1, §3): a new year starts
again at 1, a year's sequence is never continued by another year's or another register's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.web.accounts.models import Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document, Register, RegisterCounter
from cchc.web.outgoing import services
from cchc.web.work import flow

FIXTURE = Path(__file__).parent / "fixtures" / "cong-van-giao-viec-noi-vu-an-lac.txt"


def _user(name: str):
    return get_user_model().objects.get(username=name)


def test_so_den_runs_on_per_year_and_per_register(deployment, sample_path):
    this_year = timezone.localdate().year
    incoming = Register.default(Document.Direction.INCOMING)
    secret = Register.objects.create(name="Sổ văn bản mật đến", direction="den", secret=True)
    # last year the register reached 300; the secret register has its own count this year
    RegisterCounter.objects.create(register=incoming, year=this_year - 1, last=300)
    RegisterCounter.objects.create(register=secret, year=this_year, last=7)

    first = ingest_file(FIXTURE, _user("vanthu")).document
    assert (first.register, first.received_date.year, first.incoming_number) == (
        incoming,
        this_year,
        1,
    )  # a new year starts at 1, not 301

    # an officer's upload received on 31/12 of last year: the văn thư numbers it in that year
    late = ingest_file(sample_path("thong-bao-ket-luan.txt"), _user("noivu")).document
    assert late.incoming_number is None
    Document.objects.filter(pk=late.pk).update(received_date=date(this_year - 1, 12, 31))
    late.refresh_from_db()
    flow.save_intake(late, {"register": incoming}, _user("vanthu"))
    late.refresh_from_db()
    assert late.incoming_number == 301

    # the next one of this year goes on from this year's number, in its own register
    second = ingest_file(sample_path("quyet-dinh-kiem-tra-cchc.txt"), _user("vanthu")).document
    assert second.incoming_number == 2
    flow.save_intake(second, {"register": secret}, _user("vanthu"))
    second.refresh_from_db()
    assert (second.register, second.incoming_number) == (secret, 8)
    counters = {(c.register_id, c.year): c.last for c in RegisterCounter.objects.filter(last__gt=0)}
    assert counters == {
        (incoming.pk, this_year - 1): 301,
        (incoming.pk, this_year): 2,
        (secret.pk, this_year): 8,
    }


def _approved(subject: str):
    draft = services.create_draft(
        _user("noivu"),
        subject=subject,
        type="Công văn",
        unit=Unit.objects.get(name="Sở Nội vụ"),
        upload=SimpleUploadedFile(f"{len(subject)}.txt", subject.encode()),
    )
    services.submit(draft, _user("noivu"))
    services.review(draft, _user("lanhdao"), "duyet")
    return draft


def test_outgoing_numbers_run_on_per_year_and_per_register(deployment):
    this_year = timezone.localdate().year
    outgoing = Register.default(Document.Direction.OUTGOING)
    secret = Register.objects.create(name="Sổ văn bản đi mật", direction="di", secret=True)
    RegisterCounter.objects.create(register=outgoing, year=this_year - 1, last=812)

    first = services.give_number(_approved("V/v báo cáo quý I"), _user("vanthu"))
    assert (first.year, first.number, first.notation) == (this_year, 1, "1/UBND-SNV")
    second = services.give_number(_approved("V/v báo cáo quý II"), _user("vanthu"))
    assert (second.number, second.notation) == (2, "2/UBND-SNV")
    apart = services.give_number(_approved("V/v tài liệu mật"), _user("vanthu"), register=secret)
    assert (apart.register, apart.number) == (secret, 1)
    assert RegisterCounter.objects.get(register=outgoing, year=this_year - 1).last == 812

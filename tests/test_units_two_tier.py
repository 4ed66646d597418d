"""Units as they are since 1 July 2025: a province seeded from the `vietnam-provinces` package,
the old → new mapping, ended units kept readable but never offered for new work, and the demo
deployment in the two-tier model."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from cchc.web.accounts import services
from cchc.web.accounts.models import AuditEntry, Unit, UnitSuccession

vietnam_provinces = pytest.importorskip("vietnam_provinces")

LAI_CHAU = 12  # a small province: 38 xã/phường


def package_wards(code: int) -> list:
    return list(vietnam_provinces.Ward.iter_by_province(vietnam_provinces.ProvinceCode(code)))


# --- seeding from the package ----------------------------------------------------------------


def test_seeding_a_province_creates_its_ubnd_the_standard_so_and_every_commune_with_codes(db):
    result = services.seed_province("Lai Châu")
    head = Unit.objects.get(admin_code="12")
    assert head == result.province and head.name == "UBND tỉnh Lai Châu"
    assert head.kind == Unit.Kind.PROVINCE and head.division == Unit.Division.PROVINCE
    bodies = Unit.objects.filter(parent=head, kind=Unit.Kind.PROVINCE_BODY)
    assert {"Sở Nội vụ", "Văn phòng UBND tỉnh", "Thanh tra tỉnh"} <= set(
        bodies.values_list("name", flat=True)
    )
    assert bodies.count() == len(services.standard_bodies()["province"]) == 12
    communes = Unit.objects.filter(parent=head, kind=Unit.Kind.COMMUNE)
    wards = package_wards(LAI_CHAU)
    assert communes.count() == len(wards) and len(wards) > 30
    codes = dict(communes.values_list("admin_code", "name"))
    for ward in wards:
        assert codes[f"{int(ward.code):05d}"] == f"UBND {ward.name[0].lower()}{ward.name[1:]}"
    kinds = {str(w.division_type.value) for w in wards}
    assert set(communes.values_list("division", flat=True)) == {
        services._DIVISIONS[k] for k in kinds
    }
    assert len(result.created) == 1 + 12 + len(wards)
    assert AuditEntry.objects.filter(action="unit-seed", object_id=str(head.pk)).exists()


def test_seeding_again_changes_nothing(db):
    services.seed_province("12")
    before = sorted(Unit.objects.values_list("pk", "name", "admin_code", "parent_id"))
    again = services.seed_province("tỉnh Lai Châu")
    assert again.created == [] and again.updated == []
    assert again.unchanged == len(before)
    assert sorted(Unit.objects.values_list("pk", "name", "admin_code", "parent_id")) == before


def test_a_unit_already_typed_by_name_gets_its_code_instead_of_a_twin(db):
    ward = package_wards(LAI_CHAU)[0]
    name = services.ubnd_name(ward.name)
    typed = Unit.objects.create(name=name, kind=Unit.Kind.COMMUNE)
    services.seed_province("Lai Châu")
    typed.refresh_from_db()
    assert typed.admin_code == f"{int(ward.code):05d}"
    assert Unit.objects.filter(name__startswith=name).count() == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [("99", "không có tỉnh, thành phố mã 99"), ("Bình Phước", "không có tỉnh, thành phố tên")],
)
def test_an_unknown_province_is_refused_with_a_clear_message(db, query, message):
    with pytest.raises(services.UnitDataError, match=message):
        services.seed_province(query)
    assert not Unit.objects.exists()


def test_the_units_seed_command_seeds_and_reports(db, monkeypatch):
    from click.testing import CliRunner

    from cchc import cli_units

    monkeypatch.setattr(cli_units, "_setup", lambda: services)
    runner = CliRunner()
    first = runner.invoke(cli_units.units_group, ["seed", "--province", "Lai Châu"])
    assert first.exit_code == 0 and "UBND tỉnh Lai Châu: tạo mới" in first.output
    second = runner.invoke(cli_units.units_group, ["seed", "--province", "Lai Châu"])
    assert "tạo mới 0, cập nhật 0" in second.output
    wrong = runner.invoke(cli_units.units_group, ["seed", "--province", "Atlantis"])
    assert wrong.exit_code == 2 and "Atlantis" in wrong.output


# --- old → new -------------------------------------------------------------------------------


def write(tmp_path, text: str):
    path = tmp_path / "sap-xep.csv"
    path.write_text(text, "utf-8")
    return path


def test_a_mapping_file_ends_the_old_units_and_names_their_successors(db, tmp_path):
    from cchc.web.work import assign

    services.seed_province("Lai Châu")
    first, second = package_wards(LAI_CHAU)[:2]
    new_code = f"{int(first.code):05d}"
    new = Unit.objects.get(admin_code=new_code)
    path = write(
        tmp_path,
        "old;new;date;note\n"
        f"UBND xã Nậm Cũ;{new_code};1/7/2025;NQ sắp xếp (ví dụ)\n"
        f"UBND thị trấn Cũ;{services.ubnd_name(second.name)};2025-07-01;\n",
    )
    done = services.import_mapping(path)
    assert len(done) == 2
    old = Unit.objects.get(name="UBND xã Nậm Cũ")
    assert old.ended_on == date(2025, 6, 30) and old.kind == Unit.Kind.COMMUNE
    assert list(old.successors.all()) == [new]
    assert old.history_label() == f"UBND xã Nậm Cũ (nay là {new.name})"
    # a document of 2024 naming the old xã gives its work to the new one
    assert assign.match_unit("Chủ tịch UBND xã Nậm Cũ") == new.pk
    assert services.resolve_current(old.pk) == new.pk
    # importing the same file again adds nothing
    services.import_mapping(path)
    assert UnitSuccession.objects.count() == 2


def test_a_bad_mapping_row_stores_nothing_and_names_the_row(db, tmp_path):
    services.seed_province("Lai Châu")
    ward = package_wards(LAI_CHAU)[0]
    path = write(
        tmp_path,
        "old,new,date\n"
        f"UBND xã Một,{int(ward.code):05d},1/7/2025\n"
        "UBND xã Hai,UBND xã Không Có,1/7/2025\n"
        f"UBND xã Ba,{int(ward.code):05d},31/02/2025\n",
    )
    with pytest.raises(services.UnitDataError) as err:
        services.import_mapping(path)
    assert "sap-xep.csv, dòng 3" in str(err.value) and "UBND xã Không Có" in str(err.value)
    assert "dòng 4" in str(err.value)
    assert not Unit.objects.filter(name__in=["UBND xã Một", "UBND xã Hai"]).exists()
    assert not UnitSuccession.objects.exists()


def test_a_mapping_file_without_its_columns_is_refused(db, tmp_path):
    with pytest.raises(services.UnitDataError, match="cần tiêu đề old,new,date"):
        services.import_mapping(write(tmp_path, "cu,moi\nA,B\n"))


def test_a_unit_that_became_several_is_left_for_a_person_to_choose(deployment):
    from cchc.web.work import assign

    town = Unit.objects.get(name="UBND thị xã An Phú")
    assert {u.name for u in town.current()} == {"UBND phường An Lạc", "UBND xã Phú Mỹ"}
    assert assign.match_unit("UBND thị xã An Phú") == town.pk
    assert services.resolve_current(town.pk) == town.pk
    assert "nay là UBND phường An Lạc, UBND xã Phú Mỹ" in town.history_label()


# --- ended units: kept, readable, never offered -------------------------------------------


def test_ended_units_are_not_offered_for_new_work(deployment):
    from cchc.web.outgoing.views import DraftForm
    from cchc.web.work import flow
    from cchc.web.work.forms import TaskFields

    ended = set(Unit.objects.ended().values_list("pk", flat=True))
    assert len(ended) == 14
    leader = get_user_model().objects.get(username="lanhdao")
    offered = [
        TaskFields().fields["unit"].queryset,
        DraftForm(user=leader).fields["unit"].queryset,
        flow.assignable_units(leader, None),
    ]
    for queryset in filter(None, offered):
        pks = set(queryset.values_list("pk", flat=True))
        assert pks and not pks & ended
    form = TaskFields({"action": "Rà soát", "unit": Unit.objects.get(name="Phòng Nội vụ").pk})
    assert not form.is_valid() and "unit" in form.errors


def test_the_index_offers_units_of_today_and_its_reports_speak_for_the_province(deployment):
    from cchc.web.par import reports
    from cchc.web.par.forms import CommitmentForm, OpenAssessmentForm

    ended = set(Unit.objects.ended().values_list("pk", flat=True))
    for queryset in (
        OpenAssessmentForm().fields["units"].queryset,
        CommitmentForm().fields["unit"].queryset,
    ):
        pks = set(queryset.values_list("pk", flat=True))
        assert pks and not pks & ended
    assert reports._issuer() == ("ỦY BAN NHÂN DÂN TỈNH BÌNH LONG", "Bình Long")


def test_the_api_refuses_an_ended_unit_on_a_proposal(deployment, login, sample_path):
    from cchc.web.documents.ingest import ingest_file

    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    proposal = doc.tasks.filter(parent=None, collective=False).first()
    client = login("lanhdao")
    answer = client.patch(
        f"/api/proposals/{proposal.pk}/",
        {"unit": Unit.objects.get(name="Phòng Nội vụ").pk},
        content_type="application/json",
    )
    assert answer.status_code == 400


def test_confirming_work_on_a_unit_that_ended_is_refused(deployment, sample_path):
    from cchc.web.documents.ingest import ingest_file
    from cchc.web.work import flow
    from cchc.web.work.models import Task

    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    users = {u.username: u for u in get_user_model().objects.all()}
    doc = flow.submit(doc, users["vanthu"])
    task = doc.tasks.filter(parent=None, collective=False).first()
    Task.objects.filter(pk=task.pk).update(unit=Unit.objects.get(name="UBND thị xã An Phú"))
    task.refresh_from_db()
    with pytest.raises(flow.FlowError, match="đã kết thúc"):
        flow.confirm(task, users["lanhdao"])


def test_work_and_documents_of_an_ended_unit_stay_readable(deployment, login):
    from cchc.web.work.models import Task

    old = Unit.objects.get(name="Phòng Nội vụ")
    task = Task.objects.create(unit=old, action="Báo cáo CCHC năm 2024", deadline="2024-12-15")
    client = login("lanhdao")
    page = client.get(f"/cong-viec/{task.pk}/")
    assert page.status_code == 200 and "Báo cáo CCHC năm 2024" in page.content.decode()
    units = client.get("/don-vi/").content.decode()
    assert "đã kết thúc 30/06/2025" in units and "nay là Sở Nội vụ" in units
    assert Unit.objects.filter(pk=old.pk).exists()  # ended, never deleted


def test_the_admin_marks_ended_units_and_deletes_none(deployment, client):
    from django.contrib.admin.sites import site

    admin = site._registry[Unit]
    old = Unit.objects.get(name="Phòng Nội vụ")
    assert admin.status(old) == "đã kết thúc 30/06/2025"
    assert admin.status(Unit.objects.get(name="Sở Nội vụ")) == "đang hoạt động"
    assert admin.has_delete_permission(None, old) is False


# --- the demo deployment -----------------------------------------------------------------------


def test_the_demo_is_a_two_tier_province_with_the_former_town_as_history(deployment):
    province = Unit.objects.get(name="UBND tỉnh Bình Long")
    assert province.ended_on is None and province.parent is None
    assert Unit.objects.active().filter(parent=None).get() == province
    sos = Unit.objects.active().filter(kind=Unit.Kind.PROVINCE_BODY, parent=province)
    assert sos.count() == 12
    communes = Unit.objects.active().filter(kind=Unit.Kind.COMMUNE)
    assert set(communes.values_list("name", "division")) == {
        ("UBND phường An Lạc", Unit.Division.WARD),
        ("UBND xã Phú Mỹ", Unit.Division.COMMUNE),
    }
    assert not Unit.objects.active().filter(kind__in=[Unit.Kind.DISTRICT, Unit.Kind.DEPARTMENT])
    town = Unit.objects.get(name="UBND thị xã An Phú")
    assert town.ended_on == date(2025, 6, 30) and town.division == Unit.Division.TOWN
    for unit in Unit.objects.ended():
        assert unit.ended_on == date(2025, 6, 30)
        assert unit.current() and all(u.ended_on is None for u in unit.current())
    assert [u.name for u in Unit.objects.get(name="Phòng Nội vụ").current()] == ["Sở Nội vụ"]
    assert {u.name for u in Unit.objects.get(name="UBND phường An Hòa").current()} == {
        "UBND phường An Lạc"
    }
    assert {u.name for u in Unit.objects.get(name="UBND phường An Lạc").lineage()} == {
        "UBND phường An Lạc",
        "UBND phường An Hòa",
        "UBND phường Phú Thịnh",
        "UBND thị xã An Phú",
    }
    for user in get_user_model().objects.select_related("profile__unit"):
        unit = user.profile.unit
        assert unit is None or unit.ended_on is None, user.username


def test_the_demo_deployment_is_created_once(deployment):
    counts = (Unit.objects.count(), UnitSuccession.objects.count())
    deployment.create_deployment()
    assert (Unit.objects.count(), UnitSuccession.objects.count()) == counts


def test_the_demo_flow_gives_work_to_units_of_today(deployment):
    from cchc.web.documents.models import Document
    from cchc.web.work.models import Task

    jobs = deployment.ingest_samples()
    deployment.create_flow(jobs)
    directed = Document.objects.filter(handling=Document.Handling.DIRECTED)
    assert directed.count() == 3
    work = Task.work.filter(document__in=directed).exclude(unit=None)
    assert work.count() > 10
    assert not work.filter(unit__ended_on__isnull=False).exists()
    assert work.filter(unit__name="Sở Nội vụ", assignee__username="noivu").exists()
    assert work.filter(unit__name="UBND phường An Lạc").exists()

"""Editing makes a draft; publishing makes it the current version and supersedes the previous one,
audited, by a catalogue administrator or a leader over the procedure's owner unit only."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_seal, audit_verify
from motcua.catalog.content import ContentError, content_of
from motcua.catalog.models import Procedure, ProcedureVersion, VersionStatus
from motcua.catalog.services import (
    CatalogError,
    procedure_create,
    procedure_draft_discard,
    procedure_draft_save,
    procedure_publish,
)
from tests.catalog.factories import make_content


def edit(actor, procedure, **changes):
    content = {**content_of(procedure.latest_version()), **changes}
    return procedure_draft_save(actor=actor, procedure=procedure, content=content)


def test_it_keeps_the_published_text_while_a_draft_is_edited(catalog, org, client):
    residence = catalog.residence
    edit(org["danhmuc"], residence, name="Đăng ký thường trú (dự thảo)", time_value=5)

    residence.refresh_from_db()
    assert residence.name == "Đăng ký thường trú"
    assert residence.current_version.time_value == 7
    html = client.get("/tthc/1.004194/").content.decode()
    assert "(dự thảo)" not in html
    assert "7 ngày làm việc" in html


def test_it_never_shows_a_procedure_that_was_only_drafted(catalog, org, client):
    procedure_create(
        actor=org["danhmuc"],
        code="1.004222",
        owner_unit=org.units["PC06"],
        content=make_content(name="Xóa đăng ký thường trú"),
    )
    assert client.get("/tthc/1.004222/").status_code == 404
    assert client.get("/tthc/1.004222/v/1/").status_code == 404
    assert client.get("/tthc/1.004222/poster.pdf").status_code == 404
    assert "Xóa đăng ký thường trú" not in client.get("/tthc/?q=xoa").content.decode()
    assert client.get("/api/v1/procedures/1.004222").status_code == 404


def test_it_makes_the_draft_the_numbered_current_version_and_supersedes_the_old(catalog, org):
    residence = catalog.residence
    first = residence.current_version
    edit(org["danhmuc"], residence, time_value=5)
    second = procedure_publish(
        actor=org["lanhdao.pc06"], procedure=residence, effective_from=timezone.localdate()
    )

    residence.refresh_from_db()
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert residence.current_version == second
    assert first.superseded_at is not None and first.is_superseded
    assert second.published_by == org["lanhdao.pc06"]
    assert residence.draft() is None
    assert set(residence.versions.values_list("status", flat=True)) == {VersionStatus.PUBLISHED}


def test_it_audits_every_save_and_publish_in_the_chain(catalog, org):
    edit(org["danhmuc"], catalog.residence, time_value=5)
    procedure_publish(actor=org["danhmuc"], procedure=catalog.residence)

    entry = AuditEntry.objects.filter(action="catalog.publish").order_by("-id").first()
    assert entry.actor == org["danhmuc"]
    assert entry.changes["code"] == "1.004194"
    assert entry.changes["version"] == 2
    assert entry.changes["previous_version"] == 1
    assert entry.changes["components"] == ["time"]
    assert AuditEntry.objects.filter(action="catalog.draft.save").exists()
    assert audit_seal() > 0
    assert audit_verify().rows > 0


def test_it_lets_a_leader_publish_only_their_own_units_procedures(catalog, org):
    edit(org["danhmuc"], catalog.passport, time_value=5)  # PA08's procedure
    with pytest.raises(PermissionDenied):
        procedure_publish(actor=org["lanhdao.pc06"], procedure=catalog.passport)
    with pytest.raises(PermissionDenied):
        procedure_publish(actor=org["lanhdao.vinhphu"], procedure=catalog.passport)
    assert catalog.passport.versions.count() == 2  # v1 and the untouched draft


@pytest.mark.parametrize("username", ["tiepnhan.vinhphu", "lanhdao.pc06", "thanhtra"])
def test_it_refuses_edits_from_people_who_do_not_keep_the_catalogue(catalog, org, username):
    with pytest.raises(PermissionDenied):
        edit(org[username], catalog.residence, time_value=1)
    assert catalog.residence.draft() is None


def test_it_refuses_to_publish_without_a_draft_or_with_nothing_changed(catalog, org):
    with pytest.raises(CatalogError, match="Không có bản nháp"):
        procedure_publish(actor=org["danhmuc"], procedure=catalog.residence)
    # A draft identical to the current version is saved as nothing at all.
    assert edit(org["danhmuc"], catalog.residence) is None


def test_it_refuses_an_effective_date_in_the_future_or_before_the_current_one(catalog, org):
    edit(org["danhmuc"], catalog.residence, time_value=5)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CatalogError, match="sau hôm nay"):
        procedure_publish(
            actor=org["danhmuc"], procedure=catalog.residence, effective_from=tomorrow
        )
    with pytest.raises(CatalogError, match="01/07/2025"):
        procedure_publish(
            actor=org["danhmuc"], procedure=catalog.residence, effective_from=date(2025, 1, 1)
        )
    assert catalog.residence.versions.filter(status=VersionStatus.PUBLISHED).count() == 1


def test_it_discards_a_draft_and_keeps_the_current_version(catalog, org):
    edit(org["danhmuc"], catalog.residence, time_value=5)
    procedure_draft_discard(actor=org["danhmuc"], procedure=catalog.residence)
    assert catalog.residence.draft() is None
    assert ProcedureVersion.objects.filter(procedure=catalog.residence).count() == 1


def test_it_explains_every_problem_of_invalid_content_at_once(catalog, org):
    with pytest.raises(ContentError) as caught:
        edit(
            org["danhmuc"],
            catalog.residence,
            name="",
            handling_units=["KHONGCO"],
            online_level="full",
            channels=["desk"],
            time_unit="weeks",
            fees=[{"name": "Lệ phí", "desk": "hai mươi nghìn", "online": None}],
        )
    errors = caught.value.errors
    assert set(errors) >= {"name", "handling_units", "online_level", "time_unit", "fees"}
    assert "KHONGCO" in errors["handling_units"][0]
    assert "phải là số nguyên" in errors["fees"][0]
    assert catalog.residence.draft() is None


def test_it_rejects_a_malformed_or_duplicate_code(catalog, org):
    with pytest.raises(CatalogError, match="ví dụ 1.001234"):
        procedure_create(
            actor=org["danhmuc"],
            code="TTHC-1",
            owner_unit=org.units["PC06"],
            content=make_content(),
        )
    with pytest.raises(CatalogError, match="Đã có thủ tục mã 1.004194"):
        procedure_create(
            actor=org["danhmuc"],
            code=" 1.004194 ",
            owner_unit=org.units["PC06"],
            content=make_content(),
        )
    procedure_create(
        actor=org["danhmuc"],
        code="1.004194.h40",
        owner_unit=org.units["PC06"],
        content=make_content(),
    )
    assert Procedure.objects.filter(code="1.004194.H40").exists()

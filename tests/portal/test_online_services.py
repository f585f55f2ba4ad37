"""Online applications, service by service: a citizen saves and submits, the desk of Công an
phường Vinh Phú accepts, returns once or refuses. Frozen at 16:00 on Friday 27/11/2026."""

from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings

from motcua.audit.models import AuditEntry
from motcua.dossiers.errors import InvalidInput, InvalidState, NotAllowed, NotFound
from motcua.dossiers.models import Channel, Dossier, DossierFile, Status
from motcua.portal.online import services
from motcua.portal.online.models import ApplicationFile, AppStatus, OnlineApplication
from motcua.worktime.core import VN_TZ
from tests.portal.online_story import APPLICANT, MANDATORY, all_photos, lan, photo


@pytest.fixture
def citizen_lan(db):
    return lan()


def save(citizen, version, desk, *, key=None, submit=False, files=None, revision=None, **kw):
    return services.application_save(
        citizen=citizen,
        idempotency_key=key or services.new_key(),
        procedure_version=version,
        desk=desk,
        applicant=kw.pop("applicant", APPLICANT),
        request_summary=kw.pop("request_summary", "Đăng ký tạm trú tại nhà người thân"),
        files=all_photos() if files is None else files,
        revision=revision,
        submit=submit,
    )


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "online"
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_it_saves_a_draft_that_no_count_sees(org, tam_tru, desk_vinhphu, citizen_lan):
    app, changed = save(citizen_lan, tam_tru, desk_vinhphu, files={MANDATORY[0]: photo()})
    assert changed and app.status == AppStatus.DRAFT
    assert app.submitted_at is None
    assert [f.component for f in app.files.all()] == [MANDATORY[0]]
    assert Dossier.objects.count() == 0
    assert list(app.events.values_list("kind", flat=True)) == ["draft_saved"]
    assert AuditEntry.objects.filter(action="online.draft_saved").count() == 1


def test_it_resumes_a_draft_and_submits_it(org, tam_tru, desk_vinhphu, citizen_lan):
    key = services.new_key()
    draft, _ = save(citizen_lan, tam_tru, desk_vinhphu, key=key, files={MANDATORY[0]: photo()})
    app, changed = save(
        citizen_lan,
        tam_tru,
        desk_vinhphu,
        key=key,
        revision=draft.revision,
        files={MANDATORY[1]: photo("cho-o.png")},
        submit=True,
    )
    assert changed and app.pk == draft.pk
    assert app.status == AppStatus.SUBMITTED and app.submitted_at is not None
    assert sorted(app.files.values_list("component", flat=True)) == sorted(MANDATORY)
    assert list(app.events.values_list("kind", flat=True)) == ["draft_saved", "submitted"]


def test_it_refuses_to_submit_without_a_mandatory_document(org, tam_tru, desk_vinhphu, citizen_lan):
    with pytest.raises(InvalidInput, match="Còn thiếu giấy tờ bắt buộc") as error:
        save(citizen_lan, tam_tru, desk_vinhphu, files={MANDATORY[0]: photo()}, submit=True)
    assert MANDATORY[1] in error.value.message
    assert OnlineApplication.objects.count() == 0
    assert ApplicationFile.objects.count() == 0


def test_it_refuses_to_submit_a_bad_id_number(org, tam_tru, desk_vinhphu, citizen_lan):
    with pytest.raises(InvalidInput) as error:
        save(
            citizen_lan,
            tam_tru,
            desk_vinhphu,
            applicant={**APPLICANT, "id_number": "12345"},
            submit=True,
        )
    assert "id_number" in error.value.fields
    assert OnlineApplication.objects.count() == 0


def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_stored(
    org, tam_tru, desk_vinhphu, citizen_lan
):
    before = stored_files()
    files = {
        MANDATORY[0]: photo(),
        MANDATORY[1]: photo("hop-dong.exe", b"MZ\x90\x00 not a picture"),
    }
    with pytest.raises(InvalidInput, match="không phải PDF, JPEG hay PNG"):
        save(citizen_lan, tam_tru, desk_vinhphu, files=files, submit=True)
    assert OnlineApplication.objects.count() == 0
    assert ApplicationFile.objects.count() == 0
    assert stored_files() == before


def test_a_replayed_or_double_tapped_form_never_makes_a_second_application(
    org, tam_tru, desk_vinhphu, citizen_lan
):
    key = services.new_key()
    first, changed = save(citizen_lan, tam_tru, desk_vinhphu, key=key, submit=True)
    again, changed_again = save(citizen_lan, tam_tru, desk_vinhphu, key=key, submit=True)
    assert changed and not changed_again
    assert again.pk == first.pk
    assert OnlineApplication.objects.count() == 1
    assert ApplicationFile.objects.count() == len(MANDATORY)
    assert list(again.events.values_list("kind", flat=True)) == ["submitted"]


def test_another_citizens_key_finds_nothing(org, tam_tru, desk_vinhphu, citizen_lan):
    from motcua.portal.citizens import citizen_upsert

    key = services.new_key()
    save(citizen_lan, tam_tru, desk_vinhphu, key=key)
    hung = citizen_upsert(id_number="040085000456", full_name="Trần Văn Hùng")
    with pytest.raises(NotFound):
        save(hung, tam_tru, desk_vinhphu, key=key, revision=1, submit=True)
    assert OnlineApplication.objects.get().citizen == citizen_lan


def test_staff_cannot_apply_online_and_a_bad_key_is_refused(
    org, tam_tru, desk_vinhphu, citizen_lan
):
    with pytest.raises(NotAllowed):
        save(org["tiepnhan.vinhphu"], tam_tru, desk_vinhphu)
    with pytest.raises(InvalidInput, match="tải lại trang"):
        save(citizen_lan, tam_tru, desk_vinhphu, key="../../etc")


def test_a_procedure_without_online_service_is_refused(org, desk_vinhphu, citizen_lan):
    from tests.dossiers.stories import publish

    counter_only = publish(org, "1.000001", online_level="none", channels=["desk"])
    with pytest.raises(InvalidInput, match="không nhận hồ sơ trực tuyến"):
        save(citizen_lan, counter_only, desk_vinhphu)


def test_the_expected_due_is_what_intake_would_set(org, tam_tru, desk_vinhphu, friday_16h):
    # 180 working minutes from Fri 16:00: 60 on Friday (until 17:00), then 07:30-09:30 Monday.
    due = services.expected_due(tam_tru, desk_vinhphu)
    assert due == datetime(2026, 11, 30, 9, 30, tzinfo=VN_TZ)


def test_the_desk_accepts_and_the_dossier_is_online_with_the_citizens_files(
    org, tam_tru, desk_vinhphu, citizen_lan, friday_16h
):
    app, _ = save(citizen_lan, tam_tru, desk_vinhphu, submit=True)
    receptionist = org["tiepnhan.vinhphu"]
    dossier = services.application_accept(actor=receptionist, application=app)

    app.refresh_from_db()
    assert app.status == AppStatus.ACCEPTED and app.dossier == dossier
    assert dossier.channel == Channel.ONLINE
    assert dossier.submitted_by == citizen_lan
    assert dossier.applicant_name == "Nguyễn Thị Lan"
    assert dossier.status == Status.ASSIGNING  # online: electronic at once
    assert dossier.due_at == datetime(2026, 11, 30, 9, 30, tzinfo=VN_TZ)
    assert dossier.fee_amount == 7000  # the online fee
    files = DossierFile.objects.filter(dossier=dossier)
    assert sorted(f.sha256 for f in files) == sorted(app.files.values_list("sha256", flat=True))
    assert list(Dossier.objects.for_user(citizen_lan)) == [dossier]
    assert list(app.events.values_list("kind", flat=True)) == ["submitted", "accepted"]
    assert AuditEntry.objects.filter(action="online.accepted").count() == 1
    with pytest.raises(InvalidState):
        services.application_accept(actor=receptionist, application=app)
    assert Dossier.objects.count() == 1


def test_it_is_returned_once_with_every_missing_item_then_resubmitted(
    org, tam_tru, desk_vinhphu, citizen_lan
):
    key = services.new_key()
    app, _ = save(citizen_lan, tam_tru, desk_vinhphu, key=key, submit=True)
    receptionist = org["tiepnhan.vinhphu"]
    missing = ["Ảnh giấy tờ chỗ ở bị mờ, chụp lại", "Văn bản đồng ý của chủ hộ"]
    app = services.application_return(actor=receptionist, application=app, missing=missing)
    assert app.status == AppStatus.RETURNED and app.missing_items == missing

    # The form the citizen had before the return, replayed: nothing changes.
    stale, changed = save(citizen_lan, tam_tru, desk_vinhphu, key=key, revision=1, submit=True)
    assert not changed and stale.status == AppStatus.RETURNED

    app, changed = save(
        citizen_lan,
        tam_tru,
        desk_vinhphu,
        key=key,
        revision=app.revision,
        files={MANDATORY[1]: photo("ro-net.png")},
        submit=True,
    )
    assert changed and app.status == AppStatus.RESUBMITTED
    with pytest.raises(InvalidState, match="một lần"):
        services.application_return(actor=receptionist, application=app, missing=["Nữa"])
    dossier = services.application_accept(actor=receptionist, application=app)
    assert dossier.submitted_by == citizen_lan
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "returned", "resubmitted", "accepted"]


def test_a_return_must_list_what_is_missing(org, tam_tru, desk_vinhphu, citizen_lan):
    app, _ = save(citizen_lan, tam_tru, desk_vinhphu, submit=True)
    with pytest.raises(InvalidInput, match="liệt kê"):
        services.application_return(actor=org["tiepnhan.vinhphu"], application=app, missing=[" "])
    app.refresh_from_db()
    assert app.status == AppStatus.SUBMITTED


def test_the_desk_refuses_with_reasons(org, tam_tru, desk_vinhphu, citizen_lan):
    app, _ = save(citizen_lan, tam_tru, desk_vinhphu, submit=True)
    app = services.application_refuse(
        actor=org["tiepnhan.vinhphu"], application=app, reasons=["Không thuộc địa bàn phường"]
    )
    assert app.status == AppStatus.REFUSED
    assert app.refusal_reasons == ["Không thuộc địa bàn phường"]
    assert Dossier.objects.count() == 0
    with pytest.raises(InvalidState):
        services.application_accept(actor=org["tiepnhan.vinhphu"], application=app)


def test_a_sibling_units_receptionist_neither_sees_nor_acts(
    org, tam_tru, desk_vinhphu, citizen_lan
):
    app, _ = save(citizen_lan, tam_tru, desk_vinhphu, submit=True)
    sibling = org["tiepnhan.thanhvinh"]
    assert not OnlineApplication.objects.for_user(sibling).exists()
    assert list(OnlineApplication.objects.for_user(org["tiepnhan.vinhphu"])) == [app]
    with pytest.raises(NotAllowed):
        services.application_accept(actor=sibling, application=app)
    with pytest.raises(NotAllowed):
        services.application_refuse(actor=sibling, application=app, reasons=["x"])
    # The province sees its subtree; a handler may see but not receive.
    assert list(OnlineApplication.objects.for_user(org["tiepnhan.pc06"])) == []
    with pytest.raises(NotAllowed):
        services.application_accept(actor=org["xuly.vinhphu"], application=app)


def test_a_citizen_sees_only_their_own_applications(org, tam_tru, desk_vinhphu, citizen_lan):
    from motcua.portal.citizens import citizen_upsert

    app, _ = save(citizen_lan, tam_tru, desk_vinhphu)
    hung = citizen_upsert(id_number="040085000456", full_name="Trần Văn Hùng")
    assert list(OnlineApplication.objects.for_user(citizen_lan)) == [app]
    assert not OnlineApplication.objects.for_user(hung).exists()


def test_a_draft_of_a_superseded_version_cannot_be_submitted(
    org, tam_tru, desk_vinhphu, citizen_lan
):
    from motcua.catalog.services import procedure_draft_save, procedure_publish
    from tests.dossiers.stories import procedure_content

    key = services.new_key()
    draft, _ = save(citizen_lan, tam_tru, desk_vinhphu, key=key)
    procedure = tam_tru.procedure
    procedure_draft_save(
        actor=org["danhmuc"], procedure=procedure, content=procedure_content(time_value=240)
    )
    procedure_publish(actor=org["danhmuc"], procedure=procedure)
    with pytest.raises(InvalidInput, match="phiên bản đang có hiệu lực"):
        save(citizen_lan, tam_tru, desk_vinhphu, key=key, revision=draft.revision, submit=True)
    draft.refresh_from_db()
    assert draft.status == AppStatus.DRAFT


@pytest.mark.parametrize(
    "later, words",
    [
        # Submitted Friday 16:00; the inbox counts calendar time, the days before the hours.
        (datetime(2026, 11, 27, 16, 0), "0 phút"),
        (datetime(2026, 11, 27, 16, 45), "45 phút"),
        (datetime(2026, 11, 27, 18, 5), "2 giờ 5 phút"),
        (datetime(2026, 11, 30, 9, 15), "2 ngày 17 giờ"),
        (datetime(2026, 11, 29, 16, 0), "2 ngày"),
    ],
)
def test_the_inbox_says_how_long_an_application_has_waited(later, words):
    from motcua.portal.online.selectors import age

    since = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)
    assert age(since, later.replace(tzinfo=VN_TZ)) == words

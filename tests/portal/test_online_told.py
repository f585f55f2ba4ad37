"""The citizen of an online application hears what the desk decided, and finds the signed result
and the rating link on their own dossier page."""

import pytest
from django.core import mail

from motcua.dossiers.services import dossier_approve, dossier_assign, dossier_submit
from motcua.notify.models import Notice
from motcua.portal.online import services
from tests.portal.online_story import APPLICANT, all_photos, lan


@pytest.fixture
def submitted_app(org, tam_tru, desk_vinhphu, friday_16h):
    app, _ = services.application_save(
        citizen=lan(),
        idempotency_key=services.new_key(),
        procedure_version=tam_tru,
        desk=desk_vinhphu,
        applicant=APPLICANT,
        request_summary="Đăng ký tạm trú",
        files=all_photos(),
        revision=None,
        submit=True,
    )
    return app


def test_a_return_for_completion_reaches_the_citizen_once_with_every_item(
    org, submitted_app, django_capture_on_commit_callbacks
):
    missing = ["Ảnh giấy tờ chỗ ở bị mờ", "Văn bản đồng ý của chủ hộ"]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return(
            actor=org["tiepnhan.vinhphu"], application=submitted_app, missing=missing
        )
    notices = Notice.objects.filter(event="application_returned")
    assert sorted(notices.values_list("channel", flat=True)) == ["email", "in_app", "sms"]
    in_app = notices.get(channel="in_app")
    assert in_app.user == submitted_app.citizen
    assert all(item in in_app.text for item in missing)
    assert in_app.link.endswith(f"/cong-dan/don/{submitted_app.pk}/")
    # settings_test sends at commit, inline: the e-mail is out, once.
    sent = [m for m in mail.outbox if "Văn bản đồng ý" in " ".join(m.body.split())]
    assert [m.to for m in sent] == [["lan.nguyen@example.vn"]]


def test_a_refusal_reaches_the_citizen_with_its_reasons(org, submitted_app):
    services.application_refuse(
        actor=org["tiepnhan.vinhphu"], application=submitted_app, reasons=["Không thuộc địa bàn"]
    )
    in_app = Notice.objects.get(event="application_refused", channel="in_app")
    assert "Không thuộc địa bàn" in in_app.text


def test_my_page_lists_the_notices_and_the_dossier_page_offers_the_eresult_and_rating(
    org, submitted_app, client
):
    from motcua.eresults.keys import ensure_demo_pki

    ensure_demo_pki([org.units["VINHPHU"]])
    leader, handler = org["lanhdao.vinhphu"], org["xuly.vinhphu"]
    d = services.application_accept(actor=org["tiepnhan.vinhphu"], application=submitted_app)
    d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
    d = dossier_submit(actor=handler, dossier=d, version=d.version, result="Đã đăng ký tạm trú")
    d = dossier_approve(actor=leader, dossier=d, version=d.version, e_result=True)

    client.force_login(submitted_app.citizen)
    page = client.get("/cong-dan/").content.decode()
    assert 'data-testid="citizen-notices"' in page
    assert d.code in page
    detail = client.get(f"/cong-dan/ho-so/{d.code}/").content.decode()
    assert 'data-testid="eresult"' in detail
    assert f"/xac-minh/{d.electronic_result.public_id}/" in detail
    assert 'data-testid="rating-link"' in detail
    download = client.get(f"/cong-dan/ho-so/{d.code}/tep/{d.electronic_result.file_id}/")
    assert download.status_code == 200
    assert (
        b"".join(download.streaming_content if download.streaming else [download.content])[:5]
        == b"%PDF-"
    )

"""The rating tablet at Vinh Phú's desk: bound by the receptionist, used by citizens without an
account, for the dossiers received at that desk only."""

import pytest
from django.test import Client

from motcua.audit.models import AuditEntry
from motcua.dossiers.printing import tracking_url
from motcua.ratings import kiosk
from motcua.ratings.models import Rating
from tests.ratings.conftest import answers, form_data

KIOSK = "/danh-gia/quay/"
BIND = "/can-bo/danh-gia/kiosk/"


@pytest.fixture
def tablet(org, desk_vinhphu):
    """A tablet bound to Vinh Phú's desk by Hoàng Thị Thu, the receptionist."""
    client = Client()
    client.force_login(org["tiepnhan.vinhphu"])
    response = client.post(BIND, {"ban": desk_vinhphu.pk})
    assert response.status_code == 302 and response["Location"] == KIOSK
    return client


def scan(tablet, dossier, secret=None):
    return tablet.post(
        KIOSK,
        {"ma": tracking_url(dossier), "ma_tra_cuu": secret or dossier.tracking_secret.lower()},
    )


def ticket_of(html: str) -> str:
    return html.split('name="ve" value="')[1].split('"')[0]


def test_an_unbound_tablet_shows_nothing_to_rate(client, ready):
    response = client.get(KIOSK)
    assert response.status_code == 403
    assert "Máy chưa được gắn với bộ phận một cửa" in response.content.decode()
    assert (
        client.post(KIOSK, {"ma": ready.code, "ma_tra_cuu": ready.tracking_secret}).status_code
        == 403
    )


def test_binding_ends_the_staff_session_and_is_audited(org, tablet, desk_vinhphu):
    assert "_auth_user_id" not in tablet.session
    assert tablet.get("/can-bo/").status_code == 302  # staff pages want a login again
    start = tablet.get(KIOSK).content.decode()
    assert "Quét mã biên nhận" in start and desk_vinhphu.name in start
    entry = AuditEntry.objects.get(action="rating.kiosk_bind")
    assert entry.object_id == str(desk_vinhphu.pk)
    assert entry.actor == org["tiepnhan.vinhphu"]


def test_a_receptionist_binds_only_her_own_units_desk(client, org):
    client.force_login(org["tiepnhan.vinhphu"])
    other = org.units["THANHVINH"].desks.get()
    response = client.post(BIND, {"ban": other.pk})
    assert response.status_code == 422
    assert kiosk.COOKIE not in response.cookies
    assert other.name not in client.get(BIND).content.decode()
    client.force_login(org["xuly.vinhphu"])  # a handler serves no desk
    assert client.get(BIND).status_code == 403


def test_a_citizen_scans_the_receipt_rates_and_the_screen_resets(tablet, ready, desk_vinhphu):
    form = scan(tablet, ready)
    html = form.content.decode()
    assert form.status_code == 200 and ready.code in html
    assert html.count('type="radio"') == 27
    thanks = tablet.post(KIOSK, form_data(answers(thai_do=1), ve=ticket_of(html)))
    page = thanks.content.decode()
    assert "Cảm ơn ông/bà đã đánh giá" in page
    assert f'http-equiv="refresh" content="{kiosk.RESET_SECONDS};url={KIOSK}"' in page
    rating = Rating.objects.get(dossier=ready)
    assert (rating.channel, rating.desk, rating.total) == ("kiosk", desk_vinhphu, 17)


def test_the_bare_code_works_as_well_as_the_url(tablet, ready):
    response = tablet.post(KIOSK, {"ma": f" {ready.code} ", "ma_tra_cuu": ready.tracking_secret})
    assert 'name="ve"' in response.content.decode()


def test_another_desks_dossier_is_refused(tablet, make_ready):
    theirs = make_ready("thanhvinh")
    response = scan(tablet, theirs)
    assert response.status_code == 403
    assert "không được tiếp nhận tại bộ phận một cửa này" in response.content.decode()
    assert 'name="ve"' not in response.content.decode()


def test_a_ticket_from_another_desk_is_refused(tablet, ready, make_ready, org):
    theirs = make_ready("thanhvinh")
    forged = kiosk.ticket_for(theirs, org.units["THANHVINH"].desks.get())
    response = tablet.post(KIOSK, form_data(answers(), ve=forged))
    assert response.status_code == 422
    assert "Vui lòng quét lại" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_secret_is_needed(tablet, ready):
    response = scan(tablet, ready, secret="SAIMA123")
    assert response.status_code == 422
    assert "Mã tra cứu không đúng" in response.content.decode()


def test_an_already_rated_dossier_is_refused(tablet, ready):
    form = scan(tablet, ready)
    tablet.post(KIOSK, form_data(answers(), ve=ticket_of(form.content.decode())))
    again = scan(tablet, ready)
    assert again.status_code == 409
    assert "Mỗi hồ sơ chỉ được đánh giá một lần" in again.content.decode()
    # A replayed rating form with the old ticket is refused too.
    replay = tablet.post(KIOSK, form_data(answers(thai_do=0), ve=ticket_of(form.content.decode())))
    assert replay.status_code == 409
    assert Rating.objects.get(dossier=ready).scores["thai_do"] == 2


def test_a_dossier_still_being_processed_cannot_be_rated(tablet, org, tam_tru, citizen):
    from motcua.dossiers.services import dossier_receive
    from tests.dossiers.stories import all_documents

    fresh = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=org.units["VINHPHU"].desks.get(),
        procedure_version=tam_tru,
        applicant=citizen,
        checklist=all_documents(),
    )
    response = scan(tablet, fresh)
    assert response.status_code == 409
    assert "chưa có kết quả" in response.content.decode()


def test_a_forged_cookie_binds_nothing(client, ready, desk_vinhphu):
    client.cookies[kiosk.COOKIE] = str(desk_vinhphu.pk)  # unsigned
    assert client.get(KIOSK).status_code == 403
    client.cookies[kiosk.COOKIE] = "x" * 5000
    assert client.get(KIOSK).status_code == 403


@pytest.mark.parametrize(
    "scanned", ["", "http://x/tra-cuu/", "<script>alert(1)</script>", "a" * 5000, "\u0000"]
)
def test_odd_scans_are_not_found(tablet, ready, scanned):
    response = tablet.post(KIOSK, {"ma": scanned, "ma_tra_cuu": "x"})
    assert response.status_code in (400, 404)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_units_leader_may_bind_the_tablet_too(client, org, desk_vinhphu):
    client.force_login(org["lanhdao.vinhphu"])
    response = client.post(BIND, {"ban": desk_vinhphu.pk})
    assert response.status_code == 302
    assert kiosk.COOKIE in response.cookies
    assert client.get(KIOSK).status_code == 200

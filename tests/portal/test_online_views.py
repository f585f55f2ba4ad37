"""The pages: from the procedure page's button to the form, "Hồ sơ của tôi", the citizen's
dossier page, and the desk's inbox. Frozen at 16:00 on Friday 27/11/2026 where times show."""

import re

import pytest

from motcua.dossiers.models import Channel, Dossier, Status
from motcua.portal.citizens import citizen_upsert
from motcua.portal.online import services
from motcua.portal.online.models import ApplicationFile, AppStatus, OnlineApplication
from tests.portal.online_story import APPLICANT, MANDATORY, PNG, lan, photo

CODE = "1.004194"


@pytest.fixture
def citizen_lan(db):
    return lan()


@pytest.fixture
def lan_client(client, citizen_lan):
    client.force_login(citizen_lan)
    return client


def form_data(page_html: str, **extra) -> dict:
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page_html).group(1)
    revision = re.search(r'name="revision" value="(\d*)"', page_html).group(1)
    desk = re.search(r'name="desk" value="(\d+)"[^>]*checked', page_html)
    data = {
        "key": key,
        "revision": revision,
        "desk": desk.group(1) if desk else "",
        **APPLICANT,
        "request_summary": "Đăng ký tạm trú tại nhà người thân",
    }
    data.update(extra)
    return data


def submitted_app(citizen, version, desk, key=None):
    app, _ = services.application_save(
        citizen=citizen,
        idempotency_key=key or services.new_key(),
        procedure_version=version,
        desk=desk,
        applicant=APPLICANT,
        files={name: photo(f"{i}.png") for i, name in enumerate(MANDATORY)},
        submit=True,
    )
    return app


def test_the_procedure_page_offers_online_submission_only_where_allowed(client, org, tam_tru):
    from tests.dossiers.stories import publish

    page = client.get(f"/tthc/{CODE}/").content.decode()
    assert 'data-testid="apply-online"' in page and f"/cong-dan/nop/{CODE}/" in page
    publish(org, "1.000001", online_level="none", channels=["desk"])
    assert 'data-testid="apply-online"' not in client.get("/tthc/1.000001/").content.decode()
    assert client.get("/cong-dan/nop/1.000001/").status_code in (302, 404)


def test_signing_in_is_required_and_comes_back(client, org, tam_tru):
    response = client.get(f"/cong-dan/nop/{CODE}/")
    assert response.status_code == 302
    assert response["Location"] == f"/cong-dan/dang-nhap/?next=/cong-dan/nop/{CODE}/"
    assert client.get("/cong-dan/")["Location"].startswith("/cong-dan/dang-nhap/")


def test_staff_never_see_the_citizen_pages(client, org, tam_tru):
    client.force_login(org["tiepnhan.vinhphu"])
    assert client.get("/cong-dan/").status_code == 403
    assert client.get(f"/cong-dan/nop/{CODE}/").status_code == 403


def test_the_form_is_prefilled_and_shows_the_due_if_received_now(
    lan_client, org, tam_tru, friday_16h
):
    page = lan_client.get(f"/cong-dan/nop/{CODE}/").content.decode()
    assert 'value="Nguyễn Thị Lan"' in page
    assert 'value="040190012345"' in page
    assert 'value="lan.nguyen@example.vn"' in page and 'value="0912345678"' in page
    assert page.count('type="file"') == 3
    assert 'accept="image/*,application/pdf" capture="environment"' in page
    assert "Nếu được tiếp nhận bây giờ, hạn trả kết quả dự kiến: 09:30 30/11/2026" in page
    # Vinh Phú and Thành Vinh both receive it: the citizen chooses.
    assert page.count('name="desk"') == 2


def test_a_draft_is_saved_listed_and_resumed(lan_client, org, tam_tru, friday_16h):
    page = lan_client.get(f"/cong-dan/nop/{CODE}/").content.decode()
    data = form_data(page, hanh_dong="nhap", file_0=photo())
    response = lan_client.post(f"/cong-dan/nop/{CODE}/", data)
    app = OnlineApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cong-dan/don/{app.pk}/"
    assert app.status == AppStatus.DRAFT

    mine = lan_client.get("/cong-dan/").content.decode()
    assert 'data-testid="drafts"' in mine and f"/cong-dan/don/{app.pk}/" in mine

    resumed = lan_client.get(f"/cong-dan/don/{app.pk}/").content.decode()
    assert 'data-testid="uploaded"' in resumed and "giay-to.png" in resumed
    data = form_data(resumed, hanh_dong="nop", file_1=photo("cho-o.png"))
    assert data["key"] == app.idempotency_key and data["revision"] == str(app.revision)
    lan_client.post(f"/cong-dan/don/{app.pk}/", data)
    app.refresh_from_db()
    assert app.status == AppStatus.SUBMITTED
    assert Dossier.objects.count() == 0


def test_a_double_tap_makes_one_application(lan_client, org, tam_tru):
    page = lan_client.get(f"/cong-dan/nop/{CODE}/").content.decode()
    for _ in range(2):
        data = form_data(page, hanh_dong="nop", file_0=photo(), file_1=photo("b.png"))
        response = lan_client.post(f"/cong-dan/nop/{CODE}/", data)
        assert response.status_code == 302
    assert OnlineApplication.objects.count() == 1
    assert ApplicationFile.objects.count() == 2


def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_stored(lan_client, org, tam_tru):
    page = lan_client.get(f"/cong-dan/nop/{CODE}/").content.decode()
    data = form_data(
        page, hanh_dong="nop", file_0=photo(), file_1=photo("virus.pdf", b"MZ not a pdf")
    )
    response = lan_client.post(f"/cong-dan/nop/{CODE}/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Tệp &#x27;virus.pdf&#x27; không phải PDF, JPEG hay PNG." in body
    assert 'value="Nguyễn Thị Lan"' in body  # what was typed stays
    assert OnlineApplication.objects.count() == 0 and ApplicationFile.objects.count() == 0


def test_missing_mandatory_documents_are_named(lan_client, org, tam_tru):
    page = lan_client.get(f"/cong-dan/nop/{CODE}/").content.decode()
    response = lan_client.post(
        f"/cong-dan/nop/{CODE}/", form_data(page, hanh_dong="nop", file_0=photo())
    )
    assert response.status_code == 422
    assert "Còn thiếu giấy tờ bắt buộc: Giấy tờ chứng minh chỗ ở hợp pháp." in (
        response.content.decode()
    )


def test_another_citizen_gets_404(client, org, tam_tru, desk_vinhphu, citizen_lan):
    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    dossier = services.application_accept(actor=org["tiepnhan.vinhphu"], application=app)
    client.force_login(citizen_upsert(id_number="040085000456", full_name="Trần Văn Hùng"))
    assert client.get(f"/cong-dan/don/{app.pk}/").status_code == 404
    assert client.get(f"/cong-dan/don/{app.pk}/tep/{app.files.first().pk}/").status_code == 404
    assert client.get(f"/cong-dan/ho-so/{dossier.code}/").status_code == 404
    assert dossier.code not in client.get("/cong-dan/").content.decode()


def test_the_desk_accepts_from_its_inbox_and_the_citizen_sees_the_code(
    client, org, tam_tru, desk_vinhphu, citizen_lan, friday_16h
):
    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    client.force_login(org["tiepnhan.vinhphu"])
    inbox = client.get("/can-bo/truc-tuyen/").content.decode()
    assert "Nguyễn Thị Lan" in inbox and f"/can-bo/truc-tuyen/{app.pk}/" in inbox
    assert "Đã chờ 0 phút" in inbox
    item = client.get(f"/can-bo/truc-tuyen/{app.pk}/").content.decode()
    assert "040190012345" in item and item.count('data-testid="inbox-file"') == 2
    response = client.post(f"/can-bo/truc-tuyen/{app.pk}/tiep-nhan/")
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/can-bo/ho-so/{dossier.code}/?moi=1"
    assert dossier.channel == Channel.ONLINE and dossier.submitted_by == citizen_lan
    # Accepting again (a second tab): refused, still one dossier.
    again = client.post(f"/can-bo/truc-tuyen/{app.pk}/tiep-nhan/")
    assert again.status_code == 409 and Dossier.objects.count() == 1
    assert "Không có hồ sơ trực tuyến nào chờ tiếp nhận." in (
        client.get("/can-bo/truc-tuyen/").content.decode()
    )

    client.force_login(citizen_lan)
    mine = client.get("/cong-dan/").content.decode()
    assert dossier.code in mine and "Chờ phân công" in mine
    assert "hẹn trả 09:30 30/11/2026" in mine
    page = client.get(f"/cong-dan/ho-so/{dossier.code}/").content.decode()
    assert "Tiếp nhận hồ sơ" in page and "7.000" in page
    assert 'data-testid="pay"' in page  # the online fee, payable through the gateway


def test_a_sibling_units_receptionist_cannot_see_the_item(
    client, org, tam_tru, desk_vinhphu, citizen_lan
):
    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    client.force_login(org["tiepnhan.thanhvinh"])
    assert "Nguyễn Thị Lan" not in client.get("/can-bo/truc-tuyen/").content.decode()
    assert client.get(f"/can-bo/truc-tuyen/{app.pk}/").status_code == 404
    assert client.post(f"/can-bo/truc-tuyen/{app.pk}/tiep-nhan/").status_code == 404
    client.force_login(org["xuly.vinhphu"])  # a handler does not receive
    assert client.get("/can-bo/truc-tuyen/").status_code == 403


def test_return_once_then_the_citizen_fixes_and_resubmits(
    client, org, tam_tru, desk_vinhphu, citizen_lan
):
    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    client.force_login(org["tiepnhan.vinhphu"])
    empty = client.post(f"/can-bo/truc-tuyen/{app.pk}/bo-sung/", {"missing": "  \n "})
    assert empty.status_code == 422 and "liệt kê" in empty.content.decode()
    client.post(
        f"/can-bo/truc-tuyen/{app.pk}/bo-sung/",
        {"missing": "Ảnh chỗ ở bị mờ\nVăn bản đồng ý của chủ hộ"},
    )
    app.refresh_from_db()
    assert app.status == AppStatus.RETURNED

    client.force_login(citizen_lan)
    page = client.get(f"/cong-dan/don/{app.pk}/").content.decode()
    assert "Ảnh chỗ ở bị mờ" in page and "Văn bản đồng ý của chủ hộ" in page
    client.post(
        f"/cong-dan/don/{app.pk}/", form_data(page, hanh_dong="nop", file_2=photo("dong-y.png"))
    )
    app.refresh_from_db()
    assert app.status == AppStatus.RESUBMITTED

    client.force_login(org["tiepnhan.vinhphu"])
    item = client.get(f"/can-bo/truc-tuyen/{app.pk}/").content.decode()
    assert 'data-testid="return"' not in item  # once only
    second = client.post(f"/can-bo/truc-tuyen/{app.pk}/bo-sung/", {"missing": "Nữa"})
    assert second.status_code == 409 and "một lần" in second.content.decode()


def test_refusal_needs_reasons_and_the_citizen_reads_them(
    client, org, tam_tru, desk_vinhphu, citizen_lan
):
    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    client.force_login(org["tiepnhan.vinhphu"])
    assert client.post(f"/can-bo/truc-tuyen/{app.pk}/tu-choi/", {"reasons": ""}).status_code == 422
    client.post(f"/can-bo/truc-tuyen/{app.pk}/tu-choi/", {"reasons": "Không thuộc địa bàn"})
    client.force_login(citizen_lan)
    page = client.get(f"/cong-dan/don/{app.pk}/").content.decode()
    assert "Từ chối tiếp nhận" in page and "Không thuộc địa bàn" in page


def test_the_citizen_sends_a_requested_supplement_online(
    client, org, tam_tru, desk_vinhphu, citizen_lan, friday_16h
):
    from motcua.dossiers.services import dossier_assign, dossier_request_supplement

    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    d = services.application_accept(actor=org["tiepnhan.vinhphu"], application=app)
    d = dossier_assign(
        actor=org["lanhdao.vinhphu"], dossier=d, version=d.version, handler=org["xuly.vinhphu"]
    )
    d = dossier_request_supplement(
        actor=org["xuly.vinhphu"], dossier=d, version=d.version, items=["Bản sao sổ đỏ"]
    )
    client.force_login(citizen_lan)
    page = client.get(f"/cong-dan/ho-so/{d.code}/").content.decode()
    assert "Bản sao sổ đỏ" in page and 'data-testid="send-supplement"' in page
    none = client.post(f"/cong-dan/ho-so/{d.code}/bo-sung/", {"version": d.version})
    assert none.status_code == 422 and "ít nhất một tệp" in none.content.decode()
    bad = client.post(
        f"/cong-dan/ho-so/{d.code}/bo-sung/",
        {"version": d.version, "files": [photo("x.png", b"GIF89a")]},
    )
    assert bad.status_code == 422
    assert Dossier.objects.get(pk=d.pk).status == Status.SUPPLEMENT
    response = client.post(
        f"/cong-dan/ho-so/{d.code}/bo-sung/",
        {"version": d.version, "files": [photo("so-do.png", PNG)], "note": "Đã bổ sung"},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING
    last = d.actions.order_by("-seq").first()
    assert last.action == "receive_supplement" and last.actor == citizen_lan
    assert d.files.filter(kind="supplement").count() == 1
    # Another citizen cannot send anything to it.
    client.force_login(citizen_upsert(id_number="040085000456", full_name="Trần Văn Hùng"))
    assert client.post(f"/cong-dan/ho-so/{d.code}/bo-sung/", {"version": 1}).status_code == 404


def test_the_citizen_downloads_their_e_receipt(client, org, tam_tru, desk_vinhphu, citizen_lan):
    import subprocess

    app = submitted_app(citizen_lan, tam_tru, desk_vinhphu)
    d = services.application_accept(actor=org["tiepnhan.vinhphu"], application=app)
    client.force_login(citizen_lan)
    page = client.get(f"/cong-dan/ho-so/{d.code}/").content.decode()
    url = f"/cong-dan/ho-so/{d.code}/bieu-mau/receipt.pdf"
    assert url in page and "bieu-mau/control.pdf" not in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
    assert d.code in " ".join(text.split())
    assert client.get(f"/cong-dan/ho-so/{d.code}/bieu-mau/control.pdf").status_code == 404
    assert client.get(f"/cong-dan/ho-so/{d.code}/bieu-mau/apology.pdf").status_code == 409
    client.force_login(citizen_upsert(id_number="040085000456", full_name="Trần Văn Hùng"))
    assert client.get(url).status_code == 404

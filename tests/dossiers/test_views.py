"""The staff screens through Django's test client: intake, queues, the dossier page, the logbook."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers.models import Dossier, IntakeSlip, Status
from motcua.dossiers.services import dossier_assign, dossier_receive
from motcua.dossiers.views import working_span
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, DOCUMENTS, all_documents

INTAKE = "/can-bo/ho-so/tiep-nhan/"
CT01, HOME_PROOF, OWNER_CONSENT = (d["name"] for d in DOCUMENTS)


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


def login(client, org, username):
    client.force_login(org[username])
    return client


def intake_post(desk, *, outcome="receive", checklist=None, **fields):
    data = {
        "desk": desk.pk,
        "procedure": "1.004194",
        "checklist": all_documents() if checklist is None else checklist,
        "kind": "person",
        "name": CITIZEN["name"],
        "id_number": CITIZEN["id_number"],
        "address": CITIZEN["address"],
        "phone": CITIZEN["phone"],
        "email": CITIZEN["email"],
        "request_summary": "Đăng ký tạm trú tại xóm 5",
        "outcome": outcome,
    }
    data.update(fields)
    return data


def detail_url(dossier):
    return reverse("dossier-detail", kwargs={"code": dossier.code})


def action_url(dossier, action):
    return reverse("dossier-action", kwargs={"code": dossier.code, "action": action})


@pytest.fixture
def assigned(org, received):
    return dossier_assign(
        actor=org["lanhdao.vinhphu"],
        dossier=received,
        version=received.version,
        handler=org["xuly.vinhphu"],
    )


# ---------------------------------------------------------------- intake


def test_it_shows_the_intake_screen_with_the_desk_preselected(client, org, tam_tru, friday_16h):
    page = login(client, org, "tiepnhan.vinhphu").get(INTAKE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bộ phận một cửa Công an phường Vinh Phú" in html
    assert 'id="id_q"' in html and "autofocus" in html
    # The receive button comes first, so Enter in a field receives the dossier.
    assert html.index('value="receive"') < html.index('value="incomplete"')
    assert html.index('value="incomplete"') < html.index('value="refuse"')


def test_it_finds_procedures_without_diacritics(client, org, tam_tru, desk_vinhphu):
    url = reverse("dossier-intake-procedures")
    page = login(client, org, "tiepnhan.vinhphu").get(
        url, {"desk": desk_vinhphu.pk, "q": "dang ky tam tru"}
    )
    assert "Đăng ký tạm trú" in page.content.decode()
    page = client.get(url, {"desk": desk_vinhphu.pk, "q": "cap ho chieu"})
    assert "Không tìm thấy thủ tục" in page.content.decode()


def test_it_shows_the_checklist_with_mandatory_documents_marked(
    client, org, tam_tru, desk_vinhphu, friday_16h
):
    page = login(client, org, "tiepnhan.vinhphu").get(
        reverse("dossier-intake-checklist"), {"desk": desk_vinhphu.pk, "procedure": "1.004194"}
    )
    html = page.content.decode()
    assert html.count('name="checklist"') == 3
    assert html.count("bắt buộc") == 2
    assert "30/11/2026 09:30" in html  # the due time if received now


def test_it_receives_a_complete_dossier_and_redirects_to_its_page(
    client, org, tam_tru, desk_vinhphu, friday_16h
):
    response = login(client, org, "tiepnhan.vinhphu").post(INTAKE, intake_post(desk_vinhphu))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(dossier) + "?moi=1"
    assert dossier.applicant_name == CITIZEN["name"]
    assert dossier.request_summary == "Đăng ký tạm trú tại xóm 5"
    page = client.get(response.url).content.decode()
    assert "30/11/2026 09:30" in page
    assert f"/can-bo/ho-so/{dossier.code}/bieu-mau/receipt.pdf" in page or "receipt" in page


def test_it_stores_the_scans_uploaded_at_intake(client, org, tam_tru, desk_vinhphu, friday_16h):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scans = [
        SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
        SimpleUploadedFile("so-do.png", b"\x89PNG\r\n\x1a\nscan", content_type="image/png"),
    ]
    login(client, org, "tiepnhan.vinhphu").post(INTAKE, intake_post(desk_vinhphu, files=scans))

    dossier = Dossier.objects.get()
    assert sorted(f.name for f in dossier.files.all()) == ["so-do.png", "to-khai.pdf"]
    first = dossier.files.order_by("name").first()
    body = client.get(reverse("dossier-file", args=[dossier.code, first.pk]))
    assert body.status_code == 200 and body["Content-Type"] == "image/png"
    other = login(client, org, "tiepnhan.thanhvinh")
    assert other.get(reverse("dossier-file", args=[dossier.code, first.pk])).status_code == 404


def test_it_receives_from_an_organisation(client, org, tam_tru, desk_vinhphu, friday_16h):
    data = intake_post(
        desk_vinhphu, kind="organisation", id_number="", org_code="2900123456", name="Công ty ABC"
    )
    response = login(client, org, "tiepnhan.vinhphu").post(INTAKE, data)
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_org_code == "2900123456"


def test_a_user_of_several_desks_chooses_one(client, org, tam_tru):
    html = login(client, org, "quantri").get(INTAKE).content.decode()
    assert '<select name="desk" id="id_desk"' in html
    assert "Bộ phận một cửa Công an phường Thành Vinh" in html


def test_a_missing_mandatory_document_is_shown_and_nothing_is_created(
    client, org, tam_tru, desk_vinhphu, friday_16h
):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, checklist=[CT01])
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert f"Thiếu: {HOME_PROOF}" in html
    assert Dossier.objects.count() == 0
    # The form keeps what was typed and ticked.
    assert f'value="{CITIZEN["id_number"]}"' in html
    assert f'value="{CT01}" checked' in html
    assert "Đăng ký tạm trú tại xóm 5" in html


def test_a_bad_id_number_is_shown_next_to_the_field(client, org, tam_tru, desk_vinhphu):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, id_number="12345")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_id_number_error"' in html and "đúng 12 chữ số" in html
    assert Dossier.objects.count() == 0


def test_every_problem_is_shown_at_once(client, org, tam_tru, desk_vinhphu):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, id_number="12345", checklist=[CT01])
    )
    html = response.content.decode()
    assert "đúng 12 chữ số" in html and f"Thiếu: {HOME_PROOF}" in html


def test_no_procedure_chosen_is_an_error(client, org, tam_tru, desk_vinhphu):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, procedure="")
    )
    assert response.status_code == 422
    assert "Vui lòng chọn thủ tục hành chính." in response.content.decode()


def test_a_request_to_complete_lists_the_unticked_documents_and_the_free_text(
    client, org, tam_tru, desk_vinhphu, friday_16h
):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE,
        intake_post(
            desk_vinhphu,
            outcome="incomplete",
            checklist=[CT01],
            missing_other="Bản sao hợp đồng thuê nhà có công chứng",
        ),
    )

    slip = IntakeSlip.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("dossier-intake-slip", kwargs={"number": slip.number})
    assert slip.items == [HOME_PROOF, "Bản sao hợp đồng thuê nhà có công chứng"]
    assert Dossier.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert HOME_PROOF in page and ".pdf" in page


def test_a_refusal_needs_reasons(client, org, tam_tru, desk_vinhphu):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, outcome="refuse")
    )
    assert response.status_code == 422
    assert "Vui lòng ghi rõ lý do từ chối." in response.content.decode()
    assert IntakeSlip.objects.count() == 0

    response = client.post(
        INTAKE,
        intake_post(desk_vinhphu, outcome="refuse", reasons="Nơi đề nghị tạm trú ngoài địa bàn"),
    )
    assert response.status_code == 302
    assert IntakeSlip.objects.get().items == ["Nơi đề nghị tạm trú ngoài địa bàn"]


def test_a_handler_may_not_open_the_intake_screen(client, org):
    assert login(client, org, "xuly.vinhphu").get(INTAKE).status_code == 403


def test_another_communes_slip_does_not_exist(client, org, tam_tru, desk_vinhphu):
    login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, outcome="refuse", reasons="Sai địa bàn")
    )
    slip = IntakeSlip.objects.get()
    url = reverse("dossier-intake-slip", kwargs={"number": slip.number})
    assert login(client, org, "tiepnhan.thanhvinh").get(url).status_code == 404


# ---------------------------------------------------------------- the dossier page


def test_a_sibling_communes_user_gets_404_on_the_dossier_page(client, org, received):
    assert login(client, org, "tiepnhan.thanhvinh").get(detail_url(received)).status_code == 404
    assert (
        login(client, org, "lanhdao.thanhvinh")
        .post(action_url(received, "assign"), {"version": received.version})
        .status_code
        == 404
    )


def test_the_dossier_page_shows_the_applicant_due_time_and_timeline(client, org, received):
    html = login(client, org, "lanhdao.vinhphu").get(detail_url(received)).content.decode()
    assert CITIZEN["name"] in html
    assert "Đăng ký tạm trú" in html
    assert "30/11/2026 09:30" in html
    assert "còn 3 giờ làm việc" in html
    assert "Tiếp nhận hồ sơ" in html and "Hoàng Thị Thu" in html
    assert f"/can-bo/ho-so/{received.code}/bieu-mau/receipt.pdf" in html or "receipt" in html


def test_nobody_sees_an_approve_button_before_the_handler_submits(client, org, assigned):
    html = login(client, org, "xuly.vinhphu").get(detail_url(assigned)).content.decode()
    assert 'data-action="process"' in html and 'data-action="submit"' in html
    assert 'data-action="approve"' not in html and "Phê duyệt kết quả" not in html
    leader = login(client, org, "lanhdao.vinhphu").get(detail_url(assigned)).content.decode()
    assert 'data-action="approve"' not in leader and 'data-action="submit"' not in leader

    submitted = login(client, org, "xuly.vinhphu").post(
        action_url(assigned, "submit"),
        {"version": assigned.version, "result": "Đã đăng ký tạm trú", "note": ""},
    )
    assert submitted.status_code == 302
    html = client.get(detail_url(assigned)).content.decode()
    assert 'data-testid="status">Chờ phê duyệt<' in html
    assert 'data-action="approve"' not in html and 'data-action="submit"' not in html
    leader = login(client, org, "lanhdao.vinhphu").get(detail_url(assigned)).content.decode()
    assert 'data-action="approve"' in leader and 'data-action="send_back"' in leader
    assert "Đã đăng ký tạm trú</textarea>" in leader  # the draft, ready to approve as it is


def test_a_handler_posting_approve_is_forbidden(client, org, assigned):
    response = login(client, org, "xuly.vinhphu").post(
        action_url(assigned, "approve"), {"version": assigned.version, "result": "Đồng ý"}
    )
    assert response.status_code == 403
    assert Dossier.objects.get().status == Status.PROCESSING


def test_an_action_runs_and_shows_in_the_timeline(client, org, assigned):
    response = login(client, org, "xuly.vinhphu").post(
        action_url(assigned, "process"),
        {"version": assigned.version, "note": "Đã xác minh nơi ở thực tế"},
    )
    assert response.status_code == 302
    html = client.get(detail_url(assigned)).content.decode()
    assert "Đã thực hiện: Ghi nhận xử lý." in html
    assert "Đã xác minh nơi ở thực tế" in html


def test_a_stale_version_shows_the_conflict_and_changes_nothing(client, org, received):
    login(client, org, "lanhdao.vinhphu")
    seen = received.version
    # Someone else assigns the dossier while this leader's page is open.
    dossier_assign(
        actor=org["lanhdao.vinhphu"], dossier=received, version=seen, handler=org["xuly.vinhphu"]
    )
    response = client.post(
        action_url(received, "assign"), {"version": seen, "handler": org["lanhdao.vinhphu"].pk}
    )

    assert response.status_code == 302 and response.url == detail_url(received)
    assert "Hồ sơ vừa được thay đổi" in client.get(response.url).content.decode()
    fresh = Dossier.objects.get()
    assert fresh.handler == org["xuly.vinhphu"] and fresh.actions.count() == 2


def test_a_service_error_is_shown_next_to_the_field(client, org, assigned):
    response = login(client, org, "xuly.vinhphu").post(
        action_url(assigned, "process"), {"version": assigned.version, "note": "  "}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Vui lòng ghi nội dung xử lý." in html
    assert '<details class="action" data-action="process" open>' in html


def test_the_appointment_is_moved_once_and_a_second_apology_is_refused(client, org, received):
    url = action_url(received, "apologise")
    login(client, org, "lanhdao.vinhphu")
    bad = client.post(url, {"version": received.version, "new_due": "31/02/2026", "reason": "x"})
    assert bad.status_code == 422 and "dd/mm/yyyy HH:MM" in bad.content.decode()
    far = client.post(url, {"version": received.version, "new_due": "31/12/9999", "reason": "x"})
    assert far.status_code == 422 and "Ngày hẹn mới quá xa" in far.content.decode()

    typed = {"version": received.version, "new_due": "01/12/2026 16:00", "reason": "Chờ xác minh"}
    preview = client.post(url, typed)
    assert preview.status_code == 200
    assert "Ngày hẹn trả mới: 16:00 thứ Ba, ngày 01/12/2026" in preview.content.decode()
    assert Dossier.objects.get().extended_due_at is None  # nothing issued before confirming

    ok = client.post(url, {**typed, "confirmed_due": "2026-12-01T16:00:00+07:00"})
    assert ok.status_code == 302
    fresh = Dossier.objects.get()
    assert fresh.extended_due_at == vn(2026, 12, 1, 16, 0)
    assert fresh.due_at == received.due_at  # the legal due stays

    html = client.get(detail_url(fresh)).content.decode()
    assert 'data-action="apologise"' not in html
    again = client.post(
        url, {"version": fresh.version, "new_due": "02/12/2026 16:00", "reason": "Lần hai"}
    )
    assert again.status_code == 409
    assert "chỉ được hẹn lại một lần" in again.content.decode()
    assert Dossier.objects.get().extended_due_at == vn(2026, 12, 1, 16, 0)


def test_assign_offers_the_handlers_of_the_handling_unit_only(client, org, received):
    html = login(client, org, "lanhdao.vinhphu").get(detail_url(received)).content.decode()
    assert "Trần Thị Mai" in html  # xuly.vinhphu
    assert "Phạm Thị Hằng" not in html  # xuly.thanhvinh


# ---------------------------------------------------------------- queues


def test_the_queues_show_counts_and_rows(client, org, received):
    html = login(client, org, "lanhdao.vinhphu").get("/can-bo/ho-so/").content.decode()
    assert 'data-testid="count-to_assign">1<' in html
    assert 'data-testid="count-overdue">0<' in html
    assert received.code in html
    assert "30/11/2026 09:30" in html and "còn 3 giờ làm việc" in html


def test_the_tab_counts_match_the_queues_rows(org, assigned):
    from motcua.dossiers import selectors

    for username in ("lanhdao.vinhphu", "tiepnhan.vinhphu", "lanhdao.thanhvinh", "thanhtra"):
        counts = selectors.queue_counts(org[username])
        for name in selectors.QUEUES:
            assert counts[name] == len(selectors.queue(org[username], name, limit=1000))
    assert selectors.queue_counts(org["xuly.vinhphu"], mine=True)["in_progress"] == 1


def test_a_handler_sees_their_own_dossiers_by_default(client, org, assigned):
    other = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=assigned.desk,
        procedure_version=assigned.procedure_version,
        applicant={"name": "Lê Văn Tám", "id_number": "040085000111"},
        checklist=all_documents(),
    )
    dossier_assign(
        actor=org["lanhdao.vinhphu"],
        dossier=other,
        version=other.version,
        handler=org["lanhdao.vinhphu"],
    )
    html = login(client, org, "xuly.vinhphu").get("/can-bo/ho-so/").content.decode()
    assert 'data-testid="count-in_progress">1<' in html
    assert assigned.code in html and other.code not in html

    everyone = client.get("/can-bo/ho-so/", {"hang": "in_progress", "cua-toi": "0"})
    assert 'data-testid="count-in_progress">2<' in everyone.content.decode()


def test_a_queue_page_costs_the_same_queries_for_few_or_many_rows(client, org, received):
    login(client, org, "lanhdao.vinhphu")

    def one_more(assigned):
        d = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=received.desk,
            procedure_version=received.procedure_version,
            applicant={"name": "Công dân", "id_number": "040085000111"},
            checklist=all_documents(),
        )
        if assigned:  # in progress, with a handler's name on the row
            dossier_assign(
                actor=org["lanhdao.vinhphu"],
                dossier=d,
                version=d.version,
                handler=org["xuly.vinhphu"],
            )

    def queries():
        counts = {}
        for tab in ("to_assign", "in_progress"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/can-bo/ho-so/", {"hang": tab}).status_code == 200
            counts[tab] = len(ctx.captured_queries)
        return counts

    one_more(assigned=True)
    few = queries()
    for n in range(8):
        one_more(assigned=n % 2 == 0)
    assert queries() == few


def test_the_queue_paginates_by_50(client, org, received, monkeypatch):
    import motcua.dossiers.views as views

    monkeypatch.setattr(views, "PAGE", 1)
    for n in range(2):
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=received.desk,
            procedure_version=received.procedure_version,
            applicant={"name": f"Công dân {n}", "id_number": "040085000111"},
            checklist=all_documents(),
        )
    login(client, org, "lanhdao.vinhphu")
    html = client.get("/can-bo/ho-so/", {"hang": "to_assign", "trang": "2"}).content.decode()
    assert "Trang 2/3" in html and html.count("data-code=") == 1


def test_working_time_left_reads_in_vietnamese():
    assert working_span(135, 480) == "2 giờ 15 phút"
    assert working_span(-65, 480) == "1 giờ 5 phút"
    assert working_span(480 * 2 + 60, 480) == "2 ngày 1 giờ"
    assert working_span(0, 480) == "0 phút"


# ---------------------------------------------------------------- logbook


def test_the_logbook_lists_the_desks_dossiers_with_export_links(client, org, received):
    html = (
        login(client, org, "tiepnhan.vinhphu")
        .get("/can-bo/ho-so/so-theo-doi/", {"tu": "27/11/2026", "den": "27/11/2026"})
        .content.decode()
    )
    assert received.code in html and CITIZEN["name"] in html
    assert (
        "/can-bo/ho-so/so-theo-doi/VINHPHU-MC.pdf?tu=27%2F11%2F2026&amp;den=27%2F11%2F2026" in html
    )
    assert "VINHPHU-MC.xlsx" in html


def test_the_logbook_refuses_a_bad_date(client, org, received):
    response = login(client, org, "tiepnhan.vinhphu").get(
        "/can-bo/ho-so/so-theo-doi/", {"tu": "32/11/2026"}
    )
    assert response.status_code == 422
    assert "dd/mm/yyyy" in response.content.decode()

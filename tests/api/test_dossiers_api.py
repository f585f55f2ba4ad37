"""Dossiers over real HTTP (live server, bearer tokens): a receptionist of Công an phường Vinh Phú
receives Nguyễn Thị Lan's temporary-residence dossier, the commune's leader and handler take it
to a result, and the neighbouring ward's staff never see it."""

import base64
import json
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from motcua.dossiers.models import DeadlineFlag, Dossier, DossierFile
from motcua.worktime.core import VN_TZ
from motcua.worktime.services import due_at
from tests.api.http import http
from tests.dossiers.stories import CITIZEN, all_documents, publish

pytestmark = pytest.mark.django_db(transaction=True)


class Api:
    """One member of staff talking to the API with their own token."""

    def __init__(self, base, token):
        self.base, self.token = f"{base}/api/v1", token

    def call(self, method, path, body=None):
        status, raw, headers = http(self.base + path, self.token, method, body)
        content_type = headers.get("Content-Type", "")
        payload = json.loads(raw) if content_type.startswith("application/json") else raw
        return status, payload

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body):
        return self.call("POST", path, body)

    def act(self, code, action, version, **params):
        return self.post(f"/dossiers/{code}/actions/{action}", {"version": version, **params})


@pytest.fixture
def staff(live_server, org, capsys):
    """staff("tiepnhan.vinhphu") -> an Api client holding that person's token."""

    def login(username):
        call_command("create_token", user=username)
        return Api(live_server.url, capsys.readouterr().out.strip())

    return login


@pytest.fixture
def tam_tru(org):
    """Đăng ký tạm trú, 180 working minutes, handled at Vinh Phú and Thành Vinh."""
    return publish(org, "1.004194")


@pytest.fixture
def receptionist(staff):
    return staff("tiepnhan.vinhphu")


@pytest.fixture
def leader(staff):
    return staff("lanhdao.vinhphu")


@pytest.fixture
def handler(staff):
    return staff("xuly.vinhphu")


def intake(**overrides):
    body = {
        "desk": "VINHPHU-MC",
        "procedure": "1.004194",
        "applicant": dict(CITIZEN),
        "checklist": all_documents(),
        "request_summary": "Đăng ký tạm trú tại xóm 5, phường Vinh Phú",
    }
    body.update(overrides)
    return body


def receive(api, **overrides):
    status, body = api.post("/dossiers", intake(**overrides))
    assert status == 201, body
    return body


def same_instant(text: str, value: datetime) -> bool:
    """JSON times carry milliseconds."""
    return abs(datetime.fromisoformat(text) - value) < timedelta(milliseconds=1)


def errors_of(body) -> dict:
    return {e["field"]: e["message"] for e in body.get("errors", [])}


# ---------------------------------------------------------------- intake


def test_it_receives_a_dossier_with_code_deadline_and_secret(receptionist, org, tam_tru):
    status, body, headers = http(
        f"{receptionist.base}/dossiers", receptionist.token, "POST", intake()
    )
    receipt = json.loads(body)

    assert status == 201
    assert receipt["code"].startswith("000.84.15.H40-")
    assert len(receipt["tracking_secret"]) == 8
    assert receipt["status"] == "assigning"  # handled by the receiving commune itself
    assert receipt["version"] == 1
    assert receipt["fee_amount"] == 15000
    assert headers["Location"].endswith(f"/api/v1/dossiers/{receipt['code']}")

    dossier = Dossier.objects.get(code=receipt["code"])
    expected = due_at(unit=org.units["VINHPHU"], start=dossier.received_at, duration="180m")
    assert receipt["due_at"].endswith("+07:00")
    assert same_instant(receipt["due_at"], expected)
    assert same_instant(receipt["received_at"], dossier.received_at)
    assert dossier.received_by == org["tiepnhan.vinhphu"]
    assert dossier.applicant_name == "Nguyễn Thị Lan"


def test_an_intake_after_a_new_publication_uses_the_new_version_at_once(receptionist, org, tam_tru):
    from motcua.catalog.services import procedure_draft_save, procedure_publish
    from tests.dossiers.stories import procedure_content

    before = receive(receptionist)  # the server now keeps version 1 in memory
    fees = [{"name": "Lệ phí đăng ký tạm trú", "desk": 20000, "online": 10000}]
    procedure_draft_save(
        actor=org["danhmuc"],
        procedure=tam_tru.procedure,
        content=procedure_content(fees=fees, time_value=240),
    )
    second = procedure_publish(actor=org["danhmuc"], procedure=tam_tru.procedure)

    after = receive(receptionist)

    assert before["fee_amount"] == 15000
    assert after["fee_amount"] == 20000
    dossier = Dossier.objects.get(code=after["code"])
    assert dossier.procedure_version == second
    expected = due_at(unit=org.units["VINHPHU"], start=dossier.received_at, duration="240m")
    assert same_instant(after["due_at"], expected)


def test_it_answers_bad_input_field_by_field_in_vietnamese(receptionist, tam_tru):
    applicant = dict(CITIZEN, id_number="123", phone="12")
    status, body = receptionist.post("/dossiers", intake(applicant=applicant))
    assert status == 422
    assert body["code"] == "invalid_input"
    fields = errors_of(body)
    assert "12 chữ số" in fields["applicant.id_number"]
    assert fields["applicant.phone"] == "Số điện thoại không hợp lệ."

    nameless = {k: v for k, v in CITIZEN.items() if k != "name"}
    status, body = receptionist.post("/dossiers", intake(applicant=nameless))
    assert status == 422
    assert errors_of(body) == {"applicant.name": "Trường này là bắt buộc."}

    status, body = receptionist.post("/dossiers", intake(applicant=dict(CITIZEN, name="  ")))
    assert errors_of(body)["applicant.name"].startswith("Vui lòng nhập họ tên")

    status, body = receptionist.post(
        "/dossiers", intake(procedure="9.999999", desk="KHONGCO-MC", handling_unit="KHONGCO")
    )
    assert status == 422
    assert errors_of(body) == {
        "procedure": "Không có thủ tục đang công bố với mã này.",
        "desk": "Không có bộ phận tiếp nhận với mã này.",
        "handling_unit": "Không có đơn vị với mã này.",
    }
    assert not Dossier.objects.exists()


def test_it_refuses_an_incomplete_dossier(receptionist, tam_tru):
    status, body = receptionist.post("/dossiers", intake(checklist=all_documents()[:1]))
    assert status == 422
    assert "Giấy tờ chứng minh chỗ ở hợp pháp" in errors_of(body)["checklist"]
    assert "phiếu yêu cầu bổ sung" in body["message"]


def test_it_refuses_wrong_types_and_unknown_fields(receptionist, tam_tru):
    status, body = receptionist.post(
        "/dossiers", intake(channel="fax", checklist="CT01", colour="red")
    )
    assert status == 422
    fields = errors_of(body)
    assert fields["channel"] == "Giá trị không nằm trong danh sách cho phép."
    assert set(fields) == {"channel", "checklist", "colour"}


def test_a_desk_outside_the_callers_unit_is_forbidden(staff, tam_tru):
    status, body = staff("tiepnhan.thanhvinh").post("/dossiers", intake())
    assert status == 403
    assert body["code"] == "forbidden"
    assert not Dossier.objects.exists()


def test_it_stores_base64_scans_through_the_upload_checks(
    receptionist, tam_tru, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pdf = base64.b64encode(b"%PDF-1.4\n% scan\n").decode()
    status, body = receptionist.post(
        "/dossiers", intake(files=[{"name": "ct01.pdf", "content_base64": pdf}])
    )
    assert status == 201
    stored = DossierFile.objects.get(dossier__code=body["code"])
    assert (stored.name, stored.content_type, stored.kind) == (
        "ct01.pdf",
        "application/pdf",
        "scan",
    )

    not_pdf = base64.b64encode(b"MZ\x90\x00 an executable").decode()
    status, body = receptionist.post(
        "/dossiers", intake(files=[{"name": "virus.pdf", "content_base64": not_pdf}])
    )
    assert status == 422
    assert "không phải PDF, JPEG hay PNG" in errors_of(body)["files"]

    status, body = receptionist.post(
        "/dossiers", intake(files=[{"name": "x.pdf", "content_base64": "not base64!"}])
    )
    assert status == 422
    assert "base64" in errors_of(body)["files.0.content_base64"]
    assert Dossier.objects.count() == 1


# ---------------------------------------------------------------- reading and scope


def test_it_shows_a_dossier_with_its_timeline_and_the_callers_actions(
    receptionist, leader, tam_tru
):
    code = receive(receptionist)["code"]

    status, dossier = receptionist.get(f"/dossiers/{code}")
    assert status == 200
    assert dossier["procedure"] == {"code": "1.004194", "name": "Đăng ký tạm trú", "version": 1}
    assert dossier["handling_unit"] == {"code": "VINHPHU", "name": "Công an phường Vinh Phú"}
    assert dossier["applicant"]["id_number"] == "040190012345"
    assert [row["received"] for row in dossier["checklist"]] == [True, True, True]
    assert dossier["allowed_actions"] == ["stop", "record_payment"]
    (step,) = dossier["timeline"]
    assert step["seq"] == 1 and step["action"] == "receive"
    assert step["label"] == "Tiếp nhận hồ sơ"
    assert step["actor_name"] == "Hoàng Thị Thu"
    assert step["unit"] == "VINHPHU" and step["to_status"] == "assigning"
    assert step["at"].endswith("+07:00")

    status, dossier = leader.get(f"/dossiers/{code}")
    assert "assign" in dossier["allowed_actions"]


def test_a_sibling_communes_staff_get_404_and_change_nothing(staff, receptionist, tam_tru):
    code = receive(receptionist)["code"]
    for username in ("lanhdao.thanhvinh", "tiepnhan.thanhvinh"):
        neighbour = staff(username)
        status, body = neighbour.get(f"/dossiers/{code}")
        assert (status, body["code"]) == (404, "not_found")

        status, body = neighbour.act(code, "assign", 1, handler="xuly.thanhvinh")
        assert (status, body["code"]) == (404, "not_found")
        status, body = neighbour.act(code, "stop", 1, reason="Công dân xin rút")
        assert status == 404

        status, body = neighbour.get("/dossiers")
        assert body["items"] == []

    # The city above both communes sees it.
    status, body = staff("thanhtra").get(f"/dossiers/{code}")
    assert status == 200 and body["allowed_actions"] == []
    dossier = Dossier.objects.get(code=code)
    assert (dossier.version, dossier.status) == (1, "assigning")


def test_the_list_filters_by_status_overdue_unit_and_text(staff, receptionist, leader, tam_tru):
    lan = receive(receptionist)
    tam = receive(receptionist, applicant={"name": "Lê Văn Tám", "id_number": "040085000111"})
    leader.act(tam["code"], "assign", tam["version"], handler="xuly.vinhphu")
    Dossier.objects.filter(code=lan["code"]).update(deadline_flag=DeadlineFlag.OVERDUE)
    thanh_vinh = staff("tiepnhan.thanhvinh")
    other = receive(thanh_vinh, desk="THANHVINH-MC")

    def codes(api, query=""):
        status, body = api.get(f"/dossiers{query}")
        assert status == 200, body
        return [item["code"] for item in body["items"]]

    assert codes(receptionist) == [tam["code"], lan["code"]]  # newest first, own commune only
    assert codes(staff("thanhtra")) == [other["code"], tam["code"], lan["code"]]
    assert codes(receptionist, "?status=processing") == [tam["code"]]
    assert codes(receptionist, "?overdue=true") == [lan["code"]]
    assert codes(receptionist, "?overdue=false") == [tam["code"]]
    assert codes(staff("thanhtra"), "?unit=THANHVINH") == [other["code"]]
    assert codes(receptionist, "?q=040085000111") == [tam["code"]]
    assert codes(receptionist, "?q=Lan") == [lan["code"]]
    assert codes(receptionist, f"?q={lan['code'][-11:]}") == [lan["code"]]  # the code's tail

    status, page = receptionist.get("/dossiers?limit=1")
    assert [i["code"] for i in page["items"]] == [tam["code"]] and page["next_offset"] == 1
    status, page = receptionist.get("/dossiers?limit=1&offset=1")
    assert [i["code"] for i in page["items"]] == [lan["code"]] and page["next_offset"] is None
    item = page["items"][0]
    assert item["deadline_flag"] == "overdue" and item["applicant_name"] == "Nguyễn Thị Lan"

    status, body = receptionist.get("/dossiers?status=lost&limit=0")
    assert status == 422
    assert set(errors_of(body)) == {"status"}
    status, body = receptionist.get("/dossiers?limit=1000")
    assert errors_of(body) == {"limit": "Phải từ 1 đến 200."}


def test_the_list_and_the_detail_take_a_fixed_number_of_queries(org, client, tam_tru, capsys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.services import dossier_receive

    call_command("create_token", user="lanhdao.vinhphu")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {capsys.readouterr().out.strip()}"}

    def count_queries(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, **auth).status_code == 200
        return len(queries)

    count_queries("/api/v1/me")  # the token's first use stamps it once
    counts = []
    for _ in range(2):
        for _ in range(3):
            dossier_receive(
                actor=org["tiepnhan.vinhphu"],
                desk=org.units["VINHPHU"].desks.get(),
                procedure_version=tam_tru,
                applicant=dict(CITIZEN),
                checklist=all_documents(),
            )
        counts.append(count_queries("/api/v1/dossiers"))
    # Token, the caller's units, the page's keys, the page's rows by key (with units, procedure).
    assert counts[0] == counts[1] == 4
    code = Dossier.objects.first().code
    assert count_queries(f"/api/v1/dossiers/{code}") == 3  # token, dossier, timeline


# ---------------------------------------------------------------- the lifecycle


def test_the_whole_story_through_the_actions(receptionist, leader, handler, tam_tru):
    receipt = receive(receptionist)
    code, v = receipt["code"], receipt["version"]

    status, d = leader.act(code, "assign", v, handler="xuly.vinhphu", note="Xác minh nơi ở")
    assert status == 200, d
    assert (d["status"], d["handler"], d["handler_name"]) == (
        "processing",
        "xuly.vinhphu",
        "Trần Thị Mai",
    )
    status, d = handler.act(code, "process", d["version"], note="Đã xác minh nơi ở")
    assert status == 200 and d["status"] == "processing"

    status, d = handler.act(
        code, "request_supplement", d["version"], items=["Hợp đồng thuê nhà có công chứng"]
    )
    assert (status, d["status"], d["supplement_count"]) == (200, "supplement", 1)
    status, d = receptionist.act(code, "receive_supplement", d["version"], note="Đã nhận đủ")
    assert (status, d["status"]) == (200, "processing")

    first_due = datetime.fromisoformat(d["due_at"])
    day = first_due.astimezone(VN_TZ).date() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    # A naive time is Vietnamese time.
    new_due = datetime(day.year, day.month, day.day, 10, 0)
    status, d = leader.act(
        code, "apologise", d["version"], new_due=new_due.isoformat(), reason="Chờ xác minh"
    )
    assert status == 200, d
    assert datetime.fromisoformat(d["extended_due_at"]) == new_due.replace(tzinfo=VN_TZ)
    assert d["extended_due_at"].endswith("+07:00")
    # The apology is an appointment: the legal due stays.
    assert datetime.fromisoformat(d["due_at"]) == first_due

    status, d = handler.act(code, "submit", d["version"], result="Đã đăng ký tạm trú")
    assert (status, d["status"]) == (200, "pending_approval")
    assert "approve" not in d["allowed_actions"]
    status, d = leader.act(code, "approve", d["version"])
    assert (status, d["status"], d["result_summary"]) == (200, "result_ready", "Đã đăng ký tạm trú")
    status, d = receptionist.act(code, "record_payment", d["version"], amount=15000, channel="cash")
    assert (status, d["fee_amount"], d["fee_channel"]) == (200, 15000, "cash")
    assert "record_payment" not in d["allowed_actions"]
    status, d = receptionist.act(code, "return", d["version"], method="desk")
    assert (status, d["status"], d["return_method"]) == (200, "returned", "desk")

    assert d["version"] == 10
    assert d["allowed_actions"] == []
    assert [(s["seq"], s["action"]) for s in d["timeline"]] == list(
        enumerate(
            [
                "receive",
                "assign",
                "process",
                "request_supplement",
                "receive_supplement",
                "apologise",
                "submit",
                "approve",
                "record_payment",
                "return",
            ],
            start=1,
        )
    )
    assert [s["to_status"] for s in d["timeline"]][-2:] == ["result_ready", "returned"]
    assert d["timeline"][2]["note"] == "Đã xác minh nơi ở"
    assert d["timeline"][2]["actor_name"] == "Trần Thị Mai"


def test_transfer_to_the_province_and_refusal(org, staff, receptionist):
    publish(org, "2.001159", name="Cấp giấy phép sử dụng pháo hoa", handling_units=["PC06"])
    receipt = receive(receptionist, procedure="2.001159")
    code = receipt["code"]
    assert receipt["status"] == "received"
    assert receipt["handling_unit"]["code"] == "PC06"

    status, d = receptionist.act(code, "transfer", receipt["version"], mode="paper")
    assert (status, d["status"]) == (200, "assigning")
    status, d = staff("lanhdao.pc06").act(
        code, "refuse", d["version"], reasons="Không đủ điều kiện theo quy định"
    )
    assert (status, d["status"], d["stop_reason"]) == (
        200,
        "refused",
        "Không đủ điều kiện theo quy định",
    )
    # The commune still sees the dossier it received, and its end.
    status, d = receptionist.get(f"/dossiers/{code}")
    assert d["timeline"][-1]["unit"] == "PC06"


def test_the_applicant_may_withdraw(receptionist, tam_tru):
    receipt = receive(receptionist)
    status, d = receptionist.act(
        receipt["code"], "stop", receipt["version"], reason="Công dân xin rút", by_applicant=True
    )
    assert (status, d["status"], d["finished_at"] is not None) == (200, "stopped", True)


def test_a_stale_version_is_refused_and_changes_nothing(receptionist, leader, tam_tru):
    receipt = receive(receptionist)
    code = receipt["code"]
    status, d = leader.act(code, "assign", receipt["version"], handler="xuly.vinhphu")
    assert status == 200

    status, body = leader.act(code, "assign", receipt["version"], handler="lanhdao.vinhphu")
    assert (status, body["code"]) == (409, "stale_version")
    assert "tải lại" in body["message"]
    status, after = leader.get(f"/dossiers/{code}")
    assert after["version"] == d["version"] == 2
    assert after["handler"] == "xuly.vinhphu"
    assert len(after["timeline"]) == 2


def test_a_handler_may_not_approve(receptionist, leader, handler, tam_tru):
    receipt = receive(receptionist)
    code = receipt["code"]
    status, d = leader.act(code, "assign", receipt["version"], handler="xuly.vinhphu")

    status, body = handler.act(code, "approve", d["version"], result="Tự phê duyệt")
    assert (status, body["code"]) == (403, "forbidden")
    assert Dossier.objects.get(code=code).status == "processing"


def test_wrong_state_and_bad_params_are_refused(receptionist, leader, tam_tru):
    receipt = receive(receptionist)
    code, v = receipt["code"], receipt["version"]

    status, body = receptionist.act(code, "return", v)
    assert (status, body["code"]) == (409, "invalid_state")
    assert "trạng thái" in body["message"]

    status, body = leader.act(code, "assign", v, handler="xuly.thanhvinh")
    assert status == 422
    assert errors_of(body) == {"handler": "Không có cán bộ với tên đăng nhập này trong đơn vị."}
    status, body = leader.act(code, "assign", v)
    assert errors_of(body) == {"handler": "Trường này là bắt buộc."}
    status, body = leader.act(code, "assign", v, handler="xuly.vinhphu", result="x")
    assert set(errors_of(body)) == {"result"}  # a parameter of another action
    status, body = leader.post(f"/dossiers/{code}/actions/assign", {"handler": "xuly.vinhphu"})
    assert errors_of(body) == {"version": "Trường này là bắt buộc."}
    status, body = leader.act(code, "apologise", v, new_due="mai", reason="x")
    assert errors_of(body) == {
        "new_due": "Ngày hẹn mới không hợp lệ; nhập theo dạng dd/mm/yyyy HH:MM."
    }
    status, body = leader.act(code, "apologise", v, new_due="9999-12-31T10:00", reason="x")
    assert status == 422 and "quá xa" in errors_of(body)["new_due"]
    status, body = receptionist.act(code, "record_payment", v, amount=-5, channel="cash")
    assert set(errors_of(body)) == {"amount"}
    status, body = receptionist.act(code, "record_payment", v, amount=5, channel="gold")
    assert set(errors_of(body)) == {"channel"}
    status, body = receptionist.act(code, "fly_away", v)
    assert (status, body["code"]) == (404, "not_found")
    status, body = receptionist.act("000.84.15.H40-000000-0000", "stop", v, reason="x")
    assert (status, body["code"]) == (404, "not_found")

    assert Dossier.objects.get(code=code).version == 1


def test_it_needs_a_token(live_server, tam_tru):
    url = f"{live_server.url}/api/v1/dossiers"
    status, body, _ = http(url)
    assert (status, json.loads(body)["code"]) == (401, "unauthenticated")
    # A POST without a valid token falls through to session auth, whose CSRF check answers 403.
    status, body, _ = http(url, "mc_wrong", "POST", intake())
    assert status in (401, 403)
    assert json.loads(body)["code"] in ("unauthenticated", "forbidden")
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------- documentation


def test_openapi_lists_the_dossier_endpoints_in_vietnamese(live_server):
    status, body, _ = http(f"{live_server.url}/api/v1/openapi.json")
    schema = json.loads(body)
    paths = schema["paths"]
    assert status == 200
    assert {"post", "get"} <= set(paths["/api/v1/dossiers"])
    assert "get" in paths["/api/v1/dossiers/{code}"]
    for action in (
        "transfer",
        "assign",
        "process",
        "request_supplement",
        "receive_supplement",
        "approve",
        "refuse",
        "apologise",
        "return",
        "stop",
        "record_payment",
    ):
        assert "post" in paths[f"/api/v1/dossiers/{{code}}/actions/{action}"]
    assert "/api/v1/dossiers/{code}/forms/{form}.pdf" in paths
    assert "/api/v1/dossiers/{code}/actions/{action}" not in paths
    intake_op = paths["/api/v1/dossiers"]["post"]
    assert intake_op["summary"] == "Tiếp nhận hồ sơ"
    assert "mã số hồ sơ" in intake_op["description"]
    applicant = schema["components"]["schemas"]["ApplicantIn"]
    assert "Số định danh" in applicant["properties"]["id_number"]["description"]


# ---------------------------------------------------------------- printable forms


def test_it_prints_the_forms_that_apply_as_pdf(receptionist, leader, staff, tam_tru):
    receipt = receive(receptionist)
    code = receipt["code"]
    for form in ("receipt", "control"):
        status, pdf = receptionist.get(f"/dossiers/{code}/forms/{form}.pdf")
        assert status == 200, pdf
        assert pdf.startswith(b"%PDF-")

    status, body = receptionist.get(f"/dossiers/{code}/forms/poster.pdf")
    assert (status, body["code"]) == (404, "not_found")
    status, body = receptionist.get(f"/dossiers/{code}/forms/refusal.pdf")
    assert (status, body["code"]) == (409, "invalid_state")
    status, body = staff("tiepnhan.thanhvinh").get(f"/dossiers/{code}/forms/receipt.pdf")
    assert (status, body["code"]) == (404, "not_found")

    leader.act(code, "refuse", receipt["version"], reasons="Không đủ điều kiện")
    status, pdf = receptionist.get(f"/dossiers/{code}/forms/refusal.pdf")
    assert status == 200 and pdf.startswith(b"%PDF-")

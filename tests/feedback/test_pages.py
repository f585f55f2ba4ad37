"""The public and staff pages: filing, following, rating, the inbox, published answers. Bad
input gets a Vietnamese message and changes nothing; whatever a citizen typed is shown escaped."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.feedback.models import Feedback, FeedbackFile, State
from motcua.feedback.services import feedback_answer, feedback_publish

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"
SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "feedback"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _staff(org, username) -> Client:
    client = Client()
    client.force_login(org[username])
    return client


def _file(client, received, **overrides):
    data = {
        "subject": "dossier",
        "dossier_code": received.code,
        "dossier_secret": received.tracking_secret,
        "name": "Nguyễn Thị Lan",
        "contact": "0912345678",
        "content": "Đến hẹn vẫn chưa có kết quả.",
    }
    data.update(overrides)
    return client.post("/phan-anh-kien-nghi/gui/", data)


def _secret_page(client, fb, **extra):
    return client.post(
        "/phan-anh-kien-nghi/theo-doi/", {"code": fb.code, "secret": fb.secret, **extra}
    )


def test_the_procedure_and_tracking_pages_link_to_the_form(received, tam_tru):
    client = Client()
    code = tam_tru.procedure.code
    page = client.get(f"/tthc/{code}/").content.decode()
    assert f"/phan-anh-kien-nghi/gui/?tthc={code}" in page
    track = client.get(f"/tra-cuu/{received.code}/").content.decode()
    assert "/phan-anh-kien-nghi/gui/?ho_so=" in track
    form = client.get(f"/phan-anh-kien-nghi/gui/?tthc={code}").content.decode()
    assert f'<option value="{code}" selected>' in form
    form = client.get(f"/phan-anh-kien-nghi/gui/?ho_so={received.code}").content.decode()
    assert f'value="{received.code}"' in form


def test_a_citizen_files_with_an_attachment_and_gets_a_code_and_secret(received):
    files_before = len(_stored_files())
    response = Client().post(
        "/phan-anh-kien-nghi/gui/",
        {
            "subject": "dossier",
            "dossier_code": received.code,
            "dossier_secret": received.tracking_secret.lower(),  # typed in lower case
            "name": "Nguyễn Thị Lan",
            "contact": "lan.nguyen@example.vn",
            "content": "Đến hẹn vẫn chưa có kết quả.",
            "files": [SimpleUploadedFile("giay-hen.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 200
    fb = Feedback.objects.get()
    page = response.content.decode()
    assert fb.code in page and fb.secret in page
    assert "16:00 18/12/2026" in page  # the answer's due
    assert FeedbackFile.objects.get().name == "giay-hen.pdf"
    assert len(_stored_files()) == files_before + 1


def test_script_in_every_field_is_refused_then_stored_as_text_and_escaped_everywhere(org, received):
    client = Client()
    everything = {
        k: SCRIPT
        for k in (
            "subject",
            "dossier_code",
            "dossier_secret",
            "name",
            "contact",
            "content",
            "procedure_code",
            "unit_code",
        )
    }
    response = client.post("/phan-anh-kien-nghi/gui/", everything)
    assert response.status_code == 422
    assert SCRIPT not in response.content.decode()
    assert not Feedback.objects.exists()

    # A contact that is a contact, script everywhere else a person can write.
    response = _file(client, received, name=SCRIPT, content=SCRIPT + " đủ dài")
    assert response.status_code == 200
    fb = Feedback.objects.get()
    assert (fb.name, fb.content) == (SCRIPT, SCRIPT + " đủ dài")  # kept as typed, as text

    pages = [_secret_page(client, fb)]
    staff = _staff(org, "xuly.vinhphu")
    pages += [staff.get(f"/can-bo/phan-anh/{fb.code}/"), staff.get("/can-bo/phan-anh/")]
    pages.append(staff.get(f"/can-bo/ho-so/{received.code}/"))
    fb = feedback_answer(actor=org["xuly.vinhphu"], feedback=fb, answer=SCRIPT)
    fb = feedback_publish(
        actor=org["lanhdao.vinhphu"], feedback=fb, public_summary=SCRIPT, public_answer=SCRIPT
    )
    pages += [
        client.get("/phan-anh-kien-nghi/"),
        client.get(f"/phan-anh-kien-nghi/{fb.code}/"),
        _secret_page(client, fb),
        staff.get(f"/can-bo/phan-anh/{fb.code}/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert SCRIPT not in page.content.decode()
    assert ESCAPED in pages[0].content.decode()
    assert ESCAPED in pages[1].content.decode()
    assert ESCAPED in pages[5].content.decode()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("to.pdf", PDF * 100)], "quá lớn"),
        ([("virus.pdf", b"MZ\x90\x00" + b"\x00" * 50)], "không phải PDF, JPEG hay PNG"),
        ([("a.html", b"<html><script>1</script></html>")], "không phải PDF"),
        ([(f"{n}.pdf", PDF) for n in range(4)], "tối đa 3 tệp"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(received, settings, files, message):
    settings.FEEDBACK_MAX_UPLOAD_BYTES = 2048
    before = _stored_files()
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    response = _file(Client(), received, files=uploads)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Feedback.objects.exists()
    assert not FeedbackFile.objects.exists()
    assert _stored_files() == before


def test_a_wrong_dossier_secret_is_refused_without_saying_whether_the_code_exists(received):
    client = Client()
    wrong = _file(client, received, dossier_secret="ZZZZZZZZ")
    unknown = _file(client, received, dossier_code="000.84.15.H40-261127-9999")
    assert wrong.status_code == unknown.status_code == 422
    message = "Mã hồ sơ hoặc mã tra cứu không đúng"
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert not Feedback.objects.exists()


def test_filing_is_throttled_per_address(received, settings):
    settings.FEEDBACK_FILE_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert _file(client, received).status_code == 200
    assert _file(client, received).status_code == 200
    third = _file(client, received)
    assert third.status_code == 429
    assert "quá nhiều lần" in third.content.decode()
    assert Feedback.objects.count() == 2


def test_the_status_page_needs_the_secret_and_takes_one_verdict(org, complaint):
    client = Client()
    wrong = client.post("/phan-anh-kien-nghi/theo-doi/", {"code": complaint.code, "secret": "X"})
    assert wrong.status_code == 404
    assert "không đúng" in wrong.content.decode()
    assert complaint.content not in wrong.content.decode()

    page = _secret_page(client, complaint)
    assert page.status_code == 200 and complaint.content in page.content.decode()
    assert 'data-testid="like"' not in page.content.decode()  # nothing to rate yet

    feedback_answer(actor=org["xuly.vinhphu"], feedback=complaint, answer="Đã có kết quả.")
    liked = _secret_page(client, complaint, step="rate", satisfied="1")
    assert liked.status_code == 200
    assert "Bạn đã đánh giá: hài lòng." in liked.content.decode()
    again = _secret_page(client, complaint, step="rate", satisfied="0")
    assert again.status_code == 409
    assert "chỉ đánh giá một lần" in again.content.decode()
    assert Feedback.objects.get(pk=complaint.pk).satisfied is True


def test_the_citizen_sends_more_information_from_the_status_page(org, complaint):
    from motcua.feedback.services import feedback_request_info

    feedback_request_info(actor=org["xuly.vinhphu"], feedback=complaint, request="Ảnh giấy hẹn?")
    page = _secret_page(
        Client(),
        complaint,
        step="info",
        reply="Ảnh kèm theo.",
        files=[SimpleUploadedFile("anh.pdf", PDF)],
    )
    assert page.status_code == 200
    fb = Feedback.objects.get(pk=complaint.pk)
    assert (fb.state, fb.info_reply, fb.files.count()) == (State.INFO_RECEIVED, "Ảnh kèm theo.", 1)


def test_published_pages_show_no_personal_data(org, complaint, received):
    fb = feedback_answer(actor=org["xuly.vinhphu"], feedback=complaint, answer="Trả lời bà Lan.")
    fb = feedback_publish(
        actor=org["lanhdao.vinhphu"],
        feedback=fb,
        public_summary="Công dân hỏi vì sao chưa có kết quả đăng ký tạm trú.",
        public_answer="Kết quả đã có từ ngày 30/11/2026.",
    )
    client = Client()
    for url in ("/phan-anh-kien-nghi/", f"/phan-anh-kien-nghi/{fb.code}/"):
        page = client.get(url).content.decode()
        assert "Công dân hỏi vì sao chưa có kết quả" in page
        for private in (
            "Nguyễn Thị Lan",
            "0912345678",
            received.code,
            received.applicant_id_number,
            complaint.content,
            "bà Lan",
            fb.secret,
        ):
            assert private not in page, (url, private)
    assert (
        "Kết quả đã có từ ngày 30/11/2026."
        in client.get(f"/phan-anh-kien-nghi/{fb.code}/").content.decode()
    )


def test_unpublished_feedback_has_no_public_page(complaint):
    assert Client().get(f"/phan-anh-kien-nghi/{complaint.code}/").status_code == 404
    assert Client().get("/phan-anh-kien-nghi/PAKN-<b>/?trang=-1").status_code == 404
    assert Client().get("/phan-anh-kien-nghi/?trang=abc").status_code == 200


def test_staff_answer_from_the_inbox_and_a_sibling_unit_sees_nothing(org, complaint, received):
    staff = _staff(org, "xuly.vinhphu")
    inbox = staff.get("/can-bo/phan-anh/").content.decode()
    assert complaint.code in inbox
    dossier_page = staff.get(f"/can-bo/ho-so/{received.code}/").content.decode()
    assert 'data-testid="dossier-feedback"' in dossier_page and complaint.code in dossier_page

    empty = staff.post(f"/can-bo/phan-anh/{complaint.code}/thao-tac/answer/", {"answer": " "})
    assert empty.status_code == 422 and "Vui lòng nhập nội dung trả lời" in empty.content.decode()
    done = staff.post(
        f"/can-bo/phan-anh/{complaint.code}/thao-tac/answer/", {"answer": "Đã xử lý."}
    )
    assert done.status_code == 302
    assert Feedback.objects.get(pk=complaint.pk).state == State.ANSWERED

    sibling = _staff(org, "xuly.thanhvinh")
    assert complaint.code not in sibling.get("/can-bo/phan-anh/").content.decode()
    assert sibling.get(f"/can-bo/phan-anh/{complaint.code}/").status_code == 404
    refused = sibling.post(
        f"/can-bo/phan-anh/{complaint.code}/thao-tac/publish/",
        {"public_summary": "x", "public_answer": "y"},
    )
    assert refused.status_code == 404
    assert Feedback.objects.get(pk=complaint.pk).state == State.ANSWERED
    assert Client().get("/can-bo/phan-anh/").status_code == 302  # to the login page


def test_filing_without_the_csrf_token_is_refused(received):
    response = _file(Client(enforce_csrf_checks=True), received)
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_staff_download_an_attachment_a_sibling_cannot(org, received):
    _file(Client(), received, files=[SimpleUploadedFile("giay-hen.pdf", PDF)])
    fb = Feedback.objects.get()
    item = fb.files.get()
    url = f"/can-bo/phan-anh/{fb.code}/tep/{item.pk}/"
    response = _staff(org, "xuly.vinhphu").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert _staff(org, "xuly.thanhvinh").get(url).status_code == 404

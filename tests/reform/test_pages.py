"""The cycle through the pages, as each person would click it (Django's test client)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from motcua.reform.models import Cycle, Result
from tests.catalog.test_documents import pdftotext
from tests.reform.stories import PDF, row


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def texts(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def opened(org, template):
    office = client_for(org["danhmuc"])
    r = office.post(
        "/can-bo/cai-cach/mo-nam/",
        {
            "year": "2026",
            "units": ["VINHPHU"],
            "self_days": "10",
            "appraisal_days": "5",
            "publish_days": "3",
        },
        follow=True,
    )
    assert r.status_code == 200
    cycle = Cycle.objects.get(year=2026)
    return cycle, cycle.participations.get()


def url(cycle, tail=""):
    return f"/can-bo/cai-cach/{cycle.pk}/VINHPHU/{tail}"


def test_the_whole_year_through_the_pages(org, opened, tmp_path):
    cycle, p = opened
    ward = client_for(org["xuly.vinhphu"])
    page = ward.get(url(cycle))
    assert page.status_code == 200 and "Kế hoạch CCHC ban hành đúng hạn" in page.text
    # A score above the maximum: a clear message, nothing saved.
    r = ward.post(
        url(cycle, f"tu-cham/{row(p, '1.1').pk}/"),
        {"value": "9", "citation": "KH 1"},
        follow=True,
    )
    assert "Tiêu chí 1.1: điểm 9 vượt điểm tối đa 4." in texts(r)
    assert row(p, "1.1").self_points is None
    scores = {"1.1": "4", "1.2": "4.5", "1.3": "0", "2.1": "10", "3.2": "0"}
    for code, value in scores.items():
        r = ward.post(
            url(cycle, f"tu-cham/{row(p, code).pk}/"),
            {
                "value": value,
                "files": SimpleUploadedFile("minh-chung.pdf", PDF, "application/pdf"),
            },
            follow=True,
        )
        assert f"Đã lưu tiêu chí {code}." in texts(r)
    assert row(p, "1.1").evidence.count() == 1
    # Before the lock the council cannot open the ward's page.
    council = client_for(org["thanhtra"])
    assert council.get(url(cycle)).status_code == 404
    leader = client_for(org["lanhdao.vinhphu"])
    r = leader.post(url(cycle, "khoa/"), follow=True)
    assert "Đã khóa bản tự đánh giá, chuyển hội đồng thẩm định." in texts(r)
    office = client_for(org["danhmuc"])
    office.post(
        f"/can-bo/cai-cach/{cycle.pk}/VINHPHU/khao-sat/",
        {"respondents": "120", "satisfied_pct": "95"},
    )
    page = council.get(url(cycle))
    assert page.status_code == 200
    # The council opens the ward's evidence; another ward's staff cannot.
    evidence = row(p, "1.1").evidence.get()
    download = council.get(url(cycle, f"tep/{evidence.pk}/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert f'href="{url(cycle, f"tep/{evidence.pk}/")}"' in page.text
    other = client_for(org["xuly.thanhvinh"])
    assert other.get(url(cycle, f"tep/{evidence.pk}/")).status_code == 404
    for a in p.assessments.all():
        council.post(url(cycle, f"tham-dinh/{a.pk}/"), {"decision": "accept"})
    r = council.post(
        url(cycle, f"tham-dinh/{row(p, '1.2').pk}/"),
        {"decision": "adjust", "points": "3", "reason": "Chưa hoàn thành 2 nhiệm vụ."},
        follow=True,
    )
    assert "Đã ghi ý kiến thẩm định tiêu chí 1.2." in texts(r)
    council.post(
        url(cycle, f"tham-dinh/{row(p, '2.1').pk}/"),
        {"decision": "ask", "reason": "Thiếu biên bản rà soát", "days": "3"},
    )
    r = council.post(url(cycle, "ket-thuc/"), follow=True)
    assert "Còn tiêu chí chưa thẩm định xong: 2.1." in texts(r)
    r = ward.post(
        url(cycle, f"tu-cham/{row(p, '2.1').pk}/"),
        {"only_evidence": "1", "files": SimpleUploadedFile("bien-ban.pdf", PDF)},
        follow=True,
    )
    assert "Đã lưu tiêu chí 2.1." in texts(r)
    council.post(url(cycle, f"tham-dinh/{row(p, '2.1').pk}/"), {"decision": "accept"})
    r = council.post(url(cycle, "ket-thuc/"), follow=True)
    assert "Đã kết thúc thẩm định." in texts(r)
    r = office.post(f"/can-bo/cai-cach/{cycle.pk}/cong-bo/", follow=True)
    assert "Đã công bố kết quả." in texts(r)
    # 4 + 3 + 0 + 10 + 10 (no late dossier) + 10 (survey 95 % ≥ 90 %) = 37; 3.1 has no live
    # data (no dossiers): left out, so the maximum is 10 + 10 + 10 + 10 = 40 → 92.50 % "Tốt".
    result = Result.objects.get(cycle=cycle)
    assert (result.points, result.applicable_max, result.index) == (
        Decimal("37.00"),
        Decimal("40.00"),
        Decimal("92.50"),
    )
    page = leader.get(f"/can-bo/cai-cach/{cycle.pk}/")
    assert "Tốt" in page.text and "92,50" in page.text
    xlsx = leader.get(f"/can-bo/cai-cach/{cycle.pk}/ket-qua.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert summary[2][:7] == (
        "Công an phường Vinh Phú",
        "Công an xã, phường, thị trấn",
        37,
        40,
        92.5,
        "Tốt",
        "1/1",
    )
    detail = list(book["Chi tiết tiêu chí"].iter_rows(values_only=True))
    assert (
        "Công an phường Vinh Phú",
        "1.2",
        "Hoàn thành kế hoạch",
        6,
        None,  # applicable: an empty cell
        4.5,
        3,
        "Chưa hoàn thành 2 nhiệm vụ.",
        None,  # evidence by file, no citation
    ) in detail
    pdf = leader.get(f"/can-bo/cai-cach/{cycle.pk}/ket-qua.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The usual shape: the summary, then each criterion with its scores and the council's reason.
    text = " ".join(pdftotext(pdf.content, tmp_path).split())
    assert "Công an phường Vinh Phú" in text and "92,50" in text
    assert "Hoàn thành kế hoạch" in text and "Chưa hoàn thành 2 nhiệm vụ." in text
    # After publication the form is gone and a post changes nothing.
    r = council.post(
        url(cycle, f"tham-dinh/{row(p, '1.1').pk}/"),
        {"decision": "adjust", "points": "0", "reason": "x"},
        follow=True,
    )
    assert any("đã công bố" in t for t in texts(r))
    assert row(p, "1.1").appraised_points == 4
    # A correction needs a reason, and opens a new revision for the council.
    r = office.post(f"/can-bo/cai-cach/{cycle.pk}/dinh-chinh/", {"reason": " "}, follow=True)
    assert "Đính chính phải ghi lý do." in texts(r)
    r = office.post(
        f"/can-bo/cai-cach/{cycle.pk}/dinh-chinh/", {"reason": "Sai điểm 1.2"}, follow=True
    )
    assert "Đã lập lần đính chính 2; hội đồng thẩm định lại." in texts(r)
    fixed = Cycle.objects.get(year=2026, revision=2)
    assert r.redirect_chain[-1][0] == f"/can-bo/cai-cach/{fixed.pk}/"
    assert (
        client_for(org["xuly.vinhphu"])
        .post(f"/can-bo/cai-cach/{fixed.pk}/dinh-chinh/", {"reason": "x"}, follow=True)
        .status_code
        == 200
    )
    assert Cycle.objects.filter(year=2026).count() == 2


def test_odd_parameters_never_break_a_page(org, opened):
    cycle, p = opened
    ward = client_for(org["xuly.vinhphu"])
    for path in (
        "/can-bo/cai-cach/999999/",
        f"/can-bo/cai-cach/{cycle.pk}/KHONGCO/",
        f"/can-bo/cai-cach/{cycle.pk}/ket-qua.xlsx",
        "/can-bo/cai-cach/bo-tieu-chi/999999.xlsx",
    ):
        assert ward.get(path).status_code == 404
    r = ward.post(url(cycle, f"tu-cham/{row(p, '1.2').pk}/"), {"value": "1e999"}, follow=True)
    assert "Tiêu chí 1.2: '1e999' quá lớn." in texts(r)
    r = client_for(org["danhmuc"]).post(
        "/can-bo/cai-cach/mo-nam/", {"year": "abc", "units": ["VINHPHU"]}, follow=True
    )
    assert "Năm không hợp lệ." in texts(r)
    assert Client().get("/can-bo/cai-cach/").status_code == 302


def test_the_reform_office_imports_a_template_and_sees_each_bad_row(org, template):
    from motcua.reform.models import Template
    from motcua.reform.templates_data import export_workbook

    content = export_workbook(template)
    book = load_workbook(io.BytesIO(content))
    book["Bộ tiêu chí"]["B2"] = 2027
    out = io.BytesIO()
    book.save(out)
    office = client_for(org["danhmuc"])
    r = office.post(
        "/can-bo/cai-cach/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("tieu-chi.xlsx", out.getvalue())},
        follow=True,
    )
    assert "Đã nhập bộ tiêu chí Bộ tiêu chí thử (11 tiêu chí)." in texts(r)
    assert Template.objects.filter(year=2027).exists()
    book["Bộ tiêu chí"]["B2"] = 2028
    book["Tiêu chí"]["E3"] = "tuy_y"
    out = io.BytesIO()
    book.save(out)
    r = office.post(
        "/can-bo/cai-cach/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("tieu-chi.xlsx", out.getvalue())},
        follow=True,
    )
    assert any(
        t.startswith("Trang 'Tiêu chí', dòng 3, tiêu chí 1.1: cách chấm 'tuy_y' không hợp lệ")
        for t in texts(r)
    )
    assert not Template.objects.filter(year=2028).exists()
    # A ward's staff may not import.
    r = client_for(org["xuly.vinhphu"]).post(
        "/can-bo/cai-cach/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("tieu-chi.xlsx", out.getvalue())},
    )
    assert r.status_code == 403

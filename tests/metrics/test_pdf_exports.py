"""The ranked table and a unit's scorecard as PDF (read back with pdftotext), figures from the
hand-worked October 2026 fixture (tests/metrics/conftest.py, test_scores.py)."""

import re

import pytest
from django.test import Client

from tests.catalog.test_documents import pdftotext


@pytest.fixture
def as_user(org):
    def login(username):
        client = Client()
        client.force_login(org[username])
        return client

    return login


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_ranking_downloads_as_pdf(two_months, as_user, tmp_path):
    client = as_user("thanhtra")
    page = client.get("/can-bo/chi-so/?ky=2026-10&loai=commune").content.decode()
    assert "?ky=2026-10&amp;loai=commune&amp;xuat=pdf" in page
    response = client.get("/can-bo/chi-so/?ky=2026-10&loai=commune&xuat=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="xep-hang-chi-so-2026-10.pdf"' in response["Content-Disposition"]
    text = squeeze(pdftotext(response.content, tmp_path))
    assert "Bảng xếp hạng chỉ số phục vụ" in text
    assert "Từ 01/10/2026 đến 31/10/2026" in text
    # Thành Vinh 69,08 first, Vinh Phú 63,33 second, both "Trung bình".
    assert re.search(r"1/2 THANHVINH Công an phường Thành Vinh 69,08 Trung bình", text)
    assert re.search(r"2/2 VINHPHU Công an phường Vinh Phú 63,33 Trung bình", text)
    assert text.index("THANHVINH") < text.index("VINHPHU")


def test_the_scorecard_downloads_as_pdf(two_months, as_user, tmp_path):
    client = as_user("lanhdao.vinhphu")
    page = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10").content.decode()
    assert "?ky=2026-10&amp;xuat=pdf" in page
    response = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10&xuat=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="chi-so-VINHPHU-2026-10.pdf"' in response["Content-Disposition"]
    text = squeeze(pdftotext(response.content, tmp_path))
    assert "Chỉ số phục vụ: Công an phường Vinh Phú" in text
    assert "Tổng điểm (thang 100): 63,33" in text and "Trung bình" in text
    # On time: 3 of 5 = 60 % against a 100 % threshold, 12,00 of 20 points.
    assert re.search(r"dung_han .*? 3 5 60,00% 100% 12,00/20", text)


def test_a_bad_period_or_another_unit_gives_no_pdf(two_months, as_user):
    client = as_user("lanhdao.vinhphu")
    bad = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-13&xuat=pdf")
    assert bad.status_code == 422 and bad["Content-Type"].startswith("text/html")
    assert client.get("/can-bo/chi-so/don-vi/THANHVINH/?ky=2026-10&xuat=pdf").status_code == 404

"""The reform year in a real browser at 360 px: the reform office opens 2026 for Vinh Phú, the
ward self-assesses with evidence, its leader locks it, the council adjusts one score and asks
for evidence on another, the ward adds it, the council closes, and the results are published
with band and rank."""

import pytest

from motcua.reform.models import Result
from tests.browser.test_dossier_stories import fits_the_phone, log_in
from tests.reform.stories import PDF, small_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORES = {"1.1": "4", "1.2": "4.5", "1.3": "0", "2.1": "10", "3.2": "1"}


def submit(page, form, button):
    with page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()


def test_a_ward_goes_through_its_reform_year(browser, live_server, org):
    small_template()
    office = log_in(browser, live_server, org, "danhmuc")
    office.get_by_role("link", name="Cải cách hành chính").click()
    form = office.get_by_test_id("reform-open-form")
    form.locator("input[name=year]").fill("2026")
    form.locator("input[name=units][value=VINHPHU]").check()
    submit(office, form, "Mở đánh giá")
    assert "Đã mở đánh giá năm 2026." in office.content()
    cycle_url = office.url

    ward = log_in(browser, live_server, org, "xuly.vinhphu")
    ward.goto(f"{cycle_url}VINHPHU/")
    for code, value in SCORES.items():
        form = ward.get_by_test_id(f"form-{code}")
        form.locator("input[name=value]").fill(value)
        form.locator("input[name=files]").set_input_files(
            {"name": f"minh-chung-{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        submit(ward, form, "Lưu")
        assert f"Đã lưu tiêu chí {code}." in ward.content()
    assert ward.get_by_test_id("self-3.2").inner_text().startswith("Tự chấm: 7")  # 10 − 3
    assert fits_the_phone(ward)

    leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
    leader.goto(f"{cycle_url}VINHPHU/")
    with leader.expect_navigation():
        leader.get_by_test_id("reform-lock").click()
    assert "Đã khóa bản tự đánh giá" in leader.content()

    office.goto(cycle_url)
    survey = office.locator("tr[data-unit=VINHPHU] form")
    survey.locator("input[name=respondents]").fill("150")
    survey.locator("input[name=satisfied_pct]").fill("81")  # of 90 %: 10 × 0.9 = 9
    submit(office, survey, "Ghi")

    council = log_in(browser, live_server, org, "thanhtra")
    council.goto(f"{cycle_url}VINHPHU/")
    for code in ("1.1", "1.3", "3.2", "4.1", "3.1"):
        submit(council, council.get_by_test_id(f"appraise-{code}"), "Chấp nhận")
    form = council.get_by_test_id("appraise-1.2")
    form.locator("input[name=points]").fill("3")
    form.locator("input[name=reason]").fill("Còn 2 nhiệm vụ chưa hoàn thành.")
    submit(council, form, "Điều chỉnh")
    form = council.get_by_test_id("appraise-2.1")
    form.locator("input[name=reason]").fill("Thiếu biên bản rà soát văn bản.")
    submit(council, form, "Yêu cầu bổ sung")
    with council.expect_navigation():
        council.get_by_test_id("reform-close").click()
    assert "Còn tiêu chí chưa thẩm định xong: 2.1." in council.content()

    ward.goto(f"{cycle_url}VINHPHU/")
    form = ward.get_by_test_id("evidence-2.1")
    form.locator("input[name=files]").set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(ward, form, "Bổ sung tài liệu")
    assert "bien-ban.pdf" in ward.content()

    council.goto(f"{cycle_url}VINHPHU/")
    submit(council, council.get_by_test_id("appraise-2.1"), "Chấp nhận")
    with council.expect_navigation():
        council.get_by_test_id("reform-close").click()
    assert "Đã kết thúc thẩm định." in council.content()

    office.goto(cycle_url)
    with office.expect_navigation():
        office.get_by_test_id("reform-publish").click()
    row = office.locator("[data-testid=reform-results] tr[data-unit=VINHPHU]")
    # 4 + 3 + 0 + 10 + 7 + 9 = 33 of 40 (3.1 has no live data: left out) → 82,50 % "Tốt", 1/1.
    assert row.inner_text().split("\t") == ["1/1", "Công an phường Vinh Phú", "82,50", "Tốt"]
    assert Result.objects.get().index == 82.5
    assert fits_the_phone(office)

"""Bad input changes nothing; only the right people act, and see, at each step."""

from decimal import Decimal

import pytest
from django.test import override_settings

from motcua.reform import selectors
from motcua.reform import services as s
from motcua.reform.models import Action, Assessment, Evidence, ParticipationStatus
from tests.reform.stories import PDF, PNG, row


@pytest.fixture
def cycle(org, template):
    return s.cycle_open(
        actor=org["danhmuc"],
        year=2026,
        units=[org.units["VINHPHU"], org.units["THANHVINH"]],
        self_days=10,
        appraisal_days=5,
        publish_days=3,
    )


@pytest.fixture
def vinhphu_p(cycle):
    return cycle.participations.get(unit__code="VINHPHU")


def unchanged(p, code):
    a = row(p, code)
    assert (a.self_value, a.self_points, a.citation) == (None, None, "")
    assert not Evidence.objects.filter(assessment=a).exists()
    assert not Action.objects.filter(verb="self.score").exists()


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("1.2", "7", "Tiêu chí 1.2: điểm 7 vượt điểm tối đa 6."),
        ("1.2", "-1", "Tiêu chí 1.2: điểm không được âm."),
        ("1.2", "5", "Tiêu chí 1.2: chỉ chấm theo các mức 6; 4,5; 3; 0 điểm."),
        ("1.1", "2", "Tiêu chí 1.1: chỉ chấm 0 hoặc đủ 4 điểm."),
        ("3.2", "1.5", "Tiêu chí 3.2: số lần vi phạm phải là số nguyên."),
        ("1.2", "abc", "Tiêu chí 1.2: 'abc' không phải là số."),
        ("1.2", "NaN", "Tiêu chí 1.2: 'NaN' không phải là số."),
    ],
)
def test_a_bad_score_is_refused_and_nothing_saved(org, vinhphu_p, code, value, message):
    with pytest.raises(s.ReformError) as caught:
        s.assessment_save(
            actor=org["xuly.vinhphu"],
            assessment=row(vinhphu_p, code),
            value=value,
            files=[("kh.pdf", PDF)],
        )
    assert str(caught.value) == message
    unchanged(vinhphu_p, code)


def test_evidence_of_a_wrong_type_is_refused(org, vinhphu_p):
    with pytest.raises(s.ReformError, match="không phải PDF, JPEG hay PNG"):
        s.assessment_save(
            actor=org["xuly.vinhphu"],
            assessment=row(vinhphu_p, "1.1"),
            value="4",
            files=[("ok.png", PNG), ("bao-cao.docx", b"PK\x03\x04 word")],
        )
    unchanged(vinhphu_p, "1.1")


@override_settings(DOSSIER_MAX_UPLOAD_BYTES=1024)
def test_evidence_too_large_is_refused(org, vinhphu_p):
    with pytest.raises(s.ReformError, match="quá lớn"):
        s.assessment_save(
            actor=org["xuly.vinhphu"],
            assessment=row(vinhphu_p, "1.1"),
            value="4",
            files=[("scan.pdf", PDF + b"0" * 2048)],
        )
    unchanged(vinhphu_p, "1.1")


def test_a_score_needs_evidence_or_an_explanation(org, vinhphu_p):
    with pytest.raises(s.ReformError, match="tài liệu kiểm chứng"):
        s.assessment_save(actor=org["xuly.vinhphu"], assessment=row(vinhphu_p, "1.1"), value="4")
    unchanged(vinhphu_p, "1.1")
    a = s.assessment_save(
        actor=org["xuly.vinhphu"],
        assessment=row(vinhphu_p, "1.1"),
        value="4",
        explanation="Kế hoạch ban hành kèm công văn, bản giấy lưu tại đơn vị.",
    )
    assert a.self_points == 4


def test_not_applicable_only_where_the_template_allows(org, vinhphu_p):
    with pytest.raises(s.ReformError, match="không được đánh giá là không áp dụng"):
        s.assessment_save(
            actor=org["xuly.vinhphu"],
            assessment=row(vinhphu_p, "1.1"),
            not_applicable=True,
            explanation="x",
        )


def test_only_the_units_own_staff_self_assess(org, vinhphu_p):
    for outsider in ("xuly.thanhvinh", "thanhtra", "danhmuc"):
        with pytest.raises(s.ReformRefused):
            s.assessment_save(
                actor=org[outsider],
                assessment=row(vinhphu_p, "1.1"),
                value="4",
                explanation="x",
            )
    unchanged(vinhphu_p, "1.1")


def test_only_the_leader_locks_and_only_when_everything_is_scored(org, vinhphu_p):
    with pytest.raises(s.ReformRefused):
        s.participation_lock(actor=org["xuly.vinhphu"], participation=vinhphu_p)
    with pytest.raises(s.ReformError, match="Còn tiêu chí chưa tự chấm: 1.1, 1.2, 1.3, 2.1, 3.2."):
        s.participation_lock(actor=org["lanhdao.vinhphu"], participation=vinhphu_p)
    vinhphu_p.refresh_from_db()
    assert vinhphu_p.status == ParticipationStatus.DRAFT


def lock(org, p):
    staff = org["xuly.vinhphu"]
    for code, value in {"1.1": "4", "1.2": "6", "1.3": "0", "2.1": "10", "3.2": "0"}.items():
        s.assessment_save(actor=staff, assessment=row(p, code), value=value, citation="KH 1")
    s.participation_lock(actor=org["lanhdao.vinhphu"], participation=p)
    p.refresh_from_db()


def test_who_sees_a_self_assessment(org, cycle, vinhphu_p):
    council, office = org["thanhtra"], org["danhmuc"]
    # Before the lock: the ward's own staff only.
    assert list(selectors.participations_for(org["tiepnhan.vinhphu"], cycle)) == [vinhphu_p]
    assert list(selectors.participations_for(org["xuly.thanhvinh"], cycle)) != [vinhphu_p]
    assert vinhphu_p not in selectors.participations_for(council, cycle)
    assert vinhphu_p not in selectors.participations_for(office, cycle)
    assert vinhphu_p not in selectors.participations_for(org["lanhdao.thanhvinh"], cycle)
    lock(org, vinhphu_p)
    # Submitted: the council (and the reform office) see it; the other ward still does not.
    assert vinhphu_p in selectors.participations_for(council, cycle)
    assert vinhphu_p in selectors.participations_for(office, cycle)
    assert vinhphu_p not in selectors.participations_for(org["lanhdao.thanhvinh"], cycle)


def test_after_the_lock_only_the_council_changes_scores(org, vinhphu_p):
    lock(org, vinhphu_p)
    with pytest.raises(s.ReformError, match="đã khóa"):
        s.assessment_save(
            actor=org["xuly.vinhphu"], assessment=row(vinhphu_p, "1.1"), value="0", citation="x"
        )
    # The ward's leader is not on the council.
    with pytest.raises(s.ReformRefused):
        s.assessment_appraise(
            actor=org["lanhdao.vinhphu"],
            assessment=row(vinhphu_p, "1.1"),
            decision="adjust",
            points="0",
            reason="x",
        )
    council = org["thanhtra"]
    with pytest.raises(s.ReformError, match="phải ghi lý do"):
        s.assessment_appraise(
            actor=council, assessment=row(vinhphu_p, "1.1"), decision="adjust", points="0"
        )
    with pytest.raises(s.ReformError, match="vượt điểm tối đa 4"):
        s.assessment_appraise(
            actor=council,
            assessment=row(vinhphu_p, "1.1"),
            decision="adjust",
            points="4.5",
            reason="x",
        )
    assert row(vinhphu_p, "1.1").appraised_points is None


def test_asking_for_evidence_sends_the_row_back_to_the_unit(org, vinhphu_p):
    lock(org, vinhphu_p)
    council = org["thanhtra"]
    a = s.evidence_request(
        actor=council, assessment=row(vinhphu_p, "2.1"), reason="Thiếu biên bản rà soát", days=3
    )
    assert a.evidence_due is not None
    with pytest.raises(s.ReformError, match="chưa thẩm định xong: .*2.1"):
        s.appraisal_close(actor=council, participation=vinhphu_p)
    # The unit may add evidence to that row only.
    with pytest.raises(s.ReformError, match="không yêu cầu bổ sung"):
        s.evidence_add(
            actor=org["xuly.vinhphu"], assessment=row(vinhphu_p, "1.1"), files=[("a.pdf", PDF)]
        )
    a = s.evidence_add(
        actor=org["xuly.vinhphu"],
        assessment=row(vinhphu_p, "2.1"),
        files=[("bien-ban.pdf", PDF)],
    )
    assert a.appraisal_state == "pending" and a.evidence.count() == 1
    for x in Assessment.objects.filter(participation=vinhphu_p):
        s.assessment_appraise(actor=council, assessment=x, decision="accept")
    s.appraisal_close(actor=council, participation=vinhphu_p)


def test_opening_a_year_needs_the_reform_office_and_valid_deadlines(org, template):
    units = [org.units["VINHPHU"]]
    with pytest.raises(s.ReformRefused):
        s.cycle_open(
            actor=org["lanhdao.vinhphu"],
            year=2026,
            units=units,
            self_days=1,
            appraisal_days=1,
            publish_days=1,
        )
    with pytest.raises(s.ReformError, match="Hạn thẩm định phải từ 1 đến 365"):
        s.cycle_open(
            actor=org["danhmuc"],
            year=2026,
            units=units,
            self_days=5,
            appraisal_days=0,
            publish_days=1,
        )
    with pytest.raises(s.ReformError, match="Chưa có bộ tiêu chí năm 2026 cho"):
        s.cycle_open(
            actor=org["danhmuc"],
            year=2026,
            units=[org.units["PC06"]],
            self_days=5,
            appraisal_days=5,
            publish_days=1,
        )


def survey_book(rows):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r in [list(s.SURVEY_COLUMNS), *rows]:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_survey_results_come_from_a_workbook_all_or_nothing(org, cycle):
    office = org["danhmuc"]
    bad = survey_book([["VINHPHU", 200, 93], ["THANHVINH", 0, 120], ["PC06", 10, 50]])
    with pytest.raises(s.ReformError) as caught:
        s.survey_import(actor=office, cycle=cycle, content=bad)
    message = str(caught.value)
    assert "Dòng 3, cột 'Số người trả lời': phải là số nguyên lớn hơn 0." in message
    assert "Dòng 3, cột 'Tỷ lệ hài lòng (%)': phải là số từ 0 đến 100." in message
    assert "Dòng 4, cột 'Mã đơn vị': đơn vị 'PC06' không tham gia" in message
    assert not cycle.participations.filter(survey_respondents__isnull=False).exists()
    good = survey_book([["VINHPHU", 200, 93], ["THANHVINH", 150, "72,5"]])
    assert s.survey_import(actor=office, cycle=cycle, content=good) == 2
    b = cycle.participations.get(unit__code="THANHVINH")
    # 72.5 % of a 90 % threshold: 10 × 72.5 ÷ 90 = 8.055… → 8.06.
    assert (b.survey_respondents, row(b, "4.1").self_points) == (150, Decimal("8.06"))
    with pytest.raises(s.ReformRefused):
        s.survey_import(actor=org["lanhdao.vinhphu"], cycle=cycle, content=good)

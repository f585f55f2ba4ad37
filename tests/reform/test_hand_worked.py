"""The whole cycle for two wards, with every figure worked by hand (see stories.py)."""

from decimal import Decimal

import pytest

from motcua.reform import services as s
from motcua.reform.models import Action, CycleStatus, Result
from tests.reform.stories import PDF, row


@pytest.fixture
def year(org, template, two_months):
    office = org["danhmuc"]
    cycle = s.cycle_open(
        actor=office,
        year=2026,
        units=[org.units["VINHPHU"], org.units["THANHVINH"]],
        self_days=10,
        appraisal_days=5,
        publish_days=3,
    )
    a, b = (cycle.participations.get(unit__code=c) for c in ("VINHPHU", "THANHVINH"))
    return cycle, a, b


def self_assess(org, p, suffix, scores):
    staff = org[f"xuly.{suffix}"]
    for code, value in scores.items():
        if value == "na":
            s.assessment_save(
                actor=staff,
                assessment=row(p, code),
                not_applicable=True,
                explanation="Năm nay đơn vị không ban hành văn bản nào.",
            )
        else:
            s.assessment_save(
                actor=staff,
                assessment=row(p, code),
                value=value,
                files=[("ke-hoach.pdf", PDF)],
                citation="KH 12/KH-CAP, trang 3",
            )
    s.participation_lock(actor=org[f"lanhdao.{suffix}"], participation=p)
    p.refresh_from_db()


def test_it_scores_two_wards_ranks_them_and_publishes(org, year):
    cycle, a, b = year
    # Vinh Phú: 1.1 full 4; 1.2 at 75 % = 4.5; bonus 1; 2.1 n/a; 2 late dossiers → 10 − 6.
    self_assess(org, a, "vinhphu", {"1.1": "4", "1.2": "4.5", "1.3": "1", "2.1": "na", "3.2": "2"})
    # Thành Vinh: 1.1 zero; 1.2 full 6; bonus 2; 2.1 at 50 % = 5; 4 late → 10 − 12, floored at 0.
    self_assess(org, b, "thanhvinh", {"1.1": "0", "1.2": "6", "1.3": "2", "2.1": "5", "3.2": "4"})
    # Automatic 3.1 from the live index: on time 3 of 5 (A) → 10 × 0.6 = 6; 2 of 3 (B) → 6.67.
    assert row(a, "3.1").self_points == Decimal("6.00")
    assert row(b, "3.1").self_points == Decimal("6.67")
    assert row(b, "3.2").self_points == Decimal("0.00")
    office, council = org["danhmuc"], org["thanhtra"]
    # Survey: A 92 % ≥ 90 % → full 10; B 72 % of 90 % → 10 × 0.8 = 8.
    s.survey_record(actor=office, participation=a, respondents=250, satisfied_pct="92")
    s.survey_record(actor=office, participation=b, respondents=180, satisfied_pct="72")
    for p in (a, b):
        for assessment in p.assessments.all():
            s.assessment_appraise(actor=council, assessment=assessment, decision="accept")
    # The council lowers A's 1.2 to the 50 % level: 3 points.
    s.assessment_appraise(
        actor=council,
        assessment=row(a, "1.2"),
        decision="adjust",
        points="3",
        reason="Còn 2 nhiệm vụ của kế hoạch chưa hoàn thành.",
    )
    for p in (a, b):
        s.appraisal_close(actor=council, participation=p)
    s.cycle_publish(actor=office, cycle=cycle)

    ra = Result.objects.get(cycle=cycle, unit__code="VINHPHU")
    rb = Result.objects.get(cycle=cycle, unit__code="THANHVINH")
    # A: 4 + 3 + 1 (bonus) + 6 + 4 + 10 = 28 of 10 + 20 + 10 = 40 (field 2 not applicable).
    assert (ra.points, ra.applicable_max, ra.index) == (
        Decimal("28.00"),
        Decimal("40.00"),
        Decimal("70.00"),
    )
    assert (ra.band, ra.rank, ra.rank_of) == ("Khá", 1, 2)
    # B: 0 + 6 + 2 + 5 + 6.67 + 0 + 8 = 27.67 of 50 → 55.34 %.
    assert (rb.points, rb.applicable_max, rb.index) == (
        Decimal("27.67"),
        Decimal("50.00"),
        Decimal("55.34"),
    )
    assert (rb.band, rb.rank, rb.rank_of) == ("Hoàn thành nhiệm vụ", 2, 2)
    # By field: A 8/10, n/a, 10/20, 10/10; B 8/10, 5/10, 6.67/20, 8/10.
    assert [f["pct"] for f in ra.fields] == ["80.00", None, "50.00", "100.00"]
    assert [f["pct"] for f in rb.fields] == ["80.00", "50.00", "33.35", "80.00"]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED
    verbs = list(Action.objects.filter(cycle=cycle).values_list("verb", flat=True))
    assert verbs[0] == "cycle.open" and verbs[-1] == "cycle.publish"
    assert "appraise.adjust" in verbs

    # Nobody edits after publication.
    with pytest.raises(s.ReformError, match="đã công bố"):
        s.assessment_appraise(
            actor=council, assessment=row(a, "1.1"), decision="adjust", points="0", reason="Sửa"
        )
    # A correction is a new revision; the published one stands until the new one is published.
    fixed = s.cycle_correct(actor=office, cycle=cycle, reason="Sai điểm tiêu chí 1.1 của B.")
    fa = fixed.participations.get(unit__code="THANHVINH")
    s.assessment_appraise(
        actor=council,
        assessment=row(fa, "1.1"),
        decision="adjust",
        points="4",
        reason="Kế hoạch ban hành ngày 05/01, có văn bản.",
    )
    for p in fixed.participations.all():
        s.appraisal_close(actor=council, participation=p)
    s.cycle_publish(actor=office, cycle=fixed)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SUPERSEDED
    # B: 27.67 + 4 = 31.67 of 50 → 63.34 %; the first revision's figures are kept as they were.
    assert Result.objects.get(cycle=fixed, unit__code="THANHVINH").index == Decimal("63.34")
    assert Result.objects.get(cycle=cycle, unit__code="THANHVINH").index == Decimal("55.34")


def test_ties_share_a_rank():
    from motcua.reform.scoring import UnitScore, rank

    # 90, 90, 80 of 100 → ranks 1, 1, 3.
    scores = [UnitScore(i, "commune", Decimal(p), Decimal(100)) for i, p in enumerate((90, 90, 80))]
    rank(scores)
    assert [x.rank for x in scores] == [1, 1, 3]
    assert [x.band for x in scores] == ["Tốt", "Tốt", "Tốt"]


def run_year(org, year, scores):
    """Vinh Phú alone, every score accepted as entered; no live data (3.1 left out)."""
    office, council = org["danhmuc"], org["thanhtra"]
    cycle = s.cycle_open(
        actor=office,
        year=year,
        units=[org.units["VINHPHU"]],
        self_days=5,
        appraisal_days=5,
        publish_days=5,
    )
    p = cycle.participations.get()
    for code, value in scores.items():
        s.assessment_save(
            actor=org["xuly.vinhphu"],
            assessment=row(p, code),
            value=value,
            citation="BC 1/BC-CAP, trang 2",
        )
    s.participation_lock(actor=org["lanhdao.vinhphu"], participation=p)
    s.survey_record(actor=office, participation=p, respondents=100, satisfied_pct="90")
    for a in p.assessments.all():
        s.assessment_appraise(actor=council, assessment=a, decision="accept")
    s.appraisal_close(actor=council, participation=p)
    s.cycle_publish(actor=office, cycle=cycle)
    return Result.objects.get(cycle=cycle)


def test_it_shows_the_change_from_last_year_per_field(org):
    from tests.reform.stories import small_template

    small_template(2025)
    small_template(2026)
    # 2025: field 1 = 0 + 3 + 0 = 3/10 = 30 %; field 2 = 5/10 = 50 %; field 3 = 10/10 (3.1 out)
    # = 100 %; field 4 = 10/10 = 100 %.
    before = run_year(org, 2025, {"1.1": "0", "1.2": "3", "1.3": "0", "2.1": "5", "3.2": "0"})
    assert [f["pct"] for f in before.fields] == ["30.00", "50.00", "100.00", "100.00"]
    assert [f["change"] for f in before.fields] == [None, None, None, None]
    # 2026: field 1 = 4 + 6 + 2 = 12/10 = 120 % (bonus); field 2 = 10/10; field 3: 2 events →
    # 4/10 = 40 %; field 4 unchanged.
    after = run_year(org, 2026, {"1.1": "4", "1.2": "6", "1.3": "2", "2.1": "10", "3.2": "2"})
    assert [f["pct"] for f in after.fields] == ["120.00", "100.00", "40.00", "100.00"]
    assert [f["change"] for f in after.fields] == ["90.00", "50.00", "-60.00", "0.00"]
    # 12 + 10 + 4 + 10 = 36 of 40 → 90.00 %, "Tốt".
    assert (after.index, after.band) == (Decimal("90.00"), "Tốt")


def test_an_automatic_score_links_to_the_dossiers_behind_it(org, year, client):
    cycle, a, _b = year
    self_assess(org, a, "vinhphu", {"1.1": "4", "1.2": "4.5", "1.3": "1", "2.1": "na", "3.2": "2"})
    client.force_login(org["thanhtra"])  # the appraisal council
    page = client.get(f"/can-bo/cai-cach/{cycle.pk}/VINHPHU/").content.decode()
    drill = "/can-bo/chi-so/don-vi/VINHPHU/ho-so/?ky=2026&amp;chi_tieu=dung_han"
    assert 'data-testid="drill-3.1"' in page and drill in page
    # 3 of 5 on time (the hand-worked 6.00 points): the two lists hold 3 and 5 dossiers.
    numerator = client.get(drill.replace("&amp;", "&")).content.decode()
    denominator = client.get(drill.replace("&amp;", "&") + "&ve=mau").content.decode()
    assert _rows(numerator) == 3
    assert _rows(denominator) == 5


def _rows(page: str) -> int:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>")

"""The satisfaction group from the citizens' ratings and feedback, every figure worked by hand.

On top of the two-month fixture (conftest.two_months), in October 2026:
- Ratings (18 points max; below 9 is a dislike): A1 18 on 05/10 (liked); A2 10 on 06/10 09:00,
  corrected to 4 at 12:00 (now a dislike); B1 8 on 05/10 (dislike: just below 9); B2 9 on 06/10
  (liked: the boundary).
- Feedback to Vinh Phú: F1 a complaint about A4 filed Thu 08/10 09:00 (answer due 15 working
  days later, Thu 29/10 09:00), answered Fri 30/10 (late), judged not satisfied; F2 about the
  unit filed Mon 12/10 09:00, answered Tue 13/10 (on time), judged satisfied; F3 about the unit
  filed Tue 20/10 09:00, refused Wed 21/10 (within 2 working days: on time), never judged.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.dossiers.models import Dossier
from motcua.feedback.services import feedback_answer, feedback_file, feedback_rate, feedback_reject
from motcua.metrics.models import DailyFact, MonthlyFact
from motcua.metrics.scores import index_report, r2
from motcua.metrics.services import facts_rebuild
from motcua.ratings import criteria
from motcua.ratings.services import rating_change, rating_submit
from motcua.ratings.tokens import RATEABLE
from tests.metrics.stories import vn
from tests.metrics.test_rebuild import random_history, snapshot
from tests.metrics.test_scores import OCT, figures

TEXT = "Cán bộ hẹn trả kết quả nhưng đến hẹn vẫn chưa có, đề nghị kiểm tra."


def scores(total: int) -> dict:
    """Answers to the nine questions that add up to `total` (2s first, then a 1)."""
    out, left = {}, total
    for c in criteria.CRITERIA:
        out[c.code] = min(2, left)
        left -= out[c.code]
    assert sum(out.values()) == total
    return out


@pytest.fixture
def satisfaction(two_months, org):
    d = two_months
    rating_submit(dossier=d["A1"], scores=scores(18), channel="online", now=vn(2026, 10, 5, 11))
    a2 = rating_submit(dossier=d["A2"], scores=scores(10), channel="online", now=vn(2026, 10, 6, 9))
    rating_change(rating=a2, scores=scores(4), now=vn(2026, 10, 6, 12))
    rating_submit(dossier=d["B1"], scores=scores(8), channel="online", now=vn(2026, 10, 5, 11))
    rating_submit(dossier=d["B2"], scores=scores(9), channel="online", now=vn(2026, 10, 6, 17))
    handler = org["xuly.vinhphu"]
    f1 = feedback_file(
        subject="dossier",
        name="Nguyễn Thị Lan",
        contact="0912345678",
        content=TEXT,
        dossier_code=d["A4"].code,
        dossier_secret=d["A4"].tracking_secret,
        ip="203.0.113.9",
        at=vn(2026, 10, 8, 9),
    )
    f1 = feedback_answer(actor=handler, feedback=f1, answer="Xin lỗi.", at=vn(2026, 10, 30, 10))
    feedback_rate(feedback=f1, satisfied=False, at=vn(2026, 10, 30, 15))
    about_unit = dict(
        subject="unit",
        name="Trần Văn Bình",
        contact="0912345679",
        content=TEXT,
        unit_code="VINHPHU",
    )
    f2 = feedback_file(**about_unit, at=vn(2026, 10, 12, 9))
    f2 = feedback_answer(actor=handler, feedback=f2, answer="Đã xử lý.", at=vn(2026, 10, 13, 9))
    feedback_rate(feedback=f2, satisfied=True, at=vn(2026, 10, 14, 9))
    f3 = feedback_file(**about_unit, at=vn(2026, 10, 20, 9))
    feedback_reject(actor=handler, feedback=f3, reason="Trùng lặp.", at=vn(2026, 10, 21, 9))
    return d


def test_vinh_phu_october_satisfaction_by_hand(satisfaction, org):
    a = index_report(*OCT).for_unit(org.units["VINHPHU"])
    # Handled: F1 (late), F2, F3 (on time) = 2/3 of T 100%: 6 × 2/3 = 4.
    assert figures(a, "pakn_dung_han") == ("scored", 2, 3, Decimal("4.00"))
    # Judged: F1 no, F2 yes = 1/2: 3 points.
    assert figures(a, "hai_long_pakn") == ("scored", 1, 2, Decimal("3.00"))
    # 5 due (A1–A4 finished, A5 open and overdue) less 2 late (A3, A5), less A2 disliked, less
    # A4 complained about = 1/5 = 20%, below T 90%: 6 × 0.2 ÷ 0.9 = 4/3.
    assert figures(a, "hai_long_tthc") == ("scored", 1, 5, Decimal("1.33"))
    # Dossier indicators as in test_scores: 377/15; + 4 + 3 + 4/3 (= 125/15) = 502/15 points
    # of 58 → 50200/870 = 57.701… of 100.
    assert a.applicable_max == 58
    assert r2(a.points) == Decimal("33.47")
    assert r2(a.score) == Decimal("57.70")
    assert a.band == "Trung bình"


def test_thanh_vinh_ratings_at_the_threshold(satisfaction, org):
    b = index_report(*OCT).for_unit(org.units["THANHVINH"])
    # 3 finished, B3 late, B1 rated 8 (a dislike), B2 rated 9 (not): 1/3 → 6 × (1/3) ÷ 0.9 = 20/9.
    assert figures(b, "hai_long_tthc") == ("scored", 1, 3, Decimal("2.22"))
    # No feedback: both feedback indicators left out.
    assert figures(b, "pakn_dung_han") == ("no_dossiers", 0, 0, None)
    assert figures(b, "hai_long_pakn") == ("no_dossiers", 0, 0, None)


def test_the_corrected_rating_counts_once_as_it_is_now(satisfaction, org):
    unit = org.units["VINHPHU"]
    facts = {
        (f.day, f.code): f.value
        for f in DailyFact.objects.filter(unit=unit, code__in=["rated", "rated_dislike"])
    }
    assert facts == {
        (date(2026, 10, 5), "rated"): 1,
        (date(2026, 10, 6), "rated"): 1,
        (date(2026, 10, 6), "rated_dislike"): 1,
    }


def test_without_the_sources_the_group_is_no_data(satisfaction, org):
    from motcua.metrics import sources

    sources.unregister("feedback")
    try:
        a = index_report(*OCT).for_unit(org.units["VINHPHU"])
        assert a.indicator("hai_long_tthc").missing_sources == ["feedback"]
        assert a.indicator("pakn_dung_han").state == "no_data"
    finally:
        sources.register("feedback")


def test_rebuild_gives_the_satisfaction_facts_counted(satisfaction):
    counted = snapshot()
    assert counted[0]  # the fixture counted something
    DailyFact.objects.all().delete()
    MonthlyFact.objects.all().delete()
    facts_rebuild(actor="test")
    assert snapshot() == counted


@pytest.mark.parametrize("seed", [4, 5])
def test_rebuild_equals_incremental_with_random_ratings_and_feedback(vinhphu, thanhvinh, seed):
    """Random dossiers, then random ratings (some corrected across the dislike line) and
    complaints (answered early or late, refused, left open; judged or not)."""
    rng = random.Random(seed)
    random_history(rng, [vinhphu, thanhvinh], 20)
    handlers = {vinhphu.unit.pk: vinhphu.handler, thanhvinh.unit.pk: thanhvinh.handler}
    rated = complained = 0
    for d in Dossier.objects.order_by("pk"):
        at = d.finished_at or d.received_at
        if d.status in RATEABLE and rng.random() < 0.7:
            at = at + timedelta(minutes=rng.randrange(10, 3000))
            r = rating_submit(
                dossier=d, scores=scores(rng.randrange(0, 19)), channel="online", now=at
            )
            rated += 1
            if rng.random() < 0.4:
                r = rating_change(
                    rating=r, scores=scores(rng.randrange(0, 19)), now=at + timedelta(hours=2)
                )
        if rng.random() < 0.5:
            at = at + timedelta(minutes=rng.randrange(10, 3000))
            fb = feedback_file(
                subject="dossier",
                name="Nguyễn Thị Lan",
                contact="0912345678",
                content=TEXT,
                dossier_code=d.code,
                dossier_secret=d.tracking_secret,
                ip="203.0.113.9",
                at=at,
            )
            complained += 1
            handler = handlers[d.handling_unit_id]
            outcome, at = rng.random(), at + timedelta(minutes=rng.randrange(60, 40000))
            if outcome < 0.2:
                feedback_reject(actor=handler, feedback=fb, reason="Trùng lặp.", at=at)
            elif outcome < 0.8:
                fb = feedback_answer(actor=handler, feedback=fb, answer="Đã xử lý.", at=at)
                if rng.random() < 0.7:
                    feedback_rate(
                        feedback=fb, satisfied=rng.random() < 0.5, at=at + timedelta(hours=1)
                    )
    counted = snapshot()
    daily = counted[0]
    assert sum(v for (_u, _d, c), v in daily.items() if c == "rated") == rated > 0
    assert sum(v for (_u, _d, c), v in daily.items() if c == "complained") == complained > 0
    DailyFact.objects.all().delete()
    MonthlyFact.objects.all().delete()
    facts_rebuild(actor="test")
    assert snapshot() == counted

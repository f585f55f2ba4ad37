"""The demo's ratings: given only for results handed over, valid, and seeded once."""

from datetime import timedelta

from motcua.dossiers.services import dossier_record_payment, dossier_return
from motcua.ratings import criteria, demo
from motcua.ratings.models import Rating


def test_demo_ratings_are_valid_and_seeded_once(org, ready, make_ready, friday_16h):
    desk = org["tiepnhan.vinhphu"]
    returned = []
    for d in [ready, *(make_ready("vinhphu") for _ in range(7))]:
        d = dossier_record_payment(
            actor=desk, dossier=d, version=d.version, amount=15000, channel="cash"
        )
        returned.append(dossier_return(actor=desk, dossier=d, version=d.version))
    waiting = make_ready("vinhphu")  # result ready, not handed over
    friday_16h.shift(timedelta(days=3))

    made = demo.seed()
    ratings = list(Rating.objects.select_related("dossier"))
    assert made == len(ratings) > 0
    assert all(r.dossier.status == "returned" for r in ratings)
    assert not Rating.objects.filter(dossier=waiting).exists()
    for r in ratings:
        assert r.total == sum(r.scores.values()) <= criteria.MAX_TOTAL
        assert r.created_at > r.dossier.returned_at
        assert r.desk == (r.dossier.desk if r.channel == "kiosk" else None)
    assert demo.seed() == 0
    assert Rating.objects.count() == made

"""Demo ratings: about half of the seeded dossiers whose result was handed over are rated, the
day after, mostly well, some poorly. Deterministic (a random generator seeded from the dossier's
code) and idempotent (a rated dossier is skipped)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.ratings import criteria
from motcua.ratings.models import Rating, RatingChannel
from motcua.ratings.services import rating_submit

COMMENTS = ["", "", "", "Cán bộ hướng dẫn tận tình.", "Phải chờ lâu.", "Thủ tục nhanh gọn."]


def seed() -> int:
    now = timezone.now()
    made = 0
    rated = Rating.objects.values("dossier_id")
    returned = (
        Dossier.objects.filter(status=Status.RETURNED, returned_at__isnull=False)
        .exclude(pk__in=rated)
        .select_related("desk")
        .order_by("pk")
    )
    with transaction.atomic():
        for dossier in returned:
            rng = random.Random(dossier.code)
            if rng.random() >= 0.5:
                continue
            kiosk = dossier.return_method == "desk" and rng.random() < 0.4
            # At the desk's tablet right after taking the result; online within a day or so.
            later = (
                timedelta(minutes=rng.randint(2, 10))
                if kiosk
                else timedelta(hours=rng.randint(1, 30))
            )
            at = dossier.returned_at + later
            if at > now:
                continue
            weights = (
                (0.70, 0.22, 0.08) if dossier.finished_on_time is not False else (0.3, 0.4, 0.3)
            )
            scores = {c.code: rng.choices((2, 1, 0), weights)[0] for c in criteria.CRITERIA}
            rating_submit(
                dossier=dossier,
                scores=scores,
                comment=rng.choice(COMMENTS),
                channel=RatingChannel.KIOSK if kiosk else RatingChannel.ONLINE,
                desk=dossier.desk if kiosk else None,
                now=at,
            )
            made += 1
    return made

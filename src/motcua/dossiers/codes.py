"""Dossier codes: <agency identifier>-<YYMMDD>-<sequence> (Circular 01/2018 Art. 19)."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from motcua.dossiers.models import DailyCounter

# No 0/O, 1/I/L: the secret is read aloud and typed from paper.
SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def next_sequence(unit, day) -> int:
    """The next number for `unit` on `day`. Must run inside the intake transaction: the row lock
    orders concurrent intakes, and a rollback takes the number back, so codes stay gapless."""
    for _attempt in range(3):
        updated = DailyCounter.objects.filter(unit=unit, day=day).update(last=F("last") + 1)
        if updated:
            return DailyCounter.objects.get(unit=unit, day=day).last
        try:
            with transaction.atomic():
                DailyCounter.objects.create(unit=unit, day=day, last=1)
            return 1
        except IntegrityError:
            continue  # another intake created today's row first: increment it
    raise RuntimeError("could not allocate a dossier number")


def dossier_code(unit, day, sequence: int) -> str:
    pattern = getattr(settings, "DOSSIER_CODE_FORMAT", "{agency}-{date:%y%m%d}-{seq:04d}")
    return pattern.format(agency=unit.agency_id or unit.code, date=day, seq=sequence)


def tracking_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(8))

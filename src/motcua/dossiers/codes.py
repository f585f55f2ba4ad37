"""Dossier codes: <agency identifier>-<YYMMDD>-<sequence> (Circular 01/2018 Art. 19)."""

import secrets

from django.conf import settings
from django.db import connection

from motcua.dossiers.models import DailyCounter

# No 0/O, 1/I/L: the secret is read aloud and typed from paper.
SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def next_sequence(unit, day) -> int:
    """The next number for `unit` on `day`. Must run inside the intake transaction: the row lock
    orders concurrent intakes, and a rollback takes the number back, so codes stay gapless.

    One upsert statement (SQLite 3.35+ and PostgreSQL both speak it): it creates the day's row or
    increments it, and hands back the number, in a single round trip on every intake."""
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 - names only
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, connection.ops.adapt_datefield_value(day)],
        )
        return cursor.fetchone()[0]


def dossier_code(unit, day, sequence: int) -> str:
    pattern = getattr(settings, "DOSSIER_CODE_FORMAT", "{agency}-{date:%y%m%d}-{seq:04d}")
    return pattern.format(agency=unit.agency_id or unit.code, date=day, seq=sequence)


def tracking_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(8))

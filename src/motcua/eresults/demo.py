"""Demo keys: a local CA and one signing certificate per unit, under var/pki/ (never committed)."""

from motcua.eresults.keys import ensure_demo_pki
from motcua.org.models import Unit


def seed() -> None:
    ensure_demo_pki(Unit.objects.order_by("path"))

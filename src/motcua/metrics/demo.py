"""Demo seeding for the index: the facts of dossiers stored before the metrics app counted them.

New dossiers are counted as their steps happen; a database whose dossiers predate the app (or a
demo seeded before it was installed) has dossiers and no facts: rebuild them once."""

from motcua.dossiers.models import Dossier
from motcua.metrics.definition import definition_v1_ensure
from motcua.metrics.models import DailyFact
from motcua.metrics.services import facts_rebuild


def seed() -> None:
    definition_v1_ensure()
    if Dossier.objects.exists() and not DailyFact.objects.exists():
        facts_rebuild(actor="seed-demo")

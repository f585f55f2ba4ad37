"""`motcua seed-demo`: realistic demo data for Nghệ An provincial police, idempotent.

Each app that has demo data adds its seeder here, in dependency order. A seeder takes no
arguments, may run any number of times, and leaves the same data each time.
"""

from importlib import import_module

from django.db import transaction

from motcua.audit.services import audit_record

SEEDERS = [
    "motcua.org.demo.seed",
    "motcua.catalog.demo.seed",
    "motcua.worktime.demo.seed",
]


def seed_all() -> None:
    with transaction.atomic():
        for dotted in SEEDERS:
            module, name = dotted.rsplit(".", 1)
            getattr(import_module(module), name)()
        audit_record(actor="seed-demo", action="demo.seed", changes={"seeders": SEEDERS})

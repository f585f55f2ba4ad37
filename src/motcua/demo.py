"""`motcua seed-demo`: realistic demo data for Nghệ An provincial police, idempotent (the past
dossiers of `dossiers.demo` are seeded once).

Each app that has demo data adds its seeder here, in dependency order. A seeder takes no
arguments, may run any number of times, and leaves the same data each time.
"""

from importlib import import_module

from django.db import transaction
from django.test.utils import override_settings

from motcua.audit.services import audit_record
from motcua.notify.services import notices_suppressed

QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"
SEEDERS = [
    "motcua.org.demo.seed",
    "motcua.catalog.demo.seed",
    "motcua.worktime.demo.seed",
    "motcua.eresults.demo.seed",
    "motcua.dossiers.demo.seed",
    "motcua.demo_idp.demo.seed",
    "motcua.portal.online.demo.seed",
    "motcua.feedback.demo.seed",
    "motcua.ratings.demo.seed",
    "motcua.metrics.demo.seed",
    "motcua.reform.demo.seed",
    "motcua.sentences.demo.seed",
]


def seed_all() -> None:
    # The notices of the seeded past dossiers are history: mailing them now would flood inboxes
    # (staff notices are swallowed by the dummy backend; citizens' are not even written).
    with override_settings(EMAIL_BACKEND=QUIET_MAIL), notices_suppressed(), transaction.atomic():
        for dotted in SEEDERS:
            module, name = dotted.rsplit(".", 1)
            getattr(import_module(module), name)()
        audit_record(actor="seed-demo", action="demo.seed", changes={"seeders": SEEDERS})

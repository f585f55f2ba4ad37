"""Real threads against the real database: the same form posted eight times at once makes one
application; four receptionists accepting one application at once make one dossier."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from motcua.dossiers.errors import InvalidState
from motcua.dossiers.models import Dossier, DossierFile
from motcua.portal.online import services
from motcua.portal.online.models import ApplicationFile, OnlineApplication
from tests.portal.online_story import APPLICANT, MANDATORY, all_photos, lan
from tests.threads import in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_form_posted_at_once_makes_one_application(org, tam_tru, desk_vinhphu):
    citizen = lan()
    key = services.new_key()

    @in_thread
    def submit(_n):
        app, changed = services.application_save(
            citizen=citizen,
            idempotency_key=key,
            procedure_version=tam_tru,
            desk=desk_vinhphu,
            applicant=APPLICANT,
            request_summary="Đăng ký tạm trú",
            files=all_photos(),
            submit=True,
        )
        return app.pk, changed

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(submit, range(8)))

    assert len({pk for pk, _ in outcomes}) == 1
    assert sum(changed for _, changed in outcomes) == 1
    assert OnlineApplication.objects.count() == 1
    assert ApplicationFile.objects.count() == len(MANDATORY)
    assert OnlineApplication.objects.get().events.count() == 1


def test_two_receptionists_accepting_at_once_make_one_dossier(org, tam_tru, desk_vinhphu):
    citizen = lan()
    app, _ = services.application_save(
        citizen=citizen,
        idempotency_key=services.new_key(),
        procedure_version=tam_tru,
        desk=desk_vinhphu,
        applicant=APPLICANT,
        files=all_photos(),
        submit=True,
    )
    receptionist = org["tiepnhan.vinhphu"]

    @in_thread
    def accept(_n):
        try:
            return services.application_accept(actor=receptionist, application=app).code
        except InvalidState:
            return "conflict"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(accept, range(4)))

    codes = [o for o in outcomes if o != "conflict"]
    assert len(codes) == 1 and outcomes.count("conflict") == 3
    assert Dossier.objects.count() == 1
    assert DossierFile.objects.count() == len(MANDATORY)
    assert OnlineApplication.objects.get().dossier.code == codes[0]

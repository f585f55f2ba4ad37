"""Apps below dossiers (notices, metrics) hear every step inside its transaction."""

import pytest
from django.db import transaction

from motcua.dossiers.models import DossierAction
from motcua.dossiers.services import dossier_assign
from motcua.dossiers.signals import action_logged


@pytest.fixture
def heard():
    calls = []

    def listener(sender, action, dossier, **kwargs):
        calls.append((action.action, dossier.status, transaction.get_connection().in_atomic_block))

    action_logged.connect(listener)
    yield calls
    action_logged.disconnect(listener)


def test_every_step_is_heard_once_inside_its_transaction(received, org, heard):
    # `received` was made before the listener connected: only the assignment is heard.
    dossier_assign(
        actor=org["lanhdao.vinhphu"],
        dossier=received,
        version=received.version,
        handler=org["xuly.vinhphu"],
    )
    assert heard == [("assign", "processing", True)]
    assert DossierAction.objects.filter(dossier=received).count() == 2

"""The dossier stories' fixtures and a citizen account (the `smtp` fixture is tests/smtp.py's,
shared through tests/conftest.py)."""

import pytest

# The dossier stories' fixtures (a received dossier, frozen time) serve the notice tests too.
from tests.dossiers.conftest import citizen, desk_vinhphu, friday_16h, received, tam_tru  # noqa: F401


@pytest.fixture
def lan_account(db):
    """Nguyễn Thị Lan's citizen account (the person of the dossier stories)."""
    from motcua.portal.citizens import citizen_upsert

    return citizen_upsert(
        id_number="040190012345",
        full_name="Nguyễn Thị Lan",
        email="lan.nguyen@example.vn",
        phone="0912345678",
    )

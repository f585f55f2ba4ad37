# The dossier stories' fixtures (a published procedure, a received dossier) serve these tests too.
from tests.dossiers.conftest import citizen, desk_nghiphu, friday_16h, received, tam_tru  # noqa: F401

# The dossier stories' fixtures (a received dossier, frozen time) serve the payment tests too.
from tests.dossiers.conftest import citizen, desk_vinhphu, friday_16h, received, tam_tru  # noqa: F401

# The dossier stories' fixtures (a received dossier, frozen time) serve the inspector and notice
# tests too.
from tests.dossiers.conftest import (  # noqa: F401
    citizen,
    desk_vinhphu,
    friday_16h,
    received,
    tam_tru,
)

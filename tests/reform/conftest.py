import pytest

from tests.metrics.conftest import tam_tru, thanhvinh, two_months, vinhphu  # noqa: F401
from tests.reform.stories import small_template


@pytest.fixture
def pki(org):
    """Certificates for the wards, so the live-index stories can issue e-results."""
    from motcua.eresults import demo

    demo.seed()


@pytest.fixture
def template(org):
    return small_template()

import pytest

from tests.metrics.conftest import (  # noqa: F401
    tam_tru,
    thanhvinh,
    two_months,
    unit_keys,
    vinhphu,
)
from tests.reform.stories import small_template


@pytest.fixture
def template(org):
    return small_template()

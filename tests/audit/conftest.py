import pytest


@pytest.fixture
def org(org):
    """The demo organisation, with an empty audit log: these tests count the rows they write,
    not those of the demo's unit import."""
    from motcua.audit.models import AuditEntry

    AuditEntry.objects.all().delete()
    return org

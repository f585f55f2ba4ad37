"""Citizen accounts: one per identification number, and they see only what they submitted."""

import pytest
from django.core.exceptions import ValidationError

from motcua.dossiers.models import Dossier
from motcua.org.models import Unit
from motcua.portal.citizens import citizen_upsert
from tests.dossiers.stories import CITIZEN, all_documents, publish

LAN = {"id_number": "040190000123", "full_name": "Nguyễn Thị Lan", "email": "lan@example.vn"}
HUNG = {"id_number": "040085000456", "full_name": "Trần Văn Hùng", "phone": "0912345678"}


def test_it_creates_one_account_per_id_number_and_updates_contacts(db):
    lan = citizen_upsert(**LAN)
    again = citizen_upsert(**{**LAN, "phone": "0987654321"})
    assert again.pk == lan.pk
    assert again.get_full_name() == "Nguyễn Thị Lan"
    assert (again.email, again.phone) == ("lan@example.vn", "0987654321")
    assert again.is_citizen and not again.is_staff_member
    assert not again.has_usable_password()
    assert again.capabilities == frozenset()


@pytest.mark.parametrize(
    "bad", ["", "12345", "04019000012x", "999190000123", "０４０１９００００１２３"]
)
def test_it_refuses_a_malformed_id_number(db, bad):
    with pytest.raises(ValidationError):
        citizen_upsert(id_number=bad, full_name="Ai Đó")


def test_it_refuses_a_staff_members_number(org):
    staff = org["tiepnhan.vinhphu"]
    staff.id_number = LAN["id_number"]
    staff.save()
    with pytest.raises(ValidationError, match="cán bộ"):
        citizen_upsert(**LAN)


def test_a_citizen_sees_only_the_dossiers_they_submitted(org):
    from motcua.dossiers.services import dossier_receive

    version = publish(org, "1.004194")
    desk = org.units["VINHPHU"].desks.get()
    lan, hung = citizen_upsert(**LAN), citizen_upsert(**HUNG)
    made = []
    for owner in (lan, hung, None):
        dossier = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk,
            procedure_version=version,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )
        Dossier.objects.filter(pk=dossier.pk).update(submitted_by=owner)
        made.append(dossier.pk)
    assert list(Dossier.objects.for_user(lan).values_list("pk", flat=True)) == [made[0]]
    assert list(Dossier.objects.for_user(hung).values_list("pk", flat=True)) == [made[1]]
    # Models without an owner field give a citizen nothing (units, staff, ...).
    assert not Unit.objects.for_user(lan).exists()
    # A deactivated citizen sees nothing at all.
    lan.is_active = False
    lan.save()
    assert not Dossier.objects.for_user(lan).exists()

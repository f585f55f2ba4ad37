"""Citizen accounts: users without a unit, role "citizen", keyed by their 12-digit personal
identification number. Every way of signing in (OpenID Connect claims, e-mail or phone with a
one-time code) ends in `citizen_upsert`, so there is one account per person whatever the door."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.audit.services import audit_record
from motcua.dossiers.identity import personal_id_error
from motcua.org.models import User
from motcua.org.roles import Role


def citizen_upsert(*, id_number: str, full_name: str, email: str = "", phone: str = "") -> User:
    """The citizen account for `id_number`, created or updated with the given contact details.

    Raises ValidationError (Vietnamese message) for a malformed number or a number that belongs
    to a staff account."""
    id_number = (id_number or "").strip()
    error = personal_id_error(id_number)
    if error:
        raise ValidationError(error)
    family, _sep, given = (full_name or "").strip().rpartition(" ")
    fields = {"last_name": family[:150], "first_name": given[:150]}
    if email:
        fields["email"] = email.strip()[:254]
    if phone:
        fields["phone"] = phone.strip()[:30]
    with transaction.atomic():
        # of=("self",): the staff manager joins the (nullable) unit, which PostgreSQL cannot lock.
        user = User.objects.select_for_update(of=("self",)).filter(id_number=id_number).first()
        if user is not None and not (user.role == Role.CITIZEN and user.unit_id is None):
            raise ValidationError("Số định danh này thuộc một tài khoản cán bộ.")
        if user is None:
            try:
                with transaction.atomic():
                    user = User(
                        username=f"cd-{id_number}", id_number=id_number, role=Role.CITIZEN, **fields
                    )
                    user.set_unusable_password()
                    user.save()
            except IntegrityError:  # created by a concurrent sign-in of the same person
                return citizen_upsert(
                    id_number=id_number, full_name=full_name, email=email, phone=phone
                )
            audit_record(
                actor=user, action="citizen.create", obj=user, changes={"id_number": id_number}
            )
            return user
        changed = {k: v for k, v in fields.items() if getattr(user, k) != v and v}
        if changed:
            for k, v in changed.items():
                setattr(user, k, v)
            user.save(update_fields=list(changed))
            audit_record(actor=user, action="citizen.update", obj=user, changes=changed)
        return user

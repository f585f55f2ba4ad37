from motcua.org.models import Desk, Unit, User
from motcua.org.scoping import scope


def units_for_user(user):
    return Unit.objects.for_user(user).select_related("parent")


def staff_for_user(user):
    return User.objects.for_user(user).filter(is_active=True).order_by("unit__path", "username")


def desks_for_user(user):
    return scope(Desk.objects.select_related("unit"), user, unit_field="unit")

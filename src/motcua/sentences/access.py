"""Who may read a sentence case: tighter than the rest of motcua (sensitive personal data).

- a supervising officer ("cán bộ theo dõi thi hành án") or a leader of a commune police unit:
  the cases that commune keeps (and those of units merged into it);
- a supervising officer or leader of the provincial criminal-execution agency (a unit named in
  settings.SENTENCES_AGENCY_UNITS): every case of the province above it;
- an inspector: counts only (`counting_root`), never a name;
- nobody else, the system administrator included.
"""

from django.conf import settings
from django.db.models import QuerySet

from motcua.org.models import UnitKind
from motcua.org.roles import Cap


def _active_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.unit_id)


def is_agency(user) -> bool:
    return _active_staff(user) and user.unit.code in settings.SENTENCES_AGENCY_UNITS


def reading_root(user):
    """The unit whose subtree's cases the user may read, or None."""
    if not _active_staff(user) or not user.can(Cap.VIEW_SENTENCES):
        return None
    if user.unit.kind == UnitKind.COMMUNE_POLICE:
        return user.unit
    if is_agency(user):
        return user.unit.parent or user.unit
    return None


def can_supervise(user) -> bool:
    return reading_root(user) is not None and user.can(Cap.SUPERVISE_SENTENCES)


def cases_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every read of cases goes through here: the cases the user may read, or none."""
    from motcua.sentences.models import Case

    queryset = Case.objects.all() if queryset is None else queryset
    root = reading_root(user)
    if root is None:
        return queryset.none()
    return queryset.filter(commune__path__startswith=root.path)


def counting_root(user):
    """The unit whose subtree the user may count (inspectors: their own subtree; readers: what
    they read)."""
    if root := reading_root(user):
        return root
    if _active_staff(user) and user.can(Cap.COUNT_SENTENCES):
        return user.unit
    return None

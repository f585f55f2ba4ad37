"""Reads of the reform app, scoped to the caller (org.scoping)."""

from django.db.models import Q

from motcua.org.scoping import scope
from motcua.reform.models import Cycle, Participation, ParticipationStatus, Result


def participations_for(user, cycle: Cycle):
    """The unit's own staff see their self-assessment at every stage; the council and the
    reform office see, within their subtree, only those submitted (locked)."""
    rows = scope(Participation.objects.filter(cycle=cycle), user, unit_field="unit")
    if user.is_superuser:
        return rows.select_related("unit")
    visible = Q(unit_id=user.unit_id)
    if user.can("reform.appraise") or user.can("reform.manage"):
        visible |= ~Q(status=ParticipationStatus.DRAFT)
    return rows.filter(visible).select_related("unit")


def progress_for(user, cycle: Cycle):
    """Every unit's stage (no scores) for the reform office, within its subtree."""
    return scope(Participation.objects.filter(cycle=cycle), user, unit_field="unit").select_related(
        "unit"
    )


def results_for(user, cycle: Cycle):
    return scope(Result.objects.filter(cycle=cycle), user, unit_field="unit").select_related("unit")


def cycles_for(user):
    """Cycles with at least one unit in the caller's subtree, or opened by their unit's tree."""
    units = scope(Participation.objects.all(), user, unit_field="unit").values("cycle_id")
    return Cycle.objects.filter(Q(pk__in=units)).order_by("-year", "-revision")

"""Reads of the metrics app: the dossiers behind a figure (drill-down), scoped to the caller;
for the catalogue indicators, the procedures behind it."""

from datetime import date

from django.db.models import Q

from motcua.dossiers.models import Dossier
from motcua.metrics import catalog_facts
from motcua.metrics.facts import dossiers_counted
from motcua.metrics.formulas import FORMULAS
from motcua.org.scoping import can_act_on

SIDES = ("numerator", "denominator")


class DrillDownRefused(Exception):
    pass


def drillable(formula_code: str, side: str) -> bool:
    formula = FORMULAS.get(formula_code)
    if formula is not None and catalog_facts.drillable(formula_code, side):
        return True
    return formula is not None and side in SIDES and bool(getattr(formula, side))


def dossiers_behind(*, actor, unit, formula_code: str, side: str, start: date, end: date):
    """The dossiers counted in one side of one indicator for `unit` (its subtree) over
    [start, end]: exactly those summed in the figure. Only for a unit inside the caller's own
    subtree: another unit's staff get DrillDownRefused, whatever dossiers they could see."""
    if not can_act_on(actor, unit):
        raise DrillDownRefused("Bạn chỉ xem được hồ sơ của đơn vị mình và các đơn vị cấp dưới.")
    if not drillable(formula_code, side) or catalog_facts.drillable(formula_code, side):
        raise DrillDownRefused("Số liệu này không có danh sách hồ sơ kèm theo.")
    base = Dossier.objects.for_user(actor).filter(handling_unit__path__startswith=unit.path)
    ids = Q(pk__in=[])
    for code in getattr(FORMULAS[formula_code], side):
        ids |= Q(pk__in=dossiers_counted(base, code, start, end).values("pk"))
    return (
        base.filter(ids)
        .select_related("procedure_version", "handling_unit")
        .order_by("received_at", "pk")
    )


def procedures_behind(*, actor, unit, formula_code: str, side: str, start: date, end: date):
    """The procedure versions counted in one side of a catalogue indicator for `unit` (its
    subtree): exactly those counted in the figure, under the same scoping as the dossiers."""
    if not can_act_on(actor, unit):
        raise DrillDownRefused("Bạn chỉ xem được số liệu của đơn vị mình và các đơn vị cấp dưới.")
    if not catalog_facts.drillable(formula_code, side):
        raise DrillDownRefused("Số liệu này không có danh sách thủ tục kèm theo.")
    return catalog_facts.procedures_behind(unit, formula_code, side, start, end)

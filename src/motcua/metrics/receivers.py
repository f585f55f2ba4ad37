"""Counting at event time: every dossier step adds to its unit's daily facts, in the step's own
transaction (a step that rolls back counts nothing)."""

from django.dispatch import receiver

from motcua.dossiers.signals import action_logged
from motcua.metrics.catalog_facts import mark_paid_online
from motcua.metrics.facts import facts_add, facts_for_step


@receiver(action_logged, dispatch_uid="metrics.count_step")
def count_step(sender, action, dossier, **kwargs):
    counted = facts_for_step(action.action, dossier)
    if counted:
        facts_add([(dossier.handling_unit_id, day, code, 1) for day, code in counted])
    for day, code in counted:
        if code == "fee_paid_online":
            procedure_id = dossier.procedure_version.procedure_id
            mark_paid_online(dossier.handling_unit_id, procedure_id, day)

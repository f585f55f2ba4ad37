"""Approving with an electronic result issues it, inside the approve's own transaction."""

from django.dispatch import receiver

from motcua.dossiers.signals import action_logged
from motcua.eresults.services import eresult_issue


@receiver(action_logged, dispatch_uid="eresults.issue_on_approve")
def issue_on_approve(sender, action, dossier, **kwargs):
    if action.action == "approve" and dossier.e_result:
        eresult_issue(actor=action.actor, dossier=dossier, at=action.at)

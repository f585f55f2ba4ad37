"""Signals for the apps that hang below dossiers (notices, metrics): they listen here, so dossiers
never import them."""

from django.dispatch import Signal

# Sent by every dossier step, inside its transaction, right after its DossierAction row is written;
# kwargs: action (the DossierAction), dossier (its state after the step). Receivers that write
# rows (an outbox of notices, daily counts) commit or roll back with the step itself.
action_logged = Signal()

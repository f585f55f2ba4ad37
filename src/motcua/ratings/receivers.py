"""Dossier steps this app listens to (dossiers.signals): the rating link comes with the result."""

from motcua.ratings.tokens import RATEABLE, token_issue


def issue_token_with_result(sender, action, dossier, **kwargs):
    # Inside the step's transaction: the token exists exactly when the result does.
    if action.action in ("approve", "return") and dossier.status in RATEABLE:
        token_issue(dossier=dossier, now=action.at)

"""Reads of feedback: the staff inbox (scoped), the public list of published answers."""

from motcua.feedback.models import Feedback, State

INBOX_PAGE = 30
PUBLIC_PAGE = 20

INBOX_FILTERS = {
    "": (State.RECEIVED, State.INFO_REQUESTED, State.INFO_RECEIVED, State.ANSWERED),
    "tat-ca": tuple(State.values),
    **{value: (value,) for value in State.values},
}


def inbox_for(user, *, state: str = ""):
    """What the user's unit subtree must handle, the nearest due first (open ones by default)."""
    states = INBOX_FILTERS.get(state, INBOX_FILTERS[""])
    return (
        Feedback.objects.for_user(user)
        .filter(state__in=states)
        .select_related("unit", "procedure", "dossier")
        .order_by("due_at", "-filed_at")
    )


def feedback_for_staff(user, code: str) -> Feedback | None:
    return (
        Feedback.objects.for_user(user)
        .select_related("unit", "procedure", "dossier", "answered_by")
        .filter(code=str(code)[:32])
        .first()
    )


def feedback_about_dossier(user, dossier):
    return Feedback.objects.for_user(user).filter(dossier=dossier).order_by("filed_at")


def published():
    return (
        Feedback.objects.published()
        .select_related("unit", "procedure", "dossier__procedure_version")
        .order_by("-published_at")
    )


def published_one(code: str) -> Feedback | None:
    return published().filter(code=str(code)[:32]).first()


def find_for_citizen(code: str) -> Feedback | None:
    code = str(code or "").strip().upper()[:32]
    return (
        Feedback.objects.select_related("unit", "procedure").filter(code=code).first()
        if code
        else None
    )

"""The one hook for everything that happens to an online application before it is a dossier.

Each call records the step in the application's history, in the caller's transaction, and tells
the citizen (notify app's outbox, same transaction) when the desk returned or refused it; the
acceptance is told by the dossier's own e-receipt notice.
Kinds: "draft_saved", "submitted", "resubmitted", "returned", "refused", "accepted"."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.notify.services import application_message, notice_for_application
from motcua.portal.online.models import ApplicationEvent, OnlineApplication

EVENT_LABELS = {
    "draft_saved": _("Đã lưu nháp"),
    "submitted": _("Đã nộp trực tuyến"),
    "resubmitted": _("Đã nộp lại sau khi bổ sung"),
    "returned": _("Bộ phận một cửa yêu cầu bổ sung, hoàn thiện"),
    "refused": _("Bộ phận một cửa từ chối tiếp nhận"),
    "accepted": _("Đã tiếp nhận hồ sơ"),
}

# Steps the citizen is told about (a saved draft is their own doing).
CITIZEN_FACING = ("submitted", "resubmitted", "returned", "refused", "accepted")


def application_event(
    application: OnlineApplication, kind: str, *, actor=None, data: dict | None = None
) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application, kind=kind, at=timezone.now(), actor=actor, data=data or {}
    )
    if kind in TOLD:
        _tell(application, event)
    return event


# The desk's answers to an application, with the data key that lists what it says.
TOLD = {"returned": "items", "refused": "reasons"}


def _tell(application: OnlineApplication, event: ApplicationEvent) -> None:
    subject, text = application_message(
        f"application_{event.kind}",
        procedure=application.procedure_version.name,
        items=event.data.get(TOLD[event.kind], []),
    )
    notice_for_application(
        key=f"application{application.pk}:{event.kind}:{event.pk}",
        event=f"application_{event.kind}",
        subject=subject,
        text=text,
        link=settings.PUBLIC_BASE_URL + reverse("portal:application", args=[application.pk]),
        user=application.citizen,
    )

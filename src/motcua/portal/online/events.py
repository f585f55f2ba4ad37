"""The one hook for everything that happens to an online application before it is a dossier.

Each call records the step in the application's history, in the caller's transaction. The lead
wires notices here (notify app): after that, this is where the citizen is told, once per step.
Kinds: "draft_saved", "submitted", "resubmitted", "returned", "refused", "accepted"."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    return ApplicationEvent.objects.create(
        application=application, kind=kind, at=timezone.now(), actor=actor, data=data or {}
    )

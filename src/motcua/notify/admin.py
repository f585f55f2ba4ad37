from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.notify.models import Notice
from motcua.notify.services import notices_retry


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read only: notices are written by the dossier steps and sent by the worker. A failed one
    can be put back in the queue ("Gửi lại ngay")."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "address",
        "dossier",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["key", "address", "dossier__code"]
    list_select_related = ["dossier"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Gửi lại ngay"), permissions=["view"])
    def retry_now(self, request, queryset):
        count = notices_retry(actor=request.user, notices=list(queryset))
        self.message_user(
            request,
            ngettext(
                "Đã đưa %(count)d thông báo vào hàng đợi gửi lại.",
                "Đã đưa %(count)d thông báo vào hàng đợi gửi lại.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin import AuditedAdmin
from motcua.worktime.models import CalendarDay, UnitCalendar
from motcua.worktime.services import calendar_days_confirm


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["day", "kind", "name", "provisional", "source"]
    list_filter = ["provisional", "kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "day"
    actions = ["confirm"]

    @admin.action(description=_("Xác nhận các ngày nghỉ tạm thời đã chọn"))
    def confirm(self, request, queryset):
        count = calendar_days_confirm(actor=request.user, days=list(queryset))
        self.message_user(
            request,
            gettext("Đã xác nhận %(count)d ngày nghỉ.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(UnitCalendar)
class UnitCalendarAdmin(AuditedAdmin):
    list_display = ["unit", "sessions", "saturday_sessions", "saturday_counts"]
    autocomplete_fields = ["unit"]

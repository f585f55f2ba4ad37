from django.contrib import admin

from motcua.audit.admin import AuditedAdmin
from motcua.worktime.models import CalendarDay, UnitCalendar


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["day", "kind", "name", "source"]
    list_filter = ["kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "day"


@admin.register(UnitCalendar)
class UnitCalendarAdmin(AuditedAdmin):
    list_display = ["unit", "sessions", "saturday_sessions"]
    autocomplete_fields = ["unit"]

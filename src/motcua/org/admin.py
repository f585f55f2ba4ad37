from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin import AuditedAdmin
from motcua.org.models import Desk, Unit, User


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "agency_id", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "agency_id"]
    autocomplete_fields = ["parent", "merged_into"]
    readonly_fields = ["path", "depth"]


@admin.register(Desk)
class DeskAdmin(AuditedAdmin):
    list_display = ["name", "code", "unit", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["served_units"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Đơn vị và vai trò"), {"fields": ("unit", "role", "position", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Đơn vị và vai trò"), {"fields": ("unit", "role")}),
    )

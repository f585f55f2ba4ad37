from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin import AuditedAdmin
from motcua.org.importing import ImportRejected, read_rows, units_import
from motcua.org.models import Desk, Unit, User


class UnitImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "agency_id", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "agency_id"]
    autocomplete_fields = ["parent", "merged_into"]
    readonly_fields = ["path", "depth"]
    change_list_template = "admin/org/unit/change_list.html"

    def get_urls(self):
        extra = [
            path("nhap/", self.admin_site.admin_view(self.import_view), name="org_unit_import")
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        """Upload a CSV/XLSX of units: all rows or nothing, errors listed by row and column."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = UnitImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                units = units_import(
                    actor=request.user, rows=read_rows(upload.name, upload.read(5 * 1024 * 1024))
                )
            except ImportRejected as rejected:
                errors = [str(e) for e in rejected.errors]
            else:
                messages.success(request, _("Đã nhập %(n)s đơn vị.") % {"n": len(units)})
                return redirect("admin:org_unit_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": _("Nhập đơn vị từ tệp"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/org/unit/import.html", context)


@admin.register(Desk)
class DeskAdmin(AuditedAdmin):
    list_display = ["name", "code", "unit", "phone", "is_active"]
    search_fields = ["name", "code", "address"]
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

"""Django admin for the catalogue: domains are edited here (by system administrators);
procedures and versions are shown read-only, because every change to them must go through the
draft-and-publish services (staff pages under /can-bo/tthc/), which number and audit versions."""

from django.contrib import admin

from motcua.audit.admin import AuditedAdmin
from motcua.catalog.models import Domain, FormTemplate, Procedure, ProcedureVersion


@admin.register(Domain)
class DomainAdmin(AuditedAdmin):
    list_display = ["code", "name", "position"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "owner_unit", "audience", "current_version", "effective_from"]
    list_filter = ["audience", "online_level", "domain"]
    search_fields = ["code", "search_text"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ["procedure", "number", "status", "name", "effective_from", "published_at"]
    list_filter = ["status"]
    search_fields = ["procedure__code", "name"]


@admin.register(FormTemplate)
class FormTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "procedure", "filename", "size", "uploaded_at"]
    search_fields = ["name", "procedure__code"]

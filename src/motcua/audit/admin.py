from django.contrib import admin

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record, model_changes


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["seq", "at", "actor_name", "action", "object_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "object_id", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every save and delete lands in the audit log, in the same transaction."""

    def save_model(self, request, obj, form, change):
        old = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        fields = [f.name for f in obj._meta.concrete_fields]
        audit_record(
            actor=request.user,
            action=f"{obj._meta.label_lower}.{'change' if change else 'create'}",
            obj=obj,
            changes=model_changes(old, obj, fields),
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=f"{obj._meta.label_lower}.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action=f"{obj._meta.label_lower}.delete", obj=obj)
        super().delete_queryset(request, queryset)

from django.contrib import admin

from motcua.metrics.models import IndexDefinition


@admin.register(IndexDefinition)
class IndexDefinitionAdmin(admin.ModelAdmin):
    """Read-only: a definition changes only by importing a new version (XLSX)."""

    list_display = ["version", "name", "effective_from", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from motcua.api.models import ApiToken
from motcua.audit.admin import AuditedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
    search_fields = ["prefix", "user__username"]

    def has_add_permission(self, request):
        # Raw tokens are shown once, by `motcua create-token`; the admin can only revoke.
        return False

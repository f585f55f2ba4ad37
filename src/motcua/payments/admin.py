from django.contrib import admin

from motcua.audit.admin import AuditedAdmin
from motcua.payments.models import PaymentOrder


@admin.register(PaymentOrder)
class PaymentOrderAdmin(AuditedAdmin):
    """Read only: orders change through the gateway's IPN alone."""

    list_display = ["txn_ref", "dossier", "amount", "status", "created_at", "paid_at"]
    list_filter = ["status", "provider"]
    search_fields = ["txn_ref", "dossier__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

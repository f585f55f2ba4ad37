from django.conf import settings
from django.core.checks import Error, Tags, register

DEMO_SECRET = "DEMO-ONLY-SECRET-NOT-FOR-PRODUCTION"  # settings.py's default


@register(Tags.security, deploy=True)
def payment_settings(app_configs, **kwargs):
    errors = []
    if settings.DEMO_PAYMENT_SIMULATOR:
        # Its "Thanh toán" button marks a fee paid with no money moving.
        errors.append(
            Error(
                "DEMO_PAYMENT_SIMULATOR is on: anyone can mark a fee paid without paying.",
                hint="Unset DEMO_PAYMENT_SIMULATOR in production.",
                id="motcua.payments.E001",
            )
        )
    if settings.VNPAY_URL and settings.VNPAY_HASH_SECRET == DEMO_SECRET:
        errors.append(
            Error(
                "VNPAY_URL is set but VNPAY_HASH_SECRET is the demo value.",
                hint="Set VNPAY_TMN_CODE and VNPAY_HASH_SECRET to what VNPay issued.",
                id="motcua.payments.E002",
            )
        )
    return errors

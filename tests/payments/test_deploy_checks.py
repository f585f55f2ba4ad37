"""`motcua check --deploy` refuses payment settings that would let fees be marked paid falsely."""

from motcua.payments.checks import payment_settings


def ids(settings_overrides, settings):
    for name, value in settings_overrides.items():
        setattr(settings, name, value)
    return [e.id for e in payment_settings(None)]


def test_the_demo_gateway_is_refused_in_production(settings):
    assert ids({"DEMO_PAYMENT_SIMULATOR": True, "VNPAY_URL": ""}, settings) == [
        "motcua.payments.E001"
    ]


def test_a_real_gateway_with_the_demo_secret_is_refused(settings):
    found = ids(
        {
            "DEMO_PAYMENT_SIMULATOR": False,
            "VNPAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
            "VNPAY_HASH_SECRET": "DEMO-ONLY-SECRET-NOT-FOR-PRODUCTION",
        },
        settings,
    )
    assert found == ["motcua.payments.E002"]


def test_a_real_gateway_with_its_own_secret_passes(settings):
    overrides = {
        "DEMO_PAYMENT_SIMULATOR": False,
        "VNPAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
        "VNPAY_HASH_SECRET": "ISSUED-BY-VNPAY",
    }
    assert ids(overrides, settings) == []

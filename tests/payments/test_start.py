"""A citizen starts paying from the tracking page, with the secret printed on the receipt."""

from urllib.parse import parse_qsl, urlsplit

from motcua.payments.models import PaymentOrder


def details(client, dossier, secret=None):
    return client.post(
        f"/tra-cuu/{dossier.code}/", {"ma_tra_cuu": secret or dossier.tracking_secret}
    ).content.decode()


def test_the_tracking_page_offers_online_payment_of_what_is_due(client, received):
    html = details(client, received)
    assert "15.000 đồng, chưa nộp" in html
    assert "Thanh toán trực tuyến" in html
    # Without the secret, neither the fee nor the button.
    html = client.get(f"/tra-cuu/{received.code}/").content.decode()
    assert "Thanh toán trực tuyến" not in html and "15.000" not in html


def test_paying_sends_the_citizen_to_the_gateway_with_a_signed_order(client, received, settings):
    response = client.post(
        f"/thanh-toan/ho-so/{received.code}/", {"ma_tra_cuu": received.tracking_secret}
    )
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{settings.PUBLIC_BASE_URL}/demo-vnpay/"
    params = dict(parse_qsl(url.query))
    order = PaymentOrder.objects.get(dossier=received)
    assert (order.amount, order.status) == (15000, PaymentOrder.Status.PENDING)
    assert params["vnp_TxnRef"] == order.txn_ref
    assert params["vnp_Amount"] == "1500000"
    assert params["vnp_ReturnUrl"] == f"{settings.PUBLIC_BASE_URL}/thanh-toan/ket-qua/"
    assert params["vnp_CreateDate"] == "20261127160000"  # Friday 16:00 in Vietnam


def test_a_wrong_secret_starts_nothing(client, received):
    response = client.post(f"/thanh-toan/ho-so/{received.code}/", {"ma_tra_cuu": "WRONG123"})
    assert response.status_code == 403
    assert "Mã tra cứu không đúng" in response.content.decode()
    assert not PaymentOrder.objects.exists()


def test_without_a_gateway_nor_the_simulator_there_is_no_online_payment(client, received, settings):
    settings.DEMO_PAYMENT_SIMULATOR = False
    settings.VNPAY_URL = ""
    assert "Thanh toán trực tuyến" not in details(client, received)
    response = client.post(
        f"/thanh-toan/ho-so/{received.code}/", {"ma_tra_cuu": received.tracking_secret}
    )
    assert response.status_code == 404
    assert client.get("/demo-vnpay/").status_code == 404
    assert not PaymentOrder.objects.exists()


def test_the_real_gateway_is_used_when_configured(client, received, settings):
    settings.DEMO_PAYMENT_SIMULATOR = False
    settings.VNPAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    response = client.post(
        f"/thanh-toan/ho-so/{received.code}/", {"ma_tra_cuu": received.tracking_secret}
    )
    assert response["Location"].startswith(
        "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=1500000&"
    )


def test_the_simulator_refuses_an_unsigned_request(client):
    response = client.get("/demo-vnpay/?vnp_TxnRef=X&vnp_Amount=100&vnp_SecureHash=00")
    assert response.status_code == 400
    assert "sai chữ ký" in response.content.decode()

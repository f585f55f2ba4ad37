"""The gateway's notices (IPN) settle an order of a dossier of Công an phường Vinh Phú: a genuine
one records the fee paid online once; a forged, altered, unknown or replayed one changes
nothing; the return page the citizen lands on never records anything."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.dossiers.models import Dossier, DossierAction
from motcua.payments import vnpay
from motcua.payments.models import PaymentOrder
from motcua.payments.services import payment_order_create
from tests.threads import in_thread

IPN = "/thanh-toan/vnpay/ipn/"


@pytest.fixture
def order(received):
    return payment_order_create(dossier=received, provider=vnpay.provider())


def gateway_says(order, *, paid=True, amount=None, secret=None, **extra):
    """The query VNPay sends for this order (its return and its IPN carry the same one)."""
    params = {
        "vnp_TmnCode": vnpay.provider().tmn_code,
        "vnp_Amount": (order.amount if amount is None else amount) * 100,
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": f"Nop phi ho so {order.dossier.code}",
        "vnp_PayDate": "20261127161000",
        "vnp_ResponseCode": "00" if paid else "24",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TransactionNo": "14226112",
        "vnp_TxnRef": order.txn_ref,
        **extra,
    }
    return vnpay.signed_query(params, secret or vnpay.provider().hash_secret)


def ipn(client, query):
    response = client.get(f"{IPN}?{query}")
    assert response.status_code == 200
    return response.json()["RspCode"]


def paid_actions(dossier):
    return DossierAction.objects.filter(dossier=dossier, action="record_payment")


def nothing_changed(dossier, order):
    fresh = Dossier.objects.get(pk=dossier.pk)
    return (
        fresh.version == dossier.version
        and fresh.fee_paid_at is None
        and not paid_actions(dossier).exists()
        and PaymentOrder.objects.get(pk=order.pk).status == PaymentOrder.Status.PENDING
    )


def test_it_records_the_fee_paid_online_when_the_gateway_confirms(client, received, order):
    assert order.amount == received.fee_amount == 15000

    assert ipn(client, gateway_says(order)) == "00"

    d = Dossier.objects.get(pk=received.pk)
    assert (d.fee_paid_amount, d.fee_channel) == (15000, "online")
    assert d.fee_paid_at is not None
    step = paid_actions(d).get()
    assert step.data == {"amount": 15000, "channel": "online", "fee": 15000}
    assert step.actor_name == "Cổng thanh toán trực tuyến"
    order.refresh_from_db()
    assert order.status == PaymentOrder.Status.PAID
    assert order.provider_data["vnp_TransactionNo"] == "14226112"
    assert AuditEntry.objects.filter(action="payment.paid", object_id=str(order.pk)).exists()
    assert AuditEntry.objects.filter(action="dossier.record_payment").count() == 1


def test_a_wrong_signature_is_refused_with_97(client, received, order):
    assert ipn(client, gateway_says(order, secret="NOT-OUR-SECRET")) == "97"
    assert nothing_changed(received, order)


def test_an_amount_changed_after_signing_is_a_wrong_signature(client, received, order):
    query = gateway_says(order).replace("vnp_Amount=1500000", "vnp_Amount=100")
    assert ipn(client, query) == "97"
    assert nothing_changed(received, order)


def test_a_signed_but_different_amount_is_refused_with_04(client, received, order):
    assert ipn(client, gateway_says(order, amount=1000)) == "04"
    assert nothing_changed(received, order)


def test_an_unknown_order_is_refused_with_01(client, received, order):
    assert ipn(client, gateway_says(order, vnp_TxnRef="NOSUCHORDER")) == "01"
    assert nothing_changed(received, order)


def test_a_replayed_ipn_answers_02_and_pays_nothing_more(client, received, order):
    query = gateway_says(order)
    assert ipn(client, query) == "00"
    paid = Dossier.objects.get(pk=received.pk)

    assert ipn(client, query) == "02"
    again = Dossier.objects.get(pk=received.pk)
    assert (again.version, again.fee_paid_amount) == (paid.version, 15000)
    assert paid_actions(received).count() == 1


def test_a_cancelled_payment_fails_the_order_and_a_new_one_can_pay(client, received, order):
    assert ipn(client, gateway_says(order, paid=False)) == "00"
    order.refresh_from_db()
    assert order.status == PaymentOrder.Status.FAILED
    assert Dossier.objects.get(pk=received.pk).fee_paid_at is None
    # Replaying the cancellation, or turning it into a success, changes nothing.
    assert ipn(client, gateway_says(order)) == "02"
    assert Dossier.objects.get(pk=received.pk).fee_paid_at is None

    second = payment_order_create(dossier=received, provider=vnpay.provider())
    assert ipn(client, gateway_says(second)) == "00"
    assert Dossier.objects.get(pk=received.pk).fee_channel == "online"


def test_two_orders_both_paid_at_the_gateway_pay_the_dossier_once(client, received, order):
    """The citizen opened the payment twice: the second payment is marked for refund."""
    second = payment_order_create(dossier=received, provider=vnpay.provider())
    assert ipn(client, gateway_says(order)) == "00"
    assert ipn(client, gateway_says(second)) == "00"

    assert Dossier.objects.get(pk=received.pk).fee_paid_amount == 15000
    assert paid_actions(received).count() == 1
    second.refresh_from_db()
    assert second.status == PaymentOrder.Status.REFUND
    assert AuditEntry.objects.filter(action="payment.refund", object_id=str(second.pk)).exists()


def test_the_return_page_tells_but_never_marks_paid(client, received, order):
    response = client.get(f"/thanh-toan/ket-qua/?{gateway_says(order)}")
    assert response.status_code == 200
    assert "Cổng thanh toán báo bạn đã trả 15.000 đồng" in response.content.decode()
    assert nothing_changed(received, order)


def test_a_forged_return_says_so(client, received, order):
    response = client.get(f"/thanh-toan/ket-qua/?{gateway_says(order, secret='FORGED')}")
    assert response.status_code == 400
    assert "Kết quả thanh toán không hợp lệ" in response.content.decode()


def test_no_order_for_a_dossier_already_paid(client, received, order):
    from motcua.dossiers.errors import InvalidState

    ipn(client, gateway_says(order))
    with pytest.raises(InvalidState, match="không có khoản phí, lệ phí nào cần nộp"):
        payment_order_create(dossier=received, provider=vnpay.provider())


@pytest.mark.django_db(transaction=True)
def test_ipns_arriving_together_pay_once(received, order):
    from django.test import Client

    query = gateway_says(order)

    @in_thread
    def notify(_):
        return Client().get(f"{IPN}?{query}").json()["RspCode"]

    workers = 4 if connection.vendor == "postgresql" else 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(notify, range(workers * 2)))

    assert sorted(answers) == ["00"] + ["02"] * (workers * 2 - 1)
    assert Dossier.objects.get(pk=received.pk).fee_paid_amount == 15000
    assert paid_actions(received).count() == 1

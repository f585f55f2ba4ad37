"""Fees at the desk of Công an phường Vinh Phú: the fee due is fixed at intake and never changed by
a payment; a dossier is paid only when the amount paid covers it; an exemption needs a reason;
a procedure that charges nothing ("Không thu") offers no payment at all."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.dossiers.errors import InvalidInput, InvalidState, StaleVersion
from motcua.dossiers.models import Dossier, DossierAction
from motcua.dossiers.services import (
    allowed_actions,
    dossier_assign,
    dossier_receive,
    dossier_record_payment,
    dossier_return,
)
from tests.dossiers.api_client import ApiAs, errors_of
from tests.dossiers.stories import CITIZEN, all_documents, approved, publish
from tests.dossiers.test_views import action_url, detail_url, login
from tests.threads import in_thread

REISSUE_FEE = [{"name": "Lệ phí cấp lại", "desk": 70000, "online": 35000}]
TEN_TO_THE_19 = 10**19


@pytest.fixture
def reissue(org):
    return publish(org, "1.012403", fees=REISSUE_FEE)


@pytest.fixture
def free(org):
    return publish(org, "1.000001", fees=[])


def receive(org, version, desk, channel="desk", name=CITIZEN["name"]):
    return dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk,
        procedure_version=version,
        applicant=dict(CITIZEN, name=name),
        checklist=all_documents(),
        channel=channel,
    )


def pay(org, d, **params):
    return dossier_record_payment(
        actor=org["tiepnhan.vinhphu"], dossier=d, version=d.version, **params
    )


def unchanged(d):
    fresh = Dossier.objects.get(pk=d.pk)
    return (
        fresh.version == d.version
        and fresh.fee_amount == d.fee_amount
        and fresh.fee_paid_amount == 0
        and fresh.fee_paid_at is None
        and not fresh.fee_exempt
        and not DossierAction.objects.filter(dossier=d, action="record_payment").exists()
    )


# ---------------------------------------------------------------- "Không thu"


def test_a_dossier_that_charges_nothing_offers_no_payment(org, free, desk_vinhphu, friday_16h):
    d = receive(org, free, desk_vinhphu)
    assert d.fee_amount == 0
    assert "record_payment" not in allowed_actions(org["tiepnhan.vinhphu"], d)

    with pytest.raises(InvalidState, match="không thu phí, lệ phí"):
        pay(org, d, amount=0, channel="cash")
    with pytest.raises(InvalidState, match="không thu phí, lệ phí"):
        pay(org, d, exempt=True, exempt_reason="Trẻ em")
    assert unchanged(d)


def test_the_dossier_page_of_a_free_dossier_has_no_payment_button(
    client, org, free, desk_vinhphu, friday_16h
):
    d = receive(org, free, desk_vinhphu)
    html = login(client, org, "tiepnhan.vinhphu").get(detail_url(d)).content.decode()
    assert "Không thu" in html
    assert 'data-testid="action-record_payment"' not in html
    response = client.post(
        action_url(d, "record_payment"), {"version": d.version, "amount": 0, "channel": "cash"}
    )
    assert response.status_code == 409
    assert unchanged(d)


# ---------------------------------------------------------------- amounts


def test_one_dong_against_70000_is_refused_and_changes_nothing(
    org, reissue, desk_vinhphu, friday_16h
):
    d = receive(org, reissue, desk_vinhphu)
    assert d.fee_amount == 70000

    with pytest.raises(InvalidInput) as caught:
        pay(org, d, amount=1, channel="cash")
    assert caught.value.fields["amount"] == (
        "Số tiền nộp (1 đồng) chưa đủ số phí, lệ phí phải nộp (70.000 đồng). "
        "Nếu người nộp được miễn, hãy chọn miễn và ghi lý do."
    )
    assert unchanged(d)
    assert "record_payment" in allowed_actions(org["tiepnhan.vinhphu"], d)


def test_the_full_fee_pays_the_dossier_and_keeps_the_fee_due(
    org, reissue, desk_vinhphu, friday_16h
):
    d = pay(org, receive(org, reissue, desk_vinhphu), amount=70000, channel="transfer")
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.fee_amount, fresh.fee_paid_amount, fresh.fee_channel) == (
        70000,
        70000,
        "transfer",
    )
    assert fresh.fee_paid_at is not None and not fresh.fee_exempt
    assert "record_payment" not in allowed_actions(org["tiepnhan.vinhphu"], fresh)
    entry = AuditEntry.objects.get(action="dossier.record_payment", object_id=str(d.pk))
    assert entry.changes["amount"] == 70000 and entry.changes["channel"] == "transfer"

    with pytest.raises(InvalidState, match="đã được ghi nhận"):
        pay(org, fresh, amount=70000, channel="cash")


@pytest.mark.parametrize("amount", [70001, TEN_TO_THE_19, "9" * 5000, -1, "mười nghìn"])
def test_other_amounts_get_a_clear_error(org, reissue, desk_vinhphu, friday_16h, amount):
    d = receive(org, reissue, desk_vinhphu)
    with pytest.raises(InvalidInput) as caught:
        pay(org, d, amount=amount, channel="cash")
    assert "amount" in caught.value.fields
    assert unchanged(d)


def test_a_payment_needs_its_channel(org, reissue, desk_vinhphu, friday_16h):
    d = receive(org, reissue, desk_vinhphu)
    with pytest.raises(InvalidInput) as caught:
        pay(org, d, amount=70000, channel="")
    assert caught.value.message == "Vui lòng chọn hình thức nộp phí, lệ phí."
    assert unchanged(d)


def test_the_screen_answers_10_to_the_19_with_a_message_not_a_500(
    client, org, reissue, desk_vinhphu, friday_16h
):
    d = receive(org, reissue, desk_vinhphu)
    response = login(client, org, "tiepnhan.vinhphu").post(
        action_url(d, "record_payment"),
        {"version": d.version, "amount": str(TEN_TO_THE_19), "channel": "cash"},
    )
    assert response.status_code == 422
    assert "nhiều hơn số phí, lệ phí phải nộp (70.000 đồng)" in response.content.decode()
    assert unchanged(d)


def test_the_api_answers_10_to_the_19_and_one_dong_with_422(
    client, org, reissue, desk_vinhphu, friday_16h
):
    d = receive(org, reissue, desk_vinhphu)
    api = ApiAs(client, org["tiepnhan.vinhphu"])
    for amount in (TEN_TO_THE_19, 1):
        status, body = api.act(d.code, "record_payment", d.version, amount=amount, channel="cash")
        assert status == 422, body
        assert "amount" in errors_of(body)
    assert unchanged(d)

    status, body = api.act(d.code, "record_payment", d.version, amount=70000, channel="online")
    assert status == 200
    assert (body["fee_amount"], body["fee_paid_amount"], body["fee_channel"]) == (
        70000,
        70000,
        "online",
    )
    assert body["fee_paid_at"] is not None and body["fee_exempt"] is False


def test_the_api_refuses_a_payment_on_a_free_dossier(client, org, free, desk_vinhphu, friday_16h):
    d = receive(org, free, desk_vinhphu)
    api = ApiAs(client, org["tiepnhan.vinhphu"])
    status, body = api.act(d.code, "record_payment", d.version, amount=0, channel="cash")
    assert (status, body["code"]) == (409, "invalid_state")
    assert unchanged(d)


# ---------------------------------------------------------------- exemptions


def test_an_exemption_needs_a_reason(org, reissue, desk_vinhphu, friday_16h):
    d = receive(org, reissue, desk_vinhphu)
    with pytest.raises(InvalidInput) as caught:
        pay(org, d, exempt=True, exempt_reason="  ")
    assert caught.value.fields == {"exempt_reason": "Vui lòng ghi lý do miễn phí, lệ phí."}
    assert unchanged(d)


def test_an_exemption_is_recorded_as_such_and_lets_the_result_go(
    org, reissue, desk_vinhphu, friday_16h
):
    leader, desk = org["lanhdao.vinhphu"], org["tiepnhan.vinhphu"]
    d = receive(org, reissue, desk_vinhphu)
    d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=org["xuly.vinhphu"])
    d = approved(d, handler=org["xuly.vinhphu"], leader=leader, result="Thẻ căn cước")
    assert "return" not in allowed_actions(desk, d)

    d = pay(org, d, exempt=True, exempt_reason="Người có công với cách mạng")
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.fee_exempt and fresh.fee_exempt_reason == "Người có công với cách mạng"
    assert (fresh.fee_amount, fresh.fee_paid_amount, fresh.fee_channel) == (70000, 0, "")
    action = fresh.actions.get(action="record_payment")
    assert action.data == {"exempt": True, "reason": "Người có công với cách mạng", "fee": 70000}
    assert "return" in allowed_actions(desk, fresh)
    assert dossier_return(actor=desk, dossier=fresh, version=fresh.version).status == "returned"


def test_the_dossier_page_records_an_exemption_with_its_reason(
    client, org, reissue, desk_vinhphu, friday_16h
):
    d = receive(org, reissue, desk_vinhphu)
    login(client, org, "tiepnhan.vinhphu")
    response = client.post(
        action_url(d, "record_payment"),
        {"version": d.version, "exempt": "on", "exempt_reason": ""},
    )
    assert response.status_code == 422
    assert "Vui lòng ghi lý do miễn phí, lệ phí." in response.content.decode()
    assert unchanged(d)

    response = client.post(
        action_url(d, "record_payment"),
        {"version": d.version, "exempt": "on", "exempt_reason": "Hộ nghèo"},
        follow=True,
    )
    fee = response.content.decode()
    assert "70.000 đồng · được miễn lúc 27/11/2026 16:00: Hộ nghèo" in fee
    assert "Miễn phí, lệ phí: Hộ nghèo" in fee  # the timeline


def test_the_payment_form_proposes_the_fee_due(client, org, reissue, desk_vinhphu, friday_16h):
    d = receive(org, reissue, desk_vinhphu)
    html = login(client, org, "tiepnhan.vinhphu").get(action_url(d, "record_payment"))
    assert 'name="amount" value="70000"' in html.content.decode()


# ---------------------------------------------------------------- what the counts read


def test_paid_exempt_and_channel_counts_are_exact(org, reissue, free, desk_vinhphu, friday_16h):
    # By hand: 6 dossiers. A 70,000 cash, B 35,000 online (online fee), C exempt, D 1 đồng
    # refused then left unpaid, E never paid, F free ("không thu").
    a = pay(org, receive(org, reissue, desk_vinhphu, name="A"), amount=70000, channel="cash")
    b = receive(org, reissue, desk_vinhphu, channel="online", name="B")
    assert b.fee_amount == 35000
    b = pay(org, b, amount=35000, channel="online")
    c = pay(org, receive(org, reissue, desk_vinhphu, name="C"), exempt=True, exempt_reason="Trẻ em")
    d = receive(org, reissue, desk_vinhphu, name="D")
    with pytest.raises(InvalidInput):
        pay(org, d, amount=1, channel="online")
    receive(org, reissue, desk_vinhphu, name="E")
    receive(org, free, desk_vinhphu, name="F")

    dossiers = Dossier.objects.all()
    fee_bearing = dossiers.filter(fee_amount__gt=0)
    settled = fee_bearing.filter(fee_paid_at__isnull=False)
    assert fee_bearing.count() == 5
    assert sorted(settled.values_list("applicant_name", flat=True)) == ["A", "B", "C"]
    assert list(settled.filter(fee_exempt=False, fee_channel="online")) == [b]
    assert sorted(settled.filter(fee_exempt=True).values_list("pk", flat=True)) == [c.pk]
    assert sum(dossiers.values_list("fee_paid_amount", flat=True)) == 105000
    assert a.fee_paid_amount == 70000


# ---------------------------------------------------------------- at the same time


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_record_one_payment(org, reissue, desk_vinhphu, friday_16h):
    d = receive(org, reissue, desk_vinhphu)
    desk = org["tiepnhan.vinhphu"]

    @in_thread
    def click(channel):
        try:
            dossier_record_payment(
                actor=desk, dossier=d, version=d.version, amount=70000, channel=channel
            )
            return "ok"
        except StaleVersion:
            return "conflict"

    workers = 4 if connection.vendor == "postgresql" else 2
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(click, ["cash", "transfer"] * 3))

    assert outcomes.count("ok") == 1
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.fee_paid_amount == 70000
    assert DossierAction.objects.filter(dossier=d, action="record_payment").count() == 1


# ---------------------------------------------------------------- rows recorded before the fix


def test_the_migration_puts_back_the_fee_and_unpays_what_did_not_cover_it(
    org, reissue, desk_vinhphu, friday_16h
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("motcua.dossiers.migrations.0010_payment_separate_from_fee")
    # Three payments as the old code stored them: the amount paid overwrote the fee.
    rows = {}
    for name, amount in (("full", 70000), ("one", 1), ("zero", 0)):
        d = pay(org, receive(org, reissue, desk_vinhphu, name=name), amount=70000, channel="cash")
        DossierAction.objects.filter(dossier=d, action="record_payment").update(
            data={"amount": amount, "channel": "cash"}
        )
        Dossier.objects.filter(pk=d.pk).update(fee_amount=amount, fee_paid_amount=0)
        rows[name] = d.pk

    migration.separate_payments(apps, None)

    full, one, zero = (Dossier.objects.get(pk=rows[n]) for n in ("full", "one", "zero"))
    assert (full.fee_amount, full.fee_paid_amount, full.fee_paid_at is not None) == (
        70000,
        70000,
        True,
    )
    assert (one.fee_amount, one.fee_paid_amount, one.fee_paid_at) == (70000, 1, None)
    assert (zero.fee_amount, zero.fee_paid_amount, zero.fee_exempt) == (70000, 0, True)
    assert zero.fee_paid_at is not None and zero.fee_exempt_reason == migration.LEGACY_EXEMPTION

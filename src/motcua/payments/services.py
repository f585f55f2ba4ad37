"""Paying a dossier's fee online: an order per attempt, settled only by the provider's IPN."""

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.errors import InvalidInput, InvalidState
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ACTIONS, dossier_record_payment
from motcua.org.models import Unit, User
from motcua.org.roles import Role
from motcua.payments.models import PaymentOrder
from motcua.payments.providers import BadSignature, IpnResult

log = logging.getLogger(__name__)

# The account the action log names for fees the gateway confirms. It records payments only:
# it has no password, so nobody signs in with it.
GATEWAY_USERNAME = "cong-thanh-toan"


def payable(dossier: Dossier) -> bool:
    """A fee is due, unpaid, and the dossier is at a stage where a payment may be recorded."""
    return bool(dossier.fee_outstanding) and (
        dossier.status in ACTIONS["record_payment"].from_statuses
    )


def payment_order_create(*, dossier: Dossier, provider, at=None) -> PaymentOrder:
    """A new order for what the dossier still owes (the citizen may start again after a failed
    or abandoned attempt; the IPN makes sure only one of them pays the dossier)."""
    now = at or timezone.now()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if not payable(dossier):
            raise InvalidState("Hồ sơ này không có khoản phí, lệ phí nào cần nộp trực tuyến.")
        order = PaymentOrder.objects.create(
            dossier=dossier,
            provider=provider.name,
            amount=dossier.fee_outstanding,
            txn_ref=secrets.token_hex(10).upper(),
            created_at=now,
            updated_at=now,
        )
        audit_record(
            actor="citizen",
            action="payment.create",
            obj=order,
            changes={"dossier": dossier.code, "amount": order.amount, "provider": provider.name},
        )
    return order


def gateway_actor() -> User:
    user = User.objects.filter(username=GATEWAY_USERNAME).first()
    if user is None:
        # At the top of the tree, so it may record a payment for a dossier of any unit.
        root = Unit.objects.filter(parent=None).order_by("path").first()
        user = User(
            username=GATEWAY_USERNAME,
            last_name="Cổng thanh toán",
            first_name="trực tuyến",
            unit=root,
            role=Role.RECEPTIONIST,
        )
        user.set_unusable_password()
        user.save()
        audit_record(actor="payments", action="org.user.create", obj=user)
    return user


def payment_confirm(*, provider, params) -> IpnResult:
    """Settle an order from the provider's IPN, at most once: a forged, altered, unknown or
    replayed notice changes nothing. A successful one records the fee paid online on the
    dossier through the desk's own action, in the same transaction as the order."""
    try:
        notice = provider.read(params)
    except BadSignature:
        return IpnResult.BAD_SIGNATURE
    try:
        with transaction.atomic():
            order = (
                PaymentOrder.objects.select_for_update()
                .filter(provider=provider.name, txn_ref=notice.txn_ref)
                .first()
            )
            if order is None:
                return IpnResult.UNKNOWN_ORDER
            if notice.amount != order.amount:
                return IpnResult.WRONG_AMOUNT
            if order.status != PaymentOrder.Status.PENDING:
                return IpnResult.ALREADY_CONFIRMED
            now = timezone.now()
            order.provider_data, order.updated_at = notice.data, now
            if not notice.success:
                order.status = PaymentOrder.Status.FAILED
            else:
                dossier = Dossier.objects.select_for_update().get(pk=order.dossier_id)
                try:
                    with transaction.atomic():
                        dossier_record_payment(
                            actor=gateway_actor(),
                            dossier=dossier,
                            version=dossier.version,
                            amount=order.amount,
                            channel="online",
                            at=now,
                        )
                    order.status, order.paid_at = PaymentOrder.Status.PAID, now
                except (InvalidState, InvalidInput):
                    order.status = PaymentOrder.Status.REFUND
            order.save()
            audit_record(
                actor=provider.name,
                action=f"payment.{order.status}",
                obj=order,
                changes={"transaction": notice.transaction_no, "amount": order.amount},
            )
            return IpnResult.CONFIRMED
    except Exception:
        log.exception("IPN for %s failed", notice.txn_ref)
        return IpnResult.ERROR


def payment_outcome(*, provider, params) -> tuple[PaymentOrder | None, bool]:
    """What the return page tells the citizen: their order and whether the gateway says it was
    paid. Reads only; the order is settled by the IPN."""
    try:
        notice = provider.read(params)
    except BadSignature:
        return None, False
    order = (
        PaymentOrder.objects.select_related("dossier")
        .filter(provider=provider.name, txn_ref=notice.txn_ref)
        .first()
    )
    if order is None or notice.amount != order.amount:
        return None, False
    return order, notice.success

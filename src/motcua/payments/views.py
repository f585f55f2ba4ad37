from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.audit.middleware import client_ip
from motcua.dossiers.errors import InvalidState
from motcua.dossiers.paper import money
from motcua.payments import services, vnpay
from motcua.portal import tracking


@require_POST
def start(request, code: str):
    """From the tracking page, with the receipt's tracking secret: off to the gateway."""
    dossier = tracking.find(code)
    if dossier is None or not vnpay.enabled():
        raise Http404
    ok = tracking.secret_matches(dossier, request.POST.get("ma_tra_cuu", ""), client_ip(request))
    if not ok:
        return render(
            request,
            "payments/result.html",
            {"code": dossier.code, "message": _("Mã tra cứu không đúng.")},
            status=429 if ok is None else 403,
        )
    gateway = vnpay.provider()
    try:
        order = services.payment_order_create(dossier=dossier, provider=gateway)
    except InvalidState as error:
        return render(
            request,
            "payments/result.html",
            {"code": dossier.code, "message": error.message},
            status=409,
        )
    return redirect(
        gateway.payment_url(
            txn_ref=order.txn_ref,
            amount=order.amount,
            order_info=f"Nop phi le phi ho so {dossier.code}",
            return_url=settings.PUBLIC_BASE_URL + reverse("payment-return"),
            client_ip=client_ip(request) or "127.0.0.1",
            created_at=timezone.now(),
        )
    )


@require_GET
def back(request):
    """Where the gateway sends the citizen back: it tells, it never records (only the IPN
    does, so a forged return cannot mark a dossier paid)."""
    order, success = services.payment_outcome(provider=vnpay.provider(), params=request.GET)
    if order is None:
        context = {"message": _("Kết quả thanh toán không hợp lệ.")}
        return render(request, "payments/result.html", context, status=400)
    return render(
        request,
        "payments/result.html",
        {
            "code": order.dossier.code,
            "order": order,
            "success": success,
            "amount": money(order.amount),
        },
    )


@csrf_exempt  # the gateway's server calls it, signed; it carries no session
@require_GET
def ipn(request):
    gateway = vnpay.provider()
    result = services.payment_confirm(provider=gateway, params=request.GET)
    return JsonResponse(gateway.ipn_answer(result))

"""A stand-in for VNPay's side, for the demo and the tests (DEMO_PAYMENT_SIMULATOR): it shows the
order, and on "Thanh toán" or "Hủy" sends the signed IPN to motcua over HTTP, as the gateway's
server would, then sends the citizen back to the return address with the same signed result."""

import logging
import secrets
import urllib.request

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from motcua.dossiers.paper import money
from motcua.payments import vnpay

log = logging.getLogger(__name__)
IPN_TIMEOUT = 10  # seconds


def _request_params(query: str, gateway) -> dict | None:
    params = QueryDict(query).dict()
    if not vnpay.signature_valid(params, gateway.hash_secret):
        return None
    return params


def _answer(params: dict, paid: bool) -> dict:
    return {
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnpay.vn_time(timezone.now()),
        # 24: the customer cancelled; 02: the transaction did not go through.
        "vnp_ResponseCode": "00" if paid else "24",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TransactionNo": str(secrets.randbelow(10**8)).zfill(8) if paid else "0",
        "vnp_TxnRef": params["vnp_TxnRef"],
    }


def _send_ipn(query: str) -> None:
    url = f"{settings.PUBLIC_BASE_URL}{reverse('payment-ipn')}?{query}"
    try:
        with urllib.request.urlopen(url, timeout=IPN_TIMEOUT) as response:  # noqa: S310
            log.info("demo IPN answered %s", response.read()[:200])
    except OSError:
        # The real gateway retries later; the simulator only reports it.
        log.warning("demo IPN to %s failed", url, exc_info=True)


@require_http_methods(["GET", "POST"])
def gateway(request):
    if not settings.DEMO_PAYMENT_SIMULATOR:
        raise Http404
    vnp = vnpay.provider()
    query = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    params = _request_params(query, vnp)
    if params is None:
        context = {"invalid": True}
        return render(request, "payments/simulator.html", context, status=400)
    if request.method == "POST":
        answer = _answer(params, paid=request.POST.get("choice") == "pay")
        signed = vnpay.signed_query(answer, vnp.hash_secret)
        _send_ipn(signed)
        return HttpResponseRedirect(f"{params['vnp_ReturnUrl']}?{signed}")
    context = {
        "query": query,
        "amount_text": money(int(params["vnp_Amount"]) // 100),
        "params": params,
    }
    return render(request, "payments/simulator.html", context)

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.audit.middleware import client_ip
from motcua.eresults.selectors import eresult_of
from motcua.payments import vnpay
from motcua.payments.services import payable
from motcua.portal import tracking


@require_http_methods(["GET", "POST"])
def track_search(request):
    code = (request.POST.get("ma_ho_so") or request.GET.get("ma_ho_so") or "").strip()
    if code:
        return redirect("track", code=code)
    return render(request, "portal/track_search.html")


@require_http_methods(["GET", "POST"])
def track(request, code: str):
    if not tracking.lookup_allowed(client_ip(request)):
        return render(
            request, "portal/track_search.html", {"code": code, "too_many": True}, status=429
        )
    dossier = tracking.find(code)
    if dossier is None:
        return render(
            request, "portal/track_search.html", {"code": code, "not_found": True}, status=404
        )
    if dossier.code != code and request.method == "GET":
        return redirect("track", code=dossier.code)  # one address per dossier, as printed
    context = {
        "dossier": dossier,
        "code": dossier.code,
        "applicant": tracking.mask_name(dossier.applicant_name),
    }
    throttled = False
    if request.method == "POST":
        ok = tracking.secret_matches(
            dossier, request.POST.get("ma_tra_cuu", ""), client_ip(request)
        )
        throttled = ok is None
        if ok:
            context["steps"] = tracking.public_steps(dossier)
            context["details"] = True
            context["fee"] = tracking.fee_status(dossier)
            # The payment form carries the secret just typed: paying proves it again.
            context["pay"] = vnpay.enabled() and payable(dossier)
            context["secret"] = tracking.normalize_secret(request.POST["ma_tra_cuu"])
            context["eresult"] = eresult_of(dossier)
        else:
            context["secret_error"] = (
                _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau một giờ.")
                if throttled
                else _("Mã tra cứu không đúng. Mã gồm 8 ký tự, in trên giấy hẹn.")
            )
    return render(request, "portal/track.html", context, status=429 if throttled else 200)


@require_http_methods(["POST"])
def track_eresult(request, code: str):
    """The signed electronic result, for whoever types the tracking secret (the page's download
    form carries it, like the payment form)."""
    dossier = tracking.find(code)
    result = eresult_of(dossier) if dossier is not None else None
    if result is None:
        raise Http404
    ok = tracking.secret_matches(dossier, request.POST.get("ma_tra_cuu", ""), client_ip(request))
    if not ok:
        context = {
            "dossier": dossier,
            "code": dossier.code,
            "applicant": tracking.mask_name(dossier.applicant_name),
            "secret_error": _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau một giờ.")
            if ok is None
            else _("Mã tra cứu không đúng. Mã gồm 8 ký tự, in trên giấy hẹn."),
        }
        return render(request, "portal/track.html", context, status=429 if ok is None else 403)
    response = FileResponse(
        result.file.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=result.file.name,
    )
    response["Cache-Control"] = "private, no-store"  # personal data: never in a shared cache
    return response

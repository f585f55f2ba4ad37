"""The public verification pages: /xac-minh/ (upload a PDF) and /xac-minh/<public_id>/ (the
address printed in a result's QR code: what we issued, and an upload form to compare a copy)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.audit.middleware import client_ip
from motcua.eresults import selectors, verification


def _check_upload(request, *, expected=None) -> tuple[dict, int]:
    """Parse, throttle and check an upload: the context for the page and its status."""
    if not verification.upload_allowed(client_ip(request)):
        return {"error": _("Bạn đã gửi quá nhiều tệp. Vui lòng thử lại sau ít phút.")}, 429
    try:
        data = verification.read_upload(request.FILES.get("tep"))
        outcome = verification.verify(data, expected=expected)
    except verification.Rejected as error:
        return {"error": str(error)}, 400
    return {"outcome": outcome}, 200


@require_http_methods(["GET", "POST"])
def verify_index(request):
    context, status = {}, 200
    if request.method == "POST":
        context, status = _check_upload(request)
    context["max_mb"] = verification.max_bytes() // (1024 * 1024)
    return render(request, "eresults/verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_detail(request, public_id: str):
    result = selectors.eresult_by_public_id(public_id)
    if result is None:
        raise Http404
    context, status = {}, 200
    if request.method == "POST":
        context, status = _check_upload(request, expected=result)
    context.update(
        result=result,
        stored_ok=verification.stored_is_genuine(result),
        max_mb=verification.max_bytes() // (1024 * 1024),
    )
    return render(request, "eresults/verify.html", context, status=status)

"""Printable forms and the logbook export. Each view only parses, scopes and calls printing:
a dossier, an intake slip or a desk outside the user's unit subtree does not exist (404)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.dossiers import printing, selectors
from motcua.dossiers.errors import InvalidState
from motcua.dossiers.models import IntakeSlip
from motcua.org.models import Desk
from motcua.org.scoping import can_act_on
from motcua.params import FIRST_YEAR, LAST_YEAR, parse_day

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_LOGBOOK_DAYS = 366


def _file(data: bytes, filename: str, content_type: str = "application/pdf", inline=True):
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data: never in a shared cache
    return response


def _error(request, status: int, title: str, message: str):
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


@login_required
@require_GET
def dossier_form(request, code: str, form: str):
    dossier = selectors.dossier_for_user(request.user, code)
    if dossier is None or form not in printing.DOSSIER_FORMS:
        raise Http404
    try:
        data = printing.render_dossier_form(form, dossier)
    except InvalidState as error:
        return _error(request, 409, "Chưa thể in biểu mẫu", error.message)
    return _file(data, f"{printing.FORM_SLUGS[form]}-{dossier.code}.pdf")


@login_required
@require_GET
def intake_slip_pdf(request, number: str):
    slip = (
        IntakeSlip.objects.select_related("desk__unit__parent", "procedure_version", "officer")
        .filter(number=number)
        .first()
    )
    if slip is None or not can_act_on(request.user, slip.desk.unit):
        raise Http404
    return _file(printing.render_intake_slip(slip), f"phieu-{slip.number}.pdf")


def _logbook_request(request, desk_code: str):
    """(desk, first, last) or an error response."""
    desk = Desk.objects.select_related("unit__parent").filter(code=desk_code).first()
    if desk is None or not can_act_on(request.user, desk.unit):
        raise Http404
    today = timezone.localdate()
    raw_first, raw_last = request.GET.get("tu", ""), request.GET.get("den", "")
    first = parse_day(raw_first) if raw_first.strip() else today.replace(day=1)
    last = parse_day(raw_last) if raw_last.strip() else today
    if first is None or last is None:
        return _error(
            request,
            400,
            "Ngày không hợp lệ",
            f"Vui lòng nhập ngày theo dạng ngày/tháng/năm, năm từ {FIRST_YEAR} đến {LAST_YEAR}, "
            "ví dụ ?tu=01/11/2026&den=30/11/2026.",
        )
    if first > last:
        return _error(
            request, 400, "Khoảng thời gian không hợp lệ", "Ngày bắt đầu phải trước ngày kết thúc."
        )
    if (last - first).days >= MAX_LOGBOOK_DAYS:
        return _error(
            request,
            400,
            "Khoảng thời gian quá dài",
            "Mỗi lần chỉ in sổ theo dõi tối đa 366 ngày; hãy chia thành nhiều lần.",
        )
    return desk, first, last


def _logbook_name(desk, first: date, last: date, ext: str) -> str:
    return f"so-theo-doi-{desk.code}-{first:%Y%m%d}-{last:%Y%m%d}.{ext}"


@login_required
@require_GET
def logbook_pdf(request, desk_code: str):
    parsed = _logbook_request(request, desk_code)
    if isinstance(parsed, HttpResponse):
        return parsed
    desk, first, last = parsed
    data = printing.render_logbook_pdf(request.user, desk, first, last)
    return _file(data, _logbook_name(desk, first, last, "pdf"))


@login_required
@require_GET
def logbook_xlsx(request, desk_code: str):
    parsed = _logbook_request(request, desk_code)
    if isinstance(parsed, HttpResponse):
        return parsed
    desk, first, last = parsed
    data = printing.render_logbook_xlsx(request.user, desk, first, last)
    return _file(data, _logbook_name(desk, first, last, "xlsx"), XLSX, inline=False)

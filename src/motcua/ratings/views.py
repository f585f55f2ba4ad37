"""Rating pages: the citizen's one-time link, the desk tablet, and the leaders' report.

Views parse, authorise and call one service or selector; the rules live there."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.audit.middleware import client_ip
from motcua.dossiers.models import Dossier
from motcua.org.roles import Cap
from motcua.org.scoping import can_act_on
from motcua.org.selectors import desks_for_user, units_for_user
from motcua.params import int_param, parse_day
from motcua.portal import tracking
from motcua.ratings import criteria, kiosk, selectors
from motcua.ratings.forms import RatingForm
from motcua.ratings.models import Rating, RatingChannel
from motcua.ratings.services import RatingError, rating_change, rating_submit
from motcua.ratings.tokens import RATEABLE, token_find

# ---------------------------------------------------------------------------- the one-time link


def _not_found(request):
    return render(
        request,
        "ratings/invalid.html",
        {
            "title": _("Liên kết đánh giá không hợp lệ"),
            "message": _(
                "Không tìm thấy liên kết đánh giá này. Vui lòng dùng đúng liên kết được gửi kèm "
                "kết quả giải quyết hồ sơ."
            ),
        },
        status=404,
    )


@require_http_methods(["GET", "POST"])
def rating(request, token: str):
    row = token_find(token)
    if row is None:
        return _not_found(request)
    dossier = row.dossier
    existing = Rating.objects.filter(dossier=dossier).first()
    now = timezone.now()
    context = {"dossier": dossier, "rating": existing, "criteria": criteria}
    if existing is None and row.is_expired(now):
        context["message"] = _("Liên kết đánh giá đã hết hạn (sau 30 ngày kể từ khi có kết quả).")
        context["title"] = _("Liên kết đánh giá đã hết hạn")
        return render(request, "ratings/invalid.html", context, status=410)

    editing = existing is not None and not existing.is_locked(now)
    status = 200
    if request.method == "POST":
        mode = request.POST.get("che_do", "")
        form = RatingForm(request.POST, rating=existing)
        if existing is not None and mode != "sua":
            # A second new rating (another tab, the back button, a replayed form): refused.
            context["error"] = _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
            status = 409
        elif existing is not None and not editing:
            context["error"] = _(
                "Đánh giá đã được khóa sau 24 giờ kể từ khi gửi, không thể sửa nữa."
            )
            status = 409
        elif not form.is_valid():
            context["error"] = _("Vui lòng kiểm tra lại các câu trả lời được đánh dấu.")
            context["form"] = form
            context["mode"] = mode if existing else "moi"
            return render(request, "ratings/rate.html", context, status=422)
        else:
            try:
                if existing is None:
                    rating_submit(
                        dossier=dossier,
                        scores=form.scores(),
                        comment=form.cleaned_data["comment"],
                        channel=RatingChannel.ONLINE,
                    )
                    done = "gui"
                else:
                    rating_change(
                        rating=existing,
                        scores=form.scores(),
                        comment=form.cleaned_data["comment"],
                    )
                    done = "sua"
            except RatingError as error:
                context["error"] = error.message
                status = error.status
            else:
                return redirect(f"{request.path}?{urlencode({'xong': done})}")
        existing = Rating.objects.filter(dossier=dossier).first()
        context["rating"] = existing
        editing = existing is not None and not existing.is_locked(now)

    if existing is None:
        if dossier.status not in RATEABLE:
            context["error"] = _("Hồ sơ chưa có kết quả nên chưa thể đánh giá.")
            return render(request, "ratings/rate.html", context, status=409)
        context.update(form=RatingForm(), mode="moi")
        return render(request, "ratings/rate.html", context, status=status)
    context.update(
        done=request.GET.get("xong", ""),
        editing=editing,
        form=RatingForm(rating=existing) if editing else None,
        mode="sua",
    )
    return render(request, "ratings/rated.html", context, status=status)


# ---------------------------------------------------------------------------- the desk tablet


def _kiosk_render(request, template, context, status=200):
    response = render(request, template, {"reset": kiosk.RESET_SECONDS, **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def kiosk_page(request):
    desk = kiosk.bound_desk(request)
    if desk is None:
        return _kiosk_render(request, "ratings/kiosk_unbound.html", {}, status=403)
    context = {"desk": desk}
    if request.method == "GET":
        return _kiosk_render(request, "ratings/kiosk_start.html", context)

    if "ve" in request.POST:
        return _kiosk_rate(request, desk, context)

    scanned, secret = request.POST.get("ma", ""), request.POST.get("ma_tra_cuu", "")
    context["scanned"] = scanned[:500]
    code = kiosk.code_from_scan(scanned)
    dossier = tracking.find(code) if code else None
    error, status = None, 200
    if dossier is None:
        error, status = _("Không tìm thấy hồ sơ. Vui lòng quét lại mã trên giấy hẹn."), 404
    else:
        ok = tracking.secret_matches(dossier, secret, client_ip(request))
        if ok is None:
            error, status = _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau một giờ."), 429
        elif not ok:
            error, status = _("Mã tra cứu không đúng. Mã gồm 8 ký tự, in trên giấy hẹn."), 422
        elif dossier.desk_id != desk.pk:
            error = _(
                "Hồ sơ này không được tiếp nhận tại bộ phận một cửa này "
                "nên không thể đánh giá ở đây."
            )
            status = 403
        elif dossier.status not in RATEABLE:
            error, status = _("Hồ sơ chưa có kết quả nên chưa thể đánh giá."), 409
        elif Rating.objects.filter(dossier=dossier).exists():
            error = _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
            status = 409
    if error:
        context["error"] = error
        return _kiosk_render(request, "ratings/kiosk_start.html", context, status=status)
    context.update(dossier=dossier, form=RatingForm(), ticket=kiosk.ticket_for(dossier, desk))
    return _kiosk_render(request, "ratings/kiosk_rate.html", context)


def _kiosk_rate(request, desk, context):
    pk = kiosk.ticket_dossier_id(request.POST.get("ve", ""), desk)
    dossier = Dossier.objects.filter(pk=pk, desk=desk).first() if pk else None
    if dossier is None:
        context["error"] = _("Phiên đánh giá đã hết hạn. Vui lòng quét lại mã trên giấy hẹn.")
        return _kiosk_render(request, "ratings/kiosk_start.html", context, status=422)
    form = RatingForm(request.POST)
    context.update(dossier=dossier, ticket=request.POST["ve"], form=form)
    if not form.is_valid():
        context["error"] = _("Vui lòng kiểm tra lại các câu trả lời được đánh dấu.")
        return _kiosk_render(request, "ratings/kiosk_rate.html", context, status=422)
    try:
        rating_submit(
            dossier=dossier,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            channel=RatingChannel.KIOSK,
            desk=desk,
        )
    except RatingError as error:
        context["error"] = error.message
        return _kiosk_render(request, "ratings/kiosk_start.html", context, status=error.status)
    return _kiosk_render(request, "ratings/kiosk_thanks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_bind(request):
    user = request.user
    if not (user.can(Cap.RECEIVE_DOSSIERS) or user.can(Cap.APPROVE_DOSSIERS)):
        raise PermissionDenied
    desks = list(desks_for_user(user).filter(is_active=True))
    context = {"desks": desks}
    if request.method == "POST":
        pk = int_param(request.POST.get("ban"), minimum=1)
        desk = next((d for d in desks if d.pk == pk), None)
        if desk is None or not can_act_on(user, desk.unit):
            context["error"] = _("Vui lòng chọn một bộ phận một cửa của đơn vị mình.")
            return render(request, "ratings/kiosk_bind.html", context, status=422)
        value = kiosk.kiosk_bind(actor=user, desk=desk, ip=client_ip(request))
        # The tablet is left to citizens: no staff session stays on it.
        logout(request)
        response = redirect("rating-kiosk")
        kiosk.set_cookie(response, value, secure=settings.SESSION_COOKIE_SECURE)
        return response
    return render(request, "ratings/kiosk_bind.html", context)


# ---------------------------------------------------------------------------- the report


def _report_params(request):
    """(unit, first, last, choices for the form, error) from the query string, safely."""
    user, get = request.user, request.GET
    units = list(units_for_user(user).order_by("path"))
    if not units:
        raise PermissionDenied
    today = timezone.localdate()
    error = None
    code = get.get("don_vi", "")
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        if code:
            error = _("Không có đơn vị này trong phạm vi của bạn; đang hiện đơn vị của bạn.")
        unit = user.unit if user.unit_id else units[0]
    kind = get.get("ky", "thang")
    if kind not in selectors.PERIODS:
        kind = "thang"
    year = int_param(get.get("nam", today.year), minimum=2000, maximum=2100) or today.year
    month = int_param(get.get("thang", today.month), minimum=1, maximum=12) or today.month
    quarter = int_param(get.get("quy", (today.month - 1) // 3 + 1), minimum=1, maximum=4)
    quarter = quarter or (today.month - 1) // 3 + 1
    if kind == "khoang":
        first, last = parse_day(get.get("tu", "")), parse_day(get.get("den", ""))
        if first is None or last is None or first > last:
            error = _(
                "Khoảng thời gian không hợp lệ (nhập ngày dạng dd/mm/yyyy, từ ngày trước "
                "đến ngày sau); đang hiện tháng này."
            )
            kind = "thang"
            year, month = today.year, today.month
    if kind != "khoang":
        first, last = selectors.period_bounds(kind, year=year, month=month, quarter=quarter)
    params = {
        "don_vi": unit.code,
        "ky": kind,
        "nam": year,
        "thang": month,
        "quy": quarter,
        "tu": first.strftime("%d/%m/%Y"),
        "den": last.strftime("%d/%m/%Y"),
    }
    return units, unit, first, last, params, error


def _require_reports(request):
    if not request.user.can(Cap.VIEW_REPORTS) or not request.user.is_staff_member:
        raise PermissionDenied


@login_required
@require_GET
def report(request):
    _require_reports(request)
    units, unit, first, last, params, error = _report_params(request)
    rows, whole = selectors.unit_totals(request.user, unit=unit, first=first, last=last)
    base = urlencode({k: v for k, v in params.items() if k != "don_vi"})
    return render(
        request,
        "ratings/report.html",
        {
            "units": units,
            "unit": unit,
            "first": first,
            "last": last,
            "params": params,
            "periods": selectors.PERIODS,
            "rows": rows,
            "whole": whole,
            "criteria": criteria.CRITERIA,
            "bands": criteria.BANDS,
            "max_total": criteria.MAX_TOTAL,
            "base": base,
            "error": error,
            "can_bind": request.user.can(Cap.RECEIVE_DOSSIERS)
            or request.user.can(Cap.APPROVE_DOSSIERS),
        },
    )


@login_required
@require_GET
def report_dossiers(request):
    _require_reports(request)
    units, unit, first, last, params, error = _report_params(request)
    only_unit = request.GET.get("rieng") == "1"
    index = request.GET.get("chi_so", "")
    criterion = criteria.BY_CODE.get(index)
    points = int_param(request.GET.get("diem"), minimum=0, maximum=criteria.MAX_POINTS)
    points = points if criterion else None
    rows = selectors.drill_down(
        request.user,
        unit=unit,
        first=first,
        last=last,
        only_unit=only_unit,
        index=criterion.code if criterion else None,
        points=points,
    )
    return render(
        request,
        "ratings/report_dossiers.html",
        {
            "unit": unit,
            "first": first,
            "last": last,
            "only_unit": only_unit,
            "criterion": criterion,
            "points": points,
            "rows": [
                {"rating": r, "band": r.band[1], "index_points": r.scores.get(index)} for r in rows
            ],
            "back": urlencode(params),
            "error": error,
            "sum_points": sum(r.scores.get(index, 0) for r in rows) if criterion else None,
        },
    )

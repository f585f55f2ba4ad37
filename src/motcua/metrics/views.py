"""Pages of the service index: the leaders' overview and unit scorecard with drill-down to the
dossiers (staff, scoped), and the public statistics page of a unit (no personal data)."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.documents.pdf import render_pdf
from motcua.metrics import catalog_facts
from motcua.metrics.exports import XLSX_TYPE, ranking_workbook, scorecard_workbook
from motcua.metrics.formulas import FORMULAS
from motcua.metrics.periods import parse_date, parse_period
from motcua.metrics.scores import index_report, r2
from motcua.metrics.selectors import (
    DrillDownRefused,
    dossiers_behind,
    drillable,
    procedures_behind,
)
from motcua.metrics.trends import chart_data, group_series, monthly_reports, series, sparkline
from motcua.org.models import Unit, UnitKind
from motcua.org.roles import Cap
from motcua.org.scoping import can_act_on

DRILL_LIMIT = 500
OVERVIEW_PAGE = 50
STATES = {
    "no_data": _("chưa có dữ liệu"),
    "no_dossiers": _("không phát sinh"),
    "shown": _("chỉ hiển thị"),
}


def _period(request) -> tuple[str, date, date, str]:
    """(period text, first day, last day, error): `ky` as 2026, 2026-10 or 2026-Q4; the
    current month when absent or wrong (with a message saying so)."""
    today = timezone.localdate()
    default = f"{today:%Y-%m}"
    text = str(request.GET.get("ky") or "").strip()[:10]
    span = parse_period(text) if text else None
    if span is None:
        error = (
            _("Kỳ '%(text)s' không hợp lệ (ví dụ 2026, 2026-10, 2026-Q4); đang xem tháng này.")
            % {"text": text}
            if text
            else ""
        )
        return default, *parse_period(default), error
    return text, *span, ""


def _as_of(request, error: str) -> tuple[date | None, str]:
    """`ngay` (dd/mm/yyyy): the figures as they stood at the end of that day."""
    text = str(request.GET.get("ngay") or "").strip()[:20]
    if not text:
        return None, error
    day = parse_date(text)
    if day is None:
        message = _("Ngày '%(text)s' không hợp lệ (dd/mm/yyyy); đang xem số liệu mới nhất.") % {
            "text": text
        }
        return None, f"{error} {message}".strip()
    return day, error


def _fmt(value) -> str:
    shown = r2(value)
    return "" if shown is None else f"{shown:.2f}".replace(".", ",")


def _rows(result, *, drill: bool) -> list[dict]:
    groups = []
    for g in result.groups:
        indicators = []
        for i in g.indicators:
            formula = FORMULAS.get(i.code)
            indicators.append(
                {
                    "code": i.code,
                    "name": i.name,
                    "max": i.max_points,
                    "threshold": i.threshold_pct,
                    "state": i.state,
                    "state_label": STATES.get(i.state, ""),
                    "numerator": i.numerator,
                    "denominator": i.denominator,
                    "rate": _fmt(i.rate * 100) if i.rate is not None else "",
                    "points": _fmt(i.points),
                    "drill_numerator": drill and drillable(i.code, "numerator"),
                    "drill_denominator": drill and drillable(i.code, "denominator"),
                    "doc": formula.doc if formula else "",
                }
            )
        groups.append(
            {
                "name": g.name,
                "max": g.max_points,
                "applicable": g.applicable_max,
                "points": _fmt(g.points),
                "indicators": indicators,
            }
        )
    return groups


def _summary(result) -> dict:
    return {
        "unit": result.unit,
        "score": _fmt(result.score),
        "points": _fmt(result.points),
        "applicable": result.applicable_max,
        "band": result.band,
        "rank_siblings": result.rank_siblings,
        "rank_kind": result.rank_kind,
    }


def _require_reports(request) -> None:
    user = request.user
    if not user.is_superuser and (not user.can(Cap.VIEW_REPORTS) or user.unit_id is None):
        raise PermissionDenied


@require_GET
@login_required
def overview(request):
    """The ranked table of the units in the caller's subtree, for a period and a unit kind."""
    _require_reports(request)
    period, first, last, error = _period(request)
    kind = str(request.GET.get("loai") or "")
    if kind not in UnitKind.values:
        kind = ""
    as_of, error = _as_of(request, error)
    report = index_report(first, last, as_of=as_of)
    rows = [
        r
        for r in report.results.values()
        if r.score is not None
        and r.rank_kind is not None
        and can_act_on(request.user, r.unit)
        and (not kind or r.unit.kind == kind)
    ]
    rows.sort(key=lambda r: (-r.score, r.unit.code))
    if request.GET.get("xuat") == "xlsx" and not error:
        return _xlsx(ranking_workbook(report, rows), f"xep-hang-chi-so-{period}.xlsx")
    pdf = request.GET.get("xuat") == "pdf" and not error and report.definition
    # Paged: a page's sparklines read only its own units' facts (12 months × every unit of a
    # province was most of the page's time), and 500 rows are too many to read anyway.
    page = Paginator(rows, OVERVIEW_PAGE).get_page(request.GET.get("trang"))
    shown = list(page) if not pdf else rows
    reports = (
        monthly_reports(last, as_of=as_of, only=[r.unit for r in shown])
        if shown and not pdf
        else []
    )
    table = []
    for r in shown:
        row = _summary(r)
        row["groups"] = [_fmt(g.points) for g in r.groups]
        row["spark"] = "" if pdf else sparkline(series(reports, r.unit))
        table.append(row)
    context = {
        "period": period,
        "first": first,
        "last": last,
        "error": error,
        "kind": kind,
        "kinds": UnitKind.choices,
        "definition": report.definition,
        "as_of": as_of,
        "group_names": [g.name for g in rows[0].groups] if rows else [],
        "rows": table,
        "page": page,
        "query": urlencode([(k, v) for k, v in request.GET.items() if k != "trang"]),
    }
    if pdf:
        return _pdf("metrics/ranking_pdf.html", context, f"xep-hang-chi-so-{period}.pdf")
    return render(request, "metrics/overview.html", context, status=422 if error else 200)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _pdf(template: str, context: dict, name: str) -> HttpResponse:
    context["printed_at"] = timezone.localtime()
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _unit_or_404(request, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_act_on(request.user, unit):
        raise Http404
    return unit


@require_GET
@login_required
def unit_page(request, code: str):
    _require_reports(request)
    unit = _unit_or_404(request, code)
    period, first, last, error = _period(request)
    as_of, error = _as_of(request, error)
    report = index_report(first, last, as_of=as_of)
    result = report.for_unit(unit)
    if request.GET.get("xuat") == "xlsx" and not error and report.definition:
        return _xlsx(scorecard_workbook(report, result), f"chi-so-{unit.code}-{period}.xlsx")
    context = {
        "period": period,
        "first": first,
        "last": last,
        "error": error,
        "definition": report.definition,
        "as_of": as_of,
        "summary": _summary(result),
        "groups": _rows(result, drill=True),
    }
    if request.GET.get("xuat") == "pdf" and not error and report.definition:
        context["groups"] = _rows(result, drill=False)
        return _pdf("metrics/scorecard_pdf.html", context, f"chi-so-{unit.code}-{period}.pdf")
    if report.definition:
        reports = monthly_reports(last, as_of=as_of, only=[unit])
        context["trend"] = series(reports, unit)
        context["trend_groups"] = group_series(reports, unit)
        context["chart"] = chart_data(context["trend"], context["trend_groups"])
        context["trend_rows"] = [
            (point, [_fmt(data[n]) for _name, data in context["trend_groups"]])
            for n, point in enumerate(context["trend"])
        ]
    return render(request, "metrics/unit.html", context, status=422 if error else 200)


@require_GET
@login_required
def drill_down(request, code: str):
    """The exact dossiers behind one side of one indicator for a unit and period."""
    _require_reports(request)
    unit = _unit_or_404(request, code)
    period, first, last, error = _period(request)
    formula = str(request.GET.get("chi_tieu") or "")
    side = "denominator" if request.GET.get("ve") == "mau" else "numerator"
    if catalog_facts.drillable(formula, side):
        return _procedures_drill_down(request, unit, formula, side, period, first, last, error)
    try:
        dossiers = dossiers_behind(
            actor=request.user, unit=unit, formula_code=formula, side=side, start=first, end=last
        )
    except DrillDownRefused as refused:
        raise Http404(str(refused))
    rows = list(dossiers[: DRILL_LIMIT + 1])
    context = {
        "unit": unit,
        "period": period,
        "first": first,
        "last": last,
        "error": error,
        "indicator": FORMULAS[formula],
        "side": side,
        "dossiers": rows[:DRILL_LIMIT],
        "more": len(rows) > DRILL_LIMIT,
        "count": dossiers.count() if len(rows) > DRILL_LIMIT else len(rows),
    }
    return render(request, "metrics/drill_down.html", context, status=422 if error else 200)


def _procedures_drill_down(request, unit, formula, side, period, first, last, error):
    """A catalogue indicator counts procedures: the versions in force at the period's end."""
    try:
        versions = procedures_behind(
            actor=request.user, unit=unit, formula_code=formula, side=side, start=first, end=last
        )
    except DrillDownRefused as refused:
        raise Http404(str(refused))
    context = {
        "unit": unit,
        "period": period,
        "first": first,
        "last": last,
        "error": error,
        "indicator": FORMULAS[formula],
        "side": side,
        "versions": list(versions),
    }
    return render(request, "metrics/drill_procedures.html", context, status=422 if error else 200)


@require_GET
def public_unit(request, code: str):
    """Public statistics of a unit's service for a period: figures only, no dossier, no name."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    period, first, last, error = _period(request)
    as_of, error = _as_of(request, error)
    report = index_report(first, last, as_of=as_of)
    if report.definition is None:
        raise Http404
    result = report.for_unit(unit)
    context = {
        "period": period,
        "first": first,
        "last": last,
        "error": error,
        "definition": report.definition,
        "as_of": as_of,
        "summary": _summary(result),
        "groups": _rows(result, drill=False),
    }
    return render(request, "metrics/public_unit.html", context, status=422 if error else 200)

"""The service index over the API, shaped like the national portal's evaluation endpoints:
a unit → its groups → their indicators, each with score, max, rate, numerator, denominator."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.api.errors import ApiError
from motcua.api.schemas import ErrorOut
from motcua.metrics.periods import parse_date, parse_period
from motcua.metrics.scores import index_report, result_as_dict
from motcua.metrics.selectors import DrillDownRefused, dossiers_behind
from motcua.org.models import Unit
from motcua.org.scoping import can_act_on

router = Router(tags=["index"])

PERIOD_HELP = (
    "Kỳ: `period` (2026, 2026-10, 2026-Q4) hoặc `from` và `to` (dd/mm/yyyy hoặc yyyy-mm-dd); "
    "`as_of`: số liệu như tại ngày đó."
)


class RankOut(Schema):
    rank: int
    of: int


class IndicatorOut(Schema):
    code: str
    name: str
    max: int
    threshold_pct: int
    state: str
    numerator: int | None
    denominator: int | None
    rate_pct: float | None
    points: float | None
    missing_sources: list[str]


class GroupOut(Schema):
    code: str
    name: str
    max: int
    applicable_max: int
    points: float | None
    indicators: list[IndicatorOut]


class UnitRef(Schema):
    code: str
    name: str
    kind: str


class UnitIndexOut(Schema):
    unit: UnitRef
    period: dict
    definition_version: int | None
    score: float | None
    points: float | None
    applicable_max: int
    max: int
    band: str
    rank_siblings: RankOut | None
    rank_kind: RankOut | None
    groups: list[GroupOut]


class RankingRow(Schema):
    unit: UnitRef
    score: float | None
    band: str
    rank_siblings: RankOut | None
    rank_kind: RankOut | None
    groups: dict[str, float | None]


class DossierRow(Schema):
    code: str
    procedure: str
    handling_unit: str
    status: str
    received_at: str
    due_at: str | None
    finished_at: str | None


def _span(period, start, end, as_of) -> tuple[date, date, date | None]:
    if period:
        span = parse_period(period)
        if span is None:
            raise ApiError(422, "bad_period", _("Kỳ không hợp lệ; ví dụ 2026, 2026-10, 2026-Q4."))
    else:
        span = (parse_date(start) if start else None, parse_date(end) if end else None)
        if None in span:
            raise ApiError(
                422, "bad_period", _("Cần kỳ (period) hoặc từ ngày, đến ngày hợp lệ (dd/mm/yyyy).")
            )
        if span[1] < span[0]:
            raise ApiError(422, "bad_period", _("Ngày kết thúc phải sau ngày bắt đầu."))
    day = None
    if as_of:
        day = parse_date(as_of)
        if day is None:
            raise ApiError(422, "bad_period", _("Ngày as_of không hợp lệ."))
    return span[0], span[1], day


def _unit(request, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not can_act_on(request.user, unit):
        raise ApiError(404, "not_found", _("Không tìm thấy đơn vị trong phạm vi của bạn."))
    return unit


def _report(period, start, end, as_of):
    first, last, day = _span(period, start, end, as_of)
    report = index_report(first, last, as_of=day)
    if report.definition is None:
        raise ApiError(404, "no_definition", _("Chưa có bộ chỉ số nào áp dụng cho kỳ này."))
    return report


@router.get(
    "/index/units/{code}",
    response={200: UnitIndexOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Chỉ số phục vụ của một đơn vị",
    description="Điểm từng chỉ tiêu, từng nhóm, tổng điểm quy về thang 100, xếp loại và xếp hạng "
    "của đơn vị (gồm các đơn vị cấp dưới) trong kỳ. " + PERIOD_HELP,
    operation_id="index_unit",
)
def index_unit(
    request,
    code: str,
    period: str = "",
    start: str = Query("", alias="from"),
    end: str = Query("", alias="to"),
    as_of: str = "",
):
    unit = _unit(request, code)
    report = _report(period, start, end, as_of)
    return result_as_dict(report, report.for_unit(unit))


@router.get(
    "/index/ranking",
    response={200: list[RankingRow], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Bảng xếp hạng chỉ số phục vụ",
    description="Các đơn vị trong phạm vi của người gọi có điểm trong kỳ, điểm cao trước; "
    "`kind` lọc theo loại đơn vị. " + PERIOD_HELP,
    operation_id="index_ranking",
)
def index_ranking(
    request,
    period: str = "",
    start: str = Query("", alias="from"),
    end: str = Query("", alias="to"),
    as_of: str = "",
    kind: str = "",
):
    report = _report(period, start, end, as_of)
    rows = [
        r
        for r in report.results.values()
        if r.score is not None
        and r.rank_kind is not None
        and can_act_on(request.user, r.unit)
        and (not kind or r.unit.kind == kind)
    ]
    rows.sort(key=lambda r: (-r.score, r.unit.code))
    out = []
    for r in rows:
        data = result_as_dict(report, r)
        data["groups"] = {g["code"]: g["points"] for g in data["groups"]}
        out.append(data)
    return out


@router.get(
    "/index/units/{code}/dossiers",
    response={200: list[DossierRow], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Hồ sơ đằng sau một số liệu",
    description="Danh sách đúng những hồ sơ được đếm ở tử số (`side=numerator`) hoặc mẫu số "
    "(`side=denominator`) của chỉ tiêu `indicator`. " + PERIOD_HELP,
    operation_id="index_dossiers",
)
def index_dossiers(
    request,
    code: str,
    indicator: str,
    side: str = "numerator",
    period: str = "",
    start: str = Query("", alias="from"),
    end: str = Query("", alias="to"),
):
    unit = _unit(request, code)
    first, last, _day = _span(period, start, end, "")
    try:
        rows = dossiers_behind(
            actor=request.user, unit=unit, formula_code=indicator, side=side, start=first, end=last
        )
    except DrillDownRefused as error:
        raise ApiError(403, "not_drillable", str(error))
    return [
        {
            "code": d.code,
            "procedure": d.procedure_version.name,
            "handling_unit": d.handling_unit.code,
            "status": d.status,
            "received_at": d.received_at.isoformat(),
            "due_at": d.due_at.isoformat() if d.due_at else None,
            "finished_at": d.finished_at.isoformat() if d.finished_at else None,
        }
        for d in rows[:5000]
    ]

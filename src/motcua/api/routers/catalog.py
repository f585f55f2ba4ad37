"""The procedure catalogue over JSON: public procedures without a login; internal ones only for
staff (a logged-in session or an API token)."""

from datetime import date, datetime

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.security import SessionAuth

from motcua.api.auth import AUTH
from motcua.api.schemas import ErrorOut
from motcua.catalog import selectors
from motcua.catalog.models import Procedure, ProcedureVersion, is_staff_viewer
from motcua.params import MAX_INT

router = Router(tags=["catalog"])


def _viewer(request):
    """The staff member behind the request, or None for a citizen. The endpoints are open
    (auth=None), so tokens are checked here by the same authenticators the API uses."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    for authenticator in AUTH:
        if isinstance(authenticator, SessionAuth):
            continue
        found = authenticator(request)
        if found:
            return found
    return None


class DomainOut(Schema):
    code: str
    name: str


class UnitRefOut(Schema):
    code: str
    name: str


class DocumentOut(Schema):
    name: str
    copies: int
    mandatory: bool
    note: str


class FeeOut(Schema):
    name: str
    desk: int = Field(description="Mức thu khi nộp tại quầy, đồng")
    online: int | None = Field(description="Mức thu khi nộp trực tuyến, đồng (null: như tại quầy)")
    exemption: str


class LegalOut(Schema):
    number: str
    title: str
    effective: date | None


class FormOut(Schema):
    name: str
    filename: str
    url: str


class ProcessingTimeOut(Schema):
    value: int
    unit: str = Field(description="minutes | working_hours | working_days")
    note: str


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    domain: DomainOut
    audience: str
    online_level: str
    processing_time: ProcessingTimeOut
    version: int
    effective_from: date
    url: str


class ProcedureOut(ProcedureSummaryOut):
    published_at: datetime
    agency: str
    handling_units: list[UnitRefOut]
    applicants: str
    steps: list[str]
    channels: list[str]
    sets: int
    documents: list[DocumentOut]
    fees: list[FeeOut]
    fee_note: str
    result: str
    conditions: str
    forms: list[FormOut]
    legal_basis: list[LegalOut]
    change_note: str
    qr_svg: str
    poster_pdf: str


class VersionOut(Schema):
    number: int
    is_current: bool
    effective_from: date
    published_at: datetime
    superseded_at: datetime | None
    change_note: str
    url: str


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _summary(procedure: Procedure, version: ProcedureVersion) -> dict:
    return {
        "code": procedure.code,
        "name": version.name,
        "domain": {"code": version.domain.code, "name": version.domain.name},
        "audience": version.audience,
        "online_level": version.online_level,
        "processing_time": {
            "value": version.time_value,
            "unit": version.time_unit,
            "note": version.time_note,
        },
        "version": version.number,
        "effective_from": version.effective_from,
        "url": procedure.public_url()
        if version.pk == procedure.current_version_id
        else procedure.public_url() + f"v/{version.number}/",
    }


def _detail(request, procedure: Procedure, version: ProcedureVersion) -> dict:
    return {
        **_summary(procedure, version),
        "published_at": version.published_at,
        "agency": version.agency,
        "handling_units": [{"code": u.code, "name": u.name} for u in version.handling_units.all()],
        "applicants": version.applicants,
        "steps": version.steps,
        "channels": version.channels,
        "sets": version.sets,
        "documents": version.documents,
        "fees": version.fees,
        "fee_note": version.fee_note,
        "result": version.result,
        "conditions": version.conditions,
        "forms": [
            {
                "name": f.name,
                "filename": f.filename,
                "url": _absolute(request, reverse("catalog:form", args=[procedure.code, f.pk])),
            }
            for f in version.forms.all()
        ],
        "legal_basis": [
            {**item, "effective": item["effective"] or None} for item in version.legal_basis
        ],
        "change_note": version.change_note,
        "qr_svg": _absolute(request, reverse("catalog:qr-svg", args=[procedure.code])),
        "poster_pdf": _absolute(request, reverse("catalog:poster", args=[procedure.code])),
    }


def _procedure(request, code: str) -> Procedure:
    procedure = selectors.procedure_for_viewer(code.strip().upper(), _viewer(request))
    if procedure is None:
        raise Http404
    return procedure


class ProcedurePageOut(Schema):
    count: int
    items: list[ProcedureSummaryOut]


@router.get("/procedures", auth=None, response={200: ProcedurePageOut, 422: ErrorOut})
def procedures(
    request,
    q: str = "",
    domain: str = "",
    unit: str = "",
    online: str = "",
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_INT),
):
    """Published procedures, filtered; `q` matches with or without Vietnamese diacritics
    ("dang ky thuong tru" finds "Đăng ký thường trú")."""
    viewer = _viewer(request)
    found = selectors.public_procedures(
        user=viewer if is_staff_viewer(viewer) else None,
        q=q[:200],
        domain=domain[:40],
        unit=unit[:40],
        online=online[:10],
    )
    matches = selectors.Matches(found)
    return {
        "count": matches.count(),
        "items": [_summary(p, p.current_version) for p in matches[offset : offset + limit]],
    }


@router.get("/procedures/{code}", auth=None, response={200: ProcedureOut, 404: ErrorOut})
def procedure(request, code: str):
    """The version in force of a procedure."""
    found = _procedure(request, code)
    return _detail(request, found, selectors.version_detail(found.current_version_id))


@router.get(
    "/procedures/{code}/versions", auth=None, response={200: list[VersionOut], 404: ErrorOut}
)
def procedure_versions(request, code: str):
    """Every published version, newest first."""
    found = _procedure(request, code)
    return [
        {
            "number": v.number,
            "is_current": v.pk == found.current_version_id,
            "effective_from": v.effective_from,
            "published_at": v.published_at,
            "superseded_at": v.superseded_at,
            "change_note": v.change_note,
            "url": found.public_url() + f"v/{v.number}/",
        }
        for v in selectors.published_versions(found)
    ]


@router.get(
    "/procedures/{code}/versions/{number}",
    auth=None,
    response={200: ProcedureOut, 404: ErrorOut, 422: ErrorOut},
)
def procedure_version(request, code: str, number: int):
    """One published version, in force or not."""
    found = _procedure(request, code)
    version = selectors.published_version(found, number)
    if version is None:
        raise Http404
    return _detail(request, found, version)

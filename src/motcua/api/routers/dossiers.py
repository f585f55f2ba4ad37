"""Dossiers over the API: intake, reading, the lifecycle actions and the printable forms.

Endpoints only parse, authorise and call one service or selector. Every dossier is looked up
through selectors.dossier_for_user, so one outside the caller's unit subtree is a plain 404.
"""

import base64
import binascii
from datetime import datetime

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from ninja.renderers import JSONRenderer

from motcua.api.schemas import ErrorOut
from motcua.api.schemas_dossiers import (
    STATUS_VALUES,
    ApologiseIn,
    ApproveIn,
    AssignIn,
    DossierIn,
    DossierOut,
    DossierPage,
    FileIn,
    ProcessIn,
    ReceiptOut,
    ReceiveSupplementIn,
    RecordPaymentIn,
    RefuseIn,
    RequestSupplementIn,
    ReturnIn,
    SendBackIn,
    StopIn,
    SubmitIn,
    TransferIn,
)
from motcua.catalog.selectors import version_in_force
from motcua.dossiers import selectors, services
from motcua.dossiers.deadlines import legal_dues
from motcua.dossiers.errors import InvalidInput, NotFound
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.uploads import max_upload_bytes
from motcua.org.models import Desk, Unit, User
from motcua.org.scoping import scope
from motcua.params import MAX_INT

router = Router(tags=["dossiers"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

STATUS_LABELS = dict(Status.choices)


def _not_found() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ.")


def _dossier(request, code: str) -> Dossier:
    dossier = selectors.dossier_for_user(request.user, code)
    if dossier is None:
        # Outside the caller's subtree or absent: the same answer, so nothing leaks.
        raise _not_found()
    return dossier


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value is not None else None


def _unit(unit) -> dict:
    return {"code": unit.code, "name": unit.name}


def _list_item(d: Dossier) -> dict:
    version = d.procedure_version
    return {
        "code": d.code,
        "status": d.status,
        "status_label": str(STATUS_LABELS.get(d.status, d.status)),
        "version": d.version,
        "procedure": {
            "code": version.procedure.code,
            "name": version.name,
            "version": version.number,
        },
        "applicant_name": d.applicant_name,
        "receiving_unit": _unit(d.receiving_unit),
        "handling_unit": _unit(d.handling_unit),
        "received_at": _local(d.received_at),
        "due_at": _local(d.due_at),
        "deadline_flag": d.deadline_flag,
    }


def _detail(user, d: Dossier) -> dict:
    actions = list(selectors.timeline(d))
    timeline = [
        {
            "seq": a.seq,
            "action": a.action,
            "label": services.action_label(a.action),
            "at": _local(a.at),
            "actor_name": a.actor_name,
            "unit": a.unit.code if a.unit_id else None,
            "unit_name": a.unit.name if a.unit_id else None,
            "note": a.note,
            "from_status": a.from_status,
            "to_status": a.to_status,
            "due_at": _local(due),
        }
        for a, due in zip(actions, legal_dues(actions), strict=True)
    ]
    return {
        **_list_item(d),
        "tracking_secret": d.tracking_secret,
        "desk": d.desk.code,
        "channel": d.channel,
        "applicant": {
            "kind": d.applicant_kind,
            "name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "org_code": d.applicant_org_code,
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "proxy_name": d.proxy_name,
            "proxy_id_number": d.proxy_id_number,
            "proxy_authorisation": d.proxy_authorisation,
        },
        "request_summary": d.request_summary,
        "checklist": d.checklist,
        "handler": d.handler.username if d.handler_id else None,
        "handler_name": (d.handler.get_full_name() or d.handler.username) if d.handler_id else None,
        "original_due_at": _local(d.original_due_at),
        "extended_due_at": _local(d.extended_due_at),
        "supplement_count": d.supplement_count,
        "fee_amount": d.fee_amount,
        "fee_paid_amount": d.fee_paid_amount,
        "fee_paid_at": _local(d.fee_paid_at),
        "fee_channel": d.fee_channel,
        "fee_exempt": d.fee_exempt,
        "fee_exempt_reason": d.fee_exempt_reason,
        "result_summary": d.result_summary,
        "e_result": d.e_result,
        "result_ready_at": _local(d.result_ready_at),
        "returned_at": _local(d.returned_at),
        "return_method": d.return_method,
        "recipient_kind": d.recipient_kind,
        "recipient_name": d.recipient_name,
        "recipient_id_number": d.recipient_id_number,
        "finished_at": _local(d.finished_at),
        "finished_on_time": d.finished_on_time,
        "stop_reason": d.stop_reason,
        "timeline": timeline,
        "allowed_actions": services.allowed_actions(user, d),
    }


def _files(files: list[FileIn], field: str = "files") -> list[ContentFile]:
    """Base64 files as uploads, for the services' own checks (type by content, size, hash)."""
    limit = max_upload_bytes()
    decoded, errors = [], {}
    for i, item in enumerate(files):
        key = f"{field}.{i}.content_base64"
        if len(item.content_base64) > (limit // 3 + 2) * 4:
            errors[key] = f"Tệp '{item.name}' quá lớn; tối đa {limit // 1024} KB."
            continue
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            errors[key] = f"Nội dung tệp '{item.name}' không phải base64 hợp lệ."
            continue
        decoded.append(ContentFile(content, name=item.name))
    if errors:
        raise InvalidInput("Tệp đính kèm không hợp lệ.", fields=errors)
    return decoded


# ---------------------------------------------------------------- intake

INTAKE_DESCRIPTION = """Tiếp nhận một hồ sơ đầy đủ tại bộ phận một cửa: cấp mã số hồ sơ, mã tra
cứu và thời hạn trả kết quả (tính theo giờ làm việc của đơn vị giải quyết).

Người gọi phải là cán bộ tiếp nhận thuộc đơn vị của bộ phận (hoặc cấp trên). Thủ tục dùng phiên
bản đang công bố. Thiếu giấy tờ bắt buộc trong `checklist` thì hồ sơ không được tiếp nhận (422):
hãy lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.

Lỗi dữ liệu trả về 422 với danh sách `errors` gồm tên trường và thông báo bằng tiếng Việt.
Thân yêu cầu tối đa 2,5 MB (tệp quét lớn hơn hãy tải lên qua màn hình tiếp nhận)."""


@router.post(
    "/dossiers",
    response={201: ReceiptOut, **ERRORS},
    summary="Tiếp nhận hồ sơ",
    description=INTAKE_DESCRIPTION,
    operation_id="dossier_receive",
)
def dossier_receive(request, payload: DossierIn, response: HttpResponse):
    errors: dict[str, str] = {}
    desk = Desk.objects.select_related("unit").filter(code=payload.desk).first()
    if desk is None:
        errors["desk"] = "Không có bộ phận tiếp nhận với mã này."
    version = version_in_force(payload.procedure.strip())
    if version is None:
        errors["procedure"] = "Không có thủ tục đang công bố với mã này."
    handling_unit = None
    if payload.handling_unit:
        handling_unit = Unit.objects.filter(code=payload.handling_unit).first()
        if handling_unit is None:
            errors["handling_unit"] = "Không có đơn vị với mã này."
    applicant = payload.applicant.dict()
    try:
        services.clean_applicant(applicant)
    except InvalidInput as error:
        errors |= {f"applicant.{k}": v for k, v in error.fields.items()}
    if errors:
        raise InvalidInput("Dữ liệu không hợp lệ.", fields=errors)

    try:
        dossier = services.dossier_receive(
            actor=request.user,
            desk=desk,
            procedure_version=version,
            applicant=applicant,
            checklist=payload.checklist,
            files=_files(payload.files),
            channel=payload.channel,
            handling_unit=handling_unit,
            request_summary=payload.request_summary,
        )
    except InvalidInput as error:
        fields = {
            (f"applicant.{k}" if k in services.APPLICANT_FIELDS else k): v
            for k, v in error.fields.items()
        }
        raise InvalidInput(error.message, fields=fields)
    response["Location"] = f"{request.path.rstrip('/')}/{dossier.code}"
    return Reply(
        201,
        {
            "code": dossier.code,
            "tracking_secret": dossier.tracking_secret,
            "status": dossier.status,
            "status_label": str(STATUS_LABELS[dossier.status]),
            "version": dossier.version,
            "received_at": _local(dossier.received_at),
            "due_at": _local(dossier.due_at),
            "handling_unit": _unit(dossier.handling_unit),
            "fee_amount": dossier.fee_amount,
        },
    )


# ---------------------------------------------------------------- reading


# What a list item shows, read as values: building seven model instances a row (the dossier, its
# version, procedure, units, handler, desk) cost more than the page's queries.
LIST_VALUES = (
    "code",
    "status",
    "version",
    "procedure_version__procedure__code",
    "procedure_version__name",
    "procedure_version__number",
    "applicant_name",
    "receiving_unit__code",
    "receiving_unit__name",
    "handling_unit__code",
    "handling_unit__name",
    "received_at",
    "due_at",
    "deadline_flag",
)


def _list_values_item(d: dict) -> dict:
    """_list_item from LIST_VALUES's row, in DossierListItem's order."""
    return {
        "code": d["code"],
        "status": d["status"],
        "status_label": str(STATUS_LABELS.get(d["status"], d["status"])),
        "version": d["version"],
        "procedure": {
            "code": d["procedure_version__procedure__code"],
            "name": d["procedure_version__name"],
            "version": d["procedure_version__number"],
        },
        "applicant_name": d["applicant_name"],
        "receiving_unit": {"code": d["receiving_unit__code"], "name": d["receiving_unit__name"]},
        "handling_unit": {"code": d["handling_unit__code"], "name": d["handling_unit__name"]},
        "received_at": _local(d["received_at"]),
        "due_at": _local(d["due_at"]),
        "deadline_flag": d["deadline_flag"],
    }


class SearchParams(Schema):
    status: STATUS_VALUES | None = None
    overdue: bool | None = None
    unit: str = ""
    q: str = ""
    limit: int = 50
    offset: int = Field(0, ge=0, le=MAX_INT)


@router.get(
    "/dossiers",
    response={200: DossierPage, 401: ErrorOut, 422: ErrorOut},
    summary="Tìm hồ sơ",
    description="Hồ sơ trong phạm vi đơn vị của người gọi (đơn vị mình và cấp dưới), mới tiếp "
    "nhận trước.\n\n* `status`: lọc theo trạng thái;\n* `overdue`: `true` chỉ hồ sơ quá hạn, "
    "`false` bỏ hồ sơ quá hạn;\n* `unit`: mã đơn vị tiếp nhận hoặc giải quyết;\n* `q`: mã hồ sơ, "
    "tên người nộp hoặc người được ủy quyền (có dấu hoặc không dấu), số định danh, số điện "
    "thoại; hồ sơ phải chứa mọi từ;\n* `limit` (1–200, mặc định 50), `offset`: phân trang.",
    operation_id="dossier_search",
)
def dossier_search(request, filters: Query[SearchParams]):
    errors = {}
    if not 1 <= filters.limit <= 200:
        errors["limit"] = "Phải từ 1 đến 200."
    if errors:
        raise InvalidInput("Dữ liệu không hợp lệ.", fields=errors)
    rows = list(
        selectors.dossier_search(
            request.user,
            status=filters.status or "",
            overdue=filters.overdue,
            unit_code=filters.unit.strip(),
            q=filters.q.strip(),
            limit=filters.limit + 1,
            offset=filters.offset,
        ).values(*LIST_VALUES)
    )
    more = len(rows) > filters.limit
    page = {
        "items": [_list_values_item(d) for d in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if more else None,
    }
    # Rendered as DossierPage would render it, without validating 50 rows of values this function
    # just built from the database (pydantic's validation and dump were a fifth of the request);
    # tests/dossiers/test_search.py checks the two give the same bytes.
    renderer = JSONRenderer()
    return HttpResponse(
        renderer.render(request, page, response_status=200),
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


@router.get(
    "/dossiers/{code}",
    response={200: DossierOut, 401: ErrorOut, 404: ErrorOut},
    summary="Xem hồ sơ",
    description="Hồ sơ với các bước đã thực hiện (`timeline`), thời hạn, phiên bản và các thao "
    "tác người gọi được làm lúc này (`allowed_actions`). Hồ sơ ngoài phạm vi đơn vị của người gọi "
    "trả về 404.",
    operation_id="dossier_detail",
)
def dossier_detail(request, code: str):
    return _detail(request.user, _dossier(request, code))


# ---------------------------------------------------------------- actions


def _assign_params(request, payload: AssignIn) -> dict:
    # Looked up within the caller's subtree: an outsider's username is simply unknown here.
    handler = (
        scope(User.objects.select_related("unit"), request.user, unit_field="unit")
        .filter(username=payload.handler.strip())
        .first()
    )
    if handler is None:
        raise InvalidInput(
            "Không có cán bộ với tên đăng nhập này trong đơn vị.",
            fields={"handler": "Không có cán bộ với tên đăng nhập này trong đơn vị."},
        )
    return {"handler": handler, "note": payload.note}


def _plain(*names):
    return lambda request, payload: {name: getattr(payload, name) for name in names}


def _with_files(*names):
    def params(request, payload):
        return {name: getattr(payload, name) for name in names} | {"files": _files(payload.files)}

    return params


# action -> (body schema, how to turn it into the service's parameters, Vietnamese description)
ACTION_ENDPOINTS = {
    "transfer": (
        TransferIn,
        _plain("mode", "note"),
        "Bộ phận tiếp nhận chuyển hồ sơ đến đơn vị giải quyết (điện tử hoặc bản giấy).",
    ),
    "assign": (
        AssignIn,
        _assign_params,
        "Lãnh đạo đơn vị giải quyết phân công cán bộ xử lý (`handler`: tên đăng nhập).",
    ),
    "process": (
        ProcessIn,
        _with_files("note"),
        "Cán bộ xử lý ghi nhận một bước thẩm định, xử lý.",
    ),
    "request_supplement": (
        RequestSupplementIn,
        _plain("items", "note"),
        "Yêu cầu công dân bổ sung hồ sơ (liệt kê đủ một lần). Đồng hồ tạm dừng; khi nhận đủ, "
        "thời hạn tính lại từ đầu. Yêu cầu sau 3 ngày làm việc kể từ khi tiếp nhận bị đánh dấu "
        "trễ.",
    ),
    "receive_supplement": (
        ReceiveSupplementIn,
        _with_files("note"),
        "Bộ phận tiếp nhận nhận hồ sơ bổ sung; thời hạn giải quyết tính lại từ đầu.",
    ),
    "submit": (
        SubmitIn,
        _with_files("result", "note"),
        "Cán bộ được phân công xử lý trình dự thảo kết quả để lãnh đạo phê duyệt; hồ sơ chuyển "
        "sang `pending_approval` (chờ phê duyệt).",
    ),
    "send_back": (
        SendBackIn,
        _plain("reason"),
        "Lãnh đạo trả lại dự thảo kết quả cho cán bộ xử lý, nêu lý do; hồ sơ trở lại đang xử lý.",
    ),
    "approve": (
        ApproveIn,
        _with_files("result", "e_result"),
        "Lãnh đạo phê duyệt kết quả đã được trình (chỉ khi hồ sơ chờ phê duyệt); hồ sơ chờ trả "
        "cho công dân.",
    ),
    "refuse": (
        RefuseIn,
        _plain("reasons"),
        "Lãnh đạo từ chối giải quyết, nêu rõ lý do.",
    ),
    "apologise": (
        ApologiseIn,
        _plain("new_due", "reason"),
        "Xin lỗi và hẹn lại ngày trả kết quả (chậm nhất 1 ngày làm việc trước hạn; chỉ một lần). "
        "Ngày hẹn mới được kiểm tra như trên màn hình cán bộ; hồ sơ sau thao tác cho biết ngày đã "
        "ghi (`extended_due_at`).",
    ),
    "return": (
        ReturnIn,
        _plain("method", "recipient", "recipient_name", "recipient_id_number", "note"),
        "Trả kết quả cho công dân, ghi người nhận: người nộp hồ sơ hoặc người được ủy quyền "
        "(họ tên, số định danh).",
    ),
    "stop": (
        StopIn,
        _plain("reason", "by_applicant"),
        "Dừng giải quyết hoặc công dân rút hồ sơ (trước khi có kết quả).",
    ),
    "record_payment": (
        RecordPaymentIn,
        _plain("amount", "channel", "exempt", "exempt_reason"),
        "Ghi nhận công dân đã nộp đủ phí, lệ phí (số tiền bằng đồng, đúng số còn phải nộp, và "
        "hình thức nộp), hoặc được miễn (`exempt` kèm lý do). Hồ sơ không thu phí: 409.",
    ),
}

ACTION_COMMON = """

Gửi kèm `version` là phiên bản hồ sơ đã xem. Trả về hồ sơ sau thao tác (200). Lỗi:
409 `stale_version` khi hồ sơ vừa bị thay đổi bởi thao tác khác (không có gì thay đổi), 409
`invalid_state` khi trạng thái hồ sơ không cho phép, 403 khi vai trò hoặc đơn vị của người gọi không
được làm thao tác này, 404 khi hồ sơ không có hoặc ngoài phạm vi, 422 khi tham số sai."""


def _action_endpoint(action: str, schema, to_params):
    def endpoint(request, code: str, payload: schema):
        dossier = _dossier(request, code)
        params = to_params(request, payload)
        done = services.perform(
            action, actor=request.user, dossier=dossier, version=payload.version, **params
        )
        fresh = selectors.dossier_for_user(request.user, done.code) or done
        return _detail(request.user, fresh)

    endpoint.__name__ = f"dossier_{action}"
    return endpoint


for _action, (_schema, _to_params, _description) in ACTION_ENDPOINTS.items():
    router.post(
        f"/dossiers/{{code}}/actions/{_action}",
        response={200: DossierOut, **ERRORS},
        summary=str(services.ACTIONS[_action].label),
        description=_description + ACTION_COMMON,
        operation_id=f"dossier_action_{_action}",
    )(_action_endpoint(_action, _schema, _to_params))


@router.post(
    "/dossiers/{code}/actions/{action}",
    response={404: ErrorOut},
    summary="Thao tác không tồn tại",
    description="Tên thao tác không có trong danh sách trên: 404.",
    operation_id="dossier_action_unknown",
    include_in_schema=False,
)
def dossier_action_unknown(request, code: str, action: str):
    _dossier(request, code)
    raise NotFound(f"Thao tác '{action}' không tồn tại.")


# ---------------------------------------------------------------- printable forms


@router.get(
    "/dossiers/{code}/forms/{form}.pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="In biểu mẫu của hồ sơ (PDF)",
    description="Biểu mẫu của hồ sơ dưới dạng PDF: `receipt` giấy tiếp nhận và hẹn trả kết quả, "
    "`supplement` phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, `refusal` phiếu từ chối giải quyết, "
    "`apology` phiếu xin lỗi và hẹn lại ngày trả kết quả, `stop` thông báo dừng giải quyết, "
    "`control` phiếu kiểm soát quá trình giải quyết. 409 khi biểu mẫu chưa áp dụng cho hồ sơ.",
    operation_id="dossier_form",
)
def dossier_form(request, code: str, form: str):
    dossier = _dossier(request, code)
    from motcua.dossiers.printing import render_dossier_form  # WeasyPrint: loaded on first use

    try:
        pdf = render_dossier_form(form, dossier)
    except KeyError:
        raise NotFound(f"Không có biểu mẫu '{form}'.")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return response

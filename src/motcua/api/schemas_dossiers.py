"""Request and response bodies of the dossier API, with Vietnamese descriptions for OpenAPI."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

STATUS_VALUES = Literal[
    "received",
    "assigning",
    "processing",
    "pending_approval",
    "supplement",
    "result_ready",
    "returned",
    "refused",
    "stopped",
]


class Strict(Schema):
    # A misspelt parameter is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- intake


class ApplicantIn(Strict):
    kind: Literal["person", "organisation"] = Field(
        "person", description="Loại người nộp: `person` (cá nhân) hoặc `organisation` (tổ chức)."
    )
    name: str = Field(
        ..., max_length=255, description="Họ tên người nộp hoặc tên tổ chức (bắt buộc)."
    )
    id_number: str = Field(
        "",
        max_length=20,
        description="Số định danh cá nhân (12 chữ số) — bắt buộc với cá nhân.",
    )
    org_code: str = Field(
        "", max_length=20, description="Mã số doanh nghiệp, tổ chức — bắt buộc với tổ chức."
    )
    address: str = Field("", max_length=500, description="Địa chỉ liên hệ.")
    phone: str = Field("", max_length=20, description="Số điện thoại (9–12 chữ số).")
    email: str = Field("", max_length=254, description="Thư điện tử.")
    proxy_name: str = Field("", max_length=255, description="Họ tên người được ủy quyền nộp.")
    proxy_id_number: str = Field(
        "", max_length=20, description="Số định danh của người được ủy quyền."
    )
    proxy_authorisation: str = Field("", max_length=255, description="Số, ngày của giấy ủy quyền.")


class FileIn(Strict):
    name: str = Field(..., min_length=1, max_length=200, description="Tên tệp.")
    content_base64: str = Field(
        ...,
        description="Nội dung tệp mã hóa base64. Chỉ nhận PDF, JPEG, PNG; tối đa 10 MB mỗi tệp.",
    )


class DossierIn(Strict):
    desk: str = Field(
        ..., max_length=40, description="Mã bộ phận tiếp nhận và trả kết quả, ví dụ `VINHPHU-MC`."
    )
    procedure: str = Field(
        ...,
        max_length=40,
        description="Mã thủ tục hành chính; hồ sơ dùng phiên bản đang công bố của thủ tục.",
    )
    applicant: ApplicantIn = Field(..., description="Người nộp hồ sơ.")
    checklist: list[str] = Field(
        default_factory=list,
        description="Tên các thành phần hồ sơ đã nhận (đúng như trong thủ tục). "
        "Thiếu giấy tờ bắt buộc thì hồ sơ không được tiếp nhận.",
    )
    channel: Literal["desk", "post", "online"] = Field(
        "desk",
        description="Hình thức nộp: `desk` (trực tiếp), `post` (bưu chính), `online` (trực tuyến).",
    )
    request_summary: str = Field("", max_length=2000, description="Nội dung yêu cầu giải quyết.")
    handling_unit: str | None = Field(
        None,
        max_length=40,
        description="Mã đơn vị giải quyết (không bắt buộc; mặc định do thủ tục và bộ phận quyết "
        "định).",
    )
    files: list[FileIn] = Field(
        default_factory=list, description="Bản quét hồ sơ (không bắt buộc)."
    )


class UnitRef(Schema):
    code: str = Field(..., description="Mã đơn vị.")
    name: str = Field(..., description="Tên đơn vị.")


class ReceiptOut(Schema):
    code: str = Field(..., description="Mã số hồ sơ, in trên giấy tiếp nhận.")
    tracking_secret: str = Field(
        ..., description="Mã tra cứu in trên giấy tiếp nhận, để công dân xem chi tiết hồ sơ."
    )
    status: str = Field(..., description="Trạng thái hồ sơ.")
    status_label: str = Field(..., description="Trạng thái bằng lời.")
    version: int = Field(..., description="Phiên bản của hồ sơ, gửi kèm mọi thao tác sau.")
    received_at: datetime = Field(..., description="Thời điểm tiếp nhận (giờ Việt Nam).")
    due_at: datetime | None = Field(None, description="Hẹn trả kết quả lúc (giờ Việt Nam).")
    handling_unit: UnitRef = Field(..., description="Đơn vị giải quyết.")
    fee_amount: int = Field(..., description="Phí, lệ phí phải nộp (đồng).")


# ---------------------------------------------------------------- reading


class ApplicantOut(Schema):
    kind: str
    name: str
    id_number: str
    org_code: str
    address: str
    phone: str
    email: str
    proxy_name: str
    proxy_id_number: str
    proxy_authorisation: str


class ChecklistRow(Schema):
    name: str = Field(..., description="Thành phần hồ sơ.")
    sets: int = Field(..., description="Số bản.")
    mandatory: bool = Field(..., description="Bắt buộc hay không.")
    received: bool = Field(..., description="Đã nhận hay chưa.")


class ActionOut(Schema):
    seq: int = Field(..., description="Số thứ tự bước.")
    action: str = Field(..., description="Thao tác.")
    label: str = Field(..., description="Thao tác bằng lời.")
    at: datetime = Field(..., description="Thời điểm (giờ Việt Nam).")
    actor_name: str = Field(..., description="Cán bộ thực hiện.")
    unit: str | None = Field(None, description="Mã đơn vị của cán bộ thực hiện.")
    unit_name: str | None = Field(None, description="Tên đơn vị của cán bộ thực hiện.")
    note: str = Field(..., description="Ghi chú, nội dung xử lý, lý do.")
    from_status: str = Field(..., description="Trạng thái trước.")
    to_status: str = Field(..., description="Trạng thái sau.")
    due_at: datetime | None = Field(None, description="Hạn giải quyết theo quy định sau bước này.")


class ProcedureRef(Schema):
    code: str = Field(..., description="Mã thủ tục.")
    name: str = Field(..., description="Tên thủ tục.")
    version: int | None = Field(None, description="Phiên bản thủ tục áp dụng cho hồ sơ.")


class DossierListItem(Schema):
    code: str = Field(..., description="Mã số hồ sơ.")
    status: str = Field(..., description="Trạng thái.")
    status_label: str = Field(..., description="Trạng thái bằng lời.")
    version: int = Field(..., description="Phiên bản của hồ sơ.")
    procedure: ProcedureRef
    applicant_name: str = Field(..., description="Người nộp.")
    receiving_unit: UnitRef = Field(..., description="Đơn vị tiếp nhận.")
    handling_unit: UnitRef = Field(..., description="Đơn vị giải quyết.")
    received_at: datetime = Field(..., description="Tiếp nhận lúc.")
    due_at: datetime | None = Field(
        None,
        description="Hạn giải quyết theo quy định (tính lại khi bổ sung hồ sơ; không đổi khi xin "
        "lỗi, hẹn lại): căn cứ tính đúng hạn, quá hạn.",
    )
    deadline_flag: str = Field(
        ..., description="Tình trạng hạn: `ok` trong hạn, `nearing` sắp đến hạn, `overdue` quá hạn."
    )


class DossierPage(Schema):
    items: list[DossierListItem]
    limit: int = Field(..., description="Số hồ sơ tối đa mỗi trang.")
    offset: int = Field(..., description="Vị trí bắt đầu.")
    next_offset: int | None = Field(None, description="Vị trí của trang sau; null khi hết.")


class DossierOut(DossierListItem):
    tracking_secret: str = Field(..., description="Mã tra cứu in trên giấy tiếp nhận.")
    desk: str = Field(..., description="Mã bộ phận tiếp nhận.")
    channel: str = Field(..., description="Hình thức nộp.")
    applicant: ApplicantOut
    request_summary: str
    checklist: list[ChecklistRow]
    handler: str | None = Field(None, description="Tên đăng nhập của cán bộ xử lý.")
    handler_name: str | None = Field(None, description="Họ tên cán bộ xử lý.")
    original_due_at: datetime | None = Field(None, description="Hạn ban đầu.")
    extended_due_at: datetime | None = Field(
        None, description="Ngày hẹn trả mới theo phiếu xin lỗi (lịch hẹn với công dân)."
    )
    supplement_count: int = Field(..., description="Số lần yêu cầu bổ sung.")
    fee_amount: int = Field(..., description="Phí, lệ phí phải nộp (đồng), định khi tiếp nhận.")
    fee_paid_amount: int = Field(..., description="Số tiền đã nộp (đồng).")
    fee_paid_at: datetime | None = Field(
        None, description="Lúc phí, lệ phí được nộp đủ hoặc được miễn; null khi chưa."
    )
    fee_channel: str = Field(..., description="Hình thức nộp: `cash`, `transfer`, `online`.")
    fee_exempt: bool = Field(..., description="Được miễn phí, lệ phí.")
    fee_exempt_reason: str = Field(..., description="Lý do miễn.")
    result_summary: str
    e_result: bool
    result_ready_at: datetime | None = None
    returned_at: datetime | None = None
    return_method: str
    recipient_kind: str = Field(..., description="Người nhận kết quả: `applicant` hoặc `proxy`.")
    recipient_name: str = Field(..., description="Họ tên người nhận kết quả.")
    recipient_id_number: str = Field(..., description="Số định danh người nhận kết quả.")
    finished_at: datetime | None = None
    finished_on_time: bool | None = Field(
        None,
        description="Kết thúc (có kết quả, từ chối, dừng) đúng hạn so với hạn giải quyết theo quy "
        "định, không tính thời gian chờ công dân bổ sung; null khi chưa kết thúc.",
    )
    stop_reason: str
    timeline: list[ActionOut] = Field(..., description="Các bước đã thực hiện, theo thứ tự.")
    allowed_actions: list[str] = Field(
        ..., description="Các thao tác người gọi được thực hiện lúc này."
    )


# ---------------------------------------------------------------- actions


class ActionIn(Strict):
    version: int = Field(
        ...,
        description="Phiên bản của hồ sơ mà người gọi đã xem; khác phiên bản hiện tại thì bị từ "
        "chối (409 `stale_version`).",
    )


class TransferIn(ActionIn):
    mode: Literal["electronic", "paper"] = Field(
        "electronic", description="Chuyển điện tử (`electronic`) hay bản giấy (`paper`)."
    )
    note: str = Field("", max_length=2000, description="Ghi chú.")


class AssignIn(ActionIn):
    handler: str = Field(
        ..., max_length=150, description="Tên đăng nhập của cán bộ xử lý được phân công."
    )
    note: str = Field("", max_length=2000, description="Ý kiến chỉ đạo.")


class ProcessIn(ActionIn):
    note: str = Field(..., max_length=5000, description="Nội dung xử lý, thẩm định.")
    files: list[FileIn] = Field(default_factory=list, description="Tài liệu xử lý nội bộ.")


class RequestSupplementIn(ActionIn):
    items: list[str] = Field(..., description="Các giấy tờ cần bổ sung (liệt kê đủ một lần).")
    note: str = Field("", max_length=2000, description="Lý do, hướng dẫn.")


class ReceiveSupplementIn(ActionIn):
    note: str = Field("", max_length=2000, description="Ghi chú.")
    files: list[FileIn] = Field(default_factory=list, description="Giấy tờ bổ sung.")


class SubmitIn(ActionIn):
    result: str = Field(..., max_length=5000, description="Dự thảo kết quả giải quyết.")
    note: str = Field("", max_length=2000, description="Ý kiến đề xuất.")
    files: list[FileIn] = Field(default_factory=list, description="Tệp dự thảo kết quả.")


class SendBackIn(ActionIn):
    reason: str = Field(..., max_length=2000, description="Lý do trả lại, nội dung cần xử lý.")


class ApproveIn(ActionIn):
    result: str = Field(
        "",
        max_length=5000,
        description="Kết quả giải quyết; để trống thì dùng dự thảo cán bộ xử lý đã trình.",
    )
    e_result: bool = Field(False, description="Có kết quả điện tử hay không.")
    files: list[FileIn] = Field(default_factory=list, description="Tệp kết quả.")


class RefuseIn(ActionIn):
    reasons: str = Field(..., max_length=5000, description="Lý do từ chối giải quyết.")


class ApologiseIn(ActionIn):
    new_due: str = Field(
        ...,
        max_length=40,
        description="Ngày giờ hẹn trả mới: ISO 8601 (không ghi múi giờ thì hiểu là giờ Việt Nam) "
        "hoặc `dd/mm/yyyy HH:MM`; chỉ ghi ngày thì hiểu là hết buổi làm việc cuối của ngày đó. "
        "Phải là thời gian làm việc của đơn vị giải quyết, sau thời điểm hiện tại và sau hạn giải "
        "quyết, trong vòng 365 ngày. Chỉ được hẹn lại một lần. Ngày hẹn mới chỉ là lịch hẹn với "
        "công dân: hạn giải quyết (`due_at`) không đổi, hồ sơ trả sau hạn đó vẫn là quá hạn.",
    )
    reason: str = Field(..., max_length=2000, description="Lý do chậm trễ.")


class ReturnIn(ActionIn):
    method: Literal["desk", "post", "online"] = Field(
        "desk",
        description="Trả tại bộ phận một cửa (`desk`), qua bưu chính (`post`), trực tuyến "
        "(`online`).",
    )
    recipient: Literal["applicant", "proxy"] = Field(
        "applicant",
        description="Người nhận kết quả: người nộp hồ sơ (`applicant`) hoặc người được ủy quyền "
        "(`proxy`, kèm họ tên và số định danh).",
    )
    recipient_name: str = Field("", max_length=255, description="Họ tên người được ủy quyền.")
    recipient_id_number: str = Field(
        "", max_length=20, description="Số định danh (12 chữ số) của người được ủy quyền."
    )
    note: str = Field("", max_length=2000, description="Ghi chú.")


class StopIn(ActionIn):
    reason: str = Field(..., max_length=2000, description="Lý do dừng giải quyết.")
    by_applicant: bool = Field(True, description="Công dân xin rút hồ sơ hay không.")


class RecordPaymentIn(ActionIn):
    amount: int | None = Field(
        None,
        ge=0,
        description="Số tiền đã nộp (đồng): đúng số phí, lệ phí còn phải nộp. Bỏ qua khi miễn.",
    )
    channel: Literal["cash", "transfer", "online"] | None = Field(
        None,
        description="Hình thức nộp: tiền mặt (`cash`), chuyển khoản (`transfer`), trực tuyến "
        "(`online`). Bắt buộc khi không miễn.",
    )
    exempt: bool = Field(False, description="Người nộp được miễn phí, lệ phí.")
    exempt_reason: str = Field(
        "", max_length=500, description="Lý do miễn (bắt buộc khi `exempt` là `true`)."
    )

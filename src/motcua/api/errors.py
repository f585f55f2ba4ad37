"""JSON errors with a stable code and a message in the user's language."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.dossiers.errors import DossierError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _field_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Trường này là bắt buộc."),
        "string_too_short": _("Quá ngắn."),
        "string_too_long": _("Dài quá %(n)s ký tự.") % {"n": ctx.get("max_length", "")},
        "int_parsing": _("Phải là số nguyên."),
        "greater_than_equal": _("Không được nhỏ hơn %(n)s.") % {"n": ctx.get("ge", "")},
        "less_than_equal": _("Không được lớn hơn %(n)s.") % {"n": ctx.get("le", "")},
        "int_type": _("Phải là số nguyên."),
        "bool_parsing": _("Phải là đúng hoặc sai."),
        "date_from_datetime_parsing": _("Ngày không hợp lệ."),
        "date_parsing": _("Ngày không hợp lệ."),
        "datetime_parsing": _("Thời điểm không hợp lệ."),
        "datetime_from_date_parsing": _("Thời điểm không hợp lệ."),
        "string_pattern_mismatch": _("Sai định dạng."),
        "enum": _("Giá trị không nằm trong danh sách cho phép."),
        "literal_error": _("Giá trị không nằm trong danh sách cho phép."),
        "json_invalid": _("Nội dung JSON không hợp lệ."),
        "model_attributes_type": _("Nội dung phải là một đối tượng JSON."),
        "dict_type": _("Nội dung phải là một đối tượng JSON."),
        "value_error": str(ctx.get("error", "")) or _("Giá trị không hợp lệ."),
    }
    return messages.get(kind, _("Giá trị không hợp lệ."))


def install(api) -> None:
    def respond(request, status, code, message, **extra):
        return api.create_response(
            request, {"code": code, "message": message, **extra}, status=status
        )

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, **exc.extra)

    @api.exception_handler(DossierError)
    def _dossier_error(request, exc: DossierError):
        extra = {}
        if exc.fields:
            extra["errors"] = [{"field": k, "message": v} for k, v in exc.fields.items()]
        return respond(request, exc.status, exc.code, exc.message, **extra)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        fields = []
        for error in exc.errors:
            loc = [
                str(part)
                for part in error.get("loc", ())
                if part not in ("body", "payload", "query", "path")
            ]
            fields.append({"field": ".".join(loc), "message": _field_message(error)})
        return respond(request, 422, "invalid_input", _("Dữ liệu không hợp lệ."), errors=fields)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return respond(
            request, 401, "unauthenticated", _("Cần đăng nhập hoặc mã truy cập (token) hợp lệ.")
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404, "not_found", _("Không tìm thấy."))

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        codes = {
            400: ("bad_request", _("Yêu cầu không hợp lệ.")),
            403: ("forbidden", _("Không có quyền thực hiện thao tác này.")),
            404: ("not_found", _("Không tìm thấy.")),
            405: ("method_not_allowed", _("Phương thức không được hỗ trợ.")),
            409: ("conflict", _("Dữ liệu đã bị thay đổi bởi thao tác khác.")),
        }
        code, message = codes.get(exc.status_code, ("error", _("Có lỗi xảy ra.")))
        return respond(request, exc.status_code, code, message)

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        return respond(request, 413, "too_large", _("Nội dung gửi lên quá lớn."))

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        import logging

        logging.getLogger("motcua.api").exception("Unhandled API error")
        return respond(request, 500, "server_error", _("Hệ thống gặp sự cố. Vui lòng thử lại sau."))

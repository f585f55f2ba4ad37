"""Error pages in the user's language, never a stack trace."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request, status: int, title: str, message: str):
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, _("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không hợp lệ."))


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("Không có quyền truy cập"),
        _("Tài khoản của bạn không có quyền thực hiện thao tác này."),
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Không tìm thấy trang"),
        _("Trang bạn tìm không tồn tại hoặc đã được chuyển đi."),
    )


def server_error(request):
    return _page(
        request, 500, _("Lỗi hệ thống"), _("Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút.")
    )

"""What the staff home offers each user, derived from their capabilities.

Apps add their entries here, each with the page it leads to: the home page promises nothing that
has no page (an entry whose page is not installed is left out, never shown as plain text).
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from motcua.org.roles import Cap

STEPS = [
    (Cap.RECEIVE_DOSSIERS, _("Tiếp nhận hồ sơ mới và trả kết quả cho công dân"), "dossier-intake"),
    (Cap.RECEIVE_DOSSIERS, _("Tiếp nhận hồ sơ công dân nộp trực tuyến"), "online-inbox"),
    (Cap.PROCESS_DOSSIERS, _("Thẩm định, xử lý hồ sơ được phân công"), "dossier-queues"),
    (Cap.APPROVE_DOSSIERS, _("Phân công xử lý và phê duyệt hồ sơ"), "dossier-queues"),
    (Cap.EDIT_CATALOG, _("Cập nhật danh mục thủ tục hành chính"), "catalog_staff:list"),
    (Cap.VIEW_DOSSIERS, _("Xem sổ theo dõi hồ sơ của các bộ phận một cửa"), "dossier-logbook-wide"),
    (Cap.VIEW_REPORTS, _("Xem kết quả đánh giá mức độ hài lòng của người dân"), "ratings-report"),
    (
        Cap.RECEIVE_DOSSIERS,
        _("Gắn máy tính bảng đánh giá tại bộ phận một cửa"),
        "ratings-kiosk-bind",
    ),
    (Cap.VIEW_REPORTS, _("Xem chỉ số phục vụ và xếp hạng các đơn vị"), "metrics:overview"),
    (Cap.VIEW_AUDIT, _("Xem nhật ký hệ thống và kiểm tra tính toàn vẹn"), "audit-log"),
    (Cap.VIEW_UNITS, _("Xem cây đơn vị và bộ phận một cửa"), "units"),
    (Cap.VIEW_STAFF, _("Xem danh sách cán bộ"), "staff"),
    (Cap.ADMIN_SITE, _("Quản trị đơn vị, tài khoản, nhật ký"), "admin:index"),
]


def next_steps_for(user) -> list[dict]:
    steps = []
    for capability, label, url_name in STEPS:
        if not user.can(capability):
            continue
        try:
            steps.append({"label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return steps

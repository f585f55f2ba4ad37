"""What the staff home offers each user, derived from their capabilities.

Apps add their entries here; an entry whose page does not exist yet shows as plain text.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from motcua.org.roles import Cap

STEPS = [
    (Cap.RECEIVE_DOSSIERS, _("Tiếp nhận hồ sơ mới và trả kết quả cho công dân"), "dossier-intake"),
    (Cap.PROCESS_DOSSIERS, _("Thẩm định, xử lý hồ sơ được phân công"), "dossier-queues"),
    (Cap.APPROVE_DOSSIERS, _("Phân công xử lý và phê duyệt hồ sơ"), "dossier-queues"),
    (Cap.EDIT_CATALOG, _("Cập nhật danh mục thủ tục hành chính"), "catalog_staff:list"),
    (Cap.VIEW_REPORTS, _("Xem chỉ số phục vụ, xếp hạng đơn vị"), None),
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
            url = reverse(url_name) if url_name else None
        except NoReverseMatch:
            url = None
        steps.append({"label": label, "url": url})
    return steps

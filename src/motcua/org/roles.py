"""Roles and what each may do. One table, read by every check in the app.

A capability is a verb on a kind of thing; the scope (which units) is always the user's unit
subtree, applied separately by `motcua.org.scoping`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận")
    HANDLER = "handler", _("Cán bộ xử lý")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    CATALOG_ADMIN = "catalog_admin", _("Quản trị danh mục TTHC")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")
    SYSADMIN = "sysadmin", _("Quản trị hệ thống")
    SENTENCE_OFFICER = "sentence_officer", _("Cán bộ theo dõi thi hành án")
    # Citizens are users without a unit; they hold no staff capability and see only what they
    # submitted (org.scoping).
    CITIZEN = "citizen", _("Công dân")


class Cap(models.TextChoices):
    VIEW_UNITS = "units.view", _("Xem cây đơn vị")
    VIEW_STAFF = "staff.view", _("Xem danh sách cán bộ")
    MANAGE_UNITS = "units.manage", _("Quản lý đơn vị, bộ phận một cửa")
    MANAGE_STAFF = "staff.manage", _("Quản lý tài khoản cán bộ")
    VIEW_DOSSIERS = "dossiers.view", _("Xem hồ sơ")
    RECEIVE_DOSSIERS = "dossiers.receive", _("Tiếp nhận, trả kết quả hồ sơ")
    PROCESS_DOSSIERS = "dossiers.process", _("Thẩm định, xử lý hồ sơ")
    APPROVE_DOSSIERS = "dossiers.approve", _("Phân công, phê duyệt, ký hồ sơ")
    EDIT_CATALOG = "catalog.edit", _("Soạn thảo thủ tục hành chính")
    PUBLISH_CATALOG = "catalog.publish", _("Công bố thủ tục hành chính")
    VIEW_REPORTS = "reports.view", _("Xem chỉ số, báo cáo")
    VIEW_AUDIT = "audit.view", _("Xem nhật ký hệ thống")
    ADMIN_SITE = "admin.access", _("Vào trang quản trị")
    # The yearly reform scorecard (motcua.reform): the reform office opens a year, records the
    # survey and publishes; a unit's staff self-assess, its leader locks; the appraisal council
    # (the provincial inspectors) accepts or adjusts.
    MANAGE_REFORM = "reform.manage", _("Tổ chức đánh giá chỉ số cải cách hành chính")
    ASSESS_REFORM = "reform.assess", _("Tự đánh giá chỉ số cải cách hành chính")
    LOCK_REFORM = "reform.lock", _("Duyệt, khóa bản tự đánh giá")
    APPRAISE_REFORM = "reform.appraise", _("Thẩm định chỉ số cải cách hành chính")
    # People serving sentences in the community (motcua.sentences): sensitive personal data, so
    # these are never granted through SYSADMIN's "everything"; see sentences/access.py.
    SUPERVISE_SENTENCES = "sentences.supervise", _("Theo dõi người chấp hành án tại cộng đồng")
    VIEW_SENTENCES = "sentences.view", _("Xem hồ sơ thi hành án tại cộng đồng")
    COUNT_SENTENCES = "sentences.count", _("Xem số liệu thi hành án tại cộng đồng")


_SENTENCE_CAPS = {Cap.SUPERVISE_SENTENCES, Cap.VIEW_SENTENCES, Cap.COUNT_SENTENCES}
_COMMON = {Cap.VIEW_UNITS, Cap.VIEW_STAFF, Cap.VIEW_DOSSIERS, Cap.VIEW_REPORTS}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.RECEPTIONIST: frozenset(_COMMON | {Cap.RECEIVE_DOSSIERS, Cap.ASSESS_REFORM}),
    Role.HANDLER: frozenset(_COMMON | {Cap.PROCESS_DOSSIERS, Cap.ASSESS_REFORM}),
    Role.LEADER: frozenset(
        _COMMON
        | {
            Cap.PROCESS_DOSSIERS,
            Cap.APPROVE_DOSSIERS,
            Cap.PUBLISH_CATALOG,
            Cap.ASSESS_REFORM,
            Cap.LOCK_REFORM,
        }
        | {Cap.VIEW_SENTENCES, Cap.COUNT_SENTENCES}
    ),
    # The officers who control administrative procedures are the province's reform office.
    Role.CATALOG_ADMIN: frozenset(
        _COMMON | {Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG, Cap.MANAGE_REFORM}
    ),
    # Inspectors read everything in their subtree and change no dossier; they sit on the reform
    # appraisal council, whose only writes are appraisal scores. Of sentences they see counts.
    Role.INSPECTOR: frozenset(_COMMON | {Cap.VIEW_AUDIT, Cap.APPRAISE_REFORM, Cap.COUNT_SENTENCES}),
    Role.SENTENCE_OFFICER: frozenset(
        {Cap.VIEW_UNITS, Cap.SUPERVISE_SENTENCES, Cap.VIEW_SENTENCES, Cap.COUNT_SENTENCES}
    ),
    Role.SYSADMIN: frozenset(set(Cap) - _SENTENCE_CAPS),
}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())

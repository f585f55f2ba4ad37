"""What happens to a dossier: one function per action, each checked, logged and audited.

Every action runs in one transaction that locks the dossier row, checks the version the caller
saw, the state, the role and the unit, then writes the dossier, one DossierAction row and one
audit row. Notifications are sent on commit.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import audit_record
from motcua.dossiers import codes
from motcua.dossiers.deadlines import (
    calendar_of,
    load_clock,
    procedure_duration,
    store_clock,
    transfer_due,
)
from motcua.dossiers.errors import InvalidInput, InvalidState, NotAllowed, StaleVersion
from motcua.dossiers.identity import personal_id_error
from motcua.dossiers.models import (
    OPEN_STATUSES,
    ApplicantKind,
    Channel,
    DeadlineFlag,
    Dossier,
    DossierAction,
    DossierFile,
    FileKind,
    IntakeOutcome,
    IntakeSlip,
    Notification,
    Status,
)
from motcua.dossiers.paper import money
from motcua.dossiers.uploads import CheckedFile, UploadRejected, as_django_file, read_uploads
from motcua.org.models import User
from motcua.org.roles import Cap, Role
from motcua.org.scoping import can_act_on
from motcua.worktime.clock import Clock
from motcua.worktime.core import add, working_minutes_between

# ---------------------------------------------------------------- the action table


@dataclass(frozen=True)
class ActionSpec:
    label: str
    from_statuses: tuple[str, ...]
    capability: str
    side: str  # "receiving" or "handling": whose unit may act


ACTIONS: dict[str, ActionSpec] = {
    "transfer": ActionSpec(
        _("Chuyển hồ sơ đến đơn vị giải quyết"),
        (Status.RECEIVED,),
        Cap.RECEIVE_DOSSIERS,
        "receiving",
    ),
    "assign": ActionSpec(
        _("Phân công xử lý"),
        (Status.ASSIGNING, Status.PROCESSING),
        Cap.APPROVE_DOSSIERS,
        "handling",
    ),
    "process": ActionSpec(
        _("Ghi nhận xử lý"), (Status.PROCESSING,), Cap.PROCESS_DOSSIERS, "handling"
    ),
    "request_supplement": ActionSpec(
        _("Yêu cầu bổ sung hồ sơ"), (Status.PROCESSING,), Cap.PROCESS_DOSSIERS, "handling"
    ),
    "receive_supplement": ActionSpec(
        _("Nhận hồ sơ bổ sung"), (Status.SUPPLEMENT,), Cap.RECEIVE_DOSSIERS, "receiving"
    ),
    "approve": ActionSpec(
        _("Phê duyệt kết quả"), (Status.PROCESSING,), Cap.APPROVE_DOSSIERS, "handling"
    ),
    "refuse": ActionSpec(
        _("Từ chối giải quyết"),
        (Status.ASSIGNING, Status.PROCESSING),
        Cap.APPROVE_DOSSIERS,
        "handling",
    ),
    "apologise": ActionSpec(
        _("Xin lỗi và hẹn lại ngày trả"),
        (Status.ASSIGNING, Status.PROCESSING, Status.SUPPLEMENT),
        Cap.APPROVE_DOSSIERS,
        "handling",
    ),
    "return": ActionSpec(
        _("Trả kết quả"), (Status.RESULT_READY,), Cap.RECEIVE_DOSSIERS, "receiving"
    ),
    "stop": ActionSpec(
        _("Dừng giải quyết, rút hồ sơ"), OPEN_STATUSES, Cap.RECEIVE_DOSSIERS, "receiving"
    ),
    "record_payment": ActionSpec(
        _("Ghi nhận nộp phí, lệ phí"),
        (*OPEN_STATUSES, Status.RESULT_READY),
        Cap.RECEIVE_DOSSIERS,
        "receiving",
    ),
}

PAYMENT_CHANNELS = {"cash": _("Tiền mặt"), "transfer": _("Chuyển khoản"), "online": _("Trực tuyến")}
RETURN_METHODS = {
    "desk": _("Tại bộ phận một cửa"),
    "post": _("Qua bưu chính"),
    "online": _("Trực tuyến"),
}
TRANSFER_MODES = {"electronic": _("Điện tử"), "paper": _("Bản giấy")}


def _side_unit(dossier: Dossier, side: str):
    return dossier.receiving_unit if side == "receiving" else dossier.handling_unit


def may(user, dossier: Dossier, action: str) -> bool:
    spec = ACTIONS[action]
    return (
        dossier.status in spec.from_statuses
        and user.can(spec.capability)
        and can_act_on(user, _side_unit(dossier, spec.side))
        and (action != "record_payment" or dossier.fee_paid_at is None)
        and (action != "return" or not _fee_unpaid(dossier))
        # The due date may be moved only once.
        and (action != "apologise" or dossier.extended_due_at is None)
    )


def _fee_unpaid(dossier: Dossier) -> bool:
    """A fee is due and no payment (or exemption: a payment of 0 đồng) is recorded."""
    return bool(dossier.fee_amount) and dossier.fee_paid_at is None


def allowed_actions(user, dossier: Dossier) -> list[str]:
    """The actions this user may take on this dossier now: the buttons the UI shows."""
    return [name for name in ACTIONS if may(user, dossier, name)]


# ---------------------------------------------------------------- shared steps


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _log(
    dossier: Dossier,
    *,
    action: str,
    actor,
    from_status: str,
    at: datetime,
    note: str = "",
    data: dict | None = None,
) -> DossierAction:
    # A dossier's first action needs no count (one statement less on every intake).
    seq = 1 if action == "receive" else DossierAction.objects.filter(dossier=dossier).count() + 1
    entry = DossierAction.objects.create(
        dossier=dossier,
        seq=seq,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        at=at,
        actor=actor,
        actor_name=actor.get_full_name() or actor.username,
        unit=actor.unit,
        note=note,
        data=data or {},
        due_at=dossier.due_at,
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        changes={"status": [from_status, dossier.status], **(data or {})},
    )
    return entry


def _locked(dossier: Dossier, version: int | None) -> Dossier:
    fresh = (
        Dossier.objects.select_for_update()
        .select_related("handling_unit", "receiving_unit", "desk", "procedure_version")
        .get(pk=dossier.pk)
    )
    if version is None or int(version) != fresh.version:
        raise StaleVersion(
            "Hồ sơ vừa được thay đổi bởi thao tác khác. Vui lòng tải lại trang và thực hiện lại."
        )
    return fresh


def _check(actor, dossier: Dossier, action: str) -> None:
    spec = ACTIONS[action]
    if not (actor.can(spec.capability) and can_act_on(actor, _side_unit(dossier, spec.side))):
        raise NotAllowed("Tài khoản của bạn không được thực hiện thao tác này với hồ sơ này.")
    if dossier.status not in spec.from_statuses:
        raise InvalidState(
            f"Không thể '{spec.label.lower()}' khi hồ sơ đang ở trạng thái "
            f"'{dossier.get_status_display().lower()}'."
        )


def _save(dossier: Dossier) -> None:
    dossier.version += 1
    dossier.save()


def _notify(users, dossier: Dossier | None, key: str, message: str) -> int:
    """In-app notice plus e-mail, once per (user, key) whatever happens twice.

    One INSERT for everyone; a notice that exists already is skipped by the unique (user, key)
    constraint without an error (so no savepoint either), and RETURNING says who is new."""
    people = {u.pk: u for u in users if u is not None}
    if not people:
        return 0
    q = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    key, text = key[:120], message[:500]
    rows = [(pk, dossier.pk if dossier else None, key, text, now) for pk in people]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(Notification._meta.db_table)} "  # noqa: S608 - names only
            f"(user_id, dossier_id, {q('key')}, message, created_at) VALUES "
            + ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
            + f" ON CONFLICT (user_id, {q('key')}) DO NOTHING RETURNING user_id",
            [value for row in rows for value in row],
        )
        fresh = [people[row[0]] for row in cursor.fetchall()]
    for user in fresh:
        if user.email:
            transaction.on_commit(
                lambda u=user: send_mail(
                    f"[motcua] {message[:120]}", message, None, [u.email], fail_silently=True
                )
            )
    return len(fresh)


def _leaders_of(unit):
    """The unit's leaders, as far as a notice needs them (who, and where to e-mail)."""
    users = User.objects.filter(unit=unit, role=Role.LEADER, is_active=True)
    return users.select_related(None).only("id", "email")


def _store_files(dossier: Dossier, files: list[CheckedFile], kind: str, actor, at) -> list:
    saved = []
    for checked in files:
        saved.append(
            DossierFile.objects.create(
                dossier=dossier,
                kind=kind,
                name=checked.name,
                file=as_django_file(checked),
                content_type=checked.content_type,
                size=len(checked.content),
                sha256=checked.sha256,
                uploaded_by=actor,
                uploaded_at=at,
            )
        )
    return saved


def _with_files(files, work):
    """Run `work(checked_files)`; if it fails, remove whatever files it had written."""
    try:
        checked = read_uploads(files or [])
    except UploadRejected as error:
        raise InvalidInput(str(error), fields={"files": str(error)})
    written: list[DossierFile] = []
    try:
        return work(checked, written)
    except Exception:
        for item in written:
            item.file.delete(save=False)
        raise


def orphan_files_remove(*, actor, older_than_minutes: int = 60, dry_run: bool = False) -> list:
    """Delete stored scans that no dossier refers to (left by an intake killed between writing
    its files and committing). Files younger than `older_than_minutes` are left alone: they may
    belong to an intake still in progress. Returns the paths (relative to MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT)
    folder = root / DossierFile._meta.get_field("file").upload_to.split("/", 1)[0]
    if not folder.is_dir():
        return []
    cutoff = time.time() - older_than_minutes * 60
    known = set(DossierFile.objects.values_list("file", flat=True))
    orphans = sorted(
        path.relative_to(root).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
        and path.stat().st_mtime < cutoff
        and path.relative_to(root).as_posix() not in known
    )
    if orphans and not dry_run:
        with transaction.atomic():
            audit_record(
                actor=actor, action="dossier.files.orphans_removed", changes={"files": orphans}
            )
        for name in orphans:
            (root / name).unlink(missing_ok=True)
    return orphans


# ---------------------------------------------------------------- applicants

APPLICANT_FIELDS = [
    "kind",
    "name",
    "id_number",
    "org_code",
    "address",
    "phone",
    "email",
    "proxy_name",
    "proxy_id_number",
    "proxy_authorisation",
]


def clean_applicant(data: dict) -> dict:
    """Validated applicant fields; InvalidInput names every bad field in Vietnamese."""
    values = {k: str(data.get(k) or "").strip() for k in APPLICANT_FIELDS}
    values["kind"] = values["kind"] or ApplicantKind.PERSON
    errors: dict[str, str] = {}
    if values["kind"] not in ApplicantKind.values:
        errors["kind"] = "Loại người nộp phải là cá nhân hoặc tổ chức."
    if not values["name"]:
        errors["name"] = "Vui lòng nhập họ tên người nộp hoặc tên tổ chức."
    elif len(values["name"]) > 255:
        errors["name"] = "Họ tên dài quá 255 ký tự."
    if values["kind"] == ApplicantKind.PERSON:
        if problem := personal_id_error(values["id_number"]):
            errors["id_number"] = problem
    elif not values["org_code"]:
        errors["org_code"] = "Vui lòng nhập mã số của tổ chức."
    phone = values["phone"].replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
        errors["phone"] = "Số điện thoại không hợp lệ."
    values["phone"] = phone
    if values["email"]:
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            errors["email"] = "Địa chỉ thư điện tử không hợp lệ."
    if values["proxy_name"]:
        if problem := personal_id_error(values["proxy_id_number"]):
            errors["proxy_id_number"] = problem
        if not values["proxy_authorisation"]:
            errors["proxy_authorisation"] = "Vui lòng ghi số, ngày của giấy ủy quyền."
    if errors:
        raise InvalidInput("Thông tin người nộp chưa hợp lệ.", fields=errors)
    return values


def _applicant_columns(values: dict) -> dict:
    return {
        "applicant_kind": values["kind"],
        "applicant_name": values["name"],
        "applicant_id_number": values["id_number"],
        "applicant_org_code": values["org_code"],
        "applicant_address": values["address"],
        "applicant_phone": values["phone"],
        "applicant_email": values["email"],
        "proxy_name": values["proxy_name"],
        "proxy_id_number": values["proxy_id_number"],
        "proxy_authorisation": values["proxy_authorisation"],
    }


# ---------------------------------------------------------------- intake


def _check_intake(actor, desk, procedure_version) -> None:
    if not (actor.can(Cap.RECEIVE_DOSSIERS) and can_act_on(actor, desk.unit)):
        raise NotAllowed("Tài khoản của bạn không tiếp nhận hồ sơ tại bộ phận này.")
    if procedure_version.status != "published" or not procedure_version.is_current:
        raise InvalidInput(
            "Thủ tục này không còn hiệu lực; hãy chọn phiên bản đang công bố.",
            fields={"procedure": "Thủ tục không còn hiệu lực."},
        )


def handling_unit_for(desk, procedure_version, requested=None):
    handling = list(procedure_version.handling_units.all())
    if requested is not None:
        if requested not in handling:
            raise InvalidInput(
                "Đơn vị này không giải quyết thủ tục đã chọn.",
                fields={"handling_unit": "Đơn vị không giải quyết thủ tục này."},
            )
        return requested
    if desk.unit in handling:
        return desk.unit
    served = set(desk.served_units.all())
    for unit in handling:
        if unit in served:
            return unit
    # A commune desk receiving a provincial procedure hands it up to the handling department.
    if handling:
        return handling[0]
    raise InvalidInput("Thủ tục chưa có đơn vị giải quyết.", fields={"procedure": "Thiếu đơn vị."})


def _clean_checklist(procedure_version, checklist) -> list[dict]:
    """The procedure's documents, each marked received or not by the officer."""
    ticked = {str(item.get("name") if isinstance(item, dict) else item) for item in checklist or []}
    rows = []
    for doc in procedure_version.documents:
        name = str(doc.get("name", ""))
        rows.append(
            {
                "name": name,
                "sets": int(doc.get("copies", doc.get("sets", 1)) or 1),
                "mandatory": bool(doc.get("mandatory", True)),
                "received": name in ticked,
            }
        )
    return rows


def dossier_receive(
    *,
    actor,
    desk,
    procedure_version,
    applicant: dict,
    checklist=None,
    files=None,
    channel: str = Channel.DESK,
    handling_unit=None,
    request_summary: str = "",
    at: datetime | None = None,
) -> Dossier:
    """Receive a complete dossier: code, clock, receipt. Mandatory documents must all be there
    (otherwise the officer issues a request to complete the dossier instead)."""
    _check_intake(actor, desk, procedure_version)
    values = clean_applicant(applicant)
    if channel not in Channel.values:
        raise InvalidInput("Hình thức nộp không hợp lệ.", fields={"channel": "Không hợp lệ."})
    rows = _clean_checklist(procedure_version, checklist)
    missing = [r["name"] for r in rows if r["mandatory"] and not r["received"]]
    if missing:
        raise InvalidInput(
            "Hồ sơ còn thiếu giấy tờ bắt buộc: "
            + "; ".join(missing)
            + ". Hãy lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
            fields={"checklist": "Thiếu: " + "; ".join(missing)},
        )
    unit = handling_unit_for(desk, procedure_version, handling_unit)
    now = _now(at)
    same_unit = unit.pk == desk.unit_id or channel == Channel.ONLINE
    # Read before the day's counter row is locked: that lock is held until commit.
    leaders = list(_leaders_of(unit)) if same_unit else []

    def work(checked, written):
        with transaction.atomic():
            day = timezone.localdate(now)
            sequence = codes.next_sequence(desk.unit, day)
            dossier = Dossier(
                code=codes.dossier_code(desk.unit, day, sequence),
                tracking_secret=codes.tracking_secret(),
                procedure_version=procedure_version,
                desk=desk,
                receiving_unit=desk.unit,
                handling_unit=unit,
                channel=channel,
                status=Status.RECEIVED,
                checklist=rows,
                received_at=now,
                received_by=actor,
                request_summary=request_summary.strip()[:2000],
                fee_amount=_fee_for(procedure_version, channel),
                **_applicant_columns(values),
            )
            cal = calendar_of(dossier)
            clock = Clock(duration=procedure_duration(procedure_version)).start(cal, now)
            store_clock(dossier, clock, cal)
            if same_unit:
                dossier.status = Status.ASSIGNING
                dossier.transferred_at, dossier.transfer_mode = now, "electronic"
            else:
                dossier.transfer_due_at = transfer_due(cal, now)
            dossier.save()
            written.extend(_store_files(dossier, checked, FileKind.SCAN, actor, now))
            _log(
                dossier,
                action="receive",
                actor=actor,
                from_status="",
                at=now,
                data={"code": dossier.code, "files": len(checked), "channel": channel},
            )
            if same_unit:
                _notify(
                    leaders,
                    dossier,
                    f"assign:{dossier.code}",
                    f"Hồ sơ {dossier.code} ({procedure_version.name}) chờ phân công xử lý.",
                )
            return dossier

    return _with_files(files, work)


def _fee_for(procedure_version, channel: str) -> int:
    key = "online" if channel == Channel.ONLINE else "desk"
    return sum(int(fee.get(key) or 0) for fee in procedure_version.fees)


def _intake_slip(*, actor, desk, procedure_version, applicant, items, note, outcome, at):
    _check_intake(actor, desk, procedure_version)
    values = clean_applicant(applicant)
    items = [str(i).strip() for i in items or [] if str(i).strip()]
    if not items:
        what = "giấy tờ cần bổ sung" if outcome == IntakeOutcome.INCOMPLETE else "lý do từ chối"
        raise InvalidInput(f"Vui lòng ghi rõ {what}.", fields={"items": "Không được để trống."})
    now = _now(at)
    with transaction.atomic():
        day = timezone.localdate(now)
        prefix = "BS" if outcome == IntakeOutcome.INCOMPLETE else "TC"
        count = IntakeSlip.objects.filter(desk=desk, at__date=day, outcome=outcome).count() + 1
        slip = IntakeSlip.objects.create(
            outcome=outcome,
            desk=desk,
            procedure_version=procedure_version,
            applicant=values,
            items=items,
            note=note.strip(),
            at=now,
            officer=actor,
            number=f"{desk.code}-{prefix}-{day:%y%m%d}-{count:03d}",
        )
        audit_record(
            actor=actor,
            action=f"intake.{outcome}",
            obj=slip,
            changes={"items": items, "procedure": procedure_version.procedure.code},
        )
    return slip


def intake_incomplete(*, actor, desk, procedure_version, applicant, missing, note="", at=None):
    """Request to complete the dossier: every missing item at once; nothing is received."""
    return _intake_slip(
        actor=actor,
        desk=desk,
        procedure_version=procedure_version,
        applicant=applicant,
        items=missing,
        note=note,
        outcome=IntakeOutcome.INCOMPLETE,
        at=at,
    )


def intake_refuse(*, actor, desk, procedure_version, applicant, reasons, note="", at=None):
    """Refusal at intake, with reasons."""
    return _intake_slip(
        actor=actor,
        desk=desk,
        procedure_version=procedure_version,
        applicant=applicant,
        items=reasons,
        note=note,
        outcome=IntakeOutcome.REFUSED,
        at=at,
    )


# ---------------------------------------------------------------- processing


def _text(value, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(message, fields={field: message})
    return text


@dataclass
class _Step:
    """One action under way: the locked dossier, the time, and what its log row will say."""

    dossier: Dossier
    now: datetime
    from_status: str
    note: str = ""
    data: dict = field(default_factory=dict)


@contextmanager
def _acting(action: str, *, actor, dossier, version, at=None):
    """Lock the dossier, check the version, state, role and unit for `action`, let the caller
    change it, then save it (version + 1) and append its action-log and audit rows, all in one
    transaction: an error anywhere leaves the dossier as it was."""
    now = _now(at)
    with transaction.atomic():
        d = _locked(dossier, version)
        _check(actor, d, action)
        step = _Step(dossier=d, now=now, from_status=d.status)
        yield step
        _save(d)
        _log(
            d,
            action=action,
            actor=actor,
            from_status=step.from_status,
            at=now,
            note=step.note,
            data=step.data,
        )


def dossier_transfer(*, actor, dossier, version, mode="electronic", note="", at=None):
    if mode not in TRANSFER_MODES:
        raise InvalidInput("Hình thức chuyển không hợp lệ.", fields={"mode": "Không hợp lệ."})
    with _acting("transfer", actor=actor, dossier=dossier, version=version, at=at) as step:
        d, now = step.dossier, step.now
        d.status, d.transferred_at, d.transfer_mode = Status.ASSIGNING, now, mode
        d.transfer_late = d.transfer_due_at is not None and now > d.transfer_due_at
        step.note, step.data = note, {"mode": mode, "late": d.transfer_late}
        _notify(
            _leaders_of(d.handling_unit),
            d,
            f"assign:{d.code}",
            f"Hồ sơ {d.code} ({d.procedure_version.name}) chờ phân công xử lý.",
        )
    return step.dossier


def dossier_assign(*, actor, dossier, version, handler, note="", at=None):
    with _acting("assign", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        if (
            handler is None
            or not handler.is_active
            or not handler.can(Cap.PROCESS_DOSSIERS)
            or not can_act_on(handler, d.handling_unit)
            or not handler.unit.path.startswith(d.handling_unit.path)
        ):
            raise InvalidInput(
                "Cán bộ được phân công phải là cán bộ xử lý của đơn vị giải quyết.",
                fields={"handler": "Cán bộ không hợp lệ."},
            )
        d.status, d.handler = Status.PROCESSING, handler
        step.note, step.data = note, {"handler": handler.username}
        _notify(
            [handler],
            d,
            f"assigned:{d.code}:{handler.pk}:{d.version}",
            f"Bạn được phân công xử lý hồ sơ {d.code} ({d.procedure_version.name}).",
        )
    return step.dossier


def dossier_process(*, actor, dossier, version, note, files=None, at=None):
    note = _text(note, "note", "Vui lòng ghi nội dung xử lý.")

    def work(checked, written):
        with _acting("process", actor=actor, dossier=dossier, version=version, at=at) as step:
            written.extend(_store_files(step.dossier, checked, FileKind.INTERNAL, actor, step.now))
            step.note, step.data = note, {"files": len(checked)}
        return step.dossier

    return _with_files(files, work)


def dossier_request_supplement(*, actor, dossier, version, items, note="", at=None):
    """After appraisal: ask the applicant for more documents. The clock pauses; it restarts
    from zero when the complete dossier comes back."""
    items = [str(i).strip() for i in items or [] if str(i).strip()]
    if not items:
        raise InvalidInput("Vui lòng liệt kê giấy tờ cần bổ sung.", fields={"items": "Trống."})
    with _acting(
        "request_supplement", actor=actor, dossier=dossier, version=version, at=at
    ) as step:
        d, now = step.dossier, step.now
        cal = calendar_of(d)
        store_clock(d, load_clock(d).pause(cal, now, "supplement"), cal)
        d.status = Status.SUPPLEMENT
        d.supplement_count += 1
        # The law allows this request within 3 working days of receipt; later ones are flagged.
        d.supplement_late = d.supplement_late or now > add(cal, d.received_at, "3d")
        step.note = note
        step.data = {"items": items, "late": d.supplement_late, "count": d.supplement_count}
    return step.dossier


def dossier_receive_supplement(*, actor, dossier, version, files=None, note="", at=None):
    def work(checked, written):
        with _acting(
            "receive_supplement", actor=actor, dossier=dossier, version=version, at=at
        ) as step:
            d, now = step.dossier, step.now
            cal = calendar_of(d)
            store_clock(d, load_clock(d).resume(cal, now, restart=True), cal)
            d.status, d.deadline_flag = Status.PROCESSING, DeadlineFlag.OK
            written.extend(_store_files(d, checked, FileKind.SUPPLEMENT, actor, now))
            step.note, step.data = note, {"files": len(checked), "new_due": d.due_at.isoformat()}
            _notify(
                [d.handler],
                d,
                f"supplied:{d.code}:{d.version}",
                f"Hồ sơ {d.code} đã được bổ sung; hạn mới {_fmt(d.due_at)}.",
            )
        return step.dossier

    return _with_files(files, work)


def _finish(d: Dossier, now: datetime) -> None:
    cal = calendar_of(d)
    clock = load_clock(d)
    if clock.state in ("running", "paused"):
        store_clock(d, clock.stop(cal, now), cal)
    d.finished_at = now
    d.finished_on_time = d.due_at is None or now <= d.due_at


def dossier_approve(*, actor, dossier, version, result, files=None, e_result=False, at=None):
    result = _text(result, "result", "Vui lòng ghi kết quả giải quyết.")

    def work(checked, written):
        with _acting("approve", actor=actor, dossier=dossier, version=version, at=at) as step:
            d, now = step.dossier, step.now
            d.status, d.result_summary, d.e_result = Status.RESULT_READY, result, bool(e_result)
            d.result_ready_at = now
            _finish(d, now)
            written.extend(_store_files(d, checked, FileKind.RESULT, actor, now))
            step.note = result
            step.data = {"on_time": d.finished_on_time, "e_result": d.e_result}
            _notify(
                [d.received_by],
                d,
                f"ready:{d.code}",
                f"Hồ sơ {d.code} đã có kết quả, chờ trả cho công dân.",
            )
        return step.dossier

    return _with_files(files, work)


def dossier_refuse(*, actor, dossier, version, reasons, at=None):
    reasons = _text(reasons, "reasons", "Vui lòng ghi rõ lý do từ chối.")
    with _acting("refuse", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        d.status, d.stop_reason = Status.REFUSED, reasons
        _finish(d, step.now)
        step.note = reasons
        _notify(
            [d.received_by],
            d,
            f"refused:{d.code}",
            f"Hồ sơ {d.code} bị từ chối giải quyết; cần thông báo cho công dân.",
        )
    return step.dossier


def dossier_apologise(*, actor, dossier, version, new_due: datetime, reason, at=None):
    """Apology with a new appointment, signed by the head of the unit. Allowed once."""
    reason = _text(reason, "reason", "Vui lòng ghi lý do chậm trễ.")
    if not isinstance(new_due, datetime) or timezone.is_naive(new_due):
        raise InvalidInput("Ngày hẹn mới không hợp lệ.", fields={"new_due": "Không hợp lệ."})
    with _acting("apologise", actor=actor, dossier=dossier, version=version, at=at) as step:
        d, now = step.dossier, step.now
        clock = load_clock(d)
        if clock.extension is not None:
            raise InvalidState(
                "Hồ sơ đã được hẹn lại một lần; theo quy định chỉ được hẹn lại một lần."
            )
        if new_due <= d.due_at or new_due <= now:
            raise InvalidInput(
                "Ngày hẹn mới phải sau hạn hiện tại.", fields={"new_due": "Phải sau hạn hiện tại."}
            )
        cal = calendar_of(d)
        old_due = d.due_at
        # The apology is due at the latest one working day before the deadline.
        d.apology_late = working_minutes_between(cal, now, old_due) < cal.full_day_minutes
        store_clock(d, clock.extend(cal, new_due), cal)
        d.deadline_flag = DeadlineFlag.OK
        step.note = reason
        step.data = {
            "old_due": old_due.isoformat(),
            "new_due": new_due.isoformat(),
            "late": d.apology_late,
        }
    return step.dossier


def dossier_return(*, actor, dossier, version, method="desk", note="", at=None):
    if method not in RETURN_METHODS:
        raise InvalidInput("Hình thức trả kết quả không hợp lệ.", fields={"method": "Sai."})
    with _acting("return", actor=actor, dossier=dossier, version=version, at=at) as step:
        d, now = step.dossier, step.now
        if _fee_unpaid(d):
            raise InvalidState(
                f"Hồ sơ chưa được ghi nhận nộp phí, lệ phí ({money(d.fee_amount)}); hãy ghi "
                "nhận nộp phí (hoặc miễn phí: số tiền 0 đồng) trước khi trả kết quả."
            )
        d.status, d.returned_at, d.return_method = Status.RETURNED, now, method
        d.returned_early = d.due_at is not None and now < d.due_at
        step.note, step.data = note, {"method": method, "early": d.returned_early}
    return step.dossier


def dossier_stop(*, actor, dossier, version, reason, by_applicant=True, at=None):
    reason = _text(reason, "reason", "Vui lòng ghi lý do dừng giải quyết.")
    with _acting("stop", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        d.status, d.stop_reason = Status.STOPPED, reason
        _finish(d, step.now)
        step.note, step.data = reason, {"by_applicant": bool(by_applicant)}
    return step.dossier


def dossier_record_payment(*, actor, dossier, version, amount, channel, at=None):
    if channel not in PAYMENT_CHANNELS:
        raise InvalidInput("Hình thức nộp phí không hợp lệ.", fields={"channel": "Sai."})
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = -1
    if amount < 0:
        raise InvalidInput("Số tiền phải là số nguyên không âm (đồng).", fields={"amount": "Sai."})
    with _acting("record_payment", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        if d.fee_paid_at is not None:
            raise InvalidState("Hồ sơ đã được ghi nhận nộp phí.")
        d.fee_amount, d.fee_paid_at, d.fee_channel = amount, step.now, channel
        step.data = {"amount": amount, "channel": channel}
    return step.dossier


def _fmt(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


# ---------------------------------------------------------------- one entry point for the API/UI


def perform(action: str, *, actor, dossier, version, **params):
    """Run the named action with its parameters (the API's and the UI's single door)."""
    handlers = {
        "transfer": dossier_transfer,
        "assign": dossier_assign,
        "process": dossier_process,
        "request_supplement": dossier_request_supplement,
        "receive_supplement": dossier_receive_supplement,
        "approve": dossier_approve,
        "refuse": dossier_refuse,
        "apologise": dossier_apologise,
        "return": dossier_return,
        "stop": dossier_stop,
        "record_payment": dossier_record_payment,
    }
    if action not in handlers:
        raise InvalidInput(f"Thao tác '{action}' không tồn tại.", fields={"action": "Sai."})
    return handlers[action](actor=actor, dossier=dossier, version=version, **params)

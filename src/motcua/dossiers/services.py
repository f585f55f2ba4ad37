"""What happens to a dossier: one function per action, each checked, logged and audited.

Every action runs in one transaction that locks the dossier row, checks the version the caller
saw, the state, the role and the unit, then writes the dossier, one DossierAction row and one
audit row. Notifications are sent on commit.
"""

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
    Recipient,
    Status,
)
from motcua.dossiers.paper import money
from motcua.dossiers.signals import action_logged
from motcua.dossiers.uploads import CheckedFile, UploadRejected, as_django_file, read_uploads
from motcua.org.models import User
from motcua.org.roles import Cap, Role
from motcua.org.scoping import can_act_on
from motcua.worktime.clock import Clock
from motcua.worktime.core import VN_TZ, add, working_minutes_between

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
    # Only the assigned handler submits (a leader who assigned the dossier to themselves too).
    "submit": ActionSpec(
        _("Trình lãnh đạo phê duyệt"), (Status.PROCESSING,), Cap.PROCESS_DOSSIERS, "handling"
    ),
    "send_back": ActionSpec(
        _("Trả lại để xử lý tiếp"), (Status.PENDING_APPROVAL,), Cap.APPROVE_DOSSIERS, "handling"
    ),
    "approve": ActionSpec(
        _("Phê duyệt kết quả"), (Status.PENDING_APPROVAL,), Cap.APPROVE_DOSSIERS, "handling"
    ),
    "refuse": ActionSpec(
        _("Từ chối giải quyết"),
        (Status.ASSIGNING, Status.PROCESSING, Status.PENDING_APPROVAL),
        Cap.APPROVE_DOSSIERS,
        "handling",
    ),
    "apologise": ActionSpec(
        _("Xin lỗi và hẹn lại ngày trả"),
        (Status.ASSIGNING, Status.PROCESSING, Status.PENDING_APPROVAL, Status.SUPPLEMENT),
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

# The first entry of every dossier's log; intake is not an action of the table above.
RECEIVE_LABEL = _("Tiếp nhận hồ sơ")


def action_label(action: str) -> str:
    """What an entry of the action log reads as, in the active language."""
    if action == "receive":
        return str(RECEIVE_LABEL)
    spec = ACTIONS.get(action)
    return str(spec.label) if spec else action


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
        and (action != "submit" or dossier.handler_id == user.pk)
        and (action != "record_payment" or _fee_unpaid(dossier))
        and (action != "return" or not _fee_unpaid(dossier))
        # The due date may be moved only once.
        and (action != "apologise" or dossier.extended_due_at is None)
    )


def _fee_unpaid(dossier: Dossier) -> bool:
    """A fee is due and neither its payment nor its exemption is recorded ("không thu": no fee,
    nothing to record)."""
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
    action_logged.send(sender=DossierAction, action=entry, dossier=dossier)
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


def _citizen_supplies(actor, dossier: Dossier, action: str) -> bool:
    """The one thing a citizen does to a dossier: send the supplement asked of what they
    submitted online."""
    return (
        action == "receive_supplement"
        and getattr(actor, "is_citizen", False)
        and dossier.submitted_by_id == actor.pk
    )


def _check(actor, dossier: Dossier, action: str) -> None:
    spec = ACTIONS[action]
    if not (
        _citizen_supplies(actor, dossier, action)
        or (actor.can(spec.capability) and can_act_on(actor, _side_unit(dossier, spec.side)))
    ):
        raise NotAllowed("Tài khoản của bạn không được thực hiện thao tác này với hồ sơ này.")
    if action == "submit" and dossier.handler_id != actor.pk:
        raise NotAllowed("Chỉ cán bộ được phân công xử lý hồ sơ mới trình kết quả để phê duyệt.")
    if dossier.status not in spec.from_statuses:
        raise InvalidState(
            f"Không thể '{spec.label.lower()}' khi hồ sơ đang ở trạng thái "
            f"'{dossier.get_status_display().lower()}'."
        )
    if action == "apologise" and dossier.extended_due_at is not None:
        raise InvalidState("Hồ sơ đã được hẹn lại một lần; theo quy định chỉ được hẹn lại một lần.")


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


def notifications_mark_read(*, actor, notices) -> int:
    """Mark the actor's notices that were shown as read (opening the notices page reads them)."""
    ids = [n.pk for n in notices if n.read_at is None]
    if not ids:
        return 0
    with transaction.atomic():
        count = Notification.objects.filter(user=actor, pk__in=ids, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if count:
            audit_record(
                actor=actor,
                action="dossiers.notification.read",
                object_type="dossiers.notification",
                changes={"read": count},
            )
    return count


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

# ASCII digits only, as for ID numbers (identity.py).
PHONE = re.compile(r"\+?[0-9]{9,12}")

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
    if phone and not PHONE.fullmatch(phone):
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


def handling_units_for(desk, procedure_version) -> list:
    """The units a dossier of this procedure received at this desk may be sent to: those of the
    procedure's handling units that the desk serves (its own unit included). A desk serving none
    of them (a commune desk receiving a provincial procedure) hands it up to the first one. A
    sibling commune that also handles the procedure is not among them: its own desk receives
    its dossiers."""
    handling = list(procedure_version.handling_units.all())
    served = {desk.unit_id, *(u.pk for u in desk.served_units.all())}
    return [u for u in handling if u.pk in served] or handling[:1]


def handling_unit_for(desk, procedure_version, requested=None):
    allowed = handling_units_for(desk, procedure_version)
    if not allowed:
        raise InvalidInput(
            "Thủ tục chưa có đơn vị giải quyết.", fields={"procedure": "Thiếu đơn vị."}
        )
    if requested is not None:
        if requested not in allowed:
            names = ", ".join(u.name for u in allowed)
            raise InvalidInput(
                f"Hồ sơ thủ tục này tiếp nhận tại {desk.name} chỉ chuyển được đến: {names}.",
                fields={"handling_unit": f"Chỉ chọn được: {names}."},
            )
        return requested
    return desk.unit if desk.unit in allowed else allowed[0]


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
    submitted_by=None,
) -> Dossier:
    """Receive a complete dossier: code, clock, receipt. Mandatory documents must all be there
    (otherwise the officer issues a request to complete the dossier instead). `submitted_by`:
    the citizen account of an online application the desk accepted."""
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
                submitted_by=submitted_by,
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
    """Stop the clock and judge the dossier against its legal due (domain spec section 6)."""
    cal = calendar_of(d)
    clock = load_clock(d)
    # Time waiting for the applicant does not count: a dossier finished while paused is judged
    # at the moment the wait began.
    judged_at = clock.pauses[-1].start if clock.state == "paused" else now
    if clock.state in ("running", "paused"):
        store_clock(d, clock.stop(cal, now), cal)
    d.finished_at = now
    d.finished_on_time = d.due_at is None or judged_at <= d.due_at


def dossier_submit(*, actor, dossier, version, result, files=None, note="", at=None):
    """The handler hands the draft result to the unit's leaders for approval."""
    result = _text(result, "result", "Vui lòng ghi dự thảo kết quả giải quyết.")

    def work(checked, written):
        with _acting("submit", actor=actor, dossier=dossier, version=version, at=at) as step:
            d, now = step.dossier, step.now
            d.status, d.result_summary = Status.PENDING_APPROVAL, result
            written.extend(_store_files(d, checked, FileKind.RESULT, actor, now))
            step.note, step.data = note or result, {"files": len(checked)}
            _notify(
                _leaders_of(d.handling_unit),
                d,
                f"submitted:{d.code}:{d.version}",
                f"Hồ sơ {d.code} ({d.procedure_version.name}) chờ phê duyệt kết quả.",
            )
        return step.dossier

    return _with_files(files, work)


def dossier_send_back(*, actor, dossier, version, reason, at=None):
    """The leader returns the draft to the handler, saying what to redo."""
    reason = _text(reason, "reason", "Vui lòng ghi lý do trả lại.")
    with _acting("send_back", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        d.status = Status.PROCESSING
        step.note = reason
        _notify(
            [d.handler],
            d,
            f"sent_back:{d.code}:{d.version}",
            f"Hồ sơ {d.code} bị trả lại để xử lý tiếp: {reason}",
        )
    return step.dossier


def dossier_approve(*, actor, dossier, version, result="", files=None, e_result=False, at=None):
    """Approve the submitted result (as submitted, or as the leader rewrites it)."""

    def work(checked, written):
        with _acting("approve", actor=actor, dossier=dossier, version=version, at=at) as step:
            d, now = step.dossier, step.now
            final = _text(result or d.result_summary, "result", "Vui lòng ghi kết quả giải quyết.")
            d.status, d.result_summary, d.e_result = Status.RESULT_READY, final, bool(e_result)
            d.result_ready_at = now
            _finish(d, now)
            written.extend(_store_files(d, checked, FileKind.RESULT, actor, now))
            step.note = final
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


def dossier_apologise(*, actor, dossier, version, new_due, reason, at=None):
    """Apology with a new appointment, signed by the head of the unit. Allowed once.

    `new_due` is an instant or what the leader typed (a date alone means the end of that day's
    last session); either way it must pass apology_new_due(). The legal due does not move: the
    new date is an appointment with the applicant, and a dossier finished after its legal due
    stays late."""
    with _acting("apologise", actor=actor, dossier=dossier, version=version, at=at) as step:
        d, now = step.dossier, step.now
        cal = calendar_of(d)
        new_due, reason = _apology_input(d, new_due, reason, now=now, cal=cal)
        clock = load_clock(d)
        old_due = d.due_at
        # The apology is due at the latest one working day before the deadline.
        d.apology_late = working_minutes_between(cal, now, old_due) < cal.full_day_minutes
        store_clock(d, clock.extend(cal, new_due), cal)
        step.note = reason
        step.data = {
            "old_due": old_due.isoformat(),
            "new_due": new_due.isoformat(),
            "late": d.apology_late,
        }
    return step.dossier


def apology_preview(*, actor, dossier, new_due, reason, at=None) -> datetime:
    """The instant an apology with `new_due` would set, checked as dossier_apologise checks it,
    without writing anything: what the leader confirms before the letter is issued."""
    _check(actor, dossier, "apologise")
    return _apology_input(dossier, new_due, reason, now=_now(at))[0]


def _apology_input(dossier: Dossier, new_due, reason, *, now, cal=None) -> tuple[datetime, str]:
    """The checked new date and reason, or one InvalidInput naming both when both are wrong."""
    errors: dict[str, str] = {}
    instant = None
    try:
        instant = apology_new_due(dossier, new_due, now=now, cal=cal)
    except InvalidInput as error:
        errors.update(error.fields)
    reason = str(reason or "").strip()
    if not reason:
        errors["reason"] = "Vui lòng ghi lý do chậm trễ."
    if len(errors) == 1:
        raise InvalidInput(*errors.values(), fields=errors)
    if errors:
        raise InvalidInput("Ngày hẹn mới và lý do chậm trễ chưa hợp lệ.", fields=errors)
    return instant, reason


def apology_new_due(dossier: Dossier, value, *, now: datetime, cal=None) -> datetime:
    """The apology's new date as an instant, or InvalidInput saying in Vietnamese what is wrong.

    It must be a working instant of the handling unit's calendar (a date alone: the end of that
    day's last session), later than now and than the legal due, and within
    APOLOGY_MAX_DAYS of now (a typo such as year 9999 is refused before any arithmetic)."""
    cal = cal or calendar_of(dossier)

    def bad(message: str):
        return InvalidInput(message, fields={"new_due": message})

    instant = _read_instant(value, cal, bad)
    horizon = getattr(settings, "APOLOGY_MAX_DAYS", 365)
    if instant > now + timedelta(days=horizon):
        raise bad(f"Ngày hẹn mới quá xa: chỉ được hẹn lại trong vòng {horizon} ngày tới.")
    local = instant.astimezone(VN_TZ)
    sessions = cal.sessions_on(local.date())
    when = f"{local:%d/%m/%Y}"
    if not sessions:
        raise bad(f"Ngày {when} ({_weekday(local)}) không phải ngày làm việc của đơn vị.")
    minute = local.hour * 60 + local.minute
    if not any(start <= minute <= end for start, end in sessions):
        hours = ", ".join(f"{_hm(a)}–{_hm(b)}" for a, b in sessions)
        raise bad(f"{local:%H:%M} ngày {when} ngoài giờ làm việc của đơn vị ({hours}).")
    if instant <= now:
        raise bad("Ngày hẹn mới phải sau thời điểm hiện tại.")
    if dossier.due_at is not None and instant <= dossier.due_at:
        raise bad(f"Ngày hẹn mới phải sau hạn giải quyết {_fmt(dossier.due_at)}.")
    return instant


def _read_instant(value, cal, bad) -> datetime:
    """An aware instant, to the minute, from a datetime or from text: dd/mm/yyyy HH:MM,
    HH:MM dd/mm/yyyy, dd/mm/yyyy, or ISO 8601 (no offset: Vietnamese time)."""
    if isinstance(value, datetime):
        instant = value if timezone.is_aware(value) else value.replace(tzinfo=VN_TZ)
    else:
        text = " ".join(str(value or "").split())
        if not text:
            raise bad("Vui lòng nhập ngày hẹn trả mới.")
        instant = None
        for fmt in ("%d/%m/%Y %H:%M", "%H:%M %d/%m/%Y"):
            try:
                instant = datetime.strptime(text, fmt).replace(tzinfo=VN_TZ)
                break
            except ValueError:
                pass
        if instant is None:
            day = _read_day(text)
            if day is not None:
                sessions = cal.sessions_on(day)
                if not sessions:
                    weekday = _weekday(datetime(day.year, day.month, day.day))
                    raise bad(
                        f"Ngày {day:%d/%m/%Y} ({weekday}) không phải ngày làm việc của đơn vị."
                    )
                # A date alone means the end of that day's last session.
                end = sessions[-1][1]
                instant = datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + timedelta(
                    minutes=end
                )
        if instant is None:
            try:
                instant = datetime.fromisoformat(text)
            except ValueError:
                raise bad("Ngày hẹn mới không hợp lệ; nhập theo dạng dd/mm/yyyy HH:MM.")
            if timezone.is_naive(instant):
                instant = instant.replace(tzinfo=VN_TZ)
    try:
        return instant.replace(second=0, microsecond=0).astimezone(VN_TZ)
    except OverflowError:
        raise bad("Ngày hẹn mới không hợp lệ; nhập theo dạng dd/mm/yyyy HH:MM.")


def _read_day(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


WEEKDAYS = (
    _("thứ Hai"),
    _("thứ Ba"),
    _("thứ Tư"),
    _("thứ Năm"),
    _("thứ Sáu"),
    _("thứ Bảy"),
    _("Chủ nhật"),
)


def _weekday(value: datetime) -> str:
    return WEEKDAYS[value.weekday()]


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clean_recipient(kind, name, id_number) -> tuple[str, str, str]:
    """(kind, name, ID number) of a named proxy; the applicant's own are read from the dossier."""
    if kind == Recipient.APPLICANT:
        return kind, "", ""
    if kind != Recipient.PROXY:
        message = "Người nhận kết quả phải là người nộp hồ sơ hoặc người được ủy quyền."
        raise InvalidInput(message, fields={"recipient": message})
    name = str(name or "").strip()
    id_number = str(id_number or "").strip()
    errors = {}
    if not name:
        errors["recipient_name"] = "Vui lòng nhập họ tên người được ủy quyền nhận kết quả."
    elif len(name) > 255:
        errors["recipient_name"] = "Họ tên dài quá 255 ký tự."
    if problem := personal_id_error(id_number):
        errors["recipient_id_number"] = problem
    if errors:
        raise InvalidInput("Thông tin người nhận kết quả chưa hợp lệ.", fields=errors)
    return kind, name, id_number


def dossier_return(
    *,
    actor,
    dossier,
    version,
    method="desk",
    recipient=Recipient.APPLICANT,
    recipient_name="",
    recipient_id_number="",
    note="",
    at=None,
):
    """Hand the result over, recording who took it: the applicant, or a named proxy with an ID
    number (who then signs the process control slip and the logbook)."""
    if method not in RETURN_METHODS:
        raise InvalidInput("Hình thức trả kết quả không hợp lệ.", fields={"method": "Sai."})
    kind, name, id_number = _clean_recipient(recipient, recipient_name, recipient_id_number)
    with _acting("return", actor=actor, dossier=dossier, version=version, at=at) as step:
        d, now = step.dossier, step.now
        if _fee_unpaid(d):
            raise InvalidState(
                f"Hồ sơ chưa được ghi nhận nộp phí, lệ phí ({money(d.fee_amount)}); hãy ghi "
                "nhận nộp phí (hoặc miễn phí, ghi rõ lý do) trước khi trả kết quả."
            )
        if kind == Recipient.APPLICANT:
            name, id_number = d.applicant_name, d.applicant_display_id
        d.status, d.returned_at, d.return_method = Status.RETURNED, now, method
        d.recipient_kind, d.recipient_name, d.recipient_id_number = kind, name, id_number
        d.returned_early = d.due_at is not None and now < d.due_at
        step.note = note
        step.data = {
            "method": method,
            "early": d.returned_early,
            "recipient": kind,
            "recipient_name": name,
            "recipient_id_number": id_number,
        }
    return step.dossier


def dossier_stop(*, actor, dossier, version, reason, by_applicant=True, at=None):
    reason = _text(reason, "reason", "Vui lòng ghi lý do dừng giải quyết.")
    with _acting("stop", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        d.status, d.stop_reason = Status.STOPPED, reason
        _finish(d, step.now)
        step.note, step.data = reason, {"by_applicant": bool(by_applicant)}
    return step.dossier


def dossier_record_payment(
    *, actor, dossier, version, amount=None, channel="", exempt=False, exempt_reason="", at=None
):
    """Record the fee paid in full (by cash, transfer or online), or its exemption with a reason.

    The fee due stays as fixed at intake: the amount must be exactly what is still due, so a
    mistyped amount is refused rather than counted (and 10^19 is refused before any database
    column can overflow)."""
    if exempt:
        exempt_reason = _text(
            exempt_reason, "exempt_reason", "Vui lòng ghi lý do miễn phí, lệ phí."
        )[:500]
    elif channel not in PAYMENT_CHANNELS:
        raise InvalidInput(
            "Vui lòng chọn hình thức nộp phí, lệ phí.", fields={"channel": "Chưa chọn."}
        )
    else:
        try:
            amount = int(amount)
        except (TypeError, ValueError, OverflowError):
            amount = -1
        if amount < 0:
            message = "Số tiền phải là số nguyên không âm (đồng)."
            raise InvalidInput(message, fields={"amount": message})
    with _acting("record_payment", actor=actor, dossier=dossier, version=version, at=at) as step:
        d = step.dossier
        if not d.fee_amount:
            raise InvalidState("Hồ sơ này không thu phí, lệ phí; không có khoản nộp nào để ghi.")
        if d.fee_paid_at is not None:
            raise InvalidState("Hồ sơ đã được ghi nhận nộp (hoặc miễn) phí, lệ phí.")
        due = d.fee_outstanding
        if exempt:
            d.fee_exempt, d.fee_exempt_reason, d.fee_channel = True, exempt_reason, ""
            step.data = {"exempt": True, "reason": exempt_reason, "fee": d.fee_amount}
        else:
            if amount != due:
                what = "chưa đủ" if amount < due else "nhiều hơn"
                message = (
                    f"Số tiền nộp ({money(amount)}) {what} số phí, lệ phí phải nộp "
                    f"({money(due)}). Nếu người nộp được miễn, hãy chọn miễn và ghi lý do."
                )
                raise InvalidInput(message, fields={"amount": message})
            d.fee_paid_amount += amount
            d.fee_channel = channel
            step.data = {"amount": amount, "channel": channel, "fee": d.fee_amount}
        d.fee_paid_at = step.now
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
        "submit": dossier_submit,
        "send_back": dossier_send_back,
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

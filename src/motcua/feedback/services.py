"""What happens to a feedback: filing (by anyone), then each staff step, each checked, logged in
the feedback's action log and audited in one transaction."""

import contextlib
import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.catalog.models import Procedure
from motcua.dossiers.codes import tracking_secret
from motcua.dossiers.deadlines import nearing_share
from motcua.dossiers.errors import InvalidInput, InvalidState, NotAllowed
from motcua.dossiers.services import _leaders_of, _notify
from motcua.dossiers.uploads import CheckedFile, UploadRejected, as_django_file, check_upload
from motcua.feedback.models import (
    ANSWER_DAYS,
    AWAITING_ANSWER,
    INFO_DAYS,
    PUBLISH_DAYS,
    REJECT_DAYS,
    DeadlineFlag,
    Feedback,
    FeedbackAction,
    FeedbackCounter,
    FeedbackFile,
    State,
    Subject,
)
from motcua.org.models import Unit, UnitKind
from motcua.org.roles import Cap
from motcua.org.scoping import can_act_on
from motcua.portal import tracking
from motcua.worktime.core import VN_TZ, Calendar, add, add_minutes, working_minutes_between
from motcua.worktime.services import calendar_for_unit

CITIZEN = "công dân"  # the audit log's actor for what the public does

NAME_MAX, CONTACT_MAX, CONTENT_MIN, CONTENT_MAX, TEXT_MAX = 200, 254, 10, 5000, 5000
PHONE = re.compile(r"^\+?\d{9,12}$")


def max_files() -> int:
    return int(getattr(settings, "FEEDBACK_MAX_FILES", 3))


def max_file_bytes() -> int:
    return int(getattr(settings, "FEEDBACK_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


# ---------------------------------------------------------------- who may do what

# action -> (label, states it may start from, capability)
ACTIONS = {
    "reject": (
        "Không tiếp nhận xử lý",
        (State.RECEIVED, State.INFO_RECEIVED),
        Cap.PROCESS_DOSSIERS,
    ),
    "request_info": ("Yêu cầu bổ sung thông tin", (State.RECEIVED,), Cap.PROCESS_DOSSIERS),
    "receive_info": (
        "Ghi nhận thông tin bổ sung",
        (State.INFO_REQUESTED,),
        Cap.PROCESS_DOSSIERS,
    ),
    "answer": (
        "Trả lời",
        (*AWAITING_ANSWER, State.INFO_REQUESTED),
        Cap.PROCESS_DOSSIERS,
    ),
    "publish": ("Công khai nội dung trả lời", (State.ANSWERED,), Cap.APPROVE_DOSSIERS),
}


def may(user, feedback: Feedback, action: str) -> bool:
    label, states, capability = ACTIONS[action]
    return feedback.state in states and user.can(capability) and can_act_on(user, feedback.unit)


def allowed_actions(user, feedback: Feedback) -> list[str]:
    return [name for name in ACTIONS if may(user, feedback, name)]


def _check(actor, feedback: Feedback, action: str) -> None:
    label, states, capability = ACTIONS[action]
    if not (actor.can(capability) and can_act_on(actor, feedback.unit)):
        raise NotAllowed("Tài khoản của bạn không được thực hiện thao tác này với phản ánh này.")
    if feedback.state not in states:
        raise InvalidState(
            f"Không thể '{label.lower()}' khi phản ánh đang ở trạng thái "
            f"'{feedback.get_state_display().lower()}'."
        )


# ---------------------------------------------------------------- shared steps


def _text(value, field: str, message: str, *, maximum: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(message, fields={field: message})
    if len(text) > maximum:
        error = f"Tối đa {maximum} ký tự."
        raise InvalidInput(error, fields={field: error})
    return text


def _log(feedback: Feedback, *, action, actor, from_state, at, note="", data=None):
    seq = FeedbackAction.objects.filter(feedback=feedback).count() + 1
    staff = actor if getattr(actor, "pk", None) else None
    entry = FeedbackAction.objects.create(
        feedback=feedback,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=feedback.state,
        at=at,
        actor=staff,
        actor_name=(staff.get_full_name() or staff.username) if staff else CITIZEN,
        note=note,
        data=data or {},
    )
    audit_record(
        actor=staff or CITIZEN,
        action=f"feedback.{action}",
        obj=feedback,
        changes={"state": [from_state, feedback.state], **(data or {})},
    )
    return entry


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("unit").get(pk=feedback.pk)


def _warn_at(cal: Calendar, start: datetime, budget: int, due: datetime) -> datetime:
    """When the last share of a budget of working minutes starts (DEADLINE_NEARING_SHARE)."""
    until = budget - int(budget * nearing_share())
    return min(add_minutes(cal, start, until), due) if until > 0 else start


def _watch(feedback: Feedback, cal: Calendar, start: datetime, budget: int, due) -> None:
    feedback.due_at = due
    feedback.warn_at = _warn_at(cal, start, budget, due)
    feedback.deadline_flag = DeadlineFlag.OK if due > timezone.now() else feedback.deadline_flag


def _unwatch(feedback: Feedback) -> None:
    feedback.due_at = feedback.warn_at = None


def _fmt(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


# ---------------------------------------------------------------- filing


def filing_allowed(ip: str) -> bool:
    """Count one filing attempt from `ip`; False once the address has made too many in the
    window (settings.FEEDBACK_FILE_LIMIT per FEEDBACK_FILE_WINDOW seconds, shared cache)."""
    import time

    from django.core.cache import cache

    window = int(getattr(settings, "FEEDBACK_FILE_WINDOW", 3600))
    limit = int(getattr(settings, "FEEDBACK_FILE_LIMIT", 10))
    bucket = f"feedback-file:{ip}:{int(time.time()) // window}"
    if cache.add(bucket, 1, window):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:
        return True


def check_files(files) -> list[CheckedFile]:
    """Every attachment checked before anything is written; the first bad one stops all."""
    files = list(files or [])
    if len(files) > max_files():
        error = f"Chỉ được đính kèm tối đa {max_files()} tệp."
        raise InvalidInput(error, fields={"files": error})
    limit = max_file_bytes()
    checked = []
    try:
        for upload in files:
            if getattr(upload, "size", 0) > limit:
                raise UploadRejected(
                    f"Tệp '{upload.name}' quá lớn; tối đa {limit // (1024 * 1024)} MB."
                )
            content = upload.read(limit + 1)
            if len(content) > limit:
                raise UploadRejected(
                    f"Tệp '{upload.name}' quá lớn; tối đa {limit // (1024 * 1024)} MB."
                )
            checked.append(check_upload(upload.name, content))
    except UploadRejected as error:
        raise InvalidInput(str(error), fields={"files": str(error)})
    return checked


def _store_files(feedback: Feedback, checked: list[CheckedFile], at, written: list) -> None:
    for item in checked:
        written.append(
            FeedbackFile.objects.create(
                feedback=feedback,
                name=item.name,
                file=as_django_file(item),
                content_type=item.content_type,
                size=len(item.content),
                sha256=item.sha256,
                uploaded_at=at,
            )
        )


def _next_code(day) -> str:
    table = connection.ops.quote_name(FeedbackCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, last) VALUES (%s, 1) "  # noqa: S608 - names only
            f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [connection.ops.adapt_datefield_value(day)],
        )
        sequence = cursor.fetchone()[0]
    return f"PAKN-{day:%y%m%d}-{sequence:04d}"


def clean_contact(value) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(
            "Vui lòng nhập số điện thoại hoặc thư điện tử để nhận trả lời.",
            fields={"contact": "Bắt buộc."},
        )
    phone = re.sub(r"[\s.\-()]", "", text)
    if PHONE.match(phone):
        return phone
    try:
        validate_email(text)
    except ValidationError:
        error = "Số điện thoại hoặc thư điện tử không hợp lệ (ví dụ: 0912345678 hoặc ten@mien.vn)."
        raise InvalidInput(error, fields={"contact": error})
    if len(text) > CONTACT_MAX:
        raise InvalidInput("Thư điện tử quá dài.", fields={"contact": "Quá dài."})
    return text


def public_units():
    """The units a citizen may name: those in service today, below the ministry."""
    today = timezone.localdate()
    return Unit.objects.active_on(today).exclude(kind=UnitKind.MINISTRY).order_by("path")


def _responsible(subject, *, procedure_code, dossier_code, dossier_secret, unit_code, ip):
    """(procedure, dossier, unit) the feedback is about and the unit that answers it."""
    if subject == Subject.DOSSIER:
        bad = (
            "Mã hồ sơ hoặc mã tra cứu không đúng. Vui lòng kiểm tra lại giấy tiếp nhận và hẹn "
            "trả kết quả."
        )
        code, secret = str(dossier_code or "").strip(), str(dossier_secret or "")
        if not code or not secret.strip():
            raise InvalidInput(bad, fields={"dossier": bad})
        dossier = tracking.find(code[:64])
        # The same words whether the code exists or the secret is wrong: a stranger learns
        # nothing about which codes are real.
        if dossier is None or not tracking.secret_matches(dossier, secret[:64], ip):
            raise InvalidInput(bad, fields={"dossier": bad})
        return None, dossier, dossier.handling_unit
    if subject == Subject.PROCEDURE:
        code = str(procedure_code or "").strip()[:40]
        procedure = (
            Procedure.objects.published()
            .filter(code=code, audience="public")
            .select_related("current_version", "owner_unit")
            .first()
            if code
            else None
        )
        if procedure is None:
            error = "Không tìm thấy thủ tục hành chính này. Vui lòng chọn lại."
            raise InvalidInput(error, fields={"procedure": error})
        handling = procedure.current_version.handling_units.all()
        unit = handling.filter(code=str(unit_code or "").strip()).first() if unit_code else None
        return procedure, None, unit or procedure.owner_unit
    if subject == Subject.UNIT:
        unit = public_units().filter(code=str(unit_code or "").strip()[:40]).first()
        if unit is None:
            error = "Vui lòng chọn đơn vị được phản ánh."
            raise InvalidInput(error, fields={"unit": error})
        return None, None, unit
    error = "Vui lòng chọn nội dung phản ánh về thủ tục, hồ sơ hay đơn vị."
    raise InvalidInput(error, fields={"subject": error})


def feedback_file(
    *,
    subject,
    name,
    contact,
    content,
    files=(),
    procedure_code="",
    dossier_code="",
    dossier_secret="",
    unit_code="",
    ip="",
    at=None,
) -> Feedback:
    """Anyone files a feedback. Returns it with its code and secret (shown once to the filer)."""
    name = _text(name, "name", "Vui lòng nhập họ và tên.", maximum=NAME_MAX)
    contact = clean_contact(contact)
    content = _text(
        content, "content", "Vui lòng nhập nội dung phản ánh, kiến nghị.", maximum=CONTENT_MAX
    )
    if len(content) < CONTENT_MIN:
        error = f"Nội dung quá ngắn (ít nhất {CONTENT_MIN} ký tự)."
        raise InvalidInput(error, fields={"content": error})
    procedure, dossier, unit = _responsible(
        subject,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        dossier_secret=dossier_secret,
        unit_code=unit_code,
        ip=ip,
    )
    checked = check_files(files)
    now = at or timezone.now()
    cal = calendar_for_unit(unit)
    answer_due = add(cal, now, f"{ANSWER_DAYS}d")
    written: list[FeedbackFile] = []
    try:
        with transaction.atomic():
            feedback = Feedback(
                code=_next_code(now.astimezone(VN_TZ).date()),
                secret=tracking_secret(),
                subject=subject,
                procedure=procedure,
                dossier=dossier,
                unit=unit,
                state=State.RECEIVED,
                name=name,
                contact=contact,
                content=content,
                filed_at=now,
                reject_due_at=add(cal, now, f"{REJECT_DAYS}d"),
                info_due_at=add(cal, now, f"{INFO_DAYS}d"),
                answer_due_at=answer_due,
            )
            _watch(feedback, cal, now, ANSWER_DAYS * cal.full_day_minutes, answer_due)
            feedback.save()
            _store_files(feedback, checked, now, written)
            _log(
                feedback,
                action="file",
                actor=None,
                from_state="",
                at=now,
                data={"subject": subject, "files": len(checked)},
            )
            _notify(
                _leaders_of(unit),
                None,
                f"feedback:{feedback.code}",
                f"Phản ánh, kiến nghị mới {feedback.code}; hạn trả lời {_fmt(answer_due)}.",
            )
    except Exception:
        for item in written:
            item.file.delete(save=False)
        raise
    return feedback


# ---------------------------------------------------------------- staff steps


def feedback_reject(*, actor, feedback, reason, at=None) -> Feedback:
    reason = _text(reason, "reason", "Vui lòng nêu lý do không tiếp nhận xử lý.")
    now = at or timezone.now()
    with transaction.atomic():
        fb = _locked(feedback)
        _check(actor, fb, "reject")
        old = fb.state
        fb.state, fb.rejected_at, fb.reject_reason = State.REJECTED, now, reason
        fb.rejected_on_time = now <= fb.reject_due_at
        _unwatch(fb)
        fb.save()
        _log(
            fb,
            action="reject",
            actor=actor,
            from_state=old,
            at=now,
            note=reason,
            data={"on_time": fb.rejected_on_time},
        )
    return fb


def feedback_request_info(*, actor, feedback, request, at=None) -> Feedback:
    """Ask the citizen for more information: the answer's clock pauses until it comes."""
    request = _text(request, "request", "Vui lòng nêu thông tin cần bổ sung.")
    now = at or timezone.now()
    with transaction.atomic():
        fb = _locked(feedback)
        _check(actor, fb, "request_info")
        cal = calendar_for_unit(fb.unit)
        old = fb.state
        fb.state, fb.info_requested_at, fb.info_request = State.INFO_REQUESTED, now, request
        fb.info_requested_on_time = now <= fb.info_due_at
        fb.answer_minutes_left = (
            working_minutes_between(cal, now, fb.answer_due_at) if now < fb.answer_due_at else 0
        )
        _unwatch(fb)
        fb.save()
        _log(
            fb,
            action="request_info",
            actor=actor,
            from_state=old,
            at=now,
            note=request,
            data={"on_time": fb.info_requested_on_time, "minutes_left": fb.answer_minutes_left},
        )
    return fb


def feedback_receive_info(*, actor=None, feedback, reply, files=(), at=None) -> Feedback:
    """The citizen's further information, sent from the status page (actor None) or taken by
    staff (e.g. on the phone). The answer's clock goes on with the minutes it had left."""
    reply = _text(reply, "reply", "Vui lòng nhập thông tin bổ sung.")
    checked = check_files(files) if actor is None else []
    now = at or timezone.now()
    written: list[FeedbackFile] = []
    try:
        with transaction.atomic():
            fb = _locked(feedback)
            if actor is not None:
                _check(actor, fb, "receive_info")
            elif fb.state != State.INFO_REQUESTED:
                raise InvalidState("Phản ánh này không đang chờ bổ sung thông tin.")
            cal = calendar_for_unit(fb.unit)
            old = fb.state
            fb.state, fb.info_received_at, fb.info_reply = State.INFO_RECEIVED, now, reply
            left = fb.answer_minutes_left or 0
            if left > 0:
                fb.answer_due_at = add_minutes(cal, now, left)
                _watch(fb, cal, now, ANSWER_DAYS * cal.full_day_minutes, fb.answer_due_at)
                # The warning keeps to the last share of the whole budget, not of what is left.
                share = int(ANSWER_DAYS * cal.full_day_minutes * nearing_share())
                fb.warn_at = add_minutes(cal, now, left - share) if left > share else now
            else:
                fb.due_at, fb.warn_at = fb.answer_due_at, fb.answer_due_at
            fb.save()
            _store_files(fb, checked, now, written)
            _log(
                fb,
                action="receive_info",
                actor=actor,
                from_state=old,
                at=now,
                note=reply,
                data={"answer_due": fb.answer_due_at.isoformat(), "files": len(checked)},
            )
    except Exception:
        for item in written:
            item.file.delete(save=False)
        raise
    return fb


def feedback_answer(*, actor, feedback, answer, at=None) -> Feedback:
    answer = _text(answer, "answer", "Vui lòng nhập nội dung trả lời.")
    now = at or timezone.now()
    with transaction.atomic():
        fb = _locked(feedback)
        _check(actor, fb, "answer")
        cal = calendar_for_unit(fb.unit)
        old = fb.state
        if old == State.INFO_REQUESTED:
            # Answered without waiting any longer: the wait does not count against the unit.
            fb.answered_on_time = (fb.answer_minutes_left or 0) > 0
        else:
            fb.answered_on_time = now <= fb.answer_due_at
        fb.state, fb.answered_at, fb.answered_by, fb.answer = State.ANSWERED, now, actor, answer
        fb.publish_due_at = add(cal, now, f"{PUBLISH_DAYS}d")
        fb.deadline_flag = DeadlineFlag.OK
        _watch(fb, cal, now, PUBLISH_DAYS * cal.full_day_minutes, fb.publish_due_at)
        fb.save()
        _log(
            fb,
            action="answer",
            actor=actor,
            from_state=old,
            at=now,
            note=answer,
            data={"on_time": fb.answered_on_time},
        )
        contact = fb.contact
        transaction.on_commit(lambda: _tell_answered(contact, fb.code))
    return fb


def _tell_answered(contact: str, code: str) -> None:
    """An SMS to a phone contact that the answer is ready (best effort: the status page has it)."""
    if not PHONE.match(contact):
        return
    from motcua.notify.sms import SmsError, send_sms

    with contextlib.suppress(SmsError):
        send_sms(contact, f"Phản ánh {code} đã được trả lời. Xem bằng mã theo dõi của bạn.")


def feedback_publish(*, actor, feedback, public_summary, public_answer, at=None) -> Feedback:
    """Publish the answer with the content as edited for the public (no names, contacts, IDs)."""
    summary = _text(
        public_summary, "public_summary", "Vui lòng nhập nội dung tóm tắt để công khai."
    )
    public = _text(public_answer, "public_answer", "Vui lòng nhập nội dung trả lời để công khai.")
    now = at or timezone.now()
    with transaction.atomic():
        fb = _locked(feedback)
        _check(actor, fb, "publish")
        old = fb.state
        fb.state, fb.published_at = State.PUBLISHED, now
        fb.public_summary, fb.public_answer = summary, public
        fb.published_on_time = now <= fb.publish_due_at
        _unwatch(fb)
        fb.save()
        _log(
            fb,
            action="publish",
            actor=actor,
            from_state=old,
            at=now,
            data={"on_time": fb.published_on_time},
        )
    return fb


def feedback_rate(*, feedback, satisfied: bool, at=None) -> Feedback:
    """The citizen says once whether the answer satisfied them."""
    now = at or timezone.now()
    with transaction.atomic():
        fb = _locked(feedback)
        if not fb.is_answered:
            raise InvalidState("Phản ánh chưa được trả lời.")
        if fb.satisfied is not None:
            raise InvalidState(
                "Bạn đã đánh giá câu trả lời này; mỗi phản ánh chỉ đánh giá một lần."
            )
        fb.satisfied, fb.rated_at = bool(satisfied), now
        fb.save(update_fields=["satisfied", "rated_at"])
        _log(
            fb,
            action="rate",
            actor=None,
            from_state=fb.state,
            at=now,
            data={"satisfied": fb.satisfied},
        )
    return fb


def perform(action: str, *, actor, feedback, **params) -> Feedback:
    handlers = {
        "reject": feedback_reject,
        "request_info": feedback_request_info,
        "receive_info": feedback_receive_info,
        "answer": feedback_answer,
        "publish": feedback_publish,
    }
    return handlers[action](actor=actor, feedback=feedback, **params)

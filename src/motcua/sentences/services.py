"""Use cases of community sentence supervision. Each checks who may act, validates everything
before writing, writes in one transaction and leaves an audit row naming the case by code only.
Bad input raises `SentenceError` with a Vietnamese message and changes nothing."""

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core import signing
from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.identity import personal_id_error
from motcua.dossiers.uploads import UploadRejected, as_django_file, check_upload
from motcua.org.models import Unit, UnitKind
from motcua.sentences import access, rules, timers
from motcua.sentences.crypto import id_hash
from motcua.sentences.models import (
    Absence,
    Assessment,
    Case,
    CaseStatus,
    CheckIn,
    Document,
    DocumentKind,
    Kind,
    Rating,
    ReadLog,
    Task,
    TaskKind,
    Transfer,
    Violation,
)
from motcua.worktime.core import VN_TZ
from motcua.worktime.services import calendar_for_unit

CHECKIN_SALT = "motcua.sentences.checkin"


class SentenceError(Exception):
    """Bad input or a forbidden act; the message is for the user (Vietnamese)."""


def _require_supervisor(actor, case: Case | None = None, commune: Unit | None = None) -> None:
    if not access.can_supervise(actor):
        raise SentenceError("Bạn không có quyền theo dõi người chấp hành án.")
    unit = commune or case.commune
    root = access.reading_root(actor)
    if not unit.path.startswith(root.path):
        raise SentenceError("Hồ sơ này không thuộc đơn vị bạn theo dõi.")


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _local_date(at: datetime) -> date:
    return at.astimezone(VN_TZ).date()


# ---------------------------------------------------------------- cases


def _next_code(year: int) -> str:
    prefix = f"THA{year}-"
    last = (
        Case.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def validate_case(
    *,
    commune: Unit,
    full_name: str,
    birth_date: date,
    id_number: str,
    court: str,
    decision_number: str,
    decision_date: date,
    kind: str,
    term_months: int,
    term_days: int,
    file_received_at: datetime,
    release_on: date | None,
    end_on: date | None,
) -> tuple[date, date]:
    """Every check of a new case; returns (start_on, end_on) or raises SentenceError."""
    if commune.kind != UnitKind.COMMUNE_POLICE or not commune.is_active:
        raise SentenceError("Đơn vị theo dõi phải là Công an cấp xã đang hoạt động.")
    if not full_name.strip():
        raise SentenceError("Chưa nhập họ và tên người chấp hành án.")
    if not court.strip() or not decision_number.strip():
        raise SentenceError("Chưa nhập tòa án và số bản án, quyết định.")
    id_number = id_number.strip()
    if error := personal_id_error(id_number):
        raise SentenceError(error)
    century = 1900 + 100 * (int(id_number[3]) // 2)
    if century + int(id_number[4:6]) != birth_date.year:
        raise SentenceError("Năm sinh trong số định danh cá nhân không khớp với ngày sinh.")
    if kind not in Kind.values:
        raise SentenceError("Loại hình phạt không hợp lệ.")
    received_on = _local_date(file_received_at)
    if decision_date > received_on:
        raise SentenceError("Ngày bản án, quyết định sau ngày nhận hồ sơ.")
    if birth_date >= decision_date:
        raise SentenceError("Ngày sinh phải trước ngày bản án, quyết định.")
    if term_months < 0 or term_days < 0 or term_days > 31:
        raise SentenceError("Thời hạn không hợp lệ.")
    label = Kind(kind).label
    if kind != Kind.WARNING and term_months == 0 and term_days == 0:
        raise SentenceError(f"Chưa nhập thời hạn {label.lower()}.")
    most = rules.MAX_MONTHS.get(kind, rules.ANY_MAX_MONTHS)
    least = rules.MIN_MONTHS.get(kind, 0)
    if term_months * 31 + term_days > most * 31 or (term_months == most and term_days):
        raise SentenceError(f"Thời hạn {label.lower()} vượt mức tối đa luật định ({most} tháng).")
    if kind != Kind.WARNING and term_months < least:
        raise SentenceError(f"Thời hạn {label.lower()} ít nhất {least} tháng.")
    if kind in rules.FROM_RELEASE:
        if release_on is None:
            raise SentenceError("Hình phạt này tính từ ngày được trả tự do: chưa nhập ngày đó.")
        start_on = release_on
    else:
        start_on = received_on
    computed = rules.term_end(start_on, term_months, term_days)
    if end_on is None:
        end_on = computed
    if end_on < start_on:
        raise SentenceError("Ngày kết thúc trước ngày bắt đầu.")
    if end_on > rules.term_end(start_on, most, 0):
        raise SentenceError(f"Thời hạn {label.lower()} vượt mức tối đa luật định ({most} tháng).")
    return start_on, end_on


def _plan_tasks(case: Case) -> list[Task]:
    """Every timer known when the case is opened (section 9)."""
    cal = calendar_for_unit(case.commune)
    handback = timers.handback_due(cal, case.end_on)
    completion = timers.completion_due(cal, case.end_on)
    tasks = [
        Task(
            kind=TaskKind.ASSIGN,
            opens_at=case.file_received_at,
            due_at=timers.after(cal, case.file_received_at, 3),
        ),
        # Shown on the to-do page a month ahead, and on the last day.
        Task(kind=TaskKind.HANDBACK, opens_at=handback - timedelta(days=30), due_at=handback),
        Task(
            kind=TaskKind.COMPLETION,
            opens_at=completion.replace(hour=0, minute=0),
            due_at=completion,
        ),
    ]
    if case.kind == Kind.WARNING:  # only counted
        return []
    quarterly = case.kind == Kind.PROBATION
    for month in timers.months(case.start_on, case.end_on):
        next_month = (month + timedelta(days=32)).replace(day=1)
        if month > case.start_on.replace(day=1):
            opens, due = timers.window(cal, month)
            tasks.append(Task(kind=TaskKind.CHECKIN, period=month, opens_at=opens, due_at=due))
        last_month = month == case.end_on.replace(day=1)
        if not last_month and (not quarterly or month.month % 3 == 0):
            opens, due = timers.window(cal, next_month)
            tasks.append(Task(kind=TaskKind.ASSESSMENT, period=month, opens_at=opens, due_at=due))
    for task in tasks:
        task.case, task.commune = case, case.commune
    return tasks


def case_create(
    *,
    actor,
    commune: Unit,
    full_name: str,
    birth_date: date,
    address: str,
    id_number: str,
    court: str,
    decision_number: str,
    decision_date: date,
    kind: str,
    term_months: int = 0,
    term_days: int = 0,
    file_received_at: datetime,
    release_on: date | None = None,
    end_on: date | None = None,
    crime_summary: str = "",
    civil_duties: str = "",
    background: str = "",
    community_supervisors: str = "",
    phone: str = "",
    officer=None,
) -> Case:
    _require_supervisor(actor, commune=commune)
    start_on, end_on = validate_case(
        commune=commune,
        full_name=full_name,
        birth_date=birth_date,
        id_number=id_number,
        court=court,
        decision_number=decision_number,
        decision_date=decision_date,
        kind=kind,
        term_months=term_months,
        term_days=term_days,
        file_received_at=file_received_at,
        release_on=release_on,
        end_on=end_on,
    )
    if officer is not None and not (
        officer.unit_id == commune.id and access.can_supervise(officer)
    ):
        raise SentenceError("Cán bộ theo dõi phải là cán bộ theo dõi thi hành án của xã.")
    with transaction.atomic():
        case = Case.objects.create(
            code=_next_code(_local_date(file_received_at).year),
            commune=commune,
            officer=officer,
            full_name=full_name.strip(),
            birth_date=birth_date,
            address=address.strip(),
            background=background,
            id_number=id_number.strip(),
            id_hash=id_hash(id_number),
            phone=phone.strip(),
            court=court.strip(),
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            kind=kind,
            crime_summary=crime_summary,
            term_months=term_months,
            term_days=term_days,
            civil_duties=civil_duties,
            community_supervisors=community_supervisors,
            file_received_at=file_received_at,
            release_on=release_on,
            start_on=start_on,
            end_on=end_on,
            created_by=actor,
        )
        Task.objects.bulk_create(_plan_tasks(case))
        if officer is not None:
            _done(case, TaskKind.ASSIGN, None, timezone.now())
        audit_record(
            actor=actor,
            action="sentences.case_create",
            obj=case,
            changes={"commune": commune.code, "kind": kind, "start": start_on, "end": end_on},
        )
    return case


def _done(case: Case, kind: str, period: date | None, at: datetime) -> int:
    return Task.objects.filter(case=case, kind=kind, period=period, done_at__isnull=True).update(
        done_at=at, is_open=False
    )


def case_assign(*, actor, case: Case, officer, at: datetime | None = None) -> Case:
    _require_supervisor(actor, case)
    if officer.unit_id != case.commune_id or not access.can_supervise(officer):
        raise SentenceError("Cán bộ theo dõi phải là cán bộ theo dõi thi hành án của xã.")
    with transaction.atomic():
        case.officer = officer
        case.save(update_fields=["officer"])
        _done(case, TaskKind.ASSIGN, None, _now(at))
        audit_record(
            actor=actor, action="sentences.assign", obj=case, changes={"officer": officer.pk}
        )
    return case


def checkin_code(case: Case, code: str) -> str:
    return hmac.new(case.id_hash.encode(), code.encode(), hashlib.sha256).hexdigest()


def checkin_token(case: Case) -> str:
    return signing.dumps({"c": case.pk}, salt=CHECKIN_SALT, compress=True)


def case_receive(*, actor, case: Case, at: datetime | None = None) -> str:
    """The person reports at the summons: read the judgment, explain rights, commitment,
    minutes. Starts the report and plan timers; returns the person's check-in code (shown once,
    stored only as a keyed hash)."""
    _require_supervisor(actor, case)
    if case.received_at is not None:
        raise SentenceError("Người chấp hành án đã được tiếp nhận.")
    at = _now(at)
    code = f"{secrets.randbelow(10**6):06d}"
    cal = calendar_for_unit(case.commune)
    with transaction.atomic():
        case.received_at = at
        case.checkin_code_hash = checkin_code(case, code)
        case.save(update_fields=["received_at", "checkin_code_hash"])
        Task.objects.bulk_create(
            [
                Task(
                    case=case,
                    commune=case.commune,
                    kind=TaskKind.RECEPTION_REPORT,
                    opens_at=at,
                    due_at=timers.after(cal, at, timers.REPORT_DAYS),
                ),
                Task(
                    case=case,
                    commune=case.commune,
                    kind=TaskKind.PLAN,
                    opens_at=at,
                    due_at=timers.after(cal, at, timers.PLAN_DAYS),
                ),
            ]
        )
        audit_record(actor=actor, action="sentences.receive", obj=case)
    return code


STEP_ACTIONS = {
    TaskKind.RECEPTION_REPORT: "sentences.report",
    TaskKind.PLAN: "sentences.plan",
    TaskKind.HANDBACK: "sentences.handback",
    TaskKind.REVIEW_MEETING: "sentences.review_meeting",
}


def task_complete(
    *, actor, case: Case, kind: str, period: date | None = None, at: datetime | None = None
) -> None:
    """The reception report, the plan, the hand-back or a review meeting was done."""
    _require_supervisor(actor, case)
    if kind not in STEP_ACTIONS:
        raise SentenceError("Việc này không được đánh dấu trực tiếp.")
    with transaction.atomic():
        if not _done(case, kind, period, _now(at)):
            raise SentenceError("Không có việc này đang chờ trong hồ sơ.")
        audit_record(actor=actor, action=STEP_ACTIONS[kind], obj=case)


# ---------------------------------------------------------------- reading


def case_read(*, actor, case: Case, purpose: str, what: str = "page") -> ReadLog:
    """Record one read of a case; the read-log row is itself audited."""
    purpose = purpose.strip()
    if not purpose:
        raise SentenceError("Hãy nêu mục đích truy cập hồ sơ.")
    if not access.cases_for(actor).filter(pk=case.pk).exists():
        raise SentenceError("Bạn không có quyền xem hồ sơ này.")
    with transaction.atomic():
        row = ReadLog.objects.create(case=case, user=actor, purpose=purpose[:255], what=what)
        audit_record(
            actor=actor,
            action="sentences.read",
            obj=case,
            changes={"purpose": row.purpose, "what": what, "read_log": row.pk},
        )
    return row


# ---------------------------------------------------------------- monthly work


def checkin_record(
    *,
    case: Case,
    how: str,
    actor=None,
    at: datetime | None = None,
    latitude=None,
    longitude=None,
    photo=None,
    self_report: str = "",
) -> CheckIn:
    """A check-in at the office (an officer records it) or on the phone page (the person, after
    the signed link and their code were checked by the caller)."""
    if how == CheckIn.How.OFFICE:
        _require_supervisor(actor, case)
    if case.status != CaseStatus.SUPERVISING:
        raise SentenceError("Hồ sơ không còn trong thời gian theo dõi.")
    at = _now(at)
    local = _local_date(at)
    if not case.start_on <= local <= case.end_on:
        raise SentenceError("Ngoài thời hạn chấp hành án.")
    for value, lo, hi in ((latitude, -90, 90), (longitude, -180, 180)):
        if value is not None and not lo <= float(value) <= hi:
            raise SentenceError("Vị trí không hợp lệ.")
    with transaction.atomic():
        row = CheckIn.objects.create(
            case=case,
            at=at,
            how=how,
            latitude=latitude,
            longitude=longitude,
            recorded_by=actor,
            self_report=self_report.strip()[:4000] if case.kind in rules.SELF_REPORT else "",
        )
        if photo is not None:
            row.photo.save(f"{case.code}-{row.pk}.{photo[1]}", photo[0], save=True)
        _done(case, TaskKind.CHECKIN, local.replace(day=1), at)
        audit_record(actor=actor or "nguoi-chap-hanh-an", action="sentences.checkin", obj=case)
    return row


def assessment_record(
    *,
    actor,
    case: Case,
    period: date,
    rating: str,
    note: str = "",
    at: datetime | None = None,
) -> Assessment:
    """The officer's assessment of a month (a quarter for probation). A month with a violation
    record or a pending prosecution is Kém; Kém otherwise needs a written reason
    (non-cooperation)."""
    _require_supervisor(actor, case)
    if rating not in Rating.values:
        raise SentenceError("Xếp loại phải là Tốt, Khá, Trung bình hoặc Kém.")
    period = period.replace(day=1)
    task = Task.objects.filter(case=case, kind=TaskKind.ASSESSMENT, period=period).first()
    if task is None:
        raise SentenceError("Kỳ đánh giá không thuộc thời hạn theo dõi.")
    # A quarterly assessment (probation) covers the period's month and the two before it.
    first_covered = period - relativedelta(months=2) if case.kind == Kind.PROBATION else period
    upto = task.opens_at.astimezone(VN_TZ).date().replace(day=1)
    violated = case.violations.filter(on__gte=first_covered, on__lt=upto).exists()
    if (violated or case.prosecution_pending) and rating != Rating.POOR:
        raise SentenceError(
            "Trong kỳ có vi phạm bị lập biên bản hoặc đang bị truy cứu: xếp loại phải là Kém."
        )
    if rating == Rating.POOR and not (violated or case.prosecution_pending) and not note.strip():
        raise SentenceError("Xếp loại Kém cần ghi rõ lý do (ví dụ không hợp tác).")
    at = _now(at)
    with transaction.atomic():
        row, created = Assessment.objects.get_or_create(
            case=case,
            period=period,
            defaults={"rating": rating, "note": note, "by": actor, "at": at},
        )
        if not created:
            raise SentenceError("Kỳ này đã được đánh giá.")
        _done(case, TaskKind.ASSESSMENT, period, at)
        audit_record(
            actor=actor,
            action="sentences.assess",
            obj=case,
            changes={"period": period, "rating": rating},
        )
    return row


def violation_record(
    *, actor, case: Case, on: date, description: str, fined: bool = False, at=None
) -> Violation:
    """A violation record; the review meeting (kiểm điểm) is due within 5 working days."""
    _require_supervisor(actor, case)
    at = _now(at)
    if not description.strip():
        raise SentenceError("Chưa ghi nội dung vi phạm.")
    if on > _local_date(at) or on < case.start_on:
        raise SentenceError("Ngày vi phạm phải trong thời hạn chấp hành án và không ở tương lai.")
    cal = calendar_for_unit(case.commune)
    with transaction.atomic():
        row = Violation.objects.create(
            case=case, on=on, description=description.strip(), fined=fined, recorded_by=actor, at=at
        )
        Task.objects.get_or_create(
            case=case,
            kind=TaskKind.REVIEW_MEETING,
            period=on,
            defaults={
                "commune": case.commune,
                "opens_at": at,
                "due_at": timers.after(cal, at, timers.REVIEW_DAYS),
            },
        )
        audit_record(actor=actor, action="sentences.violation", obj=case, changes={"on": on})
    return row


def absence_used_days(case: Case) -> int:
    return sum(a.days for a in case.absences.filter(approved=True, medical=False))


def absence_decide(
    *,
    actor,
    case: Case,
    start_on: date,
    end_on: date,
    destination: str,
    reason: str,
    medical: bool = False,
    abroad: bool = False,
    at: datetime | None = None,
) -> Absence:
    """Record an absence request and its decision: approved, or refused with the reason."""
    _require_supervisor(actor, case)
    if not destination.strip() or not reason.strip():
        raise SentenceError("Chưa ghi nơi đến và lý do vắng mặt.")
    check = rules.absence_check(
        kind=case.kind,
        start_on=case.start_on,
        end_on=case.end_on,
        trip_start=start_on,
        trip_end=end_on,
        medical=medical,
        used_days=absence_used_days(case),
        abroad=abroad,
    )
    if end_on < start_on:
        raise SentenceError(check.reason)
    with transaction.atomic():
        row = Absence.objects.create(
            case=case,
            start_on=start_on,
            end_on=end_on,
            destination=destination.strip(),
            reason=reason.strip(),
            medical=medical,
            approved=check.allowed,
            refusal_reason=check.reason,
            decided_by=actor,
            at=_now(at),
        )
        audit_record(
            actor=actor,
            action="sentences.absence",
            obj=case,
            changes={"approved": check.allowed, "days": check.days, "reason": check.reason},
        )
    return row


# ---------------------------------------------------------------- the end


def completion_blockers(case: Case) -> list[str]:
    reasons = []
    if case.prosecution_pending:
        reasons.append("Đang bị truy cứu trách nhiệm hình sự.")
    if case.revocation_pending:
        reasons.append("Đang đề nghị hủy bỏ, thu hồi quyết định.")
    if case.absconded:
        reasons.append("Người chấp hành án đang bỏ trốn.")
    return reasons


def case_complete(*, actor, case: Case, at: datetime | None = None) -> Case:
    """Issue the completion certificate on the last day (or later), unless withheld."""
    _require_supervisor(actor, case)
    at = _now(at)
    if case.status != CaseStatus.SUPERVISING:
        raise SentenceError("Hồ sơ không còn trong thời gian theo dõi.")
    if _local_date(at) < case.end_on:
        raise SentenceError(
            f"Chưa hết thời hạn: giấy chứng nhận cấp từ ngày {case.end_on:%d/%m/%Y}."
        )
    if blockers := completion_blockers(case):
        raise SentenceError("Chưa cấp giấy chứng nhận: " + " ".join(blockers))
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, status=CaseStatus.SUPERVISING).update(
            status=CaseStatus.COMPLETED, completed_at=at
        )
        if not updated:
            raise SentenceError("Hồ sơ không còn trong thời gian theo dõi.")
        case.status, case.completed_at = CaseStatus.COMPLETED, at
        _done(case, TaskKind.COMPLETION, None, at)
        # What was still open ends with the case (kept, with its overdue flag, as history).
        Task.objects.filter(case=case, is_open=True).update(is_open=False)
        audit_record(actor=actor, action="sentences.complete", obj=case)
    return case


# ---------------------------------------------------------------- revocation, moves


def revocation_request(*, actor, case: Case, at: datetime | None = None) -> Case:
    """Open a revocation dossier: two or more violations after a review meeting was held
    (Law 41/2019 as kept by Decree 231/2026). The certificate is withheld from then on."""
    _require_supervisor(actor, case)
    meeting = (
        Task.objects.filter(case=case, kind=TaskKind.REVIEW_MEETING, done_at__isnull=False)
        .order_by("done_at")
        .first()
    )
    if meeting is None:
        raise SentenceError("Chưa họp kiểm điểm: chưa thể đề nghị hủy bỏ.")
    after = case.violations.filter(at__gte=meeting.done_at).count()
    if after < 2:
        raise SentenceError(
            f"Cần ít nhất 2 lần vi phạm sau khi họp kiểm điểm; hiện có {after} lần."
        )
    with transaction.atomic():
        case.revocation_pending = True
        case.save(update_fields=["revocation_pending"])
        audit_record(
            actor=actor, action="sentences.revocation", obj=case, changes={"violations": after}
        )
    return case


def _province_of(unit: Unit):
    node = unit
    while node is not None and node.kind != UnitKind.PROVINCIAL_POLICE:
        node = node.parent
    return node


def case_transfer(
    *,
    actor,
    case: Case,
    to_commune: Unit,
    new_address: str,
    minutes: str,
    at: datetime | None = None,
) -> Transfer:
    """Hand the file over to the commune of the new residence, inside the province (the
    supervising commune or the provincial agency decides); the case keeps its history, its
    open timers move with it."""
    _require_supervisor(actor, case)
    if case.status != CaseStatus.SUPERVISING:
        raise SentenceError("Hồ sơ không còn trong thời gian theo dõi.")
    if to_commune.kind != UnitKind.COMMUNE_POLICE or not to_commune.is_active:
        raise SentenceError("Nơi chuyển đến phải là Công an cấp xã đang hoạt động.")
    if to_commune.pk == case.commune_id:
        raise SentenceError("Nơi chuyển đến trùng với đơn vị đang theo dõi.")
    if _province_of(to_commune) != _province_of(case.commune):
        raise SentenceError(
            "Chuyển nơi cư trú ra ngoài tỉnh do cơ quan thi hành án hình sự Công an tỉnh "
            "giải quyết."
        )
    if not new_address.strip() or not minutes.strip():
        raise SentenceError("Chưa ghi nơi cư trú mới và nội dung biên bản bàn giao.")
    at = _now(at)
    with transaction.atomic():
        row = Transfer.objects.create(
            case=case,
            from_commune=case.commune,
            to_commune=to_commune,
            new_address=new_address.strip()[:255],
            minutes=minutes.strip(),
            by=actor,
            at=at,
        )
        case.commune, case.address, case.officer = to_commune, row.new_address, None
        case.save(update_fields=["commune", "address", "officer"])
        Task.objects.filter(case=case, is_open=True).update(commune=to_commune)
        audit_record(
            actor=actor,
            action="sentences.transfer",
            obj=case,
            changes={"from": row.from_commune.code, "to": to_commune.code},
        )
    return row


# ---------------------------------------------------------------- the file's documents


def document_add(
    *, actor, case: Case, kind: str, title: str, name: str, content: bytes, at=None
) -> Document:
    """Attach one checked file (PDF, JPEG, PNG) to the case; nothing is stored on bad input."""
    _require_supervisor(actor, case)
    if case.status != CaseStatus.SUPERVISING:
        raise SentenceError("Hồ sơ đã kết thúc, không thêm tài liệu.")
    if kind not in DocumentKind.values:
        raise SentenceError("Hãy chọn loại tài liệu.")
    title = " ".join((title or "").split())[:200]
    if not title:
        raise SentenceError("Hãy nhập tên tài liệu.")
    try:
        checked = check_upload(name, content)
    except UploadRejected as exc:
        raise SentenceError(str(exc)) from exc
    with transaction.atomic():
        document = Document(
            case=case,
            kind=kind,
            title=title,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_by=actor,
            uploaded_at=_now(at),
        )
        stored = as_django_file(checked)
        document.file.save(stored.name, stored, save=False)
        try:
            document.save()
            audit_record(
                actor=actor,
                action="sentences.document_add",
                obj=case,
                changes={"document": document.pk, "kind": kind, "title": title},
            )
        except Exception:
            document.file.delete(save=False)
            raise
    return document

"""Notices to citizens: written in the step's transaction (the outbox), sent after commit, retried
by the worker, never sent twice.

Who is told, and where (section "Being told" of issue 11):
* by e-mail when an address is known (the applicant's on the dossier, else the account's);
* by SMS when a phone number is known, unless the deployment turns SMS off (NOTIFY_SMS=false);
* in the app only when a citizen account submitted the dossier (`dossier.submitted_by`): that is
  what "Hồ sơ của tôi" lists.

The tracking link in a message is the public page of the dossier's code (/tra-cuu/<code>/), never
the tracking secret. Decision: the secret is printed on the receipt handed to the applicant (or
shown to the signed-in citizen); an e-mail or SMS can be forwarded, read on a shared phone or sent
to a mistyped address, so it carries only what the code alone shows (the status) plus the dates
that concern the applicant, and the page asks for the secret before it shows the steps. No name,
ID number or address of the applicant is ever put in a message.

Sending is at-least-once made as close to exactly-once as a mail server allows: a sender claims
one row with a conditional UPDATE (pending, due, not claimed by a live sender) before it sends,
so two workers (or a worker and the after-commit kick) never send the same notice; only a sender
that dies between the hand-over to the server and marking the row sent can cause a repeat, once
its claim expires.
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import audit_record
from motcua.dossiers.paper import money
from motcua.dossiers.signals import action_logged
from motcua.notify.models import Notice, NoticeChannel, NoticeStatus
from motcua.notify.sms import send_sms

log = logging.getLogger("motcua.notify")

# Minutes to wait after the 1st, 2nd... failed attempt; after the last one the notice is failed
# (listed in the admin, where "Gửi lại ngay" puts it back in the queue).
BACKOFF_MINUTES = (1, 5, 30, 120, 360)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A sender's claim on a row; longer than any send can take (SMTP and SMS time out sooner), so a
# live sender's row is never taken over, while a dead sender's row is retried later.
CLAIM_SECONDS = 600

# The steps that concern the citizen, and the subject of their notice. Staff-only steps
# (transfer, assign, process, submit, send back, payment and supplement recorded at the desk,
# where the applicant is present) tell nobody.
SUBJECTS = {
    "receive": _("Hồ sơ %(code)s đã được tiếp nhận"),
    "request_supplement": _("Hồ sơ %(code)s cần bổ sung giấy tờ"),
    "apologise": _("Hồ sơ %(code)s: thư xin lỗi và hẹn lại ngày trả kết quả"),
    "approve": _("Hồ sơ %(code)s đã có kết quả"),
    "return": _("Hồ sơ %(code)s đã trả kết quả"),
    "refuse": _("Hồ sơ %(code)s bị từ chối giải quyết"),
    "stop": _("Hồ sơ %(code)s đã dừng giải quyết"),
}
CITIZEN_EVENTS = frozenset(SUBJECTS)
RECEIVER_UID = "notify.notices_for_action"


def tracking_link(code: str) -> str:
    """The absolute address of the dossier's public tracking page (printed in QR codes too)."""
    return settings.PUBLIC_BASE_URL + reverse("track", kwargs={"code": code})


def _when(value) -> str:
    """'16:30 ngày 30/11/2026', in Vietnamese time."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = timezone.localtime(value)
    return _("%(time)s ngày %(day)s") % {
        "time": local.strftime("%H:%M"),
        "day": local.strftime("%d/%m/%Y"),
    }


def _context(action, dossier) -> dict:
    """Everything a message template may print: the code, the procedure, dates, never the
    applicant's name or ID number."""
    data = action.data or {}
    context = {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "unit": dossier.receiving_unit.name,
        "link": tracking_link(dossier.code),
        "at": _when(action.at),
        "due": _when(dossier.appointment_at),
        "note": (action.note or "").strip(),
        "note_short": Truncator((action.note or "").strip()).chars(100),
    }
    if action.action == "receive":
        context["fee"] = money(dossier.fee_amount) if dossier.fee_amount else ""
    elif action.action == "request_supplement":
        context["items"] = [str(item) for item in data.get("items", [])]
    elif action.action == "apologise":
        context["new_due"] = _when(data.get("new_due"))
    elif action.action == "approve":
        context["e_result"] = bool(dossier.e_result)
        context["fee"] = money(dossier.fee_outstanding) if dossier.fee_outstanding else ""
    return context


def _render(event: str, context: dict) -> tuple[str, str, str, str]:
    """(subject, e-mail body, SMS text, in-app text) in Vietnamese, whatever language the staff
    member who took the step reads the site in. The in-app text leaves the link out: the list
    shows it as a link of its own."""
    with translation.override("vi"):
        subject = str(SUBJECTS[event] % {"code": context["code"]})
        body = render_to_string(f"notify/email/{event}.txt", context).strip() + "\n"
        sms = " ".join(render_to_string(f"notify/sms/{event}.txt", context).split())
        in_app = " ".join(
            render_to_string(f"notify/sms/{event}.txt", {**context, "link": ""}).split()
        )
    return subject, body, sms, in_app


@dataclass(frozen=True)
class Recipients:
    user: object | None = None  # a citizen account: in-app notices
    email: str = ""
    phone: str = ""


def recipients_of(dossier) -> Recipients:
    """Where the applicant of `dossier` is told: the contact details on the dossier first (what
    the applicant gave for this dossier), the account's otherwise."""
    user = dossier.submitted_by if dossier.submitted_by_id else None
    if user is not None and not user.is_citizen:
        user = None
    return Recipients(
        user=user,
        email=(dossier.applicant_email or (user.email if user else "")).strip(),
        phone=(dossier.applicant_phone or (user.phone if user else "")).strip(),
    )


def _write(
    *,
    key: str,
    event: str,
    to: Recipients,
    subject: str,
    body: str,
    sms: str,
    in_app: str,
    link: str,
    dossier=None,
) -> list[str]:
    """Insert one notice per channel the recipient can be reached on, in the caller's
    transaction; a key that exists already is skipped. Returns the keys of the notices that
    wait to be sent."""
    now = timezone.now()
    rows = []
    if to.user is not None:
        rows.append(
            Notice(
                channel=NoticeChannel.IN_APP,
                user=to.user,
                text=in_app,
                status=NoticeStatus.SENT,
                sent_at=now,
            )
        )
    if to.email:
        rows.append(Notice(channel=NoticeChannel.EMAIL, address=to.email, text=body))
    if to.phone and settings.NOTIFY_SMS:
        rows.append(Notice(channel=NoticeChannel.SMS, address=to.phone, text=sms))
    for row in rows:
        row.key = f"{key}:{row.channel}"[:160]
        row.event, row.dossier, row.subject, row.link = event, dossier, subject[:255], link
        row.created_at = now
        if row.status == NoticeStatus.PENDING:
            row.next_attempt_at = now
        if row.user is None and to.user is not None:
            row.user = to.user
    if not rows:
        return []
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    waiting = [row.key for row in rows if row.status == NoticeStatus.PENDING]
    _send_after_commit(waiting)
    return waiting


@contextmanager
def notices_suppressed():
    """Steps taken inside tell nobody (the demo's seeded history: months-old steps are not news,
    and mailing them now would flood the demo's terminal). Process-wide: for commands only."""
    action_logged.disconnect(dispatch_uid=RECEIVER_UID)
    try:
        yield
    finally:
        action_logged.connect(notices_for_action, dispatch_uid=RECEIVER_UID)


def notices_for_action(sender, action, dossier, **kwargs) -> list[str]:
    """Receiver of dossiers.signals.action_logged: the notices of a citizen-facing step, written
    in the step's transaction (rolled back with it), sent once it commits."""
    if action.action not in CITIZEN_EVENTS:
        return []
    to = recipients_of(dossier)
    if to.user is None and not to.email and not (to.phone and settings.NOTIFY_SMS):
        return []
    context = _context(action, dossier)
    subject, body, sms, in_app = _render(action.action, context)
    return _write(
        key=f"action{action.pk}",
        event=action.action,
        to=to,
        subject=subject,
        body=body,
        sms=sms,
        in_app=in_app,
        link=context["link"],
        dossier=dossier,
    )


def notice_for_application(
    *,
    key: str,
    text: str,
    link: str = "",
    user=None,
    email: str = "",
    phone: str = "",
    subject: str = "",
    event: str = "application",
    dossier=None,
) -> list[str]:
    """Tell a citizen about an online application before (or without) a dossier: returned for
    completion, refused. Call it inside the transaction that records the event; `key` names the
    event once (e.g. f"application{pk}:returned:{round}"): calling again with the same key sends
    nothing more. `text` is the short Vietnamese message (in-app; the SMS adds the link; the
    e-mail puts it in a letter with the link). Returns the keys of the e-mail/SMS notices
    waiting to be sent."""
    text = " ".join(str(text).split())
    if not key or not text:
        raise ValueError("notice_for_application needs a key and a text")
    if user is not None and not user.is_citizen:
        user = None
    to = Recipients(
        user=user,
        email=(email or (user.email if user else "")).strip(),
        phone=(phone or (user.phone if user else "")).strip(),
    )
    with translation.override("vi"):
        subject = subject or str(_("Thông báo về hồ sơ trực tuyến của ông/bà"))
        body = render_to_string("notify/email/application.txt", {"text": text, "link": link})
    return _write(
        key=f"app:{key}",
        event=event[:40],
        to=to,
        subject=subject,
        body=body.strip() + "\n",
        sms=f"{text} {link}" if link else text,
        in_app=text,
        link=link,
        dossier=dossier,
    )


APPLICATION_EVENTS = {
    "application_returned": _("Hồ sơ trực tuyến cần hoàn thiện"),
    "application_refused": _("Hồ sơ trực tuyến bị từ chối tiếp nhận"),
}


def application_message(event: str, *, procedure: str, items) -> tuple[str, str]:
    """(subject, short text) for an online application returned for completion (items: what is
    missing) or refused (items: the reasons), to pass to notice_for_application."""
    items = [" ".join(str(item).split()) for item in items if str(item).strip()]
    with translation.override("vi"):
        subject = str(APPLICATION_EVENTS[event])
        text = render_to_string(f"notify/sms/{event}.txt", {"procedure": procedure, "items": items})
    return subject, " ".join(text.split())


# ---------------------------------------------------------------- sending


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0  # failed this time, queued again with a backoff
    failed: int = 0  # failed for the last time


def _send_after_commit(keys: list[str]) -> None:
    """Best effort: try the new notices as soon as their transaction commits (in a thread by
    default, so a slow mail server never holds up the officer's page); whatever fails is left
    to the worker."""
    mode = settings.NOTIFY_SEND_AFTER_COMMIT
    if not keys or mode == "off":
        return

    def send():
        try:
            notices_send(keys=keys)
        except Exception:  # the worker retries; the step itself has committed
            log.exception("sending notices after commit failed")

    if mode == "inline":
        transaction.on_commit(send)
        return

    def in_thread():
        try:
            _wait_long_for_sqlite_writes()
            send()
        finally:
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=in_thread, daemon=True).start())


# How long the after-commit thread waits for SQLite's write lock (nobody waits on that thread).
# The connection's usual 5 s was too short: when the committing thread goes on writing back to
# back (the bench's approvals with an electronic result hold the lock while they render and
# sign), SQLite's busy handler polls with sleeps of up to 100 ms and keeps missing the short
# gaps between them; the sender gave up with "database is locked", sometimes between delivering
# a notice and marking it sent, so the worker sent it again once the claim ran out.
AFTER_COMMIT_BUSY_TIMEOUT_MS = 120_000


def _wait_long_for_sqlite_writes() -> None:
    """On SQLite, let this thread's own connection (closed when the thread ends) wait up to
    AFTER_COMMIT_BUSY_TIMEOUT_MS for the write lock. PostgreSQL waits on row locks anyway."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(AFTER_COMMIT_BUSY_TIMEOUT_MS)}")


def _deliver(notice: Notice) -> None:
    if notice.channel == NoticeChannel.EMAIL:
        EmailMessage(
            subject=notice.subject,
            body=notice.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.address],
            headers={"Auto-Submitted": "auto-generated"},
        ).send(fail_silently=False)
    elif notice.channel == NoticeChannel.SMS:
        send_sms(notice.address, notice.text)
    else:
        raise ValueError(f"nothing to send on channel {notice.channel!r}")


def _claim(pk: int) -> bool:
    """Take one due notice for this sender; False when another sender has it (or sent it).
    The lease starts now, not when the batch began: a long batch never claims a row with a
    lease that has already run out."""
    now = timezone.now()
    return bool(
        Notice.objects.filter(pk=pk, status=NoticeStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )


def notices_send(*, keys=None, limit: int = 200) -> SendResult:
    """Send the pending e-mail and SMS notices that are due (only those of `keys` when given),
    each by the one sender that claims it. Safe to run by several workers at once."""
    result = SendResult()
    now = timezone.now()
    due = Notice.objects.filter(
        status=NoticeStatus.PENDING,
        next_attempt_at__lte=now,
        channel__in=(NoticeChannel.EMAIL, NoticeChannel.SMS),
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    if keys is not None:
        due = due.filter(key__in=list(keys))
    ids = list(due.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    for pk in ids:
        if not _claim(pk):
            continue
        notice = Notice.objects.get(pk=pk)
        try:
            _deliver(notice)
        except Exception as exc:  # SMTP, SMS gateway, or a bad address: retried, then failed
            error = f"{type(exc).__name__}: {exc}"[:1000]
            later = timezone.now()
            if notice.attempts >= MAX_ATTEMPTS:
                Notice.objects.filter(pk=pk).update(
                    status=NoticeStatus.FAILED,
                    claimed_until=None,
                    next_attempt_at=None,
                    last_error=error,
                )
                result.failed += 1
                log.warning("notice %s failed for good: %s", notice.key, error)
            else:
                wait = BACKOFF_MINUTES[notice.attempts - 1]
                Notice.objects.filter(pk=pk).update(
                    claimed_until=None,
                    next_attempt_at=later + timedelta(minutes=wait),
                    last_error=error,
                )
                result.retried += 1
        else:
            Notice.objects.filter(pk=pk).update(
                status=NoticeStatus.SENT, sent_at=timezone.now(), claimed_until=None
            )
            result.sent += 1
    return result


def notices_retry(*, actor, notices) -> int:
    """Put failed (or waiting) e-mail/SMS notices back in the queue to be sent at once, with a
    fresh count of attempts (the admin's "Gửi lại ngay")."""
    ids = [n.pk for n in notices if n.channel != NoticeChannel.IN_APP]
    if not ids:
        return 0
    with transaction.atomic():
        count = (
            Notice.objects.filter(pk__in=ids)
            .exclude(status=NoticeStatus.SENT)
            .update(
                status=NoticeStatus.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
                claimed_until=None,
            )
        )
        if count:
            audit_record(
                actor=actor,
                action="notify.notice.retry",
                object_type="notify.notice",
                changes={"notices": sorted(ids)},
            )
    return count


def citizen_notices_mark_read(*, actor, ids=None) -> int:
    """Mark the citizen's own in-app notices read: all of them, or those of `ids`."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_citizen:
        return 0
    rows = Notice.objects.filter(user=actor, channel=NoticeChannel.IN_APP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    with transaction.atomic():
        count = rows.update(read_at=timezone.now())
        if count:
            audit_record(
                actor=actor,
                action="notify.notice.read",
                object_type="notify.notice",
                changes={"read": count},
            )
    return count

"""Online applications: the citizen saves and submits, the desk accepts, returns or refuses.

Use cases as keyword-only functions, each in one transaction with its audit row and its history
event (events.application_event). Uploads pass the dossiers' content checks before anything is
written; a failure removes whatever files it had written, so nothing half-made is left."""

import re
import uuid
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.catalog.models import Audience, OnlineLevel, VersionStatus
from motcua.dossiers import services as dossier_services
from motcua.dossiers.deadlines import procedure_duration
from motcua.dossiers.errors import DossierError, InvalidInput, InvalidState, NotAllowed, NotFound
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.uploads import UploadRejected, as_django_file, read_uploads
from motcua.org.roles import Cap
from motcua.org.scoping import can_act_on
from motcua.portal.online.events import application_event
from motcua.portal.online.models import (
    EDITABLE,
    WAITING,
    ApplicationFile,
    AppStatus,
    OnlineApplication,
)
from motcua.worktime.core import add
from motcua.worktime.services import calendar_for_unit

KEY = re.compile(r"[0-9a-f]{32}")
MAX_REQUEST = 2000
# What the citizen types about themselves; an organisation applies at the counter.
APPLICANT_FIELDS = ("name", "id_number", "address", "phone", "email")
MAX_FIELD = {"name": 255, "id_number": 12, "address": 500, "phone": 20, "email": 254}


def new_key() -> str:
    """A fresh idempotency key, one per form given to the citizen."""
    return uuid.uuid4().hex


# ---------------------------------------------------------------- what may be applied for


def online_allowed(version) -> bool:
    """The version is the current public one and offers online service (full or partial)."""
    return (
        version is not None
        and version.status == VersionStatus.PUBLISHED
        and version.is_current
        and version.audience == Audience.PUBLIC
        and version.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)
    )


def desks_for(version) -> list:
    """The desks a citizen may send this procedure to (those that receive it at the counter)."""
    if version is None:
        return []
    # The form's view and application_save() both ask, with the same version object, in one
    # request: one query (a join through the served units) is enough.
    cached = getattr(version, "_online_desks", None)
    if cached is None:
        cached = version._online_desks = list(version.desks())
    return list(cached)


def expected_due(version, desk, now: datetime | None = None) -> datetime | None:
    """The due time if the desk received the application now: the deadline code dossier intake
    uses, on the calendar of the unit that would handle it."""
    try:
        unit = dossier_services.handling_unit_for(desk, version)
    except DossierError:
        return None
    return add(calendar_for_unit(unit), now or timezone.now(), procedure_duration(version))


def components(version) -> list[dict]:
    """The document checklist of a version: name, copies, mandatory, note."""
    return [
        {
            "name": str(doc.get("name", "")),
            "copies": doc.get("copies", doc.get("sets", 1)) or 1,
            "mandatory": bool(doc.get("mandatory", True)),
            "note": str(doc.get("note", "") or ""),
        }
        for doc in version.documents
        if str(doc.get("name", "")).strip()
    ]


# ---------------------------------------------------------------- the citizen's side


def _applicant_values(applicant: dict) -> dict:
    values = {k: str(applicant.get(k) or "").strip()[: MAX_FIELD[k]] for k in APPLICANT_FIELDS}
    values["kind"] = "person"
    return values


def _check_files(version, files: dict) -> list[tuple[str, object]]:
    """[(component, CheckedFile)] for the uploads of known components, all checked first."""
    names = [c["name"] for c in components(version)]
    checked = []
    for index, name in enumerate(names):
        upload = (files or {}).get(name)
        if upload is None:
            continue
        try:
            (one,) = read_uploads([upload])
        except UploadRejected as error:
            message = f"{name}: {error}"
            raise InvalidInput(message, fields={f"file_{index}": str(error)})
        checked.append((name, one))
    return checked


def _missing_components(version, have: set[str]) -> list[str]:
    return [c["name"] for c in components(version) if c["mandatory"] and c["name"] not in have]


def application_save(
    *,
    citizen,
    idempotency_key: str,
    procedure_version=None,
    desk=None,
    applicant: dict | None = None,
    request_summary: str = "",
    files: dict | None = None,
    revision: int | None = None,
    submit: bool = False,
) -> tuple[OnlineApplication, bool]:
    """Save the citizen's form as a draft, or submit it (a returned one is resubmitted).

    Returns (application, changed). The same key again (double tap, retry, replayed form), or a
    form older than the application's last change, returns the application unchanged."""
    if not getattr(citizen, "is_citizen", False):
        raise NotAllowed("Chỉ công dân đã đăng nhập mới nộp hồ sơ trực tuyến.")
    key = str(idempotency_key or "").strip().lower()
    if not KEY.fullmatch(key):
        raise InvalidInput("Biểu mẫu không hợp lệ; vui lòng tải lại trang.", fields={"key": "?"})

    existing = OnlineApplication.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.citizen_id != citizen.pk:
            raise NotFound("Không tìm thấy hồ sơ.")
        if existing.status not in EDITABLE or revision != existing.revision:
            return existing, False
        procedure_version, desk = existing.procedure_version, desk or existing.desk
    elif not online_allowed(procedure_version):
        raise InvalidInput(
            "Thủ tục này không nhận hồ sơ trực tuyến.", fields={"procedure": "Không nhận."}
        )

    allowed_desks = desks_for(procedure_version)
    if desk is None and len(allowed_desks) == 1:
        desk = allowed_desks[0]
    if desk is None or desk.pk not in {d.pk for d in allowed_desks}:
        raise InvalidInput(
            "Vui lòng chọn nơi tiếp nhận hồ sơ.", fields={"desk": "Chọn nơi tiếp nhận."}
        )
    values = _applicant_values(applicant or {})
    request_summary = str(request_summary or "").strip()[:MAX_REQUEST]
    checked = _check_files(procedure_version, files or {})
    if submit and not online_allowed(procedure_version):
        # A draft kept while the procedure was published again (or taken offline).
        raise InvalidInput(
            "Thủ tục đã được cập nhật hoặc không còn nhận hồ sơ trực tuyến; vui lòng mở lại "
            "trang thủ tục và nộp theo phiên bản đang có hiệu lực.",
            fields={"procedure": "Phiên bản không còn hiệu lực."},
        )
    if submit:
        dossier_services.clean_applicant(values)  # every bad field named, in Vietnamese
        have = {name for name, _ in checked}
        if existing is not None:
            have |= set(existing.files.values_list("component", flat=True))
        missing = _missing_components(procedure_version, have)
        if missing:
            raise InvalidInput(
                "Còn thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ".",
                fields={"files": "Thiếu: " + "; ".join(missing)},
            )

    written: list[ApplicationFile] = []
    replaced: list[str] = []
    try:
        with transaction.atomic():
            if existing is not None:
                app = OnlineApplication.objects.select_for_update().get(pk=existing.pk)
                if app.status not in EDITABLE or revision != app.revision:
                    return app, False  # another request got there first
                app.revision += 1
            else:
                app = OnlineApplication(
                    idempotency_key=key,
                    citizen=citizen,
                    procedure_version=procedure_version,
                )
            app.desk, app.applicant, app.request_summary = desk, values, request_summary
            before = app.status
            if submit:
                app.status = (
                    AppStatus.RESUBMITTED if before == AppStatus.RETURNED else AppStatus.SUBMITTED
                )
                app.submitted_at = timezone.now()
            if existing is None:
                try:
                    with transaction.atomic():
                        app.save()
                except IntegrityError:  # the same form posted twice at once: the first wins
                    raise _Replay from None
            else:
                app.save()
            now = timezone.now()
            for component, one in checked:
                old = ApplicationFile.objects.filter(application=app, component=component)
                replaced.extend(old.values_list("file", flat=True))
                old.delete()
                written.append(
                    ApplicationFile.objects.create(
                        application=app,
                        component=component,
                        name=one.name,
                        file=as_django_file(one),
                        content_type=one.content_type,
                        size=len(one.content),
                        sha256=one.sha256,
                        uploaded_at=now,
                    )
                )
            kind = {
                AppStatus.SUBMITTED: "submitted",
                AppStatus.RESUBMITTED: "resubmitted",
            }.get(app.status if submit else None, "draft_saved")
            data = {"files": [c for c, _ in checked]}
            application_event(app, kind, actor=citizen, data=data)
            audit_record(
                actor=citizen,
                action=f"online.{kind}",
                obj=app,
                changes={
                    "status": [before if existing else "", app.status],
                    "procedure": procedure_version.procedure.code,
                    **data,
                },
            )
            if replaced:
                storage = ApplicationFile._meta.get_field("file").storage
                transaction.on_commit(lambda: [storage.delete(n) for n in replaced])
    except _Replay:
        _remove(written)
        return OnlineApplication.objects.get(idempotency_key=key), False
    except Exception:
        _remove(written)
        raise
    return app, True


class _Replay(Exception):
    pass


def _remove(written) -> None:
    for item in written:
        item.file.delete(save=False)


# ---------------------------------------------------------------- the desk's side


def _check_desk(actor, application: OnlineApplication) -> None:
    if not (actor.can(Cap.RECEIVE_DOSSIERS) and can_act_on(actor, application.desk.unit)):
        raise NotAllowed("Tài khoản của bạn không tiếp nhận hồ sơ tại bộ phận này.")


def _locked(application: OnlineApplication, statuses, what: str) -> OnlineApplication:
    app = (
        OnlineApplication.objects.select_for_update()
        .select_related("desk__unit", "procedure_version__procedure", "citizen")
        .get(pk=application.pk)
    )
    if app.status not in statuses:
        raise InvalidState(
            f"Không thể {what}: đơn đang ở trạng thái '{app.get_status_display().lower()}'."
        )
    return app


def _items(values) -> list[str]:
    return [str(v).strip()[:500] for v in values or [] if str(v).strip()]


def application_accept(*, actor, application, at: datetime | None = None) -> Dossier:
    """Receive the application as a dossier (channel online, the citizen as its submitter, the
    uploads as its scans), in one transaction with the application becoming accepted: two
    receptionists accepting at once make one dossier."""
    _check_desk(actor, application)
    with transaction.atomic():
        app = _locked(application, WAITING, "tiếp nhận")
        uploads = []
        for item in app.files.all():
            with item.file.open("rb") as handle:
                uploads.append(ContentFile(handle.read(), name=item.name))
        dossier = dossier_services.dossier_receive(
            actor=actor,
            desk=app.desk,
            procedure_version=app.procedure_version,
            applicant=app.applicant,
            checklist=list(app.files.values_list("component", flat=True)),
            files=uploads,
            channel=Channel.ONLINE,
            request_summary=app.request_summary,
            submitted_by=app.citizen,
            at=at,
        )
        before = app.status
        app.status, app.dossier = AppStatus.ACCEPTED, dossier
        app.decided_by, app.decided_at = actor, dossier.received_at
        app.revision += 1
        app.save()
        application_event(app, "accepted", actor=actor, data={"code": dossier.code})
        audit_record(
            actor=actor,
            action="online.accepted",
            obj=app,
            changes={"status": [before, app.status], "dossier": dossier.code},
        )
    return dossier


def application_return(*, actor, application, missing, note: str = "") -> OnlineApplication:
    """Ask the citizen to complete the application: once, with every missing item listed."""
    _check_desk(actor, application)
    items = _items(missing)
    if not items:
        raise InvalidInput(
            "Vui lòng liệt kê mọi giấy tờ, thông tin cần bổ sung.", fields={"missing": "Trống."}
        )
    with transaction.atomic():
        app = _locked(application, WAITING, "yêu cầu bổ sung")
        if app.returned_at is not None:
            raise InvalidState(
                "Đơn này đã được yêu cầu bổ sung một lần; theo quy định chỉ yêu cầu một lần. "
                "Hãy tiếp nhận hoặc từ chối."
            )
        before = app.status
        app.status, app.missing_items, app.return_note = AppStatus.RETURNED, items, note.strip()
        app.returned_at = timezone.now()
        app.decided_by, app.decided_at = actor, app.returned_at
        app.revision += 1
        app.save()
        application_event(app, "returned", actor=actor, data={"items": items})
        audit_record(
            actor=actor,
            action="online.returned",
            obj=app,
            changes={"status": [before, app.status], "items": items},
        )
    return app


def application_refuse(*, actor, application, reasons, note: str = "") -> OnlineApplication:
    """Refuse to receive the application, with reasons (an end state)."""
    _check_desk(actor, application)
    items = _items(reasons)
    if not items:
        raise InvalidInput("Vui lòng ghi rõ lý do từ chối.", fields={"reasons": "Trống."})
    with transaction.atomic():
        app = _locked(application, WAITING, "từ chối")
        before = app.status
        app.status, app.refusal_reasons = AppStatus.REFUSED, items
        app.return_note = note.strip() or app.return_note
        app.decided_by, app.decided_at = actor, timezone.now()
        app.revision += 1
        app.save()
        application_event(app, "refused", actor=actor, data={"reasons": items})
        audit_record(
            actor=actor,
            action="online.refused",
            obj=app,
            changes={"status": [before, app.status], "reasons": items},
        )
    return app


def dossier_supplement_online(*, citizen, dossier, version, files, note: str = "") -> Dossier:
    """The citizen sends the documents the handling unit asked for, online: at least one file,
    then the dossiers' own supplement step (the clock restarts from zero)."""
    if not files:
        raise InvalidInput(
            "Vui lòng chọn ít nhất một tệp giấy tờ bổ sung.", fields={"files": "Chưa chọn tệp."}
        )
    return dossier_services.dossier_receive_supplement(
        actor=citizen, dossier=dossier, version=version, files=files, note=note
    )

"""The citizen's pages (/cong-dan/) and the desk's online inbox (/can-bo/truc-tuyen/).

Views parse, authorise and call one service or selector. A citizen who is not signed in goes to
settings.CITIZEN_LOGIN_URL and comes back; staff never see the citizen's pages, and a citizen
never sees another's application or dossier (404)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.models import Procedure
from motcua.dossiers import printing
from motcua.dossiers.errors import DossierError, InvalidState, NotAllowed, NotFound, StaleVersion
from motcua.dossiers.models import Dossier, DossierFile, FileKind, Status
from motcua.dossiers.uploads import clean_file_name
from motcua.notify.selectors import notices_for_citizen
from motcua.org.roles import Cap
from motcua.params import int_param
from motcua.payments import vnpay
from motcua.payments.services import payable
from motcua.portal import tracking
from motcua.portal.online import selectors, services
from motcua.portal.online.events import EVENT_LABELS
from motcua.portal.online.models import ApplicationFile

INBOX_PAGE = 50


def vn_time(value) -> str:
    """ "09:30 30/11/2026": what a citizen reads on the receipt."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def citizen_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.CITIZEN_LOGIN_URL)
        if not request.user.is_citizen:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _download(item):
    # Uploaded by anyone, opened on the app's own origin: always a download, sandboxed.
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=clean_file_name(item.name),
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- the citizen's form


def _current_version(code: str):
    procedure = (
        Procedure.objects.select_related("current_version__procedure")
        .filter(code=code, current_version__isnull=False)
        .first()
    )
    version = procedure.current_version if procedure else None
    return version if services.online_allowed(version) else None


def _applicant_initial(citizen) -> dict:
    return {
        "name": citizen.get_full_name(),
        "id_number": citizen.id_number,
        "address": "",
        "phone": citizen.phone,
        "email": citizen.email,
    }


def _form_page(request, version, app=None, *, error=None, posted=None, status=200):
    desks = services.desks_for(version)
    chosen = None
    if posted is not None:
        pk = int_param(posted.get("desk"), minimum=1)
        chosen = next((d for d in desks if d.pk == pk), None)
    elif app is not None:
        chosen = app.desk
    if chosen is None and desks:
        chosen = desks[0]
    if posted is not None:
        applicant = {k: posted.get(k, "") for k in services.APPLICANT_FIELDS}
        request_summary = posted.get("request_summary", "")
    elif app is not None:
        applicant = {k: app.applicant.get(k, "") for k in services.APPLICANT_FIELDS}
        request_summary = app.request_summary
    else:
        applicant, request_summary = _applicant_initial(request.user), ""
    uploaded = {f.component: f for f in app.files.all()} if app is not None else {}
    fields = error.fields if error is not None else {}
    rows = []
    for index, component in enumerate(services.components(version)):
        rows.append(
            {
                **component,
                "field": f"file_{index}",
                "uploaded": uploaded.get(component["name"]),
                "error": fields.get(f"file_{index}", ""),
            }
        )
    context = {
        "version": version,
        "procedure": version.procedure,
        "app": app,
        "key": app.idempotency_key if app else (posted or {}).get("key") or services.new_key(),
        "revision": app.revision if app else "",
        "desks": desks,
        "chosen": chosen,
        "applicant": applicant,
        "request_summary": request_summary,
        "components": rows,
        "due": vn_time(services.expected_due(version, chosen)) if chosen else "",
        "error": error.message if error is not None else "",
        "fields": fields,
    }
    return render(request, "online/apply.html", context, status=status)


def _save(request, version, app=None):
    posted = request.POST
    files = {
        c["name"]: request.FILES.get(f"file_{i}")
        for i, c in enumerate(services.components(version))
        if request.FILES.get(f"file_{i}") is not None
    }
    desk_pk = int_param(posted.get("desk"), minimum=1)
    desk = next((d for d in services.desks_for(version) if d.pk == desk_pk), None)
    submit = posted.get("hanh_dong") == "nop"
    try:
        app, changed = services.application_save(
            citizen=request.user,
            idempotency_key=posted.get("key", ""),
            procedure_version=version,
            desk=desk,
            applicant={k: posted.get(k, "") for k in services.APPLICANT_FIELDS},
            request_summary=posted.get("request_summary", ""),
            files=files,
            revision=int_param(posted.get("revision"), minimum=1),
            submit=submit,
        )
    except NotFound:
        raise Http404
    except NotAllowed:
        raise PermissionDenied
    except DossierError as error:
        return _form_page(request, version, app, error=error, posted=posted, status=error.status)
    if changed:
        messages.success(
            request,
            _("Đã nộp hồ sơ trực tuyến. Bộ phận một cửa sẽ xem xét và thông báo cho bạn.")
            if submit
            else _("Đã lưu nháp. Bạn có thể tiếp tục từ trang “Hồ sơ của tôi”."),
        )
    return redirect("portal:application", pk=app.pk)


@citizen_required
@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    """The form a procedure page's "Nộp hồ sơ trực tuyến" button opens."""
    version = _current_version(code)
    if version is None:
        raise Http404
    if request.method == "POST":
        return _save(request, version)
    return _form_page(request, version)


@citizen_required
@require_http_methods(["GET", "POST"])
def application(request, pk: int):
    app = selectors.application_for(request.user, pk)
    if app is None:
        raise Http404
    if request.method == "POST":
        if not app.editable:
            return redirect("portal:application", pk=app.pk)
        return _save(request, app.procedure_version, app)
    if app.editable:
        return _form_page(request, app.procedure_version, app)
    context = {
        "app": app,
        "files": list(app.files.all()),
        "events": [
            {"label": EVENT_LABELS.get(e.kind, e.kind), "at": vn_time(e.at)}
            for e in app.events.exclude(kind="draft_saved")
        ],
        "submitted": vn_time(app.submitted_at),
    }
    return render(request, "online/application.html", context)


@citizen_required
@require_GET
def application_file(request, pk: int, file_id: int):
    app = selectors.application_for(request.user, pk)
    item = ApplicationFile.objects.filter(application=app, pk=file_id).first() if app else None
    if item is None:
        raise Http404
    return _download(item)


# ---------------------------------------------------------------- "Hồ sơ của tôi"


@citizen_required
@require_GET
def my_dossiers(request):
    context = selectors.my_page(request.user)
    context["citizen_notices"] = list(notices_for_citizen(request.user, limit=5))
    context["next"] = request.path
    return render(request, "online/my_dossiers.html", context)


def _my_dossier(request, code: str) -> Dossier:
    dossier = (
        Dossier.objects.for_user(request.user)
        .select_related("procedure_version", "handling_unit", "receiving_unit", "desk")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def _dossier_page(request, dossier, *, error=None, status=200):
    asked = (
        dossier.actions.filter(action="request_supplement").order_by("-seq").first()
        if dossier.status == Status.SUPPLEMENT
        else None
    )
    shown_kinds = [FileKind.SCAN, FileKind.SUPPLEMENT]
    if dossier.status in (Status.RESULT_READY, Status.RETURNED):
        shown_kinds.append(FileKind.RESULT)
    context = {
        "d": dossier,
        "steps": [{**step, "at": vn_time(step["at"])} for step in tracking.public_steps(dossier)],
        "fee": tracking.fee_status(dossier),
        "received": vn_time(dossier.received_at),
        "appointment": vn_time(dossier.appointment_at),
        "pay": vnpay.enabled() and payable(dossier),
        "asked": (asked.data or {}).get("items", []) if asked else [],
        "asked_note": asked.note if asked else "",
        "files": list(dossier.files.filter(kind__in=shown_kinds).order_by("uploaded_at", "id")),
        "error": error.message if error is not None else "",
        "forms": _my_forms(dossier),
    }
    return render(request, "online/dossier.html", context, status=status)


@citizen_required
@require_GET
def my_dossier(request, code: str):
    return _dossier_page(request, _my_dossier(request, code))


@citizen_required
@require_POST
def my_dossier_supplement(request, code: str):
    dossier = _my_dossier(request, code)
    try:
        services.dossier_supplement_online(
            citizen=request.user,
            dossier=dossier,
            version=int_param(request.POST.get("version"), minimum=1),
            files=request.FILES.getlist("files"),
            note=request.POST.get("note", "")[:2000],
        )
    except StaleVersion as error:
        messages.error(request, error.message)
        return redirect("portal:dossier", code=dossier.code)
    except DossierError as error:
        return _dossier_page(request, dossier, error=error, status=error.status)
    messages.success(request, _("Đã gửi giấy tờ bổ sung. Hồ sơ được tiếp tục giải quyết."))
    return redirect("portal:dossier", code=dossier.code)


# The papers the citizen is given (the process control slip is the unit's own record).
CITIZEN_FORMS = {
    "receipt": "receive",
    "supplement": "request_supplement",
    "apology": "apologise",
    "refusal": "refuse",
    "stop": "stop",
}


def _my_forms(dossier) -> list[dict]:
    done = set(dossier.actions.values_list("action", flat=True))
    return [
        {
            # The same words as the staff page's list of forms, so the same translations.
            "label": _(printing.FORM_TITLES[form]),
            "url": reverse("portal:dossier-form", kwargs={"code": dossier.code, "form": form}),
        }
        for form, action in CITIZEN_FORMS.items()
        if action in done
    ]


@citizen_required
@require_GET
def my_dossier_form(request, code: str, form: str):
    """The e-receipt and the other papers of the citizen's own dossier, as the desk prints them."""
    dossier = _my_dossier(request, code)
    if form not in CITIZEN_FORMS:
        raise Http404
    try:
        data = printing.render_dossier_form(form, dossier)
    except InvalidState as error:
        return render(
            request,
            "web/error.html",
            {"title": _("Chưa có biểu mẫu này"), "message": error.message},
            status=409,
        )
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{printing.FORM_SLUGS[form]}-{dossier.code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
@require_GET
def my_dossier_file(request, code: str, file_id: int):
    dossier = _my_dossier(request, code)
    kinds = [FileKind.SCAN, FileKind.SUPPLEMENT]
    if dossier.status in (Status.RESULT_READY, Status.RETURNED):
        kinds.append(FileKind.RESULT)
    item = DossierFile.objects.filter(dossier=dossier, pk=file_id, kind__in=kinds).first()
    if item is None:
        raise Http404
    return _download(item)


# ---------------------------------------------------------------- the desk's inbox


def _require_desk(request) -> None:
    if not request.user.can(Cap.RECEIVE_DOSSIERS):
        raise PermissionDenied


@require_GET
def inbox(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_desk(request)
    page = Paginator(selectors.inbox_for(request.user), INBOX_PAGE).get_page(
        request.GET.get("trang")
    )
    now = timezone.now()
    rows = [{"app": a, "age": selectors.age(a.submitted_at, now)} for a in page.object_list]
    return render(request, "online/inbox.html", {"page": page, "rows": rows, "query": ""})


def _inbox_item(request, pk):
    app = selectors.application_for(request.user, pk)
    if app is None:
        raise Http404
    return app


def _inbox_page(request, app, *, error=None, open_action="", status=200):
    fields = error.fields if error is not None else {}
    context = {
        "app": app,
        "files": list(app.files.all()),
        "events": [
            {"label": EVENT_LABELS.get(e.kind, e.kind), "at": vn_time(e.at), "data": e.data}
            for e in app.events.exclude(kind="draft_saved")
        ],
        "age": selectors.age(app.submitted_at),
        "submitted": vn_time(app.submitted_at),
        "due": vn_time(services.expected_due(app.procedure_version, app.desk))
        if app.status in ("submitted", "resubmitted")
        else "",
        "components": services.components(app.procedure_version),
        "have": set(app.files.values_list("component", flat=True)),
        "waiting": app.status in ("submitted", "resubmitted"),
        "can_return": app.returned_at is None,
        "error": error.message if error is not None else "",
        "fields": fields,
        "open": open_action,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "online/inbox_item.html", context, status=status)


@require_GET
def inbox_detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_desk(request)
    return _inbox_page(request, _inbox_item(request, pk))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


@require_POST
def inbox_action(request, pk: int, action: str):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("online-inbox"))
    _require_desk(request)
    app = _inbox_item(request, pk)
    if action not in ("tiep-nhan", "bo-sung", "tu-choi"):
        raise Http404
    try:
        if action == "tiep-nhan":
            dossier = services.application_accept(actor=request.user, application=app)
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect(reverse("dossier-detail", kwargs={"code": dossier.code}) + "?moi=1")
        if action == "bo-sung":
            services.application_return(
                actor=request.user,
                application=app,
                missing=_lines(request.POST.get("missing", "")),
                note=request.POST.get("note", "")[:2000],
            )
            messages.success(request, _("Đã gửi yêu cầu bổ sung, hoàn thiện cho công dân."))
        else:
            services.application_refuse(
                actor=request.user,
                application=app,
                reasons=_lines(request.POST.get("reasons", "")),
                note=request.POST.get("note", "")[:2000],
            )
            messages.success(request, _("Đã từ chối tiếp nhận và thông báo lý do cho công dân."))
    except NotAllowed:
        raise PermissionDenied
    except DossierError as error:
        app.refresh_from_db()
        return _inbox_page(request, app, error=error, open_action=action, status=error.status)
    return redirect("online-inbox")


@require_GET
def inbox_file(request, pk: int, file_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_desk(request)
    app = _inbox_item(request, pk)
    item = ApplicationFile.objects.filter(application=app, pk=file_id).first()
    if item is None:
        raise Http404
    return _download(item)

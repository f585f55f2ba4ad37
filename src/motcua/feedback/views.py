"""Public pages (file a feedback, follow it, read published answers) and the staff inbox.
Views parse, authorise and call one service or selector; the rules live there."""

import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.audit.middleware import client_ip
from motcua.catalog.models import Procedure
from motcua.dossiers.errors import DossierError, NotAllowed
from motcua.feedback import selectors, services
from motcua.feedback.models import Feedback, State, Subject
from motcua.org.roles import Cap
from motcua.portal.tracking import normalize_secret

MAX_FAILED_SECRETS = 10  # per feedback code and address, per hour

ACTION_LABELS = {
    "reject": _l("Không tiếp nhận xử lý"),
    "request_info": _l("Yêu cầu bổ sung thông tin"),
    "receive_info": _l("Ghi nhận thông tin bổ sung"),
    "answer": _l("Trả lời"),
    "publish": _l("Công khai nội dung trả lời"),
}
LOG_LABELS = {
    "file": _l("Gửi phản ánh, kiến nghị"),
    "rate": _l("Công dân đánh giá câu trả lời"),
    **ACTION_LABELS,
}
# The form fields each staff action posts, in the order the service takes them.
ACTION_FIELDS = {
    "reject": ("reason",),
    "request_info": ("request",),
    "receive_info": ("reply",),
    "answer": ("answer",),
    "publish": ("public_summary", "public_answer"),
}


def _page(request, rows, size):
    return Paginator(rows, size).get_page(request.GET.get("trang"))


# ---------------------------------------------------------------- public


@require_GET
def public_list(request):
    page = _page(request, selectors.published(), selectors.PUBLIC_PAGE)
    return render(request, "feedback/public_list.html", {"page": page, "items": page.object_list})


@require_GET
def public_detail(request, code):
    feedback = selectors.published_one(code)
    if feedback is None:
        raise Http404
    return render(request, "feedback/public_detail.html", {"f": feedback})


def _file_context(request, values, errors=None):
    procedures = (
        Procedure.objects.published().filter(audience="public").order_by("sort_key", "code")
    ).only("code", "name")
    return {
        "v": values,
        "errors": errors or {},
        "subjects": Subject.choices,
        "procedures": procedures,
        "units": services.public_units().only("code", "name"),
        "max_files": services.max_files(),
        "max_mb": services.max_file_bytes() // (1024 * 1024),
    }


@require_http_methods(["GET", "POST"])
def file_feedback(request):
    if request.method == "GET":
        values = {"subject": Subject.PROCEDURE}
        code = str(request.GET.get("tthc", ""))[:40]
        dossier_code = str(request.GET.get("ho_so", ""))[:64]
        if dossier_code:
            values = {"subject": Subject.DOSSIER, "dossier_code": dossier_code}
        elif code:
            values["procedure_code"] = code
        return render(request, "feedback/file.html", _file_context(request, values))

    post = request.POST
    values = {
        "subject": str(post.get("subject", ""))[:20],
        "procedure_code": str(post.get("procedure_code", ""))[:40],
        "unit_code": str(post.get("unit_code", ""))[:40],
        "dossier_code": str(post.get("dossier_code", ""))[:64],
        "name": str(post.get("name", ""))[:300],
        "contact": str(post.get("contact", ""))[:300],
        "content": str(post.get("content", ""))[:6000],
    }
    ip = client_ip(request)
    if not services.filing_allowed(ip):
        errors = {"form": _("Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau.")}
        return render(
            request, "feedback/file.html", _file_context(request, values, errors), status=429
        )
    try:
        feedback = services.feedback_file(
            subject=values["subject"],
            name=values["name"],
            contact=values["contact"],
            content=values["content"],
            files=request.FILES.getlist("files"),
            procedure_code=values["procedure_code"],
            dossier_code=values["dossier_code"],
            dossier_secret=post.get("dossier_secret", ""),
            unit_code=values["unit_code"],
            ip=ip,
        )
    except DossierError as error:
        errors = dict(error.fields) or {"form": error.message}
        return render(
            request, "feedback/file.html", _file_context(request, values, errors), status=422
        )
    return render(request, "feedback/filed.html", {"f": feedback})


def _secret_ok(feedback: Feedback, secret: str, ip: str) -> bool | None:
    """True/False, or None when this address has guessed wrong too often for this code."""
    key = f"feedback-fail:{feedback.code}:{ip}"
    failures = cache.get(key, 0)
    if failures >= MAX_FAILED_SECRETS:
        return None
    ok = hmac.compare_digest(normalize_secret(str(secret))[:32].encode(), feedback.secret.encode())
    if not ok:
        cache.set(key, failures + 1, 3600)
    return ok


def _log_for_public(feedback):
    return [
        {"label": LOG_LABELS.get(a.action, a.action), "at": a.at}
        for a in feedback.actions.order_by("seq")
    ]


@require_http_methods(["GET", "POST"])
def status(request):
    """Follow a feedback by its code and secret. Every POST proves the secret again."""
    post = request.POST
    code = str(post.get("code") or request.GET.get("ma") or "").strip()[:40]
    context = {"code": code}
    if request.method == "GET":
        return render(request, "feedback/status.html", context)
    feedback = selectors.find_for_citizen(code)
    ok = _secret_ok(feedback, post.get("secret", ""), client_ip(request)) if feedback else False
    if not ok:
        context["error"] = (
            _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau một giờ.")
            if ok is None
            else _("Mã phản ánh hoặc mã theo dõi không đúng.")
        )
        return render(request, "feedback/status.html", context, status=429 if ok is None else 404)
    step = post.get("step", "")
    status_code = 200
    try:
        if step == "rate":
            verdict = post.get("satisfied", "")
            if verdict not in ("1", "0"):
                context["action_error"] = _("Vui lòng chọn hài lòng hoặc không hài lòng.")
                status_code = 422
            else:
                feedback = services.feedback_rate(feedback=feedback, satisfied=verdict == "1")
                context["done"] = _("Cảm ơn bạn đã đánh giá câu trả lời.")
        elif step == "info":
            feedback = services.feedback_receive_info(
                feedback=feedback,
                reply=str(post.get("reply", ""))[:6000],
                files=request.FILES.getlist("files"),
            )
            context["done"] = _("Đã gửi thông tin bổ sung.")
    except DossierError as error:
        context["action_error"] = error.message
        status_code = error.status
    context.update(
        f=feedback, secret=normalize_secret(post.get("secret", "")), log=_log_for_public(feedback)
    )
    return render(request, "feedback/status.html", context, status=status_code)


# ---------------------------------------------------------------- staff


def _staff(request) -> None:
    if not request.user.can(Cap.VIEW_DOSSIERS):
        raise PermissionDenied


@login_required
@require_GET
def inbox(request):
    _staff(request)
    state = str(request.GET.get("trang_thai", ""))[:20]
    if state not in selectors.INBOX_FILTERS:
        state = ""
    page = _page(request, selectors.inbox_for(request.user, state=state), selectors.INBOX_PAGE)
    filters = [("", _("Đang xử lý")), *State.choices, ("tat-ca", _("Tất cả"))]
    return render(
        request,
        "feedback/inbox.html",
        {"page": page, "items": page.object_list, "state": state, "filters": filters},
    )


def _feedback_or_404(request, code) -> Feedback:
    _staff(request)
    feedback = selectors.feedback_for_staff(request.user, code)
    if feedback is None:
        raise Http404
    return feedback


def _render_detail(request, feedback, *, open_action="", values=None, errors=None, status=200):
    actions = [
        {
            "name": name,
            "label": ACTION_LABELS[name],
            "open": name == open_action,
            "fields": ACTION_FIELDS[name],
        }
        for name in services.allowed_actions(request.user, feedback)
    ]
    log = [
        {
            "label": LOG_LABELS.get(a.action, a.action),
            "at": a.at,
            "actor": a.actor_name,
            "note": a.note,
        }
        for a in feedback.actions.order_by("seq")
    ]
    values = values or {}
    if feedback.state == State.ANSWERED and not values:
        values = {"public_summary": "", "public_answer": feedback.answer}
    context = {
        "f": feedback,
        "actions": actions,
        "log": log,
        "files": feedback.files.order_by("uploaded_at", "pk"),
        "v": values,
        "errors": errors or {},
    }
    return render(request, "feedback/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, code):
    return _render_detail(request, _feedback_or_404(request, code))


@login_required
@require_POST
def action(request, code, action):
    feedback = _feedback_or_404(request, code)
    if action not in ACTION_FIELDS:
        raise Http404
    if not services.may(request.user, feedback, action):
        label, states, capability = services.ACTIONS[action]
        if not request.user.can(capability):
            raise PermissionDenied
    values = {name: str(request.POST.get(name, ""))[:6000] for name in ACTION_FIELDS[action]}
    try:
        services.perform(action, actor=request.user, feedback=feedback, **values)
    except NotAllowed:
        raise PermissionDenied
    except DossierError as error:
        errors = dict(error.fields)
        errors["form"] = error.message
        return _render_detail(
            request, feedback, open_action=action, values=values, errors=errors, status=error.status
        )
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": ACTION_LABELS[action]})
    return redirect("feedback-staff-detail", code=feedback.code)


@login_required
@require_GET
def staff_file(request, code, file_id):
    feedback = _feedback_or_404(request, code)
    item = feedback.files.filter(pk=file_id).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from motcua.audit.selectors import audit_actions_for, audit_chain_status, audit_entries_for
from motcua.dossiers.selectors import notices_for
from motcua.dossiers.services import notifications_mark_read
from motcua.org.roles import Cap
from motcua.org.selectors import staff_for_user, units_for_user
from motcua.web.forms import AuditFilterForm
from motcua.web.next_steps import next_steps_for

NOTICES_PAGE = 50
AUDIT_PAGE = 50


def require_cap(request, capability: str) -> None:
    if not request.user.can(capability):
        raise PermissionDenied


@require_GET
@login_required
def home(request):
    if request.user.is_citizen:  # the staff pages are not theirs
        return redirect("portal:my_dossiers")
    return render(request, "web/home.html", {"next_steps": next_steps_for(request.user)})


@require_GET
@login_required
def units(request):
    require_cap(request, Cap.VIEW_UNITS)
    rows = list(units_for_user(request.user).prefetch_related("desks"))
    base = min((u.depth for u in rows), default=0)
    for unit in rows:
        unit.indent = (unit.depth - base) * 1.25 + 0.5
    return render(request, "web/units.html", {"units": rows})


@require_GET
@login_required
def staff(request):
    require_cap(request, Cap.VIEW_STAFF)
    return render(request, "web/staff.html", {"staff": staff_for_user(request.user)})


@require_GET
@login_required
def notices(request):
    """The staff member's notices; opening the page reads the ones it shows."""
    if not request.user.is_staff_member:
        raise PermissionDenied
    page = Paginator(notices_for(request.user), NOTICES_PAGE).get_page(request.GET.get("trang"))
    shown = list(page.object_list)
    for notice in shown:
        notice.is_new = notice.read_at is None  # as it was when the page opened
    notifications_mark_read(actor=request.user, notices=shown)
    return render(request, "web/notices.html", {"page": page, "notices": shown})


@require_GET
@login_required
def audit_log(request):
    """The audit log, read-only, with the chain's verification status."""
    require_cap(request, Cap.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None, actions=audit_actions_for(request.user))
    context = {
        "form": form,
        "chain": audit_chain_status(fresh=request.GET.get("kiem_tra") == "1"),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "web/audit_log.html", context, status=422)
    data = form.cleaned_data if form.is_bound else {}
    rows = audit_entries_for(
        request.user,
        actor=data.get("nguoi", "").strip(),
        action=data.get("hanh_dong", ""),
        first=data.get("tu"),
        last=data.get("den"),
    )
    page = Paginator(rows, AUDIT_PAGE).get_page(request.GET.get("trang"))
    query = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context.update({"page": page, "query": urlencode(query)})
    return render(request, "web/audit_log.html", context)

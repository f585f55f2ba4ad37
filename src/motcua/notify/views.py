from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from motcua.notify.selectors import notices_for_citizen
from motcua.notify.services import citizen_notices_mark_read
from motcua.params import int_param


def _citizen(request):
    if not request.user.is_citizen:
        raise PermissionDenied
    return request.user


@require_GET
@login_required
def citizen_notices(request):
    """The citizen's notices on a page of their own ("Hồ sơ của tôi" shows the same include)."""
    user = _citizen(request)
    return render(
        request,
        "notify/citizen_notices.html",
        {"citizen_notices": list(notices_for_citizen(user)), "next": request.path},
    )


@require_POST
@login_required
def mark_read(request):
    """Mark one notice (id=) or all of the citizen's notices read, then go back."""
    user = _citizen(request)
    raw = request.POST.get("id", "")
    # No id: all of them; a malformed id marks nothing.
    ids = [int_param(raw, minimum=1) or 0] if raw else None
    citizen_notices_mark_read(actor=user, ids=ids)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notify:citizen-notices")
    return redirect(target)

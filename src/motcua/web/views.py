from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.org.roles import Cap
from motcua.org.selectors import staff_for_user, units_for_user
from motcua.web.next_steps import next_steps_for


def require_cap(request, capability: str) -> None:
    if not request.user.can(capability):
        raise PermissionDenied


@require_GET
@login_required
def home(request):
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

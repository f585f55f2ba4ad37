from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from oauth2_provider import views as dot

from motcua.demo_idp.models import DemoIdentity

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def demo_only(view):
    """The demo provider answers only when DEMO_IDP is on; otherwise its addresses do not exist."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DEMO_IDP:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class DemoAuthorizationView(dot.AuthorizationView):
    login_url = reverse_lazy("demo_idp:login")
    template_name = "oauth2_provider/authorize.html"


class IdpLoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=60)
    password = forms.CharField(label=_("Mật khẩu"), max_length=128, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        identity = (
            DemoIdentity.objects.select_related("user")
            .filter(username=data["username"].strip())
            .first()
        )
        if identity is None or not identity.check_password(data["password"]):
            raise forms.ValidationError(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        self.identity = identity
        return data


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@demo_only
@require_http_methods(["GET", "POST"])
def idp_login(request):
    form = IdpLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Into the provider's own session only (DemoIdpSessionCookieMiddleware).
        login(request, form.identity.user, backend=SESSION_BACKEND)
        return redirect(_safe_next(request) or "demo_idp:login")
    status = 200 if request.method == "GET" or form.is_valid() else 422
    return render(
        request,
        "demo_idp/login.html",
        {"form": form, "next": _safe_next(request), "identity": _signed_in(request)},
        status=status,
    )


@demo_only
@require_http_methods(["POST"])
def idp_logout(request):
    logout(request)
    return redirect("demo_idp:login")


def _signed_in(request) -> DemoIdentity | None:
    if request.user.is_authenticated:
        return DemoIdentity.objects.filter(user=request.user).first()
    return None

"""Citizens' sign-in pages: /cong-dan/dang-nhap/ offers the identity provider (portal/oidc.py)
and the one-time code (portal/otp.py); /cong-dan/ is "Hồ sơ của tôi"."""

from django import forms
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.audit.middleware import client_ip
from motcua.dossiers.identity import personal_id_error
from motcua.portal import oidc, otp

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
PENDING = "otp_pending"


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def sign_in_failed(request, message: str, *, status: int = 400):
    return render(
        request,
        "portal/sign_in.html",
        {"error": message, "oidc_enabled": oidc.enabled(), "next": ""},
        status=status,
    )


@require_GET
def sign_in(request):
    if request.user.is_authenticated and request.user.is_citizen:
        return redirect(_safe_next(request) or reverse("portal:my_dossiers"))
    return render(
        request,
        "portal/sign_in.html",
        {"oidc_enabled": oidc.enabled(), "next": _safe_next(request)},
    )


@require_POST
def sign_out(request):
    # Signed in through the provider: signed out there too, or the next "sign in" would pass
    # straight through its session without a password (a shared phone, a family computer).
    provider_logout = oidc.logout_url(request)
    logout(request)
    return redirect(provider_logout or reverse("portal:sign_in") + oidc.SIGNED_OUT)


class CodeRequestForm(forms.Form):
    so_dinh_danh = forms.CharField(label=gettext_lazy("Số định danh cá nhân"), max_length=20)
    ho_ten = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    lien_he = forms.CharField(
        label=gettext_lazy("E-mail hoặc số điện thoại di động"), max_length=254
    )

    def clean_so_dinh_danh(self):
        value = self.cleaned_data["so_dinh_danh"].strip()
        if error := personal_id_error(value):
            raise ValidationError(error)
        return value

    def clean_ho_ten(self):
        value = " ".join(self.cleaned_data["ho_ten"].split())
        if not value:
            raise ValidationError(_("Nhập họ và tên."))
        return value

    def clean_lien_he(self):
        return otp.parse_contact(self.cleaned_data["lien_he"])


class CodeForm(forms.Form):
    ma = forms.RegexField(
        label=gettext_lazy("Mã 6 chữ số"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={"invalid": gettext_lazy("Mã gồm đúng 6 chữ số.")},
    )


@require_http_methods(["GET", "POST"])
def code_request(request):
    form = CodeRequestForm(request.POST or None)
    context = {"form": form, "next": _safe_next(request)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "portal/code_request.html", context, status=422)
        contact = form.cleaned_data["lien_he"]
        if not otp.request_allowed(contact, client_ip(request)):
            context["error"] = _(
                "Bạn đã yêu cầu mã quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."
            )
            return render(request, "portal/code_request.html", context, status=429)
        otp.code_request(
            id_number=form.cleaned_data["so_dinh_danh"],
            full_name=form.cleaned_data["ho_ten"],
            contact=contact,
        )
        request.session[PENDING] = {
            "id_number": form.cleaned_data["so_dinh_danh"],
            "channel": contact.channel,
            "address": contact.address,
            "tries": 0,
            "next": context["next"],
        }
        return redirect("portal:code_verify")
    return render(request, "portal/code_request.html", context)


@require_http_methods(["GET", "POST"])
def code_verify(request):
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("portal:code_request")
    form = CodeForm(request.POST or None)
    context = {"form": form, "pending": pending}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "portal/code_verify.html", context, status=422)
        contact = otp.Contact(pending["channel"], pending["address"])
        try:
            # The count in the session gives everybody the same answers, code sent or not;
            # the count on the code itself is the one that protects it.
            if pending["tries"] >= otp.MAX_FAILED:
                raise otp.CodeRefused(otp.locked_message(), locked=True)
            user = otp.code_verify(
                id_number=pending["id_number"],
                contact=contact,
                code=form.cleaned_data["ma"].strip(),
                ip=client_ip(request),
            )
        except otp.CodeRefused as refused:
            pending["tries"] += 1
            if refused.locked:
                pending["tries"] = otp.MAX_FAILED
            elif pending["tries"] >= otp.MAX_FAILED:
                refused = otp.CodeRefused(otp.locked_message(), locked=True)
            request.session[PENDING] = pending
            context["error"] = refused.message
            context["locked"] = refused.locked
            return render(request, "portal/code_verify.html", context, status=400)
        next_url = pending.get("next") or reverse("portal:my_dossiers")
        login(request, user, backend=SESSION_BACKEND)
        request.session.pop(PENDING, None)
        return redirect(next_url)
    return render(request, "portal/code_verify.html", context)

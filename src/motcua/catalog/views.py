"""Public catalogue pages (no login): the list with search, a procedure's current version, old
versions, what changed, QR codes, posters and desk sheets.

The page a poster's QR opens is what a whole province's phones hit. For anonymous visitors it is
rendered by `render_public_page` alone: the same bytes for everybody (no CSRF token, nothing about
the visitor), so that publishing can also write them to files for nginx to serve
(static_pages.py). Here, behind nginx's fallback or without nginx, each process keeps them in
memory per (procedure, current version, language); the current version id is read from the
database on every request (see pagecache.py), so a publish shows at once in every process.
Logged-in staff get a fresh render (they may see internal procedures).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from motcua.catalog import display, pagecache, selectors
from motcua.catalog.models import Audience, is_staff_viewer
from motcua.documents.pdf import in_vietnamese, render_pdf
from motcua.documents.qr import qr_png, qr_svg, qr_svg_data_uri
from motcua.org.models import Desk
from motcua.params import int_param

PAGE_SIZE = 20


def _not_found(request, code: str | None = None):
    """404 in Vietnamese; offers staff a way in, since internal procedures need a login."""
    context = {
        "code": code,
        "login_url": f"{reverse('login')}?next={request.path}",
        "staff": is_staff_viewer(request.user),
    }
    return render(request, "catalog/not_found.html", context, status=404)


def _version_context(request, procedure, version, *, staff: bool) -> dict:
    current = procedure.current_version
    return {
        "procedure": procedure,
        "version": version,
        "current": current,
        "is_current": version.pk == procedure.current_version_id,
        "fee_lines": display.fee_lines(version),
        "fee_summary": display.fee_summary(version),
        "versions_count": selectors.published_versions(procedure).count(),
        "desks": list(version.desks()),
        "staff": staff,
        "public_url": procedure.public_url(),
    }


@require_GET
def procedure_list(request):
    params = {
        "q": request.GET.get("q", "").strip()[:200],
        "domain": request.GET.get("linh-vuc", "").strip()[:40],
        "unit": request.GET.get("don-vi", "").strip()[:40],
        "online": request.GET.get("truc-tuyen", "").strip()[:10],
    }
    results = selectors.Matches(selectors.public_procedures(user=request.user, **params))
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "params": params,
        "query": query.urlencode(),
        "filtered": any(params.values()),
        "staff": is_staff_viewer(request.user),
        **selectors.filter_choices(request.user),
    }
    return render(request, "catalog/list.html", context)


def render_public_page(procedure) -> bytes:
    """The page behind the QR code as an anonymous visitor gets it, in the active language.

    The one rendering of that page: the view serves it and static_pages.py writes it to files.
    The request is a stand-in with the canonical path (the language links need one) and no
    visitor, so the bytes depend on the procedure, the language and the deploy only."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse("catalog:detail", args=[procedure.code])
    request.user = AnonymousUser()
    version = selectors.version_detail(procedure.current_version_id)
    context = _version_context(request, procedure, version, staff=False)
    return render_to_string("catalog/detail.html", context, request=request).encode()


def _anonymous_page(request, code: str):
    key = selectors.current_version_key(code)
    if key is None or key[1] != Audience.PUBLIC:
        return _not_found(request, code)
    cache_key = ("page", code, key[0], get_language())
    body = pagecache.pages.get(cache_key)
    if body is None:
        procedure = selectors.procedure_for_viewer(code, None)
        if procedure is None:
            return _not_found(request, code)  # made internal since the first read
        body = render_public_page(procedure)
        if procedure.current_version_id == key[0]:  # not published again in between
            pagecache.pages.put(cache_key, body)
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def procedure_detail(request, code: str):
    """The page behind every QR code: the procedure's current version."""
    if not request.user.is_authenticated:
        return _anonymous_page(request, code)
    procedure = selectors.procedure_for_viewer(code, request.user)
    if procedure is None:
        return _not_found(request, code)
    version = selectors.version_detail(procedure.current_version_id)
    context = _version_context(request, procedure, version, staff=is_staff_viewer(request.user))
    response = render(request, "catalog/detail.html", context)
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def procedure_version(request, code: str, number: int):
    procedure = selectors.procedure_for_viewer(code, request.user)
    version = selectors.published_version(procedure, number) if procedure else None
    if version is None:
        return _not_found(request, code)
    context = _version_context(request, procedure, version, staff=is_staff_viewer(request.user))
    return render(request, "catalog/detail.html", context)


@require_GET
def procedure_history(request, code: str):
    procedure = selectors.procedure_for_viewer(code, request.user)
    if procedure is None:
        return _not_found(request, code)
    versions = list(selectors.published_versions(procedure))
    context = {
        "procedure": procedure,
        "versions": versions,
        "staff": is_staff_viewer(request.user),
        "left": versions[1].number if len(versions) > 1 else None,
        "right": versions[0].number if versions else None,
    }
    return render(request, "catalog/history.html", context)


def _int_param(request, name):
    return int_param(request.GET.get(name), minimum=1)


@require_GET
def procedure_compare(request, code: str):
    """Two published versions side by side, changed components marked."""
    procedure = selectors.procedure_for_viewer(code, request.user)
    if procedure is None:
        return _not_found(request, code)
    current = procedure.current_version.number
    left_n = _int_param(request, "tu") or max(current - 1, 1)
    right_n = _int_param(request, "den") or current
    left = selectors.published_version(procedure, left_n)
    right = selectors.published_version(procedure, right_n)
    if left is None or right is None:
        return _not_found(request, code)
    rows = display.compare(left, right)
    context = {
        "procedure": procedure,
        "left": left,
        "right": right,
        "rows": rows,
        "changed_count": sum(row["changed"] for row in rows),
        "versions": list(selectors.published_versions(procedure)),
        "staff": is_staff_viewer(request.user),
    }
    return render(request, "catalog/compare.html", context)


def _visible_or_404(request, code: str):
    procedure = selectors.procedure_for_viewer(code, request.user)
    if procedure is None:
        raise Http404
    return procedure


@require_GET
def qr_svg_view(request, code: str):
    procedure = _visible_or_404(request, code)
    response = HttpResponse(
        qr_svg(procedure.public_url(), scale=8, title=procedure.code),
        content_type="image/svg+xml",
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def qr_png_view(request, code: str):
    procedure = _visible_or_404(request, code)
    response = HttpResponse(qr_png(procedure.public_url()), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="tthc-{procedure.code}.png"'
    return response


def _unit_header(unit) -> list[str]:
    """Two header lines of a printed sheet: the parent agency and the unit, upper case."""
    lines = [unit.parent.name.upper()] if unit.parent_id else []
    return [*lines, unit.name.upper()]


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def poster(request, code: str):
    """The A4 poster for the listing wall. ?bo-phan=<desk code> puts that desk's unit on top."""
    procedure = _visible_or_404(request, code)
    desk = None
    if desk_code := request.GET.get("bo-phan", "").strip():
        desk = Desk.objects.select_related("unit__parent").filter(code=desk_code).first()
    header_unit = desk.unit if desk else procedure.owner_unit
    # No language in the key: a poster reads the same in every session (see _poster_pdf).
    key = ("poster", procedure.current_version_id, header_unit.pk, settings.PUBLIC_BASE_URL)
    data = pagecache.posters.get(key)
    if data is None:
        data = _poster_pdf(procedure, header_unit)
        pagecache.posters.put(key, data)
    return _pdf_response(data, f"tthc-{procedure.code}.pdf")


@in_vietnamese
def _poster_pdf(procedure, header_unit) -> bytes:
    """Posters hang on the wall in Vietnamese, like the forms: the context is built in
    Vietnamese too, since durations and fees are text before the template sees them."""
    version = selectors.version_detail(procedure.current_version_id)
    context = {
        "procedure": procedure,
        "version": version,
        "header": _unit_header(header_unit),
        "fee_summary": display.fee_summary(version),
        "duration": display.duration(version.time_value, version.time_unit),
        "qr": qr_svg_data_uri(procedure.public_url()),
        "short_url": procedure.short_url(),
    }
    return render_pdf("catalog/poster.html", context)


@require_GET
def desk_sheet(request, desk_code: str):
    """QR tiles of every procedure a desk receives, 12 to an A4 page, for the listing wall."""
    desk = get_object_or_404(Desk.objects.select_related("unit__parent"), code=desk_code)
    procedures = list(selectors.procedures_for_desk(desk, request.user))
    return _pdf_response(_desk_sheet_pdf(desk, procedures), f"qr-{desk.code}.pdf")


@in_vietnamese
def _desk_sheet_pdf(desk, procedures) -> bytes:
    tiles = [
        {
            "procedure": p,
            "qr": qr_svg_data_uri(p.public_url()),
            "duration": display.duration(p.current_version.time_value, p.current_version.time_unit),
            "short_url": p.short_url(),
        }
        for p in procedures
    ]
    context = {"desk": desk, "header": _unit_header(desk.unit), "tiles": tiles}
    return render_pdf("catalog/desk_sheet.html", context)


@require_GET
def form_download(request, code: str, form_id: int):
    """A form (tờ khai) of a published version the visitor may read, linked from the public
    page and from its files for nginx. A form's file never changes, so neither does its URL."""
    procedure = _visible_or_404(request, code)
    form = procedure.form_files.filter(pk=form_id, versions__status="published").first()
    if form is None:
        raise Http404
    return form_file_response(form)


def form_file_response(form) -> FileResponse:
    """A download, never shown in the browser, under the type its content was checked for."""
    response = FileResponse(
        form.file.open("rb"),
        as_attachment=True,
        filename=form.filename,
        content_type=form.content_type,
    )
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def set_language(request):
    """Language links on public pages (GET, so cached pages carry no CSRF token)."""
    language = request.GET.get("lang", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("catalog:list")
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response

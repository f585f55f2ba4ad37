"""Catalogue administration for staff: procedures in the user's subtree (by owner unit), drafts,
publishing, what changed, spreadsheet import/export and desk QR sheets. Views parse and authorise;
the services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog import display, selectors, services, spreadsheet
from motcua.catalog.content import ContentError, content_of
from motcua.catalog.forms import (
    DocumentFormSet,
    FeeFormSet,
    ImportForm,
    LegalFormSet,
    ProcedureForm,
    PublishForm,
    formset_rows,
)
from motcua.catalog.views import form_file_response
from motcua.org.roles import Cap
from motcua.org.selectors import desks_for_user, units_for_user
from motcua.params import int_param


def _require_any(request, *capabilities) -> None:
    if not any(request.user.can(cap) for cap in capabilities):
        raise PermissionDenied


def _procedure_or_404(request, code: str):
    procedure = selectors.staff_procedure(request.user, code)
    if procedure is None:
        raise Http404
    return procedure


def _caps(request) -> dict:
    return {
        "can_edit": request.user.can(Cap.EDIT_CATALOG),
        "can_publish": request.user.can(Cap.PUBLISH_CATALOG),
    }


@login_required
def staff_list(request):
    _require_any(request, Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG)
    q = request.GET.get("q", "").strip()[:200]
    state = request.GET.get("trang-thai", "")
    procedures = selectors.catalog_for_staff(request.user, q=q, state=state)
    page = Paginator(procedures, 50).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "catalog/staff/list.html",
        {"page": page, "q": q, "state": state, "query": query.urlencode(), **_caps(request)},
    )


def _bind(request, *, procedure=None, initial=None, owner_units=None):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = initial or {}
    form = ProcedureForm(
        data,
        files,
        procedure=procedure,
        owner_units=owner_units,
        initial=ProcedureForm.initial_from(initial) if initial else None,
    )
    documents = DocumentFormSet(data, prefix="docs", initial=initial.get("documents"))
    fees = FeeFormSet(data, prefix="fees", initial=initial.get("fees"))
    legal = LegalFormSet(data, prefix="legal", initial=initial.get("legal_basis"))
    return form, documents, fees, legal


def _content_from(form, documents, fees, legal) -> dict:
    return form.content(
        formset_rows(documents, "name"), formset_rows(fees, "name"), formset_rows(legal, "number")
    )


def _show_content_errors(form, error: ContentError) -> dict:
    general = {}
    for key, problems in error.errors.items():
        key = {"forms": "form_files"}.get(key, key)
        if key in form.fields:
            for problem in problems:
                form.add_error(key, problem)
        else:
            general[key] = problems
    return general


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request):
    _require_any(request, Cap.EDIT_CATALOG)
    owner_units = units_for_user(request.user)
    form, documents, fees, legal = _bind(request, owner_units=owner_units, initial=None)
    content_errors = {}
    if request.method == "POST" and all(f.is_valid() for f in (form, documents, fees, legal)):
        try:
            services.procedure_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                owner_unit=form.cleaned_data["owner_unit"],
                content=_content_from(form, documents, fees, legal),
                change_note=form.cleaned_data["change_note"],
            )
        except services.CatalogError as error:
            form.add_error("code", str(error))
        except ContentError as error:
            content_errors = _show_content_errors(form, error)
        else:
            code = services.normalize_code(form.cleaned_data["code"])
            messages.success(request, _("Đã tạo bản nháp thủ tục %(code)s.") % {"code": code})
            return redirect("catalog_staff:detail", code=code)
    return render(
        request,
        "catalog/staff/edit.html",
        {
            "form": form,
            "documents": documents,
            "fees": fees,
            "legal": legal,
            "content_errors": content_errors,
            "procedure": None,
        },
    )


@login_required
def staff_detail(request, code: str):
    _require_any(request, Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG)
    procedure = _procedure_or_404(request, code)
    versions = list(selectors.all_versions(procedure))
    draft = next((v for v in versions if v.is_draft), None)
    changed = []
    if draft and procedure.current_version:
        changed = [
            row["label"]
            for row in display.compare(procedure.current_version, draft)
            if row["changed"]
        ]
    latest = draft or procedure.current_version
    return render(
        request,
        "catalog/staff/detail.html",
        {
            "procedure": procedure,
            "versions": versions,
            "draft": draft,
            "changed": changed,
            "forms": list(latest.forms.all()) if latest else [],
            **_caps(request),
        },
    )


@login_required
@require_GET
def staff_form_download(request, code: str, form_id: int):
    """Any form of a procedure in the user's subtree, a draft's included (the public URL
    serves only forms of published versions)."""
    _require_any(request, Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG)
    procedure = _procedure_or_404(request, code)
    form = procedure.form_files.filter(pk=form_id).first()
    if form is None:
        raise Http404
    return form_file_response(form)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, code: str):
    _require_any(request, Cap.EDIT_CATALOG)
    procedure = _procedure_or_404(request, code)
    base = procedure.latest_version()
    initial = content_of(base)
    initial["change_note"] = base.change_note if base.is_draft else ""
    form, documents, fees, legal = _bind(request, procedure=procedure, initial=initial)
    content_errors = {}
    if request.method == "POST" and all(f.is_valid() for f in (form, documents, fees, legal)):
        content = _content_from(form, documents, fees, legal)
        try:
            with transaction.atomic():
                upload = form.cleaned_data.get("new_form_file")
                if upload:
                    added = services.form_template_add(
                        actor=request.user,
                        procedure=procedure,
                        name=form.cleaned_data["new_form_name"],
                        upload=upload,
                    )
                    content["forms"] = [*content["forms"], added.pk]
                draft = services.procedure_draft_save(
                    actor=request.user,
                    procedure=procedure,
                    content=content,
                    change_note=form.cleaned_data["change_note"],
                )
        except services.CatalogError as error:
            form.add_error("new_form_file", str(error))
        except ContentError as error:
            content_errors = _show_content_errors(form, error)
        else:
            if draft is None:
                messages.info(request, _("Không có thay đổi so với phiên bản đang có hiệu lực."))
            else:
                messages.success(
                    request,
                    _(
                        "Đã lưu bản nháp. Công dân vẫn thấy phiên bản đang có hiệu lực cho tới "
                        "khi bản nháp được công bố."
                    ),
                )
            return redirect("catalog_staff:detail", code=procedure.code)
    return render(
        request,
        "catalog/staff/edit.html",
        {
            "form": form,
            "documents": documents,
            "fees": fees,
            "legal": legal,
            "content_errors": content_errors,
            "procedure": procedure,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_publish(request, code: str):
    _require_any(request, Cap.PUBLISH_CATALOG)
    procedure = _procedure_or_404(request, code)
    draft = procedure.draft()
    if draft is None:
        messages.info(request, _("Không có bản nháp để công bố."))
        return redirect("catalog_staff:detail", code=procedure.code)
    form = PublishForm(
        request.POST or None,
        initial={"effective_from": timezone.localdate(), "change_note": draft.change_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.procedure_publish(
                actor=request.user,
                procedure=procedure,
                effective_from=form.cleaned_data["effective_from"],
                change_note=form.cleaned_data["change_note"],
            )
        except services.CatalogError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã công bố phiên bản %(n)s. Mã QR trên áp phích đã in mở nội dung mới ngay.")
                % {"n": version.number},
            )
            return redirect("catalog_staff:detail", code=procedure.code)
    rows = display.compare(procedure.current_version, draft) if procedure.current_version else None
    return render(
        request,
        "catalog/staff/publish.html",
        {"procedure": procedure, "draft": draft, "form": form, "rows": rows},
    )


@login_required
@require_POST
def staff_discard(request, code: str):
    _require_any(request, Cap.EDIT_CATALOG)
    procedure = _procedure_or_404(request, code)
    try:
        services.procedure_draft_discard(actor=request.user, procedure=procedure)
    except services.CatalogError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã hủy bản nháp."))
    return redirect("catalog_staff:detail", code=procedure.code)


def _pick(procedure, value: str):
    if value == "nhap":
        return procedure.draft()
    number = int_param(value, minimum=1)
    return procedure.versions.filter(number=number).first() if number is not None else None


@login_required
def staff_compare(request, code: str):
    """Any two versions side by side, the draft ("nhap") included."""
    _require_any(request, Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG)
    procedure = _procedure_or_404(request, code)
    default_right = (
        "nhap" if procedure.draft() else str(getattr(procedure.current_version, "number", ""))
    )
    left = _pick(
        procedure, request.GET.get("tu", str(getattr(procedure.current_version, "number", "")))
    )
    right = _pick(procedure, request.GET.get("den", default_right))
    if left is None or right is None:
        raise Http404
    rows = display.compare(left, right)
    return render(
        request,
        "catalog/staff/compare.html",
        {
            "procedure": procedure,
            "left": left,
            "right": right,
            "rows": rows,
            "versions": list(selectors.all_versions(procedure)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    _require_any(request, Cap.EDIT_CATALOG)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["publish"] and not request.user.can(Cap.PUBLISH_CATALOG):
            raise PermissionDenied
        report = spreadsheet.import_workbook(
            form.cleaned_data["file"],
            actor=request.user,
            publish=form.cleaned_data["publish"],
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "catalog/staff/import.html", {"form": form, "report": report})


@login_required
def staff_export(request):
    _require_any(request, Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG)
    data = spreadsheet.export_workbook(selectors.catalog_for_staff(request.user))
    response = HttpResponse(data, content_type=spreadsheet.XLSX_TYPE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-tthc-{stamp}.xlsx"'
    return response


@login_required
def staff_desks(request):
    """Desks in the user's subtree with links to their QR sheets."""
    _require_any(request, Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG, Cap.RECEIVE_DOSSIERS)
    desks = [
        {"desk": desk, "count": selectors.procedures_for_desk(desk, request.user).count()}
        for desk in desks_for_user(request.user).filter(is_active=True)
    ]
    return render(request, "catalog/staff/desks.html", {"desks": desks})

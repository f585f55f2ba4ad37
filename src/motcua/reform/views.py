"""Staff pages of the reform scorecard, mounted at /can-bo/cai-cach/. Views parse, authorise
(through the services and selectors) and call one of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.uploads import max_upload_bytes
from motcua.org.models import Unit
from motcua.params import int_param
from motcua.reform import reports, selectors, services
from motcua.reform.models import (
    Assessment,
    Criterion,
    Cycle,
    Evidence,
    Method,
    Participation,
    ParticipationStatus,
    Template,
)
from motcua.reform.templates_data import (
    XLSX_TYPE,
    TemplateError,
    export_workbook,
    template_import,
)

MAX_FILES = 5
PAGE = 100


def _staff(request):
    if not request.user.is_staff_member:
        raise PermissionDenied
    return request.user


def _cycle(request, cycle_id) -> Cycle:
    cycle = selectors.cycles_for(request.user).filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return cycle


@login_required
@require_GET
def index(request):
    user = _staff(request)
    context = {
        "cycles": selectors.cycles_for(user),
        "templates": Template.objects.order_by("-year", "kind"),
        "can_manage": user.can(services.MANAGE),
        "units": Unit.objects.for_user(user).filter(valid_to__isnull=True).order_by("path"),
    }
    return render(request, "reform/index.html", context)


@login_required
@require_GET
def template_xlsx(request, template_id):
    _staff(request)
    template = Template.objects.filter(pk=template_id).first()
    if template is None:
        raise Http404
    response = HttpResponse(export_workbook(template), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="tieu-chi-cchc-{template.year}-{template.kind}.xlsx"'
    )
    return response


MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


@login_required
@require_POST
def template_upload(request):
    """The reform office imports a year's template from the ministry's spreadsheet."""
    user = _staff(request)
    if not user.can(services.MANAGE):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp bảng tính (.xlsx)."))
        return redirect("reform-index")
    if upload.size > MAX_TEMPLATE_BYTES:
        messages.error(request, _("Tệp quá lớn; tối đa 5 MB."))
        return redirect("reform-index")
    try:
        template = template_import(actor=user, content=upload.read(MAX_TEMPLATE_BYTES + 1))
    except TemplateError as error:
        for line in error.errors[:30]:
            messages.error(request, line)
        return redirect("reform-index")
    messages.success(
        request,
        _("Đã nhập bộ tiêu chí %(name)s (%(n)s tiêu chí).")
        % {"name": template.name, "n": template.criteria.count()},
    )
    return redirect("reform-index")


@login_required
@require_POST
def cycle_open(request):
    user = _staff(request)
    year = int_param(request.POST.get("year"), minimum=2000, maximum=2100)
    codes = request.POST.getlist("units")
    units = list(Unit.objects.for_user(user).filter(code__in=codes))
    if year is None:
        messages.error(request, _("Năm không hợp lệ."))
        return redirect("reform-index")
    try:
        cycle = services.cycle_open(
            actor=user,
            year=year,
            units=units,
            self_days=request.POST.get("self_days"),
            appraisal_days=request.POST.get("appraisal_days"),
            publish_days=request.POST.get("publish_days"),
        )
    except services.ReformError as error:
        messages.error(request, str(error))
        return redirect("reform-index")
    messages.success(request, _("Đã mở đánh giá năm %(year)s.") % {"year": year})
    return redirect("reform-cycle", cycle.pk)


@login_required
@require_GET
def cycle_page(request, cycle_id):
    user = _staff(request)
    cycle = _cycle(request, cycle_id)
    context = {
        "cycle": cycle,
        "can_manage": user.can(services.MANAGE),
        "now": timezone.now(),
        "survey_columns": services.SURVEY_COLUMNS,
    }
    if cycle.is_published:
        # The ranking, a page at a time (a province has hundreds of units).
        page = Paginator(
            selectors.results_for(user, cycle).order_by("kind", "rank", "unit__path"), PAGE
        ).get_page(request.GET.get("trang"))
        context.update(page=page, results=page.object_list)
    else:
        rows = selectors.progress_for(user, cycle).order_by("unit__path")
        page = Paginator(rows, PAGE).get_page(request.GET.get("trang"))
        visible = set(
            selectors.participations_for(user, cycle)
            .filter(pk__in=[p.pk for p in page.object_list])
            .values_list("pk", flat=True)
        )
        context.update(
            page=page,
            progress=[(p, p.pk in visible) for p in page.object_list],
            all_closed=rows.exists()
            and not rows.exclude(status=ParticipationStatus.CLOSED).exists(),
        )
    return render(request, "reform/cycle.html", context)


def _participation(request, cycle, unit_code) -> Participation:
    p = (
        selectors.participations_for(request.user, cycle)
        .filter(unit__code=unit_code)
        .select_related("cycle", "unit")
        .first()
    )
    if p is None:
        raise Http404
    return p


@login_required
@require_GET
def unit_page(request, cycle_id, unit_code):
    user = _staff(request)
    cycle = _cycle(request, cycle_id)
    p = _participation(request, cycle, unit_code)
    assessments = {
        a.criterion_id: a
        for a in p.assessments.select_related("criterion").prefetch_related("evidence")
    }
    rows = []
    for c in Criterion.objects.filter(template=p.template).order_by("position"):
        rows.append((c, assessments.get(c.pk)))
    own = user.unit_id == p.unit_id
    context = {
        "cycle": cycle,
        "p": p,
        "rows": rows,
        "can_edit": own
        and user.can(services.ASSESS)
        and p.status == "draft"
        and not cycle.is_published,
        "can_add_evidence": own and user.can(services.ASSESS) and not cycle.is_published,
        "can_lock": own
        and user.can(services.LOCK)
        and p.status == "draft"
        and not cycle.is_published,
        "can_appraise": user.can(services.APPRAISE)
        and p.status == "locked"
        and not cycle.is_published,
        "entered": (Method.FULL_OR_ZERO, Method.GRADED, Method.DEDUCTION, Method.BONUS),
        "actions": p.actions.select_related("actor").order_by("-at", "-pk")[:50],
    }
    return render(request, "reform/unit.html", context)


def _assessment(request, cycle_id, unit_code, assessment_id) -> Assessment:
    cycle = _cycle(request, cycle_id)
    p = _participation(request, cycle, unit_code)
    a = (
        p.assessments.select_related("criterion", "participation__cycle")
        .filter(pk=assessment_id)
        .first()
    )
    if a is None:
        raise Http404
    return a


def _files(request):
    files = request.FILES.getlist("files")[:MAX_FILES]
    # One byte over the limit is enough for check_upload to refuse it as too large.
    return [(f.name, f.read(max_upload_bytes() + 1)) for f in files]


def _back(cycle_id, unit_code, anchor=""):
    response = redirect("reform-unit", cycle_id, unit_code)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def self_score(request, cycle_id, unit_code, assessment_id):
    user = _staff(request)
    a = _assessment(request, cycle_id, unit_code, assessment_id)
    post = request.POST
    try:
        if post.get("only_evidence"):
            services.evidence_add(
                actor=user,
                assessment=a,
                files=_files(request),
                citation=post.get("citation", ""),
                explanation=post.get("explanation", ""),
            )
        else:
            services.assessment_save(
                actor=user,
                assessment=a,
                value=post.get("value"),
                not_applicable=post.get("not_applicable") == "1",
                citation=post.get("citation", ""),
                explanation=post.get("explanation", ""),
                files=_files(request),
            )
        messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": a.criterion.code})
    except services.ReformError as error:
        messages.error(request, str(error))
    return _back(cycle_id, unit_code, f"c-{a.criterion.code}")


@login_required
@require_GET
def evidence_file(request, cycle_id, unit_code, evidence_id):
    """An evidence file, for whoever may see the unit's self-assessment."""
    _staff(request)
    p = _participation(request, _cycle(request, cycle_id), unit_code)
    item = Evidence.objects.filter(pk=evidence_id, assessment__participation=p).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )


@login_required
@require_POST
def lock(request, cycle_id, unit_code):
    user = _staff(request)
    p = _participation(request, _cycle(request, cycle_id), unit_code)
    try:
        services.participation_lock(actor=user, participation=p)
        messages.success(request, _("Đã khóa bản tự đánh giá, chuyển hội đồng thẩm định."))
    except services.ReformError as error:
        messages.error(request, str(error))
    return _back(cycle_id, unit_code)


@login_required
@require_POST
def appraise(request, cycle_id, unit_code, assessment_id):
    user = _staff(request)
    a = _assessment(request, cycle_id, unit_code, assessment_id)
    decision = request.POST.get("decision", "")
    try:
        if decision == "ask":
            services.evidence_request(
                actor=user,
                assessment=a,
                reason=request.POST.get("reason", ""),
                days=request.POST.get("days"),
            )
        else:
            services.assessment_appraise(
                actor=user,
                assessment=a,
                decision=decision,
                points=request.POST.get("points"),
                reason=request.POST.get("reason", ""),
            )
        messages.success(
            request, _("Đã ghi ý kiến thẩm định tiêu chí %(code)s.") % {"code": a.criterion.code}
        )
    except services.ReformError as error:
        messages.error(request, str(error))
    return _back(cycle_id, unit_code, f"c-{a.criterion.code}")


@login_required
@require_POST
def close(request, cycle_id, unit_code):
    user = _staff(request)
    p = _participation(request, _cycle(request, cycle_id), unit_code)
    try:
        services.appraisal_close(actor=user, participation=p)
        messages.success(request, _("Đã kết thúc thẩm định."))
    except services.ReformError as error:
        messages.error(request, str(error))
    return _back(cycle_id, unit_code)


@login_required
@require_POST
def survey(request, cycle_id, unit_code):
    user = _staff(request)
    cycle = _cycle(request, cycle_id)
    p = selectors.progress_for(user, cycle).filter(unit__code=unit_code).first()
    if p is None:
        raise Http404
    try:
        services.survey_record(
            actor=user,
            participation=p,
            respondents=request.POST.get("respondents", ""),
            satisfied_pct=request.POST.get("satisfied_pct", ""),
        )
        messages.success(request, _("Đã ghi kết quả khảo sát."))
    except services.ReformError as error:
        messages.error(request, str(error))
    return redirect("reform-cycle", cycle_id)


@login_required
@require_POST
def survey_upload(request, cycle_id):
    user = _staff(request)
    cycle = _cycle(request, cycle_id)
    upload = request.FILES.get("file")
    if upload is None or upload.size > MAX_TEMPLATE_BYTES:
        messages.error(request, _("Hãy chọn tệp bảng tính (.xlsx) không quá 5 MB."))
        return redirect("reform-cycle", cycle_id)
    try:
        if not user.can(services.MANAGE):
            raise services.ReformRefused(_("Bạn không có quyền thực hiện việc này."))
        n = services.survey_import(
            actor=user, cycle=cycle, content=upload.read(MAX_TEMPLATE_BYTES + 1)
        )
        messages.success(request, _("Đã ghi kết quả khảo sát của %(n)s đơn vị.") % {"n": n})
    except services.ReformError as error:
        messages.error(request, str(error))
    return redirect("reform-cycle", cycle_id)


@login_required
@require_POST
def publish(request, cycle_id):
    user = _staff(request)
    cycle = _cycle(request, cycle_id)
    try:
        services.cycle_publish(actor=user, cycle=cycle)
        messages.success(request, _("Đã công bố kết quả."))
    except services.ReformError as error:
        messages.error(request, str(error))
    return redirect("reform-cycle", cycle_id)


@login_required
@require_POST
def correct(request, cycle_id):
    """A correction of published results: a new revision, reopened for the council."""
    user = _staff(request)
    cycle = _cycle(request, cycle_id)
    try:
        new = services.cycle_correct(actor=user, cycle=cycle, reason=request.POST.get("reason", ""))
    except services.ReformError as error:
        messages.error(request, str(error))
        return redirect("reform-cycle", cycle_id)
    messages.success(
        request, _("Đã lập lần đính chính %(rev)s; hội đồng thẩm định lại.") % {"rev": new.revision}
    )
    return redirect("reform-cycle", new.pk)


def _published(request, cycle_id):
    _staff(request)
    cycle = _cycle(request, cycle_id)
    if not cycle.is_published:
        raise Http404
    return cycle, selectors.results_for(request.user, cycle)


@login_required
@require_GET
def results_xlsx(request, cycle_id):
    cycle, results = _published(request, cycle_id)
    response = HttpResponse(reports.results_workbook(cycle, results), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="ket-qua-cchc-{cycle.year}-{cycle.revision}.xlsx"'
    )
    return response


@login_required
@require_GET
def results_pdf(request, cycle_id):
    cycle, results = _published(request, cycle_id)
    response = HttpResponse(reports.results_pdf(cycle, results), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ket-qua-cchc-{cycle.year}-{cycle.revision}.pdf"'
    )
    return response

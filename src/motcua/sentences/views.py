"""Pages of community sentence supervision. Views parse, authorise (access.py) and call one
service or selector. Reading a case asks for a purpose once per session and case, and every
read (page, PDF, export) leaves a read-log row."""

import io
from datetime import date, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.audit.middleware import client_ip
from motcua.dossiers.uploads import UploadRejected, check_upload, max_upload_bytes
from motcua.org.models import Unit, UnitKind, User
from motcua.params import int_param, parse_day
from motcua.sentences import access, rules, selectors, services
from motcua.sentences.crypto import id_hash
from motcua.sentences.models import (
    Case,
    CaseStatus,
    CheckIn,
    DocumentKind,
    Kind,
    Rating,
    ReadLog,
    TaskKind,
)
from motcua.sentences.services import SentenceError
from motcua.worktime.core import VN_TZ

SESSION_KEY = "sentences_purpose"
PURPOSES = [
    "Theo dõi, quản lý người chấp hành án",
    "Nhận xét, đánh giá định kỳ",
    "Xử lý vi phạm, đề nghị hủy bỏ",
    "Báo cáo cấp trên",
    "Kiểm tra nghiệp vụ",
]
MAX_FAILED_CODES = 5  # per case and address, per hour


def _reader(request):
    if access.reading_root(request.user) is None:
        raise PermissionDenied
    return request.user


def _case(request, code: str) -> Case:
    case = access.cases_for(_reader(request)).select_related("commune", "officer")
    case = case.filter(code=code).first()
    if case is None:
        raise Http404
    return case


def _purpose(request, case: Case) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(str(case.pk))


@login_required
def home(request):
    if access.reading_root(request.user) is not None:
        return redirect("sentences:todo")
    if access.counting_root(request.user) is not None:
        return redirect("sentences:dashboard")
    raise PermissionDenied


@login_required
def todo(request):
    user = _reader(request)
    page = Paginator(selectors.due_now(user), 50).get_page(request.GET.get("trang"))
    return render(request, "sentences/todo.html", {"page": page, "tasks": page.object_list})


@login_required
def cases(request):
    user = _reader(request)
    rows = access.cases_for(user).select_related("commune").order_by("-file_received_at", "-id")
    q = request.GET.get("q", "").strip()[:40]
    if q:
        rows = rows.filter(id_hash=id_hash(q)) if q.isdigit() else rows.filter(code=q.upper())
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "sentences/cases.html",
        {
            "page": page,
            "cases": page.object_list,
            "q": q,
            "can_create": access.can_supervise(user),
        },
    )


def _communes(user):
    root = access.reading_root(user)
    return Unit.objects.filter(
        path__startswith=root.path, kind=UnitKind.COMMUNE_POLICE, valid_to__isnull=True
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    user = _reader(request)
    if not access.can_supervise(user):
        raise PermissionDenied
    communes = _communes(user)
    values, error = {}, None
    if request.method == "POST":
        values = request.POST
        try:
            data = _case_form(values, communes)
            case = services.case_create(actor=user, **data)
        except SentenceError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã tạo hồ sơ %(code)s.") % {"code": case.code})
            return redirect("sentences:cases")
    return render(
        request,
        "sentences/new.html",
        {"communes": communes, "kinds": Kind.choices, "v": values, "error": error},
        status=400 if error else 200,
    )


def _day(values, name: str, label: str, required: bool = True) -> date | None:
    text = values.get(name, "").strip()
    if not text and not required:
        return None
    day = parse_day(text)
    if day is None:
        raise SentenceError(_("%(label)s phải theo dạng ngày/tháng/năm.") % {"label": label})
    return day


def _case_form(values, communes) -> dict:
    commune = communes.filter(pk=int_param(values.get("commune")) or 0).first()
    if commune is None:
        raise SentenceError(_("Hãy chọn Công an cấp xã theo dõi."))
    received = _day(values, "file_received_on", _("Ngày nhận quyết định, hồ sơ"))
    months = int_param(values.get("term_months") or "0", maximum=1000)
    days = int_param(values.get("term_days") or "0", maximum=1000)
    if months is None or days is None:
        raise SentenceError(_("Thời hạn phải là số tháng, số ngày."))
    return {
        "commune": commune,
        "full_name": values.get("full_name", "")[:120],
        "birth_date": _day(values, "birth_date", _("Ngày sinh")),
        "address": values.get("address", "")[:255],
        "id_number": values.get("id_number", "").strip(),
        "phone": values.get("phone", "")[:30],
        "court": values.get("court", "")[:255],
        "decision_number": values.get("decision_number", "")[:60],
        "decision_date": _day(values, "decision_date", _("Ngày bản án, quyết định")),
        "kind": values.get("kind", ""),
        "term_months": months,
        "term_days": days,
        "file_received_at": datetime.combine(received, time(8, 0), tzinfo=VN_TZ),
        "release_on": _day(values, "release_on", _("Ngày được trả tự do"), required=False),
        "end_on": _day(values, "end_on", _("Ngày kết thúc"), required=False),
        "crime_summary": values.get("crime_summary", "")[:4000],
        "civil_duties": values.get("civil_duties", "")[:4000],
        "background": values.get("background", "")[:4000],
        "community_supervisors": values.get("community_supervisors", "")[:1000],
    }


@login_required
@require_POST
def case_import(request):
    from motcua.sentences.importing import ImportRejected, cases_import

    user = _reader(request)
    if not access.can_supervise(user):
        raise PermissionDenied
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size > 5 * 1024 * 1024:
            raise SentenceError(_("Hãy chọn tệp .xlsx (tối đa 5 MB)."))
        created = cases_import(actor=user, content=upload.read())
    except SentenceError as exc:
        messages.error(request, str(exc))
    except ImportRejected as exc:
        for e in exc.errors[:50]:
            messages.error(
                request,
                _("Dòng %(row)s, cột %(column)s: %(message)s")
                % {"row": e.row, "column": e.column, "message": e.message},
            )
        messages.error(request, _("Không nhập hồ sơ nào vì tệp có lỗi."))
    else:
        messages.success(request, _("Đã nhập %(n)s hồ sơ.") % {"n": len(created)})
    return redirect("sentences:cases")


@login_required
@require_http_methods(["GET", "POST"])
def purpose(request, code):
    case = _case(request, code)
    error = None
    if request.method == "POST":
        text = (request.POST.get("purpose") or request.POST.get("other") or "").strip()[:255]
        if not text:
            error = _("Hãy nêu mục đích truy cập hồ sơ.")
        else:
            chosen = request.session.get(SESSION_KEY, {})
            chosen[str(case.pk)] = text
            request.session[SESSION_KEY] = chosen
            return redirect("sentences:detail", code=case.code)
    return render(
        request,
        "sentences/purpose.html",
        {"case": case, "purposes": PURPOSES, "error": error},
        status=400 if error else 200,
    )


def _logged_read(request, code: str, what: str) -> Case:
    case = _case(request, code)
    why = _purpose(request, case)
    if why is None:
        raise _NeedPurpose(case)
    services.case_read(actor=request.user, case=case, purpose=why, what=what)
    return case


class _NeedPurpose(Exception):
    def __init__(self, case):
        self.case = case


def _ask_purpose(view):
    def wrapper(request, code, *args, **kwargs):
        try:
            return view(request, code, *args, **kwargs)
        except _NeedPurpose as need:
            return redirect("sentences:purpose", code=need.case.code)

    wrapper.__name__ = view.__name__
    return wrapper


ACTIONS = {
    "assign": _("Phân công cán bộ theo dõi"),
    "receive": _("Tiếp nhận người chấp hành án"),
    "report": _("Đã báo cáo tiếp nhận"),
    "plan": _("Đã lập kế hoạch giám sát, giáo dục"),
    "checkin": _("Ghi nhận trình diện tại trụ sở"),
    "assess": _("Nhận xét, đánh giá"),
    "violation": _("Lập biên bản vi phạm"),
    "absence": _("Giải quyết đơn xin vắng mặt"),
    "revocation": _("Lập hồ sơ đề nghị hủy bỏ"),
    "transfer": _("Bàn giao do thay đổi nơi cư trú"),
    "complete": _("Cấp giấy chứng nhận chấp hành xong"),
}


@login_required
@_ask_purpose
def detail(request, code):
    case = _logged_read(request, code, "page")
    return render(request, "sentences/detail.html", _detail_context(request, case))


def _detail_context(request, case, **extra) -> dict:
    used = services.absence_used_days(case)
    limit = rules.term_days(case.start_on, case.end_on) // 3
    calculators = []
    if case.kind == Kind.REFORM:
        calculators.append(
            (
                _("Giảm thời hạn cải tạo không giam giữ"),
                rules.reform_reduction(
                    start_on=case.start_on,
                    end_on=case.end_on,
                    under_18=rules.under_18(case.birth_date, case.start_on),
                ),
            )
        )
    if case.kind == Kind.SUSPENDED:
        calculators.append(
            (
                _("Rút ngắn thời gian thử thách"),
                rules.shortened_probation(start_on=case.start_on, end_on=case.end_on),
            )
        )
    officers = User.objects.filter(unit=case.commune, role="sentence_officer", is_active=True)
    context = {
        "case": case,
        "tasks": case.tasks.order_by("due_at")[:400],
        "checkins": case.checkins.order_by("-at")[:24],
        "assessments": case.assessments.order_by("-period")[:24],
        "violations": case.violations.order_by("-on"),
        "absences": case.absences.order_by("-start_on"),
        "absence_used": used,
        "absence_left": max(limit - used, 0),
        "absence_limit": limit,
        "calculators": calculators,
        "blockers": services.completion_blockers(case),
        "can_act": access.can_supervise(request.user) and case.status == CaseStatus.SUPERVISING,
        "actions": ACTIONS,
        "ratings": Rating.choices,
        "officers": officers,
        "checkin_url": request.build_absolute_uri(
            reverse("sentences-checkin", args=[services.checkin_token(case)])
        )
        if case.received_at
        else "",
        "communes": _province_communes(case).exclude(pk=case.commune_id),
        "transfers": case.transfers.select_related("from_commune", "to_commune").order_by("at"),
        "documents": case.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk"),
        "document_kinds": DocumentKind.choices,
        "reads": ReadLog.objects.filter(case=case).select_related("user").order_by("-at")[:20],
    }
    context.update(extra)
    return context


@login_required
@require_POST
@_ask_purpose
def action(request, code, name):
    if name not in ACTIONS:
        raise Http404
    case = _logged_read(request, code, f"action:{name}"[:40])
    user, post = request.user, request.POST
    try:
        result = _act(user, case, name, post)
    except SentenceError as exc:
        context = _detail_context(request, case, error=str(exc), open_action=name, v=post)
        return render(request, "sentences/detail.html", context, status=400)
    if name == "transfer":
        messages.success(request, _("Đã bàn giao hồ sơ cho %(u)s.") % {"u": result.to_commune})
        # The file now belongs to the new commune: this officer may no longer read it.
        if not access.cases_for(user).filter(pk=case.pk).exists():
            return redirect("sentences:cases")
    elif name == "receive":
        messages.success(
            request,
            _("Đã tiếp nhận. Mã trình diện của người chấp hành án (chỉ hiện một lần): %(code)s")
            % {"code": result},
        )
    elif name == "absence" and not result.approved:
        messages.warning(request, _("Không chấp thuận: %(r)s") % {"r": result.refusal_reason})
    else:
        messages.success(request, _("Đã ghi nhận: %(a)s.") % {"a": ACTIONS[name]})
    return redirect("sentences:detail", code=case.code)


def _act(user, case, name, post):
    if name == "assign":
        officer = User.objects.filter(
            unit=case.commune, pk=int_param(post.get("officer")) or 0
        ).first()
        if officer is None:
            raise SentenceError(_("Hãy chọn cán bộ theo dõi."))
        return services.case_assign(actor=user, case=case, officer=officer)
    if name == "receive":
        return services.case_receive(actor=user, case=case)
    if name in ("report", "plan"):
        kind = TaskKind.RECEPTION_REPORT if name == "report" else TaskKind.PLAN
        return services.task_complete(actor=user, case=case, kind=kind)
    if name == "checkin":
        return services.checkin_record(actor=user, case=case, how=CheckIn.How.OFFICE)
    if name == "assess":
        month = parse_day("01/" + post.get("period", "").strip())
        if month is None:
            raise SentenceError(_("Kỳ đánh giá phải theo dạng tháng/năm, ví dụ 03/2026."))
        return services.assessment_record(
            actor=user,
            case=case,
            period=month,
            rating=post.get("rating", ""),
            note=post.get("note", "")[:2000],
        )
    if name == "violation":
        return services.violation_record(
            actor=user,
            case=case,
            on=_day(post, "on", _("Ngày vi phạm")),
            description=post.get("description", "")[:4000],
            fined=post.get("fined") == "1",
        )
    if name == "absence":
        start = _day(post, "start_on", _("Ngày đi"))
        end = _day(post, "end_on", _("Ngày về"))
        return services.absence_decide(
            actor=user,
            case=case,
            start_on=start,
            end_on=end,
            destination=post.get("destination", "")[:255],
            reason=post.get("reason", "")[:2000],
            medical=post.get("medical") == "1",
            abroad=post.get("abroad") == "1",
        )
    if name == "revocation":
        return services.revocation_request(actor=user, case=case)
    if name == "transfer":
        target = _province_communes(case).filter(pk=int_param(post.get("to_commune")) or 0).first()
        if target is None:
            raise SentenceError(_("Hãy chọn Công an cấp xã nơi chuyển đến."))
        return services.case_transfer(
            actor=user,
            case=case,
            to_commune=target,
            new_address=post.get("new_address", "")[:255],
            minutes=post.get("minutes", "")[:4000],
        )
    if name == "complete":
        return services.case_complete(actor=user, case=case)
    raise Http404


def _province_communes(case):
    province = services._province_of(case.commune)
    if province is None:
        return Unit.objects.none()
    return Unit.objects.filter(
        path__startswith=province.path, kind=UnitKind.COMMUNE_POLICE, valid_to__isnull=True
    ).order_by("name")


@login_required
@_ask_purpose
def absence_pdf(request, code, absence_id):
    from motcua.documents.pdf import render_pdf

    case = _logged_read(request, code, "absence_pdf")
    absence = case.absences.filter(pk=absence_id).first()
    if absence is None:
        raise Http404
    pdf = render_pdf("sentences/absence_pdf.html", {"case": case, "a": absence})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vang-mat-{case.code}-{absence.pk}.pdf"'
    return response


@login_required
@require_POST
@_ask_purpose
def document_upload(request, code):
    case = _logged_read(request, code, "document_add")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise SentenceError(_("Hãy chọn tệp tài liệu (PDF, JPEG hoặc PNG)."))
        limit = max_upload_bytes()
        if upload.size > limit:
            raise SentenceError(
                _("Tệp quá lớn; tối đa %(kb)s KB.") % {"kb": f"{limit // 1024:,}".replace(",", ".")}
            )
        document = services.document_add(
            actor=request.user,
            case=case,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            name=upload.name,
            content=upload.read(limit + 1),
        )
    except SentenceError as exc:
        context = _detail_context(
            request, case, error=str(exc), open_action="document", v=request.POST
        )
        return render(request, "sentences/detail.html", context, status=400)
    messages.success(request, _("Đã lưu tài liệu: %(t)s.") % {"t": document.title})
    return redirect("sentences:detail", code=case.code)


@login_required
@_ask_purpose
def document_download(request, code, document_id):
    case = _case(request, code)
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    _logged_read(request, code, f"document:{document.pk}"[:40])
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=document.content_type)
    extension = document.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = (
        f'attachment; filename="{case.code}-{document.pk}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@_ask_purpose
def reception_pdf(request, code):
    from motcua.documents.pdf import render_pdf

    case = _logged_read(request, code, "reception_pdf")
    if case.received_at is None:
        raise Http404
    pdf = render_pdf("sentences/reception_pdf.html", {"case": case})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tiep-nhan-{case.code}.pdf"'
    return response


@login_required
def dashboard(request):
    root = access.counting_root(request.user)
    if root is None:
        raise PermissionDenied
    return render(
        request,
        "sentences/dashboard.html",
        {
            "root": root,
            "d": selectors.dashboard(root),
            "can_read": access.reading_root(request.user) is not None,
        },
    )


def _month(request) -> date:
    text = request.GET.get("thang", "").strip()
    month = parse_day("01/" + text) if text else None
    return month or timezone.now().astimezone(VN_TZ).date().replace(day=1)


@login_required
def monthly_xlsx(request):
    from openpyxl import Workbook

    user = _reader(request)
    month = _month(request)
    rows = list(selectors.monthly_rows(user, month))
    _log_export(user, rows, "monthly_xlsx")
    # Write-only: a province's list (tens of thousands of rows) streams out row by row.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{month:%m-%Y}")
    head = [
        _("Mã hồ sơ"),
        _("Họ và tên"),
        _("Năm sinh"),
        _("Loại hình phạt"),
        _("Công an cấp xã"),
        _("Từ ngày"),
        _("Đến ngày"),
        _("Trình diện trong tháng"),
        _("Xếp loại"),
    ]
    sheet.append([_text_cell(sheet, text) for text in head])
    yes, no = _("Có"), _("Chưa")
    for row in rows:
        case = row["case"]
        values = [
            case.code,
            case.full_name,
            case.birth_date.year,
            case.get_kind_display(),
            case.commune.name,
            f"{case.start_on:%d/%m/%Y}",
            f"{case.end_on:%d/%m/%Y}",
            yes if row["checked_in"] else no,
            str(row["rating"]),
        ]
        sheet.append([_text_cell(sheet, value) for value in values])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="thi-hanh-an-{month:%Y-%m}.xlsx"'
    return response


def _text_cell(sheet, value):
    """As documents.spreadsheets.put, for a write-only sheet: text stays text (a name starting
    with "=" is never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.number_format = "@"
    return cell


@login_required
def monthly_pdf(request):
    from motcua.documents.pdf import render_pdf

    user = _reader(request)
    month = _month(request)
    rows = list(selectors.monthly_rows(user, month))
    _log_export(user, rows, "monthly_pdf")
    pdf = render_pdf(
        "sentences/monthly_pdf.html",
        {"rows": rows, "month": month, "root": access.reading_root(user)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thi-hanh-an-{month:%Y-%m}.pdf"'
    return response


def _log_export(user, rows, what):
    """An export reads every case it lists: one read-log row each, one audit row in all."""
    from django.db import transaction

    from motcua.audit.services import audit_record

    with transaction.atomic():
        ReadLog.objects.bulk_create(
            [
                ReadLog(case=row["case"], user=user, purpose=_("Báo cáo hằng tháng"), what=what)
                for row in rows
            ],
            batch_size=1000,
        )
        audit_record(
            actor=user,
            action="sentences.export",
            object_type="sentences.case",
            changes={"what": what, "cases": len(rows)},
        )


# ---------------------------------------------------------------- the person's phone page


@require_http_methods(["GET", "POST"])
def checkin(request, token):
    """The person's check-in: a personal signed link plus the code given at reception."""
    try:
        payload = signing.loads(token, salt=services.CHECKIN_SALT)
        case = Case.objects.filter(
            pk=int_param(payload.get("c")) or 0, status=CaseStatus.SUPERVISING
        ).first()
    except (signing.BadSignature, AttributeError, TypeError):
        case = None
    if case is None or not case.checkin_code_hash:
        return render(
            request,
            "sentences/checkin.html",
            {"invalid": True},
            status=404,
        )
    error, done = None, False
    if request.method == "POST":
        throttle = f"sentences-checkin:{case.pk}:{client_ip(request)}"
        failures = cache.get(throttle, 0)
        code = request.POST.get("code", "").strip()[:12]
        if failures >= MAX_FAILED_CODES:
            error = _("Nhập sai mã quá nhiều lần. Hãy thử lại sau một giờ.")
        elif not code.isdigit() or services.checkin_code(case, code) != case.checkin_code_hash:
            cache.set(throttle, failures + 1, 3600)
            error = _("Mã trình diện không đúng.")
        else:
            try:
                photo = _photo(request)
                services.checkin_record(
                    case=case,
                    how=CheckIn.How.PHONE,
                    latitude=_coordinate(request.POST.get("lat")),
                    longitude=_coordinate(request.POST.get("lng")),
                    photo=photo,
                    self_report=request.POST.get("self_report", ""),
                )
                done = True
            except (SentenceError, UploadRejected) as exc:
                error = str(exc)
    return render(
        request,
        "sentences/checkin.html",
        {"error": error, "done": done, "self_report": case.kind in rules.SELF_REPORT},
        status=400 if error else 200,
    )


def _coordinate(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = round(float(text), 6)
    except ValueError:
        raise SentenceError(_("Vị trí không hợp lệ.")) from None
    if value != value:  # NaN
        raise SentenceError(_("Vị trí không hợp lệ."))
    return value


def _photo(request):
    upload = request.FILES.get("photo")
    if upload is None:
        return None
    from django.core.files.base import ContentFile

    content = upload.read()
    checked = check_upload(upload.name, content)
    if checked.content_type not in ("image/jpeg", "image/png"):
        raise UploadRejected(_("Ảnh phải là tệp JPEG hoặc PNG."))
    return ContentFile(content), checked.extension

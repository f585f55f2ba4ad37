"""Staff screens for dossiers: intake, work queues, the dossier page with its actions, the desk's
logbook. Views parse, authorise and call one service or selector; the rules live there."""

from datetime import datetime
from math import ceil
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog import display as catalog_display
from motcua.catalog import selectors as catalog_selectors
from motcua.dossiers import selectors, services
from motcua.dossiers.deadlines import calendar_of, legal_dues, procedure_duration
from motcua.dossiers.errors import DossierError, NotAllowed, NotFound, StaleVersion
from motcua.dossiers.forms import ACTION_FORMS, IntakeForm, LogbookForm, WideLogbookForm, lines
from motcua.dossiers.models import (
    Dossier,
    DossierFile,
    FileKind,
    IntakeOutcome,
    IntakeSlip,
    Status,
)
from motcua.dossiers.paper import recipient_line
from motcua.dossiers.uploads import clean_file_name
from motcua.org.models import Unit, User
from motcua.org.roles import Cap, Role
from motcua.org.scoping import can_act_on
from motcua.org.selectors import desks_for_user, units_for_user
from motcua.params import int_param
from motcua.worktime.clock import Clock
from motcua.worktime.core import add
from motcua.worktime.services import calendar_for_unit

PAGE = selectors.QUEUE_PAGE


def _require(request, capability: str) -> None:
    if not request.user.can(capability):
        raise PermissionDenied


def vn_time(value) -> str:
    """ "30/11/2026 09:30": screens write date then time, as the officer types a new due date
    (the printed forms keep their own "09:30 30/11/2026")."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def form_url(code: str, form: str) -> str:
    """A printable form of a dossier (the views live in form_urls.py)."""
    try:
        return reverse("dossier-form", kwargs={"code": code, "form": form})
    except NoReverseMatch:
        return f"/can-bo/ho-so/{code}/bieu-mau/{form}.pdf"


def slip_url(slip: IntakeSlip) -> str:
    """The printable request-to-complete or refusal slip of an intake that received nothing."""
    try:
        return reverse("intake-slip-pdf", kwargs={"number": slip.number})
    except NoReverseMatch:
        return f"/can-bo/ho-so/phieu/{slip.number}.pdf"


def logbook_export_url(desk, ext: str, query: str) -> str:
    try:
        path = reverse(f"logbook-{ext}", kwargs={"desk_code": desk.code})
    except NoReverseMatch:
        path = f"/can-bo/ho-so/so-theo-doi/{desk.code}.{ext}"
    return f"{path}?{query}"


# ---------------------------------------------------------------- time left


def working_span(minutes: int, day_minutes: int) -> str:
    """480 -> "1 ngày", 135 -> "2 giờ 15 phút" (working time).

    Plural forms under a context of their own ("thời gian còn lại", a literal for makemessages):
    English says "8 working days", not "8 d", and a span's words are not the catalogue's units."""
    minutes = abs(int(minutes))
    parts = []
    days, rest = divmod(minutes, day_minutes) if day_minutes else (0, minutes)
    hours, mins = divmod(rest, 60)
    if days:
        parts.append(npgettext("thời gian còn lại", "%(n)s ngày", "%(n)s ngày", days) % {"n": days})
    if hours:
        parts.append(npgettext("thời gian còn lại", "%(n)s giờ", "%(n)s giờ", hours) % {"n": hours})
    if mins and not days:
        parts.append(npgettext("thời gian còn lại", "%(n)s phút", "%(n)s phút", mins) % {"n": mins})
    return " ".join(parts) or npgettext("thời gian còn lại", "%(n)s phút", "%(n)s phút", 0) % {
        "n": 0
    }


class Clocks:
    """Reads how much working time each dossier has left, from columns already loaded.
    Calendars are fetched once per handling unit per request (calendar_for_unit checks the
    holiday table with two small queries every few seconds)."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self._calendars: dict[int, object] = {}

    def calendar(self, dossier):
        cal = self._calendars.get(dossier.handling_unit_id)
        if cal is None:
            cal = self._calendars[dossier.handling_unit_id] = calendar_of(dossier)
        return cal

    def left(self, dossier) -> dict:
        """{"text": ..., "tone": ok|warn|late|paused|done}"""
        if dossier.status == Status.SUPPLEMENT:
            return {"text": _("tạm dừng, chờ công dân bổ sung"), "tone": "paused"}
        if dossier.status in (Status.REFUSED, Status.STOPPED):
            return {"text": _("đã kết thúc"), "tone": "done"}
        if dossier.status in (Status.RESULT_READY, Status.RETURNED):
            if dossier.finished_on_time is False:
                return {"text": _("có kết quả, quá hạn"), "tone": "late"}
            return {"text": _("có kết quả đúng hạn"), "tone": "done"}
        if not dossier.clock:
            return {"text": "", "tone": "done"}
        cal = self.calendar(dossier)
        # Against the legal due: an apology's new date does not give the unit more time.
        remaining = Clock.from_dict(dossier.clock).legal_remaining_at(cal, self.now)
        if remaining > 0:
            text = pgettext("thời gian còn lại", "còn %(span)s làm việc") % {
                "span": working_span(remaining, cal.full_day_minutes)
            }
            tone = "warn" if dossier.deadline_flag == "nearing" else "ok"
            return {"text": text, "tone": tone}
        if remaining == 0 and (dossier.due_at is None or self.now <= dossier.due_at):
            return {"text": _("đến hạn"), "tone": "warn"}
        if remaining == 0:
            return {"text": _("quá hạn"), "tone": "late"}
        return {
            "text": pgettext("thời gian còn lại", "quá hạn %(span)s")
            % {"span": working_span(-remaining, cal.full_day_minutes)},
            "tone": "late",
        }


# ---------------------------------------------------------------- intake


def _intake_desks(user):
    return desks_for_user(user).filter(is_active=True).order_by("unit__path", "code")


def _desk_from(desks, value):
    pk = int_param(value, minimum=1)
    return desks.filter(pk=pk).first() if pk is not None else None


def _procedure_list(desk, user, q: str, limit: int = 60):
    if desk is None:
        return []
    rows = catalog_selectors.procedures_for_desk(desk, user)
    return list(catalog_selectors.search(rows, q)[:limit])


def _version_for(desk, user, code: str):
    """The current version of a procedure received at `desk`, or None."""
    if desk is None or not code:
        return None
    procedure = (
        catalog_selectors.procedures_for_desk(desk, user)
        .select_related("current_version__procedure")
        .filter(code=code)
        .first()
    )
    return procedure.current_version if procedure else None


def _procedure_facts(desk, version, now, chosen: str = "") -> dict:
    """Time, fee, the handling unit (a choice when the desk serves several that handle the
    procedure) and, for the officer to tell the citizen, the due time if received now."""
    facts = {
        "time": catalog_display.duration(version.time_value, version.time_unit),
        "fee": catalog_display.fee_summary(version) or _("Không thu phí, lệ phí"),
        "due": "",
        "unit": "",
        "units": [],
        "chosen": "",
    }
    try:
        unit = services.handling_unit_for(desk, version)
    except DossierError:
        return facts
    units = services.handling_units_for(desk, version)
    unit = next((u for u in units if u.code == chosen), unit)
    if len(units) > 1:
        facts["units"], facts["chosen"] = units, unit.code
    facts["unit"] = unit.name
    facts["due"] = vn_time(add(calendar_for_unit(unit), now, procedure_duration(version)))
    return facts


def _documents(version, ticked=()) -> list[dict]:
    ticked = set(ticked)
    return [
        {
            "name": str(doc.get("name", "")),
            "copies": doc.get("copies", doc.get("sets", 1)) or 1,
            "mandatory": bool(doc.get("mandatory", True)),
            "note": doc.get("note", ""),
            "checked": str(doc.get("name", "")) in ticked,
        }
        for doc in (version.documents if version else [])
    ]


INTAKE_ALIASES = {
    "receive": {"handling_unit": "procedure", "channel": "procedure"},
    "incomplete": {"items": "missing_other"},
    "refuse": {"items": "reasons"},
}
ERROR_ORDER = ["desk", "procedure", "checklist", *IntakeForm.APPLICANT, "files"]


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    _require(request, Cap.RECEIVE_DOSSIERS)
    user = request.user
    desks = _intake_desks(user)
    source = request.POST if request.method == "POST" else request.GET
    desk_list = list(desks)
    desk = _desk_from(desks, source.get("desk"))
    if desk is None and len(desk_list) == 1:
        desk = desk_list[0]
    version = _version_for(desk, user, source.get("procedure", "").strip())
    documents = _documents(version, source.getlist("checklist"))
    outcome = request.POST.get("outcome", "receive")
    if outcome not in INTAKE_ALIASES:
        outcome = "receive"

    initial = {
        "desk": desk,
        "q": source.get("q", ""),
        "procedure": version.procedure.code if version else "",
    }
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, desks=desks, documents=documents)
    else:
        form = IntakeForm(initial=initial, desks=desks, documents=documents)

    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if version is None and "desk" not in form.errors:
            form.add_error("procedure", _("Vui lòng chọn thủ tục hành chính."))
        elif valid:
            done = _intake_submit(request, form, outcome, desk, version, documents)
            if done is not None:
                return done
        status = 422

    focus = "q" if desk is not None else "desk"
    if form.is_bound and form.errors:
        focus = next((name for name in ERROR_ORDER if name in form.errors), focus)
        if outcome != "receive":
            focus = next(
                (name for name in ("missing_other", "reasons") if name in form.errors), focus
            )
    if focus != "checklist" and focus in form.fields:
        form.fields[focus].widget.attrs["autofocus"] = True

    q = source.get("q", "").strip()[:200]
    context = {
        "form": form,
        "desk": desk,
        "desks": desk_list,
        "q": q,
        "procedures": _procedure_list(desk, user, q),
        "version": version,
        "documents": documents,
        "facts": (
            _procedure_facts(desk, version, timezone.now(), source.get("handling_unit", ""))
            if version
            else None
        ),
        "focus": focus,
        "outcome": outcome,
        "kind": (form["kind"].value() or "person"),
        "had_files": bool(request.FILES.getlist("files")),
        "proxy_open": any(source.get(k) for k in ("proxy_name", "proxy_id_number")),
    }
    return render(request, "dossiers/intake.html", context, status=status)


def _intake_submit(request, form, outcome, desk, version, documents):
    data = form.cleaned_data
    try:
        if outcome == "receive":
            handling_unit = None
            if data["handling_unit"]:
                # An unknown code is no unit of the procedure: the service says which ones are.
                handling_unit = Unit.objects.filter(code=data["handling_unit"]).first() or Unit()
            dossier = services.dossier_receive(
                actor=request.user,
                desk=desk,
                procedure_version=version,
                applicant=form.applicant(),
                checklist=data["checklist"],
                files=data["files"],
                handling_unit=handling_unit,
                request_summary=data["request_summary"],
            )
        elif outcome == "incomplete":
            ticked = set(data["checklist"])
            missing = [d["name"] for d in documents if d["mandatory"] and d["name"] not in ticked]
            slip = services.intake_incomplete(
                actor=request.user,
                desk=desk,
                procedure_version=version,
                applicant=form.applicant(),
                missing=missing + lines(data["missing_other"]),
                note=data["note"],
            )
        else:
            slip = services.intake_refuse(
                actor=request.user,
                desk=desk,
                procedure_version=version,
                applicant=form.applicant(),
                reasons=lines(data["reasons"]),
                note=data["note"],
            )
    except NotAllowed:
        raise PermissionDenied
    except DossierError as error:
        form.add_service_error(error, aliases=INTAKE_ALIASES[outcome])
        if outcome == "receive" and "checklist" not in error.fields:
            # The service stops at the applicant; say now what the checklist lacks too, so the
            # officer fixes everything in one go.
            ticked = set(data["checklist"])
            missing = [d["name"] for d in documents if d["mandatory"] and d["name"] not in ticked]
            if missing:
                form.add_error("checklist", _("Thiếu: %(docs)s") % {"docs": "; ".join(missing)})
        return None
    if outcome == "receive":
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả lúc %(due)s.")
            % {"code": dossier.code, "due": vn_time(dossier.due_at)},
        )
        return redirect(reverse("dossier-detail", kwargs={"code": dossier.code}) + "?moi=1")
    return redirect("dossier-intake-slip", number=slip.number)


@login_required
@require_GET
def intake_procedures(request):
    """htmx: the procedures of a desk matching what the officer typed."""
    _require(request, Cap.RECEIVE_DOSSIERS)
    desk = _desk_from(_intake_desks(request.user), request.GET.get("desk"))
    q = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "dossiers/_procedure_options.html",
        {
            "desk": desk,
            "q": q,
            "procedures": _procedure_list(desk, request.user, q),
            "selected": request.GET.get("procedure", ""),
        },
    )


@login_required
@require_GET
def intake_checklist(request):
    """htmx: the chosen procedure's documents and facts."""
    _require(request, Cap.RECEIVE_DOSSIERS)
    desk = _desk_from(_intake_desks(request.user), request.GET.get("desk"))
    version = _version_for(desk, request.user, request.GET.get("procedure", ""))
    return render(
        request,
        "dossiers/_checklist.html",
        {
            "version": version,
            "documents": _documents(version),
            "facts": _procedure_facts(desk, version, timezone.now()) if version else None,
        },
    )


@login_required
@require_GET
def intake_slip(request, number):
    slip = (
        IntakeSlip.objects.select_related("desk__unit", "procedure_version__procedure", "officer")
        .filter(number=number)
        .first()
    )
    if slip is None or not can_act_on(request.user, slip.desk.unit):
        raise Http404
    return render(
        request,
        "dossiers/intake_slip.html",
        {
            "slip": slip,
            "incomplete": slip.outcome == IntakeOutcome.INCOMPLETE,
            "pdf_url": slip_url(slip),
            "at": vn_time(slip.at),
        },
    )


# ---------------------------------------------------------------- queues

# Tabs in the order each role works through them.
ROLE_TABS = {
    Role.RECEPTIONIST: ["to_transfer", "to_return", "supplement", "nearing", "overdue"],
    Role.HANDLER: ["in_progress", "nearing", "overdue", "supplement"],
    Role.LEADER: ["to_approve", "to_assign", "nearing", "overdue", "in_progress"],
}
ALL_TABS = list(selectors.QUEUES)


def _tabs_for(user) -> list[str]:
    first = ROLE_TABS.get(user.role, [])
    return first + [name for name in ALL_TABS if name not in first]


@login_required
@require_GET
def queues(request):
    _require(request, Cap.VIEW_DOSSIERS)
    user = request.user
    can_have_mine = user.can(Cap.PROCESS_DOSSIERS)
    mine_param = request.GET.get("cua-toi")
    if mine_param in ("0", "1"):
        mine = can_have_mine and mine_param == "1"
    else:
        mine = can_have_mine and user.role == Role.HANDLER
    counts = selectors.queue_counts(user, mine=mine)
    names = _tabs_for(user)
    tab = request.GET.get("hang")
    if tab not in selectors.QUEUES:
        tab = next((n for n in names if counts.get(n)), names[0])

    total = counts.get(tab, 0)
    pages = max(1, ceil(total / PAGE))
    number = min(int_param(request.GET.get("trang"), minimum=1) or 1, pages)
    rows = list(selectors.queue(user, tab, mine=mine, limit=PAGE, offset=(number - 1) * PAGE))
    clocks = Clocks()
    for d in rows:
        d.left = clocks.left(d)
        d.due_text = vn_time(d.due_at)

    def link(**changes):
        params = {"hang": tab, "cua-toi": "1" if mine else "0", **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v is not None})

    tabs = [
        {
            "name": n,
            "label": str(selectors.QUEUES[n][0]),
            "count": counts.get(n, 0),
            "url": link(hang=n, trang=None),
            "active": n == tab,
        }
        for n in names
    ]
    return render(
        request,
        "dossiers/queues.html",
        {
            "tabs": tabs,
            "tab": tab,
            "tab_label": str(selectors.QUEUES[tab][0]),
            "rows": rows,
            "total": total,
            "page": number,
            "pages": pages,
            "prev_url": link(trang=number - 1) if number > 1 else None,
            "next_url": link(trang=number + 1) if number < pages else None,
            "mine": mine,
            "can_have_mine": can_have_mine,
            "can_receive": user.can(Cap.RECEIVE_DOSSIERS),
            "mine_url": link(**{"cua-toi": "0" if mine else "1", "trang": None}),
            "now": vn_time(clocks.now),
        },
    )


@login_required
@require_GET
def search(request):
    """Find a dossier by code, applicant (with or without diacritics), ID number or phone."""
    _require(request, Cap.VIEW_DOSSIERS)
    q = request.GET.get("q", "").strip()[:200]
    try:
        number = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        number = 1
    offset = (number - 1) * PAGE
    rows = list(selectors.search_page(request.user, q, limit=PAGE + 1, offset=offset))
    more, rows = len(rows) > PAGE, rows[:PAGE]
    clocks = Clocks()
    # Each row's words looked up once per page, not once per row in the template: the per-row
    # {% translate %}, {% url %} and get_status_display were most of the page's rendering.
    statuses = {value: str(label) for value, label in Status.choices}
    detail = reverse("dossier-detail", args=[_CODE_SLOT]).split(_CODE_SLOT)
    for d in rows:
        d.left = clocks.left(d)
        d.due_text = vn_time(d.due_at)
        d.received_text = vn_time(d.received_at)
        d.status_text = statuses.get(d.status, d.status)
        d.url = d.code.join(detail)

    def link(page):
        return "?" + urlencode({"q": q, "trang": page})

    return render(
        request,
        "dossiers/search.html",
        {
            "q": q,
            "rows": rows,
            "page": number,
            "prev_url": link(number - 1) if number > 1 else None,
            "next_url": link(number + 1) if more else None,
            "can_receive": request.user.can(Cap.RECEIVE_DOSSIERS),
            "labels": {
                "code": _("Mã hồ sơ"),
                "procedure": _("Thủ tục"),
                "applicant": _("Người nộp"),
                "received": _("Tiếp nhận"),
                "status": _("Trạng thái"),
                "left": _("Còn lại"),
            },
        },
    )


# A dossier code is letters, digits, dots and dashes: reversed once, as is, around this slot.
_CODE_SLOT = "0slot0"


# ---------------------------------------------------------------- one dossier


def _dossier_or_404(request, code: str) -> Dossier:
    _require(request, Cap.VIEW_DOSSIERS)
    dossier = selectors.dossier_for_user(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def _allowed(user, dossier) -> list[str]:
    return services.allowed_actions(user, dossier)


def _details(entry, names: dict[str, str], due) -> list[str]:
    """What a timeline entry did, in words (`due`: the legal due when it was done)."""
    data, out = entry.data or {}, []
    action = entry.action
    if action == "receive" and data.get("files"):
        out.append(_("%(n)s tệp bản quét") % {"n": data["files"]})
    elif action == "transfer":
        out.append(_("Hình thức: %(m)s") % {"m": services.TRANSFER_MODES.get(data.get("mode"), "")})
        if data.get("late"):
            out.append(_("Chuyển muộn"))
    elif action == "assign":
        who = names.get(data.get("handler"), data.get("handler", ""))
        out.append(_("Cán bộ xử lý: %(who)s") % {"who": who})
    elif action in ("process", "receive_supplement") and data.get("files"):
        out.append(_("%(n)s tệp kèm theo") % {"n": data["files"]})
    if action == "request_supplement":
        out.extend(data.get("items", []))
        if data.get("late"):
            out.append(_("Yêu cầu bổ sung sau 3 ngày làm việc kể từ khi tiếp nhận"))
    elif action == "receive_supplement" and data.get("new_due"):
        out.append(_("Hạn mới: %(t)s") % {"t": vn_time(datetime.fromisoformat(data["new_due"]))})
    elif action == "submit" and data.get("files"):
        out.append(_("%(n)s tệp dự thảo kết quả") % {"n": data["files"]})
    elif action == "approve" and data.get("e_result"):
        out.append(_("Có kết quả điện tử"))
    elif action == "apologise":
        out.append(
            _("Hạn cũ %(old)s, hẹn lại %(new)s")
            % {
                "old": vn_time(datetime.fromisoformat(data["old_due"])),
                "new": vn_time(datetime.fromisoformat(data["new_due"])),
            }
        )
        if data.get("late"):
            out.append(_("Xin lỗi muộn (chưa đủ 1 ngày làm việc trước hạn)"))
    elif action == "return":
        out.append(
            _("Hình thức: %(m)s") % {"m": services.RETURN_METHODS.get(data.get("method"), "")}
        )
        if data.get("recipient_name"):
            out.append(
                _("Người nhận: %(who)s")
                % {
                    "who": recipient_line(
                        data.get("recipient"),
                        data["recipient_name"],
                        data.get("recipient_id_number"),
                    )
                }
            )
        # Judged here, not read from the log: returns logged before migration 0003 were
        # compared with the apology's date.
        if due is not None and entry.at < due:
            out.append(_("Trả trước hạn"))
        elif due is not None and entry.at > due:
            out.append(_("Trả sau hạn giải quyết"))
    elif action == "stop":
        out.append(
            _("Theo đề nghị của công dân") if data.get("by_applicant") else _("Dừng theo quy định")
        )
    elif action == "record_payment" and data.get("exempt"):
        out.append(_("Miễn phí, lệ phí: %(reason)s") % {"reason": data.get("reason", "")})
    elif action == "record_payment":
        out.append(
            _("%(amount)s, %(channel)s")
            % {
                "amount": catalog_display.money(data.get("amount", 0)),
                "channel": services.PAYMENT_CHANNELS.get(data.get("channel"), "").lower(),
            }
        )
    return [str(line) for line in out if line]


def _timeline(dossier) -> list[dict]:
    entries = list(selectors.timeline(dossier))
    usernames = {e.data.get("handler") for e in entries if e.action == "assign"} - {None}
    names = {
        u.username: u.get_full_name() or u.username
        for u in User.objects.filter(username__in=usernames)
    }
    return [
        {
            "seq": e.seq,
            "action": e.action,
            "label": services.action_label(e.action),
            "at": vn_time(e.at),
            "actor": e.actor_name,
            "unit": e.unit.name if e.unit else "",
            "note": e.note,
            "details": _details(e, names, due),
        }
        for e, due in zip(entries, legal_dues(entries), strict=True)
    ]


def _printable_forms(dossier, timeline) -> list[dict]:
    done = {e["action"] for e in timeline}
    forms = [("receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))]
    forms.append(("control", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")))
    if "request_supplement" in done:
        forms.append(("supplement", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")))
    if "apologise" in done:
        forms.append(("apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")))
    if "refuse" in done:
        forms.append(("refusal", _("Phiếu từ chối giải quyết hồ sơ")))
    if "stop" in done:
        forms.append(("stop", _("Thông báo dừng giải quyết hồ sơ")))
    return [{"name": n, "label": label, "url": form_url(dossier.code, n)} for n, label in forms]


def _render_detail(
    request, dossier, *, open_action=None, bound=None, status=200, error="", preview=""
):
    allowed = _allowed(request.user, dossier)
    actions = []
    for name in allowed:
        if name == open_action and bound is not None:
            form = bound
        else:
            form = ACTION_FORMS[name](dossier=dossier, initial={"version": dossier.version})
        actions.append(
            {
                "name": name,
                "label": services.ACTIONS[name].label,
                "form": form,
                "open": name == open_action,
                "url": reverse("dossier-action", kwargs={"code": dossier.code, "action": name}),
                "multipart": "files" in form.fields,
                "preview": preview if name == open_action else "",
            }
        )
    timeline = _timeline(dossier)
    clocks = Clocks()
    files = list(dossier.files.select_related("uploaded_by").order_by("uploaded_at", "id"))
    context = {
        "d": dossier,
        "left": clocks.left(dossier),
        "due": vn_time(dossier.due_at),
        "appointment": vn_time(dossier.appointment_at),
        "original_due": vn_time(dossier.original_due_at),
        "received": vn_time(dossier.received_at),
        "returned": vn_time(dossier.returned_at),
        "recipient": recipient_line(
            dossier.recipient_kind, dossier.recipient_name, dossier.recipient_id_number
        ),
        "fee_paid": vn_time(dossier.fee_paid_at),
        "fee": catalog_display.money(dossier.fee_amount) if dossier.fee_amount else "",
        "fee_paid_amount": catalog_display.money(dossier.fee_paid_amount),
        "fee_channel": services.PAYMENT_CHANNELS.get(dossier.fee_channel, ""),
        "actions": actions,
        "timeline": timeline,
        "files": files,
        "file_kinds": dict(FileKind.choices),
        "forms": _printable_forms(dossier, timeline),
        "just_received": request.GET.get("moi") == "1",
        "receipt_url": form_url(dossier.code, "receipt"),
        "error": error,
        "danger": ("refuse", "stop"),
    }
    return render(request, "dossiers/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, code):
    dossier = _dossier_or_404(request, code)
    return _render_detail(request, dossier)


@login_required
@require_http_methods(["GET", "POST"])
def action(request, code, action):
    dossier = _dossier_or_404(request, code)
    if action not in ACTION_FORMS:
        raise Http404
    spec = services.ACTIONS[action]
    side_unit = dossier.receiving_unit if spec.side == "receiving" else dossier.handling_unit
    if not (request.user.can(spec.capability) and can_act_on(request.user, side_unit)):
        raise PermissionDenied
    if request.method == "GET":
        return _render_detail(request, dossier, open_action=action)

    form = ACTION_FORMS[action](request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        return _render_detail(request, dossier, open_action=action, bound=form, status=422)
    if action == "apologise" and not form.cleaned_data["confirmed_due"]:
        return _apology_preview(request, dossier, form)
    try:
        services.perform(
            action,
            actor=request.user,
            dossier=dossier,
            version=form.cleaned_data.get("version"),
            **form.params(),
        )
    except StaleVersion as error:
        messages.error(request, error.message)
        return redirect("dossier-detail", code=dossier.code)
    except NotAllowed:
        raise PermissionDenied
    except NotFound:
        raise Http404
    except DossierError as error:
        if action == "apologise":
            # Back to the first step: the leader corrects the date and sees it again.
            form = ACTION_FORMS[action](_unconfirmed(request.POST), dossier=dossier)
            form.is_valid()
        form.add_service_error(error)
        if action not in _allowed(request.user, dossier):
            # e.g. a second apology: there is no form to reopen, only the refusal to show.
            return _render_detail(request, dossier, status=error.status, error=error.message)
        return _render_detail(request, dossier, open_action=action, bound=form, status=error.status)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": spec.label})
    return redirect("dossier-detail", code=dossier.code)


def _unconfirmed(data):
    data = data.copy()
    data.pop("confirmed_due", None)
    return data


def _apology_preview(request, dossier, form):
    """First step of the apology: read the date back as the letter will print it."""
    try:
        instant = services.apology_preview(
            actor=request.user,
            dossier=dossier,
            new_due=form.cleaned_data["new_due"],
            reason=form.cleaned_data["reason"],
        )
    except NotAllowed:
        raise PermissionDenied
    except DossierError as error:
        form.add_service_error(error)
        if "apologise" not in _allowed(request.user, dossier):
            return _render_detail(request, dossier, status=error.status, error=error.message)
        return _render_detail(
            request, dossier, open_action="apologise", bound=form, status=error.status
        )
    data = request.POST.copy()
    data["confirmed_due"] = instant.isoformat()
    confirm = ACTION_FORMS["apologise"](data, dossier=dossier, confirming=True)
    local = timezone.localtime(instant)
    preview = _(
        "Ngày hẹn trả mới: %(time)s %(weekday)s, ngày %(date)s (hạn giải quyết: %(due)s)."
    ) % {
        "time": local.strftime("%H:%M"),
        "weekday": services.WEEKDAYS[local.weekday()],
        "date": local.strftime("%d/%m/%Y"),
        "due": vn_time(dossier.due_at),
    }
    return _render_detail(request, dossier, open_action="apologise", bound=confirm, preview=preview)


@login_required
@require_GET
def dossier_file(request, code, file_id):
    dossier = _dossier_or_404(request, code)
    item = DossierFile.objects.filter(dossier=dossier, pk=file_id).first()
    if item is None:
        raise Http404
    # Uploaded by anyone, opened on the app's own origin: always a download, and a sandbox with
    # no scripts, no plugins and no requests in case a browser renders it anyway.
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=clean_file_name(item.name),
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"  # personal data: never in a shared cache
    return response


# ---------------------------------------------------------------- logbook


@login_required
@require_GET
def logbook(request):
    _require(request, Cap.VIEW_DOSSIERS)
    desks = desks_for_user(request.user).order_by("unit__path", "code")
    first_desk = desks.first()
    if first_desk is None:
        return render(request, "dossiers/logbook.html", {"form": None, "no_desk": True})
    today = timezone.localdate()
    data = {
        "ban": request.GET.get("ban") or first_desk.code,
        "tu": request.GET.get("tu") or LogbookForm.fmt(today.replace(day=1)),
        "den": request.GET.get("den") or LogbookForm.fmt(today),
    }
    form = LogbookForm(data, desks=desks)
    context = {"form": form}
    if form.is_valid():
        desk, first, last = (form.cleaned_data[k] for k in ("ban", "tu", "den"))
        rows = selectors.logbook(request.user, desk, first, last)
        page = _logbook_page(rows, request.GET.get("trang"))
        query = {"ban": desk.code, "tu": LogbookForm.fmt(first), "den": LogbookForm.fmt(last)}
        export = urlencode({"tu": query["tu"], "den": query["den"]})
        context.update(
            {
                "desk": desk,
                "page": page,
                "query": urlencode(query),
                "pdf_url": logbook_export_url(desk, "pdf", export),
                "xlsx_url": logbook_export_url(desk, "xlsx", export),
                "slips": [
                    {
                        "slip": s,
                        "at": vn_time(s.at),
                        "url": reverse("dossier-intake-slip", kwargs={"number": s.number}),
                    }
                    for s in selectors.intake_slips(request.user, desk, first, last).select_related(
                        "procedure_version"
                    )[:200]
                ],
                "first": LogbookForm.fmt(first),
                "last": LogbookForm.fmt(last),
            }
        )
    return render(request, "dossiers/logbook.html", context, status=200 if form.is_valid() else 422)


def _logbook_page(rows, number):
    """One page of 100 logbook rows, numbered across pages, with their times as printed."""
    page = Paginator(rows, 100).get_page(number)
    for i, d in enumerate(page.object_list, start=(page.number - 1) * 100 + 1):
        d.row_no = i
        d.received_text = vn_time(d.received_at)
        d.due_text = vn_time(d.due_at)
        d.returned_text = vn_time(d.returned_at)
        d.method_text = services.RETURN_METHODS.get(d.return_method, "")
    return page


@login_required
@require_GET
def logbook_wide(request):
    """All the logbooks of the user's subtree on one page (an inspector's view), by unit."""
    _require(request, Cap.VIEW_DOSSIERS)
    today = timezone.localdate()
    data = {
        "don_vi": request.GET.get("don_vi", ""),
        "tu": request.GET.get("tu") or LogbookForm.fmt(today.replace(day=1)),
        "den": request.GET.get("den") or LogbookForm.fmt(today),
    }
    form = WideLogbookForm(data, units=units_for_user(request.user).order_by("path"))
    context = {"form": form}
    if form.is_valid():
        unit, first, last = (form.cleaned_data[k] for k in ("don_vi", "tu", "den"))
        rows = selectors.logbook_wide(request.user, first, last, unit)
        page = _logbook_page(rows, request.GET.get("trang"))
        query = {
            "don_vi": unit.code if unit else "",
            "tu": LogbookForm.fmt(first),
            "den": LogbookForm.fmt(last),
        }
        context.update(
            {
                "unit": unit,
                "page": page,
                "query": urlencode(query),
                "first": query["tu"],
                "last": query["den"],
            }
        )
    return render(
        request, "dossiers/logbook_wide.html", context, status=200 if form.is_valid() else 422
    )

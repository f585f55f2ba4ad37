"""Printable forms of a dossier (Circular 01/2018 Art. 9, Circular 03/2025 Appendix I), as PDF.

Every form is filled from what the system already holds: the dossier row, its append-only
action log and the intake slips. Nothing here writes to the database, so a form can be reprinted
at any time and always reads the same (the times come from the log, not from "now").

Public API (other apps call these names):

* ``DOSSIER_FORMS``: the forms printable from a dossier;
* ``render_dossier_form(name, dossier)``: KeyError for an unknown name, InvalidState (Vietnamese
  message) when the form does not apply to the dossier yet;
* ``render_intake_slip(slip)``: the request to complete, or the refusal, of an intake visit;
* ``render_logbook_pdf`` / ``render_logbook_xlsx`` (see logbook.py).
"""

from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.utils.text import capfirst

from motcua.documents.pdf import in_vietnamese, render_pdf
from motcua.documents.qr import qr_svg_data_uri
from motcua.dossiers.deadlines import legal_dues
from motcua.dossiers.errors import InvalidState
from motcua.dossiers.logbook import logbook_entry, render_logbook_pdf, render_logbook_xlsx
from motcua.dossiers.models import (
    Channel,
    Dossier,
    DossierAction,
    IntakeOutcome,
    IntakeSlip,
    Status,
)
from motcua.dossiers.paper import (
    desk_label,
    desk_place,
    duration_display,
    hm_date,
    local,
    money,
    parse_iso,
    person_name,
    place_and_date,
    recipient_line,
    unit_header,
    vn_date,
)
from motcua.dossiers.services import (
    PAYMENT_CHANNELS,
    RETURN_METHODS,
    TRANSFER_MODES,
    action_label,
)

__all__ = [
    "DOSSIER_FORMS",
    "FORM_TITLES",
    "available_forms",
    "render_dossier_form",
    "render_intake_slip",
    "render_logbook_pdf",
    "render_logbook_xlsx",
    "tracking_url",
]

DOSSIER_FORMS = ("receipt", "supplement", "refusal", "apology", "stop", "control")

FORM_TITLES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối giải quyết hồ sơ",
    "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "stop": "Thông báo dừng giải quyết hồ sơ",
    "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}

# File names of the PDFs (no diacritics: some mail clients mangle them).
FORM_SLUGS = {
    "receipt": "giay-tiep-nhan",
    "supplement": "phieu-yeu-cau-bo-sung",
    "refusal": "phieu-tu-choi",
    "apology": "phieu-xin-loi",
    "stop": "thong-bao-dung",
    "control": "phieu-kiem-soat",
}


def tracking_url(dossier: Dossier) -> str:
    """The public tracking page: a contract printed on paper, it never changes."""
    return f"{settings.PUBLIC_BASE_URL}/tra-cuu/{quote(dossier.code, safe='')}/"


def _applicant(dossier: Dossier) -> dict:
    organisation = dossier.applicant_kind == "organisation"
    return {
        "name": dossier.applicant_name,
        "salutation": "Tổ chức" if organisation else "Ông/bà",
        "id_label": "Mã số tổ chức" if organisation else "Số định danh cá nhân",
        "id_number": dossier.applicant_display_id,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "proxy_name": dossier.proxy_name,
        "proxy_id_number": dossier.proxy_id_number,
        "proxy_authorisation": dossier.proxy_authorisation,
    }


def _slip_applicant(slip: IntakeSlip) -> dict:
    data = slip.applicant or {}
    organisation = data.get("kind") == "organisation"
    return {
        "name": data.get("name", ""),
        "salutation": "Tổ chức" if organisation else "Ông/bà",
        "id_label": "Mã số tổ chức" if organisation else "Số định danh cá nhân",
        "id_number": data.get("org_code" if organisation else "id_number", ""),
        "address": data.get("address", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
        "proxy_name": data.get("proxy_name", ""),
        "proxy_id_number": data.get("proxy_id_number", ""),
        "proxy_authorisation": data.get("proxy_authorisation", ""),
    }


def _request_text(version, summary: str = "") -> str:
    """The procedure, then what in particular is asked, after the form's own label: "X: Y"
    there read as a second label. A summary that already names the procedure stands alone."""
    summary = summary.strip()
    if not summary:
        return version.name
    if summary.casefold().startswith(version.name.casefold()):
        return summary
    return f"{version.name} ({summary})"


def _actions(dossier: Dossier) -> list[DossierAction]:
    return list(dossier.actions.select_related("actor", "unit").order_by("seq"))


def _latest(actions: list[DossierAction], name: str) -> DossierAction | None:
    found = [a for a in actions if a.action == name]
    return found[-1] if found else None


def _signer(action: DossierAction | None, fallback_title: str) -> dict:
    actor = action.actor if action is not None else None
    name = (action.actor_name if action is not None else "") or person_name(actor)
    return {"title": fallback_title, "name": name}


def _head_signer(action: DossierAction | None) -> dict:
    """The head of the unit signs apologies and refusals: his position is printed as title."""
    actor = action.actor if action is not None else None
    position = (getattr(actor, "position", "") or "").strip()
    title = position if position and position.lower() != "cán bộ" else "Thủ trưởng đơn vị"
    return _signer(action, title)


def _base_context(dossier: Dossier, *, unit, at, number: str, header: dict | None = None):
    return {
        "dossier": dossier,
        "header": header or unit_header(unit),
        "number": number,
        "place_date": place_and_date(unit, at),
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "request": _request_text(dossier.procedure_version, dossier.request_summary),
        "received": hm_date(dossier.received_at),
        "unit_name": unit.name,
    }


# ---------------------------------------------------------------- the forms of a dossier


def _receipt(dossier: Dossier, actions: list[DossierAction]) -> tuple[str, dict]:
    desk = dossier.desk
    receive = _latest(actions, "receive")
    due = (receive.due_at if receive else None) or dossier.original_due_at or dossier.due_at
    year, entry = logbook_entry(dossier)
    url = tracking_url(dossier)
    context = _base_context(
        dossier,
        unit=desk.unit,
        at=dossier.received_at,
        number=dossier.code,
        header=unit_header(desk.unit, desk_label(desk)),
    )
    context.update(
        {
            "title": FORM_TITLES["receipt"],
            "desk_name": desk.name,
            "documents": [row for row in dossier.checklist if row.get("received")],
            "sets": dossier.procedure_version.sets,
            "legal_time": duration_display(dossier.procedure_version),
            "due": hm_date(due),
            "collect_at": desk_place(desk),
            "channel": dossier.get_channel_display(),
            "fee": money(dossier.fee_amount) if dossier.fee_amount else "Không thu phí, lệ phí",
            "logbook_year": year,
            "logbook_entry": entry,
            "tracking_url": url,
            "tracking_secret": dossier.tracking_secret,
            "qr": qr_svg_data_uri(url, border=2),
            "handling_unit": dossier.handling_unit.name,
            "sign_left": {
                "title": "Người nộp hồ sơ",
                "name": dossier.proxy_name or dossier.applicant_name,
            },
            "sign_right": {
                "title": "Người tiếp nhận hồ sơ",
                "name": person_name(dossier.received_by),
            },
        }
    )
    return "dossiers/forms/receipt.html", context


def _supplement(dossier: Dossier, actions: list[DossierAction]) -> tuple[str, dict]:
    action = _latest(actions, "request_supplement")
    if action is None:
        raise InvalidState(
            "Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nào nên chưa thể in phiếu yêu cầu bổ sung."
        )
    unit = action.unit or dossier.handling_unit
    count = action.data.get("count") or 1
    context = _base_context(dossier, unit=unit, at=action.at, number=f"{dossier.code}/BS{count}")
    officer = action.actor_name or person_name(action.actor)
    contact = officer + (f", {unit.name}" if unit else "")
    if action.actor is not None and action.actor.phone:
        contact += f", điện thoại {action.actor.phone}"
    context.update(
        {
            "title": FORM_TITLES["supplement"],
            "items": list(action.data.get("items") or []),
            "reason": action.note,
            "contact": contact,
            "sign_right": _signer(action, "Cán bộ xử lý hồ sơ"),
            "after_receipt": True,
            "requested_at": hm_date(action.at),
        }
    )
    return "dossiers/forms/supplement.html", context


def _refusal(dossier: Dossier, actions: list[DossierAction]) -> tuple[str, dict]:
    if dossier.status != Status.REFUSED:
        raise InvalidState(
            "Hồ sơ chưa bị từ chối giải quyết nên chưa thể in phiếu từ chối giải quyết hồ sơ."
        )
    action = _latest(actions, "refuse")
    at = action.at if action else dossier.finished_at or dossier.received_at
    unit = (action.unit if action else None) or dossier.handling_unit
    context = _base_context(dossier, unit=unit, at=at, number=f"{dossier.code}/TC")
    context.update(
        {
            "title": FORM_TITLES["refusal"],
            "intake": False,
            "issuer": unit.name,
            "reasons": [line for line in dossier.stop_reason.splitlines() if line.strip()],
            "sign_right": _head_signer(action),
        }
    )
    return "dossiers/forms/refusal.html", context


def _apology(dossier: Dossier, actions: list[DossierAction]) -> tuple[str, dict]:
    action = _latest(actions, "apologise")
    if action is None:
        raise InvalidState(
            "Hồ sơ chưa có xin lỗi, hẹn lại ngày trả kết quả nên chưa thể in phiếu xin lỗi."
        )
    unit = action.unit or dossier.handling_unit
    old_due = parse_iso(action.data.get("old_due")) or dossier.original_due_at
    new_due = parse_iso(action.data.get("new_due")) or dossier.extended_due_at
    context = _base_context(dossier, unit=unit, at=action.at, number=f"{dossier.code}/XL")
    context.update(
        {
            "title": FORM_TITLES["apology"],
            "received_date": vn_date(dossier.received_at),
            "old_due": hm_date(old_due),
            "new_due": hm_date(new_due),
            "reason": action.note,
            "sign_right": _head_signer(action),
        }
    )
    return "dossiers/forms/apology.html", context


def _stop(dossier: Dossier, actions: list[DossierAction]) -> tuple[str, dict]:
    action = _latest(actions, "stop")
    if dossier.status != Status.STOPPED or action is None:
        raise InvalidState(
            "Hồ sơ chưa dừng giải quyết nên chưa thể in thông báo dừng giải quyết hồ sơ."
        )
    unit = dossier.receiving_unit
    context = _base_context(
        dossier,
        unit=unit,
        at=action.at,
        number=f"{dossier.code}/DG",
        header=unit_header(unit, desk_label(dossier.desk)),
    )
    context.update(
        {
            "title": FORM_TITLES["stop"],
            "desk_name": dossier.desk.name,
            "by_applicant": bool(action.data.get("by_applicant", True)),
            "reason": action.note or dossier.stop_reason,
            "stopped_at": hm_date(action.at),
            "sign_right": _signer(action, "Người tiếp nhận hồ sơ"),
        }
    )
    return "dossiers/forms/stop.html", context


EARLY, ON_TIME, LATE = "Trước hạn", "Đúng hạn", "Quá hạn"


def step_result(action: DossierAction, due: datetime | None) -> str:
    """Early / on time / late against the legal due in force when the step was taken (never
    the apology's new date, which is an appointment with the applicant).

    As in the service statistics: on time means on the due date itself (by the due time), early
    means an earlier day. A step the services already flagged late (paper transfer after its
    deadline, a supplement request after 3 working days, an apology less than a working day
    before the due) is late whatever the overall due.
    """
    if action.data.get("late") is True:
        return LATE
    if due is None:
        return ""
    if action.at > due:
        return LATE
    if local(action.at).date() == local(due).date():
        return ON_TIME
    return EARLY


def _step_note(action: DossierAction, users: dict[str, str]) -> str:
    data = action.data or {}
    parts = []
    if action.action == "receive":
        if data.get("channel") in Channel.values:
            parts.append(f"Nộp {Channel(data['channel']).label.lower()}")
    elif action.action == "transfer":
        parts.append(f"Chuyển {TRANSFER_MODES.get(data.get('mode'), '').lower()}".strip())
    elif action.action == "assign" and data.get("handler"):
        parts.append(f"Cán bộ xử lý: {users.get(data['handler'], data['handler'])}")
    elif action.action == "request_supplement":
        parts.append("Cần bổ sung: " + "; ".join(data.get("items") or []))
    elif action.action == "receive_supplement" and data.get("new_due"):
        parts.append(f"Hạn mới: {hm_date(parse_iso(data['new_due']))}")
    elif action.action == "apologise":
        parts.append(f"Hẹn lại: {hm_date(parse_iso(data.get('new_due')))}")
    elif action.action == "return":
        parts.append(str(RETURN_METHODS.get(data.get("method"), "")))
        if data.get("recipient_name"):
            who = recipient_line(
                data.get("recipient"), data["recipient_name"], data.get("recipient_id_number")
            )
            parts.append(f"Người nhận kết quả: {who}")
    elif action.action == "record_payment" and data.get("exempt"):
        parts.append(f"Miễn phí, lệ phí: {data.get('reason', '')}")
    elif action.action == "record_payment":
        channel = str(PAYMENT_CHANNELS.get(data.get("channel"), ""))
        parts.append(f"{money(data.get('amount'))} ({channel.lower()})")
    elif action.action == "stop" and data.get("by_applicant"):
        parts.append("Theo đề nghị của người nộp")
    if action.note:
        parts.append(f"Kết quả: {action.note}" if action.action == "approve" else action.note)
    # Sentences: a note typed in lower case still starts with a capital after the full stop.
    return ". ".join(capfirst(p) for p in parts if p)


def _control(dossier: Dossier, actions: list[DossierAction]) -> tuple[str, dict]:
    from motcua.org.models import User

    usernames = {a.data.get("handler") for a in actions if a.action == "assign"} - {None}
    users = {u.username: person_name(u) for u in User.objects.filter(username__in=usernames)}
    rows = [
        {
            "seq": a.seq,
            "step": action_label(a.action),
            "unit": a.unit.name if a.unit else "",
            "actor": a.actor_name,
            "at": hm_date(a.at),
            "due": hm_date(due),
            "result": step_result(a, due),
            "note": _step_note(a, users),
            # The result's hand-over is signed by the officer and by whoever took it.
            "giver": a.actor_name if a.action == "return" else "",
            "receiver": a.data.get("recipient_name", "") if a.action == "return" else "",
        }
        for a, due in zip(actions, legal_dues(actions), strict=True)
    ]
    known = {dossier.receiving_unit_id, dossier.handling_unit_id}
    coordinating = []
    for a in actions:
        if a.unit is not None and a.unit_id not in known:
            known.add(a.unit_id)
            coordinating.append(a.unit.name)
    receive = _latest(actions, "receive")
    context = _base_context(
        dossier,
        unit=dossier.handling_unit,
        at=dossier.received_at,
        number=dossier.code,
    )
    context.update(
        {
            "title": FORM_TITLES["control"],
            "handling_unit": dossier.handling_unit.name,
            "receiving_unit": f"{dossier.desk.name}",
            "coordinating": coordinating,
            "due": hm_date((receive.due_at if receive else None) or dossier.original_due_at),
            "current_due": hm_date(dossier.due_at),
            "appointment": hm_date(dossier.extended_due_at),
            "outcome": {True: "Đúng hạn", False: "Quá hạn"}.get(dossier.finished_on_time, ""),
            "rows": rows,
            "status": dossier.get_status_display(),
        }
    )
    return "dossiers/forms/control.html", context


_BUILDERS = {
    "receipt": _receipt,
    "supplement": _supplement,
    "refusal": _refusal,
    "apology": _apology,
    "stop": _stop,
    "control": _control,
}


def form_context(name: str, dossier: Dossier) -> tuple[str, dict]:
    """The template and context of one form (KeyError / InvalidState as render_dossier_form)."""
    if name not in DOSSIER_FORMS:
        raise KeyError(name)
    return _BUILDERS[name](dossier, _actions(dossier))


@in_vietnamese
def render_dossier_form(name: str, dossier: Dossier) -> bytes:
    """The named form of `dossier` as PDF bytes."""
    template, context = form_context(name, dossier)
    return render_pdf(template, context)


def available_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """(name, title) of the forms that apply to the dossier now: the print buttons of a screen."""
    done = set(dossier.actions.values_list("action", flat=True))
    applies = {
        "receipt": True,
        "supplement": "request_supplement" in done,
        "refusal": dossier.status == Status.REFUSED,
        "apology": "apologise" in done,
        "stop": dossier.status == Status.STOPPED and "stop" in done,
        "control": True,
    }
    return [(name, FORM_TITLES[name]) for name in DOSSIER_FORMS if applies[name]]


# ---------------------------------------------------------------- intake slips


def intake_slip_context(slip: IntakeSlip) -> tuple[str, dict]:
    desk = slip.desk
    version = slip.procedure_version
    officer = person_name(slip.officer)
    context = {
        "header": unit_header(desk.unit, desk_label(desk)),
        "number": slip.number,
        "place_date": place_and_date(desk.unit, slip.at),
        "applicant": _slip_applicant(slip),
        "procedure_name": version.name,
        "request": version.name,
        "desk_name": desk.name,
        "unit_name": desk.unit.name,
        "items": list(slip.items or []),
        # The officer's note to the citizen, not a reason: the form's standard reason stays.
        "note": slip.note,
        "at": hm_date(slip.at),
        "sign_right": {"title": "Người tiếp nhận hồ sơ", "name": officer},
        "after_receipt": False,
    }
    if slip.outcome == IntakeOutcome.INCOMPLETE:
        contact = officer + f", {desk.name}"
        if desk.phone:
            contact += f", điện thoại {desk.phone}"
        elif slip.officer.phone:
            contact += f", điện thoại {slip.officer.phone}"
        context.update(
            {
                "title": FORM_TITLES["supplement"],
                "contact": contact,
                "sign_right": {"title": "Người hướng dẫn", "name": officer},
            }
        )
        return "dossiers/forms/supplement.html", context
    context.update(
        {
            "title": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            "intake": True,
            "issuer": desk.name,
            "reasons": context["items"],
            "sign_left": {
                "title": "Người nộp hồ sơ",
                "name": context["applicant"]["proxy_name"] or context["applicant"]["name"],
            },
        }
    )
    return "dossiers/forms/refusal.html", context


@in_vietnamese
def render_intake_slip(slip: IntakeSlip) -> bytes:
    """The request to complete the dossier, or the refusal at intake, of an intake visit."""
    template, context = intake_slip_context(slip)
    return render_pdf(template, context)

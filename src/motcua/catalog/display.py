"""How catalogue values read: money in đồng with "." thousands, dates dd/mm/yyyy, durations,
and each component of a version as lines of text (for "what changed")."""

from datetime import date

from django.utils.translation import gettext as _

from motcua.catalog.content import COMPONENTS
from motcua.catalog.models import Audience, Channel, OnlineLevel, ProcedureVersion, TimeUnit


def money(amount) -> str:
    """20000 -> "20.000 đồng" in every language: amounts are in đồng, and an English reader of
    a Vietnamese fee schedule still pays in đồng ("20.000 VND" was a translation, not a fact)."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def vn_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def duration(value, unit) -> str:
    if value is None:
        return ""
    return f"{value} {TimeUnit(unit).label}" if unit in TimeUnit.values else str(value)


def fee_lines(version: ProcedureVersion) -> list[str]:
    """One line per fee item; ["Không thu phí"] when nothing is charged."""
    lines = []
    for fee in version.fees:
        desk, online = fee.get("desk") or 0, fee.get("online")
        if online is not None and online != desk:
            amounts = _("%(desk)s (trực tiếp), %(online)s (trực tuyến)") % {
                "desk": money(desk) if desk else _("miễn phí"),
                "online": money(online) if online else _("miễn phí"),
            }
        else:
            amounts = money(desk) if desk else _("miễn phí")
        line = f"{fee['name']}: {amounts}"
        if fee.get("exemption"):
            line += " — " + _("miễn, giảm: %(text)s") % {"text": fee["exemption"]}
        lines.append(line)
    if not lines:
        lines = [_("Không thu phí, lệ phí.")]
    if version.fee_note:
        lines.append(version.fee_note)
    return lines


def fee_summary(version: ProcedureVersion) -> str:
    """A one-line summary for posters and lists."""
    if version.is_free:
        return _("Không thu phí, lệ phí")
    parts = []
    for fee in version.fees:
        desk, online = fee.get("desk") or 0, fee.get("online")
        if online is not None and online != desk:
            parts.append(
                _("%(desk)s tại quầy, %(online)s trực tuyến")
                % {"desk": money(desk), "online": money(online) if online else _("miễn phí")}
            )
        elif desk:
            parts.append(money(desk))
    return "; ".join(parts)


def _component_lines(version: ProcedureVersion, key: str) -> list[str]:
    v = version
    if key == "name":
        return [v.name]
    if key == "domain":
        return [v.domain.name]
    if key == "audience":
        return [str(Audience(v.audience).label)]
    if key == "agency":
        units = [u.name for u in v.handling_units.all()]
        return [v.agency, *units] if v.agency else units
    if key == "applicants":
        return v.applicants.splitlines()
    if key == "steps":
        return [f"{i}. {step}" for i, step in enumerate(v.steps, start=1)]
    if key == "channels":
        return [str(Channel(c).label) for c in v.channels] + [
            _("Mức độ trực tuyến: %(level)s") % {"level": OnlineLevel(v.online_level).label}
        ]
    if key == "documents":
        lines = [_("Số lượng: %(n)s bộ") % {"n": v.sets}]
        for doc in v.documents:
            flag = _("bắt buộc") if doc["mandatory"] else _("không bắt buộc")
            line = _("%(name)s — %(copies)s bản, %(flag)s") % {
                "name": doc["name"],
                "copies": doc["copies"],
                "flag": flag,
            }
            if doc.get("note"):
                line += f" ({doc['note']})"
            lines.append(line)
        return lines
    if key == "time":
        return [duration(v.time_value, v.time_unit)] + ([v.time_note] if v.time_note else [])
    if key == "fees":
        return fee_lines(v)
    if key == "result":
        return v.result.splitlines()
    if key == "conditions":
        return v.conditions.splitlines()
    if key == "forms":
        return [f"{f.name} ({f.filename})" for f in v.forms.all()]
    if key == "legal_basis":
        return [
            " ".join(
                part
                for part in (
                    item["number"],
                    item["title"],
                    _("(hiệu lực từ %(d)s)") % {"d": vn_date(item["effective"])}
                    if item.get("effective")
                    else "",
                )
                if part
            )
            for item in v.legal_basis
        ]
    raise KeyError(key)


def compare(left: ProcedureVersion, right: ProcedureVersion) -> list[dict]:
    """Side-by-side rows, one per component, with `changed` set where the two differ."""
    rows = []
    for key, label, _keys in COMPONENTS:
        a, b = _component_lines(left, key), _component_lines(right, key)
        rows.append({"key": key, "label": label, "left": a, "right": b, "changed": a != b})
    return rows

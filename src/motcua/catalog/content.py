"""A procedure version's content as one plain dict, validated in one place.

Forms in the staff UI, spreadsheet rows and the demo all build a content dict and hand it to the
services; `normalize_content` checks it and returns the canonical form (trimmed text, sorted codes,
integer money). Two versions have the same content exactly when their canonical dicts are equal,
which is what makes re-importing an unchanged spreadsheet a no-op, and what "what changed" lists.
"""

import hashlib
import json
import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import (
    Audience,
    Channel,
    Domain,
    FormTemplate,
    OnlineLevel,
    ProcedureVersion,
    TimeUnit,
)
from motcua.org.models import Unit

KEYS = [
    "name",
    "domain",
    "audience",
    "agency",
    "handling_units",
    "applicants",
    "steps",
    "channels",
    "online_level",
    "sets",
    "documents",
    "time_value",
    "time_unit",
    "time_note",
    "fees",
    "fee_note",
    "result",
    "conditions",
    "forms",
    "legal_basis",
]

# Components as a citizen reads them, each made of one or more content keys.
COMPONENTS = [
    ("name", gettext_lazy("Tên thủ tục"), ["name"]),
    ("domain", gettext_lazy("Lĩnh vực"), ["domain"]),
    ("audience", gettext_lazy("Phạm vi"), ["audience"]),
    ("agency", gettext_lazy("Cơ quan thực hiện"), ["agency", "handling_units"]),
    ("applicants", gettext_lazy("Đối tượng thực hiện"), ["applicants"]),
    ("steps", gettext_lazy("Trình tự thực hiện"), ["steps"]),
    ("channels", gettext_lazy("Cách thức thực hiện"), ["channels", "online_level"]),
    ("documents", gettext_lazy("Thành phần, số lượng hồ sơ"), ["sets", "documents"]),
    ("time", gettext_lazy("Thời hạn giải quyết"), ["time_value", "time_unit", "time_note"]),
    ("fees", gettext_lazy("Phí, lệ phí"), ["fees", "fee_note"]),
    ("result", gettext_lazy("Kết quả thực hiện"), ["result"]),
    ("conditions", gettext_lazy("Yêu cầu, điều kiện"), ["conditions"]),
    ("forms", gettext_lazy("Mẫu đơn, tờ khai"), ["forms"]),
    ("legal_basis", gettext_lazy("Căn cứ pháp lý"), ["legal_basis"]),
]

MAX_TEXT = 20000
SEPARATOR = "|"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")


class ContentError(Exception):
    """Invalid content: `errors` maps a content key to a list of messages in Vietnamese."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _clean(value) -> str:
    # Control characters cannot be stored in a spreadsheet cell (nor shown): drop them.
    return _CONTROL.sub("", str(value if value is not None else ""))


def _line(value) -> str:
    return " ".join(_clean(value).split())


def _text(value) -> str:
    # Keeps line breaks (paragraphs of conditions), trims trailing spaces on each line.
    lines = [line.rstrip() for line in _clean(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _limited(value, errors, key, label, limit=500) -> str:
    text = _line(value)
    if len(text) > limit:
        errors.setdefault(key, []).append(
            _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": limit}
        )
    return text


def _long(value, errors, key) -> str:
    text = _text(value)
    if len(text) > MAX_TEXT:
        errors.setdefault(key, []).append(_("Dài quá %(n)s ký tự.") % {"n": MAX_TEXT})
    return text


def _item(value, errors, key, label) -> str:
    """A field of a list item (document, fee, legal text): one line, and no "|", which separates
    the fields of an item in a spreadsheet cell."""
    text = _line(value)
    if SEPARATOR in text:
        errors.setdefault(key, []).append(
            _("%(label)s: không dùng ký tự “|”.") % {"label": label or text}
        )
    return text


def _int(value, errors, key, label, *, minimum=0, maximum=10**12, optional=False):
    """An integer from a form, a spreadsheet cell or JSON; "20.000" (Vietnamese thousands
    separator) reads as 20000."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        errors.setdefault(key, []).append(_("%(label)s: chưa nhập.") % {"label": label})
        return None
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip().replace(" ", "")
        if _DIGITS.fullmatch(text):
            number = int(text)
        elif _GROUPED.fullmatch(text):
            number = int(text.replace(".", ""))
    if number is None:
        errors.setdefault(key, []).append(
            _("%(label)s: phải là số nguyên, ví dụ 20000.") % {"label": label}
        )
        return None
    if not minimum <= number <= maximum:
        errors.setdefault(key, []).append(
            _("%(label)s: phải từ %(min)s đến %(max)s.")
            % {"label": label, "min": minimum, "max": maximum}
        )
        return None
    return number


def _iso_date(value, errors, key, label) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    for parse in (_parse_vn_date, date.fromisoformat):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    errors.setdefault(key, []).append(
        _("%(label)s: ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.") % {"label": label}
    )
    return ""


def _parse_vn_date(text: str) -> date:
    day, month, year = text.split("/")
    if len(year) != 4:
        raise ValueError(text)
    return date(int(year), int(month), int(day))


def normalize_content(raw: dict, *, procedure=None) -> dict:
    """Validate `raw` (any of KEYS; missing keys count as empty) and return the canonical dict.

    Raises ContentError listing every problem, not only the first.
    """
    errors: dict[str, list[str]] = {}

    def err(key, message):
        errors.setdefault(key, []).append(message)

    c: dict = {}
    c["name"] = _line(raw.get("name"))
    if not c["name"]:
        err("name", _("Chưa nhập tên thủ tục."))
    elif len(c["name"]) > 500:
        err("name", _("Tên thủ tục dài quá 500 ký tự."))

    c["domain"] = _line(raw.get("domain"))
    if not c["domain"]:
        err("domain", _("Chưa chọn lĩnh vực."))
    elif not Domain.objects.filter(code=c["domain"]).exists():
        err("domain", _("Không có lĩnh vực mã “%(code)s”.") % {"code": c["domain"]})

    c["audience"] = _line(raw.get("audience")) or Audience.PUBLIC
    if c["audience"] not in Audience.values:
        err("audience", _("Phạm vi không hợp lệ."))

    c["agency"] = _limited(raw.get("agency"), errors, "agency", _("Cơ quan thực hiện"))
    codes = raw.get("handling_units") or []
    if isinstance(codes, str):
        codes = codes.replace(",", "\n").replace(";", "\n").split("\n")
    codes = sorted({_line(code).upper() for code in codes if _line(code)})
    known = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        err("handling_units", _("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(unknown)})
    if not codes:
        err("handling_units", _("Cần ít nhất một đơn vị thực hiện."))
    c["handling_units"] = codes

    c["applicants"] = _long(raw.get("applicants"), errors, "applicants")

    steps = raw.get("steps") or []
    if isinstance(steps, str):
        steps = steps.split("\n")
    c["steps"] = [_line(step) for step in steps if _line(step)]
    if not c["steps"]:
        err("steps", _("Cần ít nhất một bước thực hiện."))

    channels = raw.get("channels") or []
    if isinstance(channels, str):
        channels = channels.replace(";", ",").split(",")
    channels = {_line(ch) for ch in channels if _line(ch)}
    bad = channels - set(Channel.values)
    if bad:
        err("channels", _("Cách thức không hợp lệ: %(v)s.") % {"v": ", ".join(sorted(bad))})
    c["channels"] = [ch for ch in Channel.values if ch in channels]
    if not c["channels"]:
        err("channels", _("Cần ít nhất một cách thức thực hiện."))

    c["online_level"] = _line(raw.get("online_level"))
    if c["online_level"] not in OnlineLevel.values:
        err("online_level", _("Chưa chọn mức độ dịch vụ công trực tuyến."))
    elif c["online_level"] != OnlineLevel.NONE and Channel.ONLINE not in c["channels"]:
        err(
            "online_level",
            _("Thủ tục có dịch vụ công trực tuyến thì cách thức phải có “Trực tuyến”."),
        )
    elif c["online_level"] == OnlineLevel.NONE and Channel.ONLINE in c["channels"]:
        err(
            "online_level",
            _("Cách thức có “Trực tuyến” thì mức độ không thể là “Không trực tuyến”."),
        )

    c["sets"] = _int(raw.get("sets", 1), errors, "sets", _("Số bộ hồ sơ"), minimum=1, maximum=20)

    documents = []
    for i, doc in enumerate(raw.get("documents") or [], start=1):
        name = _item(doc.get("name"), errors, "documents", "")
        if not name:
            err("documents", _("Giấy tờ thứ %(n)s: chưa nhập tên.") % {"n": i})
            continue
        label = _("Số bản của “%(name)s”") % {"name": name}
        copies = _int(doc.get("copies", 1), errors, "documents", label, maximum=20)
        mandatory = doc.get("mandatory", True)
        if not isinstance(mandatory, bool):
            err("documents", _("“%(name)s”: bắt buộc phải là có hoặc không.") % {"name": name})
        documents.append(
            {
                "name": name,
                "copies": copies,
                "mandatory": bool(mandatory),
                "note": _item(doc.get("note"), errors, "documents", name),
            }
        )
    c["documents"] = documents

    c["time_value"] = _int(
        raw.get("time_value"),
        errors,
        "time_value",
        _("Thời hạn giải quyết"),
        minimum=1,
        maximum=100000,
    )
    c["time_unit"] = _line(raw.get("time_unit"))
    if c["time_unit"] not in TimeUnit.values:
        err("time_unit", _("Đơn vị thời hạn phải là phút, giờ làm việc hoặc ngày làm việc."))
    c["time_note"] = _limited(raw.get("time_note"), errors, "time_note", _("Ghi chú thời hạn"))

    fees = []
    for i, fee in enumerate(raw.get("fees") or [], start=1):
        name = _item(fee.get("name"), errors, "fees", "")
        if not name:
            err("fees", _("Khoản phí thứ %(n)s: chưa nhập tên.") % {"n": i})
            continue
        desk = _int(
            fee.get("desk"),
            errors,
            "fees",
            _("Mức thu tại quầy của “%(name)s”") % {"name": name},
            maximum=10**10,
        )
        online = _int(
            fee.get("online"),
            errors,
            "fees",
            _("Mức thu trực tuyến của “%(name)s”") % {"name": name},
            maximum=10**10,
            optional=True,
        )
        fees.append(
            {
                "name": name,
                "desk": desk,
                "online": online,
                "exemption": _item(fee.get("exemption"), errors, "fees", name),
            }
        )
    c["fees"] = fees
    c["fee_note"] = _limited(raw.get("fee_note"), errors, "fee_note", _("Ghi chú phí, lệ phí"))

    c["result"] = _long(raw.get("result"), errors, "result")
    c["conditions"] = _long(raw.get("conditions"), errors, "conditions")

    form_ids = sorted({int(pk) for pk in raw.get("forms") or []})
    if form_ids:
        owned = FormTemplate.objects.filter(pk__in=form_ids)
        if procedure is not None and procedure.pk:
            owned = owned.filter(procedure=procedure)
        found = set(owned.values_list("pk", flat=True))
        if found != set(form_ids):
            err("forms", _("Mẫu đơn không thuộc thủ tục này."))
    c["forms"] = form_ids

    legal = []
    for i, item in enumerate(raw.get("legal_basis") or [], start=1):
        number = _item(item.get("number"), errors, "legal_basis", "")
        title = _item(item.get("title"), errors, "legal_basis", number)
        if not number and not title:
            continue
        if not number:
            err("legal_basis", _("Văn bản thứ %(n)s: chưa nhập số, ký hiệu.") % {"n": i})
        legal.append(
            {
                "number": number,
                "title": title,
                "effective": _iso_date(
                    item.get("effective"),
                    errors,
                    "legal_basis",
                    _("Ngày hiệu lực của “%(n)s”") % {"n": number or i},
                ),
            }
        )
    c["legal_basis"] = legal

    if errors:
        raise ContentError(errors)
    return c


def content_of(version: ProcedureVersion) -> dict:
    """The canonical content of a stored version (what normalize_content would return)."""
    return {
        "name": version.name,
        "domain": version.domain.code,
        "audience": version.audience,
        "agency": version.agency,
        "handling_units": sorted(u.code for u in version.handling_units.all()),
        "applicants": version.applicants,
        "steps": list(version.steps),
        "channels": list(version.channels),
        "online_level": version.online_level,
        "sets": version.sets,
        "documents": [dict(d) for d in version.documents],
        "time_value": version.time_value,
        "time_unit": version.time_unit,
        "time_note": version.time_note,
        "fees": [dict(f) for f in version.fees],
        "fee_note": version.fee_note,
        "result": version.result,
        "conditions": version.conditions,
        "forms": sorted(f.pk for f in version.forms.all()),
        "legal_basis": [dict(item) for item in version.legal_basis],
    }


def content_hash(content: dict) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def apply_content(version: ProcedureVersion, content: dict) -> None:
    """Write canonical `content` into `version` and save it (with its many-to-many links)."""
    for key in KEYS:
        if key in ("domain", "handling_units", "forms"):
            continue
        setattr(version, key, content[key])
    version.domain = Domain.objects.get(code=content["domain"])
    version.content_hash = content_hash(content)
    version.save()
    version.handling_units.set(Unit.objects.filter(code__in=content["handling_units"]))
    version.forms.set(FormTemplate.objects.filter(pk__in=content["forms"]))


def changed_components(before: dict | None, after: dict) -> list[str]:
    """The component keys (see COMPONENTS) whose content differs."""
    if before is None:
        return [key for key, _label, _keys in COMPONENTS]
    return [
        key for key, _label, keys in COMPONENTS if any(before.get(k) != after.get(k) for k in keys)
    ]

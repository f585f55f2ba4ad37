"""Forms of the staff screens. They only parse what the officer typed; the rules (complete
checklist, valid ID number, allowed state...) live in the services, whose errors the views put
back next to the fields named here. Field names are the services' own keys for that reason."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApplicantKind, Recipient
from motcua.dossiers.services import (
    APPLICANT_FIELDS,
    PAYMENT_CHANNELS,
    RETURN_METHODS,
    TRANSFER_MODES,
)
from motcua.org.models import Desk, Unit, User
from motcua.org.roles import Role
from motcua.params import check_year

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


def lines(text: str) -> list[str]:
    """One item per non-empty line, bullets and numbering stripped."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-•*").strip()
        if line:
            items.append(line)
    return items


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several scans at once. Type and size are checked by the services (by content)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        return [item for item in items if item]


class AnyChoices(forms.MultipleChoiceField):
    """Ticked documents: the service matches them against the procedure's own list."""

    def valid_value(self, value):
        return True


class Form(forms.Form):
    """Leaves "required" to the services (one set of messages) and shows their errors."""

    use_required_attribute = False

    def add_service_error(self, error, *, aliases: dict[str, str] | None = None) -> None:
        """Put a DossierError's per-field messages next to the fields; the rest on top."""
        aliases = aliases or {}
        placed = False
        for key, message in error.fields.items():
            name = aliases.get(key, key)
            if name in self.fields:
                self.add_error(name, message)
                placed = True
        if not placed or error.message not in error.fields.values():
            self.add_error(None, error.message)


def _text(label, *, rows=None, max_length=2000, **attrs):
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs)
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


# ---------------------------------------------------------------- intake


class IntakeForm(Form):
    desk = forms.ModelChoiceField(
        label=_("Bộ phận tiếp nhận"),
        queryset=Desk.objects.none(),
        empty_label=_("— Chọn bộ phận —"),
        error_messages={"required": _("Vui lòng chọn bộ phận tiếp nhận.")},
    )
    q = _text(_("Tìm thủ tục (gõ có dấu hoặc không dấu)"), max_length=200)
    procedure = forms.CharField(required=False, max_length=40)
    handling_unit = forms.CharField(required=False, max_length=40)
    checklist = AnyChoices(required=False, choices=())

    kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
        required=False,
    )
    name = _text(_("Họ và tên người nộp / tên tổ chức"), max_length=255, autocomplete="off")
    id_number = _text(
        _("Số định danh cá nhân (12 chữ số)"),
        max_length=20,
        inputmode="numeric",
        autocomplete="off",
        maxlength="12",
    )
    org_code = _text(_("Mã số tổ chức"), max_length=20, autocomplete="off")
    address = _text(_("Địa chỉ"), max_length=500)
    phone = _text(_("Điện thoại"), max_length=20, inputmode="tel", autocomplete="off")
    email = _text(_("Thư điện tử"), max_length=254, inputmode="email", autocomplete="off")
    proxy_name = _text(_("Người được ủy quyền (nếu có)"), max_length=255)
    proxy_id_number = _text(
        _("Số định danh người được ủy quyền"), max_length=20, inputmode="numeric", maxlength="12"
    )
    proxy_authorisation = _text(_("Giấy ủy quyền (số, ngày)"), max_length=255)
    request_summary = _text(_("Nội dung yêu cầu"), rows=2)
    files = MultipleFileField(label=_("Bản quét hồ sơ (PDF, JPEG, PNG; chọn được nhiều tệp)"))

    missing_other = _text(_("Giấy tờ, nội dung cần bổ sung khác (mỗi dòng một mục)"), rows=2)
    reasons = _text(_("Lý do từ chối tiếp nhận (mỗi dòng một lý do)"), rows=2)
    note = _text(_("Ghi chú cho công dân"), rows=2)

    APPLICANT = APPLICANT_FIELDS

    def __init__(self, *args, desks, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks
        self.fields["checklist"].choices = [(d["name"], d["name"]) for d in documents]

    def applicant(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in self.APPLICANT}


# ---------------------------------------------------------------- actions on a dossier


class ActionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, dossier=None, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def params(self) -> dict:
        """The keyword arguments of the service (without actor, dossier, version)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class TransferForm(ActionForm):
    mode = forms.ChoiceField(
        label=_("Hình thức chuyển"),
        choices=list(TRANSFER_MODES.items()),
        initial="electronic",
        widget=forms.RadioSelect,
    )
    note = _text(_("Ghi chú"), rows=2)


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(
        label=_("Cán bộ xử lý"),
        queryset=User.objects.none(),
        empty_label=_("— Chọn cán bộ —"),
        error_messages={
            "required": _("Vui lòng chọn cán bộ xử lý."),
            "invalid_choice": _("Cán bộ không hợp lệ."),
        },
    )
    note = _text(_("Ý kiến chỉ đạo"), rows=2)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None:
            self.fields["handler"].queryset = handlers_of(dossier.handling_unit)
            self.fields["handler"].label_from_instance = lambda u: (
                f"{u.get_full_name()} — {u.position or u.get_role_display()}"
            )
            if dossier.handler_id:
                self.fields["handler"].initial = dossier.handler_id


def handlers_of(unit):
    """Who may be assigned a dossier of `unit`: its active handlers and leaders."""
    return (
        User.objects.filter(
            is_active=True,
            unit__path__startswith=unit.path,
            role__in=[Role.HANDLER, Role.LEADER],
        )
        .select_related("unit")
        .order_by("role", "last_name", "first_name")
    )


class ProcessForm(ActionForm):
    note = _text(_("Nội dung xử lý, thẩm định"), rows=3)
    files = MultipleFileField(label=_("Tài liệu kèm theo (PDF, JPEG, PNG)"))


class RequestSupplementForm(ActionForm):
    items = _text(_("Giấy tờ cần bổ sung (mỗi dòng một mục)"), rows=3)
    # Printed as the reason ("Lý do:") on the request to complete: the label says so.
    note = _text(_("Lý do, hướng dẫn cho công dân"), rows=2)

    def params(self):
        data = super().params()
        data["items"] = lines(data["items"])
        return data


class ReceiveSupplementForm(ActionForm):
    files = MultipleFileField(label=_("Bản quét giấy tờ bổ sung (PDF, JPEG, PNG)"))
    note = _text(_("Ghi chú"), rows=2)


class SubmitForm(ActionForm):
    result = _text(_("Dự thảo kết quả giải quyết"), rows=3)
    files = MultipleFileField(label=_("Tệp dự thảo kết quả (PDF, JPEG, PNG)"))
    note = _text(_("Ý kiến đề xuất"), rows=2)


class SendBackForm(ActionForm):
    reason = _text(_("Lý do trả lại, nội dung cần xử lý tiếp"), rows=3)


class ApproveForm(ActionForm):
    result = _text(_("Kết quả giải quyết"), rows=3)
    files = MultipleFileField(label=_("Tệp kết quả (PDF, JPEG, PNG)"))
    e_result = forms.BooleanField(label=_("Có kết quả điện tử"), required=False)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None:
            # The leader approves the handler's draft, or rewrites it here.
            self.fields["result"].initial = dossier.result_summary


class RefuseForm(ActionForm):
    reasons = _text(_("Lý do từ chối giải quyết"), rows=3)


class ApologiseForm(ActionForm):
    """Two steps: the leader types the date, sees it read back as the letter will print it,
    then confirms. The confirmed instant travels in `confirmed_due` and is checked again."""

    new_due = forms.CharField(
        label=_("Hẹn trả mới (dd/mm/yyyy HH:MM; chỉ ghi ngày: hết giờ làm việc ngày đó)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "30/11/2026 16:00", "inputmode": "numeric"}),
    )
    reason = _text(_("Lý do chậm trễ"), rows=3)
    confirmed_due = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, dossier=None, confirming=False, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if confirming:
            for name in ("new_due", "reason"):
                self.fields[name].widget = forms.HiddenInput()

    def params(self):
        data = super().params()
        confirmed = data.pop("confirmed_due", "")
        data["new_due"] = confirmed or data["new_due"]
        return data


class ReturnForm(ActionForm):
    method = forms.ChoiceField(
        label=_("Hình thức trả kết quả"),
        choices=list(RETURN_METHODS.items()),
        initial="desk",
        widget=forms.RadioSelect,
    )
    recipient = forms.ChoiceField(
        label=_("Người nhận kết quả"),
        choices=Recipient.choices,
        initial=Recipient.APPLICANT,
        widget=forms.RadioSelect,
    )
    recipient_name = _text(_("Họ tên người được ủy quyền nhận"), max_length=255)
    recipient_id_number = _text(
        _("Số định danh người được ủy quyền nhận"),
        max_length=20,
        inputmode="numeric",
        maxlength="12",
        autocomplete="off",
    )
    note = _text(_("Ghi chú"), rows=2)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None and dossier.proxy_name:
            # The proxy named at intake usually collects the result too.
            self.fields["recipient"].initial = Recipient.PROXY
            self.fields["recipient_name"].initial = dossier.proxy_name
            self.fields["recipient_id_number"].initial = dossier.proxy_id_number


class StopForm(ActionForm):
    reason = _text(_("Lý do dừng giải quyết"), rows=3)
    by_applicant = forms.BooleanField(
        label=_("Theo đề nghị rút hồ sơ của công dân"), required=False, initial=True
    )


class PaymentForm(ActionForm):
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Số tiền phải là số nguyên (đồng).")},
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=list(PAYMENT_CHANNELS.items()),
        initial="cash",
        required=False,
        widget=forms.RadioSelect,
    )
    exempt = forms.BooleanField(label=_("Người nộp được miễn phí, lệ phí"), required=False)
    exempt_reason = _text(_("Lý do miễn (đối tượng, căn cứ)"), max_length=500)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None:
            self.fields["amount"].initial = dossier.fee_outstanding

    def params(self):
        data = super().params()
        if data.get("amount") is None and not data.get("exempt"):
            data["amount"] = -1  # the service says what is wrong
        return data


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "transfer": TransferForm,
    "assign": AssignForm,
    "process": ProcessForm,
    "request_supplement": RequestSupplementForm,
    "receive_supplement": ReceiveSupplementForm,
    "submit": SubmitForm,
    "send_back": SendBackForm,
    "approve": ApproveForm,
    "refuse": RefuseForm,
    "apologise": ApologiseForm,
    "return": ReturnForm,
    "stop": StopForm,
    "record_payment": PaymentForm,
}


# ---------------------------------------------------------------- logbook


class PeriodForm(Form):
    """Received dates tu..den (default: this month so far), at most a year."""

    tu = forms.DateField(
        label=_("Từ ngày"),
        input_formats=DATE_INPUTS,
        required=False,
        validators=[check_year],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )
    den = forms.DateField(
        label=_("Đến ngày"),
        input_formats=DATE_INPUTS,
        required=False,
        validators=[check_year],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        first = data.get("tu") or today.replace(day=1)
        last = data.get("den") or today
        if "tu" in self.errors or "den" in self.errors:
            return data
        if first > last:
            self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
        elif (last - first).days > 366:
            self.add_error("den", _("Chỉ xem được tối đa một năm mỗi lần."))
        data["tu"], data["den"] = first, last
        return data

    @staticmethod
    def fmt(value: date) -> str:
        return value.strftime("%d/%m/%Y")


class LogbookForm(PeriodForm):
    ban = forms.ModelChoiceField(
        label=_("Bộ phận một cửa"),
        queryset=Desk.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    field_order = ["ban", "tu", "den"]

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ban"].queryset = desks


class WideLogbookForm(PeriodForm):
    don_vi = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả đơn vị trong phạm vi"),
        error_messages={"invalid_choice": _("Đơn vị không có trong phạm vi của bạn.")},
    )
    field_order = ["don_vi", "tu", "den"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].queryset = units

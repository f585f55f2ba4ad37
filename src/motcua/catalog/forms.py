"""Staff forms for editing a procedure. They only parse input into a content dict; the rules live
in content.normalize_content, shared with the spreadsheet import."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    Audience,
    Channel,
    Domain,
    FormTemplate,
    OnlineLevel,
    TimeUnit,
)
from motcua.org.models import Unit

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class ProcedureForm(forms.Form):
    code = forms.CharField(
        label=_("Mã thủ tục"),
        max_length=40,
        help_text=_("Ví dụ 1.004194, hoặc 1.004194.H40 cho bản địa phương."),
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Đơn vị quản lý danh mục"), queryset=Unit.objects.none(), to_field_name="code"
    )
    name = forms.CharField(label=_("Tên thủ tục"), max_length=500)
    domain = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Domain.objects.all(), to_field_name="code"
    )
    audience = forms.ChoiceField(label=_("Phạm vi"), choices=Audience.choices)
    agency = forms.CharField(label=_("Cơ quan thực hiện"), max_length=500, required=False)
    handling_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị thực hiện (bộ phận một cửa phục vụ các đơn vị này sẽ niêm yết thủ tục)"),
        queryset=Unit.objects.order_by("path"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    applicants = forms.CharField(
        label=_("Đối tượng thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=_("Trình tự thực hiện (mỗi bước một dòng)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    channels = forms.MultipleChoiceField(
        label=_("Cách thức thực hiện"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ dịch vụ công trực tuyến"), choices=OnlineLevel.choices
    )
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=20, initial=1)
    time_value = forms.IntegerField(label=_("Thời hạn giải quyết"), min_value=1)
    time_unit = forms.ChoiceField(label=_("Đơn vị thời hạn"), choices=TimeUnit.choices)
    time_note = forms.CharField(label=_("Ghi chú thời hạn"), max_length=500, required=False)
    fee_note = forms.CharField(label=_("Ghi chú phí, lệ phí"), max_length=500, required=False)
    result = forms.CharField(
        label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conditions = forms.CharField(
        label=_("Yêu cầu, điều kiện"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    form_files = forms.ModelMultipleChoiceField(
        label=_("Mẫu đơn, tờ khai đang dùng (bỏ chọn để gỡ)"),
        queryset=FormTemplate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_form_file = forms.FileField(
        label=_("Thêm mẫu đơn, tờ khai (PDF, DOC, DOCX hoặc XLSX, tối đa 10 MB)"), required=False
    )
    new_form_name = forms.CharField(label=_("Tên mẫu mới"), max_length=255, required=False)
    change_note = forms.CharField(
        label=_("Nội dung thay đổi (hiển thị cho công dân khi công bố)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, procedure=None, owner_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        if procedure is not None:
            # Code and owner are the identity of an existing procedure: not editable here.
            del self.fields["code"]
            del self.fields["owner_unit"]
            self.fields["form_files"].queryset = procedure.form_files.all()
        else:
            self.fields["owner_unit"].queryset = owner_units
            del self.fields["form_files"]

    def content(self, documents, fees, legal_basis) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "domain": data["domain"].code,
            "audience": data["audience"],
            "agency": data["agency"],
            "handling_units": [u.code for u in data["handling_units"]],
            "applicants": data["applicants"],
            "steps": data["steps"].splitlines(),
            "channels": data["channels"],
            "online_level": data["online_level"],
            "sets": data["sets"],
            "documents": documents,
            "time_value": data["time_value"],
            "time_unit": data["time_unit"],
            "time_note": data["time_note"],
            "fees": fees,
            "fee_note": data["fee_note"],
            "result": data["result"],
            "conditions": data["conditions"],
            "forms": [f.pk for f in data.get("form_files") or []],
            "legal_basis": legal_basis,
        }

    @staticmethod
    def initial_from(content: dict) -> dict:
        return {
            **content,
            "steps": "\n".join(content["steps"]),
            "form_files": content["forms"],
        }


class DocumentForm(forms.Form):
    name = forms.CharField(label=_("Giấy tờ"), max_length=500, required=False)
    copies = forms.IntegerField(label=_("Số bản"), min_value=0, max_value=20, initial=1)
    mandatory = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class FeeForm(forms.Form):
    name = forms.CharField(label=_("Khoản phí, lệ phí"), max_length=500, required=False)
    desk = forms.IntegerField(label=_("Tại quầy (đồng)"), min_value=0, required=False)
    online = forms.IntegerField(label=_("Trực tuyến (đồng)"), min_value=0, required=False)
    exemption = forms.CharField(label=_("Miễn, giảm"), max_length=500, required=False)


class LegalForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    effective = forms.DateField(
        label=_("Ngày hiệu lực (dd/mm/yyyy)"), required=False, input_formats=DATE_INPUTS
    )


DocumentFormSet = formset_factory(DocumentForm, extra=2, can_delete=True)
FeeFormSet = formset_factory(FeeForm, extra=1, can_delete=True)
LegalFormSet = formset_factory(LegalForm, extra=1, can_delete=True)


def formset_rows(formset, required_key: str) -> list[dict]:
    """Filled rows of a valid formset (blank extra rows and rows marked for deletion skipped)."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not data.get(required_key):
            continue
        row = {k: v for k, v in data.items() if k != "DELETE"}
        if "effective" in row:
            row["effective"] = row["effective"].isoformat() if row["effective"] else ""
        if "desk" in row and row["desk"] is None:
            row["desk"] = 0
        rows.append(row)
    return rows


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Hiệu lực từ ngày (dd/mm/yyyy)"), input_formats=DATE_INPUTS
    )
    change_note = forms.CharField(
        label=_("Nội dung thay đổi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu xuất từ hệ thống"))
    publish = forms.BooleanField(
        label=_("Công bố ngay các thủ tục thay đổi (nếu không, tạo bản nháp)"), required=False
    )
    dry_run = forms.BooleanField(
        label=_("Chỉ kiểm tra, không thay đổi dữ liệu"), required=False, initial=True
    )

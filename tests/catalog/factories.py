"""Builders for catalogue tests: a procedure's content with sensible defaults, and publishing."""

from datetime import date

from motcua.catalog.models import Procedure
from motcua.catalog.services import procedure_create, procedure_draft_save, procedure_publish

RESIDENCE_LAW = {"number": "68/2020/QH14", "title": "Luật Cư trú", "effective": "2021-07-01"}


def make_content(**overrides) -> dict:
    content = {
        "name": "Đăng ký thường trú",
        "domain": "CUTRU",
        "audience": "public",
        "agency": "Công an xã, phường, thị trấn",
        "handling_units": ["VINHPHU", "THANHVINH"],
        "applicants": "Công dân Việt Nam",
        "steps": ["Nộp hồ sơ tại Công an cấp xã.", "Nhận kết quả."],
        "channels": ["desk", "post", "online"],
        "online_level": "full",
        "sets": 1,
        "documents": [
            {
                "name": "Tờ khai thay đổi thông tin cư trú (CT01)",
                "copies": 1,
                "mandatory": True,
                "note": "",
            },
            {
                "name": "Giấy tờ chứng minh chỗ ở hợp pháp",
                "copies": 1,
                "mandatory": True,
                "note": "",
            },
        ],
        "time_value": 7,
        "time_unit": "working_days",
        "time_note": "",
        "fees": [
            {"name": "Lệ phí đăng ký thường trú", "desk": 20000, "online": 10000, "exemption": ""}
        ],
        "fee_note": "",
        "result": "Thông báo kết quả đăng ký thường trú.",
        "conditions": "Có chỗ ở hợp pháp.",
        "forms": [],
        "legal_basis": [RESIDENCE_LAW],
    }
    content.update(overrides)
    return content


def publish_new(actor, code, owner, content, effective=date(2025, 7, 1)) -> Procedure:
    procedure_create(actor=actor, code=code, owner_unit=owner, content=content)
    procedure = Procedure.objects.get(code=code)
    procedure_publish(actor=actor, procedure=procedure, effective_from=effective)
    procedure.refresh_from_db()
    return procedure


def republish(actor, procedure, effective=None, note="", **changes) -> Procedure:
    from motcua.catalog.content import content_of

    content = {**content_of(procedure.latest_version()), **changes}
    procedure_draft_save(actor=actor, procedure=procedure, content=content, change_note=note)
    procedure_publish(actor=actor, procedure=procedure, effective_from=effective)
    procedure.refresh_from_db()
    return procedure

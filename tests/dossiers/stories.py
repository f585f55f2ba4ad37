"""The people, procedure and citizen of the dossier stories."""

CITIZEN = {
    "kind": "person",
    "name": "Nguyễn Thị Lan",
    "id_number": "040190012345",  # born 1990, registered in Nghệ An (040)
    "address": "Xóm 5, phường Vinh Phú, Nghệ An",
    "phone": "0912345678",
    "email": "lan.nguyen@example.vn",
}

DOCUMENTS = [
    {"name": "Tờ khai thay đổi thông tin cư trú (CT01)", "copies": 1, "mandatory": True},
    {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "copies": 1, "mandatory": True},
    {"name": "Văn bản đồng ý của chủ hộ", "copies": 1, "mandatory": False},
]


def procedure_content(**overrides):
    content = {
        "name": "Đăng ký tạm trú",
        "domain": "CUTRU",
        "audience": "public",
        "agency": "Công an cấp xã",
        "handling_units": ["VINHPHU", "THANHVINH"],
        "steps": ["Nộp hồ sơ", "Thẩm định", "Trả kết quả"],
        "channels": ["desk", "online"],
        "online_level": "full",
        "sets": 1,
        "documents": DOCUMENTS,
        "time_value": 180,
        "time_unit": "minutes",
        "fees": [{"name": "Lệ phí đăng ký tạm trú", "desk": 15000, "online": 7000}],
        "result": "Xác nhận đăng ký tạm trú",
    }
    content.update(overrides)
    return content


def publish(org, code, **overrides):
    from motcua.catalog.models import Domain
    from motcua.catalog.services import procedure_create, procedure_publish

    Domain.objects.get_or_create(code="CUTRU", defaults={"name": "Đăng ký, quản lý cư trú"})

    draft = procedure_create(
        actor=org["danhmuc"],
        code=code,
        owner_unit=org.units["CANA"],
        content=procedure_content(**overrides),
    )
    return procedure_publish(actor=org["danhmuc"], procedure=draft.procedure)


def all_documents():
    return [d["name"] for d in DOCUMENTS]


def approved(d, *, handler, leader, result="Đã đăng ký tạm trú"):
    """The assigned handler submits the draft result and the leader approves it: the only way
    a dossier gets a result."""
    from motcua.dossiers.services import dossier_approve, dossier_submit

    d = dossier_submit(actor=handler, dossier=d, version=d.version, result=result)
    return dossier_approve(actor=leader, dossier=d, version=d.version)

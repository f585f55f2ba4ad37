"""Demo catalogue: police procedures of Nghệ An's one-stop desks (residence, identity cards,
immigration, vehicle registration, weapons, seals and conditional business lines) and a few
internal procedures for officers.

Names, times and fees follow the sources in docs/spec (Residence Law 2020, Circular 75/2022/TT-BTC,
Circular 73/2024/TT-BTC, Circular 79/2024/TT-BCA, ...) where known. Procedure codes, and the
details marked "demo", are illustrative values: check them against the national procedure
database before presenting them as official.

Procedures that took 1 working day and now take 180 minutes (the seed article's reform) are
seeded with two versions, so the version history and "what changed" have something to show.
Idempotent: running it again changes nothing; changing an entry here publishes a new version.
"""

from datetime import date

from motcua.catalog.content import content_of, normalize_content
from motcua.catalog.models import Audience, Domain, Procedure
from motcua.catalog.services import (
    SystemActor,
    procedure_create,
    procedure_draft_save,
    procedure_publish,
)
from motcua.org.models import Unit, UnitKind

ACTOR = SystemActor("seed-demo")
FIRST_EFFECTIVE = date(2024, 7, 1)
REFORM_EFFECTIVE = date(2025, 7, 1)

DOMAINS = [
    ("CUTRU", "Đăng ký, quản lý cư trú"),
    ("CANCUOC", "Căn cước, định danh và xác thực điện tử"),
    ("XNC", "Quản lý xuất nhập cảnh"),
    ("DKX", "Đăng ký, quản lý phương tiện giao thông"),
    ("VKVLN", "Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ"),
    ("CONDAU", "Quản lý con dấu"),
    ("ANTT", "Ngành, nghề đầu tư kinh doanh có điều kiện về an ninh, trật tự"),
    ("TCCB", "Tổ chức cán bộ (nội bộ)"),
    ("HCTC", "Hậu cần, tài chính (nội bộ)"),
    ("HSNV", "Hồ sơ nghiệp vụ (nội bộ)"),
]

COMMUNE_AGENCY = "Công an xã, phường, thị trấn nơi cư trú"
ONLINE_PORTALS = "Cổng dịch vụ công quốc gia, Cổng dịch vụ công Bộ Công an hoặc ứng dụng VNeID"

LAW = {
    "residence": {"number": "68/2020/QH14", "title": "Luật Cư trú", "effective": "2021-07-01"},
    "residence_fee": {
        "number": "75/2022/TT-BTC",
        "title": "Thông tư quy định mức thu, chế độ thu, nộp, quản lý lệ phí đăng ký cư trú",
        "effective": "",
    },
    "identity": {"number": "26/2023/QH15", "title": "Luật Căn cước", "effective": "2024-07-01"},
    "identity_fee": {
        "number": "73/2024/TT-BTC",
        "title": "Thông tư quy định mức thu, chế độ thu, nộp, quản lý lệ phí cấp căn cước",
        "effective": "",
    },
    "exit": {
        "number": "49/2019/QH14",
        "title": "Luật Xuất cảnh, nhập cảnh của công dân Việt Nam",
        "effective": "2020-07-01",
    },
    "foreigners": {
        "number": "47/2014/QH13",
        "title": "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt Nam",
        "effective": "2015-01-01",
    },
    "traffic": {
        "number": "36/2024/QH15",
        "title": "Luật Trật tự, an toàn giao thông đường bộ",
        "effective": "2025-01-01",
    },
    "vehicles": {
        "number": "79/2024/TT-BCA",
        "title": "Thông tư quy định cấp, thu hồi chứng nhận đăng ký xe, biển số xe cơ giới, "
        "xe máy chuyên dùng",
        "effective": "2025-01-01",
    },
    "weapons": {
        "number": "42/2024/QH15",
        "title": "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ",
        "effective": "2025-01-01",
    },
    "seals": {
        "number": "99/2016/NĐ-CP",
        "title": "Nghị định về quản lý và sử dụng con dấu",
        "effective": "2016-07-01",
    },
    "business": {
        "number": "96/2016/NĐ-CP",
        "title": "Nghị định quy định điều kiện về an ninh, trật tự đối với một số ngành, nghề "
        "đầu tư kinh doanh có điều kiện",
        "effective": "2016-07-01",
    },
    "internal": {
        "number": "1085/QĐ-TTg",
        "title": "Quyết định ban hành Kế hoạch rà soát, đơn giản hóa thủ tục hành chính nội bộ "
        "trong hệ thống hành chính nhà nước giai đoạn 2022 - 2025",
        "effective": "",
    },
}


def _steps(where: str, online: bool = True) -> list[str]:
    submit = f"Nộp hồ sơ tại {where}"
    if online:
        submit += f" hoặc trực tuyến qua {ONLINE_PORTALS}"
    return [
        submit + ".",
        "Cán bộ tiếp nhận kiểm tra hồ sơ: hồ sơ đầy đủ, hợp lệ thì cấp phiếu tiếp nhận và hẹn "
        "trả kết quả; chưa đầy đủ thì hướng dẫn bổ sung, hoàn thiện.",
        "Nộp phí, lệ phí (nếu có) bằng tiền mặt, chuyển khoản hoặc thanh toán trực tuyến.",
        "Nhận kết quả tại nơi nộp hồ sơ, qua dịch vụ bưu chính hoặc trên ứng dụng VNeID.",
    ]


def _doc(name: str, copies: int = 1, mandatory: bool = True, note: str = "") -> dict:
    return {"name": name, "copies": copies, "mandatory": mandatory, "note": note}


def _fee(name: str, desk: int, online: int | None = None, exemption: str = "") -> dict:
    return {"name": name, "desk": desk, "online": online, "exemption": exemption}


CT01 = _doc("Tờ khai thay đổi thông tin cư trú (mẫu CT01)")
CC01 = _doc("Tờ khai căn cước (mẫu CC01)", mandatory=False, note="nếu thay đổi thông tin")
RESIDENCE_EXEMPT = (
    "Miễn cho trẻ em, người cao tuổi, người khuyết tật, người có công với cách mạng, hộ nghèo "
    "và các trường hợp khác theo Thông tư 75/2022/TT-BTC"
)
FULL = ["desk", "post", "online"]
DESK_ONLY = ["desk"]


def _p(code, name, domain, owner, handlers, *, minutes=None, days=None, hours=None, **extra):
    """One demo entry. `handlers` is "communes", "districts" or a list of unit codes;
    `reform=True` (with minutes=180) seeds v1 at 1 working day, then v2 at 180 minutes."""
    if minutes:
        value, unit = minutes, "minutes"
    elif hours:
        value, unit = hours, "working_hours"
    else:
        value, unit = days, "working_days"
    return {
        "code": code,
        "owner": owner,
        "handlers": handlers,
        "reform": extra.pop("reform", False),
        "content": {
            "name": name,
            "domain": domain,
            "audience": extra.pop("audience", Audience.PUBLIC),
            "agency": extra.pop("agency", ""),
            "applicants": extra.pop("applicants", "Công dân Việt Nam"),
            "steps": extra.pop("steps", None),
            "channels": extra.pop("channels", FULL),
            "online_level": extra.pop("online_level", "full"),
            "sets": 1,
            "documents": extra.pop("documents", []),
            "time_value": value,
            "time_unit": unit,
            "time_note": extra.pop("time_note", ""),
            "fees": extra.pop("fees", []),
            "fee_note": extra.pop("fee_note", ""),
            "result": extra.pop("result", ""),
            "conditions": extra.pop("conditions", ""),
            "forms": [],
            "legal_basis": extra.pop("legal_basis", []),
            **extra,
        },
    }


PROCEDURES = [
    # Residence (PC06 manages the catalogue entry; commune police handle it).
    _p(
        "1.004194",
        "Đăng ký thường trú",
        "CUTRU",
        "PC06",
        "communes",
        days=7,
        agency=COMMUNE_AGENCY,
        documents=[
            CT01,
            _doc("Giấy tờ, tài liệu chứng minh việc sở hữu chỗ ở hợp pháp"),
            _doc(
                "Văn bản đồng ý cho đăng ký thường trú của chủ hộ, chủ sở hữu chỗ ở",
                mandatory=False,
                note="khi đăng ký vào chỗ ở không thuộc sở hữu của mình",
            ),
            _doc("Giấy tờ chứng minh quan hệ nhân thân với chủ hộ", mandatory=False),
        ],
        fees=[_fee("Lệ phí đăng ký thường trú", 20000, 10000, RESIDENCE_EXEMPT)],
        result="Thông báo về kết quả giải quyết, cập nhật thông tin cư trú vào Cơ sở dữ liệu "
        "về cư trú.",
        conditions="Có chỗ ở hợp pháp thuộc quyền sở hữu của mình, hoặc được chủ hộ, chủ sở hữu "
        "chỗ ở đồng ý (Điều 20 Luật Cư trú).",
        legal_basis=[LAW["residence"], LAW["residence_fee"]],
    ),
    _p(
        "1.004222",
        "Xóa đăng ký thường trú",
        "CUTRU",
        "PC06",
        "communes",
        minutes=180,
        reform=True,
        agency=COMMUNE_AGENCY,
        documents=[
            CT01,
            _doc("Giấy tờ, tài liệu chứng minh thuộc trường hợp xóa đăng ký thường trú"),
        ],
        result="Thông tin cư trú được cập nhật trong Cơ sở dữ liệu về cư trú.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "2.001159",
        "Đăng ký tạm trú",
        "CUTRU",
        "PC06",
        "communes",
        days=3,
        agency=COMMUNE_AGENCY,
        documents=[
            CT01,
            _doc("Giấy tờ, tài liệu chứng minh việc sở hữu hoặc sử dụng hợp pháp chỗ ở"),
        ],
        fees=[_fee("Lệ phí đăng ký tạm trú", 15000, 7000, RESIDENCE_EXEMPT)],
        result="Thông báo kết quả đăng ký tạm trú; thông tin được cập nhật vào Cơ sở dữ liệu về "
        "cư trú.",
        legal_basis=[LAW["residence"], LAW["residence_fee"]],
    ),
    _p(
        "1.003677",
        "Gia hạn tạm trú",
        "CUTRU",
        "PC06",
        "communes",
        days=3,
        agency=COMMUNE_AGENCY,
        documents=[CT01],
        fees=[_fee("Lệ phí gia hạn tạm trú", 15000, 7000, RESIDENCE_EXEMPT)],
        result="Thông báo kết quả gia hạn tạm trú.",
        conditions="Thực hiện trong thời hạn 15 ngày trước ngày hết thời hạn tạm trú đã đăng ký.",
        legal_basis=[LAW["residence"], LAW["residence_fee"]],
    ),
    _p(
        "1.004206",
        "Xóa đăng ký tạm trú",
        "CUTRU",
        "PC06",
        "communes",
        minutes=180,
        reform=True,
        agency=COMMUNE_AGENCY,
        documents=[CT01],
        result="Thông tin tạm trú được xóa trong Cơ sở dữ liệu về cư trú.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "1.004188",
        "Thông báo lưu trú",
        "CUTRU",
        "PC06",
        "communes",
        minutes=180,
        reform=True,
        agency=COMMUNE_AGENCY,
        applicants="Thành viên hộ gia đình, người đại diện cơ sở chữa bệnh, cơ sở lưu trú du "
        "lịch và các cơ sở khác có người đến lưu trú",
        documents=[
            _doc(
                "Thông tin người lưu trú (họ tên, số định danh cá nhân, lý do, thời gian lưu trú)",
                note="thông báo bằng điện thoại, trực tiếp hoặc trực tuyến",
            )
        ],
        result="Thông tin lưu trú được ghi nhận.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "1.004237",
        "Khai báo tạm vắng",
        "CUTRU",
        "PC06",
        "communes",
        minutes=180,
        reform=True,
        agency=COMMUNE_AGENCY,
        documents=[
            _doc("Đề nghị khai báo tạm vắng", note="có thể khai trên Tờ khai CT01"),
            _doc(
                "Văn bản đồng ý của cơ quan đang quản lý người khai báo",
                mandatory=False,
                note="với người đang chấp hành án, bị quản chế",
            ),
        ],
        result="Phiếu khai báo tạm vắng; thông tin được cập nhật vào Cơ sở dữ liệu về cư trú.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "1.003676",
        "Xác nhận thông tin về cư trú",
        "CUTRU",
        "PC06",
        "communes",
        minutes=180,
        reform=True,
        agency=COMMUNE_AGENCY,
        documents=[CT01],
        result="Giấy xác nhận thông tin về cư trú (mẫu CT07), có giá trị 01 năm hoặc đến khi "
        "thông tin thay đổi.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "1.004240",
        "Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú",
        "CUTRU",
        "PC06",
        "communes",
        days=3,
        agency=COMMUNE_AGENCY,
        documents=[CT01, _doc("Giấy tờ, tài liệu chứng minh thông tin thay đổi")],
        result="Thông tin về cư trú được điều chỉnh trong Cơ sở dữ liệu về cư trú.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "2.001233",
        "Tách hộ",
        "CUTRU",
        "PC06",
        "communes",
        days=3,
        agency=COMMUNE_AGENCY,
        documents=[
            CT01,
            _doc(
                "Văn bản đồng ý tách hộ của chủ hộ",
                mandatory=False,
                note="không cần nếu đã ghi ý kiến vào tờ khai",
            ),
        ],
        fees=[_fee("Lệ phí tách hộ (demo)", 10000, 5000, RESIDENCE_EXEMPT)],
        conditions="Có năng lực hành vi dân sự đầy đủ và cùng thường trú tại một chỗ ở hợp "
        "pháp; được chủ hộ đồng ý.",
        result="Thông báo kết quả tách hộ.",
        legal_basis=[LAW["residence"], LAW["residence_fee"]],
    ),
    _p(
        "1.004245",
        "Khai báo thông tin về cư trú đối với người chưa đủ điều kiện đăng ký thường trú, tạm trú",
        "CUTRU",
        "PC06",
        "communes",
        days=3,
        agency=COMMUNE_AGENCY,
        documents=[CT01],
        result="Thông tin cư trú được cập nhật; thông báo cho người khai báo.",
        legal_basis=[LAW["residence"]],
    ),
    _p(
        "1.010001",
        "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, "
        "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "CUTRU",
        "PC06",
        "communes",
        days=3,
        time_note="5 ngày làm việc nếu phải xác minh thông tin khai sinh.",
        agency="Ủy ban nhân dân cấp xã, Công an cấp xã, Bảo hiểm xã hội cấp huyện",
        applicants="Cha, mẹ hoặc người đại diện theo pháp luật của trẻ em dưới 6 tuổi",
        documents=[
            _doc("Tờ khai điện tử liên thông (khai sinh, thường trú, bảo hiểm y tế)"),
            _doc("Giấy chứng sinh", note="bản điện tử hoặc bản chụp"),
        ],
        result="Giấy khai sinh, thông báo đăng ký thường trú và thẻ bảo hiểm y tế của trẻ.",
        legal_basis=[LAW["residence"]],
    ),
    # Identity cards and electronic identification.
    _p(
        "1.012401",
        "Cấp thẻ căn cước cho công dân Việt Nam từ đủ 14 tuổi trở lên",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        days=7,
        online_level="partial",
        agency="Công an cấp xã; Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        documents=[CC01],
        fees=[_fee("Lệ phí cấp thẻ căn cước lần đầu", 0)],
        fee_note="Cấp lần đầu không thu lệ phí.",
        conditions="Công dân có mặt để thu nhận ảnh khuôn mặt, vân tay, mống mắt.",
        result="Thẻ căn cước, trả tại nơi làm thủ tục hoặc qua bưu chính.",
        legal_basis=[LAW["identity"], LAW["identity_fee"]],
    ),
    _p(
        "1.012402",
        "Cấp đổi thẻ căn cước",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        days=7,
        online_level="partial",
        agency="Công an cấp xã; Phòng PC06 Công an tỉnh",
        documents=[CC01, _doc("Thẻ căn cước, thẻ căn cước công dân đang sử dụng")],
        fees=[
            _fee(
                "Lệ phí cấp đổi thẻ căn cước",
                50000,
                25000,
                "Miễn cho trường hợp đổi do Nhà nước thay đổi địa giới hành chính",
            )
        ],
        result="Thẻ căn cước mới.",
        legal_basis=[LAW["identity"], LAW["identity_fee"]],
    ),
    _p(
        "1.012403",
        "Cấp lại thẻ căn cước",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        days=7,
        online_level="partial",
        agency="Công an cấp xã; Phòng PC06 Công an tỉnh",
        documents=[CC01],
        fees=[_fee("Lệ phí cấp lại thẻ căn cước", 70000, 35000)],
        result="Thẻ căn cước được cấp lại.",
        legal_basis=[LAW["identity"], LAW["identity_fee"]],
    ),
    _p(
        "1.012404",
        "Cấp giấy chứng nhận căn cước",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        days=7,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Người gốc Việt Nam chưa xác định được quốc tịch đang sinh sống tại Việt Nam",
        documents=[_doc("Tờ khai đề nghị cấp giấy chứng nhận căn cước")],
        result="Giấy chứng nhận căn cước.",
        legal_basis=[LAW["identity"]],
    ),
    _p(
        "1.012405",
        "Xác nhận số chứng minh nhân dân 9 số và số định danh cá nhân",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        minutes=180,
        reform=True,
        documents=[_doc("Đề nghị xác nhận", note="có thể đề nghị trên ứng dụng VNeID")],
        result="Giấy xác nhận số chứng minh nhân dân, số định danh cá nhân (mẫu CC13).",
        legal_basis=[LAW["identity"]],
    ),
    _p(
        "1.012406",
        "Cấp tài khoản định danh điện tử mức độ 2 cho công dân Việt Nam",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        minutes=180,
        reform=True,
        online_level="partial",
        documents=[
            _doc("Phiếu đề nghị cấp tài khoản định danh điện tử (mẫu DD01)"),
            _doc("Thẻ căn cước còn hiệu lực"),
        ],
        conditions="Công dân có thẻ căn cước, số điện thoại di động đứng tên mình.",
        result="Tài khoản định danh điện tử mức độ 2 được kích hoạt trên ứng dụng VNeID.",
        legal_basis=[LAW["identity"]],
    ),
    _p(
        "1.012407",
        "Tích hợp, cập nhật, điều chỉnh thông tin được tích hợp trên thẻ căn cước",
        "CANCUOC",
        "PC06",
        ["communes", "PC06"],
        minutes=180,
        reform=True,
        documents=[
            _doc(
                "Giấy tờ chứng minh thông tin đề nghị tích hợp (thẻ bảo hiểm y tế, "
                "giấy phép lái xe...)"
            )
        ],
        result="Thông tin được tích hợp, hiển thị trên thẻ căn cước và ứng dụng VNeID.",
        legal_basis=[LAW["identity"]],
    ),
    # Immigration (PA08).
    _p(
        "2.002286",
        "Cấp hộ chiếu phổ thông ở trong nước tại Công an cấp tỉnh",
        "XNC",
        "PA08",
        ["PA08"],
        days=8,
        agency="Phòng Quản lý xuất nhập cảnh Công an tỉnh",
        documents=[
            _doc("Tờ khai đề nghị cấp hộ chiếu phổ thông (mẫu TK01)"),
            _doc(
                "02 ảnh chân dung 4x6 cm",
                mandatory=False,
                note="khi nộp trực tiếp không có ảnh điện tử",
            ),
            _doc("Hộ chiếu phổ thông cấp lần gần nhất", mandatory=False, note="nếu còn giá trị"),
        ],
        fees=[_fee("Lệ phí cấp hộ chiếu (demo, chưa kiểm chứng)", 200000)],
        result="Hộ chiếu phổ thông, trả tại nơi nộp hoặc qua bưu chính.",
        legal_basis=[LAW["exit"]],
    ),
    _p(
        "2.002287",
        "Cấp giấy thông hành biên giới Việt Nam – Lào cho công dân Việt Nam",
        "XNC",
        "PA08",
        ["PA08"],
        minutes=180,
        reform=True,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Công dân Việt Nam thường trú tại tỉnh có chung đường biên giới với Lào",
        documents=[_doc("Tờ khai đề nghị cấp giấy thông hành"), _doc("02 ảnh 4x6 cm")],
        fees=[_fee("Lệ phí cấp giấy thông hành (demo)", 50000)],
        result="Giấy thông hành biên giới Việt Nam – Lào.",
        legal_basis=[LAW["exit"]],
    ),
    _p(
        "2.002288",
        "Khai báo tạm trú cho người nước ngoài tại Việt Nam qua Trang thông tin điện tử",
        "XNC",
        "PA08",
        ["PA08", "communes"],
        minutes=180,
        reform=True,
        channels=["online"],
        applicants="Cơ sở lưu trú, người đứng đầu hộ gia đình có người nước ngoài tạm trú",
        documents=[_doc("Thông tin nhân thân, hộ chiếu và thời gian tạm trú của người nước ngoài")],
        result="Thông tin tạm trú được ghi nhận, có mã xác nhận.",
        legal_basis=[LAW["foreigners"]],
    ),
    _p(
        "2.002289",
        "Trình báo mất hộ chiếu phổ thông",
        "XNC",
        "PA08",
        ["PA08", "communes"],
        minutes=180,
        reform=True,
        documents=[_doc("Đơn trình báo mất hộ chiếu phổ thông (mẫu TK05)")],
        result="Hộ chiếu bị hủy giá trị sử dụng; giấy xác nhận trình báo.",
        legal_basis=[LAW["exit"]],
    ),
    # Vehicle registration (PC08; district police and communes register motorcycles).
    _p(
        "1.012501",
        "Đăng ký xe lần đầu (xe mô tô, xe gắn máy)",
        "DKX",
        "PC08",
        ["PC08", "districts", "communes"],
        days=2,
        online_level="full",
        time_note="Cấp biển số ngay khi hồ sơ hợp lệ; chứng nhận đăng ký xe trong 02 ngày làm "
        "việc.",
        documents=[
            _doc("Giấy khai đăng ký xe"),
            _doc("Chứng từ nguồn gốc xe"),
            _doc("Chứng từ lệ phí trước bạ", note="dữ liệu điện tử nếu đã liên thông"),
        ],
        fees=[_fee("Lệ phí cấp chứng nhận đăng ký, biển số xe mô tô (khu vực III, demo)", 150000)],
        result="Chứng nhận đăng ký xe và biển số xe.",
        legal_basis=[LAW["traffic"], LAW["vehicles"]],
    ),
    _p(
        "1.012502",
        "Đăng ký sang tên xe",
        "DKX",
        "PC08",
        ["PC08", "districts", "communes"],
        days=2,
        online_level="full",
        documents=[
            _doc("Giấy khai đăng ký xe"),
            _doc("Chứng từ chuyển quyền sở hữu xe"),
            _doc("Chứng từ lệ phí trước bạ"),
        ],
        fees=[_fee("Lệ phí cấp chứng nhận đăng ký xe (demo)", 50000)],
        result="Chứng nhận đăng ký xe mang tên chủ xe mới.",
        legal_basis=[LAW["traffic"], LAW["vehicles"]],
    ),
    _p(
        "1.012503",
        "Thu hồi chứng nhận đăng ký, biển số xe",
        "DKX",
        "PC08",
        ["PC08", "districts", "communes"],
        hours=8,
        time_note="2 ngày làm việc khi nộp hồ sơ trực tiếp.",
        documents=[
            _doc("Giấy khai thu hồi đăng ký, biển số xe"),
            _doc("Chứng nhận đăng ký xe và biển số xe"),
        ],
        result="Chứng nhận thu hồi đăng ký, biển số xe.",
        legal_basis=[LAW["vehicles"]],
    ),
    _p(
        "1.012504",
        "Đăng ký xe tạm thời",
        "DKX",
        "PC08",
        ["PC08", "districts"],
        minutes=180,
        reform=True,
        documents=[_doc("Giấy khai đăng ký xe"), _doc("Chứng từ nguồn gốc xe")],
        fees=[_fee("Lệ phí đăng ký xe tạm thời (demo)", 50000)],
        result="Chứng nhận đăng ký xe tạm thời và biển số tạm thời.",
        legal_basis=[LAW["vehicles"]],
    ),
    # Weapons, seals, conditional business lines (PC06).
    _p(
        "1.012601",
        "Cấp giấy phép sử dụng công cụ hỗ trợ",
        "VKVLN",
        "PC06",
        ["PC06"],
        days=4,
        channels=["desk", "online"],
        online_level="partial",
        applicants="Cơ quan, tổ chức, doanh nghiệp được trang bị công cụ hỗ trợ",
        documents=[
            _doc("Văn bản đề nghị cấp giấy phép sử dụng"),
            _doc("Giấy tờ chứng minh nguồn gốc công cụ hỗ trợ"),
            _doc("Danh sách người được giao sử dụng, kèm chứng chỉ huấn luyện"),
        ],
        fees=[_fee("Lệ phí cấp giấy phép sử dụng, mỗi chiếc (demo)", 10000)],
        result="Giấy phép sử dụng công cụ hỗ trợ.",
        legal_basis=[LAW["weapons"]],
    ),
    _p(
        "1.012602",
        "Đăng ký mẫu con dấu mới",
        "CONDAU",
        "PC06",
        ["PC06"],
        minutes=180,
        reform=True,
        applicants="Cơ quan, tổ chức sử dụng con dấu",
        documents=[
            _doc(
                "Văn bản, quyết định thành lập hoặc giấy phép hoạt động",
                note="bản sao có chứng thực",
            )
        ],
        fees=[_fee("Lệ phí cấp giấy chứng nhận đăng ký mẫu con dấu", 50000)],
        result="Giấy chứng nhận đăng ký mẫu con dấu.",
        legal_basis=[LAW["seals"]],
    ),
    _p(
        "1.012603",
        "Đăng ký lại mẫu con dấu",
        "CONDAU",
        "PC06",
        ["PC06"],
        minutes=180,
        reform=True,
        applicants="Cơ quan, tổ chức sử dụng con dấu",
        documents=[_doc("Văn bản đề nghị đăng ký lại"), _doc("Con dấu đang sử dụng")],
        fees=[_fee("Lệ phí cấp giấy chứng nhận đăng ký mẫu con dấu", 50000)],
        result="Giấy chứng nhận đăng ký mẫu con dấu mới.",
        legal_basis=[LAW["seals"]],
    ),
    _p(
        "1.012701",
        "Cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự để làm ngành, nghề "
        "đầu tư kinh doanh có điều kiện",
        "ANTT",
        "PC06",
        ["PC06"],
        days=5,
        channels=["desk", "post", "online"],
        online_level="partial",
        applicants="Cơ sở kinh doanh ngành, nghề có điều kiện về an ninh, trật tự",
        documents=[
            _doc("Văn bản đề nghị (mẫu 03)"),
            _doc("Giấy chứng nhận đăng ký doanh nghiệp", note="bản sao"),
            _doc("Bản khai lý lịch của người chịu trách nhiệm về an ninh, trật tự"),
        ],
        fees=[_fee("Phí thẩm định cấp giấy chứng nhận (demo)", 300000)],
        result="Giấy chứng nhận đủ điều kiện về an ninh, trật tự.",
        legal_basis=[LAW["business"]],
    ),
    _p(
        "1.012702",
        "Cấp đổi Giấy chứng nhận đủ điều kiện về an ninh, trật tự",
        "ANTT",
        "PC06",
        ["PC06"],
        days=4,
        channels=["desk", "post", "online"],
        online_level="partial",
        applicants="Cơ sở kinh doanh ngành, nghề có điều kiện về an ninh, trật tự",
        documents=[_doc("Văn bản đề nghị cấp đổi"), _doc("Giấy chứng nhận đã được cấp")],
        fees=[_fee("Phí thẩm định cấp đổi (demo)", 300000)],
        result="Giấy chứng nhận đủ điều kiện về an ninh, trật tự được cấp đổi.",
        legal_basis=[LAW["business"]],
    ),
    # Internal procedures for officers: visible to logged-in staff only.
    _p(
        "2.090001",
        "Xác nhận quá trình công tác cho cán bộ, chiến sĩ",
        "TCCB",
        "PX01",
        ["PX01"],
        days=5,
        audience=Audience.PERSONNEL,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Cán bộ, chiến sĩ Công an tỉnh",
        documents=[_doc("Đơn đề nghị xác nhận có ý kiến của thủ trưởng đơn vị")],
        result="Giấy xác nhận quá trình công tác.",
        legal_basis=[LAW["internal"]],
    ),
    _p(
        "2.090002",
        "Nâng lương trước thời hạn do lập thành tích xuất sắc",
        "TCCB",
        "PX01",
        ["PX01"],
        days=10,
        audience=Audience.PERSONNEL,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Cán bộ, chiến sĩ có thành tích xuất sắc",
        documents=[_doc("Tờ trình của đơn vị"), _doc("Quyết định khen thưởng", note="bản sao")],
        result="Quyết định nâng lương trước thời hạn.",
        legal_basis=[LAW["internal"]],
    ),
    _p(
        "2.090003",
        "Cấp, đổi Giấy chứng minh Công an nhân dân",
        "TCCB",
        "PX01",
        ["PX01"],
        days=7,
        audience=Audience.PERSONNEL,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Sĩ quan, hạ sĩ quan, công nhân công an",
        documents=[_doc("Tờ khai cấp giấy chứng minh"), _doc("02 ảnh 2x3 cm mặc trang phục")],
        result="Giấy chứng minh Công an nhân dân.",
        legal_basis=[LAW["internal"]],
    ),
    _p(
        "2.090101",
        "Cấp bổ sung quân trang cho cán bộ, chiến sĩ",
        "HCTC",
        "PH10",
        ["PH10"],
        days=5,
        audience=Audience.LOGISTICS,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Cán bộ, chiến sĩ Công an tỉnh",
        documents=[_doc("Phiếu đề nghị cấp quân trang có xác nhận của đơn vị")],
        result="Quân trang được cấp bổ sung.",
        legal_basis=[LAW["internal"]],
    ),
    _p(
        "2.090102",
        "Thanh toán chế độ công tác phí",
        "HCTC",
        "PH10",
        ["PH10"],
        days=3,
        audience=Audience.LOGISTICS,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Cán bộ, chiến sĩ được cử đi công tác",
        documents=[_doc("Giấy đi đường có xác nhận nơi đến"), _doc("Hóa đơn, chứng từ hợp lệ")],
        result="Khoản thanh toán được chuyển vào tài khoản lương.",
        legal_basis=[LAW["internal"]],
    ),
    _p(
        "2.090201",
        "Khai thác, sử dụng hồ sơ nghiệp vụ lưu trữ",
        "HSNV",
        "CANA",
        ["CANA"],
        days=3,
        audience=Audience.RECORDS,
        channels=DESK_ONLY,
        online_level="none",
        applicants="Cán bộ, chiến sĩ được giao nhiệm vụ",
        documents=[_doc("Phiếu đề nghị khai thác hồ sơ có ý kiến phê duyệt của lãnh đạo")],
        result="Hồ sơ được cho khai thác theo phạm vi được duyệt.",
        legal_basis=[LAW["internal"]],
    ),
]


def _handling_units(handlers) -> list[str]:
    if isinstance(handlers, str):
        handlers = [handlers]
    codes: list[str] = []
    for item in handlers:
        if item == "communes":
            codes += Unit.objects.filter(kind=UnitKind.COMMUNE_POLICE).values_list(
                "code", flat=True
            )
        elif item == "districts":
            codes += Unit.objects.filter(kind=UnitKind.DISTRICT_POLICE).values_list(
                "code", flat=True
            )
        else:
            codes.append(item)
    return sorted(set(codes))


def _content(entry: dict) -> dict:
    content = dict(entry["content"])
    content["handling_units"] = _handling_units(entry["handlers"])
    if content["steps"] is None:
        where = content["agency"] or "bộ phận một cửa của cơ quan thực hiện"
        online = content["online_level"] != "none"
        content["steps"] = _steps(where[0].lower() + where[1:], online)
    return content


def seed() -> None:
    for position, (code, name) in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    units = {u.code: u for u in Unit.objects.all()}
    for entry in PROCEDURES:
        content = normalize_content(_content(entry))
        procedure = Procedure.objects.filter(code=entry["code"]).first()
        if procedure is None:
            first = dict(content)
            if entry["reform"]:
                first.update(time_value=1, time_unit="working_days")
            procedure_create(
                actor=ACTOR, code=entry["code"], owner_unit=units[entry["owner"]], content=first
            )
            procedure = Procedure.objects.get(code=entry["code"])
            procedure_publish(actor=ACTOR, procedure=procedure, effective_from=FIRST_EFFECTIVE)
            if not entry["reform"]:
                continue
            procedure_draft_save(
                actor=ACTOR,
                procedure=procedure,
                content=content,
                change_note="Rút ngắn thời hạn giải quyết từ 01 ngày làm việc xuống 180 phút.",
            )
            procedure_publish(actor=ACTOR, procedure=procedure, effective_from=REFORM_EFFECTIVE)
        elif content_of(procedure.current_version) != content:
            procedure_draft_save(
                actor=ACTOR,
                procedure=procedure,
                content=content,
                change_note="Cập nhật dữ liệu mẫu.",
            )
            procedure_publish(actor=ACTOR, procedure=procedure)

"""A small catalogue on top of the demo organisation: two residence procedures handled by the
communes of Vinh, a passport procedure at PA08, and an internal personnel procedure.

Personas: Phan Văn Đức (`danhmuc`, catalogue administrator of the provincial police), Nguyễn Đình
Thắng (`lanhdao.pc06`, head of PC06, may publish PC06's procedures), Nguyễn Văn Hải
(`lanhdao.vinhphu`, head of Vinh Phú commune police), Hoàng Thị Thu (`tiepnhan.vinhphu`,
receptionist), and a citizen with no account.
"""

import pytest

from motcua.catalog import pagecache
from motcua.catalog.models import Domain
from tests.catalog.factories import make_content, publish_new


@pytest.fixture(autouse=True)
def _empty_page_cache():
    pagecache.pages.clear()
    pagecache.posters.clear()
    yield
    pagecache.pages.clear()
    pagecache.posters.clear()


@pytest.fixture
def catalog(org):
    for position, (code, name) in enumerate(
        [
            ("CUTRU", "Đăng ký, quản lý cư trú"),
            ("XNC", "Quản lý xuất nhập cảnh"),
            ("TCCB", "Tổ chức cán bộ (nội bộ)"),
        ],
        start=1,
    ):
        Domain.objects.create(code=code, name=name, position=position)
    admin = org["danhmuc"]
    units = org.units

    class Catalog:
        residence = publish_new(admin, "1.004194", units["PC06"], make_content())
        temporary = publish_new(
            admin,
            "2.001159",
            units["PC06"],
            make_content(
                name="Đăng ký tạm trú",
                time_value=3,
                fees=[
                    {
                        "name": "Lệ phí đăng ký tạm trú",
                        "desk": 15000,
                        "online": 7000,
                        "exemption": "",
                    }
                ],
            ),
        )
        passport = publish_new(
            admin,
            "2.002286",
            units["PA08"],
            make_content(
                name="Cấp hộ chiếu phổ thông ở trong nước",
                domain="XNC",
                handling_units=["PA08"],
                online_level="partial",
                time_value=8,
                fees=[
                    {"name": "Lệ phí cấp hộ chiếu", "desk": 200000, "online": None, "exemption": ""}
                ],
            ),
        )
        internal = publish_new(
            admin,
            "2.090001",
            units["PX01"],
            make_content(
                name="Xác nhận quá trình công tác cho cán bộ, chiến sĩ",
                domain="TCCB",
                audience="internal_personnel",
                handling_units=["PX01"],
                channels=["desk"],
                online_level="none",
                time_value=5,
                fees=[],
            ),
        )

    return Catalog

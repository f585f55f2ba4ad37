"""A poster printed today keeps working after the procedure changes.

The desk of Công an phường Vinh Phú prints the A4 poster of "Đăng ký thường trú" and tapes it to the
wall. A citizen scans it with a phone: the QR holds the permanent address of the procedure, which
opens its current version. Then the province publishes a new version: nobody reprints anything,
the same paper now opens the new text, and the old version is still readable at its own address.
"""

import re
import shutil
import subprocess
import urllib.request

import pytest

from tests.catalog.factories import republish

pytestmark = pytest.mark.django_db(transaction=True)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as response:
        assert response.status == 200
        return response.read()


def procedure_name(html: bytes) -> str:
    match = re.search(rb'data-testid="procedure-name">([^<]*)<', html)
    assert match, "the page has no procedure name"
    return match.group(1).decode()


def decode_qr_codes(pdf: bytes, tmp_path) -> list[str]:
    """Rasterise page 1 at 150 dpi (as a phone camera would see print) and decode every QR."""
    if shutil.which("pdftoppm") is None:
        pytest.skip(
            "pdftoppm not installed (Debian package poppler-utils): cannot rasterise the "
            "poster to read its QR code"
        )
    (tmp_path / "poster.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "poster.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    image = tmp_path / "page.png"
    if shutil.which("zbarimg"):
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return [line for line in result.stdout.splitlines() if line]
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        pytest.skip(
            "neither zbarimg (Debian package zbar-tools) nor zxing-cpp is available to "
            "decode the poster's QR code"
        )
    return [code.text for code in zxingcpp.read_barcodes(Image.open(image))]


def test_it_keeps_a_printed_poster_pointing_at_the_current_version(
    live_server, settings, catalog, org, tmp_path
):
    settings.PUBLIC_BASE_URL = live_server.url
    code = catalog.residence.code

    poster = fetch(f"{live_server.url}/tthc/{code}/poster.pdf")
    assert poster.startswith(b"%PDF-")
    urls = decode_qr_codes(poster, tmp_path)
    assert urls == [f"{live_server.url}/tthc/{code}/"]

    scanned = urls[0]
    assert procedure_name(fetch(scanned)) == "Đăng ký thường trú"

    republish(
        org["danhmuc"],
        catalog.residence,
        name="Đăng ký thường trú cho công dân Việt Nam",
        note="Sửa tên thủ tục theo quyết định công bố mới.",
    )

    # The same paper, scanned again: new text, no reprint.
    assert procedure_name(fetch(scanned)) == "Đăng ký thường trú cho công dân Việt Nam"
    # A poster printed now carries the very same QR.
    assert decode_qr_codes(fetch(f"{live_server.url}/tthc/{code}/poster.pdf"), tmp_path) == urls

    old = fetch(f"{live_server.url}/tthc/{code}/v/1/").decode()
    assert procedure_name(old.encode()) == "Đăng ký thường trú"
    assert "không còn hiệu lực" in old
    assert f'href="/tthc/{code}/"' in old  # a way to the version in force


def test_it_prints_a_desk_sheet_whose_tiles_all_scan(client, settings, catalog, tmp_path):
    settings.PUBLIC_BASE_URL = "https://motcua.congan.nghean.gov.vn"
    sheet = client.get("/tthc/bo-phan/VINHPHU-MC/qr.pdf")
    assert sheet["Content-Type"] == "application/pdf"
    assert sorted(decode_qr_codes(sheet.content, tmp_path)) == [
        "https://motcua.congan.nghean.gov.vn/tthc/1.004194/",
        "https://motcua.congan.nghean.gov.vn/tthc/2.001159/",
    ]

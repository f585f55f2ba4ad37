"""A received dossier at Công an phường Vinh Phú (the dossier stories' fixtures), its handler and
leader, and the test CA with a certificate per unit, made by the demo's own seeder."""

import shutil
import subprocess

import pytest
from django.conf import settings

from tests.dossiers.conftest import citizen, desk_vinhphu, friday_16h, received, tam_tru  # noqa: F401


@pytest.fixture
def pki(org):
    from motcua.eresults import demo

    demo.seed()
    return settings.ERESULT_PKI_DIR


@pytest.fixture
def leader(org):
    return org["lanhdao.vinhphu"]


@pytest.fixture
def handler(org):
    return org["xuly.vinhphu"]


@pytest.fixture
def submitted(received, leader, handler):  # noqa: F811
    from motcua.dossiers.services import dossier_assign, dossier_submit

    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    return dossier_submit(
        actor=handler, dossier=d, version=d.version, result="Đã đăng ký tạm trú tại Vinh Phú"
    )


@pytest.fixture
def issued(submitted, leader, pki):
    """The leader approves with an electronic result: returns the ElectronicResult."""
    from motcua.dossiers.services import dossier_approve

    d = dossier_approve(actor=leader, dossier=submitted, version=submitted.version, e_result=True)
    return d.electronic_result


def signed_bytes(result) -> bytes:
    with result.file.file.open("rb") as f:
        return f.read()


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()


def decode_qr(pdf: bytes, tmp_path) -> list[str]:
    """Rasterise page 1 at 150 dpi, as a phone would see the print, and decode every QR."""
    (tmp_path / "result.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1"]
        + [str(tmp_path / "result.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    assert shutil.which("zbarimg"), "zbarimg (zbar-tools) is needed to read the QR"
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return [line for line in out.stdout.splitlines() if line]


def flip_one_byte(pdf: bytes, where: int | None = None) -> bytes:
    """The same file with one byte of the signed page content changed."""
    at = where if where is not None else len(pdf) // 3
    data = bytearray(pdf)
    data[at] ^= 0x01
    return bytes(data)


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")

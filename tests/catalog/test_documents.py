"""Printed documents: PDFs use only the fonts shipped in the repository, whatever the server has;
QR codes decode to exactly the URL given."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from motcua.documents.pdf import FONT_FILES, FONTS_DIR
from motcua.documents.qr import qr_png, qr_svg

SAMPLE = "Đăng ký thường trú — Cấp đổi thẻ căn cước — Lệ phí 20.000 đồng"


def render(text: str) -> bytes:
    from django.template import engines

    from motcua.documents import pdf

    template = engines["django"].from_string(
        '{% extends "documents/print_base.html" %}{% block body %}'
        '<h1 class="serif">{{ text }}</h1><p>{{ text }}</p>{% endblock %}'
    )
    html = template.render({"text": text})
    original = pdf.render_to_string
    pdf.render_to_string = lambda *_a, **_k: html
    try:
        return pdf.render_pdf("unused.html")
    finally:
        pdf.render_to_string = original


def pdftotext(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (Debian package poppler-utils)")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdffonts(data: bytes, tmp_path) -> set[str]:
    """Embedded font names, without the subset prefix ("ABCDEF+Motcua-Sans")."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts not installed (Debian package poppler-utils)")
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines if line.strip()}


def test_it_ships_the_fonts_and_their_licence():
    for filename in FONT_FILES.values():
        assert (FONTS_DIR / filename).stat().st_size > 100_000
    licence = (FONTS_DIR / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_it_embeds_the_shipped_fonts_and_keeps_vietnamese_text(tmp_path):
    data = render(SAMPLE)
    assert data.startswith(b"%PDF-")
    fonts = pdffonts(data, tmp_path)
    assert fonts == {"Motcua-Sans", "Motcua-Serif-Bold"}
    assert SAMPLE in " ".join(pdftotext(data, tmp_path).split())


def test_it_renders_the_same_on_a_server_without_any_system_font(tmp_path):
    """With fontconfig pointed at an empty configuration (no system fonts at all), the PDF still
    has every Vietnamese letter: nothing depends on what the server has installed."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><cachedir>' + str(tmp_path) + "</cachedir></fontconfig>"
    )
    out = tmp_path / "bare.pdf"
    script = (
        "import django, sys; django.setup(); "
        "from tests.catalog.test_documents import render, SAMPLE; "
        f"open({str(out)!r}, 'wb').write(render(SAMPLE))"
    )
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "motcua.settings_test",
        "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)]),
    }
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120, cwd=root)
    assert pdffonts(out.read_bytes(), tmp_path) == {"Motcua-Sans", "Motcua-Serif-Bold"}
    assert SAMPLE in " ".join(pdftotext(out.read_bytes(), tmp_path).split())


def test_it_makes_qr_codes_that_decode_to_the_url():
    url = "https://motcua.congan.nghean.gov.vn/tthc/1.004194.H40/"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))))
    assert [code.text for code in decoded] == [url]
    svg = qr_svg(url, title="1.004194.H40")
    assert svg.startswith("<svg") and "<title>1.004194.H40</title>" in svg

"""The URLs printed on posters are a public contract: their shape must never change."""

from django.urls import reverse


def test_it_keeps_the_printed_urls_exactly_as_they_are():
    code = "1.004194.H40"
    assert reverse("catalog:detail", args=[code]) == "/tthc/1.004194.H40/"
    assert reverse("catalog:version", args=[code, 2]) == "/tthc/1.004194.H40/v/2/"
    assert reverse("catalog:qr-svg", args=[code]) == "/tthc/1.004194.H40/qr.svg"
    assert reverse("catalog:qr-png", args=[code]) == "/tthc/1.004194.H40/qr.png"
    assert reverse("catalog:poster", args=[code]) == "/tthc/1.004194.H40/poster.pdf"
    assert reverse("catalog:desk-sheet", args=["VINHPHU-MC"]) == "/tthc/bo-phan/VINHPHU-MC/qr.pdf"


def test_it_builds_the_absolute_url_from_public_base_url(settings, catalog):
    settings.PUBLIC_BASE_URL = "https://motcua.congan.nghean.gov.vn"
    assert catalog.residence.public_url() == "https://motcua.congan.nghean.gov.vn/tthc/1.004194/"
    assert catalog.residence.short_url() == "motcua.congan.nghean.gov.vn/tthc/1.004194/"

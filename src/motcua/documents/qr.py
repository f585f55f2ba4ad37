"""QR codes with segno: SVG for pages and PDFs (vector, sharp at any size), PNG for download.

Error correction "Q" (25 % of the symbol can be lost) because posters hang on walls for years and
get scratched, faded and taped over; the URLs are short, so the symbol stays small.
"""

import io

import segno


def _make(url: str):
    return segno.make_qr(url, error="q", boost_error=False)


def qr_svg(url: str, *, scale: int = 4, border: int = 4, title: str | None = None) -> str:
    """An SVG document (text) for `url`; `scale` is the size of one module in SVG units."""
    buffer = io.BytesIO()
    _make(url).save(
        buffer,
        kind="svg",
        scale=scale,
        border=border,
        xmldecl=False,
        svgns=True,
        title=title,
        unit=None,
    )
    return buffer.getvalue().decode()


def qr_png(url: str, *, scale: int = 10, border: int = 4) -> bytes:
    """PNG bytes for `url` (segno writes PNG itself: no Pillow)."""
    buffer = io.BytesIO()
    _make(url).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_svg_data_uri(url: str, **kwargs) -> str:
    """The SVG as a data: URI, for <img> in WeasyPrint templates."""
    from base64 import b64encode

    return "data:image/svg+xml;base64," + b64encode(qr_svg(url, **kwargs).encode()).decode()

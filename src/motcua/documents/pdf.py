"""HTML/CSS templates to PDF with WeasyPrint, using only the fonts shipped in ./fonts.

The fonts are declared with @font-face under family names of our own ("Motcua Sans",
"Motcua Serif"), so a printed form looks the same on every server whatever fonts the system has:
a missing system font can never silently swap in a face without Vietnamese glyphs. Templates use
`font-family: "Motcua Sans"` or `"Motcua Serif"`; `print_base.html` sets the sans face.
"""

import functools
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    ("Motcua Sans", 400): "NotoSans-Regular.ttf",
    ("Motcua Sans", 700): "NotoSans-Bold.ttf",
    ("Motcua Serif", 400): "NotoSerif-Regular.ttf",
    ("Motcua Serif", 700): "NotoSerif-Bold.ttf",
}


def in_vietnamese(render):
    """Printed forms and posters are legal documents in Vietnamese, whatever language the
    officer's screen is in (an English session once printed "180 minutes" on a receipt)."""

    @functools.wraps(render)
    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return render(*args, **kwargs)

    return wrapper


def font_face_css() -> str:
    rules = []
    for (family, weight), filename in FONT_FILES.items():
        url = (FONTS_DIR / filename).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: normal; src: url("{url}") format("truetype"); }}'
        )
    return "\n".join(rules)


@in_vietnamese
def render_pdf(template_name: str, context: dict | None = None, request=None) -> bytes:
    """Render a Django template to PDF bytes."""
    # Imported here: WeasyPrint loads pango at import time (~0.3 s), which most requests skip.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context or {}, request=request)
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_face_css(), font_config=fonts)
    document = HTML(string=html, base_url=str(FONTS_DIR))
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)

"""Printed documents shared by the apps: PDFs (WeasyPrint, fonts shipped in fonts/) and QR codes.

`render_pdf(template_name, context)` and `qr_svg(url)` / `qr_png(url)` are the whole interface.
"""

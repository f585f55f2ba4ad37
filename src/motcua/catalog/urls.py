"""Public catalogue URLs, mounted at /tthc/.

THESE URLS ARE PRINTED ON PAPER. Each procedure's QR poster encodes PUBLIC_BASE_URL/tthc/<code>/
and posters hang on desk walls for years, through every release: never rename, move or remove
/tthc/<code>/, /tthc/<code>/v/<n>/, /tthc/<code>/qr.svg, /tthc/<code>/qr.png or
/tthc/<code>/poster.pdf. tests/catalog/test_public_urls.py pins them. Published pages (and their
files for nginx) link the forms at /tthc/<code>/mau/<id>/: keep that too.
"""

from django.urls import path

from motcua.catalog import converters, views  # noqa: F401 (converters registers <tthc:>)

app_name = "catalog"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("ngon-ngu/", views.set_language, name="set-language"),
    path("bo-phan/<str:desk_code>/qr.pdf", views.desk_sheet, name="desk-sheet"),
    path("<tthc:code>/", views.procedure_detail, name="detail"),
    path("<tthc:code>/v/<int:number>/", views.procedure_version, name="version"),
    path("<tthc:code>/lich-su/", views.procedure_history, name="history"),
    path("<tthc:code>/so-sanh/", views.procedure_compare, name="compare"),
    path("<tthc:code>/qr.svg", views.qr_svg_view, name="qr-svg"),
    path("<tthc:code>/qr.png", views.qr_png_view, name="qr-png"),
    path("<tthc:code>/poster.pdf", views.poster, name="poster"),
    path("<tthc:code>/mau/<int:form_id>/", views.form_download, name="form"),
]

"""Staff catalogue administration, mounted at /can-bo/tthc/."""

from django.urls import path

from motcua.catalog import converters, staff_views  # noqa: F401 (registers <tthc:>)

app_name = "catalog_staff"
urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("them/", staff_views.staff_create, name="create"),
    path("excel/nhap/", staff_views.staff_import, name="import"),
    path("excel/xuat/", staff_views.staff_export, name="export"),
    path("bo-phan/", staff_views.staff_desks, name="desks"),
    path("<tthc:code>/", staff_views.staff_detail, name="detail"),
    path("<tthc:code>/sua/", staff_views.staff_edit, name="edit"),
    path("<tthc:code>/cong-bo/", staff_views.staff_publish, name="publish"),
    path("<tthc:code>/huy-nhap/", staff_views.staff_discard, name="discard"),
    path("<tthc:code>/so-sanh/", staff_views.staff_compare, name="compare"),
    path("<tthc:code>/mau/<int:form_id>/", staff_views.staff_form_download, name="form"),
]

"""The citizen's pages, mounted at /cong-dan/ (namespace "portal"). The sign-in pages
(/cong-dan/dang-nhap/ ...) are the sign-in work's; fixed words come before <...> parts."""

from django.urls import path

from motcua.catalog import converters  # noqa: F401 (registers <tthc:>)
from motcua.portal.online import views

app_name = "portal"
urlpatterns = [
    path("", views.my_dossiers, name="my_dossiers"),
    path("nop/<tthc:code>/", views.apply, name="apply"),
    path("don/<int:pk>/", views.application, name="application"),
    path("don/<int:pk>/tep/<int:file_id>/", views.application_file, name="application-file"),
    path("ho-so/<str:code>/", views.my_dossier, name="dossier"),
    path("ho-so/<str:code>/bo-sung/", views.my_dossier_supplement, name="dossier-supplement"),
    path("ho-so/<str:code>/tep/<int:file_id>/", views.my_dossier_file, name="dossier-file"),
    path("ho-so/<str:code>/bieu-mau/<str:form>.pdf", views.my_dossier_form, name="dossier-form"),
]

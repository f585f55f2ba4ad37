"""Staff URLs for dossiers, mounted at /can-bo/ho-so/: screens in staff_urls, printable forms in
form_urls."""

from django.urls import include, path

urlpatterns = [
    path("", include("motcua.dossiers.staff_urls")),
    path("", include("motcua.dossiers.form_urls")),
]

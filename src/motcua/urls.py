from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from motcua.api.main import api
from motcua.payments import simulator

admin.site.site_header = _("Quản trị motcua")
admin.site.site_title = _("Quản trị motcua")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="home", permanent=False)),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("tthc/", include("motcua.catalog.urls")),
    path("can-bo/tthc/", include("motcua.catalog.staff_urls")),
    path("tra-cuu/", include("motcua.portal.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    # Answers only when DEMO_PAYMENT_SIMULATOR is on (404 otherwise).
    path("demo-vnpay/", simulator.gateway, name="vnpay-simulator"),
    path("can-bo/ho-so/", include("motcua.dossiers.urls")),
    path("can-bo/chi-so/", include("motcua.metrics.staff_urls")),
    path("chi-so/", include("motcua.metrics.urls")),
    path("", include("motcua.web.urls")),
]

handler400 = "motcua.web.errors.bad_request"
handler403 = "motcua.web.errors.permission_denied"
handler404 = "motcua.web.errors.page_not_found"
handler500 = "motcua.web.errors.server_error"

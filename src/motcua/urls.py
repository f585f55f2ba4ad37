from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from motcua.api.main import api
from motcua.demo_idp.urls import login_patterns as demo_idp_login
from motcua.demo_idp.urls import provider_patterns as demo_idp_provider
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
    path("cong-dan/thong-bao/", include("motcua.notify.urls")),
    path("xac-minh/", include("motcua.eresults.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    # Answers only when DEMO_PAYMENT_SIMULATOR is on (404 otherwise).
    path("demo-vnpay/", simulator.gateway, name="vnpay-simulator"),
    # Citizens: sign-in and "Hồ sơ của tôi".
    path("cong-dan/", include("motcua.portal.citizen_urls")),
    # The demo OpenID provider: answers only when DEMO_IDP is on (404 otherwise).
    path("demo-idp/", include((demo_idp_provider, "oauth2_provider"))),
    path("demo-idp/", include((demo_idp_login, "demo_idp"))),
    path("can-bo/ho-so/", include("motcua.dossiers.urls")),
    path("danh-gia/", include("motcua.ratings.urls")),
    path("can-bo/danh-gia/", include("motcua.ratings.staff_urls")),
    path("phan-anh-kien-nghi/", include("motcua.feedback.urls")),
    path("can-bo/phan-anh/", include("motcua.feedback.staff_urls")),
    path("can-bo/truc-tuyen/", include("motcua.portal.online.staff_urls")),
    path("can-bo/chi-so/", include("motcua.metrics.staff_urls")),
    path("chi-so/", include("motcua.metrics.urls")),
    path("can-bo/cai-cach/", include("motcua.reform.urls")),
    path("can-bo/thi-hanh-an/", include("motcua.sentences.staff_urls")),
    path("thi-hanh-an/", include("motcua.sentences.urls")),
    path("", include("motcua.web.urls")),
]

handler400 = "motcua.web.errors.bad_request"
handler403 = "motcua.web.errors.permission_denied"
handler404 = "motcua.web.errors.page_not_found"
handler500 = "motcua.web.errors.server_error"

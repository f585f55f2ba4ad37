from django.urls import path

from motcua.portal import oidc, signin_views
from motcua.portal.online import citizen_urls as online

app_name = "portal"

urlpatterns = [
    path("dang-nhap/", signin_views.sign_in, name="sign_in"),
    path("dang-nhap/dinh-danh/", oidc.CitizenOIDCStart.as_view(), name="oidc_start"),
    path("dang-nhap/dinh-danh/xong/", oidc.CitizenOIDCCallback.as_view(), name="oidc_callback"),
    path("dang-nhap/ma/", signin_views.code_request, name="code_request"),
    path("dang-nhap/ma/xac-nhan/", signin_views.code_verify, name="code_verify"),
    path("dang-xuat/", signin_views.sign_out, name="sign_out"),
    # "Hồ sơ của tôi" and online submission.
    *online.urlpatterns,
]

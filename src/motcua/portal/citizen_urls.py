from django.urls import path

from motcua.portal import oidc, signin_views

app_name = "portal"

urlpatterns = [
    path("", signin_views.my_dossiers, name="my_dossiers"),
    path("dang-nhap/", signin_views.sign_in, name="sign_in"),
    path("dang-nhap/dinh-danh/", oidc.CitizenOIDCStart.as_view(), name="oidc_start"),
    path("dang-nhap/dinh-danh/xong/", oidc.CitizenOIDCCallback.as_view(), name="oidc_callback"),
    path("dang-nhap/ma/", signin_views.code_request, name="code_request"),
    path("dang-nhap/ma/xac-nhan/", signin_views.code_verify, name="code_verify"),
    path("dang-xuat/", signin_views.sign_out, name="sign_out"),
]

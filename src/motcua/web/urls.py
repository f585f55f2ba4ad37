from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.web import views
from motcua.web.forms import LoginForm

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/", views.home, name="home"),
    path("can-bo/don-vi/", views.units, name="units"),
    path("can-bo/nhan-su/", views.staff, name="staff"),
    path("can-bo/thong-bao/", views.notices, name="notices"),
    path("can-bo/nhat-ky/", views.audit_log, name="audit-log"),
]

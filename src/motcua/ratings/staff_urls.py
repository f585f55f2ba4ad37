from django.urls import path

from motcua.ratings import views

urlpatterns = [
    path("", views.report, name="ratings-report"),
    path("ho-so/", views.report_dossiers, name="ratings-dossiers"),
    path("kiosk/", views.kiosk_bind, name="ratings-kiosk-bind"),
]

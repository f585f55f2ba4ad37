"""The page a person under supervision opens on their phone to check in (personal signed link)."""

from django.urls import path

from motcua.sentences import views

urlpatterns = [
    path("diem-danh/<str:token>/", views.checkin, name="sentences-checkin"),
]

from django.urls import path

from motcua.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.citizen_notices, name="citizen-notices"),
    path("da-doc/", views.mark_read, name="mark-read"),
]

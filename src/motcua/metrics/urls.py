from django.urls import path

from motcua.metrics import views

app_name = "metrics_public"

urlpatterns = [
    path("<str:code>/", views.public_unit, name="unit"),
]

from django.urls import path

from motcua.metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("don-vi/<str:code>/", views.unit_page, name="unit"),
    path("don-vi/<str:code>/ho-so/", views.drill_down, name="dossiers"),
]

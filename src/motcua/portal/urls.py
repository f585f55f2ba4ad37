from django.urls import path

from motcua.portal import views

# /tra-cuu/<code>/ is printed as a QR code on every receipt: never change it.
urlpatterns = [
    path("", views.track_search, name="track-search"),
    path("<str:code>/", views.track, name="track"),
    path("<str:code>/ket-qua-dien-tu/", views.track_eresult, name="track-eresult"),
]

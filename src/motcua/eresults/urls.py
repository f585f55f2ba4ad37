from django.urls import path

from motcua.eresults import views

# /xac-minh/<public_id>/ is printed as a QR code on every electronic result: never change it.
urlpatterns = [
    path("", views.verify_index, name="eresult-verify"),
    path("<str:public_id>/", views.verify_detail, name="eresult-detail"),
]

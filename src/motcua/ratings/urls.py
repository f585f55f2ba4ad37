from django.urls import path

from motcua.ratings import views

# /danh-gia/<token>/ is sent to citizens with their result: never change it. Fixed words come
# before <token>/ (a token is 43 characters, so no word can be taken for one).
urlpatterns = [
    path("quay/", views.kiosk_page, name="rating-kiosk"),
    path("<str:token>/", views.rating, name="rating"),
]

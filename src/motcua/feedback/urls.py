"""Public feedback pages, mounted at /phan-anh-kien-nghi/. Fixed words before <code>/."""

from django.urls import path

from motcua.feedback import views

urlpatterns = [
    path("", views.public_list, name="feedback-public"),
    path("gui/", views.file_feedback, name="feedback-file"),
    path("theo-doi/", views.status, name="feedback-status"),
    path("<str:code>/", views.public_detail, name="feedback-public-detail"),
]

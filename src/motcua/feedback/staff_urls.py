"""Staff feedback inbox, mounted at /can-bo/phan-anh/."""

from django.urls import path

from motcua.feedback import views

urlpatterns = [
    path("", views.inbox, name="feedback-inbox"),
    path("<str:code>/", views.detail, name="feedback-staff-detail"),
    path("<str:code>/thao-tac/<str:action>/", views.action, name="feedback-action"),
    path("<str:code>/tep/<int:file_id>/", views.staff_file, name="feedback-file-download"),
]

"""The desk's online inbox, mounted at /can-bo/truc-tuyen/."""

from django.urls import path

from motcua.portal.online import views

urlpatterns = [
    path("", views.inbox, name="online-inbox"),
    path("<int:pk>/", views.inbox_detail, name="online-inbox-item"),
    path("<int:pk>/tep/<int:file_id>/", views.inbox_file, name="online-inbox-file"),
    path("<int:pk>/<str:action>/", views.inbox_action, name="online-inbox-action"),
]

"""Staff screens under /can-bo/ho-so/. Fixed words come before <code>/ so that a dossier code
can never shadow them."""

from django.urls import path

from motcua.dossiers import views

urlpatterns = [
    path("", views.queues, name="dossier-queues"),
    path("tiep-nhan/", views.intake, name="dossier-intake"),
    path("tiep-nhan/thu-tuc/", views.intake_procedures, name="dossier-intake-procedures"),
    path("tiep-nhan/giay-to/", views.intake_checklist, name="dossier-intake-checklist"),
    path("tiep-nhan/phieu/<str:number>/", views.intake_slip, name="dossier-intake-slip"),
    path("so-theo-doi/", views.logbook, name="dossier-logbook"),
    path("tim-kiem/", views.search, name="dossier-search"),
    path("so-theo-doi/toan-bo/", views.logbook_wide, name="dossier-logbook-wide"),
    path("<str:code>/", views.detail, name="dossier-detail"),
    path("<str:code>/thao-tac/<str:action>/", views.action, name="dossier-action"),
    path("<str:code>/tep/<int:file_id>/", views.dossier_file, name="dossier-file"),
]

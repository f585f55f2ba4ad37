"""Printable forms (PDF) and the logbook export, under /can-bo/ho-so/."""

from django.urls import path

from motcua.dossiers import form_views

urlpatterns = [
    path("<str:code>/bieu-mau/<str:form>.pdf", form_views.dossier_form, name="dossier-form"),
    path("phieu/<str:number>.pdf", form_views.intake_slip_pdf, name="intake-slip-pdf"),
    path("so-theo-doi/<str:desk_code>.pdf", form_views.logbook_pdf, name="logbook-pdf"),
    path("so-theo-doi/<str:desk_code>.xlsx", form_views.logbook_xlsx, name="logbook-xlsx"),
]

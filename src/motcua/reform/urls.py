"""Reform scorecard staff pages, mounted at /can-bo/cai-cach/."""

from django.urls import path

from motcua.reform import views

urlpatterns = [
    path("", views.index, name="reform-index"),
    path("mo-nam/", views.cycle_open, name="reform-open"),
    path("bo-tieu-chi/nhap/", views.template_upload, name="reform-template-upload"),
    path("bo-tieu-chi/<int:template_id>.xlsx", views.template_xlsx, name="reform-template-xlsx"),
    path("<int:cycle_id>/", views.cycle_page, name="reform-cycle"),
    path("<int:cycle_id>/cong-bo/", views.publish, name="reform-publish"),
    path("<int:cycle_id>/khao-sat/", views.survey_upload, name="reform-survey-upload"),
    path("<int:cycle_id>/dinh-chinh/", views.correct, name="reform-correct"),
    path("<int:cycle_id>/ket-qua.xlsx", views.results_xlsx, name="reform-results-xlsx"),
    path("<int:cycle_id>/ket-qua.pdf", views.results_pdf, name="reform-results-pdf"),
    path("<int:cycle_id>/<str:unit_code>/", views.unit_page, name="reform-unit"),
    path("<int:cycle_id>/<str:unit_code>/khoa/", views.lock, name="reform-lock"),
    path(
        "<int:cycle_id>/<str:unit_code>/tep/<int:evidence_id>/",
        views.evidence_file,
        name="reform-evidence",
    ),
    path("<int:cycle_id>/<str:unit_code>/ket-thuc/", views.close, name="reform-close"),
    path("<int:cycle_id>/<str:unit_code>/khao-sat/", views.survey, name="reform-survey"),
    path(
        "<int:cycle_id>/<str:unit_code>/tu-cham/<int:assessment_id>/",
        views.self_score,
        name="reform-self-score",
    ),
    path(
        "<int:cycle_id>/<str:unit_code>/tham-dinh/<int:assessment_id>/",
        views.appraise,
        name="reform-appraise",
    ),
]

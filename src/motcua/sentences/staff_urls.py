"""Staff pages of community sentence supervision, mounted at /can-bo/thi-hanh-an/."""

from django.urls import path

from motcua.sentences import views

app_name = "sentences"
urlpatterns = [
    path("", views.home, name="home"),
    path("viec-can-lam/", views.todo, name="todo"),
    path("ho-so/", views.cases, name="cases"),
    path("ho-so/tao-moi/", views.case_new, name="new"),
    path("ho-so/nhap-tep/", views.case_import, name="import"),
    path("thong-ke/", views.dashboard, name="dashboard"),
    path("danh-sach-thang.xlsx", views.monthly_xlsx, name="monthly-xlsx"),
    path("danh-sach-thang.pdf", views.monthly_pdf, name="monthly-pdf"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/muc-dich/", views.purpose, name="purpose"),
    path("ho-so/<str:code>/thao-tac/<str:name>/", views.action, name="action"),
    path("ho-so/<str:code>/tai-lieu/", views.document_upload, name="document-upload"),
    path(
        "ho-so/<str:code>/tai-lieu/<int:document_id>/",
        views.document_download,
        name="document-download",
    ),
    path("ho-so/<str:code>/bien-ban-tiep-nhan.pdf", views.reception_pdf, name="reception-pdf"),
    path("ho-so/<str:code>/vang-mat/<int:absence_id>.pdf", views.absence_pdf, name="absence-pdf"),
]

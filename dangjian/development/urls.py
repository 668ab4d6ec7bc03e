from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.record_list, name="record-list"),
    path("due/", views.due_list, name="due-list"),
    path("new/", views.record_create, name="record-create"),
    path("<int:pk>/", views.record_detail, name="record-detail"),
    path("<int:pk>/steps/new/", views.step_create, name="step-create"),
    path("<int:pk>/terminate/", views.record_terminate, name="record-terminate"),
    path("<int:pk>/key-teacher/", views.key_teacher_mark, name="record-key-teacher"),
    path("<int:pk>/documents/new/", views.document_add, name="document-create"),
    path("<int:pk>/publicity.docx", views.publicity_docx, name="record-publicity"),
    path("<int:pk>/political-review.docx", views.review_docx, name="record-review"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
]

from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("findings/", views.finding_list, name="finding-list"),
    path("findings/new/", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path(
        "rectifications/<int:pk>/submit/", views.rectification_submit, name="rectification-submit"
    ),
    path(
        "rectifications/<int:pk>/verify/", views.rectification_verify, name="rectification-verify"
    ),
    path(
        "rectifications/<int:pk>/reject/", views.rectification_reject, name="rectification-reject"
    ),
    path("rectifications/<int:pk>/notes/", views.progress_note_add, name="progress-note-add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("overdue/", views.overdue_list, name="overdue-list"),
    path("ledger/", views.ledger, name="ledger"),
]

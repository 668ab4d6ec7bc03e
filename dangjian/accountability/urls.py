from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("records/", views.record_list, name="record-list"),
    path("records/new/", views.record_create, name="record-create"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("pending/", views.pending, name="pending"),
    path("pending/<int:pk>/none/", views.no_decision_create, name="no-decision-create"),
    path("no-decisions/", views.no_decision_list, name="no-decision-list"),
    path("ledger/", views.ledger, name="ledger"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]

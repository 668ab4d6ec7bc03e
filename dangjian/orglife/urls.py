from django.urls import path

from . import views

app_name = "orglife"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_update, name="meeting-update"),
    path("meetings/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment-remove"),
    path("compliance/", views.compliance, name="compliance"),
    path("reelections/", views.reelection_list, name="reelection-list"),
    path("checklists/", views.checklist_list, name="checklist-list"),
    path("checklists/new/", views.checklist_create, name="checklist-create"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist-detail"),
    path("checklists/<int:pk>/fill/", views.assessment_fill, name="assessment-fill"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("scores/<int:pk>/evidence/", views.evidence_download, name="evidence-download"),
    path("vanguards/", views.vanguard_list, name="vanguard-list"),
    path("vanguards/new/", views.vanguard_create, name="vanguard-create"),
    path("vanguards/<int:pk>/", views.vanguard_detail, name="vanguard-detail"),
    path("vanguards/<int:pk>/close/", views.vanguard_close, name="vanguard-close"),
]

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("items/", views.item_list, name="item-list"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_update, name="item-update"),
    path("items/<int:pk>/file/", views.item_file, name="item-file"),
    path("items/<int:pk>/review/", views.item_review, name="item-review"),
    path("items/<int:pk>/attachments/new/", views.item_attachment_add, name="item-attachment-add"),
    path("items/<int:pk>/execution/", views.execution_start, name="execution-start"),
    path("items/<int:pk>/spot-check/", views.spot_check_create, name="spot-check-create"),
    path("executions/<int:pk>/report/", views.execution_report, name="execution-report"),
    path("executions/<int:pk>/complete/", views.execution_complete, name="execution-complete"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_minutes, name="meeting-minutes"),
    path(
        "meetings/<int:pk>/attachments/new/",
        views.meeting_attachment_add,
        name="meeting-attachment-add",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("settings/", views.settings_page, name="settings"),
    path("catalogue/", views.category_list, name="category-list"),
    path("catalogue/new/", views.category_create, name="category-create"),
    path("catalogue/<int:pk>/edit/", views.category_update, name="category-update"),
    path("ledger/", views.ledger, name="ledger"),
]

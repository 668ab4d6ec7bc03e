from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("checklists/", views.checklist_list, name="checklist-list"),
    path("checklists/new/", views.checklist_create, name="checklist-create"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist-detail"),
    path("checklists/<int:pk>/edit/", views.checklist_update, name="checklist-update"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/start/", views.inspection_start, name="inspection-start"),
    path("inspections/<int:pk>/record/", views.inspection_record, name="inspection-record"),
    path("inspections/<int:pk>/complete/", views.inspection_complete, name="inspection-complete"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
]

from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("members/", views.member_list, name="member-list"),
    path("members/new/", views.member_create, name="member-create"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member-update"),
    path("members/<int:pk>/make-full/", views.member_make_full, name="member-make-full"),
    path("members/<int:pk>/status/", views.member_status, name="member-status"),
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("transfers/new/", views.transfer_create, name="transfer-create"),
    path("transfers/in/", views.transfer_in, name="transfer-in"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer-detail"),
    path("transfers/<int:pk>/confirm/", views.transfer_confirm, name="transfer-confirm"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer-cancel"),
    path("transfers/<int:pk>/expire/", views.transfer_expire, name="transfer-expire"),
    path("branches/lookup/", views.branch_lookup, name="branch-lookup"),
]

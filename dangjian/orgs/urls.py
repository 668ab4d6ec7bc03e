from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("tree/", views.unit_tree, name="unit-tree"),
    path("tree/<int:pk>/children/", views.unit_children, name="unit-children"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_update, name="unit-update"),
    path("units/<int:pk>/close/", views.unit_close, name="unit-close"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit-merge"),
    path("partyorgs/", views.partyorg_list, name="partyorg-list"),
    path("partyorgs/new/", views.partyorg_create, name="partyorg-create"),
    path("partyorgs/<int:pk>/", views.partyorg_detail, name="partyorg-detail"),
    path("partyorgs/<int:pk>/edit/", views.partyorg_update, name="partyorg-update"),
    path("partyorgs/<int:pk>/posts/new/", views.post_create, name="post-create"),
    path("posts/<int:pk>/end/", views.post_end, name="post-end"),
    path("liaisons/", views.liaison_list, name="liaison-list"),
    path("liaisons/new/", views.liaison_create, name="liaison-create"),
    path("liaisons/<int:pk>/", views.liaison_detail, name="liaison-detail"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison-end"),
    path("exchanges/", views.exchange_list, name="exchange-list"),
    path("exchanges/new/", views.exchange_create, name="exchange-create"),
    path("unitevents/", views.unitevent_list, name="unitevent-list"),
]

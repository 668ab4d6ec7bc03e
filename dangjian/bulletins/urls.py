from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="bulletin-list"),
    path("new/", views.bulletin_create, name="bulletin-create"),
    path("<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
    path("<int:pk>/edit/", views.bulletin_update, name="bulletin-update"),
    path("<int:pk>/examples/", views.example_add, name="example-add"),
    path("examples/<int:pk>/remove/", views.example_remove, name="example-remove"),
    path("<int:pk>/issue/", views.bulletin_issue, name="bulletin-issue"),
    path("<int:pk>/document/", views.bulletin_download, name="bulletin-download"),
]

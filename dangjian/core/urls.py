from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("figures/", views.figure_list, name="figure-list"),
    path("figures/<str:name>/", views.figure_rows, name="figure-rows"),
    path("export/<str:name>/", views.export, name="export"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]

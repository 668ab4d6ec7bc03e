from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="notice-list"),
    path("<int:pk>/", views.notice_open, name="notice-open"),
    path("read-all/", views.notice_read_all, name="notice-read-all"),
]

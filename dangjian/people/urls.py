from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("new/", views.person_create, name="person-create"),
    path("me/", views.me, name="me"),
    path("me/pii/", views.me_pii, name="me-pii"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/pii/", views.person_pii, name="person-pii"),
    path("<int:pk>/edit/", views.person_update, name="person-update"),
    path("<int:pk>/leave/", views.person_leave, name="person-leave"),
]

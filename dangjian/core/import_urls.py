from django.urls import path

from . import import_views

app_name = "imports"
urlpatterns = [
    path("<str:kind>/", import_views.import_start, name="import-start"),
    path("<str:kind>/template.xlsx", import_views.import_template, name="import-template"),
]

from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("arrears/", views.arrears_list, name="arrears"),
    path("calculator/", views.calculator, name="calculator"),
    path("branches/<int:pk>/", views.branch_month, name="branch-month"),
    path(
        "branches/<int:pk>/reconciliation/",
        views.branch_reconciliation,
        name="branch-reconciliation",
    ),
    path("branches/<int:pk>/ledger.xlsx", views.branch_ledger, name="branch-ledger"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("members/<int:pk>/base/", views.base_set, name="base-set"),
    path("members/<int:pk>/payments/new/", views.payment_create, name="payment-create"),
    path("members/<int:pk>/exemptions/new/", views.exemption_create, name="exemption-create"),
]

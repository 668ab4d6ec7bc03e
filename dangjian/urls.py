from django.urls import include, path, re_path

from dangjian.core import views as core_views

from .api import api

urlpatterns = [
    path("", core_views.root, name="root"),
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("audit/", include("dangjian.audit.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("people/", include("dangjian.people.urls")),
    path("imports/", include("dangjian.core.import_urls")),
    path("party/", include("dangjian.party.urls")),
    path("development/", include("dangjian.development.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("orglife/", include("dangjian.orglife.urls")),
    path("supervision/", include("dangjian.supervision.urls")),
    path("rectification/", include("dangjian.rectification.urls")),
    path("accountability/", include("dangjian.accountability.urls")),
    path("decisions/", include("dangjian.decisions.urls")),
    path("notices/", include("dangjian.notices.urls")),
    path("bulletins/", include("dangjian.bulletins.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", core_views.api_fallback),  # JSON 404; trailing slash → canonical path
]

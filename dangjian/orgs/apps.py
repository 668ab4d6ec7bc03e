from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        # the list pages register their exports (core.exports) at import; the task worker
        # never loads the URLconf, so load them here
        from . import views  # noqa: F401

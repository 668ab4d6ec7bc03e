from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "dangjian.people"
    label = "people"
    verbose_name = "人员"

    def ready(self) -> None:
        # the list pages register their exports (core.exports) at import; the task worker
        # never loads the URLconf, so load them here
        from . import views  # noqa: F401

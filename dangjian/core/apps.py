from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import registries

        registries.load()
        connection_created.connect(_sqlite_pragmas)


def _sqlite_pragmas(sender: object, connection: object, **kwargs: object) -> None:
    """Make `LIKE` case-sensitive on SQLite so subtree filters can use the path index.

    init_command covers the normal path; this also covers test databases created by copy.
    """
    if getattr(connection, "vendor", "") == "sqlite":
        with connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("PRAGMA case_sensitive_like=ON")

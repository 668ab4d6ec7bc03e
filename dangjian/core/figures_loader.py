"""Import every app's figures module so the registry is complete at start-up."""

from importlib import import_module

from django.apps import apps

for _config in apps.get_app_configs():
    if _config.name.startswith("dangjian."):
        try:
            import_module(f"{_config.name}.figures")
        except ModuleNotFoundError as exc:
            if exc.name != f"{_config.name}.figures":
                raise

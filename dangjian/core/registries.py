"""Load every app's registering modules at start-up, so the figure, export and import
registries are complete in every process: web workers, the task worker and commands alike
(the task worker never loads the URLconf, which would otherwise pull the views in)."""

from importlib import import_module

from django.apps import apps

REGISTERING_MODULES = ("figures", "imports", "views", "labels")


def load() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("dangjian."):
            continue
        for module in REGISTERING_MODULES:
            try:
                loaded = import_module(f"{config.name}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{module}":
                    raise
                continue
            if module == "labels":  # each area names its audit actions beside its actions
                from dangjian.audit.log import ACTION_LABELS

                ACTION_LABELS.update(loaded.ACTION_LABELS)

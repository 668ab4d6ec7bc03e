"""The capability-area apps that plug into core: each may provide capabilities.py, labels.py,
api.py (router), demo.py (county hook), queries.todos, member_sections.py and
tests/scope_walk.py. One list, so adding an area is one line here plus INSTALLED_APPS/urls."""

AREA_APPS: tuple[str, ...] = (
    "party",
    "development",
    "dues",
    "orglife",
    "supervision",
    "rectification",
    "accountability",
    "bulletins",
    "decisions",
)

"""Chinese names of this area's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "accountability.record_create": "登记问责决定",
    "accountability.no_decision_create": "登记不予追责决定",
    "accountability.session_create": "登记警示教育",
}

"""What each role may do in organisational life (merged into accounts.roles)."""

VIEW = frozenset({"orglife.view"})
RECORD = frozenset(
    {
        "orglife.meeting_create",
        "orglife.meeting_update",
        "orglife.attendance_set",
        "orglife.attachment_add",
        "orglife.attachment_remove",
        "orglife.assessment_save",
        "orglife.vanguard_create",
        "orglife.vanguard_close",
    }
)
DEFINE = frozenset({"orglife.checklist_create"})

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | RECORD | DEFINE,
    "bureau_leader": VIEW,
    "inspector": VIEW,
    "district_staff": VIEW,
    "school_secretary": VIEW | RECORD,
    "school_clerk": VIEW | RECORD,
    "discipline_inspector": VIEW,
}

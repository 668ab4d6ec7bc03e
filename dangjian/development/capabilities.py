"""What each role may do in the development pipeline (merged into accounts.roles)."""

VIEW = frozenset({"development.view"})
EDIT = frozenset(
    {
        "development.record_create",
        "development.step_record",
        "development.record_terminate",
        "development.key_teacher_mark",
        "development.document_add",
    }
)

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | EDIT,
    "bureau_leader": VIEW,
    "inspector": VIEW,
    "district_staff": VIEW,
    "school_secretary": VIEW | EDIT,
    "school_clerk": VIEW | EDIT,
    "discipline_inspector": VIEW,
}

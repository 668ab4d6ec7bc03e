"""What each role may do with party dues (merged into accounts.roles)."""

VIEW = frozenset({"dues.view"})
EDIT = frozenset(
    {
        "dues.base_set",
        "dues.bases_set",
        "dues.exemption_create",
        "dues.payment_batch",
        "dues.payment_create",
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

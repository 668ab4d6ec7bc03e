"""What each role may do with party members and transfers (merged into accounts.roles)."""

VIEW = frozenset({"party.view"})
EDIT = frozenset(
    {
        "party.member_create",
        "party.member_update",
        "party.member_make_full",
        "party.member_status_change",
        "party.transfer_create",
        "party.transfer_confirm",
        "party.transfer_cancel",
        "party.transfer_expire",
        "party.transfer_in",
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

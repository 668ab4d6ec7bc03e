"""What each role may do in 三重一大 (merged into accounts.roles).

Schools file items and record their meetings and execution; the bureau and discipline
inspection review items before the meeting and spot-check them after; the bureau sets the
threshold, lead time and catalogue; leaders, inspectors and district offices read."""

VIEW = frozenset({"decisions.view"})
SCHOOL = frozenset(
    {
        "decisions.item_create",
        "decisions.item_update",
        "decisions.item_file",
        "decisions.attachment_add",
        "decisions.meeting_record",
        "decisions.execution_start",
        "decisions.execution_report",
        "decisions.milestone_done",
        "decisions.execution_complete",
    }
)
REVIEW = frozenset(
    {"decisions.item_approve", "decisions.item_return", "decisions.item_mark_not_major"}
)
SPOT_CHECK = frozenset({"decisions.spot_check_record"})
DEFINE = frozenset(
    {"decisions.settings_save", "decisions.category_create", "decisions.category_update"}
)

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | REVIEW | SPOT_CHECK | DEFINE,
    "bureau_leader": VIEW,
    "inspector": VIEW,
    "district_staff": VIEW,
    "school_secretary": VIEW | SCHOOL,
    "school_clerk": VIEW | SCHOOL,
    "discipline_inspector": VIEW | REVIEW | SPOT_CHECK,
}

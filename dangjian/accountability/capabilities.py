"""What each role may do in accountability (merged into accounts.roles).

Decisions name people and their sanctions: they are read by the bureau, its inspectors, the
district office and 纪检, not by a school's own staff (the school receives the decision as the
issuing body's document). Warning-education sessions are the school's own work: school roles
record and read them (`session_view`)."""

VIEW = frozenset({"accountability.view", "accountability.session_view"})
DECIDE = frozenset({"accountability.record_create", "accountability.no_decision_create"})
SESSION = frozenset({"accountability.session_view", "accountability.session_create"})

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | DECIDE | SESSION,
    "bureau_leader": VIEW,
    # issue 5 §3: an overdue or failed rectification prompts the inspector to decide
    "inspector": VIEW | DECIDE,
    "district_staff": VIEW | SESSION,
    "discipline_inspector": VIEW | DECIDE,
    "school_secretary": SESSION,
    "school_clerk": frozenset({"accountability.session_view"}),
}

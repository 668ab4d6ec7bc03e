"""What each role may do with findings and rectification (merged into accounts.roles).

Recording an inspection finding needs finding_create and rectification_verify on the school
(inspectors, district staff, bureau admin); school roles record self-check findings only."""

VIEW = frozenset({"rectification.view"})
CREATE = frozenset({"rectification.finding_create"})
SCHOOL = frozenset({"rectification.rectification_submit", "rectification.progress_note_add"})
VERIFY = frozenset({"rectification.rectification_verify", "rectification.rectification_reject"})

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | CREATE | VERIFY,
    "bureau_leader": VIEW,
    "inspector": VIEW | CREATE | VERIFY,
    "district_staff": VIEW | CREATE | VERIFY,
    "school_secretary": VIEW | CREATE | SCHOOL,
    "school_clerk": VIEW | CREATE | SCHOOL,
    "discipline_inspector": VIEW,
}

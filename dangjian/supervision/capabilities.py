"""What each role may do in supervision (merged into accounts.roles).

School roles hold the inspection capabilities too, but actions.KIND_ROLES limits them to their
own self-check; a district office patrols, the bureau and inspectors carry out every kind.
A liaison cadre re-checks their schools as an `inspector` assigned at those schools (scope and
capability both come from RoleAssignment, as everywhere else).
"""

VIEW = frozenset({"supervision.view"})
INSPECT = frozenset(
    {
        "supervision.inspection_create",
        "supervision.inspection_start",
        "supervision.inspection_record",
        "supervision.inspection_complete",
    }
)
PLAN = frozenset({"supervision.plan_create"})
DEFINE = frozenset({"supervision.checklist_create", "supervision.checklist_update"})
CAMPAIGN = frozenset({"supervision.campaign_create"})

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | INSPECT | PLAN | DEFINE | CAMPAIGN,
    "bureau_leader": VIEW,
    "inspector": VIEW | INSPECT | PLAN,
    "district_staff": VIEW | INSPECT | PLAN | DEFINE,
    "school_secretary": VIEW | INSPECT,
    "school_clerk": VIEW | INSPECT,
    "discipline_inspector": VIEW,
}

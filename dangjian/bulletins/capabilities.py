"""What each role may do with bulletins (merged into accounts.roles). The supervising side
drafts, picks examples and issues for its own subtree; leaders and 纪检 read them."""

VIEW = frozenset({"bulletins.view"})
DRAFT = frozenset(
    {
        "bulletins.bulletin_create",
        "bulletins.bulletin_update",
        "bulletins.example_add",
        "bulletins.example_remove",
        "bulletins.bulletin_issue",
    }
)

BY_ROLE: dict[str, frozenset[str]] = {
    "bureau_admin": VIEW | DRAFT,
    "bureau_leader": VIEW,
    "inspector": VIEW | DRAFT,
    "district_staff": VIEW | DRAFT,
    "discipline_inspector": VIEW,
    # issued bulletins reach the schools they cover (models.BulletinQuerySet)
    "school_secretary": VIEW,
    "school_clerk": VIEW,
}

"""Roles and the capabilities they carry. A capability string equals the audit action name."""

from django.db import models

from dangjian.areas import AREA_APPS


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", "教育局党务管理员"
    BUREAU_LEADER = "bureau_leader", "教育局领导"
    INSPECTOR = "inspector", "督导员"
    DISTRICT_STAFF = "district_staff", "学区工作人员"
    SCHOOL_SECRETARY = "school_secretary", "学校党组织书记"
    SCHOOL_CLERK = "school_clerk", "学校党务干事"
    DISCIPLINE_INSPECTOR = "discipline_inspector", "纪检人员"
    MEMBER = "member", "党员/教师"
    # 三员分立 (等保三级): no person holds two of these
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# roles that see business data of their unit's subtree (members see only their own record)
BUSINESS_ROLES = frozenset(
    {
        Role.BUREAU_ADMIN,
        Role.BUREAU_LEADER,
        Role.INSPECTOR,
        Role.DISTRICT_STAFF,
        Role.SCHOOL_SECRETARY,
        Role.SCHOOL_CLERK,
        Role.DISCIPLINE_INSPECTOR,
    }
)

VIEW = frozenset({"orgs.view", "people.view", "figures.view"})
ORG_EDIT = frozenset(
    {
        "orgs.unit_create",
        "orgs.unit_update",
        "orgs.partyorg_create",
        "orgs.partyorg_update",
        "orgs.post_create",
        "orgs.post_end",
        "orgs.unit_principal_system_set",
    }
)
ORG_STRUCTURE = frozenset({"orgs.unit_close", "orgs.unit_merge", "orgs.unit_move"})
PEOPLE_EDIT = frozenset({"people.person_create", "people.person_update", "people.person_leave"})
PII = frozenset({"people.person_view_pii"})
LIAISON = frozenset({"orgs.liaison_create", "orgs.liaison_end"})
EXCHANGE = frozenset({"orgs.exchange_create"})
IMPORT = frozenset({"core.import", "core.export"})

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: VIEW
    | ORG_EDIT
    | ORG_STRUCTURE
    | PEOPLE_EDIT
    | PII
    | LIAISON
    | EXCHANGE
    | IMPORT,
    Role.BUREAU_LEADER: VIEW | frozenset({"core.export"}),
    Role.INSPECTOR: VIEW | frozenset({"core.export"}),
    Role.DISTRICT_STAFF: VIEW | PEOPLE_EDIT | EXCHANGE | frozenset({"core.export"}),
    Role.SCHOOL_SECRETARY: VIEW | ORG_EDIT | PEOPLE_EDIT | PII | IMPORT,
    Role.SCHOOL_CLERK: VIEW | ORG_EDIT | PEOPLE_EDIT | IMPORT,
    Role.DISCIPLINE_INSPECTOR: VIEW | PII | frozenset({"core.export"}),
    Role.MEMBER: frozenset({"people.self_view"}),
    Role.SYSTEM_ADMIN: frozenset(
        {
            "accounts.user_create",
            "accounts.user_update",
            "accounts.user_deactivate",
            "accounts.password_reset",
            "accounts.user_unlock",
            "accounts.view",
        }
    ),
    Role.SECURITY_ADMIN: frozenset(
        {"accounts.role_assign", "accounts.role_revoke", "accounts.view"}
    ),
    Role.AUDIT_ADMIN: frozenset({"audit.view"}),
}


def _merge_app_capabilities() -> None:
    """Each capability area declares what its roles may do in `<app>/capabilities.py`
    (`BY_ROLE = {role: frozenset(...)}`), so an area's capabilities live beside its actions."""
    from importlib import import_module

    for app in AREA_APPS:
        try:
            module = import_module(f"dangjian.{app}.capabilities")
        except ModuleNotFoundError as exc:
            if exc.name != f"dangjian.{app}.capabilities":
                raise
            continue
        for role, caps in module.BY_ROLE.items():
            CAPABILITIES[role] = CAPABILITIES.get(role, frozenset()) | frozenset(caps)


_merge_app_capabilities()

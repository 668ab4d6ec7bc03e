"""This app's sections of the member page: status history, transfers, party posts, audit."""

from __future__ import annotations

from typing import Any

from dangjian.audit.queries import trail
from dangjian.core.scope import in_scope
from dangjian.orgs.models import Post

from . import queries
from .sections import section


@section("status", "党员状态变化", order=10, template="party/_section_status.html")
def status_section(member: Any, user: Any) -> dict[str, Any]:
    return {"history": queries.status_history(member)}


@section("transfers", "组织关系转接", order=20, template="party/_section_transfers.html")
def transfers_section(member: Any, user: Any) -> dict[str, Any]:
    rows = list(
        member.transfers.select_related("from_branch__unit", "to_branch__unit").order_by(
            "-issued_on", "-pk"
        )
    )
    return {"transfers": rows}


@section("posts", "党内职务", order=30, template="party/_section_posts.html")
def posts_section(member: Any, user: Any) -> dict[str, Any]:
    posts = list(
        Post.objects.filter(person_id=member.person_id)
        .select_related("org__unit")
        .order_by("-started_on", "-pk")
    )
    return {"posts": [(p, in_scope(user, p.org.unit)) for p in posts]}


@section("audit", "操作记录", order=900, template="party/_section_audit.html")
def audit_section(member: Any, user: Any) -> dict[str, Any]:
    return {"trail": trail(member)}

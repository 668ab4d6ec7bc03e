"""Chinese names of the party app's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "party.member_create": "登记党员",
    "party.member_update": "修改党员信息",
    "party.member_make_full": "预备党员转正",
    "party.member_status_change": "党员状态变更",
    "party.transfer_create": "开具组织关系介绍信",
    "party.transfer_confirm": "接收组织关系",
    "party.transfer_cancel": "撤销组织关系转接",
    "party.transfer_expire": "组织关系介绍信逾期",
    "party.transfer_in": "组织关系从系统外转入",
}

"""Chinese names of this area's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "supervision.checklist_create": "制定督查清单",
    "supervision.checklist_update": "修改督查清单",
    "supervision.plan_create": "制定月度督查计划",
    "supervision.campaign_create": "新建专项整治",
    "supervision.inspection_create": "新建督查",
    "supervision.inspection_start": "开始督查",
    "supervision.inspection_record": "登记督查结果",
    "supervision.inspection_complete": "完成督查",
}

"""Chinese names of this area's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "decisions.settings_save": "保存三重一大设置",
    "decisions.category_create": "新增三重一大事项目录",
    "decisions.category_update": "修改三重一大事项目录",
    "decisions.item_create": "新建三重一大议题",
    "decisions.item_update": "修改三重一大议题",
    "decisions.item_file": "报备三重一大议题",
    "decisions.item_approve": "审核议题：同意上会",
    "decisions.item_return": "审核议题：退回修改",
    "decisions.item_mark_not_major": "审核议题：认定非三重一大事项",
    "decisions.attachment_add": "上传三重一大附件",
    "decisions.meeting_record": "登记决策会议",
    "decisions.execution_start": "登记决策执行",
    "decisions.execution_report": "填写执行进展",
    "decisions.milestone_done": "完成执行节点",
    "decisions.execution_complete": "决策执行完毕",
    "decisions.spot_check_record": "登记三重一大抽查",
}

"""Chinese names of this area's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "orglife.meeting_create": "登记组织生活",
    "orglife.meeting_update": "修改组织生活记录",
    "orglife.attendance_set": "登记党员出勤",
    "orglife.attachment_add": "上传会议附件",
    "orglife.attachment_remove": "删除会议附件",
    "orglife.checklist_create": "制定标准化检查表",
    "orglife.assessment_save": "填报标准化自评",
    "orglife.vanguard_create": "新建示范岗/责任区/承诺",
    "orglife.vanguard_close": "评定示范岗/责任区/承诺",
}

"""Chinese names of the development audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "development.record_create": "登记入党申请",
    "development.step_record": "记录发展步骤",
    "development.record_terminate": "终止发展/取消预备党员资格",
    "development.key_teacher_mark": "登记党员培养成骨干教师",
    "development.document_add": "上传发展材料",
}

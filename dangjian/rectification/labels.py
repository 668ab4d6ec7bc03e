"""Chinese names of this area's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "rectification.finding_create": "登记问题",
    "rectification.progress_note_add": "填写整改进展",
    "rectification.rectification_submit": "提交整改",
    "rectification.rectification_verify": "验收通过（销号）",
    "rectification.rectification_reject": "验收不通过，退回重改",
}

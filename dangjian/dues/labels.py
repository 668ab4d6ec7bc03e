"""Chinese names of the dues audit actions (merged by the lead into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "dues.base_set": "核定党费基数",
    "dues.bases_set": "按支部核定党费基数",
    "dues.exemption_create": "登记党费减免",
    "dues.payment_batch": "按支部批量登记党费",
    "dues.payment_create": "登记党员交纳党费",
}

"""Chinese names of this app's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "notices.reminders_send": "发送整改到期和逾期提醒",
}

"""Chinese names of this area's audit actions (merged into audit.log.ACTION_LABELS)."""

ACTION_LABELS: dict[str, str] = {
    "bulletins.bulletin_create": "起草督导通报",
    "bulletins.bulletin_update": "修改督导通报",
    "bulletins.example_add": "添加通报典型",
    "bulletins.example_remove": "删除通报典型",
    "bulletins.bulletin_issue": "签发督导通报",
    "bulletins.bulletin_document_store": "生成通报文件",
    "bulletins.bulletin_document_failed": "通报文件生成失败",
}

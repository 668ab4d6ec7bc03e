"""Turn pydantic/ninja validation errors into one Chinese message naming the field."""

from __future__ import annotations

from typing import Any

MESSAGES = {
    "missing": "不能为空",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "int_parsing": "请输入整数",
    "date_from_datetime_parsing": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_parsing": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_from_datetime_inexact": "请输入有效日期，格式为 YYYY-MM-DD",
    "bool_parsing": "请输入 true 或 false",
    "enum": "不是有效的选项",
    "literal_error": "不是有效的选项",
    "decimal_parsing": "请输入数字",
    "json_invalid": "请求体不是有效的 JSON",
}
LABELS: dict[str, str] = {}  # field name → Chinese label; routers register theirs


def describe(errors: list[dict[str, Any]]) -> tuple[str | None, str | None, str]:
    if not errors:
        return None, None, "请求无效"
    err = errors[0]
    loc = [str(x) for x in err.get("loc", []) if x not in ("body", "query", "path", "payload")]
    field = loc[-1] if loc else None
    label = LABELS.get(field or "", field)
    reason = MESSAGES.get(str(err.get("type", "")), str(err.get("msg", "无效")))
    message = f"「{label}」：{reason}" if label else reason
    return field, label, message

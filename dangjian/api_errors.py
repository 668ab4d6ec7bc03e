"""Turn pydantic/ninja validation errors into one Chinese message naming the field.

Labels come from the schemas' field titles (Chinese model verbose names), registered per
resource by each router (`core.schemas.register_labels`): "name" is 单位名称 under `units`
and 姓名 under `people`. The resource of a request is its path below /api/v1/ without ids,
matched longest prefix first (`party-orgs/posts`, then `party-orgs`).
"""

from __future__ import annotations

from typing import Any

MESSAGES = {
    "missing": "不能为空",
    "string_too_long": "不能超过{max_length}个字符",
    "string_too_short": "不能少于{min_length}个字符",
    "string_type": "请输入文本",
    "int_parsing": "请输入整数",
    "int_type": "请输入整数",
    "int_from_float": "请输入整数",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "须大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "须小于{lt}",
    "date_from_datetime_parsing": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_parsing": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_from_datetime_inexact": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_type": "请输入有效日期，格式为 YYYY-MM-DD",
    "bool_parsing": "请输入 true 或 false",
    "bool_type": "请输入 true 或 false",
    "enum": "不是有效的选项",
    "literal_error": "不是有效的选项",
    "decimal_parsing": "请输入数字",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体须为 JSON 对象",
    "dict_type": "请求体须为 JSON 对象",
    "extra_forbidden": "不是可接受的字段",
}
# labels valid everywhere (query parameters shared by many endpoints)
LABELS: dict[str, str] = {
    "pk": "编号",
    "page": "页码",
    "page_size": "每页条数",
    "q": "搜索",
    "unit": "单位",
    "start": "开始日期",
    "end": "结束日期",
}
RESOURCE_LABELS: dict[str, dict[str, str]] = {}  # resource → field name → Chinese label


def resource_of(path: str, prefix: str = "/api/v1/") -> str:
    """`/api/v1/party-orgs/7/posts` → `party-orgs/posts`."""
    rest = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    return "/".join(p for p in rest.split("/") if p and not p.isdigit())


def label_for(field: str, resource: str = "") -> str | None:
    parts = resource.split("/") if resource else []
    while parts:
        labels = RESOURCE_LABELS.get("/".join(parts))
        if labels and field in labels:
            return labels[field]
        parts.pop()
    return LABELS.get(field)


def _reason(err: dict[str, Any]) -> str:
    template = MESSAGES.get(str(err.get("type", "")))
    if template is None:
        return str(err.get("msg", "无效"))
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):
        return template


def describe(
    errors: list[dict[str, Any]], resource: str = ""
) -> tuple[str | None, str | None, str]:
    if not errors:
        return None, None, "请求无效"
    err = errors[0]
    loc = [str(x) for x in err.get("loc", []) if x not in ("body", "query", "path", "payload")]
    # list positions ("roles", 0) name the list, not the index
    names = [x for x in loc if not x.isdigit()]
    field = names[-1] if names else None
    label = (label_for(field, resource) or field) if field else None
    reason = _reason(err)
    message = f"「{label}」：{reason}" if label else reason
    return field, label, message

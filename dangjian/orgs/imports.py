"""Import of units (key: 单位代码) and party organisations (key: 所在单位代码 + 党组织名称)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django import forms

from dangjian.core.errors import ActionError
from dangjian.core.imports import (
    CellDateField,
    Column,
    Importer,
    ImportForm,
    LabelChoiceField,
    Row,
    YesNoField,
    importer,
)
from dangjian.core.scope import in_scope, require

from .actions import partyorg_create, partyorg_update, unit_create, unit_update
from .models import PartyOrg, Unit


def _labels(choices: list[tuple[str, str]]) -> str:
    return "、".join(str(label) for _, label in choices)


def _code(value: Any) -> str:
    return str(value or "").strip().upper()


CYCLE = -2


def dependency_order(
    rows: list[Row], key: Callable[[Row], Hashable], parent: Callable[[Row], Hashable | None]
) -> list[Row]:
    """Rows with parents before children (a parent outside the file counts as present).

    Rows in a cycle, or hanging below one, come last: their writes report the missing parent.
    """
    by_key = {key(r): r for r in rows}
    depth: dict[int, int] = {}
    for row in rows:
        chain: list[Row] = []
        seen: set[int] = set()
        r: Row | None = row
        while r is not None and id(r) not in depth and id(r) not in seen:
            seen.add(id(r))
            chain.append(r)
            p = parent(r)
            r = by_key.get(p) if p is not None else None
        if r is None:
            d = -1
        elif id(r) in depth:
            d = depth[id(r)]
        else:
            d = CYCLE
        for c in reversed(chain):
            d = CYCLE if d == CYCLE else d + 1
            depth[id(c)] = d
    return sorted(rows, key=lambda r: depth[id(r)] if depth[id(r)] != CYCLE else len(rows))


# ---- units ----


class UnitRowForm(ImportForm):
    code = forms.CharField(label="单位代码", max_length=32)
    name = forms.CharField(label="单位名称", max_length=100)
    kind = LabelChoiceField(Unit.Kind.choices, label="单位类型")
    parent_code = forms.CharField(label="上级单位代码", max_length=32, required=False)
    is_private = YesNoField(label="民办", default=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    established_on = CellDateField(label="设立日期", required=False)

    def clean_code(self) -> str:
        return _code(self.cleaned_data["code"])

    def clean_parent_code(self) -> str:
        return _code(self.cleaned_data["parent_code"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") and data.get("code") == data.get("parent_code"):
            self.add_error("parent_code", "不能是本单位自己的代码")
        return data


UNIT_VALUES = ("name", "kind", "is_private", "address", "phone", "established_on")


@importer
class UnitImporter(Importer):
    kind = "units"
    title = "单位"
    list_url = "orgs:unit-list"
    form_class = UnitRowForm
    key_fields = ("code",)
    columns = [
        Column(
            "单位代码",
            "code",
            required=True,
            example="QSX-CG-03",
            text=True,
            note="全平台唯一；字母按大写保存",
        ),
        Column("单位名称", "name", required=True, example="城关镇第二小学"),
        Column("单位类型", "kind", required=True, example="小学", note=_labels(Unit.Kind.choices)),
        Column(
            "上级单位代码",
            "parent_code",
            example="QSX-CG",
            text=True,
            note="新增单位必填；可以是本文件中前后任一行的单位",
        ),
        Column("民办", "is_private", example="否", note="是、否；不填为“否”"),
        Column("地址", "address", example="青山县城关镇解放路12号"),
        Column("联系电话", "phone", example="0571-8888888", text=True),
        Column("设立日期", "established_on", example="1998-09-01", note="如2024-03-16"),
    ]
    help = [
        "单位代码是单位的唯一标识：已有单位按文件内容更新名称、类型等信息。",
        "调整已有单位的上级单位请在单位页面办理“移动”，不能通过导入改变。",
    ]

    def prepare(self, rows: list[Row]) -> None:
        codes = {r.cleaned["code"] for r in rows} | {
            r.cleaned["parent_code"] for r in rows if r.cleaned["parent_code"]
        }
        self.units = {
            u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent")
        }
        self.in_file = {r.cleaned["code"]: r for r in rows}
        self.created: dict[str, Unit] = {}

    def check(self, row: Row) -> None:
        data = row.cleaned
        unit = self.units.get(data["code"])
        parent_code = data["parent_code"]
        if unit is not None:
            if not self.allowed(row, "code", unit, "orgs.unit_update"):
                return
            current = unit.parent.code if unit.parent else ""
            if parent_code != current:
                self.error(
                    row,
                    "parent_code",
                    f"与现有上级单位（{current or '无'}）不一致，"
                    "调整隶属关系请在单位页面办理“移动”",
                )
            return
        if not parent_code:
            self.error(row, "parent_code", "新增单位须填写上级单位代码")
            return
        parent = self.units.get(parent_code)
        if parent is not None:
            if self.allowed(row, "parent_code", parent, "orgs.unit_create") and (
                not parent.is_active
            ):
                self.error(row, "parent_code", f"「{parent.name}」已撤并，不能新增下级单位")
        elif parent_code not in self.in_file:
            self.error(row, "parent_code", f"未找到单位代码「{parent_code}」")

    def order(self, rows: list[Row]) -> list[Row]:
        return dependency_order(
            rows, lambda r: r.cleaned["code"], lambda r: r.cleaned["parent_code"] or None
        )

    def find(self, row: Row) -> Unit | None:
        return self.units.get(row.cleaned["code"])

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        return {k: row.cleaned[k] for k in UNIT_VALUES if getattr(obj, k) != row.cleaned[k]}

    def create(self, row: Row) -> Unit:
        data = row.cleaned
        parent = self.units.get(data["parent_code"]) or self.created.get(data["parent_code"])
        if parent is None:
            raise ActionError(
                f"「上级单位代码」：第{self.in_file[data['parent_code']].number}行的单位未能导入"
                "（上下级关系构成循环或该行有错误）",
                field="parent_code",
                label="上级单位代码",
            )
        require(self.user, "core.import", parent)
        unit = unit_create(
            actor=self.user,
            parent=parent,
            code=data["code"],
            **{k: data[k] for k in UNIT_VALUES},
        )
        self.created[unit.code] = unit
        return unit

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> Unit:
        return unit_update(actor=self.user, unit=obj, **changes)


# ---- party organisations ----


class PartyOrgRowForm(ImportForm):
    name = forms.CharField(label="党组织名称", max_length=100)
    kind = LabelChoiceField(PartyOrg.Kind.choices, label="类型")
    unit_code = forms.CharField(label="所在单位代码", max_length=32)
    parent_name = forms.CharField(label="上级党组织名称", max_length=100, required=False)
    established_on = CellDateField(label="成立日期", required=False)
    term_started_on = CellDateField(label="本届起始日期", required=False)
    term_years = forms.IntegerField(
        label="任期（年）",
        required=False,
        min_value=1,
        max_value=10,
        error_messages={
            "invalid": "请填写整数年数",
            "min_value": "不能小于1",
            "max_value": "不能大于10",
        },
    )

    def clean_unit_code(self) -> str:
        return _code(self.cleaned_data["unit_code"])

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_parent_name(self) -> str:
        return str(self.cleaned_data["parent_name"]).strip()

    def clean_term_years(self) -> int:
        return self.cleaned_data["term_years"] or 3


ORG_VALUES = ("kind", "established_on", "term_started_on", "term_years")
ORG_RANK = {
    PartyOrg.Kind.COMMITTEE: 0,
    PartyOrg.Kind.GENERAL_BRANCH: 1,
    PartyOrg.Kind.BRANCH: 2,
    PartyOrg.Kind.GROUP: 3,
}


@importer
class PartyOrgImporter(Importer):
    kind = "partyorgs"
    title = "党组织"
    list_url = "orgs:partyorg-list"
    form_class = PartyOrgRowForm
    key_fields = ("name", "unit_code")
    columns = [
        Column(
            "党组织名称",
            "name",
            required=True,
            example="中共城关镇第二小学支部委员会",
            note="同一单位内不能重名",
        ),
        Column(
            "类型", "kind", required=True, example="党支部", note=_labels(PartyOrg.Kind.choices)
        ),
        Column(
            "所在单位代码",
            "unit_code",
            required=True,
            example="QSX-CG-03",
            text=True,
            note="须为您管理范围内的单位代码",
        ),
        Column(
            "上级党组织名称",
            "parent_name",
            example="",
            note="本单位或上级单位中的党组织名称；党小组必填",
        ),
        Column("成立日期", "established_on", example="2005-07-01", note="如2024-03-16"),
        Column("本届起始日期", "term_started_on", example="2023-06-30", note="如2024-03-16"),
        Column("任期（年）", "term_years", example="3", note="1至10的整数；不填为3"),
    ]
    help = ["所在单位代码与党组织名称合起来是党组织的唯一标识：已有党组织按文件内容更新。"]

    def prepare(self, rows: list[Row]) -> None:
        codes = {r.cleaned["unit_code"] for r in rows}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        ancestors = {i for u in self.units.values() for i in u.ancestor_ids()}
        self.orgs: dict[tuple[int, str], PartyOrg] = {
            (o.unit_id, o.name): o
            for o in PartyOrg.objects.filter(unit_id__in=ancestors).select_related("unit", "parent")
        }
        self.rows_at: dict[tuple[int, str], Row] = {}
        for r in rows:
            unit = self.units.get(r.cleaned["unit_code"])
            if unit is not None:
                self.rows_at.setdefault((unit.pk, r.cleaned["name"]), r)
        self.created: dict[tuple[int, str], PartyOrg] = {}

    def _parent_at(self, row: Row) -> tuple[int, str] | None:
        """Where the named parent lives: the nearest of the unit and its ancestors."""
        name = row.cleaned["parent_name"]
        unit = self.units.get(row.cleaned["unit_code"])
        if not name or unit is None:
            return None
        for uid in reversed(unit.ancestor_ids()):
            at = (uid, name)
            if at in self.rows_at or at in self.orgs:
                return at
        return None

    def _parent_kind(self, at: tuple[int, str]) -> str:
        if at in self.rows_at:
            return str(self.rows_at[at].cleaned["kind"])
        return self.orgs[at].kind

    def check(self, row: Row) -> None:
        data = row.cleaned
        unit = self.units.get(data["unit_code"])
        if unit is None:
            self.error(row, "unit_code", f"未找到单位代码「{data['unit_code']}」")
            return
        existing = self.orgs.get((unit.pk, data["name"]))
        capability = "orgs.partyorg_update" if existing else "orgs.partyorg_create"
        if not self.allowed(row, "unit_code", unit, capability):
            return
        if not unit.is_active and existing is None:
            self.error(row, "unit_code", f"「{unit.name}」已撤并，不能新增党组织")
        name = data["parent_name"]
        if not name:
            if data["kind"] == PartyOrg.Kind.GROUP:
                self.error(row, "parent_name", "党小组须填写所属党支部")
            return
        if name == data["name"]:
            self.error(row, "parent_name", "不能是本党组织自己")
            return
        at = self._parent_at(row)
        if at is None:
            self.error(row, "parent_name", f"在本单位及上级单位中未找到党组织「{name}」")
            return
        in_db = at in self.orgs and at not in self.rows_at
        if in_db and not in_scope(self.user, self.orgs[at].unit):
            self.error(row, "parent_name", "不在您的管理范围内")
            return
        parent_kind = self._parent_kind(at)
        if ORG_RANK[PartyOrg.Kind(parent_kind)] >= ORG_RANK[PartyOrg.Kind(data["kind"])]:
            self.error(
                row,
                "parent_name",
                f"{PartyOrg.Kind(parent_kind).label}不能领导{PartyOrg.Kind(data['kind']).label}",
            )

    def _at(self, row: Row) -> tuple[int, str]:
        return (self.units[row.cleaned["unit_code"]].pk, row.cleaned["name"])

    def order(self, rows: list[Row]) -> list[Row]:
        return dependency_order(rows, self._at, self._parent_at)

    def _parent(self, row: Row) -> PartyOrg | None:
        at = self._parent_at(row)
        if at is None:
            return None
        parent = self.created.get(at) or self.orgs.get(at)
        if parent is None:
            raise ActionError(
                f"「上级党组织名称」：第{self.rows_at[at].number}行的党组织未能导入"
                "（上下级关系构成循环或该行有错误）",
                field="parent_name",
                label="上级党组织名称",
            )
        return parent

    def find(self, row: Row) -> PartyOrg | None:
        return self.orgs.get(self._at(row))

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        org: PartyOrg = obj
        changes = {k: row.cleaned[k] for k in ORG_VALUES if getattr(org, k) != row.cleaned[k]}
        parent = self._parent(row)
        if (parent.pk if parent else None) != org.parent_id:
            changes["parent"] = parent
        return changes

    def create(self, row: Row) -> PartyOrg:
        unit = self.units[row.cleaned["unit_code"]]
        require(self.user, "core.import", unit)
        org = partyorg_create(
            actor=self.user,
            unit=unit,
            name=row.cleaned["name"],
            parent=self._parent(row),
            **{k: row.cleaned[k] for k in ORG_VALUES},
        )
        self.created[self._at(row)] = org
        return org

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> PartyOrg:
        return partyorg_update(actor=self.user, org=obj, **changes)

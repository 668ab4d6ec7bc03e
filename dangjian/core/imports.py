"""Excel import framework (STYLE.md §8): read an xlsx, check every row, then write all or nothing.

An app describes one kind of import with an `Importer` subclass in its `imports.py` and
registers it with `@importer`. The framework reads the sheet, validates each row with the
importer's form (the form's field labels are the column headers), finds duplicates across rows,
lets the importer check rows against the database in bulk, and only when no row is wrong writes
every row through the app's actions in one transaction. Rows equal to the stored record are left
alone, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .errors import ActionError
from .models import Job
from .scope import has_capability, in_scope

MAX_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 200
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]
YES = {"是", "Y", "y", "1", "TRUE", "true", "True", "√"}
NO = {"否", "N", "n", "0", "FALSE", "false", "False", "×"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not xlsx, no header, no rows); message in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number; row 1 is the header
    label: str  # the column header, "" when the row as a whole is wrong
    message: str

    def __str__(self) -> str:
        if self.label:
            return f"第{self.row}行「{self.label}」：{self.message}"
        return f"第{self.row}行：{self.message}"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    example: str = ""
    note: str = ""  # allowed values or format, listed on the template's 说明 sheet
    text: bool = False  # store as text in the template (ID numbers, phones, codes)


@dataclass
class Row:
    number: int
    data: dict[str, str]  # form field name → cell text
    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    key: Hashable = None


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return f"新增{self.created}条，更新{self.updated}条，未变化{self.unchanged}条"


Progress = Callable[[int], None]


# ---- form fields for spreadsheet cells ----


class CellDateField(forms.DateField):
    """A date cell: Excel dates arrive as ISO text; 2024/3/16 and 2024年3月16日 also work."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "error_messages", {"invalid": "日期无效，请填写如2024-03-16的日期", **REQUIRED}
        )
        super().__init__(**kwargs)


class LabelChoiceField(forms.CharField):
    """A choice typed as its Chinese label (or its code); cleans to the stored value."""

    def __init__(self, choices: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", REQUIRED)
        super().__init__(**kwargs)
        self.pairs = [(str(v), str(label)) for v, label in choices]
        self.lookup = {label: v for v, label in self.pairs} | {v: v for v, _ in self.pairs}

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if text in (None, ""):
            return ""
        if text not in self.lookup:
            allowed = "、".join(label for _, label in self.pairs)
            raise forms.ValidationError(f"「{text}」不是可选值，应为：{allowed}")
        return self.lookup[text]

    def allowed(self) -> str:
        return "、".join(label for _, label in self.pairs)


class YesNoField(forms.Field):
    """是/否; a blank cell means `default`."""

    def __init__(self, default: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.default = default

    def clean(self, value: Any) -> bool:
        text = str(value or "").strip()
        if not text:
            return self.default
        if text in YES:
            return True
        if text in NO:
            return False
        raise forms.ValidationError(f"「{text}」无效，请填写“是”或“否”")


REQUIRED = {"required": "不能为空"}


class ImportForm(forms.Form):
    """Base of the per-row forms: blank cells are required-errors in Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.error_messages = {**f.error_messages, **REQUIRED}
            if isinstance(f, forms.CharField) and f.max_length:
                f.error_messages["max_length"] = f"不能超过{f.max_length}个字"


# ---- importers ----


class Importer(ABC):
    """One kind of import. Subclasses fill the class attributes and the four write hooks
    (find, changes, create, update); prepare, check and order have working defaults."""

    kind: ClassVar[str]  # URL segment: /imports/<kind>/
    title: ClassVar[str]  # 人员, 单位, 党组织
    columns: ClassVar[list[Column]]
    form_class: ClassVar[type[forms.Form]]
    key_fields: ClassVar[tuple[str, ...]]  # duplicates across rows are reported on the first
    help: ClassVar[list[str]] = []  # extra lines on the 说明 sheet and the page
    list_url: ClassVar[str] = ""  # URL name of the list the imported rows appear in
    do_not_call_in_templates: ClassVar[bool] = True  # templates get the class itself

    def __init__(self, user: Any) -> None:
        self.user = user

    # -- hooks --
    def prepare(self, rows: list[Row]) -> None:  # noqa: B027  optional hook, default: nothing
        """Load from the database, in bulk, what `check` and the writes need."""

    def check(self, row: Row) -> None:  # noqa: B027  optional hook, default: nothing
        """Database and scope checks of one row (use `self.error`)."""

    def order(self, rows: list[Row]) -> list[Row]:
        """The order of writes (parents before children)."""
        return rows

    @abstractmethod
    def find(self, row: Row) -> Model | None:
        """The stored record this row stands for, or None for a new one."""

    @abstractmethod
    def changes(self, obj: Model, row: Row) -> dict[str, Any]:
        """The fields this row would change on `obj` (empty: nothing to do)."""

    @abstractmethod
    def create(self, row: Row) -> Model:
        """Write a new record through the area's action."""

    @abstractmethod
    def update(self, obj: Model, row: Row, changes: dict[str, Any]) -> Model:
        """Write `changes` to `obj` through the area's action."""

    # -- helpers for subclasses --
    def label(self, name: str) -> str:
        for c in self.columns:
            if c.field == name:
                return c.header
        return ""

    def error(self, row: Row, name: str, message: str) -> None:
        row.errors.append(RowError(row.number, self.label(name), message))

    def allowed(self, row: Row, name: str, unit: Any, *capabilities: str) -> bool:
        """Scope and capabilities on `unit`, reported on column `name` (require() per row)."""
        if not in_scope(self.user, unit):
            self.error(row, name, "不在您的管理范围内")
            return False
        for cap in ("core.import", *capabilities):
            if not has_capability(self.user, cap, unit):
                self.error(row, name, f"您没有在「{unit.name}」导入{self.title}的权限")
                return False
        return True

    def key(self, cleaned: dict[str, Any]) -> Hashable:
        return tuple(cleaned.get(k) for k in self.key_fields)

    def form(self, data: dict[str, str]) -> forms.Form:
        return self.form_class(data)


IMPORTERS: dict[str, type[Importer]] = {}


def importer(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls
    return cls


def get_importer(kind: str) -> type[Importer] | None:
    if not IMPORTERS:
        autodiscover_modules("imports")
    return IMPORTERS.get(kind)


# ---- reading the file ----


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MANGLED = "单元格是数字格式，Excel只保留15位有效数字，号码已被改动；请把该列设为文本格式后重新填写"


def _mangled_number(value: Any) -> bool:
    """A long number typed into a number cell: Excel has already zeroed its last digits."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15


def read_rows(content: bytes, columns: list[Column]) -> list[Row]:
    """The data rows of the first sheet, keyed by form field; file-level problems raise."""
    if not content:
        raise ImportFileError("文件是空的，请使用本页提供的模板填写后再上传")
    if len(content) > MAX_BYTES:
        raise ImportFileError("文件超过10 MB，请拆分成几个文件分批导入")
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            "文件不是有效的 Excel（.xlsx）文件，请用本页提供的模板填写，另存为 .xlsx 后上传"
        ) from exc
    try:
        ws = wb.worksheets[0]
        lines = ws.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None or not any(cell_text(v) for v in header):
            raise ImportFileError("文件是空的：第1行应为表头，请使用本页提供的模板")
        positions = {cell_text(v): i for i, v in enumerate(header) if cell_text(v)}
        missing = [c.header for c in columns if c.header not in positions]
        if missing:
            names = "、".join(f"「{h}」" for h in missing)
            raise ImportFileError(f"表头缺少以下列：{names}。请使用本页提供的模板")
        index = [(c, positions[c.header]) for c in columns]
        rows = []
        for number, values in enumerate(lines, start=2):
            cells = {c: values[i] if i < len(values) else None for c, i in index}
            row = Row(number, {c.field: cell_text(v) for c, v in cells.items()})
            if not any(row.data.values()):
                continue
            for c, v in cells.items():
                if c.text and _mangled_number(v):
                    row.errors.append(RowError(number, c.header, MANGLED))
            rows.append(row)
    finally:
        wb.close()
    if not rows:
        raise ImportFileError("文件中没有数据：请从第2行起每行填写一条记录")
    return rows


# ---- checking and writing ----


def _strip_label(message: str) -> str:
    return message.split("：", 1)[1] if message.startswith("「") and "：" in message else message


def validate(imp: Importer, rows: list[Row], progress: Progress | None = None) -> list[RowError]:
    """Every error of every row: forms, duplicates across rows, then the database."""
    for n, row in enumerate(rows, start=1):
        form = imp.form(row.data)
        if form.is_valid() and not row.errors:
            row.cleaned = form.cleaned_data
            row.key = imp.key(row.cleaned)
        else:
            flagged = {e.label for e in row.errors}  # found while reading: one reason a cell
            for name, messages in form.errors.items():
                label = imp.label(name) if name != "__all__" else ""
                if label not in flagged:
                    row.errors.extend(RowError(row.number, label, str(m)) for m in messages)
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    first: dict[Hashable, Row] = {}
    for row in rows:
        if row.errors:
            continue
        seen = first.setdefault(row.key, row)
        if seen is not row:
            imp.error(row, imp.key_fields[0], f"与第{seen.number}行重复")
    good = [r for r in rows if not r.errors]
    imp.prepare(good)
    for row in good:
        imp.check(row)
    errors = [e for r in rows for e in r.errors]
    return sorted(errors, key=lambda e: e.row)


@contextmanager
def _without_savepoints() -> Iterator[None]:
    """Let the actions' own atomic blocks run without savepoints inside the import transaction.

    Any refusal rolls the whole file back, so per-action savepoints buy nothing here, and on
    PostgreSQL thousands of them in one transaction (beyond 64 subtransactions) slow every
    later statement: a 10,000-row file took four times as long with them.
    """
    features = connection.features
    saved = features.uses_savepoints
    features.uses_savepoints = False
    try:
        yield
    finally:
        features.uses_savepoints = saved


def write(imp: Importer, rows: list[Row], progress: Progress | None = None) -> Outcome:
    """Write every row in one transaction; any refusal rolls everything back."""
    outcome = Outcome()
    with transaction.atomic(), _without_savepoints():
        for n, row in enumerate(imp.order(rows), start=1):
            try:
                obj = imp.find(row)
                if obj is None:
                    imp.create(row)
                    outcome.created += 1
                else:
                    changes = imp.changes(obj, row)
                    if changes:
                        imp.update(obj, row, changes)
                        outcome.updated += 1
                    else:
                        outcome.unchanged += 1
            except ActionError as exc:
                label = exc.label or (imp.label(exc.field) if exc.field else "")
                outcome.errors.append(RowError(row.number, label, _strip_label(exc.message)))
            except (Http404, PermissionDenied) as exc:
                outcome.errors.append(RowError(row.number, "", str(exc) or "不在您的管理范围内"))
            else:
                if progress and n % PROGRESS_EVERY == 0:
                    progress(n)
                continue
            # a refusal is raised in Python before the action writes, so the database
            # transaction is sound: keep going to report every row, roll back at the end
            transaction.set_rollback(False)
        if outcome.errors:
            transaction.set_rollback(True)
    if outcome.errors:
        outcome.errors.sort(key=lambda e: e.row)
        outcome.created = outcome.updated = outcome.unchanged = 0
    return outcome


def run(imp: Importer, rows: list[Row], progress: Progress | None = None) -> Outcome:
    errors = validate(imp, rows, progress)
    if errors:
        return Outcome(errors=errors)
    return write(imp, rows, progress)


# ---- the template offered on the import page ----


def template_xlsx(imp: type[Importer]) -> bytes:
    """The header row to fill in, and a 说明 sheet with every column's rule and an example.

    The example lives on the 说明 sheet, not as row 2: a sample row left in the data sheet names
    a unit or person that does not exist and would stop the whole file."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101  a new workbook always has a sheet
    ws.title = imp.title
    header_fill = PatternFill("solid", fgColor="F2F2F2")
    for i, col in enumerate(imp.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = Font(bold=True, color="C8102E" if col.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, len(col.header) * 2 + 4, len(col.example) + 4)
        if col.text:
            for r in range(2, 1001):  # cells users type into stay text: 18 digits survive
                ws.cell(row=r, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("说明")
    notes.append(["列名", "是否必填", "填写说明", "示例"])
    for c in notes[1]:
        c.font = Font(bold=True)
    for col in imp.columns:
        notes.append([col.header, "必填" if col.required else "选填", col.note, col.example])
    notes.append([])
    for line in [
        "第1行为表头，请勿修改；从第2行起每行填写一条记录（示例见上表“示例”列）。",
        "导入时先检查全部行，只要有一行有错，就不会写入任何数据，页面会列出每个错误的行和列。",
        *imp.help,
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 24
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- background runs ----


def import_job_create(
    *, actor: Any, imp: type[Importer], filename: str, content: bytes, total: int = 0
) -> Job:
    """A Job holding the uploaded file; the task is enqueued when the transaction commits."""
    from django.core.files.base import ContentFile

    from .import_tasks import enqueue_import

    with transaction.atomic():
        job = Job(
            kind="import",
            title=f"导入{imp.title}（{filename}）"[:200],
            requested_by=actor,
            unit=getattr(actor, "unit", None),
            params={"importer": imp.kind, "filename": filename},
            total=total,
        )
        job.input_file.save(f"import-{imp.kind}.xlsx", ContentFile(content), save=False)
        job.save()
        enqueue_import(job)
    return job


def job_progress(job: Job) -> Progress:
    def plain(done: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done)

    return plain


class SideProgress:
    """Job progress during the write transaction.

    An UPDATE inside our own transaction stays invisible to the polling page until commit, so
    on PostgreSQL, when no caller's transaction is open (the worker), progress goes through a
    second autocommit connection. Elsewhere it is written in-line and shows at the end.
    """

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.conn: Any = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.conn = connections.create_connection("default")

    def __call__(self, done: int) -> None:
        if self.conn is None:
            Job.objects.filter(pk=self.job_id).update(done=done)
            return
        table = Job._meta.db_table
        with self.conn.cursor() as cur:
            cur.execute(f"UPDATE {table} SET done = %s WHERE id = %s", [done, self.job_id])  # noqa: S608

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def run_job(job: Job) -> Outcome:
    """The body of the import task: read the stored file, check, write, record the result."""
    cls = get_importer(job.params["importer"])
    if cls is None:
        raise ValueError(f"unknown importer {job.params['importer']}")
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])
    with job.input_file.open("rb") as fh:
        content = fh.read()
    try:
        rows = read_rows(content, cls.columns)
    except ImportFileError as exc:
        job.status = Job.Status.FAILED
        job.message = exc.message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return Outcome()
    job.total = len(rows)
    job.message = "正在检查各行数据"
    job.save(update_fields=["total", "message"])
    imp = cls(job.requested_by)
    errors = validate(imp, rows, job_progress(job))
    if errors:
        outcome = Outcome(errors=errors)
    else:
        job.done = 0
        job.message = "检查通过，正在写入"
        job.save(update_fields=["done", "message"])
        side = SideProgress(job)
        try:
            outcome = write(imp, rows, side)
        finally:
            side.close()
    job.refresh_from_db(fields=["done"])
    if outcome.ok:
        job.status = Job.Status.DONE
        job.done = job.total
        job.message = outcome.summary()
        job.params = {
            **job.params,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        }
    else:
        job.status = Job.Status.FAILED
        job.message = f"文件有{len(outcome.errors)}处错误，未写入任何数据"
        job.errors = [str(e) for e in outcome.errors]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "message", "params", "errors", "finished_at"])
    return outcome


def sync_max_rows() -> int:
    return int(settings.IMPORT_SYNC_MAX_ROWS)

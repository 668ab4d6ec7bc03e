"""House rules enforced by reading the source: writes only in actions.py, no business signals."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITE = re.compile(
    r"\.(save|delete)\(|objects\.(create|update_or_create|get_or_create|bulk_create|bulk_update)\("
    r"|\)\.(update|delete)\(|\.objects\.filter\([^)]*\)\.update\("
)
# (path relative to dangjian/, substring of the line): bookkeeping that is not domain data
ALLOWED = {
    ("api.py", "ApiToken.objects.filter(pk=row.pk).update(last_used_at"),
    ("audit/log.py", "entry.save()"),
    ("audit/log.py", 'head.save(update_fields=["last_hash", "last_id"])'),
}
NOT_MODELS = re.compile(r"\b(wb|workbook|doc|document|session)\.save\(")  # files, not rows
JOB_FILES = {"core/tasks.py", "core/import_tasks.py", "core/imports.py"}


def _python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or "/tests/" in rel or rel.endswith("actions.py"):
            continue
        if "/demo/" in rel or rel.endswith("factories.py"):
            continue
        yield rel, path.read_text(encoding="utf-8")


def test_domain_writes_only_in_actions():
    offenders = []
    for rel, text in _python_files():
        for n, line in enumerate(text.splitlines(), start=1):
            if not WRITE.search(line) or line.strip().startswith("#"):
                continue
            if any(rel == f and s in line for f, s in ALLOWED):
                continue
            if rel in JOB_FILES and ("job" in line.lower()):
                continue  # Job progress bookkeeping (STYLE.md §2)
            if "super()" in line or NOT_MODELS.search(line):
                continue
            offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "writes outside actions.py:\n" + "\n".join(offenders)


def test_no_signal_receivers_for_business_logic():
    allowed = {"accounts/auth_audit.py"}  # login auditing: auth only reports logins by signal
    offenders = [rel for rel, text in _python_files() if "@receiver" in text and rel not in allowed]
    assert not offenders, f"@receiver outside the allowed audit hook: {offenders}"


def test_rules_modules_are_pure():
    for path in ROOT.rglob("rules.py"):
        text = path.read_text(encoding="utf-8")
        assert "django" not in text, f"{path}: rules must not import Django"
        assert "today()" not in text and "now()" not in text, f"{path}: time is a parameter"

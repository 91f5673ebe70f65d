"""Project-wide checks the suite owns: Django's system checks pass, no pinned dependency file
records an address, and no role or status is compared as a string. (Lint, types, import
layers and migrations are `make lint`'s.)"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db  # JSONField's check asks the database whether it supports JSON
def test_django_system_checks_pass():
    call_command("check", fail_level="WARNING", stdout=StringIO())


def test_no_pinned_dependency_file_records_a_url():
    for name in ["requirements.txt", "requirements-dev.txt", "package.json"]:
        text = (ROOT / name).read_text()
        assert "://" not in text, name
    assert not (ROOT / "uv.lock").exists() or "uv.lock" in (ROOT / ".gitignore").read_text()


# A role, status, finding or horizon compared with a literal: `role == "lead"`, or a stored value
# such as "retired" compared with anything. They are enums, and `assessment.access` and the
# models answer for them, so that renaming a value cannot silently change who sees what.
STRING_COMPARISON = re.compile(
    r"""(role|status|finding|horizon)\W{0,3}\s*(==|!=)\s*["']"""
    r"""|(==|!=)\s*["'](lead|officer|viewer|submitted|in_progress|draft|published|retired"""
    r"""|masking|ahead|balanced|unknown|Now|Next|Later|Completed|done|wont_do|not_started)["']"""
)


def test_no_role_or_status_is_compared_as_a_string():
    sources = [
        *(ROOT / "templates").rglob("*.html"),
        *(
            path
            for app in ("assessment", "trends", "config")
            for path in (ROOT / app).rglob("*.py")
        ),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STRING_COMPARISON.search(line)
    ]

    assert found == []

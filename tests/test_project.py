"""Project-wide checks the suite owns: Django's system checks pass and no pinned dependency
file records an address. (Lint, types, import layers and migrations are `make lint`'s.)"""

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

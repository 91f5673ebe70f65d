"""Project-wide checks: migrations match the models, lint and types are clean, checks pass."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db  # JSONField's check asks the database whether it supports JSON
def test_django_system_checks_pass():
    call_command("check", fail_level="WARNING", stdout=StringIO())


def test_ruff_finds_nothing():
    result = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", "--quiet", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_no_pinned_dependency_file_records_a_url():
    for name in ["requirements.txt", "package.json"]:
        text = (ROOT / name).read_text()
        assert "://" not in text, name
    assert not (ROOT / "uv.lock").exists() or "uv.lock" in (ROOT / ".gitignore").read_text()


def test_mypy_finds_nothing():
    result = subprocess.run(
        [Path(sys.executable).parent / "mypy", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr

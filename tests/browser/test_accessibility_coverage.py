"""Every page of the service is checked by axe somewhere in the browser tests.

Runs last (tests/conftest.py orders it), reading the URL names that `assert_accessible` saw. A
new page without an accessibility test fails here, naming it.
"""

import ast
from pathlib import Path

import pytest

from tests.browser.conftest import CHECKED_PAGES
from tests.conftest import BROWSER_TESTS_PASSED, COVERAGE_TEST
from tests.url_names import url_names

pytestmark = pytest.mark.browser

# URL names that are not pages a person reads, and why: each is tested another way.
NOT_PAGES = {
    "assessment:sign_out": "POST only: signs out, then redirects to the sign-in page",
    "assessment:start": "POST only: starts an assessment, then redirects to its task list",
    "assessment:submit": "POST only: its errors are shown on the check-answers page",
    "assessment:report_document_status": "JSON: whether a document is ready (test_documents.py)",
    "assessment:export_csv": "a CSV file: read back with pandas in test_exports.py",
    "assessment:export_xlsx": "an Excel file: read back with pandas in test_exports.py",
    "assessment:open_data_edition": "JSON: validated against its schema in test_open_data.py",
    "assessment:sector_export": "a CSV file: read back with pandas in test_sector.py",
}
# Django admin's own pages are Django's; ours are the admin pages we built or changed.
OUR_ADMIN_PAGES = {
    "admin:index",
    "admin:login",
    "admin:trends_trend_changelist",
    "admin:trends_trend_change",
    "admin:trends_question_changelist",
    "admin:trends_question_change",
    "admin:trends_edition_changelist",
    "admin:trends_edition_import",
}


def browser_tests() -> set[str]:
    found = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.add(node.name)
    return found - {COVERAGE_TEST}


def test_every_page_of_the_service_is_checked_by_axe():
    not_run = browser_tests() - BROWSER_TESTS_PASSED
    if not_run:
        pytest.skip(f"needs the whole browser suite to pass first; not run: {sorted(not_run)}")
    names = url_names()
    pages = {n for n in names if not n.startswith("admin:")} - set(NOT_PAGES)
    pages |= OUR_ADMIN_PAGES

    assert sorted(pages - CHECKED_PAGES) == []
    assert set(NOT_PAGES) <= names, "NOT_PAGES names a URL that no longer exists"

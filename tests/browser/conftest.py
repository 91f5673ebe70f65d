"""Browser tests: Debian's Chromium driven by playwright, with axe-core from npm.

Playwright's own browser downloads are never used: the machine's Chromium is launched by path.
"""

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Locator,
    Page,
    Response,
    sync_playwright,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this test-only use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE.read_text()
# WCAG 2.2 A and AA, plus axe's best practices (landmarks, heading order, …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors and failed requests seen while a page was open: a user would see them."""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    problems = PageProblems()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"script error: {error}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


# The URL names of every page axe has checked in this run: test_accessibility_coverage.py
# fails if a page of the service is never checked.
CHECKED_PAGES: set[str] = set()


def assert_accessible(page: Page, *, status: int | None = None) -> None:
    """axe finds no WCAG 2.2 AA violation, and the page loaded with no errors or broken assets.

    `status`: the page answers with this error status on purpose (a 429 lockout, say), which
    Chromium reports twice, as a response and on the console; any other problem still fails.
    """
    with contextlib.suppress(Resolver404):  # a 404 page is checked, but names no URL
        CHECKED_PAGES.add(resolve(urlsplit(page.url).path).view_name)
    page.wait_for_load_state("networkidle")
    # Evaluated through the DevTools protocol, not injected as a <script>: the service's
    # Content Security Policy (rightly) refuses inline scripts, and axe must not need one.
    page.evaluate(AXE_SOURCE)
    # GOV.UK Frontend marks a radio that reveals a question with aria-expanded, which ARIA 1.2
    # allows only on other roles; GOV.UK keeps it on purpose, as screen readers announce it
    # (alphagov/govuk-frontend#979). axe accepts that one attribute on radios, nothing more.
    page.evaluate(
        "axe.configure({checks: [{id: 'aria-allowed-attr', options: {radio: ['aria-expanded']}}]})"
    )
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)
    problems = list(page.problems)  # type: ignore[attr-defined]
    if status is not None:
        expected = (f"HTTP {status} for {page.url}", "console: Failed to load resource: ")
        problems = [
            p
            for p in problems
            if p != expected[0] and not (p.startswith(expected[1]) and f"status of {status}" in p)
        ]
    assert problems == []


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the service's own page; a staff user's session also opens the admin."""
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/dashboard/")


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until `target` has focus, as a keyboard user would; fail if it never does."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never received focus from the keyboard")

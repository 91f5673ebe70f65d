"""Two officers saving the same question at the same moment, through real HTTP on PostgreSQL.

The rule (`assessment.workflow.save_answers`): a save that changes a question someone else has
saved since the officer's page was loaded saves nothing and shows both values to choose from.
Here the two saves really run in parallel: two signed-in browsers (urllib, each with its own
cookies and CSRF token) post to the threaded live server at once, released by a barrier, and
the database decides with its row locks. Each race is repeated, because one lucky ordering
proves little.

Runs only on PostgreSQL, the production database, whose row locks are what is being proved;
CI runs the suite there too.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar

import pytest
from django.db import connection
from django.urls import reverse

from assessment.models import Answer, AnswerChange, Membership
from tests.factories import PASSWORD, make_member
from tests.pages import form_state
from trends.maturity import RESPONSE_LABELS

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="proves PostgreSQL's row locking under parallel requests: set DATABASE_URL to a "
        "PostgreSQL database to run it (CI does)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 20
CONFLICT = "changed this answer while you were editing it"


@dataclass(frozen=True)
class Page:
    status: int
    location: str
    text: str
    sent_at: float
    answered_at: float


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises the 302 as an HTTPError, which `Browser.open` returns


class Browser:
    """One officer's browser: its own cookie jar, and redirects shown rather than followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects
        )

    def open(self, path: str, data: dict[str, str] | None = None) -> Page:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        sent_at = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, headers, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read()
        return Page(
            status, headers.get("Location", ""), text.decode(), sent_at, time.perf_counter()
        )

    def sign_in(self, username: str) -> None:
        url = reverse("assessment:sign_in")
        form = self.open(url)
        response = self.open(
            url,
            form_state(form.text) | {"username": username, "password": PASSWORD},
        )
        assert response.status == 302, f"{username} could not sign in ({response.status})"


def race(posts: list[tuple[Browser, str, dict[str, str]]]) -> list[Page]:
    """Send every post at the same moment, each from its own thread; the pages in order."""
    barrier = threading.Barrier(len(posts))
    pages: list[Page | None] = [None] * len(posts)

    def send(index: int, browser: Browser, path: str, data: dict[str, str]) -> None:
        barrier.wait()
        pages[index] = browser.open(path, data)

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(page is not None for page in pages), "a request never came back"
    return pages  # type: ignore[return-value]


def overlapped(first: Page, second: Page) -> bool:
    return first.sent_at < second.answered_at and second.sent_at < first.answered_at


@pytest.fixture(autouse=True)
def plain_http(settings):
    # The live server speaks plain HTTP: a cookie marked Secure would never be sent back.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def officers(live_server, council) -> list[tuple[Browser, object]]:
    """Two officers of one council, each signed in through the sign-in form in their browser."""
    second = make_member(
        council.organisation,
        Membership.Role.OFFICER,
        username="officer-two",
        first_name="Tam",
        last_name="Second",
    )
    signed_in = []
    for user in (council.officer, second):
        browser = Browser(live_server.url)
        browser.sign_in(user.username)
        signed_in.append((browser, user))
    return signed_in


def test_two_officers_saving_one_question_at_once_get_one_save_and_one_conflict(council, officers):
    question = council.assessment.edition.questions.get(key="ai-01")
    url = reverse("assessment:section", args=[council.assessment.pk, "ai"])
    field = f"q{question.pk}"
    in_flight_together = 0

    for round_ in range(ROUNDS):
        before = Answer.objects.filter(assessment=council.assessment, question=question).first()
        seen = before.version if before else 0
        posts, sent = [], []
        for n, (browser, _) in enumerate(officers):
            state = form_state(browser.open(url).text)
            assert state[f"{field}-version"] == str(seen)  # both pages show version N
            values = {
                f"{field}-response": str((round_ + 2 * n) % 5),
                f"{field}-evidence": f"Round {round_} evidence from officer {n + 1}",
            }
            posts.append((browser, url, state | values))
            sent.append(values)

        pages = race(posts)

        in_flight_together += overlapped(*pages)
        statuses = [page.status for page in pages]
        assert sorted(statuses) == [200, 302], f"round {round_}: {statuses}"
        won = statuses.index(302)
        lost = 1 - won
        winner, loser = officers[won][1], officers[lost][1]
        saved = Answer.objects.get(assessment=council.assessment, question=question)
        assert saved.version == seen + 1
        assert (saved.response, saved.evidence, saved.updated_by) == (
            sent[won][f"{field}-response"],
            sent[won][f"{field}-evidence"],
            winner,
        )
        assert saved.changes.count() == seen + 1  # one change for this round's one save
        latest = saved.changes.order_by("version").last()
        assert latest is not None and latest.changed_by == winner
        # The loser sees both: the winner's values in the message, their own still in the form.
        conflict = pages[lost].text
        assert f"{winner.get_full_name()} {CONFLICT}" in conflict
        assert f"to “{RESPONSE_LABELS[saved.response]}”" in conflict
        assert f"with the evidence “{saved.evidence}”" in conflict
        retry = form_state(pages[lost].text)
        assert retry[f"{field}-response"] == sent[lost][f"{field}-response"]
        assert retry[f"{field}-evidence"] == sent[lost][f"{field}-evidence"]
        assert retry[f"{field}-version"] == str(seen + 1)

        if round_ % 2:  # half the time the loser saves again, deliberately keeping theirs
            browser = officers[lost][0]
            assert browser.open(url, retry).status == 302
            saved.refresh_from_db()
            assert (saved.version, saved.evidence, saved.updated_by) == (
                seen + 2,
                sent[lost][f"{field}-evidence"],
                loser,
            )

    assert_history_is_unbroken(council.assessment)
    # The barrier releases both posts together; if they mostly ran one after the other, the
    # test would not be proving what it claims.
    assert in_flight_together >= ROUNDS * 3 // 4, f"only {in_flight_together} races overlapped"


def test_two_first_saves_of_an_unanswered_question_make_one_answer_and_one_conflict(
    council, officers
):
    questions = list(
        council.assessment.edition.questions.select_related("trend").order_by(
            "trend__family", "trend__number", "order"
        )[:ROUNDS]
    )
    assert len(questions) == ROUNDS

    for question in questions:
        url = reverse("assessment:section", args=[council.assessment.pk, question.trend.slug])
        field = f"q{question.pk}"
        posts = []
        for n, (browser, _) in enumerate(officers):
            state = form_state(browser.open(url).text)
            assert state[f"{field}-version"] == "0"
            assert f"{field}-response" not in state  # no row yet: nothing answered
            posts.append(
                (
                    browser,
                    url,
                    state
                    | {
                        f"{field}-response": str(n + 1),
                        f"{field}-evidence": f"{question.key} first saved by officer {n + 1}",
                    },
                )
            )

        pages = race(posts)

        statuses = [page.status for page in pages]
        assert sorted(statuses) == [200, 302], f"{question.key}: {statuses}"  # no 500
        won = statuses.index(302)
        answers = Answer.objects.filter(assessment=council.assessment, question=question)
        assert answers.count() == 1
        saved = answers.get()
        assert (saved.version, saved.response, saved.updated_by) == (
            1,
            str(won + 1),
            officers[won][1],
        )
        assert saved.changes.count() == 1
        assert CONFLICT in pages[1 - won].text
        assert f"with the evidence “{question.key} first saved by officer {won + 1}”" in (
            pages[1 - won].text
        )

    assert_history_is_unbroken(council.assessment)


def assert_history_is_unbroken(assessment) -> None:
    """Each answer's changes run 1..version, each starting from the value the last one left,
    and the answer holds the last one's values: no save was made on top of a stale page."""
    for answer in Answer.objects.filter(assessment=assessment):
        changes = list(AnswerChange.objects.filter(answer=answer).order_by("version"))
        assert [c.version for c in changes] == list(range(1, answer.version + 1))
        previous = ("", "", "")
        for change in changes:
            assert (change.old_response, change.old_reason, change.old_evidence) == previous
            previous = (change.new_response, change.new_reason, change.new_evidence)
        assert (answer.response, answer.not_applicable_reason, answer.evidence) == previous

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.management import call_command

from assessment.models import Assessment, Membership, Organisation
from assessment.workflow import start_assessment
from tests.factories import make_member, make_organisation
from trends.models import Edition, Question, Trend, TrendDependency


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing takes ~0.3 s a user by design; tests create many users and test no hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Cached reports are keyed by assessment id, and SQLite reuses ids after a rollback.
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped content once per test database; each test's transaction rolls back."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)


@pytest.fixture
def content(db) -> Edition:
    """The shipped content, loaded the way `make run` loads it: ten trends and the 2024 edition.

    Already there for most tests; tests that flush the database (browser tests) load it again.
    """
    call_command("load_content", verbosity=0)
    return Edition.objects.get(slug="digital-trends-2024")


@dataclass
class Council:
    organisation: Organisation
    officer: object
    lead: object
    viewer: object
    assessment: Assessment


@pytest.fixture
def council(content) -> Council:
    """A council with one member of each role and its 2024 assessment, started by its lead."""
    organisation = make_organisation(name="Ashdown District Council", slug="ashdown")
    lead = make_member(organisation, Membership.Role.LEAD, username="lead")
    assessment = start_assessment(organisation=organisation, edition=content, user=lead)
    return Council(
        organisation=organisation,
        officer=make_member(
            organisation,
            Membership.Role.OFFICER,
            username="officer",
            first_name="Olu",
            last_name="Officer",
        ),
        lead=lead,
        viewer=make_member(organisation, Membership.Role.VIEWER, username="viewer"),
        assessment=assessment,
    )


@pytest.fixture
def other_council(content) -> Council:
    organisation = make_organisation(name="Brackley Borough Council", slug="brackley")
    lead = make_member(organisation, Membership.Role.LEAD, username="other-lead")
    return Council(
        organisation=organisation,
        officer=make_member(organisation, Membership.Role.OFFICER, username="other-officer"),
        lead=lead,
        viewer=make_member(organisation, Membership.Role.VIEWER, username="other-viewer"),
        assessment=start_assessment(organisation=organisation, edition=content, user=lead),
    )


@pytest.fixture
def empty_database(db) -> None:
    """As on a fresh install before `load_content`: no trends, editions or assessments."""
    Assessment.objects.all().delete()
    Question.objects.all().delete()
    Edition.objects.all().delete()
    TrendDependency.objects.all().delete()
    Trend.objects.all().delete()


# The accessibility coverage check runs after every other test, and only when every browser
# test has run and passed: it reads which pages they checked.
BROWSER_TESTS_PASSED: set[str] = set()
COVERAGE_TEST = "test_every_page_of_the_service_is_checked_by_axe"


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.name == COVERAGE_TEST)  # stable: the rest keep their order


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and "/browser/" in report.nodeid:
        BROWSER_TESTS_PASSED.add(report.nodeid.split("::")[-1].split("[")[0])

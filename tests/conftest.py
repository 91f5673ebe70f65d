import pytest
from django.core.management import call_command

from trends.models import Edition


@pytest.fixture
def content(db) -> Edition:
    """The shipped content, loaded the way `make run` loads it: ten trends and the 2024 edition."""
    call_command("load_content", verbosity=0)
    return Edition.objects.get(slug="digital-trends-2024")

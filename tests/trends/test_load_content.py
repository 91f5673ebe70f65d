"""`load_content` loads only what is missing, however admins have renamed what is there."""

from io import StringIO

import pytest
from django.core.management import call_command

from trends.models import Edition, Question, Trend

pytestmark = pytest.mark.django_db


def load_content(**options) -> str:
    out = StringIO()
    call_command("load_content", stdout=out, **options)
    return out.getvalue()


def every_content_row() -> list:
    return [list(model.objects.order_by("pk").values()) for model in (Trend, Edition, Question)]


def test_an_edition_whose_slug_an_admin_changed_is_not_loaded_again():
    load_content()
    Edition.objects.filter(slug="digital-trends-2024").update(slug="dt-2024")
    before = every_content_row()

    output = load_content()

    assert every_content_row() == before
    assert (
        "digital-trends-2024.json: already loaded as dt-2024 (the edition titled "
        "“Digital Trends 2024”)." in output
    )


def test_an_edition_whose_title_an_admin_changed_is_not_loaded_again():
    load_content()
    Edition.objects.filter(slug="digital-trends-2024").update(title="Trends 2024")
    before = every_content_row()

    output = load_content()

    assert every_content_row() == before
    assert "digital-trends-2024.json: already loaded (the edition with slug " in output


def test_an_edition_deleted_in_admin_is_loaded_again():
    load_content()
    Edition.objects.all().delete()

    output = load_content()

    assert Edition.objects.get(slug="digital-trends-2024").questions.count() == 70
    assert "Loaded Digital Trends 2024 with 70 questions." in output


def test_at_verbosity_zero_it_prints_nothing(capsys):
    first = load_content(verbosity=0)
    again = load_content(verbosity=0)
    call_command("load_content", verbosity=0)  # as the tests' `content` fixture calls it

    assert (first, again) == ("", "")
    assert capsys.readouterr().out == ""
    assert Edition.objects.count() == 1

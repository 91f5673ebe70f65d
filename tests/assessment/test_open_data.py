"""The public open data: anonymised quartiles per edition, valid against the published schema."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from jsonschema import Draft202012Validator

from assessment.models import Organisation
from assessment.reporting import statistics
from tests.factories import make_edition
from tests.factories import make_submitted_assessment as submitted

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(django_settings.BASE_DIR) / "docs" / "open-data.schema.json").read_text())


@pytest.fixture(autouse=True)
def minimum_of_five(settings):
    settings.PEER_MINIMUM = 5


def url(edition) -> str:
    return reverse("assessment:open_data_edition", args=[edition.slug])


def measure(data: dict, key: str) -> dict:
    return next(m for m in data["measures"] if m["key"] == key)


def distribution(data: dict, key: str, group: str) -> dict:
    return next(d for d in measure(data, key)["distributions"] if d["group"] == group)


def test_anyone_gets_json_that_validates_against_the_published_schema(client, content):
    Draft202012Validator.check_schema(SCHEMA)
    for level in "0123":
        submitted(content, {"ai": level, "public-good": level})
    for level in "44":
        submitted(content, {"ai": level}, kind=Organisation.Kind.COUNTY)

    response = client.get(url(content))  # nobody signed in

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300"
    data = response.json()
    errors = list(
        Draft202012Validator(
            SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
        ).iter_errors(data)
    )
    assert errors == []
    assert data["edition"] == {"slug": content.slug, "title": content.title, "year": 2024}
    assert data["minimum_group_size"] == 5
    assert "Open Government Licence" in data["licence"]
    assert [g["key"] for g in data["groups"]] == ["all", *Organisation.Kind.values]
    # The ten trends in report order, then the two indexes.
    assert [m["key"] for m in data["measures"]][-2:] == ["digital", "technology"]
    assert len(data["measures"]) == 12
    assert distribution(data, "ai", "all")["count"] == 6


def test_the_schema_refuses_figures_for_a_suppressed_group_and_a_maximum():
    suppressed_with_count = {"group": "county", "suppressed": True, "count": 3}
    with_maximum = {
        "group": "all",
        "suppressed": False,
        "count": 9,
        "lower_quartile": 1.0,
        "median": 2.0,
        "upper_quartile": 3.0,
        "maximum": 100.0,
    }
    item = SCHEMA["$defs"]["measure"]["properties"]["distributions"]["items"]
    schema = {"$defs": SCHEMA["$defs"], **item}

    for wrong in (suppressed_with_count, with_maximum):
        assert not Draft202012Validator(schema).is_valid(wrong), wrong
    assert Draft202012Validator(schema).is_valid({"group": "county", "suppressed": True})


def test_four_organisations_of_a_type_are_suppressed_and_five_show_figures(client, content):
    for level in "1234":
        submitted(content, {"ai": level}, kind=Organisation.Kind.COUNTY)
    for level in "00000":
        submitted(content, {"ai": level}, kind=Organisation.Kind.DISTRICT)

    four = client.get(url(content)).json()
    submitted(content, {"ai": "0"}, kind=Organisation.Kind.COUNTY)
    statistics.refresh(content)  # as the worker does, moments after each submission
    five = client.get(url(content)).json()  # shows at once, despite the cache

    assert distribution(four, "ai", "county") == {"group": "county", "suppressed": True}
    assert distribution(four, "ai", "district")["count"] == 5
    # 0, 25, 50, 75, 100: linear quartiles at positions 1, 2 and 3.
    assert distribution(five, "ai", "county") == {
        "group": "county",
        "suppressed": False,
        "count": 5,
        "lower_quartile": 25.0,
        "median": 50.0,
        "upper_quartile": 75.0,
    }
    assert distribution(five, "ai", "all")["count"] == 10
    # Nobody answered the cyber trend, and no type has five organisations of its own.
    assert distribution(five, "cyber", "all") == {"group": "all", "suppressed": True}
    assert distribution(five, "ai", "unitary") == {"group": "unitary", "suppressed": True}


def test_quartiles_are_numpys_linear_ones_rounded_to_one_decimal(client, content):
    # AI scores 0, 25, 25, 50, 75, 100: quartiles 25, 37.5 and 68.75.
    for level in "011234":
        submitted(content, {"ai": level})

    data = client.get(url(content)).json()

    ai = distribution(data, "ai", "all")
    expected = np.quantile([0, 25, 25, 50, 75, 100], (0.25, 0.5, 0.75))
    assert (ai["lower_quartile"], ai["median"], ai["upper_quartile"]) == (25.0, 37.5, 68.8)
    assert ai["upper_quartile"] == round(float(expected[2]), 1)
    # AI is the only technology trend answered, so the technology index is its score.
    assert distribution(data, "technology", "all") == ai | {"group": "all"}
    assert distribution(data, "digital", "all")["suppressed"] is True


def test_no_organisation_is_named_and_no_single_score_is_published(client, content):
    names = [("Quillhaven District Council", "quillhaven"), ("Marrowby Town", "marrowby")]
    names += [(f"Zenthorpe {n} Council", f"zenthorpe-{n}") for n in range(4)]
    for n, (name, slug) in enumerate(names):
        submitted(content, {"ai": str(n % 5)}, name=name, slug=slug)

    response = client.get(url(content))

    for name, slug in names:
        assert name not in response.text
        assert slug not in response.text
    keys = {k for m in response.json()["measures"] for d in m["distributions"] for k in d}
    assert keys == {"group", "suppressed", "count", "lower_quartile", "median", "upper_quartile"}


def test_draft_and_unknown_editions_are_404_and_retired_ones_are_published(client, content):
    draft = make_edition(status="draft", year=2026)
    retired = make_edition(status="retired", year=2023)

    assert client.get(url(draft)).status_code == 404
    assert client.get("/open-data/no-such-edition.json").status_code == 404
    assert client.get(url(retired)).status_code == 200


def test_one_query_per_dataset_however_many_organisations(
    client, content, django_assert_num_queries
):
    for level in "01234":
        submitted(content, {"ai": level, "cyber": level})
    statistics.refresh(content)  # as the worker does, moments after each submission
    # The edition, the cache key (when the statistics were worked out), the trends, then the
    # statistics: whether they are behind, and the statistics themselves; never the answers.
    with django_assert_num_queries(5):
        client.get(url(content))
    with django_assert_num_queries(2):  # cached until something is submitted
        client.get(url(content))
    for level in "01234" * 3:
        submitted(content, {"ai": level, "cyber": level})
    statistics.refresh(content)
    with django_assert_num_queries(5):
        client.get(url(content))


def test_the_index_page_links_to_each_published_edition(client, content):
    draft = make_edition(status="draft", title="Next year's draft", year=2026)
    retired = make_edition(status="retired", title="The 2023 edition", year=2023)

    page = client.get(reverse("assessment:open_data"))

    assert page.status_code == 200
    assert "<h1" in page.text and "Open data" in page.text
    assert f'href="{url(content)}"' in page.text
    assert f'href="{url(retired)}"' in page.text
    assert "Retired: no longer open for new assessments" in page.text
    assert draft.title not in page.text and url(draft) not in page.text
    assert "fewer than 5 organisations" in page.text

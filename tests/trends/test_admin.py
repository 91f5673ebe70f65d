"""Curating trends, questions and editions in Django admin, as a staff user would."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_assessment
from trends.editions import clone_edition, export_edition
from trends.models import Edition, Question, Trend

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The POST a browser would send back from an admin change page, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


# Trends -----------------------------------------------------------------------------------


def test_trend_list_shows_all_ten_with_question_counts(
    admin_client, content, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:trends_trend_changelist"))

    assert response.status_code == 200
    for trend in Trend.objects.all():
        assert trend.title in response.text
    assert "10 trends" in response.text


def test_trend_page_shows_its_questions_and_foundations_inline(admin_client, content):
    ai = Trend.objects.get(slug="ai")

    response = admin_client.get(reverse("admin:trends_trend_change", args=[ai.pk]))

    assert response.status_code == 200
    for question in content.questions.filter(trend=ai):
        assert escape(question.statement) in response.text
    assert "Foundations this trend depends on" in response.text


def test_reordering_questions_inline_on_a_draft(admin_client, content):
    draft = clone_edition(content)
    ai = Trend.objects.get(slug="ai")
    url = reverse("admin:trends_trend_change", args=[ai.pk])
    data = form_data(admin_client.get(url))
    first = draft.questions.get(key="ai-01")
    prefix = next(k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == first.pk)
    data[f"{prefix}-order"] = 99

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    first.refresh_from_db()
    assert first.order == 99


def test_changing_a_locked_edition_question_inline_is_refused(admin_client, content):
    make_assessment(content)
    ai = Trend.objects.get(slug="ai")
    url = reverse("admin:trends_trend_change", args=[ai.pk])
    data = form_data(admin_client.get(url))
    question = content.questions.get(key="ai-01")
    prefix = next(
        k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == question.pk
    )
    data[f"{prefix}-statement"] = "Changed under an assessment."

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "is in use by assessments, so its questions cannot change" in response.text
    question.refresh_from_db()
    assert question.statement != "Changed under an assessment."


def test_saving_the_trend_unchanged_is_allowed_even_with_locked_questions(admin_client, content):
    make_assessment(content)
    url = reverse("admin:trends_trend_change", args=[Trend.objects.get(slug="ai").pk])

    response = admin_client.post(url, form_data(admin_client.get(url)))

    assert response.status_code == 302


# Questions --------------------------------------------------------------------------------


def test_question_list_filters_by_edition_trend_and_source(admin_client, content):
    cyber = Trend.objects.get(slug="cyber")
    url = reverse("admin:trends_question_changelist")

    response = admin_client.get(
        url,
        {
            "edition__id__exact": content.pk,
            "trend__id__exact": cyber.pk,
            "source__exact": "cio_advice",
        },
    )

    expected = content.questions.filter(trend=cyber, source="cio_advice")
    assert list(response.context["cl"].result_list) == list(expected.order_by("order"))
    assert expected.exists()


def test_question_search_finds_text_in_guidance(admin_client, content):
    response = admin_client.get(reverse("admin:trends_question_changelist"), {"q": "WARP"})

    keys = {q.key for q in response.context["cl"].result_list}
    assert "community-resilience-04" in keys
    assert "cyber-01" in keys


def test_question_list_query_count_does_not_grow_with_questions(
    admin_client, content, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:trends_question_changelist"), {"all": ""})

    assert len(response.context["cl"].result_list) == 70


def test_a_locked_question_opens_read_only(admin_client, content):
    make_assessment(content)
    question = content.questions.get(key="data-01")
    url = reverse("admin:trends_question_change", args=[question.pk])

    page = admin_client.get(url)
    attempt = admin_client.post(url, {"statement": "Changed"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert attempt.status_code == 403
    question.refresh_from_db()
    assert question.statement != "Changed"


def test_a_new_question_cannot_be_added_to_a_locked_edition(admin_client, content):
    make_assessment(content)

    response = admin_client.get(reverse("admin:trends_question_add"))

    choices = [value for value, _ in response.context["adminform"].form.fields["edition"].choices]
    assert content.pk not in [getattr(v, "value", v) for v in choices]


# Editions ---------------------------------------------------------------------------------


def run_action(client, action: str, *editions: Edition):
    return client.post(
        reverse("admin:trends_edition_changelist"),
        {"action": action, "_selected_action": [e.pk for e in editions]},
        follow=True,
    )


def test_edition_list_offers_import_and_counts(admin_client, content):
    response = admin_client.get(reverse("admin:trends_edition_changelist"))

    assert "Import an edition" in response.text
    assert response.context["cl"].result_list[0].question_count == 70


def test_create_a_new_draft_edition_from_this_one(admin_client, content):
    response = run_action(admin_client, "create_draft_copy", content)

    draft = Edition.objects.get(based_on=content)
    assert draft.status == Edition.Status.DRAFT
    assert draft.questions.count() == 70
    assert "Created “Digital Trends 2024 (draft copy)” with 70 questions" in response.text


def test_publish_explains_why_it_refused(admin_client, content):
    draft = clone_edition(content)
    draft.questions.filter(trend__slug="geospatial").delete()

    response = run_action(admin_client, "publish", draft)

    assert "was not published: Geospatial technologies has no questions." in response.text
    draft.refresh_from_db()
    assert draft.status == Edition.Status.DRAFT


def test_publish_a_complete_draft(admin_client, content):
    draft = clone_edition(content)

    response = run_action(admin_client, "publish", draft)

    assert "Published “Digital Trends 2024 (draft copy)”." in response.text
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED


def test_status_cannot_be_changed_by_editing_the_form(admin_client, content):
    draft = clone_edition(content)
    url = reverse("admin:trends_edition_change", args=[draft.pk])
    data = form_data(admin_client.get(url)) | {"status": "published"}

    admin_client.post(url, data)

    draft.refresh_from_db()
    assert draft.status == Edition.Status.DRAFT


def test_a_locked_edition_is_read_only_and_cannot_be_deleted(admin_client, content):
    make_assessment(content)

    page = admin_client.get(reverse("admin:trends_edition_change", args=[content.pk]))
    delete = admin_client.post(
        reverse("admin:trends_edition_delete", args=[content.pk]), {"post": "yes"}
    )

    assert 'name="_save"' not in page.text
    assert "is in use by assessments" in page.text
    assert delete.status_code == 403
    assert Edition.objects.filter(pk=content.pk).exists()


def test_export_downloads_the_edition_as_a_fixture(admin_client, content):
    response = admin_client.post(
        reverse("admin:trends_edition_changelist"),
        {"action": "export", "_selected_action": [content.pk]},
    )

    assert response["Content-Disposition"] == 'attachment; filename="digital-trends-2024.json"'
    data = json.loads(response.content)
    assert data[0]["model"] == "trends.edition"
    assert len(data) == 71


def test_export_asks_for_one_edition_at_a_time(admin_client, content):
    draft = clone_edition(content)

    response = run_action(admin_client, "export", content, draft)

    assert "Choose one edition to export." in response.text


def upload(client, raw: bytes):
    return client.post(
        reverse("admin:trends_edition_import"),
        {"file": SimpleUploadedFile("edition.json", raw, content_type="application/json")},
        follow=True,
    )


def test_importing_a_good_file(admin_client, content):
    data = json.loads(export_edition(content))
    data[0]["fields"].update(
        slug="digital-trends-2025", title="Digital Trends 2025", year=2025, status="draft"
    )
    for item in data[1:]:
        item["fields"]["edition"] = ["digital-trends-2025"]

    response = upload(admin_client, json.dumps(data).encode())

    assert "Imported “Digital Trends 2025” (draft) with 70 questions." in response.text
    assert Edition.objects.get(slug="digital-trends-2025").questions.count() == 70


def test_importing_a_bad_file_lists_the_problems_and_imports_nothing(admin_client, content):
    data = json.loads(export_edition(content))  # same slug as the existing edition
    data[5]["fields"]["trend"] = ["metaverse"]
    before = Question.objects.count()

    response = upload(admin_client, json.dumps(data).encode())

    assert response.status_code == 200
    assert "The file was not imported." in response.text
    assert "slug: Edition with this Slug already exists." in response.text
    assert "Item 6 (question public-good-05): there is no trend &#x27;metaverse&#x27;" in (
        response.text
    )
    assert Question.objects.count() == before


def test_importing_without_a_file_asks_for_one(admin_client, content):
    response = admin_client.post(reverse("admin:trends_edition_import"), {})

    assert "This field is required." in response.text


def test_import_refuses_an_oversized_file(admin_client, content, settings):
    settings.EDITION_IMPORT_MAX_BYTES = 10_000

    response = upload(admin_client, b" " * 50_000)

    assert "the largest edition file we accept is 10 KB" in response.text


def test_import_is_for_staff_only(client, content):
    response = client.get(reverse("admin:trends_edition_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

"""Curating trends, questions and editions in Django admin, as a staff user would."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_assessment, make_edition, make_question
from tests.pages import attribute_values, links, texts
from trends import editions
from trends.admin import QuestionAdmin
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


def row_prefix(data: dict, question: Question) -> str:
    """The form prefix of `question`'s row in an inline, such as "questions-3"."""
    return next(k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == question.pk)


def count_queries(request) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code in (200, 302)
    return len(queries)


def queries_with_one_edition_then_three(content, measure) -> tuple[int, int]:
    """What `measure` counts with the shipped editions, then with two draft copies of 2024 too."""
    measure()  # Django caches content types once per process: do not count that
    one = measure()
    clone_edition(content)
    clone_edition(content)
    return one, measure()


# Trends -----------------------------------------------------------------------------------


def test_trend_list_shows_all_ten_with_question_counts(admin_client, content):
    response = admin_client.get(reverse("admin:trends_trend_changelist"))

    assert response.status_code == 200
    for trend in Trend.objects.all():
        assert trend.title in response.text
    assert "10 trends" in response.text


def test_trend_list_query_count_does_not_grow_with_editions(admin_client, content):
    url = reverse("admin:trends_trend_changelist")

    one, three = queries_with_one_edition_then_three(
        content, lambda: count_queries(lambda: admin_client.get(url))
    )

    assert one == three


def test_trend_page_shows_its_questions_and_foundations_inline(admin_client, content):
    ai = Trend.objects.get(slug="ai")

    response = admin_client.get(reverse("admin:trends_trend_change", args=[ai.pk]))

    assert response.status_code == 200
    for question in content.questions.filter(trend=ai):
        assert escape(question.statement) in response.text
    assert "Foundations this trend depends on" in response.text


def test_trend_page_lists_only_questions_of_editions_open_to_change(admin_client, content):
    make_assessment(content)
    draft = clone_edition(content)
    # The shipped 2023 edition is retired but no assessment uses it, so it is still open.
    open_to_change = {draft, Edition.objects.get(slug="digital-trends-2023")}
    ai = Trend.objects.get(slug="ai")

    response = admin_client.get(reverse("admin:trends_trend_change", args=[ai.pk]))

    questions = response.context["inline_admin_formsets"][1].formset
    assert {form.instance.edition for form in questions.forms} == open_to_change
    assert len(questions.forms) == (
        Question.objects.filter(edition__in=open_to_change, trend=ai).count()
    )
    assert "Questions in editions open to change" in response.text
    assert "Questions of editions in use are read-only and stay in the Questions list" in (
        response.text
    )


def test_trend_page_shows_a_question_s_edition_and_key_but_does_not_offer_to_change_them(
    admin_client, content
):
    ai = Trend.objects.get(slug="ai")
    url = reverse("admin:trends_trend_change", args=[ai.pk])

    page = admin_client.get(url)
    data = form_data(page)
    question = content.questions.get(key="ai-01")
    prefix = row_prefix(data, question)
    data[f"{prefix}-key"] = "renamed"
    data[f"{prefix}-edition"] = make_edition().pk
    saved = admin_client.post(url, data)

    assert 'name="questions-0-edition"' not in page.text
    assert 'name="questions-0-key"' not in page.text
    assert "ai-01" in page.text
    assert saved.status_code == 302
    question.refresh_from_db()
    assert (question.key, question.edition) == ("ai-01", content)


def test_trend_page_sends_new_questions_to_the_question_add_page(admin_client, content):
    ai = Trend.objects.get(slug="ai")

    response = admin_client.get(reverse("admin:trends_trend_change", args=[ai.pk]))

    assert not response.context["inline_admin_formsets"][1].has_add_permission
    add_url = f"{reverse('admin:trends_question_add')}?trend={ai.pk}"
    assert f'<a href="{escape(add_url)}">Add question</a>' in response.text


def test_reordering_questions_inline_on_a_draft(admin_client, content):
    draft = clone_edition(content)
    ai = Trend.objects.get(slug="ai")
    url = reverse("admin:trends_trend_change", args=[ai.pk])
    data = form_data(admin_client.get(url))
    first = draft.questions.get(key="ai-01")
    data[f"{row_prefix(data, first)}-order"] = 99

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    first.refresh_from_db()
    assert first.order == 99


def test_a_question_locked_after_the_page_opened_is_refused_not_dropped(admin_client, content):
    ai = Trend.objects.get(slug="ai")
    url = reverse("admin:trends_trend_change", args=[ai.pk])
    data = form_data(admin_client.get(url))
    question = content.questions.get(key="ai-01")
    data[f"{row_prefix(data, question)}-statement"] = "Changed under an assessment."
    make_assessment(content)  # the edition comes into use while the admin edits

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "their edition came into use by an assessment, since you opened this page" in (
        response.text
    )
    question.refresh_from_db()
    assert question.statement != "Changed under an assessment."


def test_saving_the_trend_unchanged_is_allowed_even_with_locked_questions(admin_client, content):
    make_assessment(content)
    url = reverse("admin:trends_trend_change", args=[Trend.objects.get(slug="ai").pk])

    response = admin_client.post(url, form_data(admin_client.get(url)))

    assert response.status_code == 302


def test_trend_page_query_counts_do_not_grow_with_editions_or_questions(admin_client, content):
    url = reverse("admin:trends_trend_change", args=[Trend.objects.get(slug="ai").pk])

    def open_and_save_unchanged() -> tuple[int, int]:
        opening = count_queries(lambda: admin_client.get(url))
        data = form_data(admin_client.get(url))
        return opening, count_queries(lambda: admin_client.post(url, data))

    before = Question.objects.filter(trend__slug="ai").count()

    one, three = queries_with_one_edition_then_three(content, open_and_save_unchanged)

    assert Question.objects.filter(trend__slug="ai").count() == (
        before + 2 * content.questions.filter(trend__slug="ai").count()
    )
    assert one == three


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
    response = admin_client.get(
        reverse("admin:trends_question_changelist"), {"q": "Cyber Assessment Framework"}
    )

    keys = {q.key for q in response.context["cl"].result_list}
    assert "cyber-08" in keys  # in its guidance only
    assert "cyber-03" in keys


def test_question_list_query_count_does_not_grow_with_questions(admin_client, content, monkeypatch):
    # A page longer than the shipped questions, so the copies below add rows to it.
    monkeypatch.setattr(QuestionAdmin, "list_per_page", 200)
    url = reverse("admin:trends_question_changelist")
    shipped = Question.objects.count()
    shown = []

    def open_list() -> int:
        count = count_queries(lambda: admin_client.get(url))
        shown.append(len(admin_client.get(url).context["cl"].result_list))
        return count

    one, three = queries_with_one_edition_then_three(content, open_list)

    assert shipped < 200
    assert shown[-2:] == [shipped, 200]  # all the shipped questions, then a full page
    assert one == three


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


def test_a_locked_question_s_page_says_why_and_links_to_the_edition_to_copy(admin_client, content):
    make_assessment(content)
    question = content.questions.get(key="data-01")
    draft = clone_edition(content).questions.get(key="data-01")

    page = admin_client.get(reverse("admin:trends_question_change", args=[question.pk]))
    draft_page = admin_client.get(reverse("admin:trends_question_change", args=[draft.pk]))

    assert texts(page.text, ".messagelist li") == [
        "Digital Trends 2024 is in use by assessments, so its questions cannot change. Use "
        "“Create a new draft edition from this one” on the editions list and edit the copy."
    ]
    editions = f"{reverse('admin:trends_edition_changelist')}?id__exact={content.pk}"
    assert links(page.text, ".messagelist") == {"the editions list": editions}
    # The link opens the list at this edition alone, ready to tick and copy.
    assert list(admin_client.get(editions).context["cl"].result_list) == [content]
    # A draft's question is open to change: nothing to explain.
    assert attribute_values(draft_page.text, "[name=_save]", "value") == ["Save"]
    assert texts(draft_page.text, ".messagelist li") == []


def test_the_edition_s_page_and_its_questions_pages_give_the_same_reason(admin_client, content):
    make_assessment(content)
    question = content.questions.get(key="data-01")

    edition_page = admin_client.get(reverse("admin:trends_edition_change", args=[content.pk]))
    question_page = admin_client.get(reverse("admin:trends_question_change", args=[question.pk]))

    assert texts(edition_page.text, ".messagelist li") == texts(
        question_page.text, ".messagelist li"
    )
    assert links(edition_page.text, ".messagelist") == links(question_page.text, ".messagelist")


def test_a_new_question_cannot_be_added_to_a_locked_edition(admin_client, content):
    make_assessment(content)
    url = reverse("admin:trends_question_add")
    ai = Trend.objects.get(slug="ai")

    page = admin_client.get(url)
    attempt = admin_client.post(
        url,
        {
            "edition": content.pk,
            "trend": ai.pk,
            "key": "ai-99",
            "source": Question.Source.WHERE_TO_START,
            "order": 99,
            "statement": "We do something new.",
            "guidance": "Good looks like this.",
            "action": "Do it.",
            "weight": 1,
            "citation": "Artificial intelligence – Where to start",
        },
    )

    choices = [value for value, _ in page.context["adminform"].form.fields["edition"].choices]
    assert content.pk not in [getattr(v, "value", v) for v in choices]
    assert attempt.status_code == 200
    assert attempt.context["adminform"].form.errors["edition"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Question.objects.filter(key="ai-99").exists()


# Lineage ----------------------------------------------------------------------------------


def question_form(response) -> dict:
    """The POST a browser would send back from a question's change page, unchanged."""
    form = response.context["adminform"].form
    return {field.html_name: field.value() for field in form if field.value() is not None}


def test_a_question_page_shows_the_question_it_continues_and_offers_the_question_list(
    admin_client, content
):
    question = content.questions.get(key="ai-01")
    earlier = question.continues

    page = admin_client.get(reverse("admin:trends_question_change", args=[question.pk]))

    assert f'name="continues" value="{earlier.pk}"' in page.text
    assert f'">{earlier.key}: We have an agreed approach' in page.text  # its label, linked
    lookup = f"{reverse('admin:trends_question_changelist')}?_to_field=id"
    assert f'href="{escape(lookup)}"' in page.text


def test_choosing_the_question_a_draft_question_continues(admin_client, content):
    draft = clone_edition(content)
    question = draft.questions.get(key="ai-01")
    url = reverse("admin:trends_question_change", args=[question.pk])
    earlier = Question.objects.get_by_natural_key("2023-ai-01", "digital-trends-2023")

    response = admin_client.post(
        url, question_form(admin_client.get(url)) | {"continues": earlier.pk}
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.continues == earlier


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "ai-02",
            "It cannot continue ai-02, a question of this same edition: choose one from an "
            "earlier edition.",
        ),
        (
            "later-01",
            "It cannot continue later-01: that is in Digital Trends 2030 (2030), later than "
            "Digital Trends 2024 (draft copy) (2024). Choose one from an earlier edition.",
        ),
    ],
)
def test_a_question_cannot_continue_one_of_its_own_or_a_later_edition(
    admin_client, content, key, message
):
    draft = clone_edition(content)
    later = make_edition(title="Digital Trends 2030", year=2030)
    make_question(later, Trend.objects.get(slug="ai"), key="later-01")
    question = draft.questions.get(key="ai-01")
    url = reverse("admin:trends_question_change", args=[question.pk])
    chosen = Question.objects.get(key=key, edition__in=[draft, later])

    response = admin_client.post(
        url, question_form(admin_client.get(url)) | {"continues": chosen.pk}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["continues"] == [message]
    question.refresh_from_db()
    assert question.continues == content.questions.get(key="ai-01")


def test_a_locked_question_shows_what_it_continues_read_only(admin_client, content):
    make_assessment(content)
    question = content.questions.get(key="ai-01")

    page = admin_client.get(reverse("admin:trends_question_change", args=[question.pk]))

    assert 'name="continues"' not in page.text
    assert "2023-ai-01" in page.text


def test_trend_page_shows_what_each_question_continues_without_offering_to_change_it(
    admin_client, content
):
    ai = Trend.objects.get(slug="ai")
    earlier = content.questions.get(key="ai-01").continues

    page = admin_client.get(reverse("admin:trends_trend_change", args=[ai.pk]))

    assert attribute_values(page.text, '[name^="questions-"][name$="-continues"]', "name") == []
    change = reverse("admin:trends_question_change", args=[earlier.pk])
    assert f'<a href="{change}">{escape(str(earlier))}</a>' in page.text


def test_trend_page_reports_lineage_broken_elsewhere_instead_of_failing(admin_client, content):
    draft = clone_edition(content)  # each copy continues its 2024 original
    url = reverse("admin:trends_trend_change", args=[Trend.objects.get(slug="ai").pk])
    data = form_data(admin_client.get(url))
    Edition.objects.filter(pk=content.pk).update(year=2030)  # now later than the draft's 2024

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert (
        "It cannot continue ai-01: that is in Digital Trends 2024 (2030), later than "
        f"{draft} (2024). Choose one from an earlier edition." in response.text
    )


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
    assert response.context["cl"].result_list[0].question_count == 80


def test_create_a_new_draft_edition_from_this_one(admin_client, content):
    response = run_action(admin_client, "create_draft_copy", content)

    draft = Edition.objects.get(based_on=content)
    assert draft.status == Edition.Status.DRAFT
    assert draft.questions.count() == 80
    assert "Created “Digital Trends 2024 (draft copy)” with 80 questions" in response.text


def test_a_copy_that_clashes_with_another_admin_s_copy_says_so(admin_client, content, monkeypatch):
    free_slug_and_title = editions._free_slug_and_title

    def choose_then_lose_the_race(edition):
        slug, title = free_slug_and_title(edition)
        make_edition(slug=slug, title=title)  # another admin's copy, saved a moment before ours
        return slug, title

    monkeypatch.setattr(editions, "_free_slug_and_title", choose_then_lose_the_race)

    response = run_action(admin_client, "create_draft_copy", content)

    assert response.status_code == 200
    assert "“Digital Trends 2024” was not copied: Another copy of Digital Trends 2024 was made" in (
        response.text
    )


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

    url = reverse("admin:trends_edition_change", args=[content.pk])

    page = admin_client.get(url)
    change = admin_client.post(url, {"title": "Renamed", "slug": "renamed", "year": 2030})
    delete = admin_client.post(
        reverse("admin:trends_edition_delete", args=[content.pk]), {"post": "yes"}
    )

    assert 'name="_save"' not in page.text
    assert "is in use by assessments" in page.text
    assert change.status_code == 403
    assert delete.status_code == 403
    content.refresh_from_db()
    assert (content.title, content.slug, content.year) == (
        "Digital Trends 2024",
        content.slug,
        2024,
    )
    assert content.slug == "digital-trends-2024"


def test_export_downloads_the_edition_as_a_fixture(admin_client, content):
    response = admin_client.post(
        reverse("admin:trends_edition_changelist"),
        {"action": "export", "_selected_action": [content.pk]},
    )

    assert response["Content-Disposition"] == 'attachment; filename="digital-trends-2024.json"'
    data = json.loads(response.content)
    assert data[0]["model"] == "trends.edition"
    assert len(data) == 1 + 80  # the edition and its questions


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

    assert "Imported “Digital Trends 2025” (draft) with 80 questions." in response.text
    assert Edition.objects.get(slug="digital-trends-2025").questions.count() == 80


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


def test_import_needs_permission_to_add_editions(client, content):
    viewer = get_user_model().objects.create_user("viewer", password="unused", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_edition"))
    client.force_login(viewer)
    data = json.loads(export_edition(content))
    data[0]["fields"].update(slug="by-a-viewer", title="By a viewer")
    for item in data[1:]:
        item["fields"]["edition"] = ["by-a-viewer"]

    changelist = client.get(reverse("admin:trends_edition_changelist"))
    page = client.get(reverse("admin:trends_edition_import"))
    attempt = upload(client, json.dumps(data).encode())

    assert changelist.status_code == 200
    assert "Import an edition" not in changelist.text
    assert page.status_code == 403
    assert attempt.status_code == 403
    assert not Edition.objects.filter(slug="by-a-viewer").exists()

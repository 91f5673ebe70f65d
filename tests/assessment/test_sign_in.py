"""Signing in and out: Django's views with our GOV.UK pages and messages."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from assessment.demo import DEMO_ADMIN, DEMO_ORGANISATIONS, DEMO_PASSWORD, demo_sign_ins
from config import settings as project_settings
from tests.pages import attribute_values, error_summary, links, texts, title

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        username="officer", email="officer@example.gov.uk", password=PASSWORD
    )


def hidden_next_of(response) -> str:
    """The one hidden `next` the sign-in form posts back, where the user goes once signed in."""
    [value] = attribute_values(response.text, 'input[type="hidden"][name="next"]', "value")
    return value


def sign_in(client, username="officer", password=PASSWORD, **extra):
    return client.post(
        reverse("assessment:sign_in"), {"username": username, "password": password, **extra}
    )


def test_sign_in_page_has_the_form_and_a_way_to_reset_a_password(client):
    response = client.get(reverse("assessment:sign_in"))

    assert response.status_code == 200
    assert title(response.text) == "Sign in – Digital maturity self-assessment"
    assert "Sign in to your account</h1>" in response.text
    assert '<form method="post" novalidate>' in response.text
    assert 'class="govuk-button" data-module="govuk-button">Sign in</button>' in response.text
    assert (
        f'<a href="{reverse("assessment:password_reset")}" class="govuk-link">'
        "Forgotten your password?</a>"
    ) in response.text
    assert "govuk-error-summary" not in response.text


def test_signing_in_takes_you_to_your_assessments(client, officer):
    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:dashboard")
    user = get_user(client)
    assert user.is_authenticated
    assert user.pk == officer.pk


def test_a_wrong_password_shows_the_error_summary_and_does_not_sign_in(client, officer):
    response = sign_in(client, password="not-the-password")

    assert response.status_code == 200
    assert title(response.text).startswith("Error: Sign in – ")
    summary = error_summary(response.text)
    assert "There is a problem" in summary
    assert "Enter a correct username and password" in summary
    # The summary comes before the heading, as on GOV.UK, and its link goes to the first field.
    assert response.text.index("govuk-error-summary") < response.text.index("<h1")
    assert "#id_username" in links(response.text, within=".govuk-error-summary").values()
    # The username is kept so the user only retypes the password.
    assert attribute_values(response.text, "input[name=username]", "value") == ["officer"]
    assert not get_user(client).is_authenticated


def input_classes(response, name: str) -> list[str]:
    [classes] = attribute_values(response.text, f"input[name={name}]", "class")
    return classes.split()


def test_a_failed_sign_in_gives_the_password_input_its_red_border(client, officer):
    response = sign_in(client, password="not-the-password")

    # The password is the field to type again (the page never shows it back).
    assert "govuk-input--error" in input_classes(response, "password")
    assert attribute_values(response.text, "input[name=password]", "aria-invalid") == ["true"]
    assert attribute_values(response.text, "input[name=password][value]", "value") == []
    assert "govuk-input--error" not in input_classes(response, "username")


def test_an_empty_password_is_marked_like_any_field_in_error(client, officer):
    response = sign_in(client, password="")

    assert input_classes(response, "password") == [
        "govuk-input",
        "govuk-input--width-20",
        "govuk-input--error",
    ]
    assert attribute_values(response.text, "input[name=password]", "aria-describedby") == [
        "id_password_1_error"
    ]
    assert texts(response.text, "#id_password_1_error") == ["Error: Enter your password"]
    assert "govuk-input--error" not in input_classes(response, "username")


def test_a_sign_in_page_without_errors_marks_no_field(client):
    response = client.get(reverse("assessment:sign_in"))

    assert input_classes(response, "username") == ["govuk-input", "govuk-input--width-20"]
    assert input_classes(response, "password") == ["govuk-input", "govuk-input--width-20"]
    assert attribute_values(response.text, "input[name=password]", "autocomplete") == [
        "current-password"
    ]


def test_with_debug_on_the_sign_in_page_lists_the_demo_sign_ins(client, settings):
    settings.DEBUG = True

    page = client.get(reverse("assessment:sign_in")).text

    admin_username, _, admin_password = DEMO_ADMIN
    assert texts(page, "#demo-sign-ins") == ["Demo sign-ins"]
    said = " ".join(texts(page, "main p"))
    assert f"signs in as {admin_username} with the password {admin_password}" in said
    assert f"Every council user's password is {DEMO_PASSWORD}" in said
    assert texts(page, "#demo-council-users li") == [
        f"{p.username}: {p.first_name} {p.last_name}, {p.role.label}" for p in demo_sign_ins()
    ]
    assert texts(page, "#demo-council-users h3") == [name for name, *_ in DEMO_ORGANISATIONS]


def test_with_debug_off_the_sign_in_page_shows_no_demo_sign_in(client, settings):
    settings.DEBUG = False

    page = client.get(reverse("assessment:sign_in")).text

    assert texts(page, "#demo-sign-ins") == []
    assert DEMO_PASSWORD not in page
    assert DEMO_ADMIN[2] not in page
    assert not any(p.username in page for p in demo_sign_ins())


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(client, officer):
    response = sign_in(client, username="nobody")

    assert "Enter a correct username and password" in error_summary(response.text)
    assert not get_user(client).is_authenticated


def test_empty_fields_say_what_to_enter(client, officer):
    response = client.post(reverse("assessment:sign_in"), {"username": "", "password": ""})

    assert response.status_code == 200
    assert title(response.text).startswith("Error: ")
    summary_links = links(response.text, within=".govuk-error-summary")
    assert summary_links["Enter your username"] == "#id_username"
    assert summary_links["Enter your password"] == "#id_password"
    # Each field repeats its own message next to it.
    assert 'id="id_username_1_error"' in response.text
    assert 'id="id_password_1_error"' in response.text
    assert not get_user(client).is_authenticated


def test_a_user_sent_to_sign_in_goes_back_where_they_were(client, officer):
    where_they_were = reverse("assessment:task_list", args=[7])

    page = client.get(reverse("assessment:sign_in"), {"next": where_they_were})
    assert hidden_next_of(page) == where_they_were

    response = sign_in(client, next=where_they_were)
    assert response.status_code == 302
    assert response["Location"] == where_they_were


def test_next_in_the_address_alone_is_also_honoured(client, officer):
    where_they_were = reverse("assessment:task_list", args=[7])

    response = client.post(
        f"{reverse('assessment:sign_in')}?next={where_they_were}",
        {"username": "officer", "password": PASSWORD},
    )

    assert response["Location"] == where_they_were


def test_an_off_site_next_is_not_followed(client, officer):
    evil = "https://evil.example/"

    page = client.get(reverse("assessment:sign_in"), {"next": evil})
    assert "evil.example" not in page.text
    assert hidden_next_of(page) == ""

    response = sign_in(client, next=evil)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:dashboard")
    assert get_user(client).is_authenticated


@pytest.mark.parametrize("evil", ["//evil.example/", "https://evil.example/dashboard/"])
def test_other_off_site_next_forms_are_not_followed_either(client, officer, evil):
    response = sign_in(client, next=evil)

    assert response["Location"] == reverse("assessment:dashboard")


def test_signing_out_signs_you_out_and_goes_home(client, officer):
    client.force_login(officer)

    response = client.post(reverse("assessment:sign_out"))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:home")
    assert not get_user(client).is_authenticated


def test_a_link_to_sign_out_does_not_sign_you_out(client, officer):
    client.force_login(officer)

    response = client.get(reverse("assessment:sign_out"))

    assert response.status_code == 405
    assert get_user(client).is_authenticated


def test_someone_already_signed_in_is_sent_on_from_the_sign_in_page(client, officer):
    client.force_login(officer)

    response = client.get(reverse("assessment:sign_in"))

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:dashboard")


def test_a_switched_off_account_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()

    response = sign_in(client)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not get_user(client).is_authenticated


def test_passwords_are_hashed_with_argon2_and_older_hashes_upgrade_at_sign_in(
    client, council, settings
):
    # The project's own hashers, not the fast one the other tests use.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    officer = council.officer
    officer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    officer.save()

    client.post(reverse("assessment:sign_in"), {"username": officer.username, "password": PASSWORD})

    officer.refresh_from_db()
    assert officer.password.startswith("argon2$")

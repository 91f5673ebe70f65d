"""Third-party apps named for what they are in the admin (config/apps.py)."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests.pages import texts

pytestmark = pytest.mark.django_db


def test_the_admin_index_names_django_axes_group_sign_in_lockouts(admin_client):
    response = admin_client.get(reverse("admin:index"))

    groups = texts(response.text, "#content-main .module caption")
    assert "Sign-in lockouts" in groups
    assert not [group for group in groups if group.lower() == "axes"]


def test_django_axes_keeps_its_own_label_so_its_tables_and_migrations_are_unchanged():
    config = apps.get_app_config("axes")

    assert config.name == "axes"
    assert config.verbose_name == "Sign-in lockouts"
    assert config.get_model("AccessAttempt")._meta.db_table == "axes_accessattempt"

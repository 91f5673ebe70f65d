"""How templates name people: `{{ user|display_name }}`, as `models.display_name` does."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AbstractUser

from assessment import models

register = template.Library()


@register.filter
def display_name(user: AbstractUser | None) -> str:
    return models.display_name(user)

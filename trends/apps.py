"""The trends app: the questionnaire's content."""

from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "trends"
    verbose_name = "Trends and questionnaire content"

"""The assessment app: organisations, their people, their assessments and what is read out."""

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Councils and assessments"

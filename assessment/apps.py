"""The assessment app: organisations, their people, their assessments and what is read out."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _statistics_inputs_saved(sender: Any, **kwargs: Any) -> None:
    from assessment import tasks  # at the first save, not as every process starts

    tasks.statistics_inputs_saved(sender, **kwargs)


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Councils and assessments"

    def ready(self) -> None:
        # Edits the statistics stamp cannot see mark every edition's statistics behind.
        from assessment.models import Organisation
        from trends.models import Trend, TrendDependency

        for model in (Trend, TrendDependency, Organisation):
            for signal in (post_save, post_delete):
                signal.connect(
                    _statistics_inputs_saved,
                    sender=model,
                    dispatch_uid=f"statistics-{signal is post_save}-{model.__name__}",
                )

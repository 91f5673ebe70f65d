"""What templates ask `assessment.access` of one assessment among many, as the dashboard does.

`{% with step=access|next_step:assessment %}`
"""

from __future__ import annotations

from django import template

from assessment.access import Access, NextStep
from assessment.models import Assessment

register = template.Library()


@register.filter
def next_step(access: Access, assessment: Assessment) -> NextStep:
    """The assessment must carry `answered` and `total` counts, as the dashboard annotates."""
    return access.for_assessment(assessment).next_step(
        answered=assessment.answered,  # type: ignore[attr-defined]
        total=assessment.total,  # type: ignore[attr-defined]
    )

"""Organisations and their assessments.

This is the foundation the officer's journey builds on: an organisation assesses itself once per
edition of the questionnaire. Answers, memberships and scoring arrive with later capabilities.
"""

from __future__ import annotations

from django.db import models

from trends.models import Edition


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        DISTRICT = "district", "District council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        WELSH = "welsh", "Welsh principal council"
        SCOTTISH = "scottish", "Scottish council"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland council"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        OTHER = "other", "Other public body"

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    class PopulationBand(models.TextChoices):
        UNDER_100K = "under_100k", "Under 100,000"
        FROM_100K = "100k_250k", "100,000 to 250,000"
        FROM_250K = "250k_500k", "250,000 to 500,000"
        FROM_500K = "500k_1m", "500,000 to 1 million"
        OVER_1M = "over_1m", "Over 1 million"

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region = models.CharField(
        max_length=60, help_text="English region, or the nation's name elsewhere."
    )
    population_band = models.CharField(max_length=20, choices=PopulationBand.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    # PROTECT: an edition that has been answered is history and must never vanish with it.
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "edition"], name="one_assessment_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.edition}"

"""The maturity scale: one for the whole service, defined here and nowhere else.

An officer rates each statement on five levels (0-4), or answers "Not applicable" (a reason is
then required) or "Don't know". `SCALE` lists all seven answers in the order the form shows them.
"""

from dataclasses import dataclass

from django.db import models


class Level(models.IntegerChoices):
    NOT_STARTED = 0, "Not started"
    EMERGING = 1, "Emerging"
    DEVELOPING = 2, "Developing"
    ESTABLISHED = 3, "Established"
    LEADING = 4, "Leading"

    @property
    def descriptor(self) -> str:
        return _DESCRIPTORS[self]

    @property
    def with_score(self) -> str:
        """The level with the score it equals out of 100, so that targets and plans read on
        the same scale as scores: "Established (75)"."""
        return f"{self.label} ({100 * self.value // Level.LEADING})"


_DESCRIPTORS = {
    Level.NOT_STARTED: "We have not begun on this, or it happens only by chance.",
    Level.EMERGING: (
        "Some people see the need and there are isolated efforts, but nothing is agreed."
    ),
    Level.DEVELOPING: "There is an agreed plan and work is under way in parts of the organisation.",
    Level.ESTABLISHED: (
        "It is how we work across the organisation, owned at a senior level, "
        "and we can show evidence."
    ),
    Level.LEADING: "It is embedded, measured and improving, and others learn from what we do.",
}


@dataclass(frozen=True)
class ScalePoint:
    """One answer an officer can give: its stored code, label, hint and what it means."""

    code: str
    label: str
    hint: str
    level: int | None  # None: not a level ("not applicable" or "don't know")
    requires_reason: bool = False


NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"

SCALE: tuple[ScalePoint, ...] = (
    *(
        ScalePoint(str(level.value), str(level.label), level.descriptor, level.value)
        for level in Level
    ),
    ScalePoint(
        NOT_APPLICABLE,
        "Not applicable",
        "This does not apply to our organisation. You will be asked why.",
        level=None,
        requires_reason=True,
    ),
    ScalePoint(
        DONT_KNOW,
        "Don't know",
        "We cannot say yet. This is shown as an evidence gap in the report.",
        level=None,
    ),
)
POINTS = {point.code: point for point in SCALE}
RESPONSES: list[tuple[str, str]] = [(point.code, point.label) for point in SCALE]
RESPONSE_LABELS = dict(RESPONSES)

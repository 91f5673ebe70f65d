"""The maturity scale: one for the whole service, defined here and nowhere else.

An officer rates each statement on five levels (0-4), or answers "Not applicable" (with a reason)
or "Don't know". Scoring treats the levels as numbers; the two other answers are not levels.
"""

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

NOT_APPLICABLE_LABEL = "Not applicable"
NOT_APPLICABLE_HINT = "This does not apply to our organisation. You will be asked why."
DONT_KNOW_LABEL = "Don't know"
DONT_KNOW_HINT = "We cannot say yet. This counts as not started and is shown as an evidence gap."

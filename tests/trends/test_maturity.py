"""The maturity scale is defined once and says what each answer means."""

from trends.maturity import POINTS, RESPONSE_LABELS, SCALE, Level


def test_five_levels_from_not_started_to_leading_each_with_a_descriptor():
    assert [(level.value, level.label) for level in Level] == [
        (0, "Not started"),
        (1, "Emerging"),
        (2, "Developing"),
        (3, "Established"),
        (4, "Leading"),
    ]
    assert all(level.descriptor.endswith(".") for level in Level)


def test_the_scale_has_the_levels_then_not_applicable_and_dont_know():
    assert [p.code for p in SCALE] == ["0", "1", "2", "3", "4", "na", "dont_know"]
    assert [p.level for p in SCALE] == [0, 1, 2, 3, 4, None, None]


def test_only_not_applicable_requires_a_reason():
    assert [p.code for p in SCALE if p.requires_reason] == ["na"]


def test_every_answer_has_a_label_and_a_hint():
    assert RESPONSE_LABELS["dont_know"] == "Don't know"
    assert all(POINTS[code].hint for code in RESPONSE_LABELS)

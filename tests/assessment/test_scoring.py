"""The scoring engine, without a database: docs/scoring.md's worked example and its rules."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    DIGITAL,
    LEVEL_LABELS,
    TECHNOLOGY,
    Answer,
    Horizon,
    Questionnaire,
    QuestionSpec,
    ScoringError,
    TrendSpec,
    assess_balance,
    label_for,
    score_assessment,
)

# The worked example in docs/scoring.md ------------------------------------------------------

SKILLS = TrendSpec("skills", "Skills and capacity", DIGITAL, 5)
REIMAGINING = TrendSpec("reimagining", "Reimagining services", DIGITAL, 2)
DATA = TrendSpec("data", "Harnessing data", TECHNOLOGY, 2)
CYBER = TrendSpec("cyber", "Cyber protection", TECHNOLOGY, 3)


def question(key: str, trend: TrendSpec, order: int, weight: float = 1) -> QuestionSpec:
    return QuestionSpec(
        key, trend.slug, order, f"We do {key}.", f"Improve {key}.", f"Section for {key}", weight
    )


EXAMPLE = Questionnaire(
    trends=(SKILLS, REIMAGINING, DATA, CYBER),
    questions=(
        question("s1", SKILLS, 1),
        question("s2", SKILLS, 2, weight=2),
        question("r1", REIMAGINING, 1),
        question("r2", REIMAGINING, 2),
        question("d1", DATA, 1),
        question("d2", DATA, 2),
        question("c1", CYBER, 1),
        question("c2", CYBER, 2),
    ),
    dependencies=(
        ("skills", "reimagining"),
        ("skills", "data"),
        ("skills", "cyber"),
        ("data", "reimagining"),
    ),
)
EXAMPLE_ANSWERS = (
    Answer("s1", level=2, has_evidence=True),
    Answer("s2", level=1),
    Answer("r1", level=3),
    Answer("r2", not_applicable=True),
    Answer("d1", level=4, has_evidence=True),
    Answer("d2", dont_know=True),
    Answer("c1", level=3),
    Answer("c2", level=4),
)


@pytest.fixture
def example():
    return score_assessment(EXAMPLE, EXAMPLE_ANSWERS, targets={"cyber": 4})


def test_worked_example_trend_scores_and_labels(example):
    scores = {t.trend.slug: (round(t.score, 2), t.label) for t in example.trends}

    assert scores == {
        "skills": (33.33, "Emerging"),
        "reimagining": (75.0, "Established"),
        "data": (50.0, "Developing"),
        "cyber": (87.5, "Leading"),
    }


def test_worked_example_indexes_overall_and_balance(example):
    assert round(example.digital_index, 2) == 54.17
    assert round(example.technology_index, 2) == 68.75
    assert round(example.overall, 2) == 61.46
    assert example.overall_label == "Developing"
    assert example.balance.finding == "balanced"


def test_worked_example_evidence_gaps_completeness_and_evidence(example):
    data = example.trend("data")

    assert data.evidence_gaps == ("d2",)
    assert data.completeness == 1.0
    assert data.evidence_share == 0.5
    assert example.trend("reimagining").scored == 1  # r2 is not applicable


def test_worked_example_action_plan(example):
    plan = [
        (a.rank, a.question.key, a.current, a.target, a.priority, a.horizon)
        for a in example.actions
    ]

    assert plan == [
        (1, "s2", 1, 3, 4, "Now"),
        (2, "d2", None, 3, 3, "Now"),
        (3, "s1", 2, 3, 1, "Now"),
        (4, "c1", 3, 4, 1, "Now"),
    ]
    assert example.actions[1].what.startswith("Establish the facts first")
    assert example.actions[2].underpins == 2 and example.actions[3].underpins == 0


# Rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0, "Not started"),
        (12.49, "Not started"),
        (12.5, "Emerging"),
        (37.5, "Developing"),
        (62.5, "Established"),
        (87.49, "Established"),
        (87.5, "Leading"),
        (100, "Leading"),
        (None, None),
    ],
)
def test_labels_round_the_average_level_half_up(score, label):
    assert label_for(score) == label


@pytest.mark.parametrize(
    ("digital", "technology", "finding"),
    [
        (40, 55, "masking"),
        (40, 54.9, "balanced"),
        (70, 55, "ahead"),
        (60, 60, "balanced"),
        (None, 60, "unknown"),
    ],
)
def test_balance_uses_the_margin_inclusively(digital, technology, finding):
    assert assess_balance(digital, technology, 15).finding == finding


def test_the_masking_caution_is_worded_from_the_report():
    balance = assess_balance(40, 70)

    assert "Good IT management may be masking digital immaturity" in balance.message
    assert "30 points" in balance.message


def test_the_margin_is_configurable():
    result = score_assessment(EXAMPLE, EXAMPLE_ANSWERS, targets={"cyber": 4}, balance_margin=10)

    assert result.balance.finding == "masking"


def test_unanswered_questions_are_incomplete_not_zero():
    result = score_assessment(EXAMPLE, [Answer("s1", level=4)])

    skills = result.trend("skills")
    assert skills.score == 100
    assert skills.unanswered == ("s2",)
    assert skills.completeness == 0.5
    assert result.trend("data").score is None
    assert result.technology_index is None
    assert result.overall is None


def test_horizons_take_five_now_ten_next_and_the_rest_later():
    trend = TrendSpec("t", "T", DIGITAL, 1)
    other = TrendSpec("u", "U", TECHNOLOGY, 1)
    questions = (*(question(f"q{n:02d}", trend, n) for n in range(20)), question("u1", other, 1))
    result = score_assessment(
        Questionnaire((trend, other), questions), [Answer(q.key, level=0) for q in questions]
    )

    assert [len(result.horizon(h)) for h in Horizon] == [5, 10, 6]


# Bad data is refused with a clear error ------------------------------------------------------


def test_an_answer_to_a_question_not_in_the_edition_is_refused():
    with pytest.raises(ScoringError, match="x9 is not a question in this edition"):
        score_assessment(EXAMPLE, [Answer("x9", level=2)])


@pytest.mark.parametrize("level", [-1, 5, True])
def test_a_level_out_of_range_is_refused(level):
    with pytest.raises(ScoringError, match="levels run 0 to 4"):
        Answer("s1", level=level)


def test_an_answer_must_be_exactly_one_thing():
    with pytest.raises(ScoringError, match="exactly one of"):
        Answer("s1", level=2, dont_know=True)
    with pytest.raises(ScoringError, match="exactly one of"):
        Answer("s1")


@pytest.mark.parametrize("weight", [0, -1, -0.5])
def test_weights_must_be_positive(weight):
    with pytest.raises(ScoringError, match="weights must be > 0"):
        Questionnaire((SKILLS,), (question("s1", SKILLS, 1, weight=weight),))


def test_a_question_answered_twice_is_refused():
    with pytest.raises(ScoringError, match="s1 is answered twice"):
        score_assessment(EXAMPLE, [Answer("s1", level=2), Answer("s1", level=3)])


@pytest.mark.parametrize(
    ("targets", "message"), [({"ai": 3}, "not a trend"), ({"data": 5}, "targets run 0 to 4")]
)
def test_bad_targets_are_refused(targets, message):
    with pytest.raises(ScoringError, match=message):
        score_assessment(EXAMPLE, [], targets=targets)


# Properties -----------------------------------------------------------------------------------

TRENDS = tuple(TrendSpec(f"d{n}", f"Digital {n}", DIGITAL, n) for n in range(1, 4)) + tuple(
    TrendSpec(f"t{n}", f"Technology {n}", TECHNOLOGY, n) for n in range(1, 4)
)


@st.composite
def questionnaires(draw) -> Questionnaire:
    questions = []
    for trend in TRENDS:
        for order in range(1, draw(st.integers(1, 4)) + 1):
            weight = draw(st.sampled_from([1, 1, 1, 2, 3, 0.5]))
            questions.append(question(f"{trend.slug}-{order}", trend, order, weight))
    pairs = [(a.slug, b.slug) for a in TRENDS for b in TRENDS if TRENDS.index(a) < TRENDS.index(b)]
    dependencies = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6))
    return Questionnaire(TRENDS, tuple(questions), tuple(dependencies))


def answer_for(key: str, kind: int, evidence: bool) -> Answer | None:
    if kind == 5:
        return Answer(key, not_applicable=True, has_evidence=evidence)
    if kind == 6:
        return Answer(key, dont_know=True, has_evidence=evidence)
    if kind == 7:
        return None  # unanswered
    return Answer(key, level=kind, has_evidence=evidence)


@st.composite
def assessments(draw):
    questionnaire = draw(questionnaires())
    answers = []
    for q in questionnaire.questions:
        a = answer_for(q.key, draw(st.integers(0, 7)), draw(st.booleans()))
        if a is not None:
            answers.append(a)
    targets = draw(st.dictionaries(st.sampled_from([t.slug for t in TRENDS]), st.integers(0, 4)))
    return questionnaire, answers, targets


def in_range(value: float | None) -> bool:
    return value is None or 0 <= value <= 100


@settings(max_examples=200, deadline=None)
@given(assessments())
def test_every_score_is_within_0_to_100(case):
    questionnaire, answers, targets = case
    result = score_assessment(questionnaire, answers, targets=targets)

    assert all(in_range(t.score) for t in result.trends)
    assert in_range(result.digital_index) and in_range(result.technology_index)
    assert in_range(result.overall)


def not_lower(before: float | None, after: float | None) -> bool:
    return before is None or after is None or after >= before - 1e-9


@settings(max_examples=200, deadline=None)
@given(assessments(), st.data())
def test_raising_one_answer_never_lowers_its_trend_index_or_overall(case, data):
    questionnaire, answers, targets = case
    rated = [a for a in answers if a.level is not None and a.level < 4] + [
        a for a in answers if a.dont_know
    ]
    assume(rated)
    chosen = data.draw(st.sampled_from(rated))
    start = chosen.scored_level or 0
    raised = Answer(chosen.question, level=data.draw(st.integers(start + 1, 4)))
    after_answers = [raised if a is chosen else a for a in answers]

    before = score_assessment(questionnaire, answers, targets=targets)
    after = score_assessment(questionnaire, after_answers, targets=targets)

    trend = next(q.trend for q in questionnaire.questions if q.key == chosen.question)
    score_before, score_after = before.trend(trend).score, after.trend(trend).score
    assert score_before is not None and score_after is not None
    assert score_after > score_before
    family = after.trend(trend).trend.family
    index = "digital_index" if family == DIGITAL else "technology_index"
    assert not_lower(getattr(before, index), getattr(after, index))
    assert not_lower(before.overall, after.overall)


@settings(max_examples=200, deadline=None)
@given(assessments(), st.data())
def test_not_applicable_on_one_question_leaves_other_trends_unchanged(case, data):
    questionnaire, answers, targets = case
    chosen = data.draw(st.sampled_from(questionnaire.questions))
    others = [a for a in answers if a.question != chosen.key]
    with_na = [*others, Answer(chosen.key, not_applicable=True)]

    before = score_assessment(questionnaire, answers, targets=targets)
    after = score_assessment(questionnaire, with_na, targets=targets)

    for b, a in zip(before.trends, after.trends, strict=True):
        if b.trend.slug != chosen.trend:
            assert a.score == b.score


@settings(max_examples=200, deadline=None)
@given(assessments(), st.randoms())
def test_answer_order_does_not_matter(case, random):
    questionnaire, answers, targets = case
    shuffled = list(answers)
    random.shuffle(shuffled)

    assert score_assessment(questionnaire, shuffled, targets=targets) == score_assessment(
        questionnaire, answers, targets=targets
    )


def two_equal_trends(dependencies=()) -> Questionnaire:
    a = TrendSpec("a", "A", DIGITAL, 1)
    b = TrendSpec("b", "B", DIGITAL, 2)
    c = TrendSpec("c", "C", TECHNOLOGY, 1)
    return Questionnaire(
        (a, b, c),
        (question("a1", a, 1), question("b1", b, 1), question("c1", c, 1)),
        dependencies,
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2), st.integers(0, 2), st.integers(0, 4))  # below the target of 3
def test_a_larger_gap_never_ranks_lower_all_else_equal(level_a, level_b, c_level):
    assume(level_a != level_b)
    questionnaire = two_equal_trends()
    result = score_assessment(
        questionnaire,
        [Answer("a1", level=level_a), Answer("b1", level=level_b), Answer("c1", level=c_level)],
    )
    ranks = {a.question.key: a.rank for a in result.actions}

    larger, smaller = ("a1", "b1") if level_a < level_b else ("b1", "a1")
    assert ranks[larger] < ranks[smaller]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2))
def test_foundations_first_between_equal_actions(level):
    # b is the foundation of c, which is weak; a and b are otherwise identical, and a comes
    # first in trend order, so only the foundations rule can put b ahead of it.
    questionnaire = two_equal_trends(dependencies=(("b", "c"),))
    result = score_assessment(
        questionnaire, [Answer("a1", level=level), Answer("b1", level=level), Answer("c1", level=0)]
    )
    ranks = {a.question.key: a.rank for a in result.actions}

    assert ranks["b1"] < ranks["a1"]


def test_without_the_dependency_trend_order_breaks_the_tie():
    result = score_assessment(
        two_equal_trends(), [Answer("a1", level=1), Answer("b1", level=1), Answer("c1", level=0)]
    )

    assert [a.question.key for a in result.actions if a.question.key != "c1"] == ["a1", "b1"]


def test_a_foundation_of_a_strong_trend_gets_no_precedence():
    questionnaire = two_equal_trends(dependencies=(("b", "c"),))
    result = score_assessment(
        questionnaire, [Answer("a1", level=1), Answer("b1", level=1), Answer("c1", level=4)]
    )

    assert [a.question.key for a in result.actions] == ["a1", "b1"]


def test_results_are_immutable(example):
    with pytest.raises(AttributeError):
        example.overall = 100  # type: ignore[misc]


def test_score_labels_are_the_maturity_scales_words():
    # scoring.py cannot import the Django enum, so the two lists must be kept the same.
    from trends.maturity import Level

    assert list(LEVEL_LABELS) == [level.label for level in Level]

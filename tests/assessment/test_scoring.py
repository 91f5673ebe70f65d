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
    prerequisites=(("skills", "data"),),  # data work needs the skills in place first
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

    # d2 (priority 3) outranks s1 (priority 1), but skills is weak and a prerequisite of data:
    # the data action waits until the skills actions are placed, and says so. Skills only
    # enables cyber, so c1 waits for nothing (it comes last on priority and underpins alone).
    assert plan == [
        (1, "s2", 1, 3, 4, "Now"),
        (2, "s1", 2, 3, 1, "Now"),
        (3, "d2", None, 3, 3, "Now"),
        (4, "c1", 3, 4, 1, "Now"),
    ]
    assert example.actions[2].what.startswith("Establish the facts first")
    assert [t.title for t in example.actions[2].after] == ["Skills and capacity"]
    assert example.actions[3].after == () and example.actions[0].after == ()
    assert example.actions[1].underpins == 2


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
        (47.5, 62.5, "masking"),  # technology Established (62.5 and over), digital 15 behind
        (47.6, 62.5, "balanced"),  # 14.9 behind: within the margin
        (40, 55, "both_need_work"),  # 15 behind, but technology is only Developing
        (10, 30, "both_need_work"),  # both weak: never called masking
        (40, 62.4, "both_need_work"),
        (70, 55, "ahead"),
        (60, 60, "balanced"),
        (None, 60, "unknown"),
    ],
)
def test_masking_needs_technology_established_and_digital_behind_by_the_margin(
    digital, technology, finding
):
    assert assess_balance(digital, technology, 15).finding == finding


def test_the_masking_caution_is_worded_from_the_report():
    balance = assess_balance(40, 70)

    assert "Good IT management may be masking digital immaturity" in balance.message
    assert "30 points" in balance.message


def test_both_weak_is_its_own_finding_and_says_it_is_not_masking():
    balance = assess_balance(10, 30)

    assert balance.is_caution and not balance.is_masking
    assert "both need work" in balance.message
    assert "not the masking" in balance.message


def test_the_margin_is_configurable():
    result = score_assessment(EXAMPLE, EXAMPLE_ANSWERS, targets={"cyber": 4}, balance_margin=10)

    assert result.balance.finding == "masking"


def test_the_masking_caution_names_its_evidence():
    # Technology 68.75 (Established), digital 54.17: masking at a 10-point margin. The
    # strongest technology practices: d1 and c2 (Leading), then c1 (Established); the weakest
    # digital behaviours: s2 (Emerging), then s1 (Developing). r1 is Established: not evidence.
    result = score_assessment(EXAMPLE, EXAMPLE_ANSWERS, targets={"cyber": 4}, balance_margin=10)

    strong, weak = result.balance.strong_technology, result.balance.weak_digital
    assert [(p.question.key, p.label) for p in strong] == [
        ("d1", "Leading"),
        ("c2", "Leading"),
        ("c1", "Established"),
    ]
    assert [(p.question.key, p.label) for p in weak] == [("s2", "Emerging"), ("s1", "Developing")]
    assert score_assessment(EXAMPLE, EXAMPLE_ANSWERS).balance.strong_technology == ()
    # The plan keeps its order: d2 still waits for skills, a digital prerequisite.
    assert [(a.question.key, [t.slug for t in a.after]) for a in result.actions] == [
        ("s2", []),
        ("s1", []),
        ("d2", ["skills"]),
        ("c1", []),
    ]


def test_worked_example_pace():
    # Had the content set cyber's default target to 2, cyber (87.5) would meet it and c1 would
    # be no action; the lead's target of 4 wins over any default.
    trends = tuple(
        TrendSpec(t.slug, t.title, t.family, t.number, default_target=2) if t.slug == "cyber" else t
        for t in EXAMPLE.trends
    )
    paced = Questionnaire(trends, EXAMPLE.questions, EXAMPLE.dependencies, EXAMPLE.prerequisites)

    assert [a.question.key for a in score_assessment(paced, EXAMPLE_ANSWERS).actions] == [
        "s2",
        "s1",
        "d2",
    ]
    chosen = score_assessment(paced, EXAMPLE_ANSWERS, targets={"cyber": 4})
    assert [a.question.key for a in chosen.actions] == ["s2", "s1", "d2", "c1"]


def test_a_dont_know_is_no_evidence_of_masking_either_way():
    answers = [a for a in EXAMPLE_ANSWERS if a.question != "s2"] + [Answer("s2", dont_know=True)]
    result = score_assessment(EXAMPLE, answers, targets={"cyber": 4}, balance_margin=10)

    assert result.balance.is_masking
    assert [p.question.key for p in result.balance.weak_digital] == ["s1"]


def test_the_gap_is_said_to_one_decimal_as_the_finding_compares_it():
    # The whole-number indexes would read 54 and 69, 15 apart; the gap is 14.6, under 15.
    balance = assess_balance(54.17, 68.75, 15)

    assert balance.finding == "balanced"
    assert "14.6 points" in assess_balance(54.17, 68.75, 10).message


def test_when_masking_digital_behaviour_comes_before_equal_technology_actions():
    # Every action has priority 2. Normally t1 comes first: t underpins a weak trend (w), and
    # is its prerequisite, so w1 waits for it. Masking (technology 62.5, Established; digital
    # 25) puts digital behaviour first, and holds no digital action back for a technology
    # prerequisite: technology is established, what lags is the behaviour.
    d = TrendSpec("d", "D", DIGITAL, 1)
    w = TrendSpec("w", "W", DIGITAL, 2)
    t = TrendSpec("t", "T", TECHNOLOGY, 1)
    s = TrendSpec("s", "S", TECHNOLOGY, 2)
    questionnaire = Questionnaire(
        (d, w, t, s),
        (question("d1", d, 1), question("w1", w, 1), question("t1", t, 1), question("s1", s, 1)),
        dependencies=(("t", "w"),),
        prerequisites=(("t", "w"),),
    )
    answers = [Answer("d1", level=1), Answer("w1", level=1), Answer("t1", level=1)]
    answers.append(Answer("s1", level=4))

    balanced = score_assessment(questionnaire, answers, balance_margin=50)
    masking = score_assessment(questionnaire, answers, balance_margin=15)

    assert balanced.balance.finding == "balanced" and masking.balance.is_masking
    assert [a.question.key for a in balanced.actions] == ["t1", "d1", "w1"]
    assert [t.slug for t in balanced.actions[2].after] == ["t"]
    assert [a.question.key for a in masking.actions] == ["d1", "w1", "t1"]
    assert masking.actions[1].after == ()


def test_each_trend_starts_from_its_own_default_target():
    slow = TrendSpec("slow", "Exploratory", TECHNOLOGY, 1, default_target=2)
    usual = TrendSpec("usual", "Usual", DIGITAL, 1)
    questionnaire = Questionnaire(
        (slow, usual), (question("x1", slow, 1), question("u1", usual, 1))
    )
    answers = [Answer("x1", level=2), Answer("u1", level=2)]

    result = score_assessment(questionnaire, answers)
    chosen = score_assessment(questionnaire, answers, targets={"slow": 3})

    assert result.trend("slow").target == 2 and not result.trend("slow").below_target
    assert [a.question.key for a in result.actions] == ["u1"]
    assert [a.question.key for a in chosen.actions] == ["u1", "x1"]  # the lead's target wins


def test_a_default_target_off_the_scale_is_refused():
    with pytest.raises(ScoringError, match="targets run 0 to 4"):
        Questionnaire((TrendSpec("x", "X", DIGITAL, 1, default_target=5),), ())


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
    # Dependencies in any direction (technology under digital, digital under technology), in
    # an order drawn each time so that they never loop, as admin refuses loops.
    order = draw(st.permutations([t.slug for t in TRENDS]))
    pairs = [(a, b) for i, a in enumerate(order) for b in order[i + 1 :]]
    dependencies = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=8))
    prerequisites = [p for p in dependencies if draw(st.booleans())]
    return Questionnaire(TRENDS, tuple(questions), tuple(dependencies), tuple(prerequisites))


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


def precedes_a_prerequisite(result) -> list[tuple[str, str]]:
    """Pairs (action, prerequisite action) where an action comes before an action of a weak
    trend that is a prerequisite of its own (and holds it back: not a technology one of a
    digital trend when masking)."""
    weak = {t.trend.slug for t in result.trends if t.below_target}
    families = {t.trend.slug: t.trend.family for t in result.trends}
    masking = result.balance.is_masking
    holds = {
        (f, d)
        for f, d in result.questionnaire.prerequisites
        if f in weak and not (masking and families[f] == TECHNOLOGY and families[d] == DIGITAL)
    }
    return [
        (a.question.key, b.question.key)
        for a in result.actions
        for b in result.actions
        if (b.trend.slug, a.trend.slug) in holds and a.rank < b.rank
    ]


@settings(max_examples=300, deadline=None)
@given(assessments(), st.floats(min_value=1, max_value=50))
def test_no_action_precedes_an_unmet_action_of_a_weak_prerequisite(case, margin):
    questionnaire, answers, targets = case
    result = score_assessment(questionnaire, answers, targets=targets, balance_margin=margin)

    assert precedes_a_prerequisite(result) == []


@settings(max_examples=300, deadline=None)
@given(assessments(), st.floats(min_value=1, max_value=50))
def test_an_action_comes_after_a_lower_priority_one_only_while_it_waits(case, margin):
    # Foundations first holds actions back, and does nothing else: if a comes before b though
    # b has the higher priority, b was waiting then, for an action of a trend it names in
    # `after` that was not yet placed (a itself, or one after it).
    questionnaire, answers, targets = case
    result = score_assessment(questionnaire, answers, targets=targets, balance_margin=margin)

    for a in result.actions:
        for b in result.actions:
            if a.rank < b.rank and b.priority > a.priority:
                waited_for = {t.slug for t in b.after}
                assert any(
                    c.trend.slug in waited_for and c.rank >= a.rank for c in result.actions
                ), (a.question.key, b.question.key)


@settings(max_examples=200, deadline=None)
@given(assessments())
def test_every_action_that_waits_says_what_for(case):
    questionnaire, answers, targets = case
    result = score_assessment(questionnaire, answers, targets=targets, balance_margin=1000)
    weak_with_actions = {a.trend.slug for a in result.actions} & {
        t.trend.slug for t in result.trends if t.below_target
    }

    for action in result.actions:
        expected = {
            f
            for f, d in questionnaire.prerequisites
            if d == action.trend.slug and f in weak_with_actions
        }
        assert {t.slug for t in action.after} == expected


@st.composite
def masking_assessments(draw):
    """Technology mostly Established or Leading, digital mostly below: masking, most times."""
    questionnaire = draw(questionnaires())
    answers = [
        Answer(
            q.key,
            level=draw(st.integers(2, 4) if q.trend.startswith("t") else st.integers(0, 3)),
        )
        for q in questionnaire.questions
    ]
    targets = draw(st.dictionaries(st.sampled_from([t.slug for t in TRENDS]), st.integers(0, 4)))
    return questionnaire, answers, targets


@settings(max_examples=300, deadline=None)
@given(masking_assessments(), st.floats(min_value=1, max_value=15))
def test_when_masking_a_free_digital_action_precedes_every_technology_one_of_equal_priority(
    case, margin
):
    questionnaire, answers, targets = case
    result = score_assessment(questionnaire, answers, targets=targets, balance_margin=margin)
    assume(result.balance.is_masking)

    for d in result.actions:
        if d.trend.family == DIGITAL and not d.after:
            for t in result.actions:
                if t.trend.family == TECHNOLOGY and t.priority == d.priority:
                    assert d.rank < t.rank, (d.question.key, t.question.key)


@settings(max_examples=200, deadline=None)
@given(assessments(), st.floats(min_value=1, max_value=50))
def test_masking_is_never_found_unless_technology_is_established(case, margin):
    questionnaire, answers, targets = case
    balance = score_assessment(
        questionnaire, answers, targets=targets, balance_margin=margin
    ).balance

    if balance.is_masking:
        assert balance.technology is not None and balance.technology >= 62.5
        assert balance.digital is not None and balance.technology - balance.digital >= margin
        assert all(
            p.question.trend.startswith("t") and p.level >= 3 for p in balance.strong_technology
        )
        assert all(p.question.trend.startswith("d") and p.level < 3 for p in balance.weak_digital)

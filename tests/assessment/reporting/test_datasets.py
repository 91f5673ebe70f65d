"""The pandas scores every analysis across organisations uses (assessment/reporting/datasets.py)
are the scoring engine's, for any questionnaire and answers.
"""

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.reporting.datasets import answer_frame, score_frame
from assessment.scoring import Answer as EngineAnswer
from assessment.scoring import Questionnaire, QuestionSpec, TrendSpec, score_assessment

# Scores: pandas and the engine agree ---------------------------------------------------------

RESPONSES = ["0", "1", "2", "3", "4", "na", "dont_know"]


@given(
    data=st.data(),
    shape=st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=5),
)
@settings(max_examples=150, deadline=None)
def test_pandas_scores_are_the_engines(data, shape):
    trends = tuple(
        TrendSpec(f"t{n}", f"Trend {n}", ("digital", "technology")[n % 2], n)
        for n in range(len(shape))
    )
    questions = tuple(
        QuestionSpec(f"t{n}-{k}", f"t{n}", k, "", "", "", data.draw(st.integers(1, 5)))
        for n, count in enumerate(shape)
        for k in range(count)
    )
    questionnaire = Questionnaire(trends, questions)
    rows, engine_answers = [], []
    for assessment in range(3):
        for q in questions:
            response = data.draw(st.sampled_from([*RESPONSES, None]))
            if response is None:
                continue  # unanswered
            rows.append((assessment, assessment, q.key, q.key, q.trend, q.weight, response))
            if assessment == 0:
                engine_answers.append(
                    EngineAnswer(
                        q.key,
                        level=int(response) if response.isdigit() else None,
                        not_applicable=response == "na",
                        dont_know=response == "dont_know",
                    )
                )
    frame = answer_frame(rows)
    if not len(frame[frame["assessment"] == 0]):
        return

    scores = score_frame(frame, {t.slug: t.family for t in trends}).loc[0]
    result = score_assessment(questionnaire, engine_answers)

    for trend in result.trends:
        got = scores.get(trend.trend.slug, np.nan)
        assert _same(got, trend.score), trend.trend.slug
    assert _same(scores["digital"], result.digital_index)
    assert _same(scores["technology"], result.technology_index)
    assert _same(scores["overall"], result.overall)


def _same(a, b) -> bool:
    if b is None:
        return bool(pd.isna(a))
    return math.isclose(a, b)

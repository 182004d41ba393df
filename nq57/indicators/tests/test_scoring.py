"""Scorecard arithmetic: weights, rules, missing values and ranks."""

import pytest

from nq57.indicators import scoring


def test_rules():
    assert scoring.threshold_score(15, [[10, 50], [20, 100]]) == 50
    assert scoring.threshold_score(25, [[10, 50], [20, 100]]) == 100
    assert scoring.threshold_score(5, [[10, 50], [20, 100]]) == 0
    assert scoring.threshold_score(3, [[5, 100], [10, 50]], lower_is_better=True) == 100
    assert scoring.linear_score(30, worst=0, best=40) == 75
    assert scoring.linear_score(50, worst=0, best=40) == 100
    assert scoring.linear_score(20, worst=40, best=0) == 50  # lower is better


def test_weights_and_missing_values_renormalised():
    weights = {"a": 2, "b": 1, "c": 1}
    # all present: (2×80 + 1×60 + 1×40) / 4 = 65
    assert scoring.total_score({"a": 80, "b": 60, "c": 40}, weights)[0] == pytest.approx(65)
    # c missing: (2×80 + 60) / 3 = 73.33, coverage 3/4, flagged
    total, coverage, missing = scoring.total_score({"a": 80, "b": 60, "c": None}, weights)
    assert total == pytest.approx(220 / 3)
    assert coverage == 0.75 and missing == ["c"]
    # a missing: weight 2 of 4 remains = 50%: still scored; a and b missing: 25% < 50%: no total
    assert scoring.total_score({"b": 60, "c": 40}, weights)[0] == pytest.approx(50)
    assert scoring.total_score({"c": 40}, weights)[0] is None


def test_ranks_share_ties_and_unranked_last():
    results = [scoring.SubjectResult(subject=s, total=t) for s, t in
               [("A", 70), ("B", None), ("C", 90), ("D", 70)]]
    ranked = scoring.rank(results)
    assert [(r.subject, r.rank) for r in ranked] == [("C", 1), ("A", 2), ("D", 2), ("B", None)]

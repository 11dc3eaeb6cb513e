"""Tests of anakinra_rescue.examination.outcome_proofs: each Table 3 proof fires on the article and never on real data."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import published
from anakinra_rescue.engine import stats
from anakinra_rescue.examination import day_profiles, outcome_proofs
from anakinra_rescue.reconstruction.trajectories import outcome_statistics, random_trajectories

RECORD = published.load_published_record()


def _keys(found):
    return {tuple(row[1:4]) for row in found}


def test_all_distributions_are_every_composition_of_20_into_6():
    counts = outcome_proofs._all_distributions(20)
    assert counts.shape == (53130, 6) and (counts.sum(axis=1) == 20).all() and (counts >= 0).all()
    assert len({tuple(row) for row in counts}) == 53130


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=20, max_size=20))
def test_quartiles_from_counts_equal_haverage_on_the_values(values):
    counts = np.bincount(values, minlength=7)[1:][None, :]
    from_counts = day_profiles.quartiles_from_counts(counts, np.arange(1, 7, dtype=float))
    q1, median, q3 = stats.quartiles(values)
    assert (from_counts["q1"][0], from_counts["median"][0], from_counts["q3"][0]) == (q1, median, q3)


def _record_from(found, day0_counts):
    size = str(int(sum(day0_counts)))
    rows = [("table1", "group_size", group, "n", size) for group in ("anakinra", "control")]
    rows += [
        ("table2", f"ordinal_status_{level}", group, "n", str(day0_counts[level - 1]))
        for level in range(1, 7)
        for group in ("anakinra", "control")
    ]
    for (variable, group, statistic), value in found.items():
        if statistic in ("n", "median", "q1", "q3"):
            rows.append(("table3", variable, group, statistic, f"{value:.2f}".rstrip("0").rstrip(".")))
    frame = pd.DataFrame(rows, columns=["source", "variable", "group", "statistic", "value"])
    return frame.assign(compared_as=published.compared_texts(frame))


@settings(max_examples=6, deadline=None)  # each example checks 3 days x 2 groups over 3.3 million pictures
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ordinal_check_never_rejects_numbers_a_real_dataset_printed(seed):
    """Random trajectories (with the article's day-0 statuses, so the pictures are enumerated once) print status
    quartiles the check never calls impossible: the pictures' rules are no tighter than real data."""
    rng = np.random.default_rng(seed)
    day0 = np.repeat([3, 4, 5], [1, 17, 2])
    found = outcome_statistics(random_trajectories(day0, rng), random_trajectories(day0, rng))
    record = _record_from(found, np.bincount(day0, minlength=7)[1:])
    assert outcome_proofs.ordinal_status_infeasibility(record) == []


def test_ordinal_check_proves_the_article_day21_quartiles_impossible():
    keys = _keys(outcome_proofs.ordinal_status_infeasibility(RECORD))
    assert ("ordinal_status_day21", "anakinra", "q3") in keys  # 6.75 on a scale that ends at 6
    assert ("ordinal_status_day14", "control", "median") not in keys  # 4 (1-6) is consistent with the counts


def test_control_day21_score_difference_q3_of_4_is_out_of_reach_under_either_sign():
    found = {row[:4]: row[4] for row in outcome_proofs.score_difference_proofs(RECORD)}
    assert set(found) == {("table3", "score_difference_day21", "control", "q3")}
    reverse = {row[:4] for row in outcome_proofs.score_difference_proofs(RECORD, "dayk_minus_day0")}
    assert ("table3", "score_difference_day21", "control", "q3") in reverse and len(reverse) == 4
    assert outcome_proofs.signs_fitting(RECORD) == {"day0_minus_dayk": 17, "dayk_minus_day0": 14, "total": 18}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(2, 5), st.integers(1, 6)), min_size=20, max_size=20))
def test_score_difference_bounds_hold_for_every_real_cohort(pairs):
    """Whatever the statuses, each HAVERAGE quartile of day 0 - day k lies within the bounds from day 0 alone."""
    day0 = np.array([start for start, _ in pairs])
    difference = day0 - np.array([end for _, end in pairs])
    for fraction, name in ((0.25, "q1"), (0.5, "median"), (0.75, "q3")):
        low, high = outcome_proofs._haverage_bounds(np.sort(day0 - 6), np.sort(day0 - 1), fraction)
        quartile = stats.quartiles(difference.astype(float), "weibull")[("q1", "median", "q3").index(name)]
        assert low - 1e-9 <= quartile <= high + 1e-9

"""Tests of anakinra_rescue.examination.fidelity: each proof fires on the article and never on real data."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import published
from anakinra_rescue.engine import stats
from anakinra_rescue.examination import fidelity
from anakinra_rescue.reconstruction.trajectories import outcome_statistics, random_trajectories


def _keys(found):
    return {tuple(row[1:4]) for row in found}


RECORD = published.load_published_record()


def test_test_rule_contradictions_are_the_three_rows_printed_with_the_other_test():
    assert _keys(fidelity.test_rule_contradictions(RECORD)) == {
        ("received_hydroxychloroquine", "comparison", "p_value"),
        ("received_azithromycin", "comparison", "p_value"),
        ("received_corticosteroids", "comparison", "p_value"),
    }


def test_matching_forces_identical_tocilizumab_intervals():
    assert _keys(fidelity.matching_forced_equalities(RECORD)) == {
        ("tocilizumab_to_day0_days", "control", "q3"), ("tocilizumab_to_day0_days", "comparison", "p_value")}


def test_quartile_grid_flags_news_7_7_only():
    assert _keys(fidelity.quartile_grid_violations(RECORD)) == {("news_score", "anakinra", "q3")}


def test_all_distributions_are_every_composition_of_20_into_6():
    counts = fidelity._all_distributions(20)
    assert counts.shape == (53130, 6) and (counts.sum(axis=1) == 20).all() and (counts >= 0).all()
    assert len({tuple(row) for row in counts}) == 53130


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=20, max_size=20))
def test_quartiles_from_counts_equal_haverage_on_the_values(values):
    counts = np.bincount(values, minlength=7)[1:][None, :]
    from_counts = fidelity._quartiles_from_counts(counts)
    q1, median, q3 = stats.quartiles(values)
    assert (from_counts["q1"][0], from_counts["median"][0], from_counts["q3"][0]) == (q1, median, q3)


def _record_from(found, day0_counts):
    size = str(int(sum(day0_counts)))
    rows = [("table1", "group_size", group, "n", size) for group in ("anakinra", "control")]
    rows += [("table2", f"ordinal_status_{level}", group, "n", str(day0_counts[level - 1]))
             for level in range(1, 7) for group in ("anakinra", "control")]
    for (variable, group, statistic), value in found.items():
        if statistic in ("n", "median", "q1", "q3"):
            rows.append(("table3", variable, group, statistic, f"{value:.2f}".rstrip("0").rstrip(".")))
    frame = pd.DataFrame(rows, columns=["source", "variable", "group", "statistic", "value"])
    return frame.assign(compared_as=published.compared_texts(frame))


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ordinal_check_never_rejects_numbers_a_real_dataset_printed(seed):
    rng = np.random.default_rng(seed)
    day0 = np.sort(rng.choice([3, 4, 5], size=20, p=[0.1, 0.8, 0.1]))
    found = outcome_statistics(random_trajectories(day0, rng), random_trajectories(day0, rng))
    record = _record_from(found, np.bincount(day0, minlength=7)[1:])
    assert fidelity.ordinal_status_infeasibility(record) == []


def test_ordinal_check_proves_the_article_day21_quartiles_impossible():
    keys = _keys(fidelity.ordinal_status_infeasibility(RECORD))
    assert ("ordinal_status_day21", "anakinra", "q3") in keys  # 6.75 on a scale that ends at 6
    assert ("ordinal_status_day14", "control", "median") not in keys  # 4 (1-6) is consistent with the counts


def test_explain_gives_every_number_a_verdict_from_the_vocabulary():
    comparison = pd.DataFrame({
        "source": ["table1", "table1", "results", "table2", "table3", "table2", "table1"],
        "variable": ["received_azithromycin", "age_years", "klebsiella_pneumonia", "news_score", "ordinal_status_day7",
                     "respiratory_rate_rpm", "symptom_onset_to_day0_days"],
        "group": ["comparison", "anakinra", "overall", "anakinra", "control", "comparison", "comparison"],
        "statistic": ["p_value", "mean", "n", "q3", "median", "p_value", "p_value"],
        "published": ["0.058", "65.3", "2", "7.7", "2", "0.537", "0.771"],
        "regenerated": ["0.058", "65.3", "", "7.8", "5", "0.546", "0.779"],
        "regenerated_value": [0.058, 65.3, np.nan, 7.75, 5, 0.546, 0.779],
        "status": ["match", "match", "not_computed", "mismatch", "mismatch", "mismatch", "mismatch"],
        "test": ["chi2", "", "", "", "", "student_t", "mann_whitney_exact"], "note": [None] * 7,
    })
    explained = fidelity.explain(comparison, RECORD).set_index("variable")
    assert set(explained["verdict"]) <= set(fidelity.VERDICTS)
    assert explained.loc["received_azithromycin", "verdict"] == "reproduced_with_other_test"
    # the reason names the test the rule picks, and the row where the article follows the rule at the same shape
    assert "uses fisher" in explained.loc["received_azithromycin", "reason"]
    assert "ethnicity_hispanic" in explained.loc["received_azithromycin", "reason"]
    assert explained.loc["age_years", "verdict"] == "reproduced"
    assert explained.loc["klebsiella_pneumonia", "verdict"] == "not_computable"
    assert "infections.csv" in explained.loc["klebsiella_pneumonia", "reason"]
    assert explained.loc["news_score", "verdict"] == "proven_impossible"
    assert explained.loc["ordinal_status_day7", "verdict"] in ("proven_impossible", "article_inconsistent")
    assert explained.loc["respiratory_rate_rpm", "verdict"] == "proven_impossible"
    assert explained.loc["symptom_onset_to_day0_days", "verdict"] == "open_question"


def test_default_test_overrides_are_exactly_the_rows_the_print_shows_with_the_other_test():
    """The configuration's per-row departures are evidence-based: each is a row the printed counts show printed by
    another test than the stated rule picks, and that test reproduces it."""
    from anakinra_rescue.engine.config import DEFAULT

    found = {variable: reason for _, variable, _, _, reason in fidelity.test_rule_contradictions(RECORD)}
    assert set(found) == {variable for variable, _ in DEFAULT.test_overrides}
    for variable, test in DEFAULT.test_overrides:
        assert f"is {test}'s P" in found[variable]


def test_whole_unit_respiratory_rate_cannot_print_its_p_value():
    """Breaths per minute are whole numbers: the printed means and SDs allow Student/Welch P only in three bands."""
    found = {row[1]: row[4] for row in fidelity.whole_unit_t_test_proofs(RECORD)}
    assert set(found) == {"respiratory_rate_rpm"}, found  # age and heart rate print P-values whole numbers reach
    assert "0.520-0.527, 0.541-0.548" in found["respiratory_rate_rpm"] and "printed 0.537" in found["respiratory_rate_rpm"]


def test_control_day21_score_difference_q3_of_4_is_out_of_reach_under_either_sign():
    found = {row[:4]: row[4] for row in fidelity.score_difference_proofs(RECORD)}
    assert set(found) == {("table3", "score_difference_day21", "control", "q3")}
    reverse = {row[:4] for row in fidelity.score_difference_proofs(RECORD, "dayk_minus_day0")}
    assert ("table3", "score_difference_day21", "control", "q3") in reverse and len(reverse) == 4
    assert fidelity.signs_fitting(RECORD) == {"day0_minus_dayk": 17, "dayk_minus_day0": 14, "total": 18}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(2, 5), st.integers(1, 6)), min_size=20, max_size=20))
def test_score_difference_bounds_hold_for_every_real_cohort(pairs):
    """Whatever the statuses, each HAVERAGE quartile of day 0 - day k lies within the bounds from day 0 alone."""
    day0 = np.array([start for start, _ in pairs])
    difference = day0 - np.array([end for _, end in pairs])
    for fraction, name in ((0.25, "q1"), (0.5, "median"), (0.75, "q3")):
        low, high = fidelity._haverage_bounds(np.sort(day0 - 6), np.sort(day0 - 1), fraction)
        quartile = stats.quartiles(difference.astype(float), "weibull")[("q1", "median", "q3").index(name)]
        assert low - 1e-9 <= quartile <= high + 1e-9


def test_open_table3_p_values_name_the_count_rows_whose_test_prints_them():
    """0.752 (status on days 7 and 14) is Fisher's and Yates's P for in-hospital mortality, 11/20 vs 9/20."""
    hints = fidelity.copy_hints(RECORD, ("table3", "ordinal_status_day7", "comparison", "p_value"))
    assert hints == ["0.752 is also what chi2_yates and fisher give for in_hospital_mortality (11/20 vs 9/20): "
                     "a copy from that row is possible"]
    assert fidelity.copy_hints(RECORD, ("table3", "mortality_day14", "comparison", "p_value")) == []


def test_exact_u_hints_show_the_onset_p_needs_one_missing_value():
    hints = fidelity.exact_u_hints(RECORD, ("table1", "symptom_onset_to_day0_days", "comparison", "p_value"))
    assert hints == ["SPSS's exact P prints 0.771 at 20 vs 20: no whole U; 19 vs 20: U = 179; 20 vs 19: U = 179"]

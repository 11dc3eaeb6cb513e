"""Tests of anakinra_rescue.engine.stats against independent references.

References: the article's own P-values and intervals that can be recomputed from
its printed counts (Tables 1-3), R documentation examples (the `sleep` data),
Newcombe (1998) for the Wald interval, the definition of R's quantile type 6,
and hand-written formulas that share no code with the module.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anakinra_rescue.engine import stats

N = 20  # group size in every table of the article

# (anakinra events, control events, printed P) rows whose printed P is Pearson chi-squared.
ARTICLE_CHI_SQUARED = {
    "male_sex": (14, 12, "0.507"),
    "cardiovascular_disease": (9, 13, "0.204"),
    "diabetes": (7, 7, "1.000"),
    "immunosuppression": (9, 7, "0.519"),
    "current_or_former_smoker": (6, 10, "0.197"),
    "received_lopinavir_ritonavir": (5, 11, "0.053"),
    "received_azithromycin": (13, 18, "0.058"),
    "received_hydroxychloroquine": (20, 19, "0.311"),
    "pao2_fio2_100_200": (7, 10, "0.337"),
    "pao2_fio2_lt_100": (11, 8, "0.342"),
    "improvement_day7": (5, 9, "0.185"),
    "improvement_day14": (7, 11, "0.204"),
    "improvement_day21": (8, 11, "0.342"),
    "mortality_day14": (7, 9, "0.519"),
    "mortality_day21": (8, 9, "0.749"),
    "discharge_day21": (6, 7, "0.736"),
    "in_hospital_mortality": (11, 9, "0.527"),
}
# Rows whose printed P is Fisher's exact test.
ARTICLE_FISHER = {
    "ethnicity_hispanic": (4, 5, "1.000"),
    "chronic_lung_disease": (2, 3, "1.000"),
    "chronic_kidney_disease": (3, 1, "0.605"),
    "chronic_liver_disease": (1, 0, "1.000"),
    "received_interferon_beta": (1, 4, "0.342"),
    "received_corticosteroids": (17, 13, "0.273"),
    "pao2_fio2_200_300": (2, 1, "1.000"),
}
# Table 3's interval column: Woolf 95% CI of the odds ratio, control versus anakinra.
ARTICLE_INTERVALS = {
    "improvement_day7": (9, 5, "0.642", "9.391"),
    "improvement_day14": (11, 7, "0.636", "8.106"),
    "improvement_day21": (11, 8, "0.522", "6.434"),
    "mortality_day14": (9, 7, "0.425", "5.426"),
    "mortality_day21": (9, 8, "0.350", "4.307"),
    "discharge_day21": (7, 6, "0.334", "4.733"),
    "in_hospital_mortality": (9, 11, "0.193", "2.327"),
}


def _printed(value: float, printed: str) -> str:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return f"{value:.{decimals}f}"


@pytest.mark.parametrize("row", sorted(ARTICLE_CHI_SQUARED))
def test_chi_squared_reproduces_article_p_values(row):
    anakinra, control, printed = ARTICLE_CHI_SQUARED[row]
    result = stats.chi_squared(anakinra, N, control, N)
    assert result.test == "chi2"
    assert _printed(result.p_value, printed) == printed


@pytest.mark.parametrize("row", sorted(ARTICLE_FISHER))
def test_fisher_reproduces_article_p_values(row):
    anakinra, control, printed = ARTICLE_FISHER[row]
    result = stats.fisher_exact(anakinra, N, control, N)
    assert result.test == "fisher"
    assert _printed(result.p_value, printed) == printed


def test_obesity_p_value_uses_the_implied_denominators():
    # 7/18 (38.9%) and 11/19 (57.9%): chi-squared gives the printed 0.248.
    assert _printed(stats.chi_squared(7, 18, 11, 19).p_value, "0.248") == "0.248"


def _yates_by_hand(a, b, c, d):
    n = a + b + c + d
    statistic = n * max(abs(a * d - b * c) - n / 2, 0) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return math.erfc(math.sqrt(statistic / 2))  # chi-squared survival function, 1 df


@pytest.mark.parametrize(("a", "c"), [(3, 1), (5, 9), (17, 13), (2, 8)])
def test_yates_matches_the_textbook_formula(a, c):
    expected = _yates_by_hand(a, N - a, c, N - c)
    assert stats.chi_squared(a, N, c, N, yates=True).p_value == pytest.approx(expected, abs=1e-12)


def test_categorical_rule_switches_on_expected_counts():
    assert stats.categorical_test(14, N, 12, N).test == "chi2"  # smallest expected count 7
    assert stats.categorical_test(3, N, 1, N).test == "fisher"  # smallest expected count 2
    assert stats.categorical_test(17, N, 13, N).test == "chi2"  # exactly 5: not below 5
    assert stats.categorical_test(17, N, 13, N, fisher_expected_below=5.01).test == "fisher"


def test_chi_squared_with_an_empty_margin_is_one():
    assert stats.chi_squared(0, N, 0, N).p_value == 1.0


@pytest.mark.parametrize("row", sorted(ARTICLE_INTERVALS))
def test_woolf_interval_reproduces_table3(row):
    control, anakinra, low, high = ARTICLE_INTERVALS[row]
    estimate = stats.odds_ratio_woolf(control, N, anakinra, N)
    assert (_printed(estimate.ci_low, low), _printed(estimate.ci_high, high)) == (low, high)


def test_odds_ratio_with_an_empty_cell_is_undefined():
    assert math.isnan(stats.odds_ratio_woolf(0, N, 4, N).estimate)


def test_risk_difference_wald_textbook():
    # Newcombe (1998), Stat Med 17:873, example (a): 56/70 - 48/80, simple asymptotic interval.
    estimate = stats.risk_difference_wald(56, 70, 48, 80)
    assert estimate.estimate == pytest.approx(0.2, abs=1e-12)
    assert (round(estimate.ci_low, 4), round(estimate.ci_high, 4)) == (0.0575, 0.3425)


SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_t_tests_match_textbook_example():
    # R: t.test(extra ~ group, data = sleep): Welch p = 0.07939; var.equal = TRUE: p = 0.07919; t = -1.8608.
    student = stats.student_t(SLEEP_GROUP_1, SLEEP_GROUP_2)
    welch = stats.student_t(SLEEP_GROUP_1, SLEEP_GROUP_2, equal_variances=False)
    assert (student.test, round(student.p_value, 5), round(student.statistic, 4)) == ("student_t", 0.07919, -1.8608)
    assert (welch.test, round(welch.p_value, 5)) == ("welch_t", 0.07939)


def test_t_from_summary_agrees_with_raw_data():
    a, b = np.array(SLEEP_GROUP_1), np.array(SLEEP_GROUP_2)
    summary = stats.t_test_from_summary(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size)
    assert summary.p_value == pytest.approx(stats.student_t(a, b).p_value, abs=1e-12)


def _mann_whitney_z_by_hand(a, b):
    values = sorted(a + b)
    ranks = {}
    for value in set(values):
        positions = [index + 1 for index, other in enumerate(values) if other == value]
        ranks[value] = sum(positions) / len(positions)
    n1, n2, n = len(a), len(b), len(a) + len(b)
    u = sum(ranks[value] for value in a) - n1 * (n1 + 1) / 2
    ties = sum(count**3 - count for count in (values.count(value) for value in set(values)))
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    z = (u - n1 * n2 / 2) / sigma
    return math.erfc(abs(z) / math.sqrt(2))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([3, 4, 4, 5, 5, 5, 6, 4, 4, 3], [2, 3, 4, 4, 1, 1, 6, 6, 2, 1]),  # ordinal scores with many ties
        ([0.25, 0.1, 0.7, 0.3, 0.2], [0.5, 0.4, 0.7, 0.6, 0.45, 0.9]),
    ],
)
def test_mann_whitney_matches_hand_computed_z(a, b):
    result = stats.mann_whitney(a, b)
    assert result.test == "mann_whitney_asymptotic"
    assert result.p_value == pytest.approx(_mann_whitney_z_by_hand(a, b), abs=1e-12)


def test_mann_whitney_exact_small_sample():
    # All 20 arrangements of 3 + 3 distinct values; the observed one is the most extreme: P = 2/20.
    result = stats.mann_whitney([1, 2, 3], [4, 5, 6], exact=True)
    assert (result.test, result.p_value) == ("mann_whitney_exact", pytest.approx(0.1, abs=1e-12))


def test_mann_whitney_all_equal_is_one():
    assert stats.mann_whitney([4, 4, 4], [4, 4]).p_value == 1.0


def test_quartiles_match_r_type_6_textbook_values():
    # R: quantile(1:10, c(.25, .5, .75), type = 6) gives 2.75, 5.5, 8.25.
    assert stats.quartiles(range(1, 11)) == (2.75, 5.5, 8.25)
    # R: quantile(c(1, 2, 3, 4, 5), type = 6): 1.5, 3, 4.5.
    assert stats.quartiles([5, 3, 1, 4, 2]) == (1.5, 3.0, 4.5)
    assert stats.quartiles([np.nan, 1, 2, 3, 4, 5]) == (1.5, 3.0, 4.5)


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=40))
def test_quartiles_are_ordered_and_inside_the_data(values):
    q1, median, q3 = stats.quartiles(values)
    assert min(values) <= q1 <= median <= q3 <= max(values)
    # With n = 20 an integer score's HAVERAGE quartile ends in .0, .25, .5 or .75.
    if len(values) == 20:
        assert (q1 * 4) % 1 == 0 and (q3 * 4) % 1 == 0

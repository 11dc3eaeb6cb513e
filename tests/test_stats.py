"""Tests of anakinra_rescue.engine.stats against independent references.

References: values computed by R 4.2 (``tests/reference/reference.R``, committed
as ``r_reference.csv`` with its inputs in ``r_inputs.csv``; ``make reference``
regenerates them), the article's own P-values and intervals that can be
recomputed from its printed counts (Tables 1-3), Newcombe (1998) for the Wald
interval, and hand-written formulas that share no code with the module.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anakinra_rescue.engine import stats

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
R_VALUES = pd.read_csv(REFERENCE_DIR / "r_reference.csv")
R_INPUTS = pd.read_csv(REFERENCE_DIR / "r_inputs.csv", keep_default_na=False).set_index("case")


def r_cases(procedure: str) -> list[str]:
    return list(R_VALUES.loc[R_VALUES["procedure"] == procedure, "case"])


def r_value(case: str, procedure: str) -> pd.Series:
    rows = R_VALUES[(R_VALUES["case"] == case) & (R_VALUES["procedure"] == procedure)]
    assert len(rows) == 1, f"{case} {procedure}: {len(rows)} reference rows"
    return rows.iloc[0]


def r_input(case: str) -> tuple[np.ndarray, np.ndarray]:
    row = R_INPUTS.loc[case]
    return (np.array(row["a"].split(), dtype=float), np.array(row["b"].split(), dtype=float))


def test_reference_files_come_from_r_and_cover_every_procedure():
    assert set(R_VALUES["r_version"]) == {"4.2.2"}
    expected = {
        "t_test_student",
        "t_test_welch",
        "wilcox_asymptotic_no_correction",
        "wilcox_exact",
        "quantile_type_6",
        "chisq_pearson",
        "chisq_yates",
        "fisher_exact",
        "odds_ratio_woolf",
        "risk_ratio_log",
        "mcnemar_exact",
        "clopper_pearson",
        "conditional_odds_ratio_exact",
        "wilcox_signed_rank_asymptotic_no_correction",
    }
    assert expected <= set(R_VALUES["procedure"])
    assert any(case.startswith("fixture_") for case in R_VALUES["case"])
    assert any(case.startswith("article_") for case in R_VALUES["case"])


@pytest.mark.parametrize("case", r_cases("t_test_student"))
def test_t_tests_match_r(case):
    a, b = r_input(case)
    for procedure, equal in (("t_test_student", True), ("t_test_welch", False)):
        result, reference = stats.student_t(a, b, equal_variances=equal), r_value(case, procedure)
        assert result.p_value == pytest.approx(reference["p_value"], rel=1e-9), procedure
        assert result.statistic == pytest.approx(reference["statistic"], rel=1e-9), procedure


@pytest.mark.parametrize("case", r_cases("t_test_student"))
def test_t_from_summary_matches_r(case):
    """From the means, SDs and sizes alone, the t-tests give R's P on the raw data."""
    a, b = r_input(case)
    for procedure, equal in (("t_test_student", True), ("t_test_welch", False)):
        result = stats.t_test_from_summary(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size, equal)
        assert result.p_value == pytest.approx(r_value(case, procedure)["p_value"], rel=1e-9), procedure


@pytest.mark.parametrize("case", r_cases("wilcox_asymptotic_no_correction"))
def test_mann_whitney_asymptotic_matches_r(case):
    """SPSS's asymptotic Mann-Whitney (tie-corrected, no continuity correction) is R's exact = FALSE, correct = FALSE."""
    a, b = r_input(case)
    result, reference = stats.mann_whitney(a, b), r_value(case, "wilcox_asymptotic_no_correction")
    assert result.p_value == pytest.approx(reference["p_value"], rel=1e-9)
    assert result.statistic == pytest.approx(reference["statistic"])  # U of the first group, R's W


@pytest.mark.parametrize("case", r_cases("wilcox_exact"))
def test_mann_whitney_exact_matches_r(case):
    a, b = r_input(case)
    assert stats.mann_whitney(a, b, exact=True).p_value == pytest.approx(r_value(case, "wilcox_exact")["p_value"], rel=1e-9)


@pytest.mark.parametrize("case", r_cases("quantile_type_6"))
def test_quartiles_match_r_type_6(case):
    name, _, side = case.rpartition(":")
    values = r_input(name)[0 if side == "a" else 1]
    reference = r_value(case, "quantile_type_6")
    assert stats.quartiles(values) == pytest.approx((reference["q1"], reference["median"], reference["q3"]), rel=1e-12)


def _counts(case: str) -> tuple[int, int, int, int]:
    (a, n_a), (b, n_b) = (int(value) for value in r_input(case)[0]), (int(value) for value in r_input(case)[1])
    return a, n_a, b, n_b


@pytest.mark.parametrize("case", r_cases("fisher_exact"))
def test_chi_squared_and_fisher_match_r(case):
    counts = _counts(case)
    assert stats.chi_squared(*counts).p_value == pytest.approx(r_value(case, "chisq_pearson")["p_value"], rel=1e-9)
    assert stats.chi_squared(*counts, yates=True).p_value == pytest.approx(r_value(case, "chisq_yates")["p_value"], rel=1e-9)
    assert stats.fisher_exact(*counts).p_value == pytest.approx(r_value(case, "fisher_exact")["p_value"], rel=1e-9)


@pytest.mark.parametrize("case", r_cases("odds_ratio_woolf"))
def test_woolf_interval_matches_r(case):
    estimate, reference = stats.odds_ratio_woolf(*_counts(case)), r_value(case, "odds_ratio_woolf")
    assert (estimate.estimate, estimate.ci_low, estimate.ci_high) == pytest.approx(
        (reference["estimate"], reference["conf_low"], reference["conf_high"]), rel=1e-9
    )


@pytest.mark.parametrize("case", r_cases("risk_ratio_log"))
def test_risk_ratio_matches_r(case):
    estimate, reference = stats.risk_ratio_log(*_counts(case)), r_value(case, "risk_ratio_log")
    assert (estimate.estimate, estimate.ci_low, estimate.ci_high) == pytest.approx(
        (reference["estimate"], reference["conf_low"], reference["conf_high"]), rel=1e-9
    )


@pytest.mark.parametrize("case", r_cases("clopper_pearson"))
def test_clopper_pearson_matches_r(case):
    (discordant_case, discordant_control), _ = r_input(case)
    low, high = stats.clopper_pearson(int(discordant_case), int(discordant_case + discordant_control))
    reference = r_value(case, "clopper_pearson")
    assert (low, high) == pytest.approx((reference["conf_low"], reference["conf_high"]), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("case", r_cases("wilcox_signed_rank_asymptotic_no_correction"))
def test_wilcoxon_signed_rank_matches_r(case):
    """SPSS's asymptotic signed-rank test: zero differences dropped, ties corrected, no continuity correction."""
    x, y = r_input(case)
    result = stats.wilcoxon_signed_rank(x - y)
    reference = r_value(case, "wilcox_signed_rank_asymptotic_no_correction")
    assert result.p_value == pytest.approx(reference["p_value"], rel=1e-9)


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


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=40))
def test_quartiles_are_ordered_and_inside_the_data(values):
    q1, median, q3 = stats.quartiles(values)
    assert min(values) <= q1 <= median <= q3 <= max(values)
    # With n = 20 an integer score's HAVERAGE quartile ends in .0, .25, .5 or .75.
    if len(values) == 20:
        assert (q1 * 4) % 1 == 0 and (q3 * 4) % 1 == 0


_SAMPLE = st.one_of(
    st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=25),
    st.lists(
        st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).map(lambda value: round(value, 1)), min_size=1, max_size=45
    ),
)


@given(_SAMPLE, _SAMPLE)
def test_fast_mann_whitney_is_scipy_bit_for_bit(a, b):
    """The engine computes the asymptotic test itself (scipy's steps, without its validation); it equals
    scipy's public function exactly, not approximately."""
    from scipy import stats as scipy_stats

    if len(set(a + b)) == 1:
        return  # the engine answers P = 1 itself, without scipy
    public = scipy_stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=False)
    result = stats.mann_whitney(a, b)
    assert (result.p_value, result.statistic) == (float(public.pvalue), float(public.statistic))


@given(_SAMPLE, _SAMPLE)
def test_fast_mann_whitney_agrees_with_scipy(a, b):
    """The exact test's own table of U (exact integer counts) gives scipy's exact P, ties read scipy's way,
    up to the last bits of scipy's floating-point sums; above 40 cases both sides are the asymptotic test."""
    from scipy import stats as scipy_stats

    if len(set(a + b)) == 1:
        return
    method = "exact" if len(a) + len(b) <= 40 else "asymptotic"
    public = scipy_stats.mannwhitneyu(a, b, alternative="two-sided", method=method, use_continuity=False)
    result = stats.mann_whitney(a, b, exact=True)
    assert result.test == f"mann_whitney_{method}"
    assert result.statistic == float(public.statistic)
    assert result.p_value == pytest.approx(float(public.pvalue), rel=1e-12, abs=1e-15)


def _permutation_p_by_enumeration(a, b):
    """Every split of the pooled values into groups of the original sizes, counted one by one."""
    import itertools

    from scipy import stats as scipy_stats

    ranks = scipy_stats.rankdata(a + b)
    expected = len(a) * (len(a) + len(b) + 1) / 2
    observed = abs(ranks[: len(a)].sum() - expected)
    splits = list(itertools.combinations(range(len(ranks)), len(a)))
    extreme = sum(abs(ranks[list(split)].sum() - expected) >= observed - 1e-9 for split in splits)
    return extreme / len(splits)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([3, 4, 4, 5, 5, 6], [2, 3, 4, 4, 1, 1, 6]),  # ordinal scores with many ties
        ([0.25, 0.1, 0.7, 0.3, 0.2], [0.5, 0.4, 0.7, 0.6, 0.45, 0.9]),
        ([1, 2, 3], [4, 5, 6]),
        ([2, 2, 2, 3], [2, 3, 3, 3, 3]),
    ],
)
def test_mann_whitney_permutation_matches_enumeration(a, b):
    result = stats.mann_whitney_permutation(a, b)
    assert result.test == "mann_whitney_permutation"
    assert result.p_value == pytest.approx(_permutation_p_by_enumeration(a, b), abs=1e-12)


def test_exact_mann_whitney_reproduces_a_printed_p_value_from_its_u():
    """Table 1 prints P = 0.495 for peak CRP, 20 vs 20: SPSS's exact P at U = 174 (R: 2 * pwilcox(174, 20, 20))."""
    a = np.arange(20.0)
    b = np.concatenate([-1.0 - np.arange(8), [5.5], 100.0 + np.arange(11)])  # below 8 x 20 + 14 of a's values
    assert stats.mann_whitney(a, b).statistic == 174
    result = stats.mann_whitney(a, b, exact=True)
    assert (result.test, round(result.p_value, 3)) == ("mann_whitney_exact", 0.495)


@given(_SAMPLE)
def test_weibull_quartiles_are_numpy_bit_for_bit(values):
    """The engine's own HAVERAGE arithmetic equals numpy.percentile(method="weibull") exactly."""
    expected = tuple(float(value) for value in np.percentile(values, [25, 50, 75], method="weibull"))
    assert stats.quartiles(values) == expected

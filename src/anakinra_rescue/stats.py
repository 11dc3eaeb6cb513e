"""Statistics as SPSS 25 prints them, each result naming its test.

Each function's docstring gives the formula, the SPSS (or R) procedure it
reproduces, and the test in ``tests/test_stats.py`` that pins it to an
independent reference (the article's own reproducible P-values, textbook
examples, or a second implementation).
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

Z_95 = 1.959963984540054  # standard normal quantile for a two-sided 95% interval


@dataclass(frozen=True)
class TestResult:
    """A P-value with the name of the test that produced it and its statistic."""

    test: str
    p_value: float
    statistic: float = math.nan


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a 95% confidence interval and the name of the method."""

    method: str
    estimate: float
    ci_low: float
    ci_high: float


def quartiles_haverage(values) -> tuple[float, float, float]:
    """Q1, median and Q3 as SPSS EXAMINE prints them (weighted average at x_(n+1)p, HAVERAGE).

    Formula: position (n + 1) p, linear interpolation between neighbouring order
    statistics, clamped to the sample; this is R's ``quantile(type = 6)`` and
    ``numpy.percentile(method="weibull")``. Missing values are dropped.
    Pinned by ``test_quartiles_match_r_type_6_textbook_values``.
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size == 0:
        return (math.nan, math.nan, math.nan)
    q1, median, q3 = np.percentile(data, [25, 50, 75], method="weibull")
    return float(q1), float(median), float(q3)


def _two_by_two(events_a: int, total_a: int, events_b: int, total_b: int) -> np.ndarray:
    table = np.array([[events_a, total_a - events_a], [events_b, total_b - events_b]], dtype=float)
    if (table < 0).any():
        raise ValueError(f"events exceed totals: {events_a}/{total_a}, {events_b}/{total_b}")
    return table


def expected_counts(events_a: int, total_a: int, events_b: int, total_b: int) -> np.ndarray:
    """Expected cell counts of the 2x2 table under independence: row total x column total / N."""
    table = _two_by_two(events_a, total_a, events_b, total_b)
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()


def chi_squared(events_a: int, total_a: int, events_b: int, total_b: int, yates: bool = False) -> TestResult:
    """Pearson chi-squared test of a 2x2 table, without (default) or with Yates' continuity correction.

    Formula: X2 = sum (|O - E| - c)^2 / E with c = 0, or c = 0.5 for Yates; 1 df.
    Reproduces SPSS CROSSTABS /STATISTICS=CHISQ "Pearson Chi-Square" and
    "Continuity Correction" (R: ``chisq.test(correct = FALSE / TRUE)``). A table
    with an empty margin has no test: P is reported as 1.
    Pinned by ``test_chi_squared_reproduces_article_p_values`` and ``test_yates_textbook``.
    """
    table = _two_by_two(events_a, total_a, events_b, total_b)
    name = "chi2_yates" if yates else "chi2"
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return TestResult(name, 1.0, 0.0)
    statistic, p_value, _, _ = scipy_stats.chi2_contingency(table, correction=yates)
    return TestResult(name, float(p_value), float(statistic))


def fisher_exact(events_a: int, total_a: int, events_b: int, total_b: int) -> TestResult:
    """Fisher's exact test of a 2x2 table, two-sided.

    Formula: sum of hypergeometric probabilities of all tables with the same
    margins that are no more probable than the observed one. Reproduces SPSS
    CROSSTABS "Fisher's Exact Test, Exact Sig. (2-sided)" (R: ``fisher.test``).
    Pinned by ``test_fisher_reproduces_article_p_values``.
    """
    table = _two_by_two(events_a, total_a, events_b, total_b)
    odds_ratio, p_value = scipy_stats.fisher_exact(table, alternative="two-sided")
    return TestResult("fisher", float(p_value), float(odds_ratio))


def categorical_test(events_a: int, total_a: int, events_b: int, total_b: int, fisher_expected_below: float = 5.0) -> TestResult:
    """The article's rule for categorical rows: Fisher when any expected count is below the threshold, else chi-squared.

    Reproduces the stated methods ("chi-squared or Fisher's exact test, when
    applicable"), read as SPSS's footnote rule on expected counts < 5.
    Pinned by ``test_categorical_rule_switches_on_expected_counts``.
    """
    if expected_counts(events_a, total_a, events_b, total_b).min() < fisher_expected_below:
        return fisher_exact(events_a, total_a, events_b, total_b)
    return chi_squared(events_a, total_a, events_b, total_b)


def student_t(values_a, values_b, equal_variances: bool = True) -> TestResult:
    """Two-sample t-test: Student's with pooled variance (default) or Welch's.

    Formula: t = (m_a - m_b) / (s_p sqrt(1/n_a + 1/n_b)) on n_a + n_b - 2 df, or
    Welch's t with Satterthwaite df. Reproduces SPSS T-TEST "Equal variances
    assumed" / "not assumed" (R: ``t.test(var.equal = TRUE / FALSE)``).
    Pinned by ``test_t_tests_match_textbook_example``.
    """
    a = _clean(values_a)
    b = _clean(values_b)
    name = "student_t" if equal_variances else "welch_t"
    if a.size < 2 or b.size < 2:
        return TestResult(name, math.nan)
    return t_test_from_summary(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size, equal_variances)


def t_test_from_summary(mean_a, sd_a, n_a, mean_b, sd_b, n_b, equal_variances: bool = True) -> TestResult:
    """The same t-tests from printed means, SDs and group sizes (for checking published rows).

    Pinned by ``test_t_from_summary_agrees_with_raw_data``.
    """
    name = "student_t" if equal_variances else "welch_t"
    var_a, var_b = sd_a**2, sd_b**2
    if equal_variances:
        pooled = ((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2)
        standard_error = math.sqrt(pooled * (1 / n_a + 1 / n_b))
        degrees = n_a + n_b - 2
    else:
        standard_error = math.sqrt(var_a / n_a + var_b / n_b)
        denominator = (var_a / n_a) ** 2 / (n_a - 1) + (var_b / n_b) ** 2 / (n_b - 1)
        degrees = (var_a / n_a + var_b / n_b) ** 2 / denominator if denominator > 0 else math.nan
    if standard_error == 0:  # both groups constant: SPSS prints no t
        return TestResult(name, math.nan)
    statistic = (mean_a - mean_b) / standard_error
    return TestResult(name, float(2 * scipy_stats.t.sf(abs(statistic), degrees)), float(statistic))


def mann_whitney(values_a, values_b, exact: bool = False) -> TestResult:
    """Mann-Whitney U test, two-sided.

    Asymptotic (default): z = (U - n_a n_b / 2) / sigma_U with the tie-corrected
    sigma_U and no continuity correction, which is SPSS NPAR TESTS /M-W
    "Asymp. Sig. (2-tailed)" (R: ``wilcox.test(exact = FALSE, correct = FALSE)``).
    Exact: the permutation distribution of U without tie correction, SPSS's
    "Exact Sig. [2*(1-tailed Sig.)]" for small samples without ties.
    Pinned by ``test_mann_whitney_matches_hand_computed_z`` and ``test_mann_whitney_exact_small_sample``.
    """
    a = _clean(values_a)
    b = _clean(values_b)
    name = "mann_whitney_exact" if exact else "mann_whitney_asymptotic"
    if a.size == 0 or b.size == 0:
        return TestResult(name, math.nan)
    if np.unique(np.concatenate([a, b])).size == 1:
        return TestResult(name, 1.0, float(a.size * b.size / 2))
    result = scipy_stats.mannwhitneyu(
        a, b, alternative="two-sided", method="exact" if exact else "asymptotic", use_continuity=False
    )
    return TestResult(name, float(result.pvalue), float(result.statistic))


def odds_ratio_woolf(events_a: int, total_a: int, events_b: int, total_b: int) -> Estimate:
    """Odds ratio of group a versus group b with Woolf's (logit) 95% CI.

    Formula: OR = (a d) / (b c); CI = exp(ln OR -/+ 1.96 sqrt(1/a + 1/b + 1/c + 1/d)).
    Reproduces SPSS CROSSTABS /STATISTICS=RISK "Odds Ratio" 95% CI. With an
    empty cell the estimate is undefined and NaN is returned.
    Pinned by ``test_woolf_interval_reproduces_table3`` (the article's own intervals).
    """
    table = _two_by_two(events_a, total_a, events_b, total_b)
    (a, b), (c, d) = table
    if (table == 0).any():
        return Estimate("odds_ratio_woolf", math.nan, math.nan, math.nan)
    log_or = math.log(a * d / (b * c))
    half_width = Z_95 * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return Estimate("odds_ratio_woolf", math.exp(log_or), math.exp(log_or - half_width), math.exp(log_or + half_width))


def risk_difference_wald(events_a: int, total_a: int, events_b: int, total_b: int) -> Estimate:
    """Risk difference p_a - p_b with the Wald 95% CI.

    Formula: RD -/+ 1.96 sqrt(p_a (1 - p_a) / n_a + p_b (1 - p_b) / n_b). R:
    ``prop.test``'s interval without continuity correction.
    Pinned by ``test_risk_difference_wald_textbook``.
    """
    p_a = events_a / total_a
    p_b = events_b / total_b
    difference = p_a - p_b
    half_width = Z_95 * math.sqrt(p_a * (1 - p_a) / total_a + p_b * (1 - p_b) / total_b)
    return Estimate("risk_difference_wald", difference, difference - half_width, difference + half_width)


def _clean(values) -> np.ndarray:
    data = np.asarray(values, dtype=float)
    return data[~np.isnan(data)]

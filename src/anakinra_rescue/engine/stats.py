"""Statistics as SPSS 25 prints them, each result naming its test.

The arithmetic is scipy's wherever scipy has the procedure; what remains here
is the SPSS-specific glue: which test, which quantile definition, what a
degenerate table prints. Each function's docstring names the SPSS (or R)
procedure it mirrors and the test in ``tests/test_stats.py`` that pins it to an
independent reference: values computed by R 4.2 and committed under
``tests/reference/``, or the article's own reproducible P-values.
"""

import functools
import math
from dataclasses import dataclass

import numpy as np

# scipy.stats loads on first use (scipy's lazy submodules): a book page reading the cached analysis skips its 1 s import
import scipy
from scipy import special

from anakinra_rescue.data.vocabulary import StatisticalTest

Z_95 = float(special.ndtri(0.975))  # standard normal quantile for a two-sided 95% interval (= scipy.stats.norm.ppf)


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


def quartiles(values, method: str = "weibull") -> tuple[float, float, float]:
    """Q1, median and Q3; the default is SPSS EXAMINE's weighted average at x_(n+1)p (HAVERAGE).

    ``method`` is a ``numpy.percentile`` method (``StudyConfig.quantile_method``);
    "weibull" is position (n + 1) p with linear interpolation, clamped to the
    sample, which is R's ``quantile(type = 6)``. Missing values are dropped.
    Pinned by ``test_quartiles_match_r_type_6`` (R reference file).
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size == 0:
        return (math.nan, math.nan, math.nan)
    if method == "weibull":
        return _weibull_quartiles(np.sort(data))
    q1, median, q3 = np.percentile(np.asarray(data, dtype=float), [25, 50, 75], method=method)  # type: ignore[call-overload]
    return float(q1), float(median), float(q3)


def _weibull_quartiles(ordered: np.ndarray) -> tuple[float, float, float]:
    """``np.percentile(method="weibull")`` at 25, 50, 75 on sorted data, with numpy's own arithmetic step for step.

    numpy's general quantile machinery costs more than the arithmetic on 20 values, and the reconstruction's
    search calls this half a million times; so do numpy operations on three-element arrays, so the arithmetic is
    done on Python floats, which are the same IEEE doubles in the same order of operations. The result is
    bit-identical to numpy's (pinned by ``test_weibull_quartiles_are_numpy_bit_for_bit``).
    """
    n = ordered.size
    result = []
    for fraction in (0.25, 0.5, 0.75):
        position = min(max(n * fraction + fraction - 1, 0.0), n - 1.0)  # (n + 1) p - 1, 0-based, clipped
        below = math.floor(position)
        low, high = float(ordered[below]), float(ordered[min(below + 1, n - 1)])
        weight = position - below
        difference = high - low
        # numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) from t = 0.5 on, for monotonicity.
        result.append(high - difference * (1 - weight) if weight >= 0.5 else low + difference * weight)
    return result[0], result[1], result[2]


def _two_by_two(events_a: int, total_a: int, events_b: int, total_b: int) -> np.ndarray:
    table = np.array([[events_a, total_a - events_a], [events_b, total_b - events_b]], dtype=float)
    if (table < 0).any():
        raise ValueError(f"events exceed totals: {events_a}/{total_a}, {events_b}/{total_b}")
    return table


def expected_counts(events_a: int, total_a: int, events_b: int, total_b: int) -> np.ndarray:
    """Expected cell counts of the 2x2 table under independence: row total x column total / N (NaN for an empty
    table: a row known for nobody, as when no pair was formed)."""
    table = _two_by_two(events_a, total_a, events_b, total_b)
    if table.sum() == 0:
        return np.full((2, 2), np.nan)
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()


@functools.lru_cache(maxsize=65536)  # pure in its integer counts; the reconstruction's search repeats tables
def chi_squared(events_a: int, total_a: int, events_b: int, total_b: int, yates: bool = False) -> TestResult:
    """Pearson chi-squared test of a 2x2 table, without (default) or with Yates' continuity correction.

    Formula: ``X2 = sum (|O - E| - c)^2 / E`` with c = 0, or c = 0.5 for Yates; 1 df.
    Reproduces SPSS CROSSTABS /STATISTICS=CHISQ "Pearson Chi-Square" and
    "Continuity Correction" (R: ``chisq.test(correct = FALSE / TRUE)``). A table
    with an empty margin has no test: P is reported as 1.
    Pinned by ``test_chi_squared_and_fisher_match_r``, ``test_chi_squared_reproduces_article_p_values``
    and ``test_yates_matches_the_textbook_formula``.
    """
    table = _two_by_two(events_a, total_a, events_b, total_b)
    name = StatisticalTest.CHI2_YATES if yates else StatisticalTest.CHI2
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return TestResult(name, 1.0, 0.0)
    statistic, p_value, _, _ = scipy.stats.chi2_contingency(table, correction=yates)
    return TestResult(name, float(p_value), float(statistic))


@functools.lru_cache(maxsize=65536)
def fisher_exact(events_a: int, total_a: int, events_b: int, total_b: int) -> TestResult:
    """Fisher's exact test of a 2x2 table, two-sided.

    Formula: sum of hypergeometric probabilities of all tables with the same
    margins that are no more probable than the observed one. Reproduces SPSS
    CROSSTABS "Fisher's Exact Test, Exact Sig. (2-sided)" (R: ``fisher.test``).
    Pinned by ``test_chi_squared_and_fisher_match_r`` and ``test_fisher_reproduces_article_p_values``.
    """
    table = _two_by_two(events_a, total_a, events_b, total_b)
    odds_ratio, p_value = scipy.stats.fisher_exact(table, alternative="two-sided")
    return TestResult(StatisticalTest.FISHER, float(p_value), float(odds_ratio))


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
    """Two-sample t-test: Student's with pooled variance (default) or Welch's, by ``scipy.stats.ttest_ind_from_stats``.

    Mirrors SPSS T-TEST "Equal variances assumed" / "not assumed" (R:
    ``t.test(var.equal = TRUE / FALSE)``). Fewer than two values in a group, or
    two constant groups, give no t (P is NaN), as SPSS prints none.
    Pinned by ``test_t_tests_match_r`` (R reference file).
    """
    a = _clean(values_a)
    b = _clean(values_b)
    if a.size < 2 or b.size < 2:
        return TestResult(_t_name(equal_variances), math.nan)
    return t_test_from_summary(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size, equal_variances)


def t_test_from_summary(mean_a, sd_a, n_a, mean_b, sd_b, n_b, equal_variances: bool = True) -> TestResult:
    """The same t-tests from printed means, SDs and group sizes, by ``scipy.stats.ttest_ind_from_stats``.

    Used to check published rows, where only the summaries exist.
    Pinned by ``test_t_from_summary_matches_r`` (R's ``t.test`` on data with those summaries).
    """
    if sd_a == 0 and sd_b == 0:  # both groups constant: SPSS prints no t
        return TestResult(_t_name(equal_variances), math.nan)
    result = scipy.stats.ttest_ind_from_stats(mean_a, sd_a, n_a, mean_b, sd_b, n_b, equal_var=equal_variances)
    return TestResult(_t_name(equal_variances), float(result.pvalue), float(result.statistic))


def _t_name(equal_variances: bool) -> str:
    return StatisticalTest.STUDENT_T if equal_variances else StatisticalTest.WELCH_T


# SPSS NPAR TESTS /M-W prints an exact significance when there are 40 or fewer cases (IBM, "M-W Subcommand
# (NPAR TESTS command)": "An exact significance level is computed if there are 40 or fewer cases").
SPSS_EXACT_MAX_CASES = 40


def mann_whitney(values_a, values_b, exact: bool = False) -> TestResult:
    """Mann-Whitney U test, two-sided.

    Asymptotic (default): z = (U - n_a n_b / 2) / sigma_U with the tie-corrected
    sigma_U and no continuity correction, which is SPSS NPAR TESTS /M-W
    "Asymp. Sig. (2-tailed)" (R: ``wilcox.test(exact = FALSE, correct = FALSE)``).
    Exact: SPSS's "Exact Sig. [2*(1-tailed Sig.)]", twice the tail of U's
    permutation distribution *without* ties, read at the observed U (R:
    ``wilcox.test(exact = TRUE)`` on untied data). With ties U can end in .5; the
    tail is then read at the integer part of the larger U, as scipy does (SPSS
    does not document its rule). As SPSS prints it only for 40 or fewer cases,
    a larger sample falls back to the asymptotic test, and the result's name says so.
    Pinned by ``test_mann_whitney_asymptotic_matches_r``, ``test_mann_whitney_exact_matches_r``,
    ``test_mann_whitney_matches_hand_computed_z`` and ``test_fast_mann_whitney_agrees_with_scipy``.
    """
    a = _clean(values_a)
    b = _clean(values_b)
    exact = exact and 0 < a.size + b.size <= SPSS_EXACT_MAX_CASES
    name = StatisticalTest.MANN_WHITNEY_EXACT if exact else StatisticalTest.MANN_WHITNEY_ASYMPTOTIC
    if a.size == 0 or b.size == 0:
        return TestResult(name, math.nan)
    distinct, first_of_value, tie_counts = np.unique(np.concatenate([a, b]), return_inverse=True, return_counts=True)
    if distinct.size == 1:
        return TestResult(name, 1.0, float(a.size * b.size / 2))
    if not exact:
        return _mann_whitney_asymptotic(a.size, b.size, first_of_value, tie_counts)
    u1 = _u_statistic(a.size, first_of_value, tie_counts)
    return TestResult(name, exact_mann_whitney_p(u1, a.size, b.size), u1)


def exact_mann_whitney_p(u: float, n1: int, n2: int) -> float:
    """SPSS's exact two-sided P for a U statistic of samples of n1 and n2 without ties (see :func:`mann_whitney`).

    Used to ask which U a printed P allows. Pinned by ``test_exact_mann_whitney_reproduces_a_printed_p_value_from_its_u``.
    """
    larger = int(max(u, n1 * n2 - u))
    return min(1.0, 2 * float(_exact_u_survival(n1, n2)[larger]))


@functools.lru_cache(maxsize=512)
def _exact_u_survival(n1: int, n2: int) -> np.ndarray:
    """P(U >= k) for k = 0 .. n1 n2 when the two samples are a random split of n1 + n2 distinct values.

    Counts of each U by the recurrence N(i, j; k) = N(i - 1, j; k - j) + N(i, j - 1; k) (Mann and Whitney 1947),
    in exact integers, divided once; read-only.
    """
    counts: list[list[list[int]]] = [[[] for _ in range(n2 + 1)] for _ in range(n1 + 1)]
    for i in range(n1 + 1):
        for j in range(n2 + 1):
            row = [0] * (i * j + 1)
            if i == 0 or j == 0:
                row[0] = 1
            else:
                for k, count in enumerate(counts[i - 1][j]):
                    row[k + j] += count
                for k, count in enumerate(counts[i][j - 1]):
                    row[k] += count
            counts[i][j] = row
    final = counts[n1][n2]
    total = sum(final)
    tails = np.array([sum(final[k:]) / total for k in range(len(final))])  # exact integer sums, one division each
    tails.flags.writeable = False
    return tails


def _u_statistic(n1: int, value_index: np.ndarray, tie_counts: np.ndarray) -> float:
    """U of the first sample from average ranks, as scipy computes it."""
    first_rank = np.cumsum(tie_counts) - tie_counts
    average_rank = first_rank + (tie_counts + 1) / 2
    return float(average_rank[value_index[:n1]].sum() - n1 * (n1 + 1) / 2)


def mann_whitney_permutation(values_a, values_b) -> TestResult:
    """Exact permutation Mann-Whitney test *with* ties, two-sided: the conditional distribution of the rank sum
    given the tied (average) ranks, ``P(|W - E W| >= |w - E W|)``.

    SPSS Exact Tests module's "Exact Sig. (2-tailed)" of NPAR TESTS /M-W with /METHOD=EXACT (R:
    ``coin::wilcox_test(distribution = "exact")``). Computed by counting, for every subset size up to
    n_a, the subsets of doubled ranks with each sum (a knapsack recurrence; doubled ranks are integers).
    Pinned by ``test_mann_whitney_permutation_matches_enumeration`` (every split of small samples).
    """
    a = _clean(values_a)
    b = _clean(values_b)
    name = StatisticalTest.MANN_WHITNEY_PERMUTATION
    if a.size == 0 or b.size == 0:
        return TestResult(name, math.nan)
    pooled = np.concatenate([a, b])
    doubled = np.rint(2 * scipy.stats.rankdata(pooled)).astype(int)  # average ranks are multiples of 1/2
    n1, total = a.size, int(doubled.sum())
    ways = np.zeros((n1 + 1, total + 1))
    ways[0, 0] = 1.0
    for rank in doubled:
        ways[1:, rank:] = ways[1:, rank:] + ways[:-1, : total + 1 - rank]
    expected = n1 * (pooled.size + 1)  # E(2 W)
    observed = int(doubled[:n1].sum())
    sums = np.arange(total + 1)
    extreme = np.abs(sums - expected) >= abs(observed - expected)
    p_value = float(ways[n1][extreme].sum() / ways[n1].sum())
    return TestResult(name, min(1.0, p_value), observed / 2 - n1 * (n1 + 1) / 2)


def _mann_whitney_asymptotic(n1: int, n2: int, value_index: np.ndarray, tie_counts: np.ndarray) -> TestResult:
    """scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=False), two-sided, in scipy's arithmetic.

    The same operations in the same order as scipy 1.17's ``_mannwhitneyu`` (average ranks, U1, the larger U,
    the tie-corrected sigma, ``ndtr(-z)`` doubled and clipped), without its input validation and broadcasting,
    which cost ten times the test on 40 values. Bit-identical to scipy (pinned by
    ``test_fast_mann_whitney_is_scipy_bit_for_bit``).
    """
    first_rank = np.cumsum(tie_counts) - tie_counts  # ranks before each distinct value
    average_rank = first_rank + (tie_counts + 1) / 2
    rank_sum_1 = average_rank[value_index[:n1]].sum()
    u1 = rank_sum_1 - n1 * (n1 + 1) / 2
    u2 = n1 * n2 - u1
    u = max(u1, u2)
    n = n1 + n2
    ties = tie_counts.astype(float)
    tie_term = np.sum(ties**3 - ties)
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    z = (u - n1 * n2 / 2) / sigma
    p_value = float(np.clip(special.ndtr(-z) * 2, 0.0, 1.0))
    return TestResult(StatisticalTest.MANN_WHITNEY_ASYMPTOTIC, p_value, float(u1))


def wilcoxon_signed_rank(differences) -> TestResult:
    """Wilcoxon signed-rank test of within-pair differences, two-sided, by ``scipy.stats.wilcoxon``.

    Zero differences are dropped, tied absolute differences share ranks and the
    variance is tie-corrected, with no continuity correction: SPSS NPAR TESTS
    /WILCOXON "Asymp. Sig. (2-tailed)" (R: ``wilcox.test(paired = TRUE, exact =
    FALSE, correct = FALSE)``). No non-zero difference gives P = 1.
    Pinned by ``test_wilcoxon_signed_rank_matches_r``.
    """
    data = _clean(differences)
    if not (data != 0).any():
        return TestResult("wilcoxon_signed_rank", 1.0)
    result = scipy.stats.wilcoxon(data, zero_method="wilcox", correction=False, method="approx")
    return TestResult("wilcoxon_signed_rank", float(result.pvalue), float(result.statistic))


def odds_ratio_woolf(events_a: int, total_a: int, events_b: int, total_b: int) -> Estimate:
    """Odds ratio of group a versus group b with Woolf's (logit) 95% CI, by ``scipy.stats.contingency.odds_ratio``.

    ``kind="sample"`` is the cross-product ratio (a d) / (b c), and its interval
    is exp(ln OR -/+ 1.96 sqrt(1/a + 1/b + 1/c + 1/d)): SPSS CROSSTABS
    /STATISTICS=RISK "Odds Ratio" 95% CI. With an empty cell SPSS prints no
    interval and NaN is returned.
    Pinned by ``test_woolf_interval_matches_r`` and ``test_woolf_interval_reproduces_table3``.
    """
    table = _two_by_two(events_a, total_a, events_b, total_b)
    if (table == 0).any():
        return Estimate(StatisticalTest.ODDS_RATIO_WOOLF, math.nan, math.nan, math.nan)
    result = scipy.stats.contingency.odds_ratio(table.astype(int), kind="sample")
    interval = result.confidence_interval(confidence_level=0.95)
    return Estimate(StatisticalTest.ODDS_RATIO_WOOLF, float(result.statistic), float(interval.low), float(interval.high))


def risk_ratio_log(events_a: int, total_a: int, events_b: int, total_b: int) -> Estimate:
    """Risk ratio p_a / p_b with the 95% CI on the log scale, by ``scipy.stats.contingency.relative_risk``.

    Mirrors SPSS CROSSTABS /STATISTICS=RISK "For cohort" rows. With no events
    in either group the ratio is undefined and NaN is returned.
    Pinned by ``test_risk_ratio_matches_r``.
    """
    if events_a == 0 or events_b == 0:
        return Estimate("risk_ratio_log", math.nan, math.nan, math.nan)
    result = scipy.stats.contingency.relative_risk(events_a, total_a, events_b, total_b)
    interval = result.confidence_interval(confidence_level=0.95)
    return Estimate("risk_ratio_log", float(result.relative_risk), float(interval.low), float(interval.high))


def clopper_pearson(events: int, total: int) -> tuple[float, float]:
    """Exact (Clopper-Pearson) 95% interval of a proportion, by ``scipy.stats.binomtest(...).proportion_ci("exact")``.

    R: ``binom.test(events, total)$conf.int``. Pinned by ``test_clopper_pearson_matches_r``.
    """
    interval = scipy.stats.binomtest(events, total).proportion_ci(confidence_level=0.95, method="exact")
    return float(interval.low), float(interval.high)


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

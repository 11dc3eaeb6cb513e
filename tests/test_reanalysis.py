"""Tests of anakinra_rescue.examination.reanalysis: exact McNemar, conditional odds ratio, paired table."""

import math

import pytest
from scipy import stats as scipy_stats

from anakinra_rescue.book import views
from anakinra_rescue.examination import reanalysis


def test_mcnemar_exact_textbook():
    # 7 discordant pairs one way, 1 the other: P = 2 * (1 + 8) / 2**8 = 0.0703125.
    assert reanalysis.mcnemar_exact(7, 1) == pytest.approx(0.0703125, abs=1e-12)
    assert reanalysis.mcnemar_exact(0, 0) == 1.0


def test_conditional_odds_ratio_interval_is_clopper_pearson_transformed():
    estimate, low, high = reanalysis.conditional_odds_ratio(7, 3)
    interval = scipy_stats.binomtest(7, 10).proportion_ci(confidence_level=0.95, method="exact")
    assert estimate == pytest.approx(7 / 3)
    assert low == pytest.approx(interval.low / (1 - interval.low), rel=1e-9)
    assert high == pytest.approx(interval.high / (1 - interval.high), rel=1e-9)
    assert math.isinf(reanalysis.conditional_odds_ratio(4, 0)[2])


def test_paired_reanalysis_on_the_committed_cohort():
    analysis = views.book_analysis(str(views.DEFAULT_DATA_DIR))
    table = reanalysis.paired_reanalysis(analysis.frame)
    assert len(table) == 7 + 6
    assert table["paired P"].between(0, 1).all() and table["unpaired P"].between(0, 1).all()
    assert (table["pairs"] == 20).all()
    improvement = table.set_index("outcome").loc["improvement_day7"]
    assert improvement["unpaired test"] == "chi2" and round(improvement["unpaired P"], 3) == 0.185

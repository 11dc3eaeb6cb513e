"""Tests of anakinra_rescue.examination.reanalysis: exact McNemar, conditional odds ratio, paired table."""

import math
from pathlib import Path

import pandas as pd
import pytest

from anakinra_rescue.examination import reanalysis

R_VALUES = pd.read_csv(Path(__file__).resolve().parent / "reference" / "r_reference.csv")
PAIRED_CASES = sorted(set(R_VALUES.loc[R_VALUES["procedure"] == "mcnemar_exact", "case"]))


def _reference(case: str, procedure: str) -> pd.Series:
    return R_VALUES[(R_VALUES["case"] == case) & (R_VALUES["procedure"] == procedure)].iloc[0]


def _discordant(case: str) -> tuple[int, int]:
    first, second = case.removeprefix("pairs_").split("_vs_")
    return int(first), int(second)


@pytest.mark.parametrize("case", PAIRED_CASES)
def test_exact_mcnemar_matches_r(case):
    """R: binom.test(b, b + c, 0.5), the exact McNemar test, for 3 v 9, 6 v 2, 0 v 4 and 7 v 7 discordant pairs."""
    assert reanalysis.mcnemar_exact(*_discordant(case)) == pytest.approx(_reference(case, "mcnemar_exact")["p_value"], rel=1e-9)


def test_exact_mcnemar_without_discordant_pairs_is_one():
    assert reanalysis.mcnemar_exact(0, 0) == 1.0


@pytest.mark.parametrize("case", PAIRED_CASES)
def test_conditional_odds_ratio_matches_r(case):
    estimate, low, high = reanalysis.conditional_odds_ratio(*_discordant(case))
    reference = _reference(case, "conditional_odds_ratio_exact")
    assert (estimate, low) == pytest.approx((float(reference["estimate"]), reference["conf_low"]), rel=1e-9, abs=1e-15)
    reference_high = float(reference["conf_high"])
    if math.isinf(reference_high):  # no discordant pair against: R's upper bound is infinite, and so must ours be
        assert math.isinf(high) and high > 0
    else:
        assert high == pytest.approx(reference_high, rel=1e-9)


def test_paired_reanalysis_on_the_committed_cohort(analysis):
    table = reanalysis.paired_reanalysis(analysis)
    assert len(table) == 7 + 6
    assert table["paired P"].between(0, 1).all() and table["unpaired P"].between(0, 1).all()
    assert (table["pairs"] == 20).all()
    improvement = table.set_index("outcome").loc["improvement_day7"]
    assert improvement["unpaired test"] == "chi2" and round(improvement["unpaired P"], 3) == 0.185

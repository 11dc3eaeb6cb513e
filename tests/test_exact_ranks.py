"""Tests of anakinra_rescue.engine.exact_ranks: the exact rank-sum test with ties, against R's coin and exactRankTests
(committed in tests/reference/r_exact_rank.csv by tests/reference/exact_rank_tests.R) and the untied exact test."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.engine import stats
from anakinra_rescue.engine.exact_ranks import exact_rank_sum_test, rank_sum_distribution

REFERENCE = pd.read_csv(Path(__file__).parent / "reference" / "r_exact_rank.csv")


@pytest.mark.parametrize("row", list(REFERENCE.itertuples(index=False)), ids=lambda row: f"{row.case}-{row.package}")
def test_exact_rank_sum_matches_coin_and_exactranktests(row):
    a, b = [float(value) for value in row.a.split()], [float(value) for value in row.b.split()]
    assert exact_rank_sum_test(a, b).p_value == pytest.approx(row.p_value, rel=1e-12, abs=1e-15)


def test_the_reference_holds_ties_small_unequal_and_the_articles_sizes():
    cases = set(REFERENCE["case"])
    assert {"ties_3_8", "ordinal_20_20", "lab_16_15"} <= cases and len(cases) >= 7
    assert set(REFERENCE["package"]) == {"coin", "exactRankTests"}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=9, unique=True).flatmap(
        lambda pooled: st.integers(1, len(pooled)).map(lambda cut: (pooled[:cut], pooled[cut:]))
    )
)
def test_without_ties_it_is_the_untied_exact_test(split):
    a, b = split
    if not b:
        return
    assert exact_rank_sum_test(a, b).p_value == pytest.approx(stats.mann_whitney(a, b, exact=True).p_value, rel=1e-12)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=6), st.data())
def test_the_distribution_counts_every_split_once(tie_sizes, data):
    n1 = data.draw(st.integers(0, sum(tie_sizes)))
    from math import comb

    assert sum(rank_sum_distribution(tie_sizes, n1).values()) == comb(sum(tie_sizes), n1)

"""Tests of anakinra_rescue.engine.printed: what a printed number allows, against brute force and scipy."""

import itertools

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import published
from anakinra_rescue.engine import printed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(10, 45), min_size=20, max_size=20))
def test_moments_contain_every_real_dataset(values):
    """The enumeration never leaves out what real whole-number data print (so its proofs never reject real data)."""
    data = np.array(values)
    if data.std() == 0:
        return
    mean_text = str(published.round_as_printed(data.mean(), 1))
    sd_text = str(published.round_as_printed(data.std(ddof=1), 1))
    assert (int(data.sum()), int((data**2).sum())) in printed.moments(mean_text, sd_text, len(data), 1)


def test_moments_are_exactly_the_pairs_of_every_small_dataset():
    """Brute force: every multiset of 5 values from 0..6, grouped by the mean and SD it prints."""
    expected: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for data in itertools.combinations_with_replacement(range(7), 5):
        values = np.array(data, dtype=float)
        if values.std() == 0:
            continue
        key = (str(published.round_as_printed(values.mean(), 1)), str(published.round_as_printed(values.std(ddof=1), 1)))
        expected.setdefault(key, set()).add((int(values.sum()), int((values**2).sum())))
    for (mean_text, sd_text), pairs in list(expected.items())[::7]:
        found = set(printed.moments(mean_text, sd_text, 5, 1))
        assert pairs <= found, (mean_text, sd_text)
        for total, squares in found:  # and nothing that does not print them
            variance = (squares - total * total / 5) / 4
            assert str(published.round_as_printed(total / 5, 1)) == mean_text
            assert str(published.round_as_printed(np.sqrt(variance), 1)) == sd_text


@pytest.mark.parametrize("equal", [True, False])
def test_t_p_values_are_scipys_from_the_same_moments(equal):
    first = np.array(printed.moments("36.7", "0.7", 20, 0.1))
    second = np.array(printed.moments("36.9", "0.8", 20, 0.1))
    p_values = printed.t_p_values(first, second, (20, 20), 0.1, equal)
    assert p_values.shape == (len(first), len(second)) and len(first) > 3 and len(second) > 3
    for i, j in [(0, 0), (len(first) - 1, len(second) - 1), (len(first) // 2, 1)]:
        # (S, Q) in units of 0.1: the sum is S h and the sum of squares Q h^2
        (s1, q1), (s2, q2) = first[i] * 0.1, second[j] * 0.1
        q1, q2 = first[i][1] * 0.01, second[j][1] * 0.01
        m1, sd1 = s1 / 20, np.sqrt((q1 - s1 * s1 / 20) / 19)
        m2, sd2 = s2 / 20, np.sqrt((q2 - s2 * s2 / 20) / 19)
        reference = scipy.stats.ttest_ind_from_stats(m1, sd1, 20, m2, sd2, 20, equal_var=equal).pvalue
        assert p_values[i, j] == pytest.approx(reference, rel=1e-9)


def test_grimmer_agrees_with_the_moments():
    assert printed.grimmer_sd("65.3", "12.7", 20) and printed.moments("65.3", "12.7", 20, 1)
    for mean_text, sd_text in [("2.0", "0.1"), ("3.5", "0.2"), ("10.1", "3.3"), ("4.4", "1.5")]:
        assert printed.grimmer_sd(mean_text, sd_text, 5) == bool(printed.moments(mean_text, sd_text, 5, 1)), (mean_text, sd_text)


def test_haverage_position_is_spss_n_plus_one_p():
    assert printed.haverage_position(0.25, 20) == 5.25 and printed.haverage_position(0.5, 19) == 10.0
    assert printed.P_TOLERANCE == 0.5 * 10**-3

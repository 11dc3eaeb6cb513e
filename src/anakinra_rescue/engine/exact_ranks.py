"""The exact Mann-Whitney (Wilcoxon rank-sum) test with ties: the permutation distribution of the rank sum given
the tied values, counted exactly.

SPSS's "Exact Sig." (:func:`anakinra_rescue.engine.stats.mann_whitney`) reads the distribution of U *without* ties.
With ties, the exact conditional distribution differs: the midranks are fixed by the pooled sample, and every split
of the pooled sample into groups of n1 and n2 is equally likely. This module counts that distribution by a dynamic
programme over the tie groups: choosing k of a group of t tied values adds k times its midrank to the rank sum, in
C(t, k) ways. Counts are Python integers, so the probabilities are exact fractions before the one division.

The two-sided P is P(|W - E W| >= |w - E W|), the definition of both ``coin::wilcox_test(distribution = "exact")``
and ``exactRankTests::wilcox.exact`` (they agree with each other and with this module on every committed case). On
untied data it equals SPSS's exact P. Pinned by ``test_exact_rank_sum_matches_coin_and_exactranktests`` (against
``tests/reference/r_exact_rank.csv``, written by ``tests/reference/exact_rank_tests.R``) and
``test_without_ties_it_is_the_untied_exact_test`` (``tests/test_exact_ranks.py``).
"""

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class ExactRankSum:
    """The observed rank sum of the first sample (doubled, an integer), and the two-sided exact P-value."""

    doubled_rank_sum: int
    p_value: float


def rank_sum_distribution(tie_sizes: list[int], n1: int) -> dict[int, int]:
    """How many splits give each doubled rank sum 2W of ``n1`` values drawn from pooled values whose tie groups, in
    ascending order, have ``tie_sizes`` members: {2W: number of splits}."""
    ways: dict[tuple[int, int], int] = {(0, 0): 1}  # (values chosen so far, doubled rank sum) -> splits
    below = 0
    for size in tie_sizes:
        doubled_midrank = 2 * below + size + 1  # twice the mean of ranks below+1 .. below+size
        grown: dict[tuple[int, int], int] = {}
        for (chosen, doubled_sum), count in ways.items():
            for k in range(0, min(size, n1 - chosen) + 1):
                key = (chosen + k, doubled_sum + k * doubled_midrank)
                grown[key] = grown.get(key, 0) + count * math.comb(size, k)
        ways = grown
        below += size
    return {doubled_sum: count for (chosen, doubled_sum), count in ways.items() if chosen == n1}


def exact_rank_sum_test(values_a, values_b) -> ExactRankSum:
    """The exact two-sided rank-sum test of two samples, ties included (see the module's docstring)."""
    a, b = [float(value) for value in values_a], [float(value) for value in values_b]
    if not a or not b:
        raise ValueError("both samples need at least one value")
    pooled = sorted(a + b)
    tie_sizes = [size for _, size in sorted(Counter(pooled).items())]
    doubled_rank: dict[float, int] = {}
    below = 0
    for value, size in sorted(Counter(pooled).items()):
        doubled_rank[value] = 2 * below + size + 1
        below += size
    observed = sum(doubled_rank[value] for value in a)
    distribution = rank_sum_distribution(tie_sizes, len(a))
    total = sum(distribution.values())
    doubled_mean = Fraction(sum(key * count for key, count in distribution.items()), total)
    distance = abs(observed - doubled_mean)
    beyond = sum(count for key, count in distribution.items() if abs(key - doubled_mean) >= distance)  # exact fractions
    return ExactRankSum(doubled_rank_sum=observed, p_value=float(Fraction(beyond, total)))

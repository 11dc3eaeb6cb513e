"""Proofs about Table 3 from the printed counts alone: the ordinal status, its score differences and their P-values.

Each function works from the published record and returns findings as
(source, variable, group, statistic, reason[, verdict]) for
:func:`anakinra_rescue.examination.fidelity.known_reasons`:

* :func:`ordinal_status_infeasibility`: each printed quartile of the status on day k
  that no day-k picture allowed by the printed counts gives.
* :func:`score_difference_proofs`: the printed day-0 statuses bound every order
  statistic of day 0 - day k, so each score-difference quartile; one outside is
  proven (:func:`signs_fitting` counts the quartiles each sign convention reaches).

Pinned by ``tests/test_outcome_proofs.py``.
"""

import functools
import itertools
import math

import numpy as np
import pandas as pd
from scipy import special

from anakinra_rescue.data import published
from anakinra_rescue.data.vocabulary import Verdict, day_column
from anakinra_rescue.engine import stats
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.engine.printed import haverage_position
from anakinra_rescue.schemas.cohort import ORDINAL_LEVELS
from anakinra_rescue.schemas.published import COMPARED_GROUPS

PROVEN, INCONSISTENT = Verdict.PROVEN, Verdict.INCONSISTENT
_value = published.required  # every number these proofs read is printed


def _compared(record: pd.DataFrame, source: str, variable: str, group: str, statistic: str) -> str:
    return published.required(record, source, variable, group, statistic, column="compared_as")


@functools.lru_cache(maxsize=4)
def _all_distributions(size: int, levels: int = len(ORDINAL_LEVELS)) -> np.ndarray:
    """Every way to spread ``size`` patients over ``levels`` ordinal levels (counts per level); read-only."""
    rows = np.array(
        [np.diff([0, *cuts, size + levels]) - 1 for cuts in itertools.combinations(range(1, size + levels), levels - 1)]
    )
    rows.flags.writeable = False
    return rows


def _quartiles_from_counts(counts: np.ndarray) -> dict[str, np.ndarray]:
    cumulative = np.cumsum(counts, axis=1)
    size = int(counts[0].sum())

    def order_statistic(position):
        return 1 + (cumulative < position).sum(axis=1)

    found = {}
    for name, fraction in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
        position = haverage_position(fraction, size)
        low = max(math.floor(position), 1)
        high = min(low + 1, size)
        found[name] = order_statistic(low) + (position - math.floor(position)) * (order_statistic(high) - order_statistic(low))
    return found


def _matches(printed: str, values: np.ndarray) -> np.ndarray:
    """prints_as(printed, value) for each value (quartiles take few distinct values)."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([prints_as(printed, float(value)) for value in distinct])[inverse]


def ordinal_status_infeasibility(record: pd.DataFrame) -> list[tuple]:
    """Printed day-k status quartiles that no day-k picture of the group gives, alone: every picture of the
    group's patients from their printed day-0 statuses to a status on day k that agrees with the printed deaths,
    discharges and improvements under the engine reading (which contains the natural one) is checked
    (:mod:`anakinra_rescue.examination.day_profiles`). Clashes between numbers each attainable alone are decided
    with their siblings by :mod:`anakinra_rescue.examination.table3_decisions`, not here."""
    from anakinra_rescue.examination.table3_decisions import Check

    found = []
    for day in DEFAULT.outcome_days:
        check = Check(record, day)
        for group in published.ARTICLE_GROUPS:
            feasible = {group: int(check.mask(group, "engine", frozenset()).sum())}
            for name in ("q1", "median", "q3"):
                key = ("table3", day_column("ordinal_status", day), group, name)
                if published.printed(record, *key) is None or check.mask(group, "engine", frozenset([key])).any():
                    continue
                found.append(
                    (
                        *key,
                        f"no day-{day} picture of the {group} group prints a {name} of {_compared(record, *key)}: exhaustive "
                        f"check of all {check.spaces[group].size:,} pictures (patients from each printed day-0 status to a "
                        f"status on day {day}), {feasible[group]:,} of which agree with the printed deaths, discharges and "
                        "improvements under the engine reading, which contains the natural one",
                        PROVEN,
                    )
                )
    return found


def status_p_values(first: np.ndarray, second: np.ndarray) -> dict[str, np.ndarray]:
    """Mann-Whitney P for every pair of count vectors (patients per ordinal level), two-sided.

    ``asymptotic``: tie-corrected normal approximation without continuity correction, the engine's Table 3 test
    (:func:`anakinra_rescue.engine.stats.mann_whitney`); ``exact``: SPSS's exact P from U, as if there were no
    ties (:func:`anakinra_rescue.engine.stats.exact_mann_whitney_p`). Vectorised over all pairs: U is a bilinear
    form in the two count vectors and the tie term a polynomial in their sum.
    """
    n1, n2 = int(first[0].sum()), int(second[0].sum())
    levels = first.shape[1]
    above = np.tri(levels, k=-1).T  # above[i, j] = 1 when level j is higher than level i
    # U of the first group: pairs in which its value is the higher, ties counting one half.
    u1 = first.astype(float) @ (above.T + 0.5 * np.eye(levels)) @ second.T.astype(float)
    totals = first[:, None, :] + second[None, :, :]
    tie_term = (totals.astype(float) ** 3 - totals).sum(axis=2)
    n = n1 + n2
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
    larger = np.maximum(u1, n1 * n2 - u1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, (larger - n1 * n2 / 2) / sigma, 0.0)
    asymptotic = np.clip(2 * special.ndtr(-z), 0.0, 1.0)
    survival = np.asarray(stats._exact_u_survival(n1, n2), dtype=float)
    exact = np.minimum(1.0, 2 * survival[larger.astype(int)])
    return {"asymptotic": asymptotic, "exact": exact}


SIGNS = {"day0_minus_dayk": "day 0 - day k", "dayk_minus_day0": "day k - day 0"}


def _haverage_bounds(lowest: np.ndarray, highest: np.ndarray, fraction: float) -> tuple[float, float]:
    """Bounds of a HAVERAGE quantile when each order statistic lies between the sorted ``lowest`` and ``highest``."""
    position = fraction * (len(lowest) + 1)
    below = min(max(math.floor(position), 1), len(lowest))
    above = min(below + 1, len(lowest))
    weight = position - math.floor(position)
    low = lowest[below - 1] + weight * (lowest[above - 1] - lowest[below - 1])
    high = highest[below - 1] + weight * (highest[above - 1] - highest[below - 1])
    return float(min(low, high)), float(max(low, high))


def score_difference_ranges(record: pd.DataFrame) -> dict[tuple, dict[str, tuple[float, float]]]:
    """For each printed quartile of Table 3's score differences, its attainable range under each sign.

    Table 2 prints each group's day-0 statuses. A patient at level s on day 0 is between level 1 and 6 on
    day k, so day 0 - day k lies in [s - 6, s - 1] and its reverse in [1 - s, 6 - s]. The j-th smallest
    difference is then between the j-th smallest of those lower and of those upper limits, and a HAVERAGE
    quartile, increasing in every order statistic, between the quartiles of the two.
    """
    ranges = {}
    fractions = {"q1": 0.25, "median": 0.5, "q3": 0.75}
    for group in COMPARED_GROUPS:
        day0 = np.array(
            [
                level
                for level in ORDINAL_LEVELS
                for _ in range(int(_value(record, "table2", f"ordinal_status_{level}", group, "n")))
            ]
        )
        limits = {
            "day0_minus_dayk": (day0 - max(ORDINAL_LEVELS), day0 - min(ORDINAL_LEVELS)),
            "dayk_minus_day0": (min(ORDINAL_LEVELS) - day0, max(ORDINAL_LEVELS) - day0),
        }
        rows = record[
            (record["source"] == "table3")
            & record["variable"].str.startswith("score_difference_day")
            & (record["group"] == group)
            & record["statistic"].isin(list(fractions))
        ]
        for row in rows.itertuples(index=False):
            ranges[(row.source, row.variable, row.group, row.statistic)] = {
                sign: _haverage_bounds(np.sort(low), np.sort(high), fractions[row.statistic])
                for sign, (low, high) in limits.items()
            }
    return ranges


def score_difference_proofs(record: pd.DataFrame, sign: str = DEFAULT.score_difference_sign) -> list[tuple]:
    """Score-difference quartiles outside the range the printed day-0 statuses allow under the configured sign."""
    found = []
    for key, by_sign in score_difference_ranges(record).items():
        printed = float(_compared(record, *key))
        low, high = by_sign[sign]
        if printed < low or printed > high:
            found.append(
                (
                    *key,
                    f"with the day-0 statuses Table 2 prints for this group, {SIGNS[sign]} can only give a "
                    f"{key[3]} in [{low:g}, {high:g}] ({SIGNS[_other_sign(sign)]}: "
                    f"[{by_sign[_other_sign(sign)][0]:g}, {by_sign[_other_sign(sign)][1]:g}]); printed {printed:g}",
                )
            )
    return found


def _other_sign(sign: str) -> str:
    return next(other for other in SIGNS if other != sign)


def signs_fitting(record: pd.DataFrame) -> dict[str, int]:
    """How many printed score-difference quartiles each sign convention can reach (the evidence for the sign)."""
    ranges = score_difference_ranges(record)
    return {
        sign: sum(
            low <= float(_compared(record, *key)) <= high for key, by_sign in ranges.items() for low, high in [by_sign[sign]]
        )
        for sign in SIGNS
    } | {"total": len(ranges)}


def distributions_checked(record: pd.DataFrame) -> int:
    """How many day-k pictures of one group the exhaustive checks enumerate (patients from each printed day-0
    status to a status on day k; :mod:`anakinra_rescue.examination.day_profiles`)."""
    from anakinra_rescue.examination import day_profiles

    return day_profiles.domain_size(day_profiles.day_counts(record, published.ARTICLE_GROUPS[0], DEFAULT.outcome_days[0]).day0)

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

from anakinra_rescue.data import published
from anakinra_rescue.data.vocabulary import Verdict, day_column
from anakinra_rescue.engine.config import DEFAULT
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

"""Proofs about Table 3 from the printed counts alone: the ordinal status, its score differences and their P-values.

Each function works from the published record and returns findings as
(source, variable, group, statistic, reason[, verdict]) for
:func:`anakinra_rescue.examination.fidelity.known_reasons`:

* :func:`ordinal_status_infeasibility`: an exhaustive check over all 53,130
  distributions of a group's patients over the six levels, given the printed deaths,
  discharges and improvements, for each printed quartile of the status on day k.
* :func:`score_difference_proofs`: the printed day-0 statuses bound every order
  statistic of day 0 - day k, so each score-difference quartile; one outside is
  proven (:func:`signs_fitting` counts the quartiles each sign convention reaches).
* :func:`status_p_hints`: every pair of distributions consistent with the printed
  counts, and the range of Mann-Whitney P (asymptotic, and SPSS's exact from U) they
  give: the evidence an open status P-value carries.

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
from anakinra_rescue.engine.printed import P_TOLERANCE, haverage_position
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


def feasible_distributions(record: pd.DataFrame, group: str, day: int, counts: np.ndarray) -> np.ndarray:
    """Which rows of ``counts`` (patients per level on day k) agree with the group's printed deaths, discharges
    and improvements and its day-0 statuses."""
    first_mortality_day, last_discharge_day = DEFAULT.mortality_days[0], DEFAULT.discharge_days[-1]
    day0 = [int(_value(record, "table2", f"ordinal_status_{level}", group, "n")) for level in ORDINAL_LEVELS]
    improved = int(_value(record, "table3", day_column("improvement", day), group, "n"))
    dead = published.printed(record, "table3", day_column("mortality", day), group, "n")
    dead_by_14 = int(_value(record, "table3", day_column("mortality", first_mortality_day), group, "n"))
    home_21 = int(_value(record, "table3", day_column("discharge", last_discharge_day), group, "n"))
    ones, twos, threes, fours, fives, sixes = counts.T
    fine = (sixes == int(dead)) if dead is not None else (sixes <= dead_by_14)
    fine &= ones <= min(improved, home_21)  # status 1 = discharged before day k, which counts as improved
    # Every day-0 status is 3 or more (Table 2), so status 1 or 2 on day k is an improvement, and
    # status 3 is one for all but the day-0 status-3 patients.
    lower = ones + twos + np.maximum(threes - day0[2], 0)
    # Beyond what the status shows, a patient is improved only by a discharge not yet seen as status 1
    # (discharged on day k, or discharged and then died); there are at most home_21 - ones of those.
    upper = ones + twos + np.minimum(threes, day0[3] + day0[4]) + np.minimum(fours, day0[4]) + np.maximum(home_21 - ones, 0)
    return fine & (lower <= improved) & (improved <= upper)


def _counts_summary(record: pd.DataFrame, group: str, day: int) -> str:
    improved = int(_value(record, "table3", day_column("improvement", day), group, "n"))
    dead = published.printed(record, "table3", day_column("mortality", day), group, "n")
    dead_by_14 = int(_value(record, "table3", day_column("mortality", DEFAULT.mortality_days[0]), group, "n"))
    home_21 = int(_value(record, "table3", day_column("discharge", DEFAULT.discharge_days[-1]), group, "n"))
    return (
        f"{improved} improved"
        + (f", {dead} dead" if dead is not None else f", at most {dead_by_14} dead")
        + f" and at most {min(improved, home_21)} already discharged on day {day}"
    )


def printing_distributions(record: pd.DataFrame, group: str, day: int, counts: np.ndarray) -> np.ndarray:
    """Which rows of ``counts`` agree with the printed counts and print the group's day-k Q1, median and Q3."""
    quartiles = _quartiles_from_counts(counts)
    fine = feasible_distributions(record, group, day, counts)
    for name in ("q1", "median", "q3"):
        fine &= _matches(_compared(record, "table3", day_column("ordinal_status", day), group, name), quartiles[name])
    return fine


def ordinal_status_infeasibility(record: pd.DataFrame) -> list[tuple]:
    """For each group and day, the printed status quartiles that no distribution consistent with the counts gives."""
    size = published.group_size(record)
    counts = _all_distributions(size)
    quartiles = _quartiles_from_counts(counts)
    found = []
    for group in published.ARTICLE_GROUPS:
        for day in DEFAULT.outcome_days:
            fine = feasible_distributions(record, group, day, counts)
            printed = {
                name: _compared(record, "table3", day_column("ordinal_status", day), group, name)
                for name in ("q1", "median", "q3")
            }
            statuses = {name: _matches(text, quartiles[name]) for name, text in printed.items()}
            jointly = fine & statuses["q1"] & statuses["median"] & statuses["q3"]
            if jointly.any():
                continue
            for name, text in printed.items():
                alone = (fine & statuses[name]).any()
                proof = (
                    f"no distribution of {size} patients over the {len(ORDINAL_LEVELS)} levels with "
                    + _counts_summary(record, group, day)
                    + " "
                    + (
                        f"has a {name} of {text} (exhaustive check of {len(counts):,} distributions)"
                        if not alone
                        else f"has Q1, median and Q3 of {printed['q1']}, {printed['median']} and {printed['q3']} together "
                        f"(exhaustive check of {len(counts):,} distributions)"
                    )
                )
                found.append(("table3", day_column("ordinal_status", day), group, name, proof, INCONSISTENT if alone else PROVEN))
    return found


CHUNK = 400  # rows of the first group's distributions per block of pairs (memory about CHUNK x 25,000 x 8 bytes)


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


def status_p_ranges(record: pd.DataFrame, day: int) -> dict[str, tuple[float, float, bool]]:
    """Per Mann-Whitney variant, the smallest and largest P over every pair of distributions consistent with the
    printed counts on day k, and whether some pair prints the published P."""
    counts = _all_distributions(published.group_size(record))
    first, second = (counts[feasible_distributions(record, group, day, counts)] for group in COMPARED_GROUPS)
    printed = _compared(record, "table3", day_column("ordinal_status", day), "comparison", "p_value")
    low, high = float(printed) - P_TOLERANCE, float(printed) + P_TOLERANCE
    ranges: dict[str, tuple[float, float, bool]] = {}
    for start in range(0, len(first), CHUNK):
        for name, p in status_p_values(first[start : start + CHUNK], second).items():
            old = ranges.get(name, (1.0, 0.0, False))
            hit = bool(((p >= low - 1e-12) & (p <= high + 1e-12)).any()) and any(
                prints_as(printed, float(value)) for value in np.unique(p[(p >= low - 1e-9) & (p <= high + 1e-9)])
            )
            ranges[name] = (min(old[0], float(p.min())), max(old[1], float(p.max())), old[2] or hit)
    return ranges


MAX_PAIRS = 5_000_000  # above this many pairs of distributions the P-value range is not enumerated (day 7: 196 million)


@functools.lru_cache(maxsize=16)
def _status_p_hint(record_key: tuple, day: int) -> str | None:
    record = pd.DataFrame(list(record_key[1]), columns=list(record_key[0]))
    counts = _all_distributions(published.group_size(record))
    sizes = [int(feasible_distributions(record, group, day, counts).sum()) for group in COMPARED_GROUPS]
    if sizes[0] * sizes[1] > MAX_PAIRS:
        return None
    ranges = status_p_ranges(record, day)
    printed = _compared(record, "table3", day_column("ordinal_status", day), "comparison", "p_value")
    quartiles_met = all(printing_distributions(record, group, day, counts).any() for group in COMPARED_GROUPS)
    spans = "; ".join(
        f"{name} P in [{low:.3f}, {high:.3f}]{', which prints ' + printed if reached else ', never ' + printed}"
        for name, (low, high, reached) in ranges.items()
    )
    return (
        f"over all {sizes[0]:,} x {sizes[1]:,} pairs of distributions that agree with the printed day-0 statuses, "
        f"improvements, deaths and discharges, Mann-Whitney gives {spans}"
        + (
            ""
            if quartiles_met
            else "; no distribution of one of the groups also prints its Q1, median and Q3, "
            "so no data print this P together with the row's quartiles"
        )
    )


def status_p_hints(record: pd.DataFrame, key: tuple) -> list[str]:
    """For a day-k status P-value: the P range over every pair of distributions the printed counts allow (cached;
    skipped when there are more than :data:`MAX_PAIRS` pairs)."""
    source, variable, _, statistic = key
    if source != "table3" or statistic != "p_value" or not variable.startswith("ordinal_status_day"):
        return []
    record_key = (tuple(record.columns), tuple(map(tuple, record.astype(object).itertuples(index=False, name=None))))
    hint = _status_p_hint(record_key, int(variable.removeprefix("ordinal_status_day")))
    return [] if hint is None else [hint]


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
    """How many distributions of one group over the ordinal levels the exhaustive check enumerates."""
    return len(_all_distributions(published.group_size(record)))

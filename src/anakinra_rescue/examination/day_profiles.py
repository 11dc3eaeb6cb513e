"""Every day-k picture of one group that Table 3's printed counts allow, under both readings of "status on day k".

A group's day-k picture is a 6 x 6 count matrix: how many patients went from each day-0 level (Table 2 prints
those counts) to each level on day k. Everything Table 3 prints for day k follows from the two groups' matrices:
the status quartiles (column sums), the score-difference quartiles (day 0 - day k, per cell), the improvements,
and the two Mann-Whitney P-values. :func:`matrices` lists every matrix with the printed day-0 row sums (3,318,084
for the article: 6 x 26,334 x 21); :func:`feasible` keeps those that agree with the printed deaths, discharges
and improvements under a reading:

* ``natural``: discharged by day k if and only if at status 1 on day k (so nobody dies after a discharge);
* ``engine``: DESIGN.md's rule: a patient discharged on day k keeps that day's recorded status, which the
  plausibility rule holds at 3 or below (1, 2 or 3); one discharged before day k is at 1; one who died after a
  discharge is at 6 and counts as discharged and improved.

Under both, a patient dead by day k is at 6, a patient in hospital is at 2-5 and is improved when at least
``improvement_points`` below day 0. Every natural picture is also
an engine picture, so what is impossible under the engine reading is impossible under both. Each day is decided
on its own: a picture here need not extend to the other days (what is impossible here is impossible for any
cohort; what is attainable here is attainable for that day). Pinned by ``tests/test_day_profiles.py``.
"""

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from anakinra_rescue.data import published
from anakinra_rescue.data.vocabulary import day_column
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.engine.printed import P_TOLERANCE, haverage_position
from anakinra_rescue.examination.outcome_proofs import _all_distributions
from anakinra_rescue.schemas.cohort import ORDINAL_LEVELS

READINGS = {
    "natural": "discharged alive by day k if and only if at status 1 on day k",
    "engine": "a patient discharged on day k keeps that day's recorded status (1-3), as DESIGN.md's engine does",
}
LEVELS = np.array(ORDINAL_LEVELS)
DEATH, HOME = int(LEVELS.max()), int(LEVELS.min())
DISCHARGE_DAY_LEVELS = (2, 3)  # recorded statuses a patient may be discharged at besides 1 (plausibility: 3 or below)
QUARTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


@dataclass(frozen=True)
class DayCounts:
    """What the article prints for one group on day k."""

    day: int
    day0: tuple[int, ...]  # patients at each day-0 level (Table 2)
    improved: int
    dead: int | None  # deaths by day k, when printed
    dead_at_most: int  # deaths by the first printed mortality day (bounds day 7)
    discharged_by_last: int  # discharges by the last printed discharge day
    last_discharge_day: int
    improvement_points: int


def day_counts(record: pd.DataFrame, group: str, day: int, config=DEFAULT) -> DayCounts:
    """The printed counts that constrain one group's day-k picture."""
    need = published.required
    dead = published.printed(record, "table3", day_column("mortality", day), group, "n")
    return DayCounts(
        day=day,
        day0=tuple(int(need(record, "table2", f"ordinal_status_{level}", group, "n")) for level in ORDINAL_LEVELS),
        improved=int(need(record, "table3", day_column("improvement", day), group, "n")),
        dead=None if dead is None else int(dead),
        dead_at_most=int(need(record, "table3", day_column("mortality", config.mortality_days[0]), group, "n")),
        discharged_by_last=int(need(record, "table3", day_column("discharge", config.discharge_days[-1]), group, "n")),
        last_discharge_day=config.discharge_days[-1],
        improvement_points=config.improvement_points,
    )


class Domain:
    """Every count matrix (day-0 level x day-k level) whose rows sum to the printed day-0 counts, held as the
    features Table 3 reads from it, one row per matrix (3,318,084 for the article).

    A matrix is one composition per day-0 row; each feature is a sum over the rows, so the features of all matrices
    are the broadcast sums of each row's compositions' features, and no matrix is built until :meth:`matrix` asks.
    """

    def __init__(
        self,
        day0: tuple[int, ...],
        improvement_points: int = DEFAULT.improvement_points,
        sign: str = DEFAULT.score_difference_sign,
    ):
        self.day0, self.improvement_points, self.sign = day0, improvement_points, sign
        levels = len(day0)
        self.blocks = [_all_distributions(size, levels) if size else np.zeros((1, levels), dtype=int) for size in day0]
        self.shape = tuple(len(block) for block in self.blocks)
        self.size = int(np.prod(self.shape))

        def total(per_row) -> np.ndarray:
            parts = [per_row(LEVELS[row], block) for row, block in enumerate(self.blocks)]
            width = parts[0].shape[1]
            summed = np.zeros((*self.shape, width), dtype=np.int16)
            for row, part in enumerate(parts):
                view = [1] * len(self.shape) + [width]
                view[row] = len(part)
                summed = summed + part.reshape(view).astype(np.int16)
            return summed.reshape(self.size, width)

        gain = improvement_points
        self.status = total(lambda start, block: block)
        self.differences = total(lambda start, block: self._shift(start, block))
        self.improved_by_status = total(
            lambda start, block: block[:, (LEVELS == HOME) | ((LEVELS < DEATH) & (LEVELS <= start - gain))].sum(axis=1)[:, None]
        )[:, 0]
        self.no_gain = total(
            lambda start, block: block[:, np.isin(LEVELS, DISCHARGE_DAY_LEVELS) & (LEVELS > start - gain)].sum(axis=1)[:, None]
        )[:, 0]
        self._quartiles: dict[tuple[str, str], np.ndarray] = {}
        self._codes: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def _shift(self, start: int, block: np.ndarray) -> np.ndarray:
        shifted = np.zeros((len(block), len(DIFFERENCES)), dtype=np.int64)
        for column, end in enumerate(LEVELS):
            difference = start - end if self.sign == "day0_minus_dayk" else end - start
            shifted[:, difference - DIFFERENCES[0]] += block[:, column]
        return shifted

    def quartile(self, row: str, name: str) -> np.ndarray:
        """The day-k ``name`` (q1, median, q3) of the status (``row="status"``) or the score difference, per matrix."""
        if (row, name) not in self._quartiles:
            counts, values = (self.status, LEVELS) if row == "status" else (self.differences, DIFFERENCES)
            self._quartiles[(row, name)] = quartiles_from_counts(counts, values.astype(float), (name,))[name]
        return self._quartiles[(row, name)]

    def prints(self, row: str, name: str, printed: str) -> np.ndarray:
        """Which pictures print ``printed`` as that quartile: a quartile takes few distinct values (quarters of a
        level here), so each distinct value is rounded once and the answer looked up per picture."""
        values = self.quartile(row, name)
        distinct, inverse = np.unique(values, return_inverse=True) if (row, name) not in self._codes else self._codes[(row, name)]
        self._codes[(row, name)] = (distinct, inverse)
        return np.array([prints_as(printed, float(value)) for value in distinct])[inverse]

    def matrix(self, index: int) -> np.ndarray:
        """The count matrix at ``index``."""
        parts = np.unravel_index(int(index), self.shape)
        return np.stack([block[part] for block, part in zip(self.blocks, parts)])


@functools.lru_cache(maxsize=2)
def domain(
    day0: tuple[int, ...], improvement_points: int = DEFAULT.improvement_points, sign: str = DEFAULT.score_difference_sign
) -> Domain:
    """The :class:`Domain` of one set of day-0 counts (cached: both groups of the article share one)."""
    return Domain(day0, improvement_points, sign)


def domain_size(day0: tuple[int, ...]) -> int:
    """How many matrices a :class:`Domain` holds (the product of the rows' compositions), computed independently."""
    from math import comb

    return int(np.prod([comb(size + len(day0) - 1, len(day0) - 1) for size in day0]))


DIFFERENCES = np.arange(HOME - DEATH, DEATH - HOME + 1)  # day 0 - day k runs from -5 to 5


def quartiles_from_counts(counts: np.ndarray, values: np.ndarray, names=tuple(QUARTILES)) -> dict[str, np.ndarray]:
    """SPSS's HAVERAGE Q1, median and Q3 of samples given as counts per value (one sample per row)."""
    cumulative = np.cumsum(counts, axis=1)
    size = int(counts[0].sum())
    found = {}
    for name in names:
        position = haverage_position(QUARTILES[name], size)
        low = max(int(np.floor(position)), 1)
        high = min(low + 1, size)
        at_low = values[(cumulative < low).sum(axis=1)]
        at_high = values[(cumulative < high).sum(axis=1)]
        found[name] = at_low + (position - np.floor(position)) * (at_high - at_low)
    return found


def feasible(space: Domain, counts: DayCounts, reading: str) -> np.ndarray:
    """Which matrices of ``space`` agree with the group's printed counts for day k under ``reading``.

    With c_j patients at level j on day k, those improved by their status are the ones at 1 or at least
    ``improvement_points`` below day 0 (L). Natural reading: the printed improvements are exactly L, and c_1 (the
    discharges by day k) is at most the printed discharges by the last day, and equal to them on that day. Engine
    reading: the rest of the improvements (r = improved - L) are patients improved otherwise: x dead after a
    discharge (at most c_6) and y discharged on day k at a recorded 2-3 that is no improvement on day 0; the
    discharges by day k (c_1 + x + y, plus others discharged on day k at 2-3) may not exceed the printed
    discharges by the last day, and can reach them on that day.
    """
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; expected one of {', '.join(READINGS)}")
    columns = space.status.astype(np.int64)
    at_home, dead = columns[:, HOME - 1], columns[:, DEATH - 1]
    others = space.no_gain.astype(np.int64) if reading == "engine" else np.zeros(space.size, dtype=np.int64)
    on_discharge_day = columns[:, [level - 1 for level in DISCHARGE_DAY_LEVELS]].sum(axis=1)
    rest = counts.improved - space.improved_by_status.astype(np.int64)
    fine = (dead == counts.dead) if counts.dead is not None else (dead <= counts.dead_at_most)
    if reading == "natural":
        fine &= rest == 0
        fine &= (
            (at_home == counts.discharged_by_last)
            if counts.day == counts.last_discharge_day
            else (at_home <= counts.discharged_by_last)
        )
        return fine
    fine &= (rest >= 0) & (rest <= dead + others)
    fine &= at_home + rest <= counts.discharged_by_last
    if counts.day == counts.last_discharge_day:
        fine &= counts.discharged_by_last <= at_home + np.minimum(rest, dead) + on_discharge_day
    return fine


def p_values_for_pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Asymptotic, tie-corrected Mann-Whitney P without continuity correction (the engine's Table 3 test,
    :func:`anakinra_rescue.engine.stats.mann_whitney`) for every pair of count rows (patients per ordered value).

    U and the tie term are matrix products: U = a A b' (A: 1 above the diagonal, 1/2 on it), and the tie term
    sum_j (a_j + b_j)^3 - (a_j + b_j) expands to sums of a^3, b^3, 3 a^2 b' and 3 a b^2', so no array of pairs by
    values is built. Pinned against the engine by ``test_pair_p_values_equal_the_engines_test``.
    """
    a, b = first.astype(float), second.astype(float)
    n1, n2 = a[0].sum(), b[0].sum()
    levels = a.shape[1]
    weights = np.triu(np.ones((levels, levels)), k=1) + 0.5 * np.eye(levels)  # [i, j]: value j above value i
    u = a @ weights @ b.T  # pairs in which the second group's value is the higher, ties counting one half
    tie = (a**3 - a).sum(axis=1)[:, None] + (b**3 - b).sum(axis=1)[None, :] + 3 * (a**2) @ b.T + 3 * a @ (b**2).T
    n = n1 + n2
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, np.abs(u - n1 * n2 / 2) / sigma, 0.0)
    return np.clip(2 * special.ndtr(-z), 0.0, 1.0)


PAIRS_PER_BLOCK = 4_000_000  # pairs evaluated at once (memory about 60 bytes each)


def _near(printed: str, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Pairs whose P prints as ``printed``. A cheap filter first: P in [t - 0.0005, t + 0.0005] is |z| in a band,
    that is (U - n1 n2 / 2)^2 between two multiples of the variance, which needs no square root and no normal
    tail; the few pairs in a slightly wider band are then computed exactly and rounded."""
    target = float(printed)
    z_low = special.ndtri(1 - min(target + P_TOLERANCE, 1.0) / 2) - 1e-6
    z_high = special.ndtri(1 - max(target - P_TOLERANCE, 1e-300) / 2) + 1e-6
    a, b = first.astype(float), second.astype(float)
    n1, n2 = a[0].sum(), b[0].sum()
    levels = a.shape[1]
    weights = np.triu(np.ones((levels, levels)), k=1) + 0.5 * np.eye(levels)
    deviation = (a @ weights @ b.T - n1 * n2 / 2) ** 2
    tie = (a**3 - a).sum(axis=1)[:, None] + (b**3 - b).sum(axis=1)[None, :] + 3 * (a**2) @ b.T + 3 * a @ (b**2).T
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1)))
    near = (deviation >= max(z_low, 0.0) ** 2 * variance) & (deviation <= z_high**2 * variance)
    rows, columns = np.nonzero(near)
    for row, column in zip(rows, columns):
        p = p_values_for_pairs(first[row : row + 1], second[column : column + 1])[0, 0]
        near[row, column] = prints_as(printed, float(p))
    return near


def p_hits(targets: list[tuple[str, int, int]], first: np.ndarray, second: np.ndarray, first_only: bool = False) -> np.ndarray:
    """Index pairs (i, j) of rows of ``first`` and ``second`` whose P-values all print as printed: shape (k, 2).

    ``targets`` holds (printed P, first column, end column): each P is the Mann-Whitney P of those columns of the
    two rows (count vectors). With ``first_only``, the search stops at the first block with a hit and returns one.
    """
    hits: list[np.ndarray] = []
    chunk = max(1, PAIRS_PER_BLOCK // max(len(second), 1))
    for begin in range(0, len(first), chunk):
        block = first[begin : begin + chunk]
        fine = np.ones((len(block), len(second)), dtype=bool)
        for printed, start, end in targets:
            fine &= _near(printed, block[:, start:end], second[:, start:end])
            if not fine.any():
                break
        rows, columns = np.nonzero(fine)
        if len(rows):
            hits.append(np.stack([rows + begin, columns], axis=1))
            if first_only:
                return hits[0][:1]
    return np.concatenate(hits) if hits else np.zeros((0, 2), dtype=np.int64)

"""Mean rows solved on the value grid: sums and sums of squares first, then values that have them.

The local search of :mod:`anakinra_rescue.reconstruction.solver` can miss a mean row whose targets are
tight together (PaO2:FiO2: a mean, an SD and a P-value per row, and four band counts per group). On a
grid of step ``h`` every vector of n values has a sum S and a sum of squares Q in units of ``h``, and
its mean, SD and Student or Welch P depend on nothing else. So the row is solved in two steps:

1. **Moments.** Every S whose mean prints, every Q (of S's parity, since x² and x share theirs) whose
   SD prints, for each group; then the (S, Q) pairs of the two groups whose t-test P prints, nearest the
   centre of the printed rounding boxes first. This step is exhaustive: when it finds nothing, no vector on
   the grid prints the row.
2. **Values.** Start from values spread inside the printed bands, move single values to reach S and
   pairs of values (one up, one down) to reach Q, never leaving a value's band.

Used by :func:`anakinra_rescue.reconstruction.reconstruct.solve_rows` when the local search misses a
mean row; pinned by ``tests/test_grid.py``.
"""

import math

import numpy as np

from anakinra_rescue.data.vocabulary import StatisticalTest
from anakinra_rescue.engine import printed
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.reconstruction.solver import RowProblem, RowSolution, row_statistics

GROUPS = ("anakinra", "control")


def moment_pairs(problem: RowProblem, test: str = StatisticalTest.STUDENT_T) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (S, Q) of each group that print the row's means, SDs and P, nearest the printed centres first."""
    targets = problem.targets
    found = [
        np.array(printed.moments(targets[(group, "mean")], targets[(group, "sd")], size, problem.step), dtype=float)
        for group, size in zip(GROUPS, problem.available)
    ]
    if any(len(values) == 0 for values in found):
        return []
    printed_p = targets.get(("comparison", "p_value"))
    if printed_p is None:
        keep = np.ones((len(found[0]), len(found[1])), dtype=bool)
        p = np.zeros(keep.shape)
    else:
        p = printed.t_p_values(found[0], found[1], problem.available, problem.step, test == StatisticalTest.STUDENT_T)
        keep = np.abs(p - float(printed_p)) <= printed.P_TOLERANCE + 1e-9
    pairs = sorted(
        (abs(p[i, j] - float(printed_p or 0)), i, j)
        for i, j in zip(*np.nonzero(keep))
        if printed_p is None or prints_as(printed_p, float(p[i, j]))
    )
    return [((int(found[0][i][0]), int(found[0][i][1])), (int(found[1][j][0]), int(found[1][j][1]))) for _, i, j in pairs]


def _limits(problem: RowProblem, group_index: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per value, the lowest and highest grid units it may take: its band's, or the domain's."""
    to_units = 1 / problem.step
    domain = (math.ceil(problem.low * to_units - 1e-9), math.floor(problem.high * to_units + 1e-9))
    if not problem.bands:
        return np.full(size, domain[0]), np.full(size, domain[1])
    lows, highs = [], []
    for low, high, *counts in problem.bands:
        count = counts[group_index]
        band_low = max(math.ceil(low * to_units - 1e-9), domain[0])
        band_high = domain[1] if math.isinf(high) else min(math.ceil(high * to_units - 1e-9) - 1, domain[1])  # [low, high)
        lows += [band_low] * count
        highs += [band_high] * count
    return np.array(lows), np.array(highs)


def values_with_moments(total: int, squares: int, lows: np.ndarray, highs: np.ndarray) -> np.ndarray | None:
    """Integers between ``lows`` and ``highs`` (elementwise) with sum ``total`` and sum of squares ``squares``."""
    if not lows.sum() <= total <= highs.sum():
        return None
    # Start spread evenly over each band (the k-th of c values of a band at its (k + 1/2) / c point).
    values = lows.copy()
    for low, high in set(zip(lows.tolist(), highs.tolist())):
        members = np.flatnonzero((lows == low) & (highs == high))
        values[members] = np.round(low + (high - low) * (np.arange(len(members)) + 0.5) / len(members)).astype(int)
    for _ in range(abs(total - int(values.sum())) + len(values)):  # then one unit at a time towards the sum
        rest = total - int(values.sum())
        if rest == 0:
            break
        room = (highs - values) if rest > 0 else (values - lows)
        movable = np.flatnonzero(room > 0)
        if not movable.size:
            return None
        # move the values nearest the mean when raising, the farthest when lowering, so the spread stays
        order = movable[np.argsort(np.abs(values[movable] - total / len(values)))]
        chosen = order[: min(abs(rest), len(order))]
        values[chosen] += int(np.sign(rest))
    shake = np.random.default_rng(total * 7919 + squares)  # deterministic: the same moments give the same values
    for _ in range(200 * len(values)):
        gap = squares - int((values**2).sum())
        if gap == 0:
            return values
        # raising x_i by one and lowering x_j by one keeps the sum and changes Q by 2 (x_i - x_j) + 2
        up = values < highs
        down = values > lows
        differences = values[:, None] - values[None, :]
        allowed = up[:, None] & down[None, :] & (np.arange(len(values))[:, None] != np.arange(len(values))[None, :])
        if not allowed.any():
            return None
        remaining = np.where(allowed, np.abs(gap - (2 * differences + 2)), np.iinfo(np.int64).max)
        i, j = (int(index) for index in np.unravel_index(np.argmin(remaining), remaining.shape))
        if remaining[i, j] >= abs(gap):  # no pair gets closer: a random sum-keeping step to leave the dead end
            i, j = (int(index) for index in shake.choice(np.argwhere(allowed)))
        values[i] += 1
        values[j] -= 1
    return None


def solve_mean_row(problem: RowProblem, test: str = StatisticalTest.STUDENT_T, tries: int = 200) -> RowSolution | None:
    """Vectors that print every number of a two-group mean row, or None when the moments step finds none."""
    if problem.kind != "mean_sd" or problem.pair_window or problem.copy_anakinra_to_control:
        return None
    if any(group not in GROUPS and group != "comparison" for group, _ in problem.targets):
        return None  # overall figures tie the groups together; the local search handles them
    limits = [_limits(problem, index, size) for index, size in enumerate(problem.available)]
    for first, second in moment_pairs(problem, test)[:tries]:
        cases, controls = (values_with_moments(*moment, *limit) for moment, limit in zip((first, second), limits))
        if cases is None or controls is None:
            continue
        vectors = [cases, controls]
        decimals = len(repr(float(problem.step)).split(".")[1].rstrip("0"))
        a, b = (np.round(vector * problem.step, decimals) for vector in vectors)
        found = row_statistics(a, b, problem.kind, problem.test)
        missed = [key for key, printed in problem.targets.items() if not prints_as(printed, found.get(key, math.nan))]
        if not missed:
            return RowSolution(a, b, len(problem.targets), len(problem.targets))
    return None

"""Search for per-group value vectors that print as the article printed them.

Used by :mod:`anakinra_rescue.reconstruction.reconstruct`. For one table row (or one block of
linked rows) the solver holds candidate values for the anakinra and control
groups and improves them by a seeded stochastic local search: change one value,
keep the change when no more printed numbers are lost and the numbers still
missed get closer. Every candidate is scored with the engine's own statistics
(:mod:`anakinra_rescue.engine.stats`) and the engine's own rounding rule
(:func:`anakinra_rescue.engine.comparison.status_of`), so "matched" here means what it
means in the fidelity table.

Why local search rather than an exact solver: the targets are order statistics
under SPSS's HAVERAGE rule, means and SDs at printed precision, and P-values of
rank and t tests, none of which is linear; but each row has only two groups' worth of
values, a single-value change is cheap to score, and a seed gives a different
but equally faithful cohort.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from anakinra_rescue.data.vocabulary import StatisticalTest
from anakinra_rescue.engine import stats, tables
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.engine.printed import haverage_position


@dataclass(frozen=True)
class RowProblem:
    """One continuous row: printed targets, available counts, value domain and pair windows."""

    variable: str
    kind: str  # "mean_sd" or "median_iqr"
    targets: dict  # (group, statistic) -> printed text; group in anakinra, control, overall, comparison
    available: tuple[int, int]
    low: float
    high: float
    step: float
    pair_window: float | None = None  # |anakinra - control| after rank-wise pairing must not exceed this
    copy_anakinra_to_control: bool = False
    # (low, high, anakinra count, control count): how many values each group must have in [low, high)
    bands: tuple[tuple[float, float, int, int], ...] = ()
    test: str | None = None  # the P-value's test (engine.tables.test_name_for); None: the row kind's default


def _summaries(values: np.ndarray, kind: str) -> dict[str, float]:
    if kind == "mean_sd":
        return {"mean": float(values.mean()), "sd": float(values.std(ddof=1)) if values.size > 1 else math.nan}
    q1, median, q3 = stats.quartiles(values)
    return {"median": median, "q1": q1, "q3": q3}


def row_statistics(a: np.ndarray, b: np.ndarray, kind: str, test: str | None = None) -> dict:
    """The statistics the tables print for this row, keyed by (group, statistic); ``test`` names the P-value's test
    (None: Student's t for a mean row, the configured Mann-Whitney for a median row)."""
    found = {}
    for group, values in (("anakinra", a), ("control", b), ("overall", np.concatenate([a, b]))):
        for statistic, value in _summaries(values, kind).items():
            found[(group, statistic)] = value
    if test is None:
        test = StatisticalTest.STUDENT_T if kind == "mean_sd" else DEFAULT.test_for_median_rows  # no outcome row here
    if test in (StatisticalTest.STUDENT_T, StatisticalTest.WELCH_T):  # the hot path: arrays, no pandas
        result = stats.student_t(a, b, equal_variances=test == StatisticalTest.STUDENT_T)
    elif test in (StatisticalTest.MANN_WHITNEY_ASYMPTOTIC, StatisticalTest.MANN_WHITNEY_EXACT):
        result = stats.mann_whitney(a, b, exact=test == StatisticalTest.MANN_WHITNEY_EXACT)
    else:
        result = tables.named_test(test, a, b)
    found[("comparison", "p_value")] = result.p_value
    return found


def score_against(found: dict, targets: dict, distance, missing: float) -> tuple[int, float]:
    """(printed numbers matched, summed distance of the others); ``distance(key, value, printed)`` scores one miss
    and ``missing`` is charged for a number the candidate does not produce. Shared by the row and outcome searches."""
    matched, total = 0, 0.0
    for key, printed in targets.items():
        value = found.get(key, math.nan)
        if prints_as(printed, value):
            matched += 1
        elif not math.isnan(value):
            total += distance(key, value, float(printed.lstrip("<>")))
        else:
            total += missing
    return matched, total


def score(found: dict, targets: dict, scales: dict) -> tuple[int, float]:
    """(numbers matched, distance of the unmatched ones); higher matched and lower distance are better."""
    return score_against(found, targets, lambda key, value, target: abs(value - target) / scales[key], 1e3)


def _scales(problem: RowProblem) -> dict:
    return {
        key: (0.01 if key[1] == "p_value" else max(abs(float(printed.lstrip("<>"))) * 0.05, problem.step))
        for key, printed in problem.targets.items()
    }


def _snap(values: np.ndarray, problem: RowProblem) -> np.ndarray:
    snapped = np.round(values / problem.step) * problem.step
    return np.clip(np.round(snapped, 6), problem.low, problem.high)


def initial_vector(problem: RowProblem, group: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """A starting vector near the printed summary: quartile anchors for medians, scaled normals for means."""
    targets = problem.targets
    if size == 0:
        return np.array([])
    if problem.kind == "mean_sd":
        mean = float(targets.get((group, "mean"), targets.get(("anakinra", "mean"), (problem.low + problem.high) / 2)))
        sd = float(targets.get((group, "sd"), targets.get(("anakinra", "sd"), (problem.high - problem.low) / 6)))
        draws = rng.standard_normal(size)
        draws = (draws - draws.mean()) / (draws.std(ddof=1) or 1.0)
        return _snap(mean + sd * draws, problem)
    q1 = float(targets[(group, "q1")])
    median = float(targets[(group, "median")])
    q3 = float(targets[(group, "q3")])
    spread = max(q3 - q1, problem.step)
    lowest = max(problem.low, q1 - spread * rng.uniform(0.2, 1.2))
    highest = min(problem.high, q3 + spread * rng.uniform(0.2, 1.5))
    # HAVERAGE reads the order statistics either side of (n + 1) p; when the printed quantile is on
    # the value grid, giving both neighbours that value prints it whatever the fraction.
    anchors_at, anchors = [1.0], [min(lowest, q1)]
    for fraction, value in ((0.25, q1), (0.5, median), (0.75, q3)):
        position = haverage_position(fraction, size)
        on_grid = abs(value / problem.step - round(value / problem.step)) < 1e-9
        if on_grid and size >= 4:
            anchors_at += [max(math.floor(position), 1), min(math.ceil(position), size) + 1e-6]
            anchors += [value, value]
        else:
            anchors_at.append(position)
            anchors.append(value)
    anchors_at.append(size + 2e-6)
    anchors.append(max(highest, q3))
    values = np.interp(np.arange(1, size + 1), anchors_at, np.maximum.accumulate(anchors))
    return np.sort(_snap(values, problem))


def _band_violations(a: np.ndarray, b: np.ndarray, bands) -> int:
    return sum(
        abs(int(((a >= low) & (a < high)).sum()) - count_a) + abs(int(((b >= low) & (b < high)).sum()) - count_b)
        for low, high, count_a, count_b in bands
    )


def _pair_violations(a: np.ndarray, b: np.ndarray, window: float | None) -> int:
    if window is None or a.size != b.size:
        return 0
    return int((np.abs(np.sort(a) - np.sort(b)) > window + 1e-9).sum())


def _directed_move(values: np.ndarray, problem: RowProblem, group: str, rng: np.random.Generator) -> np.ndarray:
    """Move the mean, then the SD, of one group towards its printed value by one step."""
    target_mean = float(problem.targets.get((group, "mean"), "nan"))
    target_sd = float(problem.targets.get((group, "sd"), "nan"))
    mean, sd = values.mean(), values.std(ddof=1)
    step = problem.step
    if not math.isnan(target_mean) and abs(mean - target_mean) > step / (2 * values.size):
        index = int(rng.integers(values.size))
        values[index] += step * np.sign(target_mean - mean)
    elif not math.isnan(target_sd) and values.size > 1:
        above = np.flatnonzero(values > mean)
        below = np.flatnonzero(values < mean)
        if above.size and below.size:
            direction = np.sign(target_sd - sd)
            values[int(rng.choice(above))] += step * direction
            values[int(rng.choice(below))] -= step * direction
    return values


def _band_start(problem: RowProblem, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    vectors = []
    for position in (2, 3):
        values = [
            rng.uniform(max(low, problem.low), min(high, problem.high), int(band[position]))
            for band in problem.bands
            for low, high in [band[:2]]
        ]
        vectors.append(_snap(np.concatenate(values), problem))
    return vectors[0], vectors[1]


@dataclass
class RowSolution:
    """The vectors found, and how many printed numbers of the row they reproduce."""

    anakinra: np.ndarray
    control: np.ndarray
    matched: int
    total: int
    iterations: int = 0
    missed: list = field(default_factory=list)


def solve_row(problem: RowProblem, rng: np.random.Generator, max_iterations: int = 6000) -> RowSolution:
    """Local search for one row; stops as soon as every printed number of the row matches."""
    scales = _scales(problem)
    a = initial_vector(problem, "anakinra", problem.available[0], rng)
    b = a.copy() if problem.copy_anakinra_to_control else initial_vector(problem, "control", problem.available[1], rng)

    def evaluate(a, b):
        matched, distance = score(row_statistics(a, b, problem.kind, problem.test), problem.targets, scales)
        violations = _pair_violations(a, b, problem.pair_window) + _band_violations(a, b, problem.bands)
        return (matched - 100 * violations, -distance - violations)

    if problem.bands:
        a, b = _band_start(problem, rng)
    best = evaluate(a, b)
    total = len(problem.targets)
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        if best[0] == total:
            break
        if not problem.copy_anakinra_to_control and a.size and b.size and rng.random() < 0.15:
            # swap one value between the groups: the pooled values, and so the overall summary, stay the same
            new_a, new_b = a.copy(), b.copy()
            i, j = int(rng.integers(a.size)), int(rng.integers(b.size))
            new_a[i], new_b[j] = b[j], a[i]
            candidate = evaluate(new_a, new_b)
            if candidate >= best:
                a, b, best = new_a, new_b, candidate
            continue
        vectors = [a] if problem.copy_anakinra_to_control else [a, b]
        which = int(rng.integers(len(vectors)))
        target = vectors[which]
        if target.size == 0:
            continue
        index = int(rng.integers(target.size))
        trial = target.copy()
        move = rng.random()
        group = "anakinra" if which == 0 else "control"
        if problem.kind == "mean_sd" and move < 0.4:
            trial = _directed_move(trial, problem, group, rng)
            move = 2.0  # skip the undirected moves below
        shift = problem.step * rng.choice([-3, -2, -1, 1, 2, 3])
        if move < 0.4 and target.size > 1:  # transfer: keeps the sum, and so the mean
            other = int(rng.integers(target.size - 1))
            other += other >= index
            trial[index] += shift
            trial[other] -= shift
        elif move < 0.5:
            trial[index] = rng.uniform(problem.low, problem.high)
        elif move < 0.55:  # proportional nudge, for values spanning orders of magnitude
            trial[index] *= rng.uniform(0.9, 1.1)
        elif move < 0.7:  # tie with a value of either group: ties move rank-test P-values in small steps
            pooled = np.concatenate([a, b])
            trial[index] = pooled[int(rng.integers(pooled.size))]
        elif move <= 1.0:
            trial[index] += shift
        trial = _snap(trial, problem)
        new_a, new_b = (trial, b) if which == 0 else (a, trial)
        if problem.copy_anakinra_to_control:
            new_b = new_a.copy()
        candidate = evaluate(new_a, new_b)
        temperature = 0.02 * (1 - iteration / max_iterations)
        worse_by = best[1] - candidate[1]
        if candidate >= best or (
            candidate[0] == best[0] and temperature > 0 and rng.random() < math.exp(-worse_by / temperature)
        ):
            a, b, best = new_a, new_b, candidate
    found = row_statistics(a, b, problem.kind, problem.test)
    if _pair_violations(a, b, problem.pair_window) or _band_violations(a, b, problem.bands):
        raise RuntimeError(f"{problem.variable}: no solution respects the pairing windows or bands")
    missed = [key for key, printed in problem.targets.items() if not prints_as(printed, found.get(key, math.nan))]
    return RowSolution(a, b, total - len(missed), total, iteration, missed)


def solve_row_with_restarts(
    problem: RowProblem, rng: np.random.Generator, restarts: int = 3, max_iterations: int = 5000
) -> RowSolution:
    """Run :func:`solve_row` from fresh starts until every printed number matches; keep the best."""
    best = solve_row(problem, rng, max_iterations)
    for _ in range(restarts - 1):
        if best.matched == best.total:
            break
        solution = solve_row(problem, rng, max_iterations)
        if solution.matched > best.matched:
            best = solution
    return best

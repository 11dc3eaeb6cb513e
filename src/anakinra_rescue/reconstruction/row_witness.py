"""Witness values for the median rows whose printed P only a tie-heavy sample reaches.

The local search of :mod:`anakinra_rescue.reconstruction.solver` moves one value at a time, so it rarely builds the
large groups of equal values that some printed P-values need: the asymptotic Mann-Whitney P of a row depends on U
and on the tie term, and for symptom onset (0.771) the tie term must come from groups of a dozen equal day
counts. :func:`anchored_search` draws whole samples instead: each printed quartile is pinned by the two order
statistics around its HAVERAGE position (x + f (y - x) prints as the quartile), and the values between the pins
are drawn from a few values only, so that ties are common. A quartile no integer sample can print (the NEWS Q3
7.7) is pinned at the nearest value one can.

Symptom onset's 0.771 needs U exactly 10.5 from its mean and a tie term of 2,730-3,604 (groups of a dozen equal
day counts); the draws never found values that also print the pooled quartiles of the Results, so its witness
comes from :func:`tie_search`, a local search from a start built by hand (``TIE_STARTS``). The respiratory
rate's Mann-Whitney P (a mean row whose label says median) is found by the row search itself from a fixed
seed, kept here so that the reconstruction's own random stream need not find it again. The searches are seeded
but can take minutes, so their results are kept in ``row_witnesses.csv`` (regenerate with
``python -m anakinra_rescue.reconstruction.row_witness``); the reconstruction reads that file for a row its own
search misses when the row's configured test is the witness's, and the certificates carry the others. Pinned by
``tests/test_row_witness.py``.
"""

import csv
import math
import sys
from pathlib import Path

import numpy as np

from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.printed import haverage_position
from anakinra_rescue.reconstruction.solver import RowProblem, row_statistics, solve_row_with_restarts

WITNESS_FILE = Path(__file__).with_name("row_witnesses.csv")
QUARTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}
COMPARED = ("anakinra", "control")
# The respiratory rate is a mean row, solved by the row search; symptom onset by :func:`tie_search` from TIE_STARTS.
WITNESS_SEEDS = {"respiratory_rate_rpm": 2, "news_score": 1, "d_dimer_ng_ml": 1, "symptom_onset_to_day0_days": 1}
# Symptom onset's start, built by hand: each printed quartile on its two order statistics (anakinra 13, 16, 25;
# control 12, 16 and 18 + 0.75 x (24 - 18) = 22.5), a group of 13 equal day counts at the shared median 16 (about
# the tie term the printed P needs), and tails chosen so that the Results' pooled quartiles (12, 16, 24) hold; the
# search then moves one value at a time.
TIE_STARTS = {
    "symptom_onset_to_day0_days": (
        [10, 10, 10, 10, 13, 13, 16, 16, 16, 16, 16, 16, 16, 16, 25, 25, 30, 30, 30, 30],
        [8, 8, 12, 12, 12, 12, 12, 12, 12, 16, 16, 16, 16, 16, 18, 24, 24, 28, 28, 28],
    )
}
MAX_DRAWS = 2_000_000


def pin_pairs(printed: str, fraction: float, problem: RowProblem) -> list[tuple[float, float]]:
    """The (x, y) on the row's value grid with x <= y and x + fraction (y - x) printing as ``printed``."""
    target, step = float(printed), problem.step
    if fraction == 0:
        x = round(target / step) * step
        return [(x, x)] if prints_as(printed, x) else []
    found = []
    for gap in range(0, 60):
        x = round((target - fraction * gap * step) / step) * step
        y = x + gap * step
        if problem.low <= x <= y <= problem.high and prints_as(printed, x + fraction * (y - x)):
            found.append((x, y))
    return found


def _nearest_pin(target: float, fraction: float, problem: RowProblem) -> tuple[float, float]:
    """For a quartile no sample prints (the NEWS Q3 7.7): the pin pair whose quartile is nearest to it."""
    base = round(target / problem.step)
    pairs = [((base + shift) * problem.step, (base + shift + gap) * problem.step) for shift in range(-4, 5) for gap in range(4)]
    return min(pairs, key=lambda pair: (abs(pair[0] + fraction * (pair[1] - pair[0]) - target), pair))


def _draw(problem: RowProblem, group: str, size: int, rng: np.random.Generator) -> np.ndarray | None:
    pins: dict[int, float] = {}
    for name, fraction in QUARTILES.items():
        position = haverage_position(fraction, size)
        below = max(int(math.floor(position)), 1)
        printed = problem.targets[(group, name)]
        fraction = position - math.floor(position)
        pairs = pin_pairs(printed, fraction, problem) or [_nearest_pin(float(printed), fraction, problem)]
        x, y = pairs[min(int(rng.geometric(0.5)) - 1, len(pairs) - 1)]
        pins[below], pins[min(below + 1, size)] = x, y
    values = np.full(size, np.nan)
    for position, value in pins.items():
        values[position - 1] = value
    if np.any(np.diff(values[~np.isnan(values)]) < 0):
        return None
    start = 0
    while start < size:
        if not np.isnan(values[start]):
            start += 1
            continue
        end = start
        while end < size and np.isnan(values[end]):
            end += 1
        spread = (problem.high - problem.low) * rng.uniform(0.02, 0.3)
        low = values[start - 1] if start > 0 else max(problem.low, values[end] - spread)
        high = values[end] if end < size else min(problem.high, values[start - 1] + spread)
        extra = rng.uniform(low, high, int(rng.integers(0, 3)) if rng.random() < 0.4 else 0)
        choices = np.unique(np.round(np.concatenate([[low, high], extra]) / problem.step) * problem.step)
        weights = rng.dirichlet(np.full(len(choices), 0.3))
        values[start:end] = np.sort(rng.choice(choices, end - start, p=weights))
        start = end
    return np.sort(values)


def anchored_search(
    problem: RowProblem, rng: np.random.Generator, draws: int = MAX_DRAWS
) -> tuple[np.ndarray, np.ndarray] | None:
    """Two groups' values printing every attainable number of the row (quartiles pinned, P with the row's test),
    or None after ``draws`` samples."""
    attainable = {
        key: text
        for key, text in problem.targets.items()
        if key[0] == "comparison" or key[0] == "overall" or pin_pairs(text, _fraction(problem, key), problem)
    }
    for _ in range(draws):
        a = _draw(problem, "anakinra", problem.available[0], rng)
        b = _draw(problem, "control", problem.available[1], rng)
        if a is None or b is None:
            continue
        found = row_statistics(a, b, problem.kind, problem.test)
        if all(prints_as(text, found.get(key, math.nan)) for key, text in attainable.items()):
            return a, b
    return None


def _pinned_start(problem: RowProblem, group: str, size: int) -> np.ndarray:
    """Every value on a pin: each quartile's two order statistics on the nearest pin pair, and the values between
    pins equal to the pin below (the lowest ones to the first pin): a start made of large groups of equal values."""
    pins: dict[int, float] = {}
    for name, fraction in QUARTILES.items():
        position = haverage_position(fraction, size)
        below, part = max(int(math.floor(position)), 1), position - math.floor(position)
        pairs = pin_pairs(problem.targets[(group, name)], part, problem) or [
            _nearest_pin(float(problem.targets[(group, name)]), part, problem)
        ]
        pins[below], pins[min(below + 1, size)] = pairs[0]
    values, current = np.empty(size), pins[min(pins)]
    for position in range(1, size + 1):
        current = pins.get(position, current)
        values[position - 1] = current
    return np.maximum.accumulate(values)


def tie_search(
    problem: RowProblem, rng: np.random.Generator, restarts: int = 200, iterations: int = 4000, starts: list | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """A local search from :func:`_pinned_start`: one value at a time moves to a neighbour's value (a tie) or by one
    step, staying between its neighbours; a move is kept when no printed number is lost and the P comes no further
    from the printed one (and now and then when only the P worsens). Restarts from the same start."""
    attainable = {
        key: text
        for key, text in problem.targets.items()
        if key[0] not in COMPARED or pin_pairs(text, _fraction(problem, key), problem)
    }
    target = float(problem.targets[("comparison", "p_value")])

    def score(a, b):
        found = row_statistics(a, b, problem.kind, problem.test)
        return sum(prints_as(text, found.get(key, math.nan)) for key, text in attainable.items()), -abs(
            found[("comparison", "p_value")] - target
        )

    if starts is None:
        starts = [_pinned_start(problem, group, size) for group, size in zip(COMPARED, problem.available)]
    starts = [np.sort(np.asarray(start, dtype=float)) for start in starts]
    for _ in range(restarts):
        values = [start.copy() for start in starts]
        best = score(*values)
        for _ in range(iterations):
            if best[0] == len(attainable):
                return values[0], values[1]
            trial = [vector.copy() for vector in values]
            vector = trial[int(rng.integers(2))]
            index = int(rng.integers(vector.size))
            low = vector[index - 1] if index > 0 else problem.low
            high = vector[index + 1] if index < vector.size - 1 else problem.high
            move = rng.random()
            vector[index] = (
                low
                if move < 0.4
                else high
                if move < 0.8
                else min(max(vector[index] + rng.choice([-1, 1]) * problem.step, low), high)
            )
            candidate = score(*trial)
            if candidate >= best or (candidate[0] == best[0] and rng.random() < 0.02):
                values, best = trial, candidate
    return None


def _fraction(problem: RowProblem, key: tuple) -> float:
    size = problem.available[0 if key[0] == "anakinra" else 1]
    position = haverage_position(QUARTILES[key[1]], size)
    return position - math.floor(position)


def read_witnesses(path: Path = WITNESS_FILE) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{variable: (anakinra values, control values)} from ``row_witnesses.csv``."""
    found: dict[str, dict[str, list[float]]] = {}
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["variable"], {"anakinra": [], "control": []})[row["group"]].append(float(row["value"]))
    return {variable: (np.array(groups["anakinra"]), np.array(groups["control"])) for variable, groups in found.items()}


def write_witnesses(problems: dict[str, RowProblem], path: Path = WITNESS_FILE, progress=print) -> Path:
    """Search each row with its seed (:data:`WITNESS_SEEDS`) and write the values found."""
    rows = []
    for variable, seed in WITNESS_SEEDS.items():
        problem, rng = problems[variable], np.random.default_rng(seed)
        if problem.kind == "mean_sd":  # a mean row: the row search, seeded, until it prints the whole row
            solution = solve_row_with_restarts(problem, rng)
            found = (solution.anakinra, solution.control) if solution.matched == solution.total else None
        elif variable in TIE_STARTS:
            found = tie_search(problem, rng, starts=list(TIE_STARTS[variable]))
        else:
            found = anchored_search(problem, rng)
        if found is None:
            progress(f"  {variable}: no witness in {MAX_DRAWS:,} draws")
            continue
        progress(f"  {variable}: found")
        for group, values in zip(("anakinra", "control"), found):
            rows += [(variable, group, f"{value:g}") for value in values]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["variable", "group", "value"])
        writer.writerows(rows)
    return path


def main() -> int:
    import dataclasses

    from anakinra_rescue.data import published
    from anakinra_rescue.data.vocabulary import StatisticalTest
    from anakinra_rescue.engine.config import DEFAULT
    from anakinra_rescue.reconstruction import reconstruct

    record = published.load_published_record()
    record = record.assign(compared_as=published.compared_texts(record))
    overrides = {variable: StatisticalTest.MANN_WHITNEY_ASYMPTOTIC for variable in WITNESS_SEEDS} | dict(DEFAULT.test_overrides)
    config = dataclasses.replace(DEFAULT, test_overrides=tuple(overrides.items()))  # type: ignore[arg-type]
    problems = {
        variable: reconstruct.row_problem(record, variable, reconstruct._availability(record, variable), config)
        for variable in WITNESS_SEEDS
    }
    print(f"wrote {write_witnesses(problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Tests of anakinra_rescue.reconstruction.solver: row search scored with the engine's statistics."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.engine import stats
from anakinra_rescue.engine.comparison import status_of
from anakinra_rescue.reconstruction.solver import RowProblem, initial_vector, row_statistics, solve_row_with_restarts

AGE = RowProblem(
    "age_years",
    "mean_sd",
    {
        ("anakinra", "mean"): "65.3",
        ("anakinra", "sd"): "12.7",
        ("control", "mean"): "65.3",
        ("control", "sd"): "13.3",
        ("comparison", "p_value"): "0.990",
        ("overall", "mean"): "65.3",
        ("overall", "sd"): "12.8",
    },
    (20, 20),
    25,
    95,
    1,
    pair_window=5,
)
CHARLSON = RowProblem(
    "charlson_index",
    "median_iqr",
    {
        ("anakinra", "median"): "4",
        ("anakinra", "q1"): "3",
        ("anakinra", "q3"): "5",
        ("control", "median"): "3",
        ("control", "q1"): "2",
        ("control", "q3"): "5",
        ("comparison", "p_value"): "0.495",
    },
    (20, 20),
    0,
    12,
    1,
    pair_window=2,
)


@pytest.mark.parametrize("problem", [AGE, CHARLSON], ids=["age mean_sd", "charlson median"])
def test_solver_reproduces_article_rows_with_pair_windows(problem):
    solution = solve_row_with_restarts(problem, np.random.default_rng(3))
    assert solution.matched == solution.total, solution.missed
    found = row_statistics(solution.anakinra, solution.control, problem.kind)
    assert all(status_of(printed, found[key]) == "match" for key, printed in problem.targets.items())
    assert (np.abs(np.sort(solution.anakinra) - np.sort(solution.control)) <= problem.pair_window).all()
    assert ((solution.anakinra >= problem.low) & (solution.anakinra <= problem.high)).all()


def test_solver_is_deterministic_for_a_seed():
    first = solve_row_with_restarts(CHARLSON, np.random.default_rng(11))
    second = solve_row_with_restarts(CHARLSON, np.random.default_rng(11))
    assert np.array_equal(first.anakinra, second.anakinra) and np.array_equal(first.control, second.control)


def test_bands_are_respected():
    problem = RowProblem(
        "pao2",
        "mean_sd",
        {("anakinra", "mean"): "150.0"},
        (10, 10),
        40,
        480,
        1,
        bands=((300, 10_000, 1, 0), (100, 300, 4, 5), (0, 100, 5, 5)),
    )
    solution = solve_row_with_restarts(problem, np.random.default_rng(0))
    assert ((solution.anakinra >= 300).sum(), (solution.anakinra < 100).sum()) == (1, 5)
    assert ((solution.control >= 100) & (solution.control < 300)).sum() == 5


@settings(max_examples=30, deadline=None)
@given(q1=st.integers(1, 8), gap_low=st.integers(0, 4), gap_high=st.integers(0, 6), size=st.integers(8, 20))
def test_initial_vector_prints_quartiles_that_are_on_the_grid(q1, gap_low, gap_high, size):
    median, q3 = q1 + gap_low, q1 + gap_low + gap_high
    targets = {("anakinra", "q1"): str(q1), ("anakinra", "median"): str(median), ("anakinra", "q3"): str(q3)}
    problem = RowProblem("x", "median_iqr", targets, (size, size), 0, 40, 1)
    values = initial_vector(problem, "anakinra", size, np.random.default_rng(0))
    assert stats.quartiles(values) == (q1, median, q3)

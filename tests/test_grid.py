"""Tests of anakinra_rescue.reconstruction.grid: the moments step is exhaustive and the values step realises them."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import published
from anakinra_rescue.engine.comparison import status_of
from anakinra_rescue.reconstruction import grid, reconstruct
from anakinra_rescue.reconstruction.solver import row_statistics

RECORD = published.load_published_record()


def _problem(variable):
    return reconstruct.row_problem(RECORD, variable, reconstruct._availability(RECORD, variable))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(8, 25))
def test_values_with_moments_reach_any_realisable_sum_and_square_sum(seed, size):
    """Whatever integers in [0, 60] give (S, Q), the construction finds integers in the same limits with that (S, Q)."""
    data = np.random.default_rng(seed).integers(0, 61, size)
    lows, highs = np.zeros(size, dtype=int), np.full(size, 60)
    found = grid.values_with_moments(int(data.sum()), int((data**2).sum()), lows, highs)
    assert found is not None
    assert found.sum() == data.sum() and (found**2).sum() == (data**2).sum()
    assert ((found >= lows) & (found <= highs)).all()


def test_pao2_fio2_row_and_its_bands_are_solved_on_the_grid():
    """The row the local search missed: means, SDs, P and the four band counts per group all print as published."""
    problem = _problem("pao2_fio2_ratio")
    solution = grid.solve_mean_row(problem)
    assert solution is not None and solution.matched == solution.total == len(problem.targets)
    found = row_statistics(solution.anakinra, solution.control, "mean_sd")
    assert all(status_of(printed, found[key]) == "match" for key, printed in problem.targets.items())
    for low, high, cases, controls in problem.bands:
        assert ((solution.anakinra >= low) & (solution.anakinra < high)).sum() == cases
        assert ((solution.control >= low) & (solution.control < high)).sum() == controls
    assert (solution.anakinra == np.round(solution.anakinra)).all()  # whole mmHg, the variable's grid


def test_respiratory_rate_has_no_grid_solution():
    """Its printed P is out of reach of whole numbers (the proof in fidelity), so the grid finds nothing."""
    assert grid.moment_pairs(_problem("respiratory_rate_rpm")) == []
    assert grid.solve_mean_row(_problem("respiratory_rate_rpm")) is None

"""Tests of anakinra_rescue.data.simulate: random cohorts are valid input, and the same seed gives the same cohort."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import csv_writer, io, simulate


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 60))
def test_a_random_cohort_passes_the_data_contract(tmp_path_factory, seed, size):
    patients, daily = simulate.random_cohort(size, seed=seed)
    folder = tmp_path_factory.mktemp("cohort")
    csv_writer.write_cohort(patients, daily, folder)
    cohort = io.load_cohort(folder)  # raises CohortValidationError on any broken rule
    assert len(cohort.patients) == size and len(cohort.daily_status) == len(daily)
    assert set(cohort.patients["cohort"]) <= {"anakinra", "historical"}


def test_the_same_seed_gives_the_same_cohort_and_another_seed_another():
    first, again, other = (simulate.random_cohort(40, seed=seed) for seed in (7, 7, 8))
    pd.testing.assert_frame_equal(first[0], again[0])
    pd.testing.assert_frame_equal(first[1], again[1])
    assert not first[0].equals(other[0])


def test_without_measurements_the_daily_rows_hold_only_what_matching_reads():
    _, daily = simulate.random_cohort(20, seed=1, with_measurements=False)
    assert set(daily.columns) <= {"patient_id", "date", "ordinal_status"} | {
        name for name in daily.columns if daily[name].isna().all()
    }

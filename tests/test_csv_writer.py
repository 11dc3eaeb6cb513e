"""Tests of anakinra_rescue.data.csv_writer: what it writes, the loader reads back to the same frames and bytes."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import csv_writer, io, simulate


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n_patients=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_random_valid_cohorts_round_trip_and_validate(n_patients, seed, tmp_path_factory):
    patients, daily = simulate.random_cohort(n_patients, seed=seed)
    directory = tmp_path_factory.mktemp("cohort")
    csv_writer.write_cohort(patients, daily, directory)
    cohort = io.load_cohort(directory)
    pd.testing.assert_frame_equal(cohort.patients[patients.columns], patients, check_dtype=False)
    pd.testing.assert_frame_equal(cohort.daily_status[daily.columns], daily, check_dtype=False)
    # Writing the loaded frames again gives the same bytes.
    assert csv_writer.to_csv_text(cohort.patients) == (directory / "patients.csv").read_text(encoding="utf-8")

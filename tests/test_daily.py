"""Tests of anakinra_rescue.reconstruction.daily: plausible status paths and infections."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.reconstruction import daily


@settings(max_examples=300)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=30), st.data())
def test_smooth_path_keeps_fixed_days_and_falls_at_most_two_levels_elsewhere(path, data):
    fixed = set(data.draw(st.lists(st.integers(0, len(path) - 1), max_size=3)))
    smoothed = daily.smooth_path(path, fixed)
    assert [smoothed[index] for index in sorted(fixed)] == [path[index] for index in sorted(fixed)]
    for index in range(1, len(path)):
        fall = smoothed[index - 1] - smoothed[index]
        # a steep fall survives only where both of its days are fixed (a fall from death, 6, is not a recovery)
        if fall > 2 and smoothed[index - 1] < 6:
            assert {index - 1, index} <= fixed, (path, fixed, smoothed)


def test_infections_follow_the_printed_organism_counts_inside_each_stay():
    designed = pd.DataFrame(
        {
            "patient_id": ["A", "B", "C", "D"],
            "had_bacterial_infection": [True, True, False, True],
            "admission_date": pd.to_datetime(["2020-04-01"] * 4),
            "end_date": pd.to_datetime(["2020-04-20", "2020-04-02", "2020-04-10", "2020-04-15"]),
        }
    )
    infections = daily.build_infections(
        designed, {"klebsiella_pneumonia": 2, "catheter_bacteraemia_cons": 1}, np.random.default_rng(1)
    )
    assert sorted(infections["patient_id"]) == ["A", "B", "D"]
    assert (infections["organism"] == "Klebsiella pneumoniae").sum() == 2
    stays = designed.set_index("patient_id")
    assert all(
        stays.loc[row.patient_id, "admission_date"] <= row.date <= stays.loc[row.patient_id, "end_date"]
        for row in infections.itertuples()
    )

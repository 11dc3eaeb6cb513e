"""Tests of anakinra_rescue.reconstruction.trajectories: its rules agree with the engine's outcomes module."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import plausibility, published
from anakinra_rescue.data.cohort_rules import Files
from anakinra_rescue.engine import outcomes
from anakinra_rescue.reconstruction.daily import status_path
from anakinra_rescue.reconstruction.trajectories import (
    constructed_trajectories,
    discharged_in_steps,
    outcome_statistics,
    random_trajectories,
    solve_outcomes,
)

DAY0 = pd.Timestamp("2020-04-10")


def _as_engine_frames(trajectories):
    patients, daily, analysis = [], [], []
    for index in range(trajectories.day0_status.size):
        died = trajectories.death_day[index] >= 0
        fate = trajectories.death_day[index] if died else trajectories.discharge_day[index]
        end = DAY0 + pd.Timedelta(days=int(fate))
        anchors = {
            day: int(values[index])
            for day, values in trajectories.recorded.items()
            if DAY0 + pd.Timedelta(days=day) <= end and not (died and DAY0 + pd.Timedelta(days=day) == end)
        }
        admission = DAY0 - pd.Timedelta(days=2)
        path = status_path(admission, admission, DAY0, end, int(trajectories.day0_status[index]), anchors, died, None)
        patient_id = f"P{index}"
        patients.append((patient_id, pd.NaT if died else end, end if died else pd.NaT))
        daily.append(
            pd.DataFrame(
                {"patient_id": patient_id, "date": pd.date_range(admission, end), "ordinal_status": pd.array(path, dtype="Int64")}
            )
        )
        analysis.append((patient_id, "anakinra", index + 1, DAY0))
    return (
        pd.DataFrame(patients, columns=["patient_id", "discharge_date", "death_date"]),
        pd.concat(daily),
        pd.DataFrame(analysis, columns=["patient_id", "group", "pair_number", "day0_date"]),
    )


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_trajectory_rules_agree_with_derive_outcomes(seed):
    rng = np.random.default_rng(seed)
    trajectories = random_trajectories(rng.choice([3, 4, 5], size=12), rng)
    patients, daily, analysis = _as_engine_frames(trajectories)
    derived = outcomes.derive_outcomes(patients, daily, analysis)
    for day in (7, 14, 21):
        assert list(derived[f"ordinal_status_day{day}"]) == list(trajectories.status_on(day))
        assert list(derived[f"improvement_day{day}"]) == list(trajectories.improved_by(day))
    assert list(derived["mortality_day14"]) == list(trajectories.died_by(14))
    assert list(derived["discharge_day21"]) == list(trajectories.discharged_by(21))
    assert list(derived["in_hospital_mortality"]) == list(trajectories.death_day >= 0)


def test_constructed_start_prints_the_death_and_discharge_counts_and_search_completes_improvement():
    record = published.load_published_record()
    table3 = record[record["source"] == "table3"]
    targets = {(row.variable, row.group, row.statistic): row.value for row in table3.itertuples(index=False)}
    day0 = np.array([3] + [4] * 17 + [5] * 2)
    for group in ("anakinra", "control"):
        trajectories = constructed_trajectories(day0, targets, group, np.random.default_rng(1))
        assert trajectories.died_by(14).sum() == int(targets[("mortality_day14", group, "n")])
        assert trajectories.died_by(21).sum() == int(targets[("mortality_day21", group, "n")])
        assert (trajectories.death_day >= 0).sum() == int(targets[("in_hospital_mortality", group, "n")])
        assert trajectories.discharged_by(21).sum() == int(targets[("discharge_day21", group, "n")])
        for day in (7, 14, 21):
            assert trajectories.improved_by(day).sum() <= int(targets[(f"improvement_day{day}", group, "n")])
    solution = solve_outcomes(day0, day0.copy(), targets, np.random.default_rng(1), iterations=3000)
    binary_rows = ("improvement", "mortality", "discharge", "in_hospital")
    missed_binary = [key for key in solution.missed if key[0].startswith(binary_rows)]
    assert missed_binary == []


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_discharges_move_for_a_step_down_without_changing_table3(seed):
    """discharged_in_steps keeps every Table 3 statistic, and a patient whose discharge could move (no outcome day
    within the four days from it) then meets the two discharge rules of the plausibility module."""
    rng = np.random.default_rng(seed)
    trajectories = random_trajectories(rng.choice([3, 4, 5], size=12), rng)
    moved = discharged_in_steps(trajectories)
    assert outcome_statistics(moved, moved) == outcome_statistics(trajectories, trajectories)
    assert (moved.discharge_day >= trajectories.discharge_day).all()
    patients, daily, _ = _as_engine_frames(moved)
    files = Files("patients.csv", "daily_status.csv")
    rules = (plausibility.step_down_day_before_discharge, plausibility.no_discharge_within_three_days_of_ventilation)
    warned = set()
    for rule in rules:
        for problem in rule(patients, daily.reset_index(drop=True), files):
            row = problem.line - 2
            warned.add(patients["patient_id"].iloc[row] if problem.file == "patients.csv" else daily["patient_id"].iloc[row])
    free = {
        f"P{index}"
        for index, day in enumerate(trajectories.discharge_day)
        if day >= 0 and not any(day <= outcome_day <= day + 4 for outcome_day in (7, 14, 21))
    }
    assert warned.isdisjoint(free), (warned & free, seed)

"""Tests of anakinra_rescue.engine.outcomes on tiny literal frames."""

from dataclasses import replace

import pandas as pd
import pytest

from anakinra_rescue.engine import outcomes
from anakinra_rescue.engine.config import DEFAULT

T = pd.Timestamp
NaT = pd.NaT


def _patients(rows):
    frame = pd.DataFrame(rows, columns=["patient_id", "discharge_date", "death_date"])
    for column in ("discharge_date", "death_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _daily(patient_id, first, statuses, **measurements):
    frame = pd.DataFrame(
        {
            "patient_id": patient_id,
            "date": pd.date_range(first, periods=len(statuses), freq="D"),
            "ordinal_status": pd.array(statuses, dtype="Int64"),
        }
    )
    for column, values in measurements.items():
        frame[column] = values
    return frame


def _analysis(*rows):
    return pd.DataFrame(rows, columns=["patient_id", "group", "pair_number", "day0_date"]).astype({"day0_date": "datetime64[ns]"})


def test_discharge_before_day7_counts_as_improved_and_status_1():
    patients = _patients([("D", T("2020-04-04"), NaT)])
    daily = _daily("D", "2020-04-01", [4, 4, 3, 2])  # day 0 is 2020-04-01
    analysis = _analysis(("D", "anakinra", 1, T("2020-04-01")))
    out = outcomes.derive_outcomes(patients, daily, analysis)
    row = out.iloc[0]
    assert (row["ordinal_status_day0"], row["ordinal_status_day7"], row["ordinal_status_day21"]) == (4, 1, 1)
    assert bool(row["improvement_day7"]) and bool(row["discharge_day21"]) and not bool(row["in_hospital_mortality"])
    assert row["score_difference_day7_day0_minus_dayk"] == 3 and row["score_difference_day7_dayk_minus_day0"] == -3


def test_death_on_day_10_is_status_6_from_then_on():
    patients = _patients([("X", NaT, T("2020-04-11"))])
    daily = _daily("X", "2020-04-01", [4] * 5 + [5] * 5 + [6])
    analysis = _analysis(("X", "control", 1, T("2020-04-01")))
    row = outcomes.derive_outcomes(patients, daily, analysis).iloc[0]
    assert (row["ordinal_status_day7"], row["ordinal_status_day14"], row["ordinal_status_day21"]) == (5, 6, 6)
    assert not bool(row["improvement_day7"]) and not bool(row["improvement_day21"])
    assert bool(row["mortality_day14"]) and bool(row["in_hospital_mortality"])


def test_death_on_day_0():
    patients = _patients([("Z", NaT, T("2020-04-01"))])
    daily = _daily("Z", "2020-04-01", [6])
    row = outcomes.derive_outcomes(patients, daily, _analysis(("Z", "control", 1, T("2020-04-01")))).iloc[0]
    assert row["ordinal_status_day0"] == 6 and row["ordinal_status_day7"] == 6
    assert bool(row["mortality_day14"]) and not bool(row["improvement_day7"])


def test_one_day_stay_discharged_on_day_0():
    patients = _patients([("O", T("2020-04-01"), NaT)])
    daily = _daily("O", "2020-04-01", [2])
    row = outcomes.derive_outcomes(patients, daily, _analysis(("O", "anakinra", 1, T("2020-04-01")))).iloc[0]
    assert row["ordinal_status_day7"] == 1 and bool(row["improvement_day7"]) and bool(row["discharge_day21"])


def test_death_after_discharge_is_not_in_hospital_death():
    patients = _patients([("L", T("2020-04-05"), T("2020-04-12"))])
    daily = _daily("L", "2020-04-01", [4, 4, 3, 3, 2])
    row = outcomes.derive_outcomes(patients, daily, _analysis(("L", "anakinra", 1, T("2020-04-01")))).iloc[0]
    assert (row["ordinal_status_day7"], row["ordinal_status_day14"]) == (1, 6)
    assert bool(row["mortality_day14"]) and not bool(row["in_hospital_mortality"])


def test_censored_patient_has_unknown_status_and_improvement():
    patients = _patients([("C", NaT, NaT)])
    daily = _daily("C", "2020-04-01", [4, 4, 4])
    row = outcomes.derive_outcomes(patients, daily, _analysis(("C", "control", 1, T("2020-04-01")))).iloc[0]
    assert pd.isna(row["ordinal_status_day7"]) and pd.isna(row["improvement_day7"])
    assert not bool(row["mortality_day14"])


def test_improvement_threshold_is_configurable():
    patients = _patients([("I", NaT, NaT)])
    daily = _daily("I", "2020-04-01", [5] * 7 + [4])
    analysis = _analysis(("I", "anakinra", 1, T("2020-04-01")))
    assert bool(outcomes.derive_outcomes(patients, daily, analysis).iloc[0]["improvement_day7"])
    stricter = replace(DEFAULT, improvement_points=2)
    assert not bool(outcomes.derive_outcomes(patients, daily, analysis, stricter).iloc[0]["improvement_day7"])


def test_peaks_and_nadirs_use_days_before_day0_only():
    daily = _daily(
        "P",
        "2020-04-01",
        [4, 4, 4, 4],
        lymphocytes_1e9_per_l=[0.9, 0.3, 0.1, 0.05],
        crp_mg_dl=[5.0, 20.0, 30.0, 40.0],
        ferritin_ng_ml=[None, 800.0, None, 9000.0],
        ldh_u_l=[None, None, None, None],
        d_dimer_ng_ml=[100.0, None, None, None],
    )
    patients = pd.DataFrame(
        {
            "patient_id": ["P"],
            "age_years": [60],
            "charlson_index": [2],
            "ethnicity": ["hispanic"],
            "symptom_onset_date": [T("2020-03-20")],
            "corticosteroid_start_date": [NaT],
            "tocilizumab_start_date": [T("2020-04-01")],
            **{column: [True] for column in outcomes.PATIENT_FLAGS.values()},
        }
    )
    analysis = _analysis(("P", "anakinra", 1, T("2020-04-03")))
    row = outcomes.derive_baseline(patients, daily, analysis).iloc[0]
    assert row["lymphocytes_nadir_1e9_per_l"] == 0.3 and row["crp_peak_mg_dl"] == 20.0
    assert row["ferritin_peak_ng_ml"] == 800.0 and pd.isna(row["ldh_peak_u_l"])
    assert (row["symptom_onset_to_day0_days"], row["tocilizumab_to_day0_days"]) == (14, 2)
    assert pd.isna(row["corticosteroid_to_day0_days"]) and bool(row["ethnicity_hispanic"])
    including = outcomes.derive_baseline(patients, daily, analysis, replace(DEFAULT, baseline_includes_day0=True)).iloc[0]
    assert including["lymphocytes_nadir_1e9_per_l"] == 0.1


@pytest.mark.parametrize(
    ("ratio", "band"),
    [(99.0, "pao2_fio2_lt_100"), (100.0, "pao2_fio2_100_200"), (250.0, "pao2_fio2_200_300"), (300.0, "pao2_fio2_ge_300")],
)
def test_day0_pao2_fio2_bands(ratio, band):
    daily = _daily("B", "2020-04-01", [5], pao2_fio2_ratio=[ratio])
    for column in outcomes.DAY0_MEASUREMENTS:
        if column not in daily:
            daily[column] = float("nan")
    row = outcomes.derive_day0(daily, _analysis(("B", "control", 1, T("2020-04-01")))).iloc[0]
    bands = ["pao2_fio2_lt_100", "pao2_fio2_100_200", "pao2_fio2_200_300", "pao2_fio2_ge_300"]
    assert [bool(row[name]) for name in bands] == [name == band for name in bands]
    assert bool(row["ordinal_status_5"]) and not bool(row["ordinal_status_4"])


def test_analysis_set_gives_controls_their_pseudo_date():
    pairs = pd.DataFrame(
        {"case_id": ["A"], "control_id": ["H"], "day0_date": [T("2020-04-10")], "pseudo_date": [T("2020-03-30")]}
    )
    analysis = outcomes.analysis_set(pairs)
    assert list(analysis["group"]) == ["anakinra", "control"]
    assert list(analysis["day0_date"]) == [T("2020-04-10"), T("2020-03-30")]


def test_infections_are_read_by_site_and_organism_whatever_the_case():
    analysis = pd.DataFrame(
        {
            "patient_id": ["A", "B", "C", "D"],
            "group": ["anakinra", "control"] * 2,
            "pair_number": [1, 1, 2, 2],
            "day0_date": [T("2020-04-10")] * 4,
        }
    )
    infections = pd.DataFrame(
        {
            "patient_id": ["A", "B", "B", "C", "E"],
            "date": [T("2020-04-12")] * 5,
            "site": ["respiratory", "catheter_bloodstream", "respiratory", "urinary", "respiratory"],
            "organism": [
                "KLEBSIELLA PNEUMONIAE",
                "Enterococcus faecalis",
                None,
                "Klebsiella pneumoniae",
                "Klebsiella pneumoniae",
            ],
        }
    )
    frame = outcomes.derive_infections(infections, analysis).set_index("patient_id")
    # C's Klebsiella is urinary, not a pneumonia; E is not analysed; B's unnamed organism counts for nothing.
    assert frame["klebsiella_pneumonia"].tolist() == [True, False, False, False]
    assert frame["catheter_bacteraemia_enterococcus"].tolist() == [False, True, False, False]
    assert not frame["catheter_bacteraemia_cons"].any()

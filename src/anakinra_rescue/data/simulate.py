"""Random cohorts that satisfy the data contract, for property tests and benchmarks.

These cohorts are *not* the reconstruction of the article (see
``anakinra_rescue.reconstruction.reconstruct``): they only have to be valid, varied and quick
to make at registry scale. Everything is drawn from ``numpy.random.default_rng(seed)``.
"""

import numpy as np
import pandas as pd

from anakinra_rescue.schemas.cohort import ADVERSE_EVENT_COLUMNS, COMORBIDITY_COLUMNS, TREATMENT_COLUMNS

START_DATE = np.datetime64("2020-03-01")
MEASUREMENT_RANGES = {
    "temperature_c": (35.5, 40.0, 1),
    "respiratory_rate_rpm": (12, 40, 0),
    "heart_rate_bpm": (50, 140, 0),
    "pao2_fio2_ratio": (50, 450, 0),
    "lymphocytes_1e9_per_l": (0.1, 2.5, 2),
    "crp_mg_dl": (0.1, 40.0, 2),
    "ldh_u_l": (150, 1500, 0),
    "ferritin_ng_ml": (50, 20000, 0),
    "d_dimer_ng_ml": (200, 50000, 0),
}


def _dates(values: np.ndarray) -> pd.Series:
    return pd.Series(values.astype("datetime64[ns]"))


def _flags(rng: np.random.Generator, size: int, probability: float, missing: float) -> pd.Series:
    values = pd.Series(rng.random(size) < probability, dtype="boolean")
    values[rng.random(size) < missing] = pd.NA
    return values


def random_cohort(
    n_patients: int, seed: int = 0, case_fraction: float = 0.2, max_stay_days: int = 30, with_measurements: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A valid (patients, daily_status) pair of ``n_patients`` patients.

    Each stay lasts 1 to ``max_stay_days`` + 6 days; about 30% die in hospital,
    50% are discharged and the rest are still admitted at the end of follow-up.
    ``with_measurements=False`` leaves the vital-sign and laboratory columns out
    of the daily rows (for matching benchmarks at registry scale).
    """
    rng = np.random.default_rng(seed)
    n = n_patients
    is_case = np.zeros(n, dtype=bool)
    is_case[: int(round(n * case_fraction))] = True
    admission = START_DATE + rng.integers(0, 75, n).astype("timedelta64[D]")
    onset = admission - rng.integers(0, 15, n).astype("timedelta64[D]")
    tocilizumab = admission + rng.integers(0, 6, n).astype("timedelta64[D]")
    after_tocilizumab = rng.integers(0, max_stay_days + 1, n)
    after_tocilizumab[is_case] = np.maximum(after_tocilizumab[is_case], 1)
    last_day = tocilizumab + after_tocilizumab.astype("timedelta64[D]")
    fate = rng.random(n)
    died = fate < 0.3
    discharged = (fate >= 0.3) & (fate < 0.8)
    not_a_date = np.datetime64("NaT")
    death = np.where(died, last_day, not_a_date)
    discharge = np.where(discharged, last_day, not_a_date)
    follow_up_end = np.where(died, last_day, last_day + rng.integers(0, 31, n).astype("timedelta64[D]"))
    anakinra = np.where(
        is_case,
        tocilizumab + (1 + rng.integers(0, 10_000, n) % np.maximum(after_tocilizumab, 1)).astype("timedelta64[D]"),
        not_a_date,
    )
    stay_days = (last_day - admission).astype(int)
    steroids = rng.random(n) < 0.7
    steroid_start = np.where(
        steroids, admission + (rng.integers(0, 10_000, n) % (stay_days + 1)).astype("timedelta64[D]"), not_a_date
    )
    width = len(str(n))
    patients = pd.DataFrame(
        {
            "patient_id": [f"P{index:0{width}d}" for index in range(n)],
            "cohort": np.where(is_case, "anakinra", "historical"),
            "symptom_onset_date": _dates(onset),
            "admission_date": _dates(admission),
            "tocilizumab_start_date": _dates(tocilizumab),
            "anakinra_start_date": _dates(anakinra),
            "corticosteroid_start_date": _dates(steroid_start),
            "discharge_date": _dates(discharge),
            "death_date": _dates(death),
            "follow_up_end_date": _dates(follow_up_end),
            "age_years": pd.array(rng.integers(18, 96, n), dtype="Int64"),
            "is_male": pd.array(rng.random(n) < 0.65, dtype="boolean"),
            "ethnicity": pd.Series(rng.choice(["caucasian", "hispanic", "other"], n, p=[0.75, 0.2, 0.05])),
            "charlson_index": pd.array(rng.integers(0, 12, n), dtype="Int64"),
        }
    )
    for column in (*COMORBIDITY_COLUMNS, *ADVERSE_EVENT_COLUMNS):
        patients[column] = _flags(rng, n, 0.3, 0.05)
    for column in TREATMENT_COLUMNS:
        patients[column] = _flags(rng, n, 0.5, 0.02)
    patients.loc[steroids, "received_corticosteroids"] = True
    return patients, _daily_rows(rng, patients, stay_days, died, with_measurements)


def _daily_rows(
    rng: np.random.Generator, patients: pd.DataFrame, stay_days: np.ndarray, died: np.ndarray, with_measurements: bool = True
) -> pd.DataFrame:
    lengths = stay_days + 1
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(patients)), lengths)
    first_row = np.repeat(np.cumsum(lengths) - lengths, lengths)
    day_number = np.arange(total) - first_row
    dates = patients["admission_date"].to_numpy()[owner] + day_number.astype("timedelta64[D]")
    status = np.clip(rng.integers(2, 6, len(patients))[owner] + rng.integers(-1, 2, total), 2, 5)
    is_last = day_number == stay_days[owner]
    status[is_last & died[owner]] = 6
    daily = pd.DataFrame(
        {
            "patient_id": patients["patient_id"].to_numpy()[owner],
            "date": _dates(dates),
            "ordinal_status": pd.array(status, dtype="Int64"),
        }
    )
    if not with_measurements:
        return daily
    for column, (low, high, decimals) in MEASUREMENT_RANGES.items():
        values = np.round(rng.uniform(low, high, total), decimals)
        values[rng.random(total) < 0.4] = np.nan
        daily[column] = values
    for column, high in (("sofa_score", 15), ("news_score", 15)):
        scores = pd.array(rng.integers(0, high, total), dtype="Int64")
        scores[rng.random(total) < 0.5] = pd.NA
        daily[column] = scores
    return daily

"""Daily rows of the reconstructed cohort, and the historical decoys of the matching pool.

Designed patients carry their solved values on the days the engine reads them:
pre-inclusion peaks and nadirs on one day before day 0, day-0 values on day 0,
and the solved ordinal status on days 0, 7, 14 and 21. Other days are filled
with plausible values that cannot change any table (they stay below a peak,
above a nadir, and off the days the outcomes read).

Decoys are historical patients that fail the matching rule for every case, each
in one way: mild disease (status 2, never the cases' status), an early
improvement, an early discharge or death, or an age or Charlson index outside
every case's window. They make matching real work and give the rejection log
every reason.

Infections: each designed patient flagged with a bacterial infection gets one
row of ``infections.csv``, with the organisms the Results name in the counts
they print (:data:`anakinra_rescue.engine.outcomes.INFECTION_ROWS`), dated
inside the stay.
"""

import numpy as np
import pandas as pd

from anakinra_rescue.data import plausibility
from anakinra_rescue.data.plausibility import LABORATORY_RANGES
from anakinra_rescue.data.vocabulary import Level, day_column
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.engine.outcomes import DAY0_MEASUREMENTS, INFECTION_ROWS, NADIRS, PEAKS
from anakinra_rescue.schemas.cohort import ADVERSE_EVENT_COLUMNS, COMORBIDITY_COLUMNS, TREATMENT_COLUMNS

# What the engine reads on which days (engine.outcomes): the reconstruction writes exactly those measurements there.
PEAK_COLUMNS, NADIR_COLUMNS, DAY0_COLUMNS = PEAKS, NADIRS, DAY0_MEASUREMENTS
# Plausible ranges for days whose values no table reads: (low, high, decimals, chance measured that day).
ROUTINE = {
    "temperature_c": (36.0, 38.6, 1, 0.9),
    "respiratory_rate_rpm": (14, 32, 0, 0.9),
    "heart_rate_bpm": (60, 115, 0, 0.9),
    "pao2_fio2_ratio": (90, 320, 0, 0.6),
    "lymphocytes_1e9_per_l": (0.3, 1.6, 2, 0.4),
    "crp_mg_dl": (0.3, 15, 2, 0.4),
    "ldh_u_l": (220, 650, 0, 0.3),
    "ferritin_ng_ml": (300, 2500, 0, 0.2),
    "d_dimer_ng_ml": (400, 6000, 0, 0.25),
    "sofa_score": (1, 6, 0, 0.3),
    "news_score": (2, 8, 0, 0.5),
}


# Measurements that follow the day's respiratory support: (low, high) per ordinal level, so that a day
# without oxygen has a PaO2:FiO2 a patient could breathe room air with, and ventilation comes with organ failure
# (the plausibility rules of anakinra_rescue.data.plausibility).
BY_STATUS = {
    "pao2_fio2_ratio": {1: (300, 450), 2: (260, 420), 3: (160, 320), 4: (90, 220), 5: (70, 200), 6: (60, 150)},
    "sofa_score": {1: (0, 2), 2: (0, 3), 3: (1, 4), 4: (2, 6), 5: (4, 10), 6: (6, 12)},
    "news_score": {1: (0, 3), 2: (1, 5), 3: (3, 7), 4: (5, 9), 5: (7, 12), 6: (8, 14)},
}
SCORES = ("sofa_score", "news_score")
INFLAMMATION_ON_TOCILIZUMAB_DAY = ("crp_mg_dl", 10.0, 25.0)  # a decoy meets the article's criterion when treated


def _routine_value(rng, column, status=None):
    low, high, decimals, _ = ROUTINE[column]
    if column in BY_STATUS and status is not None:
        low, high = BY_STATUS[column][int(status)]
    return round(float(rng.uniform(low, high)), decimals)


def _routine_columns(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Fill every measurement with a routine value on the days it is taken, following each day's status."""
    for column in DAY0_COLUMNS:
        chance = ROUTINE[column][3]
        frame[column] = [
            (_routine_value(rng, column, status) if rng.random() < chance else np.nan) for status in frame["ordinal_status"]
        ]


def smooth_path(path: list[int], fixed: set[int]) -> list[int]:
    """The path with no improvement of more than 2 levels from one day to the next, changing only days not ``fixed``.

    A day before a steep fall is lowered (walking back from the end), then a day after a fixed steep fall is
    raised; a discharge day can so become level 3, which the plausibility rules allow.
    """
    path = list(path)
    for index in range(len(path) - 2, -1, -1):
        if index not in fixed and path[index] > path[index + 1] + 2 and path[index] < 6:
            path[index] = path[index + 1] + 2
    for index in range(1, len(path)):
        if index not in fixed and path[index] < path[index - 1] - 2 and path[index - 1] < 6:
            path[index] = path[index - 1] - 2
    return path


# The highest status on the days before a discharge, last day first: home at 2 or below, the day before at most
# low-flow oxygen (step_down_day_before_discharge), and the last day on a ventilator at least 4 days before
# (no_discharge_within_three_days_of_ventilation); 4 allows that fall without a jump of 3 levels.
DISCHARGE_CAPS = (2, 3, 3, 4)


def step_down_before_home(path: list[int], fixed: set[int]) -> list[int]:
    """The path of a patient discharged alive on its last day, with the days before it capped by DISCHARGE_CAPS.

    Only days not ``fixed`` change; a fixed day above its cap is left as it is (the trajectory search keeps such
    fates out: :func:`anakinra_rescue.reconstruction.trajectories.discharged_in_steps`).
    """
    path = list(path)
    for back, cap in enumerate(DISCHARGE_CAPS, start=1):
        index = len(path) - back
        if index >= 0 and index not in fixed and path[index] > cap:
            path[index] = cap
    return path


def status_path(admission, tocilizumab, day0, end, day0_status, anchors, died, rng) -> list[int]:
    """Ordinal status for each day from admission to the end of stay.

    Before tocilizumab the patient is on low-flow or the day-0 level, whichever is lower; from
    tocilizumab to day 0 the status stays at the day-0 level (no improvement, as both
    the treatment rule and the matching rule require); after day 0 it holds each
    anchor (days 7, 14, 21) from the day after the previous one; the last day is 6 for a
    death and at most 2 for a discharge.
    """
    days = (end - admission).days + 1
    path = []
    points = sorted((day0 + pd.Timedelta(days=day), status) for day, status in anchors.items())
    for offset in range(days):
        date = admission + pd.Timedelta(days=offset)
        if date < tocilizumab:
            status = min(day0_status, 3)
        elif date <= day0:
            status = day0_status
        else:
            status = next((value for when, value in points if when >= date), points[-1][1] if points else day0_status)
        path.append(int(status))
    if died:
        path[-1] = 6
        path[:-1] = [min(value, 5) for value in path[:-1]]
    day0_index = (day0 - admission).days
    anchor_indexes = {(when - admission).days for when, _ in points}
    fixed = set(range(day0_index + 1)) | anchor_indexes
    if not died:
        path = step_down_before_home(path, fixed - {days - 1})
    return smooth_path(path, fixed | ({days - 1} if died else set()))


def build_daily_rows(patient, rng: np.random.Generator) -> pd.DataFrame:
    """Daily rows of one designed patient (a row of the designed frame with dates filled in)."""
    anchors = {}
    for day in DEFAULT.outcome_days:
        date = patient.day0_date + pd.Timedelta(days=day)
        if date <= patient.end_date and not (patient.died and date == patient.end_date):
            anchors[day] = int(getattr(patient, day_column("status", day)))
    path = status_path(
        patient.admission_date,
        patient.tocilizumab_start_date,
        patient.day0_date,
        patient.end_date,
        int(patient.day0_status),
        anchors,
        bool(patient.died),
        rng,
    )
    dates = pd.date_range(patient.admission_date, patient.end_date, freq="D")
    frame = pd.DataFrame({"patient_id": patient.patient_id, "date": dates, "ordinal_status": path})
    before = dates < patient.day0_date
    after = dates > patient.day0_date
    _routine_columns(frame, rng)
    # The peak falls on a day up to the first tocilizumab dose when there is one (the treatment's criterion).
    peak_days = frame.index[before & (dates <= patient.tocilizumab_start_date)]
    peak_days = peak_days if len(peak_days) else frame.index[before]
    for peak, column in PEAK_COLUMNS.items():
        value = getattr(patient, peak)
        floor = LABORATORY_RANGES[column][0]
        lower = [
            round(max(value * rng.uniform(0.4, 0.95), floor), ROUTINE[column][2])
            if (not np.isnan(value) and rng.random() < 0.5)
            else np.nan
            for _ in range(int(before.sum()))
        ]
        frame.loc[before, column] = np.minimum(lower, value) if not np.isnan(value) else lower
        if not np.isnan(value):
            frame.loc[peak_days[int(rng.integers(len(peak_days)))], column] = value
    for nadir, column in NADIR_COLUMNS.items():
        value = getattr(patient, nadir)
        higher = [
            round(min(value * rng.uniform(1.1, 3.0), 3.0), 2) if rng.random() < 0.6 else np.nan for _ in range(int(before.sum()))
        ]
        frame.loc[before, column] = higher
        if not np.isnan(value):
            frame.loc[frame.index[before][int(rng.integers(before.sum()))], column] = value
    day0 = dates == patient.day0_date
    for column in DAY0_COLUMNS:
        frame.loc[day0, column] = getattr(patient, column)
    # Scores on the days beside day 0 stay within 2 points of it, so that day 0 is never a one-day spike.
    beside = frame.index[
        (dates == patient.day0_date - pd.Timedelta(days=1)) | (dates == patient.day0_date + pd.Timedelta(days=1))
    ]
    for column in SCORES:
        value = getattr(patient, column)
        if not np.isnan(value):
            frame.loc[beside, column] = [
                max(value - int(rng.integers(0, 3)), BY_STATUS[column][int(status)][0])
                for status in frame.loc[beside, "ordinal_status"]
            ]
    frame.loc[after & (frame["ordinal_status"] == Level.DEATH), ["pao2_fio2_ratio"]] = np.nan
    return scores_at_least_their_components(frame)


def scores_at_least_their_components(frame: pd.DataFrame) -> pd.DataFrame:
    """Raise each recorded NEWS to the NEWS2 points of its own day's components, and each SOFA to its respiratory
    points (the plausibility rules news2_at_least_its_components and sofa_at_least_its_respiratory_points).

    The day-0 scores of the designed patients already meet both (reconstruct assigns them so), so no value a
    table reads changes."""
    for column, floor in (
        ("news_score", plausibility.news2_points(frame)),
        ("sofa_score", plausibility.sofa_respiratory_points(frame)),
    ):
        frame[column] = frame[column].where(frame[column].isna() | (frame[column] >= floor), floor.astype(float))
    return frame


DECOY_KINDS = ("mild", "early_improvement", "early_discharge", "early_death", "age_outside", "charlson_outside")


def build_decoys(
    count: int, cases: pd.DataFrame, rng: np.random.Generator, window: tuple[pd.Timestamp, pd.Timestamp]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``count`` historical patients that no case can select, with their daily rows; tocilizumab inside ``window``."""
    ages = set(cases["age_years"].astype(int))
    outside_ages = [age for age in range(30, 96) if all(abs(age - other) > 5 for other in ages)]
    top_charlson = int(cases["charlson_index"].max()) + 3
    window_days = (window[1] - window[0]).days
    patients, daily = [], []
    for index in range(count):
        kind = DECOY_KINDS[index % len(DECOY_KINDS)]
        if kind == "age_outside" and not outside_ages:
            kind = "mild"
        tocilizumab = window[0] + pd.Timedelta(days=int(rng.integers(0, window_days + 1)))
        admission = tocilizumab - pd.Timedelta(days=int(rng.integers(0, 4)))
        onset = admission - pd.Timedelta(days=int(rng.integers(2, 11)))
        stay_after = 1 if kind in ("early_discharge", "early_death") else int(rng.integers(6, 30))
        end = tocilizumab + pd.Timedelta(days=stay_after)
        level = int(rng.choice([3, 4, 5], p=[0.2, 0.65, 0.15]))
        days = (end - admission).days + 1
        if kind == "mild":
            path = [2] * days
        elif kind == "early_improvement":
            path = [level] * ((tocilizumab - admission).days + 1)
            path += [max(level - 1, 2)] * (days - len(path))
        else:
            path = [level] * days
        died = kind == "early_death" or (kind not in ("mild", "early_discharge") and rng.random() < 0.3)
        treated = set(range((tocilizumab - admission).days + 1))
        if died:
            path[-1] = 6
        elif kind == "early_discharge":  # home the day after tocilizumab, so from low-flow oxygen at most
            path = [min(value, int(Level.LOW_FLOW_OXYGEN)) for value in path[:-1]] + [2]
        else:
            path = step_down_before_home(path, treated)
        path = smooth_path(path, treated | ({days - 1} if died else set()))
        patient = {
            "cohort": "historical",
            "symptom_onset_date": onset,
            "admission_date": admission,
            "tocilizumab_start_date": tocilizumab,
            "anakinra_start_date": pd.NaT,
            "discharge_date": pd.NaT if died else end,
            "death_date": end if died else pd.NaT,
            "follow_up_end_date": end if died else end + pd.Timedelta(days=int(rng.integers(0, 60))),
            "age_years": int(rng.choice(outside_ages)) if kind == "age_outside" else int(np.clip(rng.normal(66, 13), 25, 95)),
            "is_male": bool(rng.random() < 0.62),
            "ethnicity": str(rng.choice(["caucasian", "hispanic", "other"], p=[0.75, 0.2, 0.05])),
            "charlson_index": int(rng.integers(top_charlson, top_charlson + 4))
            if kind == "charlson_outside"
            else int(rng.integers(0, 8)),
            "decoy_kind": kind,
        }
        for column, chance in {
            **dict.fromkeys(COMORBIDITY_COLUMNS, 0.3),
            **dict.fromkeys(TREATMENT_COLUMNS, 0.55),
            **dict.fromkeys(ADVERSE_EVENT_COLUMNS, 0.15),
        }.items():
            patient[column] = bool(rng.random() < chance)
        # no index below the points of the decoy's own comorbidities (charlson_at_least_its_comorbidities)
        patient["charlson_index"] = max(patient["charlson_index"], int(plausibility.charlson_points(pd.DataFrame([patient]))[0]))
        steroids = rng.random() < 0.7
        patient["received_corticosteroids"] = bool(steroids)
        patient["corticosteroid_start_date"] = admission + pd.Timedelta(days=int(rng.integers(0, days))) if steroids else pd.NaT
        patients.append(patient)
        dates = pd.date_range(admission, end, freq="D")
        frame = pd.DataFrame({"date": dates, "ordinal_status": path, "decoy_index": index})
        _routine_columns(frame, rng)
        column, low, high = INFLAMMATION_ON_TOCILIZUMAB_DAY
        frame.loc[frame["date"] == tocilizumab, column] = round(float(rng.uniform(low, high)), ROUTINE[column][2])
        daily.append(scores_at_least_their_components(frame))
    return pd.DataFrame(patients), pd.concat(daily, ignore_index=True)


def build_infections(designed: pd.DataFrame, organism_counts: dict[str, int], rng: np.random.Generator) -> pd.DataFrame:
    """One infections.csv row per infected designed patient, with the organisms the Results name.

    ``organism_counts`` maps each row of :data:`INFECTION_ROWS` to the number of patients the Results give
    it; their sum must equal the designed patients flagged ``had_bacterial_infection``. The date is at least
    two days into the stay (a nosocomial infection) and not after its end.
    """
    infected = designed[designed["had_bacterial_infection"].astype("boolean").fillna(False).astype(bool)]
    if sum(organism_counts.values()) != len(infected):
        raise ValueError(f"the organisms name {sum(organism_counts.values())} patients but {len(infected)} are infected")
    order = infected.iloc[rng.permutation(len(infected))]
    named = [name for name, count in organism_counts.items() for _ in range(count)]
    rows = []
    for patient, name in zip(order.itertuples(index=False), named):
        site, organism = INFECTION_ROWS[name]
        stay_days = int((patient.end_date - patient.admission_date).days)
        offset = int(rng.integers(min(2, stay_days), stay_days + 1))
        rows.append((patient.patient_id, patient.admission_date + pd.Timedelta(days=offset), site, organism))
    infections = pd.DataFrame(rows, columns=["patient_id", "date", "site", "organism"])
    infections["date"] = pd.to_datetime(infections["date"]).astype("datetime64[ns]")
    return infections.sort_values(["patient_id", "date"]).reset_index(drop=True)

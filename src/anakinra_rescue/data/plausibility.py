"""Clinical plausibility of a valid cohort: warnings, never errors.

A file can meet every rule of the data contract and still describe a patient no
clinician would recognise: discharged home from a ventilator, breathing room air
with a PaO2:FiO2 of 120. ``python -m anakinra_rescue validate DIR --plausibility``
prints these findings as warnings, located like the contract's problems (file,
line, column, value, rule), and still exits 0: a hospital's real data may hold
a true exception, which the warning asks a person to look at.

Each rule is a plain function ``(patients, daily, files) -> list[Problem]``. Its
docstring's first line states the rule; :data:`SOURCES` names where its threshold
comes from. The committed reconstruction has no warning (pinned by
``tests/test_plausibility.py``), and ``data/reconstructed/README.md`` lists the
rules with their sources.
"""

import numpy as np
import pandas as pd

from anakinra_rescue.data.cohort_rules import Files, _each, _with_patient, run_rules
from anakinra_rescue.data.problems import Problem, located_problems
from anakinra_rescue.data.vocabulary import Level

LOW_FLOW_OXYGEN = 3  # highest ordinal level from which patients are discharged
ROOM_AIR = Level.HOSPITALISED_NO_OXYGEN
INVASIVE_VENTILATION = Level.INVASIVE_VENTILATION
MAX_ONE_DAY_IMPROVEMENT_LEVELS = 2
MIN_PAO2_FIO2_ON_ROOM_AIR = 200.0  # FiO2 0.21: a ratio of 200 is a PaO2 of 42 mmHg
MIN_SOFA_ON_VENTILATION = 3
MAX_ONSET_BEFORE_ADMISSION_DAYS = 21
MAX_ONE_DAY_SPIKE_POINTS = {"sofa_score": 6, "news_score": 6}
MIN_DAYS_FROM_VENTILATION_TO_DISCHARGE = 4  # the last day on a ventilator is at least 4 days before going home
# NEWS2 (Royal College of Physicians 2017): points of each recorded component, as (upper bound inclusive, points)
# bands; a value above the last bound takes the final points. Oxygen (levels 3-5) adds 2 points.
NEWS2_BANDS = {
    "respiratory_rate_rpm": ((8, 3), (11, 1), (20, 0), (24, 2), (np.inf, 3)),
    "temperature_c": ((35.0, 3), (36.0, 1), (38.0, 0), (39.0, 1), (np.inf, 2)),
    "heart_rate_bpm": ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2), (np.inf, 3)),
}
NEWS2_OXYGEN_POINTS = 2
ON_OXYGEN = (Level.LOW_FLOW_OXYGEN, Level.HIGH_FLOW_OR_NONINVASIVE, Level.INVASIVE_VENTILATION)
# Charlson (1987): each of these flags is an item worth at least 1 point. Cardiovascular disease as the article
# defines it includes hypertension, which scores nothing; obesity, smoking and immunosuppression are not items.
CHARLSON_ITEMS = ("has_diabetes", "has_chronic_lung_disease", "has_chronic_kidney_disease", "has_chronic_liver_disease")
# The article's criteria of hyperinflammation for tocilizumab: CRP >= 10 mg/dL, ferritin >= 500 ng/mL, D-dimer >= 1500 ng/mL.
INFLAMMATORY_CRITERIA = {"crp_mg_dl": 10.0, "ferritin_ng_ml": 500.0, "d_dimer_ng_ml": 1500.0}
# Wide limits around adult reference intervals, for patients admitted with COVID-19 pneumonia.
LABORATORY_RANGES = {
    "lymphocytes_1e9_per_l": (0.01, 10.0),
    "crp_mg_dl": (0.05, 60.0),
    "ldh_u_l": (100.0, 5000.0),
    "ferritin_ng_ml": (50.0, 100000.0),
    "d_dimer_ng_ml": (100.0, 100000.0),
}

SOURCES = {
    "step_down_before_discharge": "Discharge criteria of the Spanish Ministry of Health COVID-19 protocol (2020) and of "
    "WHO's clinical management guidance (2020): patients leave hospital off high-flow oxygen and ventilation; "
    "at most low-flow oxygen (level 3) on the day of discharge.",
    "no_jump_of_three_levels_in_a_day": "Weaning from invasive ventilation passes through extubation to supplemental "
    "oxygen (Boles et al., Eur Respir J 2007;29:1033); a fall of 3 or more levels in one day (5 to 2) skips it.",
    "pao2_fio2_fits_room_air": "On room air FiO2 is 0.21, so a ratio below 200 is a PaO2 below 42 mmHg (SpO2 about 75%); "
    "the article itself starts tocilizumab at SpO2 of 90% or less on ambient air, and such a patient gets oxygen.",
    "sofa_fits_ventilation": "SOFA's respiratory component alone gives 3 or 4 points with respiratory support and a "
    "PaO2:FiO2 below 200 (Vincent et al., Intensive Care Med 1996;22:707).",
    "corticosteroids_not_before_onset": "Systemic corticosteroids before COVID-19 symptoms are chronic treatment, "
    "which the data model records as immunosuppression (is_immunosuppressed).",
    "onset_at_most_three_weeks_before_admission": "Hospital admission came a median of 7 (IQR 4-8) days after onset "
    "(Wang et al., JAMA 2020;323:1061; Zhou et al., Lancet 2020;395:1054); more than 21 days is an outlier to check.",
    "inflammatory_criterion_before_tocilizumab": "The article's own tocilizumab criteria (Methods): CRP >= 10 mg/dL, "
    "ferritin >= 500 ng/mL or D-dimer >= 1500 ng/mL on or before the first dose.",
    "laboratory_value_in_clinical_range": "Wide limits around adult reference intervals (e.g. LDH 135-225 U/L, "
    "ferritin 15-400 ng/mL, lymphocytes 1.0-4.8 x 10^9/L); values outside them in COVID-19 pneumonia are rare "
    "enough to check for a unit or entry error. Lymphocytes go down to 0.01 x 10^9/L, which profound "
    "lymphopenia reaches in haematological patients (four of the article's cases).",
    "step_down_day_before_discharge": "Discharge criteria of the Spanish Ministry of Health COVID-19 protocol (2020) "
    "and WHO's clinical management of COVID-19 (2020): a patient goes home after a period of clinical stability "
    "off high-flow oxygen and ventilation, so the day before discharge is at most on low-flow oxygen (level 3).",
    "no_discharge_within_three_days_of_ventilation": "After extubation patients are watched for reintubation for "
    "48-72 hours in intensive care (Thille et al., Am J Respir Crit Care Med 2013;187:1294) and then step down "
    "through the ward; a discharge within 3 days of the last day on a ventilator skips both.",
    "news2_at_least_its_components": "NEWS2 (Royal College of Physicians, National Early Warning Score 2, 2017) is "
    "the sum of its components' points: respiratory rate 21-24 gives 2 and 25 or more 3, temperature 38.1-39.0 "
    "gives 1, heart rate 91-110 gives 1, and so on, and supplemental oxygen 2. A score below the points of the "
    "same day's recorded respiratory rate, temperature, heart rate and oxygen cannot be right.",
    "sofa_at_least_its_respiratory_points": "SOFA's respiratory component (Vincent et al., Intensive Care Med "
    "1996;22:707): PaO2:FiO2 below 400 gives 1, below 300 gives 2, and with ventilatory support below 200 gives 3 "
    "and below 100 gives 4; the total SOFA score is at least that component. Support here is invasive ventilation "
    "(level 5), the reading that gives the fewest points.",
    "charlson_at_least_its_comorbidities": "Charlson et al., J Chronic Dis 1987;40:373: diabetes, chronic pulmonary "
    "disease, mild liver disease and renal disease are items of at least 1 point each, so the index is at least "
    "the number of these flags a patient carries. The article's cardiovascular disease includes hypertension, "
    "which scores nothing.",
    "no_one_day_score_spike": "SOFA and NEWS move with organ function over days; a rise of 6 or more points that "
    "reverses the next day is more likely an entry error (Sepsis-3 counts a change of 2 as organ dysfunction).",
}


def _sorted_daily(daily: pd.DataFrame) -> pd.DataFrame:
    return daily.sort_values(["patient_id", "date"], kind="stable")


def step_down_before_discharge(patients, daily, files):
    """A patient discharged alive is at most on low-flow oxygen (level 3) on the day of discharge."""
    rows = _with_patient(daily, patients, ["discharge_date", "death_date"])
    on_discharge = (rows["date"] == rows["discharge_date"]) & rows["death_date"].isna()
    return located_problems(
        daily,
        on_discharge & (rows["ordinal_status"] > LOW_FLOW_OXYGEN),
        files.daily,
        "ordinal_status",
        "step_down_before_discharge",
        "discharged this day from high-flow oxygen or ventilation",
    )


def step_down_day_before_discharge(patients, daily, files):
    """The last recorded day before a discharge is at most low-flow oxygen (level 3), never high flow or ventilation."""
    rows = _sorted_daily(_with_patient(daily, patients, ["discharge_date", "death_date"]))
    before = rows["date"] < rows["discharge_date"]
    last_before = before & ~before.groupby(rows["patient_id"], sort=False).shift(-1, fill_value=False)
    last_before &= rows["death_date"].isna() | (rows["death_date"] > rows["discharge_date"])
    return located_problems(
        daily,
        (last_before & (rows["ordinal_status"] > LOW_FLOW_OXYGEN)).reindex(daily.index),
        files.daily,
        "ordinal_status",
        "step_down_day_before_discharge",
        "the last day before discharge is on high-flow oxygen or ventilation",
    )


def no_discharge_within_three_days_of_ventilation(patients, daily, files):
    """A patient discharged alive spent at least 4 days off invasive ventilation (level 5) before the discharge date."""
    rows = _with_patient(daily, patients, ["discharge_date", "death_date"])
    ventilated = rows["date"].where((rows["ordinal_status"] == INVASIVE_VENTILATION) & (rows["date"] <= rows["discharge_date"]))
    last = ventilated.groupby(rows["patient_id"]).max()
    alive = patients["death_date"].isna() | (patients["death_date"] > patients["discharge_date"])
    gap = (patients["discharge_date"] - patients["patient_id"].map(last)).dt.days
    return located_problems(
        patients,
        alive & (gap < MIN_DAYS_FROM_VENTILATION_TO_DISCHARGE),
        files.patients,
        "discharge_date",
        "no_discharge_within_three_days_of_ventilation",
        "discharged within 3 days of a day on invasive ventilation",
    )


def news2_component_points(column: str, values) -> np.ndarray:
    """The NEWS2 points of one component's values (a column of NEWS2_BANDS); a missing value gives 0."""
    values = np.asarray(values, dtype=float)
    bands = NEWS2_BANDS[column]
    bounds = np.array([bound for bound, _ in bands])
    scores = np.array([score for _, score in bands])
    banded = scores[np.minimum(np.searchsorted(bounds, values, side="left"), len(bands) - 1)]
    return np.where(np.isnan(values), 0, banded)


def news2_points(daily: pd.DataFrame) -> pd.Series:
    """The NEWS2 points a day's recorded respiratory rate, temperature, heart rate and oxygen give (a missing value gives 0)."""
    points = sum(news2_component_points(column, daily[column]) for column in NEWS2_BANDS)
    on_oxygen = daily["ordinal_status"].isin([int(level) for level in ON_OXYGEN]).to_numpy()
    return pd.Series(points + np.where(on_oxygen, NEWS2_OXYGEN_POINTS, 0), index=daily.index)


def sofa_respiratory_points(daily: pd.DataFrame) -> pd.Series:
    """SOFA's respiratory points from a day's PaO2:FiO2 and support (ventilation = level 5); 0 when no ratio is recorded."""
    ratio = daily["pao2_fio2_ratio"].to_numpy(dtype=float)
    ventilated = (daily["ordinal_status"] == INVASIVE_VENTILATION).to_numpy()
    points = np.select(
        [ventilated & (ratio < 100), ventilated & (ratio < 200), ratio < 300, ratio < 400], [4, 3, 2, 1], default=0
    )
    return pd.Series(np.where(np.isnan(ratio), 0, points), index=daily.index)


def news2_at_least_its_components(patients, daily, files):
    """NEWS is at least the NEWS2 points of the day's respiratory rate, temperature, heart rate and oxygen (2 on oxygen)."""
    below = daily["news_score"].notna() & (daily["news_score"] < news2_points(daily))
    return located_problems(
        daily,
        below,
        files.daily,
        "news_score",
        "news2_at_least_its_components",
        "below the NEWS2 points of the same day's respiratory rate, temperature, heart rate and oxygen",
    )


def sofa_at_least_its_respiratory_points(patients, daily, files):
    """A SOFA score is at least its respiratory points from the same day's PaO2:FiO2 and ventilation."""
    below = daily["sofa_score"].notna() & (daily["sofa_score"] < sofa_respiratory_points(daily))
    return located_problems(
        daily,
        below,
        files.daily,
        "sofa_score",
        "sofa_at_least_its_respiratory_points",
        "below the SOFA respiratory points of the same day's PaO2:FiO2 and support",
    )


def charlson_points(patients: pd.DataFrame) -> pd.Series:
    """The least Charlson index a patient's own comorbidity flags give (CHARLSON_ITEMS, 1 point each)."""
    return sum(patients[column].fillna(False).astype(bool).astype(int) for column in CHARLSON_ITEMS)


def charlson_at_least_its_comorbidities(patients, daily, files):
    """The Charlson index is at least the count of the flags diabetes and chronic lung, kidney and liver disease."""
    return located_problems(
        patients,
        patients["charlson_index"].notna() & (patients["charlson_index"] < charlson_points(patients)),
        files.patients,
        "charlson_index",
        "charlson_at_least_its_comorbidities",
        "below the Charlson points of the patient's own comorbidity flags",
    )


def no_jump_of_three_levels_in_a_day(patients, daily, files):
    """No patient improves by 3 or more ordinal levels from one day to the next (for example 5 to 2)."""
    rows = _sorted_daily(daily)
    previous = rows.groupby("patient_id", sort=False)["ordinal_status"].shift()
    jump = (previous - rows["ordinal_status"]) > MAX_ONE_DAY_IMPROVEMENT_LEVELS
    return located_problems(
        daily,
        jump.reindex(daily.index),
        files.daily,
        "ordinal_status",
        "no_jump_of_three_levels_in_a_day",
        "3 or more levels better than the day before",
    )


def pao2_fio2_fits_room_air(patients, daily, files):
    """A patient without supplemental oxygen (level 2) has a PaO2:FiO2 of at least 200."""
    low = (daily["ordinal_status"] == ROOM_AIR) & (daily["pao2_fio2_ratio"] < MIN_PAO2_FIO2_ON_ROOM_AIR)
    words = "a PaO2:FiO2 below 200 on a day without supplemental oxygen"
    return located_problems(daily, low, files.daily, "pao2_fio2_ratio", "pao2_fio2_fits_room_air", words)


def sofa_fits_ventilation(patients, daily, files):
    """A patient on invasive ventilation (level 5) has a SOFA score of at least 3."""
    low = (daily["ordinal_status"] == INVASIVE_VENTILATION) & (daily["sofa_score"] < MIN_SOFA_ON_VENTILATION)
    return located_problems(
        daily, low, files.daily, "sofa_score", "sofa_fits_ventilation", "a SOFA score below 3 on a day of invasive ventilation"
    )


def corticosteroids_not_before_onset(patients, daily, files):
    """Corticosteroids start on or after symptom onset, unless the patient is immunosuppressed."""
    early = (patients["corticosteroid_start_date"] < patients["symptom_onset_date"]) & (patients["is_immunosuppressed"] != True)  # noqa: E712
    return located_problems(
        patients,
        early,
        files.patients,
        "corticosteroid_start_date",
        "corticosteroids_not_before_onset",
        "corticosteroids started before symptom onset in a patient not recorded as immunosuppressed",
    )


def onset_at_most_three_weeks_before_admission(patients, daily, files):
    """Symptom onset is at most 21 days before admission."""
    days = (patients["admission_date"] - patients["symptom_onset_date"]).dt.days
    return located_problems(
        patients,
        days > MAX_ONSET_BEFORE_ADMISSION_DAYS,
        files.patients,
        "symptom_onset_date",
        "onset_at_most_three_weeks_before_admission",
        "symptom onset more than 21 days before admission",
    )


def inflammatory_criterion_before_tocilizumab(patients, daily, files):
    """Some day up to the first tocilizumab dose records CRP >= 10 mg/dL, ferritin >= 500 ng/mL or D-dimer >= 1500 ng/mL."""
    rows = _with_patient(daily, patients, ["tocilizumab_start_date"])
    met = pd.Series(False, index=rows.index)
    for column, threshold in INFLAMMATORY_CRITERIA.items():
        met |= (rows[column] >= threshold).fillna(False).astype(bool)
    met &= rows["date"] <= rows["tocilizumab_start_date"]
    meeting = set(rows.loc[met, "patient_id"])
    missing = patients["patient_id"].isin(daily["patient_id"]) & ~patients["patient_id"].isin(meeting)
    return located_problems(
        patients,
        missing,
        files.patients,
        "tocilizumab_start_date",
        "inflammatory_criterion_before_tocilizumab",
        "no CRP, ferritin or D-dimer at the article's threshold on or before the first tocilizumab dose",
    )


def laboratory_value_in_clinical_range(patients, daily, files):
    """Laboratory values lie within wide limits around adult reference intervals (LABORATORY_RANGES)."""
    return _each(
        daily,
        files.daily,
        [
            (
                ~daily[column].between(low, high) & daily[column].notna(),
                column,
                "laboratory_value_in_clinical_range",
                f"outside {low:g}-{high:g}, a wide range for this measurement",
            )
            for column, (low, high) in LABORATORY_RANGES.items()
        ],
    )


def no_one_day_score_spike(patients, daily, files):
    """SOFA and NEWS do not rise by 6 or more points for a single day and fall back the next."""
    rows = _sorted_daily(daily)
    checks = []
    for column, points in MAX_ONE_DAY_SPIKE_POINTS.items():
        by_patient = rows.groupby("patient_id", sort=False)[column]
        spike = ((rows[column] - by_patient.shift()) >= points) & ((rows[column] - by_patient.shift(-1)) >= points)
        checks.append(
            (
                spike.reindex(daily.index),
                column,
                "no_one_day_score_spike",
                f"{points} or more points above both the day before and the day after",
            )
        )
    return _each(daily, files.daily, checks)


RULES = (
    step_down_before_discharge,
    step_down_day_before_discharge,
    no_discharge_within_three_days_of_ventilation,
    no_jump_of_three_levels_in_a_day,
    pao2_fio2_fits_room_air,
    sofa_fits_ventilation,
    news2_at_least_its_components,
    sofa_at_least_its_respiratory_points,
    charlson_at_least_its_comorbidities,
    corticosteroids_not_before_onset,
    onset_at_most_three_weeks_before_admission,
    inflammatory_criterion_before_tocilizumab,
    laboratory_value_in_clinical_range,
    no_one_day_score_spike,
)


def warnings_for(patients: pd.DataFrame, daily: pd.DataFrame, patients_file: str, daily_file: str) -> list[Problem]:
    """Every plausibility warning of a cohort that already passed validation."""
    return run_rules(RULES, patients, daily, Files(patients=patients_file, daily=daily_file))


def describe_rules() -> pd.DataFrame:
    """The rules as a table: name, statement (from each docstring) and the source of its threshold."""
    return pd.DataFrame(
        {
            "rule": [rule.__name__ for rule in RULES],
            "statement": [" ".join((rule.__doc__ or "").split("\n")[0].split()) for rule in RULES],
            "source": [SOURCES[rule.__name__] for rule in RULES],
        }
    )

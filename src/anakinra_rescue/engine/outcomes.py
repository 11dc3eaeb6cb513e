"""Per-patient quantities of the analysis set: baseline, day-0 status and outcomes.

The analysis set is the matched pairs: each case with day 0 = its first anakinra
dose, and each control with day 0 = its pseudo date. Everything is derived from
the two input tables and that day 0 (DESIGN, "Derived values, never stored"):

* status on day k: the recorded status, 1 after discharge, 6 from death on;
  empty when the patient is still admitted but has no row (censored);
* improvement by day k: discharged by day k, or status at least
  ``config.improvement_points`` below day 0;
* death by day k, discharge by day k, in-hospital death;
* score differences under both sign conventions;
* pre-inclusion peaks and nadirs (days before day 0), day-0 measurements, and
  intervals from symptom onset, corticosteroid start and tocilizumab to day 0.

The columns are named like the rows of ``data/published`` so that tables can
join regenerated and published numbers one to one.
"""

import numpy as np
import pandas as pd

from anakinra_rescue.data.vocabulary import day_column, score_difference_column
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.schemas.cohort import DEATH_STATUS, DISCHARGED_STATUS, ORDINAL_LEVELS
from anakinra_rescue.schemas.published import COMPARED_GROUPS

GROUPS = COMPARED_GROUPS
PEAKS = {
    "ferritin_peak_ng_ml": "ferritin_ng_ml",
    "crp_peak_mg_dl": "crp_mg_dl",
    "ldh_peak_u_l": "ldh_u_l",
    "d_dimer_peak_ng_ml": "d_dimer_ng_ml",
}
NADIRS = {"lymphocytes_nadir_1e9_per_l": "lymphocytes_1e9_per_l"}
DAY0_MEASUREMENTS = (
    "temperature_c",
    "respiratory_rate_rpm",
    "heart_rate_bpm",
    "pao2_fio2_ratio",
    "lymphocytes_1e9_per_l",
    "crp_mg_dl",
    "ldh_u_l",
    "ferritin_ng_ml",
    "d_dimer_ng_ml",
    "sofa_score",
    "news_score",
)
PATIENT_FLAGS = {
    "male_sex": "is_male",
    "cardiovascular_disease": "has_cardiovascular_disease",
    "diabetes": "has_diabetes",
    "obesity": "has_obesity",
    "chronic_lung_disease": "has_chronic_lung_disease",
    "immunosuppression": "is_immunosuppressed",
    "chronic_kidney_disease": "has_chronic_kidney_disease",
    "chronic_liver_disease": "has_chronic_liver_disease",
    "current_or_former_smoker": "is_current_or_former_smoker",
    "received_hydroxychloroquine": "received_hydroxychloroquine",
    "received_lopinavir_ritonavir": "received_lopinavir_ritonavir",
    "received_azithromycin": "received_azithromycin",
    "received_interferon_beta": "received_interferon_beta",
    "received_corticosteroids": "received_corticosteroids",
    "thromboembolic_event": "had_thromboembolic_event",
    "transaminase_rise_3x": "had_transaminase_rise_3x",
    "bacterial_infection": "had_bacterial_infection",
}
# The organisms the Results name, as rows of the published record -> (site, organism) in infections.csv.
# Read naturally: two nosocomial Klebsiella pneumonias, and catheter-related bacteraemias in the others,
# two with Enterococcus faecalis and one with coagulase-negative staphylococci (2 + 2 + 1 = 5 infected).
# Organisms are compared case-insensitively.
INFECTION_ROWS = {
    "klebsiella_pneumonia": ("respiratory", "Klebsiella pneumoniae"),
    "catheter_bacteraemia_enterococcus": ("catheter_bloodstream", "Enterococcus faecalis"),
    "catheter_bacteraemia_cons": ("catheter_bloodstream", "coagulase-negative staphylococci"),
}


def analysis_set(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per patient of the matched pairs: patient_id, group, pair_number (1-based) and day0_date."""
    numbers = np.arange(1, len(pairs) + 1)
    cases = pd.DataFrame(
        {
            "patient_id": pairs["case_id"].to_numpy(),
            "group": "anakinra",
            "pair_number": numbers,
            "day0_date": pd.to_datetime(pairs["day0_date"]).to_numpy(),
        }
    )
    controls = pd.DataFrame(
        {
            "patient_id": pairs["control_id"].to_numpy(),
            "group": "control",
            "pair_number": numbers,
            "day0_date": pd.to_datetime(pairs["pseudo_date"]).to_numpy(),
        }
    )
    return pd.concat([cases, controls], ignore_index=True)


def status_on_day(patients: pd.DataFrame, daily: pd.DataFrame, analysis: pd.DataFrame, day: int) -> pd.Series:
    """Ordinal status ``day`` days after each patient's day 0: recorded, 1 after discharge, 6 from death on."""
    info = analysis.merge(patients[["patient_id", "discharge_date", "death_date"]], on="patient_id", how="left")
    target = info["day0_date"] + pd.Timedelta(days=day)
    recorded = daily.set_index(["patient_id", "date"])["ordinal_status"]
    status = pd.Series(
        recorded.reindex(pd.MultiIndex.from_arrays([info["patient_id"], target])).to_numpy(), index=analysis.index, dtype="Int64"
    )
    after_discharge = (info["discharge_date"] < target).to_numpy()
    dead = (info["death_date"] <= target).to_numpy()
    status = status.mask(after_discharge, DISCHARGED_STATUS)
    return status.mask(dead, DEATH_STATUS)


def derive_outcomes(
    patients: pd.DataFrame, daily: pd.DataFrame, analysis: pd.DataFrame, config: StudyConfig = DEFAULT
) -> pd.DataFrame:
    """Table 3 and Figure 1 quantities for each patient of the analysis set."""
    info = analysis.merge(patients[["patient_id", "discharge_date", "death_date"]], on="patient_id", how="left")
    out = analysis.copy()
    out["ordinal_status_day0"] = status_on_day(patients, daily, analysis, 0)
    for day in config.outcome_days:
        status = status_on_day(patients, daily, analysis, day)
        out[day_column("ordinal_status", day)] = status
        discharged = (info["discharge_date"] <= info["day0_date"] + pd.Timedelta(days=day)).to_numpy()
        lower = (status <= out["ordinal_status_day0"] - config.improvement_points).fillna(False).to_numpy(dtype=bool)
        known = status.notna().to_numpy() | discharged
        out[day_column("improvement", day)] = pd.array(np.where(known, discharged | lower, pd.NA), dtype="boolean")
        out[score_difference_column(day, "day0_minus_dayk")] = out["ordinal_status_day0"] - status
        out[score_difference_column(day, "dayk_minus_day0")] = status - out["ordinal_status_day0"]
    for day in config.mortality_days:
        out[day_column("mortality", day)] = pd.array(
            (info["death_date"] <= info["day0_date"] + pd.Timedelta(days=day)).to_numpy(), dtype="boolean"
        )
    for day in config.discharge_days:
        out[day_column("discharge", day)] = pd.array(
            (info["discharge_date"] <= info["day0_date"] + pd.Timedelta(days=day)).to_numpy(), dtype="boolean"
        )
    died_in_hospital = info["death_date"].notna() & (
        info["discharge_date"].isna() | (info["death_date"] <= info["discharge_date"])
    )
    out["in_hospital_mortality"] = pd.array(died_in_hospital.to_numpy(), dtype="boolean")
    return out


def derive_baseline(
    patients: pd.DataFrame, daily: pd.DataFrame, analysis: pd.DataFrame, config: StudyConfig = DEFAULT
) -> pd.DataFrame:
    """Table 1 quantities: demographics, comorbidities, treatments, pre-inclusion peaks and nadirs, intervals."""
    info = analysis.merge(patients, on="patient_id", how="left")
    out = analysis.copy()
    out["age_years"] = info["age_years"].to_numpy()
    out["charlson_index"] = info["charlson_index"].to_numpy()
    out["ethnicity_hispanic"] = pd.array(
        np.where(info["ethnicity"].isna(), pd.NA, info["ethnicity"] == "hispanic"), dtype="boolean"
    )
    out["ethnicity_caucasian"] = pd.array(
        np.where(info["ethnicity"].isna(), pd.NA, info["ethnicity"] == "caucasian"), dtype="boolean"
    )
    for variable, column in PATIENT_FLAGS.items():
        out[variable] = info[column].to_numpy()
    days_before = {
        "symptom_onset_to_day0_days": info["symptom_onset_date"],
        "corticosteroid_to_day0_days": info["corticosteroid_start_date"],
        "tocilizumab_to_day0_days": info["tocilizumab_start_date"],
    }
    for variable, start in days_before.items():
        out[variable] = (info["day0_date"] - start).dt.days.astype("Int64").to_numpy()
    window = daily.merge(analysis[["patient_id", "day0_date"]], on="patient_id", how="inner")
    before = window[
        (window["date"] <= window["day0_date"]) if config.baseline_includes_day0 else (window["date"] < window["day0_date"])
    ]
    by_patient = before.groupby("patient_id")
    for variable, column in PEAKS.items():
        out[variable] = out["patient_id"].map(by_patient[column].max()).astype(float).to_numpy()
    for variable, column in NADIRS.items():
        out[variable] = out["patient_id"].map(by_patient[column].min()).astype(float).to_numpy()
    return out


def derive_day0(daily: pd.DataFrame, analysis: pd.DataFrame, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """Table 2 quantities: measurements on day 0, PaO2:FiO2 bands and the day-0 ordinal status."""
    rows = daily.set_index(["patient_id", "date"])
    keys = pd.MultiIndex.from_arrays([analysis["patient_id"], analysis["day0_date"]])
    on_day0 = rows.reindex(keys)
    out = analysis.copy()
    for column in DAY0_MEASUREMENTS:
        out[column] = on_day0[column].astype(float).to_numpy()
    ratio = out["pao2_fio2_ratio"]
    for name, low, high in config.pao2_fio2_bands:
        out[name] = pd.array(np.where(ratio.isna(), pd.NA, (ratio >= low) & (ratio < high)), dtype="boolean")
    out["pao2_fio2_le_100"] = pd.array(np.where(ratio.isna(), pd.NA, ratio <= 100), dtype="boolean")
    out["pao2_fio2_lt_200"] = pd.array(np.where(ratio.isna(), pd.NA, ratio < 200), dtype="boolean")
    status = on_day0["ordinal_status"].to_numpy()
    for level in ORDINAL_LEVELS:
        out[f"ordinal_status_{level}"] = pd.array(status == level, dtype="boolean")
    return out


def derive_infections(infections: pd.DataFrame, analysis: pd.DataFrame) -> pd.DataFrame:
    """Per analysed patient, whether infections.csv records each infection the Results name (:data:`INFECTION_ROWS`)."""
    out = analysis.copy()
    organism = infections["organism"].fillna("").str.lower()
    for name, (site, named) in INFECTION_ROWS.items():
        having = infections.loc[(infections["site"] == site) & (organism == named.lower()), "patient_id"]
        out[name] = pd.array(out["patient_id"].isin(having).to_numpy(), dtype="boolean")
    return out


def derive_patient_frame(
    patients: pd.DataFrame,
    daily: pd.DataFrame,
    pairs: pd.DataFrame,
    config: StudyConfig = DEFAULT,
    infections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every per-patient quantity of Tables 1-3 and Figure 1 in one frame, one row per analysed patient.

    With ``infections`` (the optional infections.csv), the frame also says which patient had each infection
    the Results name; without it, those columns are absent and their counts are not computed.
    """
    analysis = analysis_set(pairs)
    keys = ["patient_id", "group", "pair_number", "day0_date"]
    frame = derive_baseline(patients, daily, analysis, config)
    frame = frame.merge(derive_day0(daily, analysis, config), on=keys)
    frame = frame.merge(derive_outcomes(patients, daily, analysis, config), on=keys)
    if infections is not None:
        frame = frame.merge(derive_infections(infections, analysis), on=keys)
    return frame

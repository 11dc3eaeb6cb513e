"""Pandera models of the input tables: ``patients.csv``, ``daily_status.csv`` and the optional ``infections.csv``.

These models are the data dictionary. Each column's type, unit, range or
allowed values, whether it may be empty, and meaning are written once here;
the book's dictionary chapter and ``data/datapackage.json`` are generated from
them. Both models are strict: a column they do not name is an error, which also
keeps identifying columns (names, record numbers) out of the book.

Types: ``*_date`` columns are ISO 8601 calendar dates (YYYY-MM-DD); booleans are
written ``true``/``false``; an empty cell means not recorded. The loader in
:mod:`anakinra_rescue.data.io` parses the CSV text into these types before the
models check them, so that a bad cell is reported with its line and column.
"""

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

COHORTS = ("anakinra", "historical")
ETHNICITIES = ("caucasian", "hispanic", "other")
ORDINAL_SCALE = {
    1: "not hospitalised",
    2: "hospitalised, no supplemental oxygen",
    3: "hospitalised, low-flow oxygen",
    4: "hospitalised, high-flow oxygen or non-invasive ventilation",
    5: "invasive mechanical ventilation or ECMO",
    6: "death",
}
ORDINAL_LEVELS = tuple(ORDINAL_SCALE)  # 1..6, lowest (best) first
DISCHARGED_STATUS = min(ORDINAL_SCALE)  # 1: not hospitalised
DEATH_STATUS = max(ORDINAL_SCALE)  # 6: death
EARLIEST_DATE = pd.Timestamp("2019-11-01")  # before the first recorded SARS-CoV-2 case
LATEST_DATE = pd.Timestamp("2100-12-31")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
INFECTION_SITES = ("respiratory", "catheter_bloodstream", "bloodstream", "urinary", "other")
ORGANISM_PATTERN = r"^[A-Za-z][A-Za-z .,()/-]{0,79}$"

# Column name -> description, for the boolean columns (empty = not recorded).
COMORBIDITY_COLUMNS = {
    "has_cardiovascular_disease": "Coronary heart disease, heart failure, stroke or hypertension before admission.",
    "has_diabetes": "Diabetes mellitus before admission.",
    "has_obesity": "Body-mass index of 30 kg/m2 or more.",
    "has_chronic_lung_disease": "COPD, asthma or severe obstructive sleep apnoea.",
    "is_immunosuppressed": "Active cancer, autoimmune disease, transplant, HIV, or steroid or chemotherapy use.",
    "has_chronic_kidney_disease": "Chronic kidney disease before admission.",
    "has_chronic_liver_disease": "Chronic liver disease before admission.",
    "is_current_or_former_smoker": "Smokes now or smoked in the past.",
}
TREATMENT_COLUMNS = {
    "received_hydroxychloroquine": "Received hydroxychloroquine during the admission.",
    "received_lopinavir_ritonavir": "Received lopinavir/ritonavir during the admission.",
    "received_azithromycin": "Received azithromycin during the admission.",
    "received_interferon_beta": "Received interferon beta during the admission.",
    "received_corticosteroids": "Received systemic corticosteroids during the admission.",
}
ADVERSE_EVENT_COLUMNS = {
    "had_thromboembolic_event": "A thromboembolic event during the hospital stay.",
    "had_transaminase_rise_3x": "ALT or AST above three times the upper limit of normal during the stay.",
    "had_bacterial_infection": "A microbiologically documented bacterial infection during the stay.",
}


def _date_field(description: str, nullable: bool) -> Any:  # a pandera FieldInfo
    return pa.Field(
        nullable=nullable,
        ge=EARLIEST_DATE,
        le=LATEST_DATE,
        description=description,
    )


def _flag_field(description: str) -> Any:  # a pandera FieldInfo
    return pa.Field(nullable=True, description=description + " true/false; empty = not recorded.")


class Patient(pa.DataFrameModel):
    """One row per patient (``patients.csv``), keyed by ``patient_id``."""

    patient_id: Series[str] = pa.Field(
        unique=True,
        str_matches=ID_PATTERN,
        description=(
            "Pseudonymous patient identifier: letters, digits, '_', '.', '-' (at most 64). Never a name or record number."
        ),
    )
    cohort: Series[str] = pa.Field(
        isin=COHORTS,
        description=(
            "anakinra: prospective case given anakinra after tocilizumab; "
            "historical: tocilizumab-treated patient in the control pool."
        ),
    )
    symptom_onset_date: Series[pd.Timestamp] = _date_field("Date of the first COVID-19 symptoms.", nullable=False)
    admission_date: Series[pd.Timestamp] = _date_field("Date of hospital admission.", nullable=False)
    tocilizumab_start_date: Series[pd.Timestamp] = _date_field("Date of the first tocilizumab dose.", nullable=False)
    anakinra_start_date: Series[pd.Timestamp] = _date_field(
        "Date of the first anakinra dose (day 0 of a case). Required for the anakinra cohort, empty otherwise.",
        nullable=True,
    )
    corticosteroid_start_date: Series[pd.Timestamp] = _date_field(
        "Date of the first systemic corticosteroid dose; empty = never given.", nullable=True
    )
    discharge_date: Series[pd.Timestamp] = _date_field("Date of discharge alive; empty = not discharged.", nullable=True)
    death_date: Series[pd.Timestamp] = _date_field("Date of death; empty = not known to have died.", nullable=True)
    follow_up_end_date: Series[pd.Timestamp] = _date_field(
        "Last date on which vital status is known: the death date for those who died, otherwise on or after discharge.",
        nullable=False,
    )
    age_years: Series[pd.Int64Dtype] = pa.Field(ge=18, le=120, description="Age at admission, in whole years (adults only).")
    is_male: Series[pd.BooleanDtype] = pa.Field(nullable=False, description="Sex recorded as male. true/false.")
    ethnicity: Series[str] = pa.Field(isin=ETHNICITIES, nullable=True, description="Ethnicity as recorded; empty = not recorded.")
    charlson_index: Series[pd.Int64Dtype] = pa.Field(ge=0, le=37, description="Charlson comorbidity index, in points (0 to 37).")
    has_cardiovascular_disease: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["has_cardiovascular_disease"])
    has_diabetes: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["has_diabetes"])
    has_obesity: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["has_obesity"])
    has_chronic_lung_disease: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["has_chronic_lung_disease"])
    is_immunosuppressed: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["is_immunosuppressed"])
    has_chronic_kidney_disease: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["has_chronic_kidney_disease"])
    has_chronic_liver_disease: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["has_chronic_liver_disease"])
    is_current_or_former_smoker: Series[pd.BooleanDtype] = _flag_field(COMORBIDITY_COLUMNS["is_current_or_former_smoker"])
    received_hydroxychloroquine: Series[pd.BooleanDtype] = _flag_field(TREATMENT_COLUMNS["received_hydroxychloroquine"])
    received_lopinavir_ritonavir: Series[pd.BooleanDtype] = _flag_field(TREATMENT_COLUMNS["received_lopinavir_ritonavir"])
    received_azithromycin: Series[pd.BooleanDtype] = _flag_field(TREATMENT_COLUMNS["received_azithromycin"])
    received_interferon_beta: Series[pd.BooleanDtype] = _flag_field(TREATMENT_COLUMNS["received_interferon_beta"])
    received_corticosteroids: Series[pd.BooleanDtype] = _flag_field(TREATMENT_COLUMNS["received_corticosteroids"])
    had_thromboembolic_event: Series[pd.BooleanDtype] = _flag_field(ADVERSE_EVENT_COLUMNS["had_thromboembolic_event"])
    had_transaminase_rise_3x: Series[pd.BooleanDtype] = _flag_field(ADVERSE_EVENT_COLUMNS["had_transaminase_rise_3x"])
    had_bacterial_infection: Series[pd.BooleanDtype] = _flag_field(ADVERSE_EVENT_COLUMNS["had_bacterial_infection"])

    class Config:
        strict = True
        ordered = False


def _measure(low: float, high: float, description: str) -> Any:  # a pandera FieldInfo
    return pa.Field(ge=low, le=high, nullable=True, description=description + " Empty = not measured that day.")


class DailyStatus(pa.DataFrameModel):
    """One row per patient per in-hospital calendar day (``daily_status.csv``), keyed by (patient_id, date)."""

    patient_id: Series[str] = pa.Field(str_matches=ID_PATTERN, description="Patient identifier; must exist in patients.csv.")
    date: Series[pd.Timestamp] = pa.Field(
        ge=EARLIEST_DATE, le=LATEST_DATE, description="Calendar day of the observation (ISO 8601)."
    )
    ordinal_status: Series[pd.Int64Dtype] = pa.Field(
        isin=list(ORDINAL_SCALE),
        description="Worst status that day on the 6-point ordinal scale: "
        + "; ".join(f"{level} {label}" for level, label in ORDINAL_SCALE.items())
        + ".",
    )
    temperature_c: Series[float] = _measure(30.0, 45.0, "Axillary temperature, degrees Celsius.")
    respiratory_rate_rpm: Series[float] = _measure(4.0, 80.0, "Respiratory rate, breaths per minute.")
    heart_rate_bpm: Series[float] = _measure(20.0, 250.0, "Heart rate, beats per minute.")
    pao2_fio2_ratio: Series[float] = _measure(20.0, 700.0, "PaO2:FiO2 ratio, mmHg (may be estimated from SpO2/FiO2).")
    lymphocytes_1e9_per_l: Series[float] = _measure(0.0, 100.0, "Lymphocyte count, 10^9 cells per litre.")
    crp_mg_dl: Series[float] = _measure(0.0, 100.0, "C-reactive protein, mg/dL.")
    ldh_u_l: Series[float] = _measure(0.0, 20000.0, "Lactate dehydrogenase, U/L.")
    ferritin_ng_ml: Series[float] = _measure(0.0, 500000.0, "Ferritin, ng/mL.")
    d_dimer_ng_ml: Series[float] = _measure(0.0, 1000000.0, "D-dimer, ng/mL.")
    sofa_score: Series[pd.Int64Dtype] = _measure(0, 24, "SOFA score, points (0 to 24).")
    news_score: Series[pd.Int64Dtype] = _measure(0, 20, "NEWS score, points (0 to 20).")

    class Config:
        strict = True
        ordered = False


class Infection(pa.DataFrameModel):
    """One row per secondary bacterial infection (``infections.csv``, optional), keyed by (patient_id, date, organism).

    A folder without this file stays valid; the organism counts of the Results are then not computed.
    """

    patient_id: Series[str] = pa.Field(
        str_matches=ID_PATTERN, description="Patient identifier; must exist in patients.csv, with had_bacterial_infection true."
    )
    date: Series[pd.Timestamp] = pa.Field(
        ge=EARLIEST_DATE,
        le=LATEST_DATE,
        description="Date of the infection's diagnosis (ISO 8601), within the patient's hospital stay.",
    )
    site: Series[str] = pa.Field(
        isin=INFECTION_SITES,
        description="Site of the infection: respiratory (pneumonia), catheter_bloodstream (catheter-related "
        "bacteraemia), bloodstream (other bacteraemia), urinary or other.",
    )
    organism: Series[str] = pa.Field(
        nullable=True,
        str_matches=ORGANISM_PATTERN,
        description="Organism as named in the microbiology record, in words (letters, spaces and . , ( ) / -); "
        "empty when none was identified.",
    )

    class Config:
        strict = True
        ordered = False

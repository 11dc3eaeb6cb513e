"""Cross-table rules of the optional ``infections.csv`` (one row per secondary bacterial infection) against
``patients.csv``: each a plain function ``(patients, infections, files) -> list[Problem]``, as in
:mod:`anakinra_rescue.data.cohort_rules`, whose ``describe_rules`` lists them with the others."""

import pandas as pd

from anakinra_rescue.data.cohort_rules import Files, _each, _end_of_stay, run_rules
from anakinra_rescue.data.problems import Problem, located_problems


def infection_rows_belong_to_known_patients(patients, infections, files):
    """Every infections row belongs to a patient_id listed in patients.csv."""
    orphan = infections["patient_id"].notna() & ~infections["patient_id"].isin(patients["patient_id"])
    return located_problems(
        infections, orphan, files.infections, "patient_id", "orphan_row", "the patient_id is not in patients.csv"
    )


def one_row_per_infection(patients, infections, files):
    """No (patient_id, date, organism) appears twice in infections.csv."""
    duplicated = infections[["patient_id", "date"]].notna().all(axis=1) & infections.duplicated(
        ["patient_id", "date", "organism"], keep="first"
    )
    return located_problems(
        infections,
        duplicated,
        files.infections,
        "organism",
        "duplicate_infection",
        "this patient already has a row for this organism on this date",
    )


def infection_date_is_within_the_stay(patients, infections, files):
    """An infection's date lies between the patient's admission and the end of the stay (discharge or death)."""
    known = patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id").set_index("patient_id")
    admission = infections["patient_id"].map(known["admission_date"])
    end = infections["patient_id"].map(_end_of_stay(known))
    before = infections["date"].notna() & admission.notna() & (infections["date"] < admission)
    after = infections["date"].notna() & end.notna() & (infections["date"] > end)
    return _each(
        infections,
        files.infections,
        [
            (before, "date", "infection_before_admission", "the infection is dated before the patient's admission_date"),
            (after, "date", "infection_after_stay", "the infection is dated after the patient's discharge or death"),
        ],
    )


def infection_implies_infection_flag(patients, infections, files):
    """A patient with a row in infections.csv has had_bacterial_infection = true in patients.csv."""
    known = patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id").set_index("patient_id")
    flag = infections["patient_id"].map(known["had_bacterial_infection"])
    contradiction = (flag == False).fillna(False).astype(bool)  # noqa: E712
    return located_problems(
        infections,
        contradiction,
        files.infections,
        "patient_id",
        "infection_flag_contradiction",
        "the patient has an infection here but had_bacterial_infection is false in patients.csv",
    )


INFECTION_RULES = (
    infection_rows_belong_to_known_patients,
    one_row_per_infection,
    infection_date_is_within_the_stay,
    infection_implies_infection_flag,
)


def check_infections(patients: pd.DataFrame, infections: pd.DataFrame, patients_file: str, infections_file: str) -> list[Problem]:
    """Run the rules of the optional infections.csv against patients.csv and return all problems found."""
    return run_rules(INFECTION_RULES, patients, infections, Files(patients=patients_file, daily="", infections=infections_file))

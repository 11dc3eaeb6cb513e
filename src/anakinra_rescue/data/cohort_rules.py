"""Cross-table rules of the data contract: what pandera's per-column checks cannot see.

Each rule is a plain function ``(patients, daily, files) -> list[Problem]``
(``(patients, infections, files)`` for the rules of the optional infections.csv),
vectorised over the whole cohort. Its docstring's first line is the rule in
plain words; the data dictionary chapter prints :func:`describe_rules`, so the
book lists exactly the rules this module enforces. Rows are located by their
CSV line (frame index + 2). Rules tolerate missing values: a cell that failed
its own column check is reported once, there, and skipped here.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from anakinra_rescue.data.problems import Problem, located_problems
from schemas.cohort import DEATH_STATUS

# The columns of daily_status.csv that the rules below read; `validate` keeps only these in memory.
DAILY_COLUMNS = ["patient_id", "date", "ordinal_status"]


@dataclass(frozen=True)
class Files:
    """Display names of the two input files, used in problems."""

    patients: str
    daily: str
    infections: str = ""


def _each(frame: pd.DataFrame, file: str, checks: list[tuple[pd.Series, str, str, str]]) -> list[Problem]:
    """The problems of several (mask, column, rule, message) checks on one frame, in the order given."""
    return [problem for mask, column, rule, message in checks for problem in located_problems(frame, mask, file, column, rule, message)]


def _end_of_stay(patients: pd.DataFrame) -> pd.Series:
    """The last in-hospital day: discharge, or death when the patient died before any discharge."""
    discharge = patients["discharge_date"]
    death = patients["death_date"]
    died_in_hospital = death.notna() & (discharge.isna() | (death <= discharge))
    return discharge.where(~died_in_hospital, death)


@dataclass(frozen=True)
class _Keys:
    """Whole numbers standing for the text keys, computed once per check so that no rule joins or sorts text.

    ``key`` numbers each daily row's patient_id in sorted order (-1 when empty); ``patient_row`` is the position
    in patients.csv of that patient's first row (-1 when the id is empty or not listed); ``day`` is the date in
    days since 1970 (NaT as the smallest int64); ``ids`` are the distinct daily patient_ids, sorted; ``order``
    holds the positions of the rows with both a patient_id and a date, sorted by patient_id, date and line.
    """

    key: np.ndarray
    patient_row: np.ndarray
    day: np.ndarray
    ids: pd.Index
    order: np.ndarray


_NO_DAY = np.iinfo(np.int64).min
_KEYS_IN_USE: dict[tuple[int, int], _Keys] = {}  # filled only while check_all runs, so every rule shares one _Keys


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970, NaT as _NO_DAY."""
    nanoseconds = dates.to_numpy("datetime64[ns]").view("int64")
    return np.where(nanoseconds == _NO_DAY, _NO_DAY, nanoseconds // 86_400_000_000_000)


def _first_rows(patients: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    """The distinct non-empty patient_ids of patients.csv and the position of each one's first row."""
    ids = patients["patient_id"]
    first = (ids.notna() & ~ids.duplicated()).to_numpy(bool)
    return pd.Index(ids.to_numpy(object)[first]), np.flatnonzero(first)


def _keys(patients: pd.DataFrame, daily: pd.DataFrame) -> _Keys:
    cached = _KEYS_IN_USE.get((id(patients), id(daily)))
    if cached is not None:
        return cached
    key, ids = pd.factorize(daily["patient_id"], sort=True)
    known, first_rows = _first_rows(patients)
    position = known.get_indexer(ids)
    row_of_id = np.where(position >= 0, first_rows[position], -1)
    patient_row = np.where(key >= 0, row_of_id[key] if len(ids) else -1, -1)
    day = _days(daily["date"])
    present = np.flatnonzero((key >= 0) & (day != _NO_DAY))
    order = present[np.lexsort((present, day[present], key[present]))]
    return _Keys(key=key, patient_row=patient_row, day=day, ids=pd.Index(ids), order=order)


def _of_patient(values: pd.Series, patient_row: np.ndarray) -> np.ndarray:
    """``values`` (a patients.csv column, as float days or numbers) for each row's patient; NaN when unknown."""
    column = _days(values).astype("float64") if pd.api.types.is_datetime64_any_dtype(values) else values.to_numpy(
        "float64", na_value=np.nan)
    if pd.api.types.is_datetime64_any_dtype(values):
        column[column == float(_NO_DAY)] = np.nan
    taken = column[np.maximum(patient_row, 0)] if len(column) else np.full(len(patient_row), np.nan)
    return np.where(patient_row >= 0, taken, np.nan)


def _at(frame: pd.DataFrame, positions: np.ndarray, file: str, column: str, rule: str, message: str) -> list[Problem]:
    """One problem per row of ``frame`` at ``positions`` (row positions, in the order given)."""
    if not len(positions):
        return []
    rows = frame.iloc[positions]
    return located_problems(rows, pd.Series(True, index=rows.index), file, column, rule, message)


def _with_patient(daily: pd.DataFrame, patients: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    known = patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id")
    info = known.set_index("patient_id")[columns]
    return daily.join(info, on="patient_id")


def daily_rows_belong_to_known_patients(patients, daily, files):
    """Every daily_status row belongs to a patient_id listed in patients.csv."""
    keys = _keys(patients, daily)
    orphan = np.flatnonzero((keys.key >= 0) & (keys.patient_row < 0))
    return _at(daily, orphan, files.daily, "patient_id", "orphan_row", "the patient_id is not in patients.csv")


def _repeated_days(keys: _Keys, order: np.ndarray) -> np.ndarray:
    """Within ``order`` (sorted by patient, date and line): True where the row repeats the previous row's patient-day."""
    key, day = keys.key[order], keys.day[order]
    return np.concatenate([[False], (key[1:] == key[:-1]) & (day[1:] == day[:-1])]) if len(order) else np.zeros(0, bool)


def one_row_per_patient_day(patients, daily, files):
    """No (patient_id, date) pair appears twice in daily_status.csv."""
    keys = _keys(patients, daily)
    order = keys.order
    duplicated = np.sort(order[_repeated_days(keys, order)])
    return _at(daily, duplicated, files.daily, "date", "duplicate_patient_day", "this patient already has a row for this date")


def days_are_contiguous_from_admission(patients, daily, files):
    """Each patient's daily rows start on the admission date and run day by day without gaps."""
    keys = _keys(patients, daily)
    order = keys.order
    order = order[~_repeated_days(keys, order)]
    key, day = keys.key[order], keys.day[order]
    first = np.concatenate([[True], key[1:] != key[:-1]]) if len(order) else np.zeros(0, bool)
    admission = _of_patient(patients["admission_date"], keys.patient_row[order])
    starts_late = first & ~np.isnan(admission) & (day != admission)
    gap = ~first & (np.diff(day, prepend=0) != 1)
    return _at(daily, order[starts_late], files.daily, "date", "series_not_from_admission",
               "the patient's first daily row is not on the admission date") + _at(
        daily, order[gap], files.daily, "date", "gap_in_days", "the day before this row is missing (days must be contiguous)")


def series_ends_at_end_of_stay(patients, daily, files):
    """The last daily row is the discharge date, or the death date for a death in hospital; with neither, it is no later than follow_up_end_date."""
    keys = _keys(patients, daily)
    order = keys.order
    key = keys.key[order]
    last = order[np.concatenate([key[1:] != key[:-1], [True]])] if len(order) else order
    day, patient_row = keys.day[last], keys.patient_row[last]
    end = _of_patient(_end_of_stay(patients), patient_row)
    follow_up = _of_patient(patients["follow_up_end_date"], patient_row)
    wrong_end = ~np.isnan(end) & (day != end)
    past_follow_up = np.isnan(end) & (day > follow_up)
    missing = patients["patient_id"].notna() & ~patients["patient_id"].isin(keys.ids)
    return _at(daily, last[wrong_end], files.daily, "date", "series_not_to_end_of_stay",
               "the patient's last daily row is not on the discharge date or the in-hospital death date") + _at(
        daily, last[past_follow_up], files.daily, "date", "series_after_follow_up",
        "the patient's daily rows run past follow_up_end_date") + located_problems(
        patients, missing, files.patients, "patient_id", "no_daily_rows", "the patient has no rows in daily_status.csv")


def death_and_discharge_end_the_series(patients, daily, files):
    """Status 6 (death) appears only on the death date, on the last row; a discharge day has a status below 6."""
    keys = _keys(patients, daily)
    day = np.where(keys.day == _NO_DAY, np.nan, keys.day.astype("float64"))
    death = _of_patient(patients["death_date"], keys.patient_row)
    discharge = _of_patient(patients["discharge_date"], keys.patient_row)
    status = daily["ordinal_status"].to_numpy("float64", na_value=np.nan)
    dead = status == DEATH_STATUS
    dead_on_discharge = dead & (day == discharge)
    alive_on_death_day = (day == death) & ~np.isnan(status) & ~dead & (np.isnan(discharge) | (death < discharge))
    return (_at(daily, np.flatnonzero(dead & (day != death) & ~dead_on_discharge), files.daily, "ordinal_status",
                "death_status_off_death_date", "status 6 (death) on a day that is not the patient's death_date")
            + _at(daily, np.flatnonzero(dead_on_discharge), files.daily, "ordinal_status", "death_status_on_discharge",
                  "status 6 (death) on the discharge date; a discharge ends the series below 6")
            + _at(daily, np.flatnonzero(alive_on_death_day), files.daily, "ordinal_status", "alive_on_death_date",
                  "the row on the in-hospital death date must have status 6"))


def dates_are_ordered(patients, daily, files):
    """symptom_onset_date <= admission_date <= tocilizumab_start_date <= end of stay <= follow_up_end_date; a death closes follow-up, and a discharge precedes any later death."""
    end = _end_of_stay(patients)
    checks = [
        (patients["symptom_onset_date"] > patients["admission_date"], "symptom_onset_date", "symptom onset is after admission"),
        (patients["admission_date"] > patients["tocilizumab_start_date"], "tocilizumab_start_date", "tocilizumab starts before admission"),
        (patients["tocilizumab_start_date"] > end, "tocilizumab_start_date", "tocilizumab starts after the end of the stay"),
        (end > patients["follow_up_end_date"], "follow_up_end_date", "follow-up ends before the end of the stay"),
        (patients["death_date"].notna() & (patients["follow_up_end_date"] != patients["death_date"]),
         "follow_up_end_date", "for a patient who died, follow_up_end_date must equal death_date"),
        (patients["discharge_date"].notna() & patients["death_date"].notna() & (patients["death_date"] <= patients["discharge_date"]),
         "discharge_date", "death on or before the discharge date: leave discharge_date empty for a death in hospital"),
        (patients["corticosteroid_start_date"] > end, "corticosteroid_start_date", "corticosteroids start after the end of the stay"),
    ]
    return _each(patients, files.patients, [(mask, column, "dates_out_of_order", message) for mask, column, message in checks])


def _has_row_on(patients: pd.DataFrame, daily: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """For each patient: whether daily_status.csv has a row for that patient_id on ``dates`` (a patients column)."""
    keys = _keys(patients, daily)
    span = 2**21  # more days than pandas' dates cover (years 1677-2262), so key * span + day is one-to-one
    covered = pd.Index(keys.key[keys.order] * span + keys.day[keys.order] % span)
    patient_key = keys.ids.get_indexer(patients["patient_id"])
    day = _days(dates)
    wanted = (patient_key >= 0) & (day != _NO_DAY)
    found = pd.Index(patient_key * span + day % span).isin(covered)
    return pd.Series(wanted & found, index=patients.index)


def anakinra_cases_start_anakinra_in_hospital(patients, daily, files):
    """An anakinra-cohort patient has anakinra_start_date after tocilizumab_start_date, with a daily row on that date; a historical patient has none."""
    cases = patients["cohort"] == "anakinra"
    historical = patients["cohort"] == "historical"
    start = patients["anakinra_start_date"]
    uncovered = cases & start.notna() & ~_has_row_on(patients, daily, start)
    return _each(patients, files.patients, [
        (cases & start.isna(), "anakinra_start_date", "anakinra_start_missing", "an anakinra-cohort patient needs anakinra_start_date"),
        (cases & (start <= patients["tocilizumab_start_date"]), "anakinra_start_date", "anakinra_not_after_tocilizumab",
         "anakinra must start after tocilizumab"),
        (uncovered, "anakinra_start_date", "anakinra_start_not_in_series", "there is no daily_status row on the anakinra start date"),
        (historical & start.notna(), "anakinra_start_date", "historical_with_anakinra",
         "a historical control cannot have an anakinra start date"),
    ])


def tocilizumab_start_is_in_series(patients, daily, files):
    """Each patient has a daily_status row on tocilizumab_start_date."""
    start = patients["tocilizumab_start_date"]
    uncovered = start.notna() & patients["patient_id"].isin(_keys(patients, daily).ids) & ~_has_row_on(patients, daily, start)
    return located_problems(patients, uncovered, files.patients, "tocilizumab_start_date", "tocilizumab_start_not_in_series",
                     "there is no daily_status row on the tocilizumab start date")


def corticosteroid_flag_matches_start_date(patients, daily, files):
    """A corticosteroid_start_date implies received_corticosteroids is not false."""
    contradiction = patients["corticosteroid_start_date"].notna() & (patients["received_corticosteroids"] == False)  # noqa: E712
    return located_problems(patients, contradiction, files.patients, "received_corticosteroids", "corticosteroid_flag_contradiction",
                     "received_corticosteroids is false but corticosteroid_start_date is given")


RULES = (
    daily_rows_belong_to_known_patients,
    one_row_per_patient_day,
    days_are_contiguous_from_admission,
    series_ends_at_end_of_stay,
    death_and_discharge_end_the_series,
    dates_are_ordered,
    anakinra_cases_start_anakinra_in_hospital,
    tocilizumab_start_is_in_series,
    corticosteroid_flag_matches_start_date,
)


def infection_rows_belong_to_known_patients(patients, infections, files):
    """Every infections row belongs to a patient_id listed in patients.csv."""
    orphan = infections["patient_id"].notna() & ~infections["patient_id"].isin(patients["patient_id"])
    return located_problems(infections, orphan, files.infections, "patient_id", "orphan_row", "the patient_id is not in patients.csv")


def one_row_per_infection(patients, infections, files):
    """No (patient_id, date, organism) appears twice in infections.csv."""
    duplicated = infections[["patient_id", "date"]].notna().all(axis=1) & infections.duplicated(
        ["patient_id", "date", "organism"], keep="first")
    return located_problems(infections, duplicated, files.infections, "organism", "duplicate_infection",
                            "this patient already has a row for this organism on this date")


def infection_date_is_within_the_stay(patients, infections, files):
    """An infection's date lies between the patient's admission and the end of the stay (discharge or death)."""
    known = patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id").set_index("patient_id")
    admission = infections["patient_id"].map(known["admission_date"])
    end = infections["patient_id"].map(_end_of_stay(known))
    before = infections["date"].notna() & admission.notna() & (infections["date"] < admission)
    after = infections["date"].notna() & end.notna() & (infections["date"] > end)
    return _each(infections, files.infections, [
        (before, "date", "infection_before_admission", "the infection is dated before the patient's admission_date"),
        (after, "date", "infection_after_stay", "the infection is dated after the patient's discharge or death"),
    ])


def infection_implies_infection_flag(patients, infections, files):
    """A patient with a row in infections.csv has had_bacterial_infection = true in patients.csv."""
    known = patients.dropna(subset=["patient_id"]).drop_duplicates("patient_id").set_index("patient_id")
    flag = infections["patient_id"].map(known["had_bacterial_infection"])
    contradiction = (flag == False).fillna(False).astype(bool)  # noqa: E712
    return located_problems(infections, contradiction, files.infections, "patient_id", "infection_flag_contradiction",
                            "the patient has an infection here but had_bacterial_infection is false in patients.csv")


INFECTION_RULES = (
    infection_rows_belong_to_known_patients,
    one_row_per_infection,
    infection_date_is_within_the_stay,
    infection_implies_infection_flag,
)


def run_rules(rules: tuple, patients: pd.DataFrame, other: pd.DataFrame, files: Files) -> list[Problem]:
    """Every problem the ``rules`` find, in rule order (each rule reads patients and one other table)."""
    return [problem for rule in rules for problem in rule(patients, other, files)]


def check_all(patients: pd.DataFrame, daily: pd.DataFrame, patients_file: str, daily_file: str) -> list[Problem]:
    """Run every cross-table rule and return all problems found (the rules share one set of whole-number keys)."""
    _KEYS_IN_USE[(id(patients), id(daily))] = _keys(patients, daily)
    try:
        return run_rules(RULES, patients, daily, Files(patients=patients_file, daily=daily_file))
    finally:
        _KEYS_IN_USE.clear()


def check_infections(patients: pd.DataFrame, infections: pd.DataFrame, patients_file: str,
                     infections_file: str) -> list[Problem]:
    """Run the rules of the optional infections.csv against patients.csv and return all problems found."""
    return run_rules(INFECTION_RULES, patients, infections, Files(patients=patients_file, daily="", infections=infections_file))


def describe_rules() -> pd.DataFrame:
    """The rules as a table for the data dictionary: name and plain-words statement (from each docstring)."""
    return pd.DataFrame(
        {
            "rule": [rule.__name__ for rule in (*RULES, *INFECTION_RULES)],
            "statement": [" ".join(rule.__doc__.split()) for rule in (*RULES, *INFECTION_RULES)],
        }
    )

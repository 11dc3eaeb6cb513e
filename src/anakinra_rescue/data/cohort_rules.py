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

from anakinra_rescue.data import compact
from anakinra_rescue.data.problems import Problem, located_problems
from anakinra_rescue.schemas.cohort import DEATH_STATUS

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
    return [
        problem
        for mask, column, rule, message in checks
        for problem in located_problems(frame, mask, file, column, rule, message)
    ]


def _end_of_stay(patients: pd.DataFrame) -> pd.Series:
    """The last in-hospital day: discharge, or death when the patient died before any discharge."""
    discharge = patients["discharge_date"]
    death = patients["death_date"]
    died_in_hospital = death.notna() & (discharge.isna() | (death <= discharge))
    return discharge.where(~died_in_hospital, death)


@dataclass(frozen=True)
class _Keys:
    """Whole numbers standing for the text keys, computed once per check so that no rule joins or sorts text.

    Per daily row: ``patient_row``, the position in patients.csv of the row's patient (its first row; -1 when the
    id is empty or not listed). ``orphans`` are the positions of the rows whose id is not listed. ``ids`` are the
    distinct daily patient_ids, sorted. ``order`` holds the positions of the rows with both a patient_id and a date,
    sorted by patient_id,
    date and line, and ``patient_day`` their (patient, date) as one sortable number, in that order.
    ``patient_key`` is, for each row of patients.csv, its id's index into ``ids`` (-1 when it has no daily row).
    The per-row arrays are 32-bit (``patient_day`` 64-bit), so 30 million daily rows take 120 MB per array.
    """

    patient_row: np.ndarray
    orphans: np.ndarray
    ids: pd.Index
    order: np.ndarray
    patient_day: np.ndarray
    patient_key: np.ndarray

    def patient_keys(self) -> np.ndarray:
        """Along ``order``: each row's patient as its index into ``ids`` (int32, shifted without a 64-bit copy)."""
        return np.right_shift(self.patient_day, _DAY_BITS, out=np.empty(len(self.patient_day), np.int32), casting="unsafe")


_NO_DAY = np.iinfo(np.int32).min
_DAY_NANOSECONDS = 86_400_000_000_000
# A day is stored as day + 2**20 in the low 21 bits of patient_day: pandas' dates (years 1677-2262) are fewer
# than 2**20 days either side of 1970, so key * 2**21 + that is one-to-one and sorts by patient, then date.
_DAY_BITS = 21
_BLOCK_ROWS = 2**22  # per-row arithmetic in blocks, so that its 64-bit temporaries stay small
_KEYS_IN_USE: dict[tuple[int, int], _Keys] = {}  # filled only while check_all runs, so every rule shares one _Keys


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970 (int32), an empty date as _NO_DAY; a categorical column is converted once
    per category."""
    if isinstance(dates.dtype, pd.CategoricalDtype):
        return compact.converted(dates, _days, _NO_DAY)
    nanoseconds = dates.to_numpy("datetime64[ns]").view("int64")
    days = np.empty(len(nanoseconds), np.int32)
    for start in range(0, len(nanoseconds), _BLOCK_ROWS):
        block = nanoseconds[start : start + _BLOCK_ROWS]
        days[start : start + _BLOCK_ROWS] = np.where(block == np.iinfo(np.int64).min, _NO_DAY, block // _DAY_NANOSECONDS)
    return days


def _patient_day(key: np.ndarray, day: np.ndarray) -> np.ndarray:
    """key * 2**21 + day + 2**20 as int64, built in place (no second 64-bit temporary)."""
    combined = key.astype(np.int64)
    combined <<= _DAY_BITS
    combined += day
    combined += 2**20
    return combined


def _sorted_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each value's number among the sorted distinct values (int32, -1 when empty), and those values."""
    if isinstance(ids.dtype, pd.CategoricalDtype):  # validate's compact frame: sort the categories, not the rows
        categories = ids.cat.categories
        distinct = categories.sort_values()
        rank = np.append(distinct.get_indexer(categories), -1).astype(np.int32)
        return rank[ids.cat.codes.to_numpy()], pd.Index(distinct.to_numpy(object))
    key, distinct = pd.factorize(ids, sort=True)
    return key.astype(np.int32), pd.Index(np.asarray(distinct, dtype=object))


def _keys(patients: pd.DataFrame, daily: pd.DataFrame) -> _Keys:
    cached = _KEYS_IN_USE.get((id(patients), id(daily)))
    if cached is not None:
        return cached
    key, ids = _sorted_codes(daily["patient_id"])
    patient_ids = patients["patient_id"].to_numpy(object)
    first = pd.notna(patient_ids) & ~pd.Series(patient_ids).duplicated().to_numpy(bool)
    position = pd.Index(patient_ids[first]).get_indexer(ids)
    rows = np.append(np.flatnonzero(first), -1)  # an id no patient has (position -1) takes the appended -1
    row_of_id = np.append(rows[position], -1).astype(np.int32)
    patient_row = row_of_id[key]  # key -1 (no id) takes the appended -1
    orphans = np.flatnonzero((key >= 0) & (patient_row < 0))
    day = _days(daily["date"])
    usable = (key >= 0) & (day != _NO_DAY)
    whole = bool(usable.all())  # the usual case: every row has an id and a date, and no positions are stored
    present = None if whole else np.flatnonzero(usable).astype(np.int32)
    del usable
    patient_day = _patient_day(key if whole else key[present], day if whole else day[present])
    del key, day
    ranked = np.argsort(patient_day, kind="stable")  # stable: rows of one patient-day stay in line order
    patient_day.sort()  # the same order as patient_day[ranked], without a second copy
    order = ranked.astype(np.int32) if present is None else present[ranked]
    del ranked, present
    return _Keys(
        patient_row=patient_row,
        orphans=orphans,
        ids=ids,
        order=order,
        patient_day=patient_day,
        patient_key=ids.get_indexer(patient_ids),
    )


def _day_of(patient_day: np.ndarray) -> np.ndarray:
    """The day (since 1970) held in the low bits of patient_day values."""
    return ((patient_day & (2**_DAY_BITS - 1)) - 2**20).astype(np.int32)


def _patient_days(dates: pd.Series, patient_row: np.ndarray) -> np.ndarray:
    """A patients.csv date column, as days, for each row's patient; _NO_DAY when empty or the patient is unknown."""
    days = np.append(_days(dates), _NO_DAY)
    return days[np.where(patient_row >= 0, patient_row, len(days) - 1)]


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
    return _at(daily, keys.orphans, files.daily, "patient_id", "orphan_row", "the patient_id is not in patients.csv")


def _repeated_days(keys: _Keys) -> np.ndarray:
    """Along ``keys.order``: True where the row repeats the previous row's patient-day."""
    same = keys.patient_day[1:] == keys.patient_day[:-1]
    return np.concatenate([[False], same]) if len(same) else np.zeros(len(keys.order), bool)


def one_row_per_patient_day(patients, daily, files):
    """No (patient_id, date) pair appears twice in daily_status.csv."""
    keys = _keys(patients, daily)
    duplicated = np.sort(keys.order[_repeated_days(keys)])
    return _at(daily, duplicated, files.daily, "date", "duplicate_patient_day", "this patient already has a row for this date")


def _blocks(length: int):
    """Slices of at most _BLOCK_ROWS rows covering range(length), so that per-row temporaries stay small."""
    return (slice(start, min(start + _BLOCK_ROWS, length)) for start in range(0, length, _BLOCK_ROWS))


def _new_patient_and_gap(patient_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Along sorted, distinct patient-days: where a patient's series starts, and where a day is skipped."""
    new_patient = np.ones(len(patient_day), bool)
    gap = np.zeros(len(patient_day), bool)
    for block in _blocks(len(patient_day) - 1):
        before, after = patient_day[block], patient_day[block.start + 1 : block.stop + 1]
        new_patient[block.start + 1 : block.stop + 1] = (before >> _DAY_BITS) != (after >> _DAY_BITS)
        gap[block.start + 1 : block.stop + 1] = (after - before) != 1  # the same patient, not the next day
    gap &= ~new_patient
    return new_patient, gap


def days_are_contiguous_from_admission(patients, daily, files):
    """Each patient's daily rows start on the admission date and run day by day without gaps."""
    keys = _keys(patients, daily)
    repeated = _repeated_days(keys)
    kept = None if not repeated.any() else ~repeated  # the usual case, no repeated day, takes no copies
    order = keys.order if kept is None else keys.order[kept]
    patient_day = keys.patient_day if kept is None else keys.patient_day[kept]
    new_patient, gap = _new_patient_and_gap(patient_day)
    firsts = np.flatnonzero(new_patient)
    del new_patient
    admission = _patient_days(patients["admission_date"], keys.patient_row[order[firsts]])
    first_day = _day_of(patient_day[firsts])
    starts_late = firsts[(admission != _NO_DAY) & (first_day != admission)]
    return _at(
        daily,
        order[starts_late],
        files.daily,
        "date",
        "series_not_from_admission",
        "the patient's first daily row is not on the admission date",
    ) + _at(daily, order[gap], files.daily, "date", "gap_in_days", "the day before this row is missing (days must be contiguous)")


def series_ends_at_end_of_stay(patients, daily, files):
    """The last daily row is the discharge date, or the death date for a death in hospital; with neither, it is no
    later than follow_up_end_date."""
    keys = _keys(patients, daily)
    key = keys.patient_keys()
    last_along = np.flatnonzero(np.concatenate([key[1:] != key[:-1], [True]])) if len(key) else np.zeros(0, np.int64)
    last = keys.order[last_along]
    day, patient_row = _day_of(keys.patient_day[last_along]), keys.patient_row[last]
    end = _patient_days(_end_of_stay(patients), patient_row)
    follow_up = _patient_days(patients["follow_up_end_date"], patient_row)
    wrong_end = (end != _NO_DAY) & (day != end)
    past_follow_up = (end == _NO_DAY) & (follow_up != _NO_DAY) & (day > follow_up)
    missing = patients["patient_id"].notna() & (keys.patient_key < 0)
    return (
        _at(
            daily,
            last[wrong_end],
            files.daily,
            "date",
            "series_not_to_end_of_stay",
            "the patient's last daily row is not on the discharge date or the in-hospital death date",
        )
        + _at(
            daily,
            last[past_follow_up],
            files.daily,
            "date",
            "series_after_follow_up",
            "the patient's daily rows run past follow_up_end_date",
        )
        + located_problems(
            patients, missing, files.patients, "patient_id", "no_daily_rows", "the patient has no rows in daily_status.csv"
        )
    )


def death_and_discharge_end_the_series(patients, daily, files):
    """Status 6 (death) appears only on the death date, on the last row; a discharge day has a status below 6."""
    keys = _keys(patients, daily)
    death_dates, discharge_dates = (
        np.append(_days(patients["death_date"]), _NO_DAY),
        np.append(_days(patients["discharge_date"]), _NO_DAY),
    )
    status = daily["ordinal_status"]
    off_date, on_discharge, alive = [], [], []
    for block in _blocks(len(daily)):
        day, patient_row = _days(daily["date"].iloc[block]), keys.patient_row[block]
        death = death_dates[np.where(patient_row >= 0, patient_row, len(death_dates) - 1)]
        discharge = discharge_dates[np.where(patient_row >= 0, patient_row, len(discharge_dates) - 1)]
        recorded = status.iloc[block]
        dead = (recorded == DEATH_STATUS).fillna(False).to_numpy(bool)
        on_death_day = (day == death) & (day != _NO_DAY)
        dead_on_discharge = dead & (day == discharge) & (day != _NO_DAY)
        alive_on_death_day = (
            on_death_day & recorded.notna().to_numpy(bool) & ~dead & ((discharge == _NO_DAY) | (death < discharge))
        )
        off_date.append(block.start + np.flatnonzero(dead & ~on_death_day & ~dead_on_discharge))
        on_discharge.append(block.start + np.flatnonzero(dead_on_discharge))
        alive.append(block.start + np.flatnonzero(alive_on_death_day))
    joined = [np.concatenate(found) if found else np.zeros(0, np.int64) for found in (off_date, on_discharge, alive)]
    return (
        _at(
            daily,
            joined[0],
            files.daily,
            "ordinal_status",
            "death_status_off_death_date",
            "status 6 (death) on a day that is not the patient's death_date",
        )
        + _at(
            daily,
            joined[1],
            files.daily,
            "ordinal_status",
            "death_status_on_discharge",
            "status 6 (death) on the discharge date; a discharge ends the series below 6",
        )
        + _at(
            daily,
            joined[2],
            files.daily,
            "ordinal_status",
            "alive_on_death_date",
            "the row on the in-hospital death date must have status 6",
        )
    )


def dates_are_ordered(patients, daily, files):
    """symptom_onset_date <= admission_date <= tocilizumab_start_date <= end of stay <= follow_up_end_date; a death
    closes follow-up, and a discharge precedes any later death."""
    end = _end_of_stay(patients)
    checks = [
        (patients["symptom_onset_date"] > patients["admission_date"], "symptom_onset_date", "symptom onset is after admission"),
        (
            patients["admission_date"] > patients["tocilizumab_start_date"],
            "tocilizumab_start_date",
            "tocilizumab starts before admission",
        ),
        (patients["tocilizumab_start_date"] > end, "tocilizumab_start_date", "tocilizumab starts after the end of the stay"),
        (end > patients["follow_up_end_date"], "follow_up_end_date", "follow-up ends before the end of the stay"),
        (
            patients["death_date"].notna() & (patients["follow_up_end_date"] != patients["death_date"]),
            "follow_up_end_date",
            "for a patient who died, follow_up_end_date must equal death_date",
        ),
        (
            patients["discharge_date"].notna()
            & patients["death_date"].notna()
            & (patients["death_date"] <= patients["discharge_date"]),
            "discharge_date",
            "death on or before the discharge date: leave discharge_date empty for a death in hospital",
        ),
        (
            patients["corticosteroid_start_date"] > end,
            "corticosteroid_start_date",
            "corticosteroids start after the end of the stay",
        ),
    ]
    return _each(patients, files.patients, [(mask, column, "dates_out_of_order", message) for mask, column, message in checks])


def _has_row_on(patients: pd.DataFrame, daily: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """For each patient: whether daily_status.csv has a row for that patient_id on ``dates`` (a patients column)."""
    keys = _keys(patients, daily)
    patient_key = keys.patient_key
    day = _days(dates)
    wanted = (patient_key >= 0) & (day != _NO_DAY)
    sought = _patient_day(patient_key, day)
    # patient_day is sorted: a binary search instead of a hash table over every daily row
    at = np.minimum(np.searchsorted(keys.patient_day, sought), max(len(keys.patient_day) - 1, 0))
    found = keys.patient_day[at] == sought if len(keys.patient_day) else np.zeros(len(sought), bool)
    return pd.Series(wanted & found, index=patients.index)


def anakinra_cases_start_anakinra_in_hospital(patients, daily, files):
    """An anakinra-cohort patient has anakinra_start_date after tocilizumab_start_date, with a daily row on that date;
    a historical patient has none."""
    cases = patients["cohort"] == "anakinra"
    historical = patients["cohort"] == "historical"
    start = patients["anakinra_start_date"]
    uncovered = cases & start.notna() & ~_has_row_on(patients, daily, start)
    return _each(
        patients,
        files.patients,
        [
            (
                cases & start.isna(),
                "anakinra_start_date",
                "anakinra_start_missing",
                "an anakinra-cohort patient needs anakinra_start_date",
            ),
            (
                cases & (start <= patients["tocilizumab_start_date"]),
                "anakinra_start_date",
                "anakinra_not_after_tocilizumab",
                "anakinra must start after tocilizumab",
            ),
            (
                uncovered,
                "anakinra_start_date",
                "anakinra_start_not_in_series",
                "there is no daily_status row on the anakinra start date",
            ),
            (
                historical & start.notna(),
                "anakinra_start_date",
                "historical_with_anakinra",
                "a historical control cannot have an anakinra start date",
            ),
        ],
    )


def tocilizumab_start_is_in_series(patients, daily, files):
    """Each patient has a daily_status row on tocilizumab_start_date."""
    start = patients["tocilizumab_start_date"]
    uncovered = start.notna() & (_keys(patients, daily).patient_key >= 0) & ~_has_row_on(patients, daily, start)
    return located_problems(
        patients,
        uncovered,
        files.patients,
        "tocilizumab_start_date",
        "tocilizumab_start_not_in_series",
        "there is no daily_status row on the tocilizumab start date",
    )


def corticosteroid_flag_matches_start_date(patients, daily, files):
    """A corticosteroid_start_date implies received_corticosteroids is not false."""
    contradiction = patients["corticosteroid_start_date"].notna() & (patients["received_corticosteroids"] == False)  # noqa: E712
    return located_problems(
        patients,
        contradiction,
        files.patients,
        "received_corticosteroids",
        "corticosteroid_flag_contradiction",
        "received_corticosteroids is false but corticosteroid_start_date is given",
    )


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


def describe_rules() -> pd.DataFrame:
    """The rules as a table for the data dictionary: name and plain-words statement (from each docstring)."""
    from anakinra_rescue.data.infection_rules import INFECTION_RULES  # the rules of the optional third file

    return pd.DataFrame(
        {
            "rule": [rule.__name__ for rule in (*RULES, *INFECTION_RULES)],
            "statement": [" ".join((rule.__doc__ or "").split()) for rule in (*RULES, *INFECTION_RULES)],
        }
    )

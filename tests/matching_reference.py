"""A plain, obviously-correct loop for the matching rule; the vectorised engine must agree with it.

Written straight from the rule in shared/DESIGN.md, sharing no code with
anakinra_rescue.engine.matching. Also used by `make bench` for the speed-up figure.
"""

import pandas as pd


def reference_match(patients: pd.DataFrame, daily: pd.DataFrame, max_age=5, max_charlson=2):
    """Return (pairs, log) as lists of tuples: (case_id, control_id, pseudo_date) and (case_id, candidate_id, reason)."""
    status_on = {(row.patient_id, row.date): int(row.ordinal_status) for row in daily.itertuples(index=False)}
    records = {row.patient_id: row for row in patients.itertuples(index=False)}
    cases = sorted(
        (row for row in records.values() if row.cohort == "anakinra"),
        key=lambda row: (row.anakinra_start_date, row.patient_id),
    )
    pool = sorted(
        (row for row in records.values() if row.cohort == "historical" and pd.isna(row.anakinra_start_date)),
        key=lambda row: (row.tocilizumab_start_date, row.patient_id),
    )
    used: set[str] = set()
    pairs, log = [], []
    for case in cases:
        interval = case.anakinra_start_date - case.tocilizumab_start_date
        case_status = status_on.get((case.patient_id, case.anakinra_start_date))
        for candidate in pool:
            pseudo = candidate.tocilizumab_start_date + interval
            reason = _first_failure(case, case_status, candidate, pseudo, used, status_on, max_age, max_charlson)
            log.append((case.patient_id, candidate.patient_id, reason))
            if reason == "selected":
                used.add(candidate.patient_id)
                pairs.append((case.patient_id, candidate.patient_id, pseudo))
                break
    return pairs, log


def _first_failure(case, case_status, candidate, pseudo, used, status_on, max_age, max_charlson):
    if candidate.patient_id in used:
        return "already_matched"
    if not abs(candidate.age_years - case.age_years) <= max_age:
        return "age"
    if not abs(candidate.charlson_index - case.charlson_index) <= max_charlson:
        return "charlson"
    discharged_by = not pd.isna(candidate.discharge_date) and candidate.discharge_date <= pseudo
    dead_by = not pd.isna(candidate.death_date) and candidate.death_date <= pseudo
    if discharged_by or dead_by or (candidate.patient_id, pseudo) not in status_on:
        return "not_in_hospital"
    start_status = status_on[(candidate.patient_id, candidate.tocilizumab_start_date)]
    day = candidate.tocilizumab_start_date
    while day <= pseudo:
        if status_on[(candidate.patient_id, day)] < start_status:
            return "improved"
        day += pd.Timedelta(days=1)
    if status_on[(candidate.patient_id, pseudo)] != case_status:
        return "status_differs"
    return "selected"

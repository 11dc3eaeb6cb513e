"""First-eligible chronological matching of historical controls to anakinra cases.

The rule (article, Methods; operational details in ``config.MatchingRules``):
cases are taken in order of day 0 (first anakinra dose; ties by patient_id).
For each case the control is the *first* historical patient, in order of
tocilizumab start (ties by patient_id), who is not yet used, is within the age
and Charlson windows, is alive and in hospital on the *pseudo date*
(tocilizumab start + the case's tocilizumab-to-anakinra interval), has not
improved between tocilizumab start and the pseudo date (both included), and
has the case's day-0 ordinal status on the pseudo date. Matching is without
replacement.

Implementation: each historical patient's status is laid out on a grid of days
since tocilizumab start, from which eligibility at every interval a case needs
is computed for the whole pool at once. Eligible patients are bucketed by
(status, age, Charlson); a case then looks only at the heads of the buckets
inside its windows, so each case costs a few dictionary look-ups whatever the
pool size. ``tests/matching_reference.py`` holds the plain loop this must agree
with (``tests/test_matching.py``).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from anakinra_rescue.engine.config import DEFAULT, REJECTION_REASONS, SELECTED, StudyConfig

NO_ROW = np.int8(0)
PAIR_COLUMNS = ["case_id", "control_id", "day0_date", "pseudo_date", "interval_days", "day0_status"]
LOG_COLUMNS = ["case_id", "candidate_id", "candidate_rank", "tocilizumab_start_date", "pseudo_date", "reason"]
UNMATCHED_COLUMNS = ["case_id", "day0_date", "interval_days", "day0_status"]


@dataclass(frozen=True)
class MatchResult:
    """The pairs, one log row per (case, candidate considered), and the cases left without a control."""

    pairs: pd.DataFrame
    log: pd.DataFrame
    unmatched: pd.DataFrame


def ordered_cases(patients: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Anakinra cases in matching order, with day 0, the tocilizumab interval and the day-0 status."""
    cases = patients[patients["cohort"] == "anakinra"]
    cases = cases.sort_values(["anakinra_start_date", "patient_id"], kind="stable")
    case_rows = daily[daily["patient_id"].isin(cases["patient_id"])]
    status = case_rows.set_index(["patient_id", "date"])["ordinal_status"]
    keys = pd.MultiIndex.from_arrays([cases["patient_id"], cases["anakinra_start_date"]])
    return pd.DataFrame({
        "case_id": cases["patient_id"].to_numpy(),
        "day0_date": cases["anakinra_start_date"].to_numpy(),
        "interval_days": (cases["anakinra_start_date"] - cases["tocilizumab_start_date"]).dt.days.to_numpy(),
        "day0_status": status.reindex(keys).to_numpy(),
        "age_years": cases["age_years"].to_numpy(dtype=float),
        "charlson_index": cases["charlson_index"].to_numpy(dtype=float),
    })


def ordered_pool(patients: pd.DataFrame) -> pd.DataFrame:
    """Historical patients never given anakinra, in order of tocilizumab start (ties by patient_id)."""
    pool = patients[(patients["cohort"] == "historical") & patients["anakinra_start_date"].isna()]
    return pool.sort_values(["tocilizumab_start_date", "patient_id"], kind="stable").reset_index(drop=True)


def _status_grid(pool: pd.DataFrame, daily: pd.DataFrame, max_offset: int) -> np.ndarray:
    """Status of each pool patient on days 0..max_offset after tocilizumab start (0 where no row)."""
    grid = np.full((len(pool), max_offset + 1), NO_ROW, dtype=np.int8)
    all_ranks = pd.Index(pool["patient_id"]).get_indexer(daily["patient_id"])
    in_pool = all_ranks >= 0
    row_rank = all_ranks[in_pool]
    dates = daily["date"].to_numpy()[in_pool]
    offset = (dates - pool["tocilizumab_start_date"].to_numpy()[row_rank]).astype("timedelta64[D]").astype(np.int64)
    inside = (offset >= 0) & (offset <= max_offset)
    statuses = daily["ordinal_status"].to_numpy(dtype=np.int8, na_value=0)[in_pool]
    grid[row_rank[inside], offset[inside]] = statuses[inside]
    return grid


@dataclass(frozen=True)
class _PoolFeatures:
    """For each interval k: pool status on the pseudo date, in-hospital flag and improvement flag."""

    status: dict[int, np.ndarray]
    in_hospital: dict[int, np.ndarray]
    improved: dict[int, np.ndarray]


def _pool_features(pool: pd.DataFrame, daily: pd.DataFrame, intervals: np.ndarray) -> _PoolFeatures:
    max_offset = int(intervals.max()) if intervals.size else 0
    grid = _status_grid(pool, daily, max_offset)
    observed = grid != NO_ROW
    running_min = np.minimum.accumulate(np.where(observed, grid, np.int8(127)), axis=1)
    start_status = np.where(observed[:, 0], grid[:, 0], np.int8(-1))
    toci = pool["tocilizumab_start_date"]
    leaves = pd.concat([pool["discharge_date"], pool["death_date"]], axis=1).min(axis=1)
    leaves_offset = (leaves - toci).dt.days.to_numpy(dtype=float)
    leaves_offset = np.where(np.isnan(leaves_offset), np.inf, leaves_offset)
    status, in_hospital, improved = {}, {}, {}
    for k in np.unique(intervals):
        k = int(k)
        status[k] = grid[:, k]
        in_hospital[k] = observed[:, k] & (leaves_offset > k)
        improved[k] = running_min[:, k] < start_status
    return _PoolFeatures(status, in_hospital, improved)


def _buckets(features: _PoolFeatures, k: int, age: np.ndarray, charlson: np.ndarray) -> dict[tuple, np.ndarray]:
    """Eligible pool ranks at interval k (in hospital, not improved), grouped by (status, age, Charlson) in rank order."""
    eligible = np.flatnonzero(features.in_hospital[k] & ~features.improved[k] & ~np.isnan(age) & ~np.isnan(charlson))
    keys = np.stack([features.status[k][eligible].astype(np.int64), age[eligible].astype(np.int64),
                     charlson[eligible].astype(np.int64)], axis=1)
    order = np.lexsort((eligible, keys[:, 2], keys[:, 1], keys[:, 0]))
    keys, ranks = keys[order], eligible[order]
    if ranks.size == 0:
        return {}
    breaks = np.flatnonzero((np.diff(keys, axis=0) != 0).any(axis=1)) + 1
    starts = np.concatenate([[0], breaks])
    return {tuple(int(v) for v in keys[start]): group for start, group in zip(starts, np.split(ranks, breaks))}


def match_controls(patients: pd.DataFrame, daily: pd.DataFrame, config: StudyConfig = DEFAULT, with_log: bool = True) -> MatchResult:
    """Match each anakinra case to its first eligible historical control, chronologically, without replacement.

    ``with_log=False`` skips the rejection log (for registry-sized pools, where
    the log can have as many rows as cases times candidates).
    """
    rules = config.matching
    cases = ordered_cases(patients, daily)
    pool = ordered_pool(patients)
    age = pool["age_years"].to_numpy(dtype=float)
    charlson = pool["charlson_index"].to_numpy(dtype=float)
    valid_interval = cases["interval_days"].to_numpy()
    features = _pool_features(pool, daily, valid_interval[valid_interval >= 0])
    buckets_by_interval: dict[int, dict] = {}
    heads: dict[tuple, int] = {}
    used = np.zeros(len(pool), dtype=bool)
    chosen = np.full(len(cases), -1, dtype=np.int64)
    age_steps = range(-rules.max_age_difference_years, rules.max_age_difference_years + 1)
    charlson_steps = range(-rules.max_charlson_difference, rules.max_charlson_difference + 1)
    for position, case in enumerate(cases.itertuples(index=False)):
        if pd.isna(case.day0_status) or np.isnan(case.age_years) or np.isnan(case.charlson_index):
            continue
        k = int(case.interval_days)
        if k not in buckets_by_interval:
            buckets_by_interval[k] = _buckets(features, k, age, charlson)
        buckets = buckets_by_interval[k]
        best = -1
        for step_age in age_steps:
            for step_charlson in charlson_steps:
                key = (int(case.day0_status), int(case.age_years) + step_age, int(case.charlson_index) + step_charlson)
                ranks = buckets.get(key)
                if ranks is None:
                    continue
                head = heads.get((k, *key), 0)
                while head < ranks.size and used[ranks[head]]:
                    head += 1
                heads[(k, *key)] = head
                if head < ranks.size and (best < 0 or ranks[head] < best):
                    best = int(ranks[head])
        if best >= 0:
            used[best] = True
            chosen[position] = best
    return _result(cases, pool, chosen, features, age, charlson, config, with_log)


def _result(cases, pool, chosen, features, age, charlson, config, with_log) -> MatchResult:
    matched = chosen >= 0
    interval = pd.to_timedelta(cases["interval_days"], unit="D")
    pairs = pd.DataFrame({
        "case_id": cases["case_id"][matched].to_numpy(),
        "control_id": pool["patient_id"].to_numpy()[chosen[matched]],
        "day0_date": cases["day0_date"][matched].to_numpy(),
        "pseudo_date": (pool["tocilizumab_start_date"].to_numpy()[chosen[matched]] + interval[matched].to_numpy()),
        "interval_days": cases["interval_days"][matched].to_numpy(),
        "day0_status": cases["day0_status"][matched].astype("Int64").to_numpy(),
    }, columns=PAIR_COLUMNS)
    unmatched = cases.loc[~matched, UNMATCHED_COLUMNS].reset_index(drop=True)
    log = _rejection_log(cases, pool, chosen, features, age, charlson, config) if with_log else pd.DataFrame(columns=LOG_COLUMNS)
    return MatchResult(pairs=pairs, log=log, unmatched=unmatched)


def _rejection_log(cases, pool, chosen, features, age, charlson, config) -> pd.DataFrame:
    """One row per (case, candidate considered): every candidate up to the selected one, with the first failing rule."""
    rules = config.matching
    taken_by = np.full(len(pool), np.iinfo(np.int64).max, dtype=np.int64)
    taken_by[chosen[chosen >= 0]] = np.flatnonzero(chosen >= 0)
    # Once, not per case: an Arrow-backed text column converts to a new array on every to_numpy().
    pool_ids, pool_starts = pool["patient_id"].to_numpy(), pool["tocilizumab_start_date"].to_numpy()
    frames = []
    for position, case in enumerate(cases.itertuples(index=False)):
        last = chosen[position] if chosen[position] >= 0 else len(pool) - 1
        ranks = np.arange(last + 1)
        k = int(case.interval_days)
        if k in features.status:
            status, in_hospital, improved = features.status[k][ranks], features.in_hospital[k][ranks], features.improved[k][ranks]
        else:  # a negative interval: no candidate can be in hospital before its own tocilizumab
            status, in_hospital, improved = np.zeros(ranks.size), np.zeros(ranks.size, bool), np.zeros(ranks.size, bool)
        failures = {
            "already_matched": taken_by[ranks] < position,
            "age": ~(np.abs(age[ranks] - case.age_years) <= rules.max_age_difference_years),
            "charlson": ~(np.abs(charlson[ranks] - case.charlson_index) <= rules.max_charlson_difference),
            "not_in_hospital": ~in_hospital,
            "improved": improved,
            "status_differs": status != case.day0_status,
        }
        reason = np.full(ranks.size, SELECTED, dtype=object)
        for name in reversed(rules.rejection_order):
            reason = np.where(failures[name], name, reason)
        frames.append(pd.DataFrame({
            "case_id": case.case_id,
            "candidate_id": pool_ids[ranks],
            "candidate_rank": ranks + 1,
            "tocilizumab_start_date": pool_starts[ranks],
            "pseudo_date": pool_starts[ranks] + np.timedelta64(k, "D"),
            "reason": reason,
        }))
    if not frames:
        return pd.DataFrame(columns=LOG_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def rejection_counts(log: pd.DataFrame) -> pd.DataFrame:
    """How many candidate checks ended with each reason, in rule order, then 'selected'."""
    order = [*REJECTION_REASONS, SELECTED]
    counts = log["reason"].value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"reason": order, "candidates": counts.to_numpy()})

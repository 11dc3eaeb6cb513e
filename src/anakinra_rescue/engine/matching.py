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
import pyarrow as pa
import pyarrow.compute as pc

from anakinra_rescue.data import compact
from anakinra_rescue.engine.config import DEFAULT, REJECTION_REASONS, SELECTED, StudyConfig

NO_ROW = np.int8(0)
PAIR_COLUMNS = ["case_id", "control_id", "day0_date", "pseudo_date", "interval_days", "day0_status"]
LOG_COLUMNS = ["case_id", "candidate_id", "candidate_rank", "tocilizumab_start_date", "pseudo_date", "reason"]
UNMATCHED_COLUMNS = ["case_id", "day0_date", "interval_days", "day0_status"]
POOL_COLUMNS = ["patient_id", "tocilizumab_start_date", "discharge_date", "death_date", "age_years", "charlson_index"]


@dataclass(frozen=True)
class MatchResult:
    """The pairs, one log row per (case, candidate considered), and the cases left without a control."""

    pairs: pd.DataFrame
    log: pd.DataFrame
    unmatched: pd.DataFrame


def ordered_cases(patients: pd.DataFrame, daily: pd.DataFrame, is_case_row: np.ndarray | None = None) -> pd.DataFrame:
    """Anakinra cases in matching order, with day 0, the tocilizumab interval and the day-0 status.

    ``is_case_row`` (which daily rows belong to a case) saves a pass over the daily rows when already known."""
    cases = patients[patients["cohort"] == "anakinra"]
    cases = cases.sort_values(["anakinra_start_date", "patient_id"], kind="stable")
    case_rows = daily[daily["patient_id"].isin(cases["patient_id"]) if is_case_row is None else is_case_row]
    return pd.DataFrame(
        {
            "case_id": cases["patient_id"].to_numpy(),
            "day0_date": cases["anakinra_start_date"].to_numpy(),
            "interval_days": (cases["anakinra_start_date"] - cases["tocilizumab_start_date"]).dt.days.to_numpy(),
            "day0_status": _day0_status(cases, case_rows).to_numpy(),
            "age_years": cases["age_years"].to_numpy(dtype=float),
            "charlson_index": cases["charlson_index"].to_numpy(dtype=float),
        }
    )


def _day0_status(cases: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Each case's status on its anakinra start date (missing without a row that day), found by whole numbers:
    the case's position for each row, and dates as nanoseconds, so that no text is expanded."""
    row_case = _positions(rows["patient_id"], cases["patient_id"])
    no_date = np.iinfo(np.int64).min
    row_day = _nanoseconds(rows["date"])
    start = np.append(cases["anakinra_start_date"].to_numpy("datetime64[ns]").view(np.int64), no_date)
    hit = np.flatnonzero((row_case >= 0) & (row_day != no_date) & (row_day == start[row_case]))
    status = np.full(len(cases), np.nan)
    status[row_case[hit]] = rows["ordinal_status"].to_numpy("float64", na_value=np.nan)[hit]
    return pd.Series(pd.array(status, dtype="Int64"))


def ordered_pool(patients: pd.DataFrame) -> pd.DataFrame:
    """Historical patients never given anakinra, in order of tocilizumab start (ties by patient_id), with the
    columns matching reads (:data:`POOL_COLUMNS`)."""
    pool = patients.loc[(patients["cohort"] == "historical") & patients["anakinra_start_date"].isna(), POOL_COLUMNS]
    # pyarrow's stable multi-key sort: a million patients in a fifth of the time pandas takes to sort Arrow text
    keys = pa.table({"start": pa.array(pool["tocilizumab_start_date"]), "id": pa.array(pool["patient_id"], pa.string())})
    order = pc.sort_indices(keys, sort_keys=[("start", "ascending", "at_end"), ("id", "ascending", "at_end")])
    return pool.iloc[order.to_numpy()].reset_index(drop=True)


def _positions(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """The position of each value among ``keys`` (-1 when absent). Arrow text is looked up by pyarrow's hash
    (six times faster than pandas on 13 million ids), Python objects by pandas."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # the compact daily table: look up each category once
        by_category = np.append(_positions(pd.Series(values.cat.categories), keys), -1).astype(np.int32)
        return by_category[values.cat.codes.to_numpy()]
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        found = pc.index_in(pa.array(values), value_set=pa.array(keys.astype(values.dtype)))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return pd.Index(keys).get_indexer(values)


def _nanoseconds(dates: pd.Series, rows: np.ndarray | None = None) -> np.ndarray:
    """The dates (of the selected ``rows``, or all) as int64 nanoseconds; a categorical column converts each
    category once."""
    return compact.converted(dates, lambda values: values.to_numpy("datetime64[ns]").view(np.int64), np.iinfo(np.int64).min, rows)


_BLOCK_ROWS = 2**22  # daily rows per block when the grid is filled, so that temporaries stay small


def _status_grid(pool: pd.DataFrame, daily: pd.DataFrame, max_offset: int, all_ranks: np.ndarray) -> np.ndarray:
    """Status of each pool patient on days 0..max_offset after tocilizumab start (0 where no row); ``all_ranks``
    is each daily row's rank in the pool (-1 outside it)."""
    grid = np.full((len(pool), max_offset + 1), NO_ROW, dtype=np.int8)
    day = 86_400 * 10**9
    starts = pool["tocilizumab_start_date"].to_numpy("datetime64[ns]").view(np.int64)
    statuses = daily["ordinal_status"]
    for first in range(0, len(all_ranks), _BLOCK_ROWS):
        rows = first + np.flatnonzero(all_ranks[first : first + _BLOCK_ROWS] >= 0)
        row_rank = all_ranks[rows]
        offset = (_nanoseconds(daily["date"], rows) - starts[row_rank]) // day
        inside = np.flatnonzero((offset >= 0) & (offset <= max_offset))
        grid[row_rank[inside], offset[inside]] = statuses.iloc[rows[inside]].to_numpy(dtype=np.int8, na_value=0)
    return grid


@dataclass(frozen=True)
class _PoolFeatures:
    """For each interval k: pool status on the pseudo date, in-hospital flag and improvement flag."""

    status: dict[int, np.ndarray]
    in_hospital: dict[int, np.ndarray]
    improved: dict[int, np.ndarray]


def _pool_features(pool: pd.DataFrame, daily: pd.DataFrame, intervals: np.ndarray, all_ranks: np.ndarray) -> _PoolFeatures:
    max_offset = int(intervals.max()) if intervals.size else 0
    grid = _status_grid(pool, daily, max_offset, all_ranks)
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


def _buckets(features: _PoolFeatures, k: int, age: np.ndarray, charlson: np.ndarray) -> dict[int, np.ndarray]:
    """Eligible pool ranks at interval k (in hospital, not improved), grouped by (status, age, Charlson) in rank order
    (keyed by :func:`_bucket_key`)."""
    eligible = np.flatnonzero(features.in_hospital[k] & ~features.improved[k] & ~np.isnan(age) & ~np.isnan(charlson))
    if eligible.size == 0:
        return {}
    status, years, index = (
        features.status[k][eligible].astype(np.int64),
        age[eligible].astype(np.int64),
        charlson[eligible].astype(np.int64),
    )
    # One sortable number per patient; a stable sort keeps rank order inside each group (eligible is ascending).
    # Validated data (status 1-6, age 18-120, Charlson 0-37) fits in 3 + 7 + 6 bits, and numpy sorts 16-bit
    # numbers by radix, about ten times faster; anything else takes 64 bits.
    fits = (
        (status.min() >= 0)
        & (status.max() < 8)
        & (years.min() >= 0)
        & (years.max() < 128)
        & (index.min() >= 0)
        & (index.max() < 64)
    )
    combined = (
        ((status << 13) + (years << 6) + index).astype(np.uint16)
        if fits
        else ((status << 42) + ((years + 2**20) << 21) + (index + 2**20))
    )
    order = np.argsort(combined, kind="stable")
    combined, ranks = combined[order], eligible[order]
    breaks = np.flatnonzero(combined[1:] != combined[:-1]) + 1
    starts = np.concatenate([[0], breaks])
    return {
        _bucket_key(int(status[order[start]]), int(years[order[start]]), int(index[order[start]])): group
        for start, group in zip(starts, np.split(ranks, breaks))
    }


def _bucket_key(status: int, age: int, charlson: int) -> int:
    """(status, age, Charlson) as one Python int; a step of the age or Charlson window is then one addition.
    Each field has 16 bits, and validated ages and scores are far inside them, so no two triples share a key."""
    return (status << 32) + ((age + 2**15) << 16) + (charlson + 2**15)


def match_controls(
    patients: pd.DataFrame, daily: pd.DataFrame, config: StudyConfig = DEFAULT, with_log: bool = True
) -> MatchResult:
    """Match each anakinra case to its first eligible historical control, chronologically, without replacement.

    ``with_log=False`` skips the rejection log (for registry-sized pools, where
    the log can have as many rows as cases times candidates).
    """
    rules = config.matching
    pool = ordered_pool(patients)
    case_ids = patients.loc[patients["cohort"] == "anakinra", "patient_id"]
    # One pass over the daily rows finds both each row's rank in the pool and whether it is a case's row.
    found = _positions(daily["patient_id"], pd.concat([pool["patient_id"], case_ids], ignore_index=True))
    cases = ordered_cases(patients, daily, is_case_row=found >= len(pool))
    age = pool["age_years"].to_numpy(dtype=float)
    charlson = pool["charlson_index"].to_numpy(dtype=float)
    valid_interval = cases["interval_days"].to_numpy()
    features = _pool_features(pool, daily, valid_interval[valid_interval >= 0], np.where(found < len(pool), found, -1))
    buckets_by_interval: dict[int, dict] = {}
    heads: dict[tuple, int] = {}
    used = bytearray(len(pool))  # indexed by Python ints in the loop below: faster than a numpy array
    chosen = np.full(len(cases), -1, dtype=np.int64)
    window = [
        (step_age << 16) + step_charlson
        for step_age in range(-rules.max_age_difference_years, rules.max_age_difference_years + 1)
        for step_charlson in range(-rules.max_charlson_difference, rules.max_charlson_difference + 1)
    ]
    for position, case in enumerate(cases.itertuples(index=False)):
        if pd.isna(case.day0_status) or np.isnan(case.age_years) or np.isnan(case.charlson_index):
            continue
        k = int(case.interval_days)
        if k not in buckets_by_interval:
            buckets_by_interval[k] = _buckets(features, k, age, charlson)
        buckets = buckets_by_interval[k]
        centre = _bucket_key(int(case.day0_status), int(case.age_years), int(case.charlson_index))
        best = -1
        for step in window:
            ranks = buckets.get(centre + step)
            if ranks is None:
                continue
            head = heads.get((k, centre + step), 0)
            while head < ranks.size and used[ranks[head]]:
                head += 1
            heads[(k, centre + step)] = head
            if head < ranks.size and (best < 0 or ranks[head] < best):
                best = int(ranks[head])
        if best >= 0:
            used[best] = True
            chosen[position] = best
    return _result(cases, pool, chosen, features, age, charlson, config, with_log)


def _result(cases, pool, chosen, features, age, charlson, config, with_log) -> MatchResult:
    matched = chosen >= 0
    interval = pd.to_timedelta(cases["interval_days"], unit="D")
    pairs = pd.DataFrame(
        {
            "case_id": cases["case_id"][matched].to_numpy(),
            "control_id": pool["patient_id"].to_numpy()[chosen[matched]],
            "day0_date": cases["day0_date"][matched].to_numpy(),
            "pseudo_date": (pool["tocilizumab_start_date"].to_numpy()[chosen[matched]] + interval[matched].to_numpy()),
            "interval_days": cases["interval_days"][matched].to_numpy(),
            "day0_status": cases["day0_status"][matched].astype("Int64").to_numpy(),
        },
        columns=PAIR_COLUMNS,
    )
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
        frames.append(
            pd.DataFrame(
                {
                    "case_id": case.case_id,
                    "candidate_id": pool_ids[ranks],
                    "candidate_rank": ranks + 1,
                    "tocilizumab_start_date": pool_starts[ranks],
                    "pseudo_date": pool_starts[ranks] + np.timedelta64(k, "D"),
                    "reason": reason,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=LOG_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def rejection_counts(log: pd.DataFrame) -> pd.DataFrame:
    """How many candidate checks ended with each reason, in rule order, then 'selected'."""
    order = [*REJECTION_REASONS, SELECTED]
    counts = log["reason"].value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"reason": order, "candidates": counts.to_numpy()})

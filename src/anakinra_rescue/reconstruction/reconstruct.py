"""Reconstruct a synthetic cohort that agrees with the article wherever that is possible.

``python -m anakinra_rescue reconstruct --out data/reconstructed [--seed K]``

Method, in order:

1. **Rows.** Every continuous row of Tables 1 and 2 (with the overall figures
   the Abstract and Results quote) is solved by :mod:`anakinra_rescue.reconstruction.solver`:
   a vector per group, of the printed availability, whose summary and P-value
   print as published. Age and Charlson are solved with the matching windows
   (after rank-wise pairing, |age difference| <= 5 and |Charlson difference| <= 2).
   The tocilizumab-to-day-0 interval is solved for the cases only: matching
   copies it to the controls.
2. **Outcomes.** :mod:`anakinra_rescue.reconstruction.table3_optimum` solves the
   trajectories after day 0 exactly (an integer programme: every printed count and
   the most printed quartiles), and :mod:`anakinra_rescue.reconstruction.trajectories`
   searches from there, keeping every number already matched.
3. **Counts.** n (%) rows are exact by construction: the printed number of
   patients get the flag, at random.
4. **Patients.** Cases and controls are paired (same day-0 status and interval,
   age and Charlson from rank-wise pairs), given dates inside the study windows
   and daily rows that carry the solved values on the right days.
5. **Pool.** Historical decoys, each failing the matching rule for every case
   in a different way, are spread over the tocilizumab window. The project's
   own :func:`anakinra_rescue.engine.matching.match_controls` must then select exactly
   the designed controls; if it does not, reconstruction fails loudly.

Randomness: ``numpy.random.default_rng(seed)``; the default seed is
:data:`DEFAULT_SEED`. The same seed writes byte-identical files.
"""

import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from anakinra_rescue.data import csv_writer, plausibility, published
from anakinra_rescue.data.vocabulary import StatisticalTest, day_column
from anakinra_rescue.engine import matching, tables
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.engine.outcomes import INFECTION_ROWS, PATIENT_FLAGS
from anakinra_rescue.engine.tables import TEXT_SOURCES
from anakinra_rescue.reconstruction import grid, plausible, row_witness, table3_optimum
from anakinra_rescue.reconstruction.daily import build_daily_rows, build_decoys, build_infections
from anakinra_rescue.reconstruction.solver import RowProblem, RowSolution, row_statistics, solve_row_with_restarts
from anakinra_rescue.reconstruction.trajectories import discharged_in_steps, outcome_statistics, solve_outcomes
from anakinra_rescue.schemas.cohort import ORDINAL_LEVELS
from anakinra_rescue.schemas.published import COMPARED_GROUPS

DEFAULT_SEED = 20200406  # the first day a case received anakinra
N_DECOYS = 110
CASE_DAY0_WINDOW = (pd.Timestamp("2020-04-06"), pd.Timestamp("2020-05-08"))
CONTROL_TOCILIZUMAB_WINDOW = (pd.Timestamp("2020-03-18"), pd.Timestamp("2020-04-20"))
POOL_TOCILIZUMAB_WINDOW = (pd.Timestamp("2020-03-18"), pd.Timestamp("2020-05-14"))

# variable -> (kind, low, high, step, extra options): the value domain of each solved row, kept in row_domains.csv.
# Day-0 scores start above what every patient's own day 0 gives: all are on oxygen (NEWS2 2 points) and almost all
# breathe 21 or more a minute (2 more), so NEWS starts at 4; all have a PaO2:FiO2 below 300, so SOFA starts at 2
# (plausible.day0_scores_over_their_points then fits each value to a patient).
# A number written with a decimal point is a float and one without is an int, as the solver's grid expects.
ROW_DOMAINS_CSV = Path(__file__).with_name("row_domains.csv")


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _row_domains() -> dict[str, tuple]:
    with ROW_DOMAINS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["variable"]: (
            row["kind"],
            _number(row["low"]),
            _number(row["high"]),
            _number(row["step"]),
            {
                **({"pair_window": int(row["pair_window"])} if row["pair_window"] else {}),
                **({"copy_anakinra_to_control": True} if row["copy_anakinra_to_control"] == "true" else {}),
            },
        )
        for row in rows
    }


ROW_DOMAINS = _row_domains()
ADVERSE_EVENTS = {name: column for name, column in PATIENT_FLAGS.items() if column.startswith("had_")}
LE_100 = 100.0  # the Results' PaO2:FiO2 threshold, counted "<= 100"
BY_DAY0_STATUS = ("pao2_fio2_ratio", "sofa_score", "news_score")
BINARY_TABLE_ROWS = {name: column for name, column in PATIENT_FLAGS.items() if name not in ADVERSE_EVENTS}


@dataclass
class Reconstruction:
    """The cohort, the solver's own accounting, and the runtime."""

    patients: pd.DataFrame
    daily_status: pd.DataFrame
    solver_misses: list
    seconds: float
    infections: pd.DataFrame | None = None


def _printed(record: pd.DataFrame, source: str, variable: str) -> dict:
    rows = record[(record["source"] == source) & (record["variable"] == variable)]
    return {(row.group, row.statistic): row.compared_as for row in rows.itertuples(index=False)}


def row_problem(record: pd.DataFrame, variable: str, available: tuple[int, int], config: StudyConfig = DEFAULT) -> RowProblem:
    """The printed targets and value domain of one continuous row."""
    kind, low, high, step, options = ROW_DOMAINS[variable]
    source = "table1" if not record[(record["source"] == "table1") & (record["variable"] == variable)].empty else "table2"
    targets = {key: value for key, value in _printed(record, source, variable).items() if key[1] != "denominator"}
    for text_source in TEXT_SOURCES:
        targets.update(
            {
                key: value
                for key, value in _printed(record, text_source, variable).items()
                if key[0] == "overall" and key[1] in ("mean", "sd", "median", "q1", "q3")
            }
        )
    if options.get("copy_anakinra_to_control"):
        targets = {key: value for key, value in targets.items() if key[0] == "anakinra"}
    bands: tuple[tuple[float, float, int, int], ...] = ()
    if variable == "pao2_fio2_ratio":
        counts = {name: _printed(record, "table2", name) for name, _, _ in DEFAULT.pao2_fio2_bands}
        bands = tuple(
            (low, high, int(counts[name][("anakinra", "n")]), int(counts[name][("control", "n")]))
            for name, low, high in DEFAULT.pao2_fio2_bands
        )
        # The Results count "<= 100" as Table 2 counts "< 100", so nobody sits exactly on 100: that band starts above it.
        at_most = _printed(record, "results", "pao2_fio2_le_100")
        below = counts["pao2_fio2_lt_100"]
        if all(at_most.get((group, "n")) == below.get((group, "n")) for group in COMPARED_GROUPS):
            bands = tuple(
                (band_low + step / 2 if band_low == LE_100 else band_low, band_high, cases, controls)
                for band_low, band_high, cases, controls in bands
            )
    test = tables.test_name_for(variable, kind, config)
    return RowProblem(variable, kind, targets, available, low, high, step, bands=bands, test=test, **options)


def _availability(record: pd.DataFrame, variable: str) -> tuple[int, int]:
    for source in ("table1", "table2"):
        printed = _printed(record, source, variable)
        if ("anakinra", "denominator") in printed:
            return int(printed[("anakinra", "denominator")]), int(printed[("control", "denominator")])
    if variable == "corticosteroid_to_day0_days":
        printed = _printed(record, "table1", "received_corticosteroids")
        return int(printed[("anakinra", "n")]), int(printed[("control", "n")])
    return published.group_size(record), published.group_size(record)


def solve_rows(record: pd.DataFrame, rng: np.random.Generator, progress=print) -> tuple[dict, list]:
    """Solve every continuous row; return {variable: (anakinra values, control values)} and the misses."""
    solved, misses = {}, []
    witnesses = row_witness.read_witnesses()
    for variable in ROW_DOMAINS:
        problem = row_problem(record, variable, _availability(record, variable))
        solution = solve_row_with_restarts(problem, rng)
        if solution.matched < solution.total:  # a mean row the local search missed: solve it on its value grid
            solution = grid.solve_mean_row(problem) or solution
        stored = witnesses.get(variable) if problem.test == StatisticalTest.MANN_WHITNEY_ASYMPTOTIC else None
        if solution.matched < solution.total and stored is not None:  # a tie-heavy row: its stored witness
            witness = _witness_solution(problem, *stored)
            solution = witness if witness.matched > solution.matched else solution
        solved[variable] = (rng.permutation(solution.anakinra), rng.permutation(solution.control))
        misses += [(variable, *key) for key in solution.missed]
        progress(f"  {variable:<32} {solution.matched}/{solution.total} printed numbers")
    return solved, misses


def _witness_solution(problem: RowProblem, anakinra: np.ndarray, control: np.ndarray) -> RowSolution:
    """The stored tie-heavy witness of a row (:mod:`anakinra_rescue.reconstruction.row_witness`) as a solution."""
    found = row_statistics(anakinra, control, problem.kind, problem.test)
    missed = [key for key, printed in problem.targets.items() if not prints_as(printed, found.get(key, math.nan))]
    return RowSolution(anakinra.copy(), control.copy(), len(problem.targets) - len(missed), len(problem.targets), 0, missed)


def _flags(count: int, size: int, rng: np.random.Generator, missing: int = 0) -> pd.array:
    values = np.zeros(size, dtype=object)
    order = rng.permutation(size)
    values[order[:count]] = True
    values[order[count : size - missing]] = False
    values[order[size - missing :]] = pd.NA
    return pd.array(list(values), dtype="boolean")


def _group_patients(record, solved, group, size, rng) -> pd.DataFrame:
    """Per-patient baseline values of one group (before pairing)."""
    frame = pd.DataFrame(index=range(size))
    for variable, column in BINARY_TABLE_ROWS.items():
        count = int(_printed(record, "table1", variable)[(group, "n")])
        # A percentage printed on fewer than the whole group implies missing values (obesity: 7/18 and 11/19).
        missing = size - published.implied_denominators(record, "table1", variable)[group]
        frame[column] = _flags(count, size, rng, missing)
    for variable, column in ADVERSE_EVENTS.items():
        frame[column] = _flags(int(_printed(record, "results", variable)[(group, "n")]), size, rng)
    hispanic = int(_printed(record, "table1", "ethnicity_hispanic")[(group, "n")])
    caucasian = int(_printed(record, "table1", "ethnicity_caucasian")[(group, "n")])
    ethnicity = np.array(["hispanic"] * hispanic + ["caucasian"] * caucasian + ["other"] * (size - hispanic - caucasian))
    frame["ethnicity"] = rng.permutation(ethnicity)
    return frame


def _spread_dates(count: int, window: tuple[pd.Timestamp, pd.Timestamp], rng: np.random.Generator) -> list[pd.Timestamp]:
    days = (window[1] - window[0]).days
    offsets = np.sort(rng.choice(days + 1, size=count, replace=count > days + 1))
    return [window[0] + pd.Timedelta(days=int(offset)) for offset in offsets]


def printed_day0_statuses(record: pd.DataFrame) -> np.ndarray:
    """One day-0 status per patient of a group, in order, as Table 2 prints them (the same in both groups)."""
    return np.array(
        [
            level
            for level in ORDINAL_LEVELS
            for _ in range(int(_printed(record, "table2", f"ordinal_status_{level}")[("anakinra", "n")]))
        ]
    )


def printed_table3_targets(record: pd.DataFrame) -> dict:
    """Table 3's printed numbers as the outcome solvers take them: (variable, group, statistic) -> printed text."""
    table3 = record[(record["source"] == "table3") & (record["variable"] != "group_size")]
    return {(row.variable, row.group, row.statistic): row.compared_as for row in table3.itertuples(index=False)}


def design_pairs(record, solved, outcome, rng) -> pd.DataFrame:
    """One row per designed patient (the article's cases and as many controls) with pair number, day 0 and every solved value."""
    day0_status = printed_day0_statuses(record)
    intervals = np.sort(solved["tocilizumab_to_day0_days"][0])
    ages = [np.sort(solved["age_years"][i]) for i in (0, 1)]
    charlson = [np.sort(solved["charlson_index"][i]) for i in (0, 1)]
    size = published.group_size(record)
    pair_order = {name: rng.permutation(size) for name in ("status", "interval", "age", "charlson")}
    designed = []
    for index, group in enumerate(COMPARED_GROUPS):
        frame = _group_patients(record, solved, group, size, rng)
        frame["group"] = group
        frame["pair_number"] = np.arange(size)
        frame["day0_status"] = day0_status[pair_order["status"]]
        frame["tocilizumab_to_day0_days"] = intervals[pair_order["interval"]]
        frame["age_years"] = ages[index][pair_order["age"]].astype(int)
        frame["charlson_index"] = charlson[index][pair_order["charlson"]].astype(int)
        trajectories = outcome.anakinra if group == "anakinra" else outcome.control
        by_status = {level: list(rng.permutation(np.flatnonzero(trajectories.day0_status == level))) for level in ORDINAL_LEVELS}
        chosen = [by_status[level].pop() for level in frame["day0_status"]]
        frame["death_day"] = trajectories.death_day[chosen]
        frame["discharge_day"] = trajectories.discharge_day[chosen]
        for day, values in trajectories.recorded.items():
            frame[day_column("status", day)] = values[chosen]
        designed.append(frame)
    return pd.concat(designed, ignore_index=True)


def _assign_linked_values(designed: pd.DataFrame, solved: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Give each patient its solved continuous values (missing where availability says), respecting date order."""
    for index, group in enumerate(COMPARED_GROUPS):
        members = designed.index[designed["group"] == group]
        for variable in ROW_DOMAINS:
            if variable in ("age_years", "charlson_index", "tocilizumab_to_day0_days"):
                continue
            values = solved[variable][index]
            column = pd.Series(np.nan, index=members)
            if variable == "symptom_onset_to_day0_days":
                # onset <= admission <= tocilizumab: the longest onset interval goes with the longest tocilizumab interval
                by_interval = designed.loc[members, "tocilizumab_to_day0_days"].sort_values(kind="stable").index
                column[by_interval] = np.sort(values)
            elif variable == "corticosteroid_to_day0_days":
                # corticosteroids start after onset: the longest steroid interval goes with the longest onset interval
                receivers = members[designed.loc[members, "received_corticosteroids"].fillna(False).to_numpy(dtype=bool)]
                by_onset = designed.loc[receivers, "symptom_onset_to_day0_days"].sort_values(kind="stable").index
                column[by_onset] = np.sort(values[: len(receivers)])
            elif variable in BY_DAY0_STATUS:
                # the worse the day-0 status, the lower the PaO2:FiO2 and the higher the scores (plausibility rules)
                order = designed.loc[members, "day0_status"].sample(frac=1, random_state=rng).sort_values(kind="stable").index
                ranked = np.sort(values)[::-1] if variable == "pao2_fio2_ratio" else np.sort(values)
                column[order[len(order) - len(values) :] if variable != "pao2_fio2_ratio" else order[: len(values)]] = ranked
            else:
                column[rng.permutation(members)[: len(values)]] = values
            designed.loc[members, variable] = column
    onset_short = designed["symptom_onset_to_day0_days"] < designed["tocilizumab_to_day0_days"]
    designed.loc[onset_short, "symptom_onset_to_day0_days"] = designed.loc[onset_short, "tocilizumab_to_day0_days"]
    designed = _meet_inflammatory_criterion(_steroids_before_onset_only_if_immunosuppressed(designed))
    designed = plausible.day0_scores_over_their_points(plausible.day0_components_under_news(designed))
    return plausible.charlson_over_its_flags(designed)


def _steroids_before_onset_only_if_immunosuppressed(designed: pd.DataFrame) -> pd.DataFrame:
    """A patient whose corticosteroids start before symptom onset takes the immunosuppression flag of a patient of
    the same group who does not need it (chronic steroids are immunosuppression: the plausibility rule
    corticosteroids_not_before_onset); the group's count of flags stays as printed."""
    for group in COMPARED_GROUPS:
        rows = designed.index[designed["group"] == group]
        early = designed.loc[rows, "corticosteroid_to_day0_days"] > designed.loc[rows, "symptom_onset_to_day0_days"]
        flagged = designed.loc[rows, "is_immunosuppressed"].fillna(False).astype(bool)
        donors = [row for row in rows if flagged[row] and not early[row]]
        for row in rows[(early & ~flagged).to_numpy()]:
            if donors:
                donor = donors.pop(0)
                designed.loc[row, "is_immunosuppressed"], designed.loc[donor, "is_immunosuppressed"] = True, False
    return designed


def _meet_inflammatory_criterion(designed: pd.DataFrame) -> pd.DataFrame:
    """Give the highest CRP peaks of each group to the patients whose ferritin and D-dimer peaks miss the
    article's tocilizumab criterion, so that every patient meets one (a permutation within the group)."""
    criteria = plausibility.INFLAMMATORY_CRITERIA
    for group in COMPARED_GROUPS:
        members = designed.index[designed["group"] == group]
        rows = designed.loc[members]
        meets_other = (rows["ferritin_peak_ng_ml"] >= criteria["ferritin_ng_ml"]) | (
            rows["d_dimer_peak_ng_ml"] >= criteria["d_dimer_ng_ml"]
        )
        known = rows["crp_peak_mg_dl"].notna()
        needing = rows.index[known].to_series().map(lambda index: (bool(meets_other[index]), index)).sort_values().index
        designed.loc[needing, "crp_peak_mg_dl"] = np.sort(rows.loc[known, "crp_peak_mg_dl"].to_numpy())[::-1]
    return designed


def _dates_and_ids(designed: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Calendar dates for the designed patients, in the order matching needs, and their identifiers."""
    pairs = int((designed["group"] == "anakinra").sum())
    order = rng.permutation(pairs)  # order[k] = pair that is the k-th case by day 0
    case_day0 = _spread_dates(pairs, CASE_DAY0_WINDOW, rng)
    control_toci = sorted(rng.choice(pd.date_range(*CONTROL_TOCILIZUMAB_WINDOW), pairs, replace=False))
    rank_of_pair = {pair: rank for rank, pair in enumerate(order)}
    designed["match_rank"] = designed["pair_number"].map(rank_of_pair)
    interval = pd.to_timedelta(designed["tocilizumab_to_day0_days"], unit="D")
    is_case = designed["group"] == "anakinra"
    designed["day0_date"] = pd.NaT
    designed.loc[is_case, "day0_date"] = [case_day0[rank] for rank in designed.loc[is_case, "match_rank"]]
    designed.loc[~is_case, "tocilizumab_start_date"] = [
        pd.Timestamp(control_toci[rank]) for rank in designed.loc[~is_case, "match_rank"]
    ]
    designed["day0_date"] = pd.to_datetime(designed["day0_date"])
    designed.loc[is_case, "tocilizumab_start_date"] = designed.loc[is_case, "day0_date"] - interval[is_case]
    designed["tocilizumab_start_date"] = pd.to_datetime(designed["tocilizumab_start_date"])
    designed.loc[~is_case, "day0_date"] = designed.loc[~is_case, "tocilizumab_start_date"] + interval[~is_case]
    onset = designed["day0_date"] - pd.to_timedelta(designed["symptom_onset_to_day0_days"], unit="D")
    slack = (designed["tocilizumab_start_date"] - onset).dt.days
    back = np.minimum(rng.integers(0, 4, len(designed)), slack.to_numpy())
    designed["symptom_onset_date"] = onset
    admission = designed["tocilizumab_start_date"] - pd.to_timedelta(back, unit="D")
    latest = onset + pd.Timedelta(days=plausibility.MAX_ONSET_BEFORE_ADMISSION_DAYS)
    designed["admission_date"] = admission.where(admission <= latest, latest)  # admitted within three weeks of onset
    designed["died"] = designed["death_day"] >= 0
    fate_day = np.where(designed["died"], designed["death_day"], designed["discharge_day"])
    designed["end_date"] = designed["day0_date"] + pd.to_timedelta(fate_day, unit="D")
    designed["corticosteroid_start_date"] = designed["day0_date"] - pd.to_timedelta(
        designed["corticosteroid_to_day0_days"], unit="D"
    )
    designed["anakinra_start_date"] = designed["day0_date"].where(is_case)
    designed["patient_id"] = ""
    designed.loc[is_case, "patient_id"] = [f"AK{rank + 1:02d}" for rank in designed.loc[is_case, "match_rank"]]
    return designed


def _patient_table(designed: pd.DataFrame, decoys: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    from anakinra_rescue.schemas.cohort import Patient

    designed = designed.assign(
        cohort=np.where(designed["group"] == "anakinra", "anakinra", "historical"),
        discharge_date=designed["end_date"].where(~designed["died"]),
        death_date=designed["end_date"].where(designed["died"]),
        follow_up_end_date=designed["end_date"]
        + pd.to_timedelta(np.where(designed["died"], 0, rng.integers(20, 60, len(designed))), unit="D"),
    )
    pool = pd.concat([designed[designed["group"] == "control"], decoys], ignore_index=True)
    pool = pool.assign(tiebreak=rng.random(len(pool))).sort_values(["tocilizumab_start_date", "tiebreak"], kind="stable")
    pool["patient_id"] = [f"HX{number:03d}" for number in range(1, len(pool) + 1)]
    patients = pd.concat([designed[designed["group"] == "anakinra"], pool], ignore_index=True)
    columns = list(Patient.to_schema().columns)
    table = patients[columns + ["decoy_index", "pair_number", "group"]].copy()
    for column in ("age_years", "charlson_index"):
        table[column] = table[column].astype("Int64")
    for name, column in Patient.to_schema().columns.items():
        if str(column.dtype) == "boolean":
            table[name] = table[name].astype("boolean")
        elif str(column.dtype).startswith("datetime"):
            table[name] = pd.to_datetime(table[name]).astype("datetime64[ns]")
    return table


def reconstruct(seed: int = DEFAULT_SEED, progress=print) -> Reconstruction:
    """Build the cohort for ``seed``; raise if the engine's matching does not select the designed controls."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    record = published.load_published_record()
    progress(f"reconstructing with seed {seed}: solving the rows of Tables 1 and 2")
    solved, misses = solve_rows(record, rng, progress)
    progress("solving the outcome trajectories of Table 3")
    targets, day0 = printed_table3_targets(record), printed_day0_statuses(record)
    start_a, start_b, optimum = table3_optimum.optimum_trajectories(day0, targets)
    progress(
        f"  Table 3 optimum (HiGHS): every printed count and {optimum['quartiles_met']} of "
        f"{optimum['quartiles_printed']} printed quartiles"
    )
    outcome = solve_outcomes(day0, day0.copy(), targets, rng, iterations=4000, start=(start_a, start_b))
    progress(f"  Table 3 block: {outcome.matched}/{outcome.total} printed numbers")
    statistics = outcome_statistics(outcome.anakinra, outcome.control)
    outcome.anakinra, outcome.control = discharged_in_steps(outcome.anakinra), discharged_in_steps(outcome.control)
    if outcome_statistics(outcome.anakinra, outcome.control) != statistics:
        raise AssertionError("moving discharges for a step-down day changed a Table 3 statistic")
    misses += [("outcomes", *key) for key in outcome.missed]
    designed = _assign_linked_values(design_pairs(record, solved, outcome, rng), solved, rng)
    designed = _dates_and_ids(designed, rng)
    decoys, decoy_daily = build_decoys(N_DECOYS, designed[designed["group"] == "anakinra"], rng, POOL_TOCILIZUMAB_WINDOW)
    decoys["decoy_index"] = np.arange(len(decoys))
    patients = _patient_table(designed, decoys, rng)
    ids = patients.dropna(subset=["decoy_index"]).set_index("decoy_index")["patient_id"]
    decoy_daily["patient_id"] = decoy_daily["decoy_index"].map(ids)
    designed = designed.drop(columns="patient_id").merge(
        patients[patients["decoy_index"].isna()][["patient_id", "pair_number", "group"]], on=["pair_number", "group"]
    )
    daily = pd.concat(
        [
            *(build_daily_rows(patient, rng) for patient in designed.itertuples(index=False)),
            decoy_daily.drop(columns="decoy_index"),
        ],
        ignore_index=True,
    )
    daily = _typed_daily(daily)
    _check_matching(patients, daily, designed)
    patients = patients.drop(columns=["decoy_index", "pair_number", "group"]).sort_values("patient_id").reset_index(drop=True)
    daily = daily.sort_values(["patient_id", "date"]).reset_index(drop=True)
    organisms = {name: int(_printed(record, "results", name)[("overall", "n")]) for name in INFECTION_ROWS}
    infections = build_infections(designed, organisms, rng)  # drawn last, so the other files keep their bytes
    return Reconstruction(patients, daily, misses, time.perf_counter() - started, infections)


def _typed_daily(daily: pd.DataFrame) -> pd.DataFrame:
    from anakinra_rescue.schemas.cohort import DailyStatus

    columns = list(DailyStatus.to_schema().columns)
    daily = daily[columns].copy()
    daily["date"] = pd.to_datetime(daily["date"]).astype("datetime64[ns]")
    for column in ("ordinal_status", "sofa_score", "news_score"):
        daily[column] = pd.array(np.round(daily[column].astype(float)), dtype="Int64")
    for column in columns[3:]:
        if column not in ("sofa_score", "news_score"):
            daily[column] = daily[column].astype(float)
    return daily


def _check_matching(patients: pd.DataFrame, daily: pd.DataFrame, designed: pd.DataFrame) -> None:
    result = matching.match_controls(patients.drop(columns=["decoy_index", "pair_number", "group"]), daily, with_log=False)
    by_pair = designed.pivot(index="pair_number", columns="group", values="patient_id")
    expected = dict(zip(by_pair["anakinra"], by_pair["control"]))
    found = dict(zip(result.pairs["case_id"], result.pairs["control_id"]))
    if found != expected or len(result.unmatched):
        wrong = {case: (found.get(case), control) for case, control in expected.items() if found.get(case) != control}
        raise RuntimeError(f"matching did not select the designed controls (case: (selected, designed)): {wrong}")


def write_reconstruction(reconstruction: Reconstruction, directory) -> tuple:
    """Write patients.csv, daily_status.csv and infections.csv; the bytes depend only on the seed."""
    return csv_writer.write_cohort(reconstruction.patients, reconstruction.daily_status, directory, reconstruction.infections)

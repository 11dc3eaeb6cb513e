"""The linked outcome block of the reconstruction: trajectories after day 0.

Improvement, ordinal status on days 7, 14 and 21, score differences, mortality
and discharge are all functions of one trajectory per patient: a day-0 status
(fixed by Table 2), a fate (discharge or death, and the day), and the recorded
status on days 7, 14 and 21 while still in hospital. This module searches those
trajectories, by the same seeded local search as :mod:`anakinra_rescue.reconstruction.solver`,
so that Table 3 prints as the article printed it; the rules mirror
:func:`anakinra_rescue.engine.outcomes.derive_outcomes` (tests compare the two).
"""

import functools
import math
from dataclasses import dataclass

import numpy as np

from anakinra_rescue.data.vocabulary import Level, StatisticalTest, day_column
from anakinra_rescue.engine import stats, tables
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.reconstruction.solver import score_against

MAX_FATE_DAY = 40
FIRST_DISCHARGE_DAY = 3  # nobody on high-flow oxygen at day 0 goes home within two days
NO_DAY = -1


@dataclass
class Trajectories:
    """One group's trajectories: arrays of length n (day numbers relative to day 0; -1 = never)."""

    day0_status: np.ndarray
    death_day: np.ndarray
    discharge_day: np.ndarray
    recorded: dict  # day -> recorded status while in hospital

    def copy(self) -> "Trajectories":
        return Trajectories(
            self.day0_status.copy(),
            self.death_day.copy(),
            self.discharge_day.copy(),
            {day: values.copy() for day, values in self.recorded.items()},
        )

    def status_on(self, day: int) -> np.ndarray:
        """Status on ``day``: 6 from death on, 1 after discharge, the recorded status otherwise."""
        status = self.recorded[day].copy()
        on_discharge_day = self.discharge_day == day
        status[on_discharge_day] = np.minimum(status[on_discharge_day], 2)
        status[(self.discharge_day >= 0) & (self.discharge_day < day)] = 1
        status[(self.death_day >= 0) & (self.death_day <= day)] = 6
        return status

    def improved_by(self, day: int, config: StudyConfig = DEFAULT) -> np.ndarray:
        discharged = (self.discharge_day >= 0) & (self.discharge_day <= day)
        return discharged | (self.status_on(day) <= self.day0_status - config.improvement_points)

    def died_by(self, day: int) -> np.ndarray:
        return (self.death_day >= 0) & (self.death_day <= day)

    def discharged_by(self, day: int) -> np.ndarray:
        return (self.discharge_day >= 0) & (self.discharge_day <= day)


@functools.lru_cache(maxsize=None)
def _binary_test(events_a: int, size_a: int, events_b: int, size_b: int, fisher_below: float) -> tuple[float, float, float]:
    """P, and the odds ratio's interval, of two counts: the search asks for the same few counts thousands of times."""
    test = stats.categorical_test(events_a, size_a, events_b, size_b, fisher_below)
    estimate = stats.odds_ratio_woolf(events_b, size_b, events_a, size_a)
    return test.p_value, estimate.ci_low, estimate.ci_high


@functools.lru_cache(maxsize=500_000)
def _median_test(sorted_a: bytes, sorted_b: bytes, exact: bool) -> tuple[tuple, tuple, float]:
    """Quartiles of both groups and the Mann-Whitney P of two sorted integer vectors (given as bytes, for the cache)."""
    values_a, values_b = np.frombuffer(sorted_a, dtype=np.int64), np.frombuffer(sorted_b, dtype=np.int64)
    return (
        stats.quartiles(values_a),
        stats.quartiles(values_b),
        stats.mann_whitney(values_a, values_b, exact=exact).p_value,
    )


def outcome_statistics(a: Trajectories, b: Trajectories, config: StudyConfig = DEFAULT) -> dict:
    """Table 3's numbers for two groups, keyed (variable, group, statistic)."""
    found = {}

    def binary(variable, events_a, events_b, with_interval=True):
        for group, events in (("anakinra", events_a), ("control", events_b)):
            found[(variable, group, "n")] = float(events.sum())
            found[(variable, group, "pct")] = 100 * events.sum() / events.size
        p_value, ci_low, ci_high = _binary_test(
            int(events_a.sum()), events_a.size, int(events_b.sum()), events_b.size, config.fisher_expected_below
        )
        found[(variable, "comparison", "p_value")] = p_value
        if with_interval:
            found[(variable, "comparison", "ci_low")] = ci_low
            found[(variable, "comparison", "ci_high")] = ci_high

    def median_row(variable, values_a, values_b):
        exact = tables.rank_test_for(variable, config) == StatisticalTest.MANN_WHITNEY_EXACT
        quartiles_a, quartiles_b, p_value = _median_test(
            np.sort(values_a).astype(np.int64).tobytes(), np.sort(values_b).astype(np.int64).tobytes(), exact
        )
        for group, (q1, median, q3) in (("anakinra", quartiles_a), ("control", quartiles_b)):
            found.update({(variable, group, "median"): median, (variable, group, "q1"): q1, (variable, group, "q3"): q3})
        found[(variable, "comparison", "p_value")] = p_value

    for day in config.outcome_days:
        binary(day_column("improvement", day), a.improved_by(day, config), b.improved_by(day, config))
        status_a, status_b = a.status_on(day), b.status_on(day)
        median_row(day_column("ordinal_status", day), status_a, status_b)
        if config.score_difference_sign == "day0_minus_dayk":
            median_row(day_column("score_difference", day), a.day0_status - status_a, b.day0_status - status_b)
        else:
            median_row(day_column("score_difference", day), status_a - a.day0_status, status_b - b.day0_status)
    for day in config.mortality_days:
        binary(day_column("mortality", day), a.died_by(day), b.died_by(day))
    for day in config.discharge_days:
        binary(day_column("discharge", day), a.discharged_by(day), b.discharged_by(day))
    binary("in_hospital_mortality", a.death_day >= 0, b.death_day >= 0)
    return found


COUNT_STATISTICS = ("n", "pct")


def _score(found: dict, targets: dict) -> tuple[int, int, float]:
    """(printed counts matched, printed numbers matched, closeness): the search never gives up a count of deaths,
    discharges or improvements for anything else."""
    matched, distance = score_against(
        found, targets, lambda key, value, target: min(abs(value - target) / max(abs(target), 0.05), 10), 10
    )
    counts = sum(1 for key, text in targets.items() if key[2] in COUNT_STATISTICS and prints_as(text, found.get(key, math.nan)))
    return counts, matched, -distance


def random_trajectories(day0_status: np.ndarray, rng: np.random.Generator, days=DEFAULT.outcome_days) -> Trajectories:
    """A plausible start: about half die, half go home, on days spread over the first six weeks."""
    n = day0_status.size
    dies = rng.random(n) < 0.45
    fate_day = rng.integers(FIRST_DISCHARGE_DAY, MAX_FATE_DAY + 1, n)
    recorded = {day: np.clip(day0_status + rng.integers(-1, 2, n), 2, 5) for day in days}
    return Trajectories(day0_status.copy(), np.where(dies, fate_day, NO_DAY), np.where(dies, NO_DAY, fate_day), recorded)


def _count(targets: dict, variable: str, group: str, default: int) -> int:
    printed = targets.get((variable, group, "n"))
    return int(printed) if printed is not None else default


def constructed_trajectories(
    day0_status: np.ndarray, targets: dict, group: str, rng: np.random.Generator, config: StudyConfig = DEFAULT
) -> Trajectories:
    """A start that already prints the group's death, discharge and improvement counts.

    Deaths are spread over the windows the mortality rows imply (by day 14, days
    15-21, after day 21), discharges likewise, and in-hospital patients get a
    lower recorded status on day k towards the improvement count by day k, as far
    as the patients still in hospital allow; the search completes the rest.
    """
    n = day0_status.size
    died_14 = _count(targets, "mortality_day14", group, 0)
    died_21 = _count(targets, "mortality_day21", group, died_14)
    died_total = _count(targets, "in_hospital_mortality", group, died_21)
    home_21 = _count(targets, "discharge_day21", group, 0)
    order = rng.permutation(n)
    death_day = np.full(n, NO_DAY)
    discharge_day = np.full(n, NO_DAY)
    windows = [(died_14, 1, 14), (died_21 - died_14, 15, 21), (died_total - died_21, 22, MAX_FATE_DAY)]
    cursor = 0
    for count, low, high in windows:
        death_day[order[cursor : cursor + max(count, 0)]] = rng.integers(low, high + 1, max(count, 0))
        cursor += max(count, 0)
    improved_goal = {day: _count(targets, day_column("improvement", day), group, 0) for day in config.outcome_days}
    home_7 = min(improved_goal.get(7, 0), home_21)
    home_14 = min(max(improved_goal.get(14, 0), home_7), home_21)
    for count, low, high in (
        (home_7, FIRST_DISCHARGE_DAY, 6),
        (home_14 - home_7, 7, 13),
        (home_21 - home_14, 14, 20),
        (n - died_total - home_21, 22, MAX_FATE_DAY),
    ):
        discharge_day[order[cursor : cursor + max(count, 0)]] = rng.integers(low, high + 1, max(count, 0))
        cursor += max(count, 0)
    recorded = {day: day0_status.copy() for day in config.outcome_days}
    trajectories = Trajectories(day0_status.copy(), death_day, discharge_day, recorded)
    for day in config.outcome_days:
        missing = improved_goal[day] - int(trajectories.improved_by(day, config).sum())
        candidates = [
            i
            for i in rng.permutation(n)
            if trajectories.status_on(day)[i] == recorded[day][i]
            and recorded[day][i] > 2
            and not (death_day[i] >= 0 and death_day[i] <= day)
        ]
        for i in candidates[: max(missing, 0)]:
            for later in config.outcome_days:
                if later >= day:
                    recorded[later][i] = day0_status[i] - 1
    return trajectories


def _propose(trajectories: Trajectories, rng: np.random.Generator) -> Trajectories:
    trial = trajectories.copy()
    index = int(rng.integers(trial.day0_status.size))
    move = rng.random()
    if move < 0.25:  # swap two patients' fates: keeps every death and discharge count
        other = int(rng.integers(trial.day0_status.size))
        trial.death_day[[index, other]] = trial.death_day[[other, index]]
        trial.discharge_day[[index, other]] = trial.discharge_day[[other, index]]
    elif move < 0.4:
        day = int(rng.integers(1, MAX_FATE_DAY + 1))
        if rng.random() < 0.5:
            trial.death_day[index], trial.discharge_day[index] = day, NO_DAY
        else:
            trial.death_day[index], trial.discharge_day[index] = NO_DAY, max(day, FIRST_DISCHARGE_DAY)
    elif move < 0.6:
        shift = int(rng.choice([-3, -1, 1, 3]))
        if trial.death_day[index] >= 0:
            trial.death_day[index] = int(np.clip(trial.death_day[index] + shift, 1, MAX_FATE_DAY))
        else:
            trial.discharge_day[index] = int(np.clip(trial.discharge_day[index] + shift, FIRST_DISCHARGE_DAY, MAX_FATE_DAY))
    else:
        day = list(trial.recorded)[int(rng.integers(len(trial.recorded)))]
        # a status of a patient in hospital: from no oxygen up to ventilation (integers' upper bound is exclusive)
        trial.recorded[day][index] = int(rng.integers(int(Level.HOSPITALISED_NO_OXYGEN), int(Level.DEATH)))
    return trial


# Days a patient at this recorded status still needs before going home, so that the daily path can step down
# (reconstruction.daily.DISCHARGE_CAPS: a ventilator day 4 days before, high flow 3 days before).
DAYS_TO_HOME_FROM = {int(Level.HIGH_FLOW_OR_NONINVASIVE): 3, int(Level.INVASIVE_VENTILATION): 4}


def discharged_in_steps(trajectories: Trajectories, config: StudyConfig = DEFAULT) -> Trajectories:
    """The trajectories with each discharge moved later where a day-0 or recorded status is too high to go home so
    soon (the plausibility rules step_down_day_before_discharge and no_discharge_within_three_days_of_ventilation).

    A discharge moves only inside its window between two outcome days, so every statistic of
    :func:`outcome_statistics` stays the same; a move that would cross an outcome day is left undone.
    """
    moved = trajectories.copy()
    anchors = {0: moved.day0_status, **moved.recorded}
    for index in np.flatnonzero(moved.discharge_day >= 0):
        day = int(moved.discharge_day[index])
        needed = max(
            [day] + [anchor + DAYS_TO_HOME_FROM.get(int(status[index]), 0) for anchor, status in anchors.items() if anchor < day]
        )
        if not any(day <= outcome_day <= needed for outcome_day in config.outcome_days) or needed == day:
            moved.discharge_day[index] = needed
    return moved


@dataclass
class OutcomeSolution:
    anakinra: Trajectories
    control: Trajectories
    matched: int
    total: int
    missed: list


def solve_outcomes(
    day0_a: np.ndarray,
    day0_b: np.ndarray,
    targets: dict,
    rng: np.random.Generator,
    iterations: int = 12000,
    config: StudyConfig = DEFAULT,
    start: tuple[Trajectories, Trajectories] | None = None,
) -> OutcomeSolution:
    """Search trajectories for both groups so that Table 3's printed numbers match, from ``start`` (both groups'
    trajectories, e.g. :func:`anakinra_rescue.reconstruction.table3_optimum.optimum_trajectories`) or from
    :func:`constructed_trajectories`. A move is kept only if it matches at least as many printed numbers."""
    if start is None:
        a = constructed_trajectories(day0_a, targets, "anakinra", rng, config)
        b = constructed_trajectories(day0_b, targets, "control", rng, config)
    else:
        a, b = start[0].copy(), start[1].copy()
    best = _score(outcome_statistics(a, b, config), targets)
    for iteration in range(iterations):
        if best[1] == len(targets):
            break
        if rng.random() < 0.5:
            trial_a, trial_b = _propose(a, rng), b
        else:
            trial_a, trial_b = a, _propose(b, rng)
        candidate = _score(outcome_statistics(trial_a, trial_b, config), targets)
        temperature = 0.05 * (1 - iteration / iterations)
        if candidate >= best or (
            candidate[:2] == best[:2] and temperature > 0 and rng.random() < math.exp((candidate[2] - best[2]) / temperature)
        ):
            a, b, best = trial_a, trial_b, candidate
    found = outcome_statistics(a, b, config)
    missed = [key for key, printed in targets.items() if not prints_as(printed, found.get(key, math.nan))]
    return OutcomeSolution(a, b, len(targets) - len(missed), len(targets), missed)

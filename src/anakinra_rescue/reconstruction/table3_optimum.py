"""Table 3 at its optimum: an exact integer programme over trajectory types, solved by HiGHS.

A patient's part in Table 3 is its day-0 status and, on days 7, 14 and 21, one of seven day states: at home
since an earlier day (status 1), discharged that very day (status 2, counted as discharged), in hospital at
status 2, 3, 4 or 5, or dead (6); a patient still in hospital on day 21 later dies or goes home. A *type* is
a day-0 status and a consistent sequence of day states (nobody comes back from home or from death). Patients
of a group with the same day-0 status are interchangeable, so a group's outcome block is a whole number of
patients per type, and every printed count, every status and score-difference count, and hence every quartile
is a linear function of those numbers.

:func:`optimum_trajectories` maximises the number of Table 3 quartiles that print as the article printed them,
subject to every printed count of deaths, discharges and improvements (`scipy.optimize.milp`, which is HiGHS:
no new dependency). A quartile at SPSS's weighted-average position j + f is printed from the j-th and
(j+1)-th smallest values, and ``x_j <= a`` holds exactly when at least j patients are at a or below, so each
printed quartile becomes a choice among the (x_j, x_j+1) pairs that print it. The P-values of the median rows
are not in the programme; :func:`anakinra_rescue.reconstruction.trajectories.solve_outcomes` starts from this
optimum and trades nothing it has for them (its search accepts no loss in the printed numbers it matches).

The certificates of :mod:`anakinra_rescue.examination.verdicts` bound what any cohort can print; this module
builds one cohort that reaches the quartile part of that bound. Pinned by ``tests/test_table3_optimum.py``.
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np
import scipy.optimize
import scipy.sparse

from anakinra_rescue.data.vocabulary import day_column
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from anakinra_rescue.reconstruction.trajectories import NO_DAY, Trajectories

HOME, HOME_TODAY, DEAD = "home", "home today", "dead"
IN_HOSPITAL = (2, 3, 4, 5)
DAY_STATES = (HOME, HOME_TODAY, *IN_HOSPITAL, DEAD)
STATUS_OF: dict[object, int] = {HOME: 1, HOME_TODAY: 2, DEAD: 6, **{level: level for level in IN_HOSPITAL}}
LATER_FATES = ("dies later", "home later")
QUARTILE_STATISTICS = ("q1", "median", "q3")
# Days a fate is put on, inside the window between outcome days (first day after the previous outcome day, up to
# the day before the next): late enough for the step-down of trajectories.DAYS_TO_HOME_FROM.
DEATH_OFFSET, HOME_OFFSET = 3, 5
LATE_DEATH_DAY, LATE_HOME_DAY = 28, 30


@dataclass(frozen=True)
class TrajectoryType:
    day0_status: int
    states: tuple  # one day state per outcome day
    later: str | None  # LATER_FATES for a patient in hospital on the last outcome day, else None

    def status(self, index: int) -> int:
        return STATUS_OF[self.states[index]]

    def home_by(self, index: int) -> bool:
        return self.states[index] in (HOME, HOME_TODAY)

    def dead_by(self, index: int) -> bool:
        return self.states[index] == DEAD


def _follows(before, after) -> bool:
    if before in (HOME, HOME_TODAY):
        return after == HOME
    if before == DEAD:
        return after == DEAD
    return True


def trajectory_types(day0_levels, days: int) -> list[TrajectoryType]:
    """Every consistent type for each day-0 status in ``day0_levels`` over ``days`` outcome days."""
    found = []
    for level in day0_levels:
        for states in itertools.product(DAY_STATES, repeat=days):
            if all(_follows(a, b) for a, b in zip(states, states[1:])):
                for later in LATER_FATES if states[-1] in IN_HOSPITAL else (None,):
                    found.append(TrajectoryType(int(level), states, later))
    return found


def _haverage(fraction_position: float, size: int) -> tuple[int, float]:
    position = fraction_position * (size + 1)
    lower = min(max(int(math.floor(position)), 1), size)
    return lower, position - math.floor(position) if lower < size else 0.0


def optimum_trajectories(
    day0_status: np.ndarray, targets: dict, config: StudyConfig = DEFAULT, time_limit_s: float = 60.0
) -> tuple[Trajectories, Trajectories, dict]:
    """Both groups' trajectories meeting every printed count and the most printed Table 3 quartiles.

    ``targets`` maps (variable, group, statistic) to the printed text, as in ``solve_outcomes``. Returns the two
    groups' trajectories and a summary: quartiles met, quartiles printed, and HiGHS's status message.
    """
    days = list(config.outcome_days)
    levels, counts = np.unique(day0_status, return_counts=True)
    size = int(day0_status.size)
    types = trajectory_types(levels, len(days))
    objective, integrality, high = [], [], []
    rows, lows, highs = [], [], []

    def variable(integer=True, upper=1.0, weight=0.0) -> int:
        objective.append(-weight)  # milp minimises
        integrality.append(1 if integer else 0)
        high.append(upper)
        return len(objective) - 1

    def constrain(coefficients: dict, low: float, up: float) -> None:
        rows.append(coefficients)
        lows.append(low)
        highs.append(up)

    groups = ("anakinra", "control")
    count_of = {group: [variable(upper=size) for _ in types] for group in groups}
    quartile_keys = []
    for group in groups:
        amounts = count_of[group]
        for level, count in zip(levels, counts):
            constrain({amounts[t]: 1 for t, kind in enumerate(types) if kind.day0_status == level}, count, count)

        def linear(predicate):
            return {amounts[t]: 1 for t, kind in enumerate(types) if predicate(kind)}

        def exact_count(variable_name, predicate):
            printed = targets.get((variable_name, group, "n"))
            if printed is not None:
                value = float(printed)
                constrain(linear(predicate), value, value)

        for index, day in enumerate(days):
            exact_count(
                day_column("improvement", day),
                lambda kind, i=index: kind.home_by(i) or kind.status(i) <= kind.day0_status - config.improvement_points,
            )
        for day in config.mortality_days:
            exact_count(day_column("mortality", day), lambda kind, i=days.index(day): kind.dead_by(i))
        for day in config.discharge_days:
            exact_count(day_column("discharge", day), lambda kind, i=days.index(day): kind.home_by(i))
        exact_count("in_hospital_mortality", lambda kind: kind.dead_by(len(days) - 1) or kind.later == "dies later")

        for index, day in enumerate(days):
            for quantity in ("ordinal_status", "score_difference"):
                variable_name = day_column(quantity, day)

                def value_of(kind, i=index, quantity=quantity):
                    status = kind.status(i)
                    if quantity == "ordinal_status":
                        return status
                    return (
                        kind.day0_status - status
                        if config.score_difference_sign == "day0_minus_dayk"
                        else status - kind.day0_status
                    )

                values = sorted({value_of(kind) for kind in types})
                at_most = {}  # (position, value) -> binary: the position-th smallest value is <= value
                for statistic, fraction in zip(QUARTILE_STATISTICS, (0.25, 0.5, 0.75)):
                    printed = targets.get((variable_name, group, statistic))
                    if printed is None:
                        continue
                    position, weight = _haverage(fraction, size)
                    allowed = [(a, b) for a in values for b in values if a <= b and prints_as(printed, a + weight * (b - a))]
                    met = variable(weight=1.0)
                    quartile_keys.append(((variable_name, group, statistic), met))
                    if not allowed:
                        constrain({met: 1}, 0, 0)
                        continue
                    for j in (position, min(position + 1, size)):
                        for value in values:
                            if (j, value) not in at_most:
                                flag = variable()
                                at_most[(j, value)] = flag
                                cumulative = linear(lambda kind, v=value: value_of(kind) <= v)
                                # flag = 1 <=> cumulative >= j
                                constrain({**cumulative, flag: -j}, 0, math.inf)
                                constrain({**cumulative, flag: -size}, -math.inf, j - 1)

                    def equals(j, value):
                        below = at_most.get((j, values[values.index(value) - 1])) if values.index(value) > 0 else None
                        return {at_most[(j, value)]: 1, **({below: -1} if below is not None else {})}

                    choices = []
                    for a, b in allowed:
                        choice = variable()
                        choices.append(choice)
                        for j, value in ((position, a), (min(position + 1, size), b)):
                            constrain({choice: 1, **{key: -coef for key, coef in equals(j, value).items()}}, -math.inf, 0)
                    constrain({met: 1, **{choice: -1 for choice in choices}}, -math.inf, 0)

    row_index = [row for row, coefficients in enumerate(rows) for _ in coefficients]
    column_index = [column for coefficients in rows for column in coefficients]
    values = [coefficient for coefficients in rows for coefficient in coefficients.values()]
    matrix = scipy.sparse.coo_matrix((values, (row_index, column_index)), shape=(len(rows), len(objective)))
    result = scipy.optimize.milp(
        c=np.array(objective),
        constraints=scipy.optimize.LinearConstraint(matrix.tocsr(), np.array(lows), np.array(highs)),
        integrality=np.array(integrality),
        bounds=scipy.optimize.Bounds(np.zeros(len(objective)), np.array(high)),
        options={"time_limit": time_limit_s, "disp": False},
    )
    if result.x is None:
        raise ValueError(f"Table 3 has no cohort meeting every printed count: {result.message}")
    solution = np.round(result.x).astype(int)
    built = {group: _trajectories(types, solution[count_of[group]], day0_status, days) for group in groups}
    met_keys = [key for key, flag in quartile_keys if solution[flag] == 1]
    summary = {
        "quartiles_met": len(met_keys),
        "quartiles_printed": len(quartile_keys),
        "message": result.message,
        "met": met_keys,
    }
    return built["anakinra"], built["control"], summary


def _trajectories(types, amounts, day0_status: np.ndarray, days: list[int]) -> Trajectories:
    """One group's Trajectories: each patient, in order of day-0 status, takes the next type with patients left."""
    size = day0_status.size
    death_day, discharge_day = np.full(size, NO_DAY), np.full(size, NO_DAY)
    recorded = {day: np.full(size, 2) for day in days}
    pool = {
        level: [kind for kind, amount in zip(types, amounts) if kind.day0_status == level for _ in range(int(amount))]
        for level in np.unique(day0_status)
    }
    for patient, level in enumerate(day0_status):
        kind = pool[level].pop(0)
        previous_day = 0
        for index, day in enumerate(days):
            state = kind.states[index]
            in_window = previous_day + 1
            if state in IN_HOSPITAL:
                recorded[day][patient] = state
            elif state == DEAD and death_day[patient] == NO_DAY:
                death_day[patient] = min(in_window + DEATH_OFFSET - 1, day)
            elif state == HOME_TODAY and discharge_day[patient] == NO_DAY:
                discharge_day[patient] = day
                recorded[day][patient] = 2
            elif state == HOME and discharge_day[patient] == NO_DAY:
                discharge_day[patient] = min(previous_day + HOME_OFFSET, day - 1)
            if state in IN_HOSPITAL:
                for later in days[index + 1 :]:
                    recorded[later][patient] = state
            previous_day = day
        if kind.later == "dies later":
            death_day[patient] = LATE_DEATH_DAY
        elif kind.later == "home later":
            discharge_day[patient] = LATE_HOME_DAY
    return Trajectories(day0_status.copy(), death_day, discharge_day, recorded)

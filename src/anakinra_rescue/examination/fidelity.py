"""Every printed number's verdict, in one vocabulary shared by fidelity.csv, the audit and the book.

:data:`VERDICTS`:

* ``reproduced``: the engine, run as the article states its methods, prints it;
* ``reproduced_with_other_test``: printed by a test other than the stated rule
  picks (a per-row ``StudyConfig.test_overrides`` entry); the reason names the
  test and the rule it breaks;
* ``proven_impossible``: a check below proves that no dataset consistent with
  the stated methods and the rest of the print gives this number, alone;
* ``article_inconsistent``: the printed numbers contradict each other: each is
  attainable alone, not together;
* ``attainable_not_reached``: a certificate shows data that print it together with
  everything else the cohort prints on its day; the committed cohort misses it;
* ``not_computable``: the data model holds no data to compute it from;
* ``open_question``: neither matched nor proven; the reason says what was tried.

Each check works from the published record alone:

* :func:`test_rule_contradictions`: the printed counts fix both P-values; the
  stated rule (Fisher when an expected count is below 5) picks the other test.
* :func:`matching_forced_equalities`: matching copies each case's tocilizumab
  interval to its control, so the two distributions are identical and P = 1.
* :func:`quartile_grid_violations`: an integer score's HAVERAGE quartile can
  only take values x + f (y - x) for the position's fraction f.
* :func:`whole_unit_t_test_proofs`: for a mean row recorded in whole units, every
  sum and sum of squares of the group's values that print the row's means and
  SDs (:func:`anakinra_rescue.engine.printed.moments`), and the Student and
  Welch P-values they give; a printed P among none is proven.
* Table 3's proofs from the printed counts (the ordinal status quartiles, the
  score-difference quartiles and the status P-values) live in
  :mod:`anakinra_rescue.examination.outcome_proofs`.
"""

import math
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from anakinra_rescue.data import published
from anakinra_rescue.data.files import INFECTIONS_FILE
from anakinra_rescue.data.published import KEYS
from anakinra_rescue.data.vocabulary import StatisticalTest, Status, Verdict
from anakinra_rescue.engine import printed as printed_numbers
from anakinra_rescue.engine import stats
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.engine.outcomes import INFECTION_ROWS
from anakinra_rescue.engine.printed import exact_u_values
from anakinra_rescue.examination import evidence_cache, outcome_proofs
from anakinra_rescue.schemas.published import COMPARED_GROUPS

REPRODUCED, OTHER_TEST, PROVEN = Verdict.REPRODUCED, Verdict.OTHER_TEST, Verdict.PROVEN
INCONSISTENT, ATTAINABLE = Verdict.INCONSISTENT, Verdict.ATTAINABLE
NOT_COMPUTABLE, OPEN = Verdict.NOT_COMPUTABLE, Verdict.OPEN
VERDICTS = tuple(Verdict)
_value = published.printed


def _compared(record: pd.DataFrame, source: str, variable: str, group: str, statistic: str) -> str | None:
    return published.printed(record, source, variable, group, statistic, column="compared_as")


def test_rule_contradictions(record: pd.DataFrame) -> list[tuple]:
    """Binary rows whose printed P is the other test's P than the stated rule chooses."""
    found = []
    rows = record[(record["statistic"] == "p_value") & record["source"].str.startswith("table")]
    for row in rows.itertuples(index=False):
        a, b = _value(record, row.source, row.variable, "anakinra", "n"), _value(record, row.source, row.variable, "control", "n")
        if a is None or b is None:  # not an n (%) row
            continue
        known = published.implied_denominators(record, row.source, row.variable)
        n_a, n_b = known["anakinra"], known["control"]
        ruled = stats.categorical_test(int(a), n_a, int(b), n_b)
        other = (
            stats.fisher_exact(int(a), n_a, int(b), n_b)
            if ruled.test == StatisticalTest.CHI2
            else stats.chi_squared(int(a), n_a, int(b), n_b)
        )
        if not prints_as(row.value, ruled.p_value) and prints_as(row.value, other.p_value):
            smallest = stats.expected_counts(int(a), n_a, int(b), n_b).min()
            also = [
                name
                for name, test in ((StatisticalTest.CHI2_YATES, stats.chi_squared(int(a), n_a, int(b), n_b, yates=True)),)
                if name != other.test and prints_as(row.value, test.p_value)
            ]
            found.append(
                (
                    row.source,
                    row.variable,
                    "comparison",
                    "p_value",
                    f"with {a}/{n_a} vs {b}/{n_b} the smallest expected count is {smallest:.2f}, so the stated rule "
                    f"(Fisher when an expected count is below {DEFAULT.fisher_expected_below:g}) uses {ruled.test} "
                    f"(P = {ruled.p_value:.3f}); the printed {row.value} is {other.test}'s P"
                    + (f" ({', '.join(also)} gives it too)" if also else ""),
                )
            )
    return found


def rule_followed_elsewhere(record: pd.DataFrame, variable: str) -> list[str]:
    """Binary rows whose printed P follows the stated rule at the same smallest expected count as ``variable``'s row:
    the article choosing differently for the same table shape."""

    def smallest(name):
        known = published.implied_denominators(record, "table1", name)
        counts = published.printed_counts(record, "table1", name)
        return (
            round(
                float(stats.expected_counts(counts["anakinra"], known["anakinra"], counts["control"], known["control"]).min()), 6
            ),
            counts,
            known,
        )

    target, _, _ = smallest(variable)
    rows = record[(record["source"] == "table1") & (record["statistic"] == "pct") & (record["group"] == "anakinra")]
    same = []
    for name in rows["variable"]:
        if name == variable or _value(record, "table1", name, "comparison", "p_value") is None:
            continue
        value, counts, known = smallest(name)
        ruled = stats.categorical_test(counts["anakinra"], known["anakinra"], counts["control"], known["control"])
        if value == target and prints_as(published.required(record, "table1", name, "comparison", "p_value"), ruled.p_value):
            same.append(f"{name} ({ruled.test})")
    return same


def matching_forced_equalities(record: pd.DataFrame) -> list[tuple]:
    """The tocilizumab-to-day-0 interval is copied from case to control, so control = anakinra and P = 1."""
    found = []
    variable = "tocilizumab_to_day0_days"
    for statistic in ("median", "q1", "q3"):
        case, control = (
            _value(record, "table1", variable, "anakinra", statistic),
            _value(record, "table1", variable, "control", statistic),
        )
        if case is not None and control is not None and float(case) != float(control):
            found.append(
                (
                    "table1",
                    variable,
                    "control",
                    statistic,
                    f"each control's pseudo date is its tocilizumab start plus its case's interval, so both groups "
                    f"have the same {published.group_size(record)} intervals and the control {statistic} must equal the "
                    f"anakinra {statistic}, printed {case}; the printed control {control} clashes with it (either one "
                    "alone can be printed)",
                )
            )
    p = _value(record, "table1", variable, "comparison", "p_value")
    if p is not None and float(p) != 1.0:
        found.append(
            (
                "table1",
                variable,
                "comparison",
                "p_value",
                "identical distributions in both groups give a Mann-Whitney P of 1.000, not " + p,
            )
        )
    return found


def _haverage_fraction(size: int, fraction: float) -> float:
    position = printed_numbers.haverage_position(fraction, size)
    return position - math.floor(position)


INTEGER_ROWS = {
    "charlson_index": (0, 37),
    "sofa_score": (0, 24),
    "news_score": (0, 20),
    "symptom_onset_to_day0_days": (0, 200),
    "corticosteroid_to_day0_days": (-400, 400),
    "tocilizumab_to_day0_days": (0, 200),
}


def quartile_grid_violations(record: pd.DataFrame) -> list[tuple]:
    """Printed quartiles of integer variables that no pair of neighbouring integers can produce under HAVERAGE."""
    found = []
    # The corticosteroid interval exists only for patients who received corticosteroids.
    sizes = {"corticosteroid_to_day0_days": published.printed_counts(record, "table1", "received_corticosteroids")}
    group_size = published.group_size(record)
    for row in record[record["statistic"].isin(["q1", "median", "q3"])].itertuples(index=False):
        if row.variable not in INTEGER_ROWS or row.group not in COMPARED_GROUPS:
            continue
        size = sizes.get(row.variable, {}).get(row.group, group_size)
        fraction = _haverage_fraction(size, {"q1": 0.25, "median": 0.5, "q3": 0.75}[row.statistic])
        target = float(row.value)
        candidates = {x + fraction * gap for x in range(math.floor(target) - 3, math.ceil(target) + 3) for gap in range(0, 5)}
        if not any(prints_as(row.compared_as, value) for value in candidates):
            reachable = sorted({round(value % 1, 2) for value in candidates})
            found.append(
                (
                    row.source,
                    row.variable,
                    row.group,
                    row.statistic,
                    f"with n = {size} an integer score's {row.statistic} is x + {fraction:.2f}(y - x) for integers x <= y, "
                    f"so its decimals can only be {reachable}; {row.value} cannot be printed",
                )
            )
    return found


WHOLE_UNIT_MEAN_ROWS = ("age_years", "respiratory_rate_rpm", "heart_rate_bpm")  # recorded in whole units


def _runs(texts: list[str]) -> str:
    """Sorted printed P-values as runs of consecutive thousandths: '0.499-0.507, 0.520-0.527'."""
    numbers = sorted({round(float(text) * 1000) for text in texts})
    runs, start = [], numbers[0]
    for previous, current in zip(numbers, [*numbers[1:], None]):
        if current != previous + 1:
            runs.append(f"{start / 1000:.3f}" + (f"-{previous / 1000:.3f}" if previous != start else ""))
            if current is not None:
                start = current
    return ", ".join(runs)


def whole_unit_t_test_proofs(record: pd.DataFrame) -> list[tuple]:
    """Mean rows in whole units whose printed P neither Student's nor Welch's t reaches from any data that print the row."""
    found = []
    for source in ("table1", "table2"):
        for variable in WHOLE_UNIT_MEAN_ROWS:
            printed = {
                (group, statistic): _compared(record, source, variable, group, statistic)
                for group in COMPARED_GROUPS
                for statistic in ("mean", "sd")
            }
            p_text = _compared(record, source, variable, "comparison", "p_value")
            if p_text is None or any(text is None for text in printed.values()):
                continue
            size = published.group_size(record)
            cases, controls = (
                printed_numbers.moments(str(printed[(group, "mean")]), str(printed[(group, "sd")]), size, 1)
                for group in COMPARED_GROUPS
            )
            reachable = {}
            for name, equal in ((StatisticalTest.STUDENT_T, True), (StatisticalTest.WELCH_T, False)):
                p_values = printed_numbers.t_p_values(np.array(cases), np.array(controls), (size, size), 1, equal)
                reachable[name] = {published.round_as_printed(float(value), 3) for value in p_values.ravel()}
            if any(prints_as(p_text, float(value)) for values in reachable.values() for value in values):
                continue
            found.append(
                (
                    source,
                    variable,
                    "comparison",
                    "p_value",
                    f"with whole-number values and {size} patients per group, the {len(cases)} and {len(controls)} "
                    f"(sum, sum of squares) pairs that print the means and SDs give Student P only in "
                    f"{_runs([str(v) for v in reachable[StatisticalTest.STUDENT_T]])} and Welch P only in "
                    f"{_runs([str(v) for v in reachable[StatisticalTest.WELCH_T]])}; printed {p_text}",
                )
            )
    return found


def exact_u_impossibility(record: pd.DataFrame) -> list[tuple]:
    """Median rows of Tables 1-2 whose printed P no whole U's exact P prints at the printed group sizes: SPSS's
    exact test, the one the other median rows print, cannot give it (an exhaustive check of every U)."""
    found = []
    for row in record[(record["statistic"] == "p_value") & record["source"].isin(["table1", "table2"])].itertuples(index=False):
        if _compared(record, row.source, row.variable, "anakinra", "median") is None:
            continue
        size = published.group_size(record)
        n_a, n_b = (int(_compared(record, row.source, row.variable, group, "denominator") or size) for group in COMPARED_GROUPS)
        if exact_u_values(row.compared_as, n_a, n_b):
            continue
        found.append(
            (
                row.source,
                row.variable,
                "comparison",
                "p_value",
                f"SPSS's exact Mann-Whitney P, the test the article's other median rows print, gives {row.value} for none "
                f"of the {n_a * n_b // 2 + 1} whole values of U at {n_a} vs {n_b} patients (exhaustive check)",
            )
        )
    return found


def exact_u_hints(record: pd.DataFrame, key: tuple) -> list[str]:
    """For a median row's P-value in Tables 1-2: at which group sizes some whole U's exact P prints it.

    The printed sizes come first; one patient fewer in either group is tried as well, since a value the
    article does not say is missing would move the test to those sizes.
    """
    source, variable, _, statistic = key
    if (
        statistic != "p_value"
        or source not in ("table1", "table2")
        or _compared(record, source, variable, "anakinra", "median") is None
    ):
        return []
    printed = _compared(record, *key)
    if printed is None:
        return []
    size = published.group_size(record)
    n_a, n_b = (int(_compared(record, source, variable, group, "denominator") or size) for group in COMPARED_GROUPS)
    fits = []
    for sizes in ((n_a, n_b), (n_a - 1, n_b), (n_a, n_b - 1)):
        found = exact_u_values(printed, *sizes)
        fits.append(f"{sizes[0]} vs {sizes[1]}: " + (f"U = {', '.join(map(str, found))}" if found else "no whole U"))
    return [f"SPSS's exact P prints {printed} at " + "; ".join(fits)]


def copy_hints(record: pd.DataFrame, key: tuple) -> list[str]:
    """For a P-value: the count rows of its table whose printed counts give that same P under a 2x2 test.

    Table 3 prints 0.752 for the day-7 and day-14 status and 0.527 for day 21; in-hospital mortality's
    11/20 vs 9/20 gives 0.752 under Fisher or Yates and 0.527 under chi-squared. A copy from that row is
    possible, and is said so rather than hidden.
    """
    source, variable, _, statistic = key
    if statistic != "p_value":
        return []
    printed = _compared(record, *key)
    if printed is None:
        return []
    counts = record[
        (record["source"] == source)
        & (record["statistic"] == "n")
        & record["group"].isin(COMPARED_GROUPS)
        & (record["variable"] != variable)
    ]
    size = published.group_size(record)
    hints = []
    for other, rows in counts.groupby("variable", sort=False):
        by_group = dict(zip(rows["group"], rows["value"].astype(int)))
        if len(by_group) != len(COMPARED_GROUPS) or _compared(record, source, other, "comparison", "p_value") is None:
            continue
        a, b = (by_group[group] for group in COMPARED_GROUPS)
        tests = {
            StatisticalTest.CHI2: stats.chi_squared(a, size, b, size).p_value,
            StatisticalTest.CHI2_YATES: stats.chi_squared(a, size, b, size, yates=True).p_value,
            StatisticalTest.FISHER: stats.fisher_exact(a, size, b, size).p_value,
        }
        same = [name for name, p in tests.items() if prints_as(printed, p)]
        if same:
            hints.append(
                f"{printed} is also what {' and '.join(same)} give{'s' if len(same) == 1 else ''} for {other} "
                f"({a}/{size} vs {b}/{size}): a copy from that row is possible"
            )
    return hints


# Counts that only the optional infections.csv can give: without it they are not computable.
NEEDS_INFECTIONS_FILE = set(INFECTION_ROWS)


def known_reasons(record: pd.DataFrame) -> pd.DataFrame:
    """Every finding of the checks, as (source, variable, group, statistic, verdict, reason).

    The test-rule contradictions are not failures to reproduce: they are what the configuration's per-row test
    overrides record, and such a row is reproduced with the other test.
    """
    tagged = [(*row, INCONSISTENT if row[3] != "p_value" else PROVEN) for row in matching_forced_equalities(record)]
    tagged += [(*row, PROVEN) for row in quartile_grid_violations(record) + outcome_proofs.score_difference_proofs(record)]
    # The stated test cannot print these P-values; another test can (its row's override), so they are not proofs.
    tagged += [(*row, OTHER_TEST) for row in whole_unit_t_test_proofs(record)]
    tagged += [(*row[:5], row[5]) for row in outcome_proofs.ordinal_status_infeasibility(record)]
    tagged += [(*row, OTHER_TEST) for row in test_rule_contradictions(record) + exact_u_impossibility(record)]
    frame = pd.DataFrame(tagged, columns=[*KEYS, "reason", "verdict"]).drop_duplicates(KEYS)
    return frame[[*KEYS, "verdict", "reason"]]


def _override_reason(record: pd.DataFrame, key: tuple, test: str, found: dict) -> str:
    reason = found.get(key, f"the configuration's test override for this row ({test})")
    if key in found and test not in reason:
        reason += f"; the printed P is {test}'s, and this cohort prints it with {test}"
    binary = published.printed(record, key[0], key[1], "anakinra", "n") is not None
    same = rule_followed_elsewhere(record, key[1]) if key[0] == "table1" and binary else []
    if same:
        reason += (
            "; the article is inconsistent with itself: at the same smallest expected count it follows the "
            "stated rule for " + ", ".join(same)
        )
    return reason


def record_evidence(record: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple, list[str]]]:
    """What the record alone says: :func:`known_reasons`, and the hints an open P-value's reason carries.

    Both depend on nothing but the record, so they are computed once per record and code and kept on disk
    (:mod:`anakinra_rescue.examination.evidence_cache`): each book chapter would otherwise repeat the seconds
    of proofs. Pinned by ``test_record_evidence_is_the_same_from_the_cache``.
    """

    def compute():
        keys = record.loc[record["statistic"] == "p_value", KEYS].itertuples(index=False, name=None)
        hints = [[list(key), [*exact_u_hints(record, key), *copy_hints(record, key)]] for key in keys]
        return {"known": known_reasons(record).to_dict("split")["data"], "hints": hints}

    stored = evidence_cache.cached("fidelity", record, compute)
    known = pd.DataFrame(stored["known"], columns=[*KEYS, "verdict", "reason"])
    return known, {tuple(key): hints for key, hints in stored["hints"]}


def half_up_note(printed: str, value: float) -> str:
    """For a match on an exact decimal half (942.5 printed 943): it holds only under half-up rounding; say so."""
    if printed.startswith(("<", ">")) or value is None or pd.isna(value):
        return ""
    decimals = published.printed_decimals(printed)
    if not published.on_rounding_half(float(value), decimals):
        return ""
    exact = published.exact_decimal(float(value))
    even = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    return f"reproduced under half-up rounding only: the exact value {exact} prints {even} when rounded half to even"


def explain(comparison: pd.DataFrame, record: pd.DataFrame, config=DEFAULT, decisions: dict | None = None) -> pd.DataFrame:
    """The comparison with a verdict from :data:`VERDICTS` and a reason for every printed number.

    ``decisions`` (:func:`anakinra_rescue.examination.verdicts.stored_decisions`: the certified entries of
    certificates.json for this record and cohort) decide the numbers the checks below leave open; without them
    (another cohort, another configuration) those stay open questions.
    """
    decisions = decisions or {}
    reasons, hints = record_evidence(record)
    found = {tuple(row[:4]): row[5] for row in reasons.itertuples(index=False, name=None)}
    verdict_of = {tuple(row[:4]): row[4] for row in reasons.itertuples(index=False, name=None)}
    overrides = dict(config.test_overrides)
    verdicts, why = [], []
    for row in comparison.itertuples(index=False):
        key = (row.source, row.variable, row.group, row.statistic)
        overridden = row.statistic == "p_value" and row.variable in overrides and row.source in ("table1", "table2")
        if row.status == Status.MATCH and overridden:
            verdicts.append(OTHER_TEST)
            why.append(_override_reason(record, key, overrides[row.variable], found))
        elif row.status == Status.MATCH:
            verdicts.append(REPRODUCED)
            why.append(half_up_note(str(row.published), row.regenerated_value))
        elif row.status != Status.MATCH and key in decisions:
            verdicts.append(decisions[key]["verdict"])
            why.append(decisions[key]["reason"])
        elif key in verdict_of and verdict_of[key] in (PROVEN, INCONSISTENT):
            verdicts.append(verdict_of[key])
            why.append(found[key])
        elif row.variable in NEEDS_INFECTIONS_FILE and row.status == Status.NOT_COMPUTED:
            verdicts.append(NOT_COMPUTABLE)
            why.append(f"the folder has no {INFECTIONS_FILE}, the only input that names organisms")
        else:
            verdicts.append(OPEN)
            search = (
                "the seeded trajectory search (anakinra_rescue.reconstruction.trajectories) found no outcomes that "
                "print this number together with the rest of Table 3"
                if row.source == "table3"
                else "the seeded search (anakinra_rescue.reconstruction.solver, then the value grid for mean rows) found "
                "no values that print this number together with the rest of its row"
            )
            why.append("; ".join([search + ", and no check proves that none exist", *hints.get(key, [])]))
    explained = comparison.assign(verdict=verdicts, reason=why)
    return explained


def fidelity_file(explained: pd.DataFrame) -> pd.DataFrame:
    """The rows of fidelity.csv: every printed number with its verdict (as ``status``), test and reason."""
    return explained.assign(status=explained["verdict"])[[*KEYS, "published", "regenerated", "status", "test", "note", "reason"]]

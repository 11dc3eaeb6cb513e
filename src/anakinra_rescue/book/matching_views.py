"""How the matching ran, as the Methods chapter shows it: the flow from pool to pairs, each case's candidates, one
case's log, and the rule as the engine checks it. Per-patient rows are withheld in an aggregate build
(:func:`anakinra_rescue.book.context.patient_level_shown`)."""

import pandas as pd
from IPython.display import Markdown

from anakinra_rescue.book import context
from anakinra_rescue.engine import pipeline
from anakinra_rescue.engine.config import DEFAULT, REJECTION_REASONS, SELECTED


def matching_flow(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Pool to pairs: patients at each stage, then candidate checks by the rule that ended them."""
    patients = analysis.cohort.patients
    log = analysis.matched.log
    stages = [
        ("historical patients in the pool", int((patients["cohort"] == "historical").sum())),
        ("anakinra cases to match", int((patients["cohort"] == "anakinra").sum())),
        ("distinct candidates considered", int(log["candidate_id"].nunique())),
        ("candidate checks logged", len(log)),
        *((f"checks ended by rule: {reason}", int((log["reason"] == reason).sum())) for reason in REJECTION_REASONS),
        ("controls selected", int((log["reason"] == SELECTED).sum())),
        ("cases left unmatched", len(analysis.matched.unmatched)),
    ]
    return pd.DataFrame(stages, columns=["stage", "count"])


def candidates_per_case(analysis: pipeline.Analysis) -> pd.DataFrame | Markdown:
    """One row per case: day 0, interval, status, candidates checked, the selected control and the reasons seen."""
    if not context.patient_level_shown():
        return Markdown(context.withheld_notice("The per-case rows (case and control ids, day-0 dates)"))
    log = analysis.matched.log
    pairs = analysis.matched.pairs.set_index("case_id")
    rows = []
    for case_id, checks in log.groupby("case_id", sort=False):
        reasons = checks["reason"].value_counts()
        row: dict[str, object] = {
            "case": case_id,
            "day 0": pairs.loc[case_id, "day0_date"].strftime("%Y-%m-%d") if case_id in pairs.index else "",
            "interval (days)": int(pairs.loc[case_id, "interval_days"]) if case_id in pairs.index else None,
            "status on day 0": int(pairs.loc[case_id, "day0_status"]) if case_id in pairs.index else None,
            "candidates checked": len(checks),
            "control": pairs.loc[case_id, "control_id"] if case_id in pairs.index else "none",
            # each count says what it counts: candidates turned down by that rule before the control was found
            **{f"turned down: {reason.replace('_', ' ')}": int(reasons.get(reason, 0)) for reason in REJECTION_REASONS},
        }
        rows.append(row)
    return pd.DataFrame(rows)


def case_log(analysis: pipeline.Analysis, case_id: str) -> pd.DataFrame | Markdown:
    """Every candidate one case's matching looked at, in order, with the rule that rejected it (withheld in an
    aggregate build: :func:`anakinra_rescue.book.context.patient_level_shown`)."""
    if not context.patient_level_shown():
        return Markdown(context.withheld_notice("One case's matching log and its patient ids"))
    log = analysis.matched.log
    rows = log[log["case_id"] == case_id].copy()
    for column in ("tocilizumab_start_date", "pseudo_date"):
        rows[column] = pd.to_datetime(rows[column]).dt.strftime("%Y-%m-%d")
    return rows.drop(columns="case_id").reset_index(drop=True)


def first_case_id(analysis: pipeline.Analysis) -> str:
    """The first case in matching order (the drill-down example)."""
    return str(analysis.matched.log["case_id"].iloc[0])


def matching_rules_table(config=DEFAULT) -> pd.DataFrame:
    """The matching rule as the engine runs it, one criterion per row in the order it is checked."""
    rules = config.matching
    statements = {
        "already_matched": "not already used as a control (matching is without replacement)",
        "age": f"age within {rules.max_age_difference_years} years of the case",
        "charlson": f"Charlson index within {rules.max_charlson_difference} points of the case",
        "not_in_hospital": "alive and in hospital on the pseudo date (discharge and death both after it)",
        "improved": "no status below the tocilizumab-day status between tocilizumab and the pseudo date, both included",
        "status_differs": "the same ordinal status on the pseudo date as the case on day 0",
    }
    return pd.DataFrame(
        {
            "order": range(1, len(rules.rejection_order) + 1),
            "rule": list(rules.rejection_order),
            "a candidate passes when": [statements[name] for name in rules.rejection_order],
        }
    )

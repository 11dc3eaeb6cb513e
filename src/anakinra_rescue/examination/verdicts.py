"""A decided verdict, a reason and certificates for every printed number the cohort does not reproduce.

:func:`decide` is the search (seconds to minutes); it writes what it found to certificates.json
(:func:`write`), which :mod:`anakinra_rescue.examination.certificates` re-checks and
:func:`anakinra_rescue.examination.fidelity.explain` reads. The file is stamped with the record and the set of
numbers the cohort reproduces: a cohort that prints other numbers needs other decisions, and a stale file is
ignored rather than believed (:func:`stored_decisions`). Pinned by ``tests/test_verdicts.py``.
"""

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from anakinra_rescue.data import published
from anakinra_rescue.data.published import KEYS
from anakinra_rescue.data.vocabulary import StatisticalTest, Status, Verdict
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.engine.printed import haverage_position
from anakinra_rescue.examination import fidelity, outcome_proofs, table3_decisions
from anakinra_rescue.examination.certificates import CERTIFICATES_FILE
from anakinra_rescue.schemas.published import COMPARED_GROUPS

STAMP_FIELDS = ("record_sha256", "reproduced_sha256")


def _words(record: pd.DataFrame, key: tuple) -> str:
    source, variable, group, statistic = key
    label = {"ordinal_status": "status", "score_difference": "score difference"}.get(variable.rsplit("_day", 1)[0], variable)
    where = "P" if group == "comparison" else f"{group} {'Q1' if statistic == 'q1' else 'Q3' if statistic == 'q3' else statistic}"
    return f"the {label} {where} {published.required(record, *key)}"


def _table3_reason(record: pd.DataFrame, decision: table3_decisions.Decision) -> str:
    day = int(decision.key[1].rsplit("_day", 1)[1])
    proof = next((c for c in decision.certificates if c["kind"] == "day_exhaustive" and c["reading"] == "engine"), None)
    domain = (
        f"all {proof['domain_size']:,} day-{day} pictures per group (patients from each printed day-0 status to a status on "
        f"day {day}; {proof['feasible']['anakinra']:,} and {proof['feasible']['control']:,} agree with the printed deaths, "
        "discharges and improvements under the engine reading, which contains the natural one)"
        if proof
        else ""
    )
    only_engine = (
        ""
        if "natural" in decision.readings
        else (
            "; it holds only under the engine reading (a patient discharged on day k keeps that day's recorded status): "
            "under the natural one (discharged by day k if and only if at status 1) no picture gives it (exhaustive check)"
        )
    )
    if decision.verdict == Verdict.PROVEN:
        return f"no picture gives {_words(record, decision.key)}: exhaustive check of {domain}"
    if decision.verdict == Verdict.INCONSISTENT:
        return (
            f"{_words(record, decision.key)} holds in some day-{day} pictures, but in none together with "
            + ", ".join(_words(record, key) for key in decision.siblings)
            + f" (which this cohort prints): exhaustive check of {domain}{only_engine}"
        )
    reading = next(c["reading"] for c in decision.certificates if c["kind"] == "day_pictures")
    return (
        f"day-{day} pictures print it together with all {len(decision.siblings)} day-{day} status and score-difference "
        f"numbers this cohort prints ({reading} reading; the witness is in {CERTIFICATES_FILE}); the committed cohort "
        f"does not reach it{only_engine}"
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stamp(record: pd.DataFrame, compared: pd.DataFrame) -> dict[str, str]:
    """What the decisions depend on: the record's text and the keys the cohort reproduces."""
    reproduced = compared.loc[compared["status"] == Status.MATCH, KEYS].astype(str).agg("/".join, axis=1)
    return {
        "record_sha256": _digest(record[[*KEYS, "value"]].to_csv(index=False)),
        "reproduced_sha256": _digest("\n".join(sorted(reproduced))),
    }


def decide(record: pd.DataFrame, compared: pd.DataFrame, config=DEFAULT, progress=print) -> list[dict]:
    """The decided entries for Table 3's status and score-difference numbers the cohort misses."""
    reproduced = {tuple(row) for row in compared.loc[compared["status"] == Status.MATCH, KEYS].itertuples(index=False)}
    table3_keys = {key for day in config.outcome_days for key in table3_decisions.family(day)}
    entries = record_entries(record, fidelity.explain(compared, record, config), table3_keys)
    entries += witness_entries(record, compared)
    for day in config.outcome_days:
        for decision in table3_decisions.decide_day(record, day, reproduced, config, progress):
            entries.append(
                {
                    "key": list(decision.key),
                    "verdict": str(decision.verdict),
                    "reason": _table3_reason(record, decision),
                    "siblings": [list(key) for key in decision.siblings],
                    "readings": list(decision.readings),
                    "certificates": decision.certificates,
                }
            )
    return entries


FINDING_CHECKS = (
    "test_rule_contradictions",
    "exact_u_impossibility",
    "matching_forced_equalities",
    "quartile_grid_violations",
    "whole_unit_t_test_proofs",
)


def _anchored_sample(size: int, q1: float, median: float, q3: float) -> list[float]:
    """``size`` values whose HAVERAGE quartiles are exactly q1, median and q3 (q1 <= median <= q3): each quartile's
    two neighbouring order statistics sit on it."""
    cut_q1, cut_median = (math.ceil(haverage_position(fraction, size)) for fraction in (0.25, 0.5))
    return [q1] * cut_q1 + [median] * (cut_median - cut_q1) + [q3] * (size - cut_median)


def record_entries(record: pd.DataFrame, explained: pd.DataFrame, table3_keys: set) -> list[dict]:
    """Entries for the verdicts the record-only checks of :mod:`anakinra_rescue.examination.fidelity` give (Tables
    1-2 and the score-difference bounds): their certificate is the check's finding, re-derived by the checker; an
    inconsistent quartile also carries a witness that it can be printed alone."""
    findings: dict[tuple, tuple[str, str]] = {}
    for name in FINDING_CHECKS:
        for row in getattr(fidelity, name)(record):
            findings.setdefault(tuple(row[:4]), (name, row[4]))
    for row in outcome_proofs.score_difference_proofs(record):
        findings.setdefault(tuple(row[:4]), ("score_difference_proofs", row[4]))
    entries = []
    for row in explained.itertuples(index=False):
        key = (row.source, row.variable, row.group, row.statistic)
        if key in table3_keys or row.verdict not in (Verdict.PROVEN, Verdict.INCONSISTENT, Verdict.OTHER_TEST):
            continue
        if key not in findings:
            raise ValueError(f"{'/'.join(key)} is {row.verdict} but no record check finds it")
        name, finding = findings[key]
        certificates: list[dict] = [{"kind": "record_finding", "check": name, "key": list(key), "finding": finding}]
        if row.verdict == Verdict.INCONSISTENT and key[3] in ("q1", "median", "q3"):
            quartiles = [
                float(published.required(record, *key[:3], name, column="compared_as")) for name in ("q1", "median", "q3")
            ]
            size = int(published.printed(record, key[0], key[1], key[2], "denominator") or published.group_size(record))
            values = _anchored_sample(size, *quartiles)
            certificates.append(
                {
                    "kind": "values",
                    "test": "",
                    "values": {group: values for group in COMPARED_GROUPS},
                    "prints": [[*key[:3], name] for name in ("q1", "median", "q3")],
                }
            )
        entries.append(
            {
                "key": list(key),
                "verdict": str(row.verdict),
                "reason": str(row.reason),
                "siblings": [],
                "readings": [],
                "certificates": certificates,
            }
        )
    return entries


def witness_entries(record: pd.DataFrame, compared: pd.DataFrame) -> list[dict]:
    """P-values of Tables 1-2 the cohort misses that a stored tie-heavy sample prints with the asymptotic test
    (:mod:`anakinra_rescue.reconstruction.row_witness`): attainable, not reached; the exact test's impossibility
    comes with it."""
    from anakinra_rescue.reconstruction import row_witness

    missed = compared.loc[compared["status"] != Status.MATCH, KEYS].itertuples(index=False, name=None)
    exact = {tuple(row[:4]): row[4] for row in fidelity.exact_u_impossibility(record)}
    witnesses = row_witness.read_witnesses()
    entries = []
    for key in map(tuple, missed):
        if key[3] != "p_value" or key[1] not in witnesses:
            continue
        test = StatisticalTest.MANN_WHITNEY_ASYMPTOTIC
        a, b = witnesses[key[1]]
        prints = [list(k) for k in _printed_row(record, key) if k[2] in ("comparison", *COMPARED_GROUPS)]
        certificates: list[dict] = [
            {"kind": "values", "test": str(test), "values": {"anakinra": a.tolist(), "control": b.tolist()}, "prints": prints}
        ]
        if key in exact:
            certificates.append(
                {"kind": "record_finding", "check": "exact_u_impossibility", "key": list(key), "finding": exact[key]}
            )
        ties = max(int(np.unique(values, return_counts=True)[1].max()) for values in (a, b))
        reason = (
            (exact[key] + "; " if key in exact else "")
            + f"the asymptotic, tie-corrected P gives {published.required(record, *key)} with values that print the row's "
            f"quartiles (a witness in {CERTIFICATES_FILE}, with up to {ties} equal values in a group); the committed cohort "
            "keeps its own values for this row"
        )
        entries.append(
            {
                "key": list(key),
                "verdict": str(Verdict.ATTAINABLE),
                "reason": reason,
                "siblings": [],
                "readings": [],
                "certificates": certificates,
            }
        )
    return entries


def _printed_row(record: pd.DataFrame, key: tuple) -> list[tuple]:
    """The keys of the printed numbers of ``key``'s row that a values witness can print: group quartiles, the P."""
    rows = record[(record["source"] == key[0]) & (record["variable"] == key[1])]
    found = []
    for row in rows.itertuples(index=False):
        if row.statistic in ("q1", "median", "q3", "mean", "sd", "p_value") and row.group in (*COMPARED_GROUPS, "comparison"):
            found.append((row.source, row.variable, row.group, row.statistic))
    impossible = {tuple(row[:4]) for row in fidelity.quartile_grid_violations(record)}
    return [k for k in found if k not in impossible]


def write(path: Path | str, record: pd.DataFrame, compared: pd.DataFrame, entries: list[dict]) -> Path:
    """Write certificates.json: the stamp and the entries, in a stable order and layout (byte-identical reruns)."""
    body: dict = {**stamp(record, compared), "decisions": sorted(entries, key=lambda entry: entry["key"])}
    target = Path(path)
    target.write_text(json.dumps(body, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return target


def stored_decisions(folder: Path | str | None, record: pd.DataFrame, compared: pd.DataFrame) -> dict[tuple, dict]:
    """The entries of ``folder``/certificates.json by key, when its stamp matches this record and cohort; else {}."""
    if folder is None:
        return {}
    path = Path(folder) / CERTIFICATES_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if any(stored.get(name) != value for name, value in stamp(record, compared).items()):
        return {}
    return {tuple(entry["key"]): entry for entry in stored.get("decisions", [])}

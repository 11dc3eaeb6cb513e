"""The certificate checker: re-verifies, from the published record alone, every verdict other than "reproduced".

certificates.json (written by ``python -m anakinra_rescue certify``, next to fidelity.csv) holds one entry per
printed number the committed cohort does not print as the article's stated methods would, with its verdict and
its certificates. :func:`check_file` re-checks each, without the search that found it (``certify --check``):

* ``day_pictures`` (a witness): one count matrix per group for day k (patients from each day-0 level to each
  day-k level) and a reading of day k. The checker lays the matrices out as patients, checks the printed day-0
  statuses, deaths, discharges and improvements patient by patient, and recomputes each named number with the
  engine's own statistics (:func:`anakinra_rescue.engine.stats.quartiles`, :func:`~anakinra_rescue.engine.stats.mann_whitney`).
* ``day_exhaustive`` (a proof): the named numbers hold together in no pair of day-k pictures under a reading. The
  checker recounts the domain (its size by a closed formula, the pictures that agree with the counts) and
  evaluates every picture (:mod:`anakinra_rescue.examination.day_profiles`).
* ``values`` (a witness): two groups' values that print the named numbers of one row with the named test.
* ``record_finding`` (a proof from the record alone): a check of :mod:`anakinra_rescue.examination.fidelity` that
  derives the finding from printed numbers only (a P fixed by printed counts, a quartile grid, the t-test moments,
  the matching design); the checker re-runs it and compares the finding.

Pinned by ``tests/test_certificates.py``.
"""

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from anakinra_rescue.data import published
from anakinra_rescue.data.files import CERTIFICATES_FILE
from anakinra_rescue.data.vocabulary import Verdict
from anakinra_rescue.engine import stats, tables
from anakinra_rescue.engine.comparison import prints_as
from anakinra_rescue.engine.config import DEFAULT
from anakinra_rescue.examination import day_profiles
from anakinra_rescue.schemas.cohort import ORDINAL_LEVELS
from anakinra_rescue.schemas.published import COMPARED_GROUPS


class CertificateError(ValueError):
    """A certificate that does not hold: the message names the number, the certificate and what failed."""


def _patients(matrix: list[list[int]]) -> list[tuple[int, int]]:
    """(day-0 level, day-k level) per patient, from a count matrix."""
    return [
        (start, end)
        for start, row in zip(ORDINAL_LEVELS, matrix)
        for end, count in zip(ORDINAL_LEVELS, row)
        for _ in range(int(count))
    ]


def _picture_agrees(patients: list[tuple[int, int]], counts: day_profiles.DayCounts, reading: str) -> str | None:
    """Why the patients do not agree with the printed counts under ``reading``; None when they do.

    Written patient by patient, apart from :func:`anakinra_rescue.examination.day_profiles.feasible`'s arithmetic:
    each patient gets the most favourable story the reading allows, and the totals are compared."""
    day0 = [sum(1 for start, _ in patients if start == level) for level in ORDINAL_LEVELS]
    if tuple(day0) != counts.day0:
        return f"day-0 statuses {day0} are not the printed {list(counts.day0)}"
    dead = sum(1 for _, end in patients if end == max(ORDINAL_LEVELS))
    if (counts.dead is not None and dead != counts.dead) or (counts.dead is None and dead > counts.dead_at_most):
        return f"{dead} deaths by day {counts.day} disagree with the printed deaths"
    by_status = sum(
        1 for start, end in patients if end == 1 or (end < max(ORDINAL_LEVELS) and end <= start - counts.improvement_points)
    )
    at_home = sum(1 for _, end in patients if end == 1)
    last = counts.day == counts.last_discharge_day
    if reading == "natural":
        if by_status != counts.improved:
            return f"{by_status} improved by their status, printed {counts.improved}"
        if at_home > counts.discharged_by_last or (last and at_home != counts.discharged_by_last):
            return (
                f"{at_home} at home on day {counts.day} against {counts.discharged_by_last} discharged by day "
                f"{counts.last_discharge_day}"
            )
        return None
    # engine: x patients dead after a discharge, y discharged on day k at a 2-3 that is no improvement, z others
    # discharged on day k at 2-3; every split is tried.
    no_gain = sum(1 for start, end in patients if end in (2, 3) and end > start - counts.improvement_points)
    on_day = sum(1 for _, end in patients if end in (2, 3))
    for x in range(dead + 1):
        for y in range(no_gain + 1):
            if by_status + x + y != counts.improved:
                continue
            for z in range(on_day - y + 1):
                discharged = at_home + x + y + z
                if discharged == counts.discharged_by_last or (not last and discharged <= counts.discharged_by_last):
                    return None
    return f"no split of deaths after discharge and discharges on day {counts.day} gives the printed counts"


def _check_pictures(certificate: dict, record: pd.DataFrame, config) -> None:
    day, reading = certificate["day"], certificate["reading"]
    values = {}
    for group in COMPARED_GROUPS:
        patients = _patients(certificate["matrices"][group])
        problem = _picture_agrees(patients, day_profiles.day_counts(record, group, day, config), reading)
        if problem:
            raise CertificateError(f"the {group} picture of day {day} ({reading} reading): {problem}")
        starts = np.array([start for start, _ in patients], dtype=float)
        ends = np.array([end for _, end in patients], dtype=float)
        differences = starts - ends if config.score_difference_sign == "day0_minus_dayk" else ends - starts
        values[group] = {"ordinal_status": ends, "score_difference": differences}
    for source, variable, group, statistic in certificate["prints"]:
        row = variable.rsplit("_day", 1)[0]
        if group == "comparison":
            value = stats.mann_whitney(values["anakinra"][row], values["control"][row], exact=False).p_value
        else:
            value = dict(zip(("q1", "median", "q3"), stats.quartiles(values[group][row])))[statistic]
        printed = published.required(record, source, variable, group, statistic, column="compared_as")
        if not prints_as(printed, value):
            raise CertificateError(f"the day-{day} pictures give {variable}/{group}/{statistic} = {value:.6g}, not {printed}")


_SHARED: dict = {}  # per record and day: one Check (its masks) and one run of each record check, for a whole file


def _shared(kind: str, record: pd.DataFrame, key, build):
    token = (kind, id(record), len(record), key)
    if token not in _SHARED:
        if len(_SHARED) > 64:
            _SHARED.clear()
        _SHARED[token] = build()
    return _SHARED[token]


def _check_exhaustive(certificate: dict, record: pd.DataFrame, config) -> None:
    from anakinra_rescue.examination.table3_decisions import Check

    check = _shared("check", record, (certificate["day"], id(config)), lambda: Check(record, certificate["day"], config))
    space = check.spaces[COMPARED_GROUPS[0]]
    size = day_profiles.domain_size(space.day0)
    if size != space.size or size != certificate["domain_size"]:
        raise CertificateError(
            f"the domain holds {space.size:,} pictures, the formula {size:,}, the certificate {certificate['domain_size']:,}"
        )
    reading = certificate["reading"]
    feasible = {group: int(check.mask(group, reading, frozenset()).sum()) for group in COMPARED_GROUPS}
    if feasible != certificate["feasible"]:
        raise CertificateError(f"{feasible} pictures agree with the counts, the certificate says {certificate['feasible']}")
    keys: frozenset = frozenset(tuple(key) for key in certificate["prints"])
    found = check.witness(reading, keys)
    if found is not None:
        raise CertificateError(f"pictures {found} print {sorted(keys)} together ({reading} reading)")


def _check_values(certificate: dict, record: pd.DataFrame, config) -> None:
    a, b = (np.array(certificate["values"][group], dtype=float) for group in COMPARED_GROUPS)
    if certificate["test"] and not any(key[2] == "comparison" for key in certificate["prints"]):
        raise CertificateError("names a test but prints no P-value")
    for source, variable, group, statistic in certificate["prints"]:
        if group == "comparison":
            value = tables.named_test(certificate["test"], a, b).p_value
        else:
            sample = a if group == "anakinra" else b
            summary = {"mean": float(sample.mean()), "sd": float(sample.std(ddof=1))}
            summary |= dict(zip(("q1", "median", "q3"), stats.quartiles(sample)))
            value = summary[statistic]
        printed = published.required(record, source, variable, group, statistic, column="compared_as")
        if not prints_as(printed, value):
            raise CertificateError(f"the values give {variable}/{group}/{statistic} = {value:.6g}, not {printed}")


def _check_finding(certificate: dict, record: pd.DataFrame, config) -> None:
    from anakinra_rescue.examination import fidelity, outcome_proofs

    names: tuple[str, ...] = ("test_rule_contradictions", "exact_u_impossibility", "matching_forced_equalities")
    names += ("quartile_grid_violations", "whole_unit_t_test_proofs")
    checks = {name: getattr(fidelity, name) for name in names} | {
        "score_difference_proofs": outcome_proofs.score_difference_proofs
    }
    name = certificate["check"]
    if name not in checks:
        raise CertificateError(f"unknown record check {name!r}; expected one of {', '.join(checks)}")
    findings = _shared("finding", record, name, lambda: {tuple(row[:4]): row[4] for row in checks[name](record)})
    key = tuple(certificate["key"])
    if findings.get(key) != certificate["finding"]:
        raise CertificateError(f"{certificate['check']} no longer finds {certificate['finding']!r} for {'/'.join(key)}")


CHECKERS = {
    "day_pictures": _check_pictures,
    "day_exhaustive": _check_exhaustive,
    "values": _check_values,
    "record_finding": _check_finding,
}


def check_certificate(certificate: dict, record: pd.DataFrame, config=DEFAULT) -> None:
    """Raise :class:`CertificateError` unless the certificate holds."""
    kind = certificate.get("kind")
    if kind not in CHECKERS:
        raise CertificateError(f"unknown certificate kind {kind!r}; expected one of {', '.join(CHECKERS)}")
    CHECKERS[kind](certificate, record, config)


def load(path: Path | str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def check_file(
    path: Path | str, record: pd.DataFrame, fidelity_rows: pd.DataFrame | None = None, config=DEFAULT, progress=print
) -> dict:
    """Re-check every certificate in the file; with ``fidelity_rows`` (fidelity.csv), also that every verdict other
    than "reproduced" and "open_question" there has its entry here, with the same verdict. Returns counts (the open
    questions among them) and seconds; raises :class:`CertificateError` on the first failure."""
    start = time.perf_counter()
    stored = load(path)
    by_key = {tuple(entry["key"]): entry for entry in stored["decisions"]}
    open_questions = 0
    if fidelity_rows is not None:
        for row in fidelity_rows.itertuples(index=False):
            key = (row.source, row.variable, row.group, row.statistic)
            if row.status in (Verdict.REPRODUCED, Verdict.OPEN):  # an open question has nothing to certify yet
                open_questions += row.status == Verdict.OPEN
                continue
            entry = by_key.get(key)
            if entry is None or entry["verdict"] != row.status:
                raise CertificateError(
                    f"{'/'.join(key)} is {row.status} in fidelity.csv but "
                    + ("has no certificate" if entry is None else f"{entry['verdict']} in {CERTIFICATES_FILE}")
                )
    checked = 0
    for entry in stored["decisions"]:
        for certificate in entry["certificates"]:
            try:
                check_certificate(certificate, record, config)
            except CertificateError as error:
                raise CertificateError(f"{'/'.join(entry['key'])} ({entry['verdict']}), {certificate['kind']}: {error}") from None
            checked += 1
        progress(f"  {'/'.join(entry['key']):<55} {entry['verdict']:<28} {len(entry['certificates'])} certificate(s) hold")
    return {
        "numbers": len(stored["decisions"]),
        "certificates": checked,
        "open": open_questions,
        "seconds": time.perf_counter() - start,
    }

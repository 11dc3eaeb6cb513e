"""The study's pipeline, chained in one place: load, match, derive, tabulate, compare.

Every caller that needs the analysis of a cohort folder (the command line, the
book, the sensitivity runs, the reconstruction's own check) calls :func:`run`;
nothing else chains these steps. Pinned by ``tests/test_pipeline.py``.
"""

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anakinra_rescue.data import cohort_rules, compact, io, published
from anakinra_rescue.data.files import DAILY_STATUS_FILE
from anakinra_rescue.engine import comparison, matching, outcomes, tables
from anakinra_rescue.engine.config import DEFAULT, StudyConfig
from schemas.cohort import DailyStatus


@dataclass(frozen=True)
class Analysis:
    """A validated cohort, its matching, the per-patient frame, and every regenerated number against the printed one."""

    cohort: io.Cohort  # patients in full; daily_status in the compact form (patient_id, date, ordinal_status)
    matched: matching.MatchResult
    frame: pd.DataFrame
    record: pd.DataFrame
    regenerated: pd.DataFrame
    compared: pd.DataFrame


def run(directory: Path | str, config: StudyConfig = DEFAULT, *, record: pd.DataFrame | None = None,
        with_log: bool = True) -> Analysis:
    """Analyse the cohort in ``directory`` under ``config``.

    Raises :class:`anakinra_rescue.data.problems.CohortValidationError` on invalid input.
    ``record`` defaults to the article's published record; ``with_log=False``
    skips the per-candidate matching log (registry scale).
    """
    # Two passes over daily_status.csv, so that a registry's rows are never all held in full: the first validates
    # every file and keeps, for every patient-day, the three columns the rules and the matching read (compact);
    # the second reads every column for the analysed patients only.
    cohort = io.load_cohort(directory, daily_columns=cohort_rules.DAILY_COLUMNS)
    cohort = dataclasses.replace(cohort, patients=compact.expanded(cohort.patients))
    matched = matching.match_controls(cohort.patients, cohort.daily_status, config, with_log=with_log)
    analysed = pd.concat([matched.pairs["case_id"], matched.pairs["control_id"]])
    daily = io.read_rows_of(cohort.directory / DAILY_STATUS_FILE, DailyStatus, analysed)
    frame = outcomes.derive_patient_frame(cohort.patients, daily, matched.pairs, config, cohort.infections)
    record = published.load_published_record() if record is None else record
    regenerated = tables.all_tidy(frame, record, config)
    compared = comparison.compare(regenerated, record)
    return Analysis(cohort, matched, frame, record, regenerated, compared)

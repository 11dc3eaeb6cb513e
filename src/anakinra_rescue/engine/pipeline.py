"""The study's pipeline, chained in one place: load, match, derive, tabulate, compare.

Every caller that needs the analysis of a cohort folder (the command line, the
book, the sensitivity runs, the reconstruction's own check) calls :func:`run`;
nothing else chains these steps. Pinned by ``tests/test_pipeline.py``.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from anakinra_rescue.data import io, published
from anakinra_rescue.engine import comparison, matching, outcomes, tables
from anakinra_rescue.engine.config import DEFAULT, StudyConfig


@dataclass(frozen=True)
class Analysis:
    """A validated cohort, its matching, the per-patient frame, and every regenerated number against the printed one."""

    cohort: io.Cohort
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
    cohort = io.load_cohort(directory)
    matched = matching.match_controls(cohort.patients, cohort.daily_status, config, with_log=with_log)
    frame = outcomes.derive_patient_frame(cohort.patients, cohort.daily_status, matched.pairs, config, cohort.infections)
    record = published.load_published_record() if record is None else record
    regenerated = tables.all_tidy(frame, record, config)
    compared = comparison.compare(regenerated, record)
    return Analysis(cohort, matched, frame, record, regenerated, compared)

"""The study's pipeline, chained in one place: load, match, derive, tabulate, compare.

Every caller that needs the analysis of a cohort folder (the command line, the
book, the sensitivity runs, the reconstruction's own check) calls :func:`run`;
nothing else chains these steps. Pinned by ``tests/test_pipeline.py``.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from anakinra_rescue.data import io, passes, published
from anakinra_rescue.data.files import COMPARISON_FILE, FIGURE1_FILE, REGENERATED_FILE, table_file
from anakinra_rescue.engine import ard, comparison, frames, matching, outcomes, tables
from anakinra_rescue.engine.config import DEFAULT, StudyConfig

FULL_ROWS_AT_ONCE = 1_000_000  # full-form daily rows held at once by patient_frame (about 200 MB)


@dataclass(frozen=True)
class Analysis:
    """A validated cohort, its matching, the per-patient frame, and every regenerated number against the printed one."""

    cohort: io.Cohort  # patients in full; daily_status in the compact form (patient_id, date, ordinal_status)
    matched: matching.MatchResult
    frame: pd.DataFrame
    record: pd.DataFrame
    regenerated: pd.DataFrame
    compared: pd.DataFrame
    config: StudyConfig = DEFAULT  # the settings every number above was computed under; outputs format with these

    def tidy(self, source: str) -> pd.DataFrame:
        """One table's regenerated numbers in long form (``table1``, ``table2`` or ``table3``), as computed by :func:`run`."""
        if source not in tables.TIDY_BUILDERS:
            raise ValueError(f"unknown table {source!r}; choose one of: {', '.join(tables.TIDY_BUILDERS)}")
        return self.regenerated[self.regenerated["source"] == source].reset_index(drop=True)

    def displayed(self, source: str, suppressed_below: int = 0) -> pd.DataFrame:
        """One table in the article's layout, under this analysis's settings (nothing is recomputed); withheld
        counts print as "<k" for ``suppressed_below`` = k."""
        return tables.display_table(self.tidy(source), self.config, suppressed_below)

    def figure1(self) -> pd.DataFrame:
        """Figure 1's counts on day 0 and this analysis's outcome days."""
        return tables.figure1_ordinal_status(self.frame, self.config)


def match(
    directory: Path | str, config: StudyConfig = DEFAULT, *, with_log: bool = True
) -> tuple[io.Cohort, matching.MatchResult]:
    """Validate the folder and match, reading no measurement: the `match` command, and the first half of :func:`run`
    (the first of :mod:`anakinra_rescue.data.passes`' two passes over daily_status.csv)."""
    cohort = passes.first_pass(directory)
    return cohort, matching.match_controls(cohort.patients, cohort.daily_status, config, with_log=with_log)


def patient_frame(cohort: io.Cohort, pairs: pd.DataFrame, config: StudyConfig = DEFAULT) -> pd.DataFrame:
    """:func:`outcomes.derive_patient_frame` of the matched pairs, from their full daily rows (the second pass).

    When those rows exceed :data:`FULL_ROWS_AT_ONCE`, the pairs are taken in batches (consecutive pairs, about that
    many rows each) and each batch is derived on its own (every quantity is per patient), so memory holds one batch
    of full rows at a time.
    """
    ids = pd.concat([pairs["case_id"], pairs["control_id"]], ignore_index=True)
    rows = cohort.daily_status["patient_id"].value_counts()
    rows.index = rows.index.astype(object)
    per_pair = rows.reindex(pairs["case_id"]).fillna(0).to_numpy() + rows.reindex(pairs["control_id"]).fillna(0).to_numpy()
    batch_of_pair = ((np.cumsum(per_pair) - 1) // FULL_ROWS_AT_ONCE).astype(int) if len(pairs) else np.zeros(0, int)
    parts = []
    for number, daily in enumerate(passes.second_pass(cohort, ids, np.concatenate([batch_of_pair, batch_of_pair]))):
        in_batch = batch_of_pair == number
        part = outcomes.derive_patient_frame(cohort.patients, daily, pairs[in_batch], config, cohort.infections)
        if number:  # numbered within the batch from 1
            part["pair_number"] += int(np.flatnonzero(in_batch)[0])
        parts.append(part)
        del daily
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    order = np.lexsort((frame["pair_number"].to_numpy(), (frame["group"] != "anakinra").to_numpy()))
    return frame.iloc[order].reset_index(drop=True)  # cases by pair number, then controls: as in one batch


def run(
    directory: Path | str, config: StudyConfig = DEFAULT, *, record: pd.DataFrame | None = None, with_log: bool = True
) -> Analysis:
    """Analyse the cohort in ``directory`` under ``config``.

    Raises :class:`anakinra_rescue.data.problems.CohortValidationError` on invalid input.
    ``record`` defaults to the article's published record; ``with_log=False``
    skips the per-candidate matching log (registry scale).
    """
    cohort, matched = match(directory, config, with_log=with_log)
    frame = frames.checked(patient_frame(cohort, matched.pairs, config), frames.PatientFrame)
    record = published.load_published_record() if record is None else record
    regenerated = frames.checked(tables.all_tidy(frame, record, config), frames.RegeneratedNumbers)
    compared = frames.checked(comparison.compare(regenerated, record), frames.ComparedNumbers)
    return Analysis(cohort, matched, frame, record, regenerated, compared, config)


def table_outputs(analysis: Analysis, suppressed_below: int = 0) -> dict[str, Callable[[], pd.DataFrame]]:
    """What the `tables` command writes and the book offers for download, by file name, each built when called (a
    caller that needs only the names builds nothing): Tables 1-3 as displayed (withheld counts as "<k" for
    ``suppressed_below`` = k), Figure 1's counts, every regenerated number in long form, each printed number
    beside its regenerated one, and every regenerated number again as Analysis Results Data (:mod:`.ard`)."""
    outputs: dict[str, Callable[[], pd.DataFrame]] = {
        table_file(source): functools.partial(analysis.displayed, source, suppressed_below) for source in tables.TIDY_BUILDERS
    }
    outputs[FIGURE1_FILE] = analysis.figure1
    outputs[REGENERATED_FILE] = functools.partial(getattr, analysis, "regenerated")
    outputs[COMPARISON_FILE] = functools.partial(getattr, analysis, "compared")
    outputs[ard.ARD_FILE] = functools.partial(ard.ard_table, analysis.regenerated, analysis.record)
    return outputs


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """One output file as every command writes it: no index, LF line ends, ISO dates."""
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return path

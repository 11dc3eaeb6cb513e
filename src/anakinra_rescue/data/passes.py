"""The two passes over daily_status.csv, and the memory they hold: what the pipeline reads, without its tuning.

A registry's daily rows are never all held in full. :func:`first_pass` validates every file and keeps, for every
patient-day, the three columns the rules and the matching read, in the compact form
(:mod:`anakinra_rescue.data.compact`). :func:`second_pass` reads every column for the analysed patients only, in
batches when they are many: one pass over the file spills each batch's rows to its own Arrow file in a temporary
folder, and the batches are handed out one at a time, the heap's freed pages returned to the system between them.
Pinned by ``tests/test_pipeline.py`` (the frame in batches equals the frame in one).
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.ipc

from anakinra_rescue.data import cohort_rules, compact, io
from anakinra_rescue.data.files import DAILY_STATUS_FILE
from anakinra_rescue.schemas.cohort import DailyStatus


def first_pass(directory: Path | str) -> io.Cohort:
    """The validated cohort: patients in full, daily rows in the compact form with the rules' columns only."""
    cohort = io.load_cohort(directory, daily_columns=cohort_rules.DAILY_COLUMNS)
    return io.Cohort(compact.expanded(cohort.patients), cohort.daily_status, cohort.directory, cohort.infections)


def second_pass(cohort: io.Cohort, patient_ids: pd.Series, batch_of_patient: np.ndarray) -> Iterator[pd.DataFrame]:
    """Every column of the daily rows of ``patient_ids``, one frame per batch (``batch_of_patient`` numbers each
    id's batch from 0; one batch reads the rows at once, without spilling)."""
    io.return_freed_memory()  # what the first pass and the matching dropped
    path = cohort.directory / DAILY_STATUS_FILE
    batches = int(batch_of_patient.max()) + 1 if len(batch_of_patient) else 1
    if batches == 1:
        yield io.read_rows_of(path, DailyStatus, patient_ids)
        return
    batch_of = pd.Series(batch_of_patient, index=patient_ids.to_numpy(object))
    with tempfile.TemporaryDirectory(prefix="anakinra-batches-") as spill:
        writers = {}
        try:
            for piece in io.rows_of_in_pieces(path, DailyStatus, patient_ids):
                batch = batch_of.reindex(piece["patient_id"].to_numpy(object)).to_numpy()
                for number in np.unique(batch):
                    table = pyarrow.Table.from_pandas(piece[batch == number], preserve_index=True)
                    if number not in writers:
                        writers[number] = pyarrow.ipc.new_file(Path(spill) / f"batch-{number}.arrow", table.schema)
                    writers[number].write_table(table)
        finally:
            for writer in writers.values():
                writer.close()
        for number in range(batches):
            stored = Path(spill) / f"batch-{number}.arrow"
            if stored.exists():
                yield compact.as_objects(pyarrow.ipc.open_file(stored).read_all().to_pandas())
            else:
                yield io.read_rows_of(path, DailyStatus, [])
            io.return_freed_memory()

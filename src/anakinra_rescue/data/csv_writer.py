"""Writing typed frames as the CSV files the loader reads (used by the reconstruction, the simulator and tests).

The output depends only on the values, so the same frames always give the same bytes: ISO dates, ``true`` /
``false``, the shortest decimal text that reads back to the same float, and an empty cell for a missing value.
"""

import io as text_io
from pathlib import Path

import pandas as pd

from anakinra_rescue.data.files import DAILY_STATUS_FILE, INFECTIONS_FILE, PATIENTS_FILE


def to_csv_text(frame: pd.DataFrame) -> str:
    """Write a typed frame as the CSV text the loader reads: ISO dates, true/false, empty for missing.

    The output depends only on the values, so the same frame always gives the same bytes.
    """
    out = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            out[name] = column.dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_bool_dtype(column):
            out[name] = column.map({True: "true", False: "false"}).astype(object).where(column.notna(), "")
        elif pd.api.types.is_integer_dtype(column):
            out[name] = column.astype("Int64").astype(str).replace("<NA>", "")
        elif pd.api.types.is_float_dtype(column):
            # repr is the shortest text that reads back to the same float; whole numbers lose the ".0".
            known = column.notna()
            text = pd.Series("", index=column.index, dtype=object)
            if known.any():
                text[known] = column[known].astype(float).map(repr).str.replace(r"\.0$", "", regex=True)
            out[name] = text
        else:
            out[name] = column.astype(object).where(column.notna(), "")
    buffer = text_io.StringIO()
    pd.DataFrame(out).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def write_cohort(
    patients: pd.DataFrame, daily_status: pd.DataFrame, directory: Path | str, infections: pd.DataFrame | None = None
) -> tuple[Path, ...]:
    """Write ``patients.csv``, ``daily_status.csv`` and, when given, ``infections.csv`` into ``directory``
    (created if needed); return the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in ((PATIENTS_FILE, patients), (DAILY_STATUS_FILE, daily_status), (INFECTIONS_FILE, infections)):
        if frame is not None:
            (directory / name).write_text(to_csv_text(frame), encoding="utf-8")
            written.append(directory / name)
    return tuple(written)

"""The compact in-memory form of validated input, for registry-sized files, and the way back to the full form.

``validate`` and the pipeline keep the daily rows the cross-table rules and the matching read (patient_id,
date, ordinal_status) for every patient-day; at 30 million rows the full form (Python strings, 64-bit
numbers) takes gigabytes. The compact form stores text and, for the daily table, dates as categories (an id
once per piece of the file, not once per day) and small whole numbers as Int8. :func:`expanded` turns a
compact frame back into exactly the frame the full load gives (pinned by ``tests/test_compact.py``).
"""

from typing import Callable

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals


def compact(typed: pd.DataFrame, unique: list[str], dates_as_categories: bool) -> pd.DataFrame:
    """One typed piece of a file in the compact form; columns in ``unique`` keep their type (they are checked
    for duplicates over the whole file)."""
    columns = {}
    for name in typed.columns:
        column = typed[name]
        is_date = pd.api.types.is_datetime64_any_dtype(column)
        if (pd.api.types.is_string_dtype(column) or (is_date and dates_as_categories)) and name not in unique:
            column = column.astype("category")
        elif isinstance(column.dtype, pd.Int64Dtype) and (column.dropna().abs() < 128).all():
            column = column.astype("Int8")
        columns[name] = column
    return pd.DataFrame(columns, index=typed.index)


def concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The pieces as one frame; categorical columns are joined over the union of their categories."""
    if len(parts) == 1:
        return parts[0]
    categorical = [name for name in parts[0].columns if isinstance(parts[0][name].dtype, pd.CategoricalDtype)]
    joined = pd.concat([part.drop(columns=categorical) for part in parts])
    for name in categorical:
        values = union_categoricals([part[name] for part in parts])
        joined.insert(list(parts[0].columns).index(name), name, pd.Series(values, index=joined.index))
    return joined


def as_objects(typed: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects (None when empty), which the cross-table rules and the engine expect."""
    for name in typed.columns:
        if pd.api.types.is_string_dtype(typed[name]) and not pd.api.types.is_object_dtype(typed[name]):
            typed[name] = typed[name].astype(object).where(typed[name].notna(), None)
    return typed


def expanded(frame: pd.DataFrame) -> pd.DataFrame:
    """A compact frame in the full form: categories back to their values (text as Python objects, None when
    empty), Int8 back to Int64."""
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            values = column.astype(column.cat.categories.dtype)
            column = values.astype(object).where(values.notna(), None) if pd.api.types.is_string_dtype(values) else values
        elif isinstance(column.dtype, pd.Int8Dtype):
            column = column.astype("Int64")
        columns[name] = column
    return as_objects(pd.DataFrame(columns, index=frame.index))


def converted(column: pd.Series, convert: Callable[[pd.Series], np.ndarray], empty, rows: np.ndarray | None = None) -> np.ndarray:
    """``convert`` applied to a column (only at ``rows`` when given): a categorical column of the compact form is
    converted once per category, and an empty cell (code -1) takes ``empty``. The cross-table rules turn dates into
    whole days this way, and matching into nanoseconds."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        by_category = np.append(convert(pd.Series(column.cat.categories)), empty)
        codes = column.cat.codes.to_numpy()
        return by_category[codes if rows is None else codes[rows]]
    return convert(column if rows is None else column.iloc[rows])

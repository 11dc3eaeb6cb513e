"""Which columns of a piece pandera must look at: the pandera models read as vectorised pandas expressions.

pandera validates every column of a piece with its own machinery, about 2 ms per column whatever the size, so
a 30-column model costs 50 ms even on a handful of rows. :func:`columns_to_check` evaluates the same rules
(the column's dtype by pandera's own engine, ``nullable``, and the built-in checks ``ge``, ``le``, ``isin``
and ``str_matches``, each with the pandas operation pandera itself uses, on the non-missing values) and names
the columns that may fail. Pandera then validates only those, and reports their failures in its words.

The reading is sound by construction: a column is cleared only when every rule it carries is one of those
known rules and holds; any other check, a dataframe-wide check, or a missing column sends the piece to pandera
whole (``None``). ``tests/test_schema_checks.py`` checks that clearing never hides a failure pandera finds.
"""

import functools

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

_KNOWN_CHECKS = {
    "greater_than_or_equal_to": lambda values, statistics: values >= statistics["min_value"],
    "less_than_or_equal_to": lambda values, statistics: values <= statistics["max_value"],
    "isin": lambda values, statistics: values.isin(statistics["allowed_values"]),
    "str_matches": lambda values, statistics: values.str.match(statistics["pattern"]),
}


@functools.cache
def _dtype_fits(expected, actual) -> bool:
    return bool(expected.check(pandas_engine.Engine.dtype(actual)))


def _column_holds(column: pa.Column, series: pd.Series) -> bool:
    if not _dtype_fits(column.dtype, series.dtype):
        return False
    present = series.notna().to_numpy(bool)
    if not column.nullable and not present.all():
        return False
    values = series[present] if not present.all() else series
    for check in column.checks:
        rule = _KNOWN_CHECKS.get(check.name)
        if rule is None or check.ignore_na is False:
            return False
        if len(values) and not np.asarray(rule(values, check.statistics), dtype=bool).all():
            return False
    return True


def columns_to_check(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> list[str] | None:
    """The columns of ``frame`` that may fail ``schema`` (in the schema's order), [] when none can, or None when
    the piece must be validated whole (a dataframe-wide check, a unique column, or the frame's columns are not
    exactly the schema's)."""
    if schema.checks or schema.unique or set(frame.columns) != set(schema.columns):
        return None
    if any(column.unique or column.regex for column in schema.columns.values()):
        return None
    return [name for name, column in schema.columns.items() if not _column_holds(column, frame[name])]


_RESTRICTED: dict[tuple[int, tuple[str, ...]], tuple[pa.DataFrameSchema, pa.DataFrameSchema]] = {}


def only(schema: pa.DataFrameSchema, names: tuple[str, ...]) -> pa.DataFrameSchema:
    """The schema restricted to ``names``, built once per schema and set of columns (schemas are not hashable;
    the entry keeps the schema itself alive, so its id cannot be reused)."""
    key = (id(schema), names)
    if key not in _RESTRICTED:
        _RESTRICTED[key] = (schema, schema.select_columns(list(names)))
    return _RESTRICTED[key][1]

"""Clearing a column without pandera never hides a failure pandera finds.

The fuzz test's mutations (odd values, shuffled and dropped columns, broken bytes) are parsed as the reader
parses them; pandera then validates the whole piece, and every column it fails must be among those
:func:`schema_checks.columns_to_check` names.
"""

import random

import pandas as pd
import pandera.errors
import pandera.pandas
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_validate import BASE, ODD_VALUES

from anakinra_rescue.data import io, schema_checks
from anakinra_rescue.schemas.cohort import DailyStatus, Patient

MODELS = {"patients.csv": Patient, "daily_status.csv": DailyStatus}


def _typed(name: str, data: bytes) -> pd.DataFrame:
    lines = data.decode("utf-8").split("\n")
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:] if line]
    raw = pd.DataFrame(rows, columns=header, dtype="str")
    return io._parse_columns(raw, name, io._schema(MODELS[name]).columns)[0]


def _failing_columns(schema, typed: pd.DataFrame) -> set[str]:
    try:
        schema.validate(typed, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        return set(errors.failure_cases["column"].dropna())
    return set()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(sorted(MODELS)),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(ODD_VALUES)), min_size=1, max_size=6),
)
def test_a_cleared_column_passes_pandera(name, edits):
    lines = BASE[name].decode("utf-8").split("\n")
    header, body = lines[0], [line for line in lines[1:] if line]
    for row, column, value in edits:
        fields = body[row % len(body)].split(",")
        fields[column % len(fields)] = value.replace(",", "").replace("\n", "")
        body[row % len(body)] = ",".join(fields)
    typed = _typed(name, "\n".join([header, *body]).encode("utf-8"))
    schema = io._schema_without_uniqueness(MODELS[name])
    suspects = schema_checks.columns_to_check(schema, typed)
    assert suspects is not None
    assert _failing_columns(schema, typed) <= set(suspects)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_clean_piece_clears_every_column_and_a_broken_one_names_its_column(name):
    typed = _typed(name, BASE[name])
    schema = io._schema_without_uniqueness(MODELS[name])
    assert schema_checks.columns_to_check(schema, typed) == []
    broken = typed.copy()
    column = random.Random(0).choice([column for column, spec in schema.columns.items() if not spec.nullable])
    broken.loc[broken.index[0], column] = None
    assert column in schema_checks.columns_to_check(schema, broken)


def test_a_schema_with_a_frame_wide_check_goes_to_pandera_whole():
    columns = io._schema_without_uniqueness(Patient).columns
    wide = pandera.pandas.DataFrameSchema(columns, checks=[pandera.pandas.Check(lambda frame: True)], strict=True)
    assert schema_checks.columns_to_check(wide, _typed("patients.csv", BASE["patients.csv"])) is None

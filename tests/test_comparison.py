"""Tests of anakinra_rescue.engine.comparison: statuses at the printed precision."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anakinra_rescue.data import published
from anakinra_rescue.engine import comparison


@pytest.mark.parametrize(
    ("printed", "value", "status"),
    [
        ("0.990", 0.98951, "match"),
        ("0.507", 0.50649, "mismatch"),  # one unit in the last digit is a different number, not "rounding"
        ("0.507", 0.5094, "mismatch"),
        ("16", 16.4, "match"),
        ("16", 17.0, "mismatch"),  # 17 against 16 counts is a mismatch
        ("1.00", 1.25, "mismatch"),  # held to two decimals, 1.25 is not a printed "1"
        ("16", 18.0, "mismatch"),
        ("3.75", 3.745, "match"),  # half-up, not banker's rounding
        ("12.8", 12.75, "match"),
        ("<0.001", 0.0004, "match"),
        ("<0.001", 0.002, "mismatch"),
        ("-2", -2.0, "match"),
        ("0.35", math.nan, "not_computed"),
    ],
)
def test_status_of(printed, value, status):
    assert comparison.status_of(printed, value) == status


@given(value=st.floats(min_value=-1e5, max_value=1e5, allow_nan=False), decimals=st.integers(min_value=0, max_value=4))
def test_a_value_printed_by_rounding_always_matches(value, decimals):
    printed = str(published.round_as_printed(value, decimals))
    assert comparison.status_of(printed, value) == "match"


def test_compare_joins_one_to_one_and_counts_statuses():
    published = pd.DataFrame(
        {
            "source": ["table1", "table1", "table1"],
            "variable": ["age_years", "age_years", "male_sex"],
            "group": ["anakinra", "control", "anakinra"],
            "statistic": ["mean", "mean", "n"],
            "value": ["65.3", "65.3", "14"],
            "note": [None, None, None],
        }
    )
    regenerated = pd.DataFrame(
        {
            "source": ["table1", "table1"],
            "variable": ["age_years", "age_years"],
            "group": ["anakinra", "control"],
            "statistic": ["mean", "mean"],
            "value": [65.26, 65.4],
            "test": ["", ""],
        }
    )
    compared = comparison.compare(regenerated, published)
    assert list(compared["status"]) == ["match", "mismatch", "not_computed"]
    assert list(compared["regenerated"]) == ["65.3", "65.4", ""]
    counts = comparison.status_counts(compared).iloc[0]
    assert (counts["match"], counts["mismatch"], counts["not_computed"], counts["total"]) == (1, 1, 1, 3)


def test_compare_holds_quartiles_of_whole_number_rows_to_the_precision_their_table_prints():
    """Table 3 prints "3.75" for a quartile of the ordinal scale, so its "1" means 1.00: 1.25 is a mismatch."""
    record = pd.DataFrame(
        {
            "source": ["table3", "table3", "table1"],
            "variable": ["ordinal_status_day7"] * 2 + ["age_years"],
            "group": ["anakinra", "control", "anakinra"],
            "statistic": ["q1", "q3", "mean"],
            "value": ["1", "3.75", "65"],
            "note": [None] * 3,
        }
    )
    record["compared_as"] = published.compared_texts(record)
    assert list(record["compared_as"]) == ["1.00", "3.75", "65"]
    regenerated = record[["source", "variable", "group", "statistic"]].assign(value=[1.25, 3.75, 65.3], test="")
    assert list(comparison.compare(regenerated, record)["status"]) == ["mismatch", "match", "match"]

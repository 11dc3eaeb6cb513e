"""Tests of anakinra_rescue.examination.balance: standardised mean differences."""

import math

import pandas as pd
import pytest

from anakinra_rescue.book import figures
from anakinra_rescue.engine import tables
from anakinra_rescue.examination import balance


def test_binary_smd_textbook_formula():
    frame = pd.DataFrame(
        {"group": ["anakinra"] * 20 + ["control"] * 20, "male_sex": [True] * 14 + [False] * 6 + [True] * 12 + [False] * 8}
    )
    smd = balance.standardised_difference(frame, tables.RowSpec("male_sex", "binary"))
    assert smd == pytest.approx(0.1 / math.sqrt((0.7 * 0.3 + 0.6 * 0.4) / 2), abs=1e-12)


def test_continuous_smd():
    frame = pd.DataFrame({"group": ["anakinra"] * 3 + ["control"] * 3, "age_years": [1.0, 2.0, 3.0, 2.0, 3.0, 4.0]})
    assert balance.standardised_difference(frame, tables.RowSpec("age_years", "mean_sd")) == pytest.approx(-1.0)


def _smd_from_table1(analysis, variable):
    """Austin's SMD from Table 1's own printed-form statistics (the tidy means and SDs, or percentages), not from the
    per-patient frame that balance reads: a second route to the same number."""
    cells = analysis.tidy("table1").query("variable == @variable").set_index(["group", "statistic"])["value"]
    if ("anakinra", "mean") in cells.index:
        spread = math.sqrt((cells["anakinra", "sd"] ** 2 + cells["control", "sd"] ** 2) / 2)
        return (cells["anakinra", "mean"] - cells["control", "mean"]) / spread
    p_a, p_b = cells["anakinra", "pct"] / 100, cells["control", "pct"] / 100
    return (p_a - p_b) / math.sqrt((p_a * (1 - p_a) + p_b * (1 - p_b)) / 2)


def test_balance_table_covers_table1_and_flags_above_threshold(analysis):
    table = balance.balance_table(analysis)
    assert list(table["variable"]) == [spec.variable for spec in tables.TABLE1_ROWS]
    by_variable = table.set_index("variable")
    checked = [spec.variable for spec in tables.TABLE1_ROWS if spec.kind in ("mean_sd", "binary")]
    for variable in checked:
        expected = _smd_from_table1(analysis, variable)
        assert by_variable.loc[variable, "smd"] == pytest.approx(expected, abs=1e-12), variable
        assert by_variable.loc[variable, "imbalanced"] == (abs(expected) > 0.1), variable
    assert by_variable.loc["male_sex", "imbalanced"] and not by_variable.loc["age_years", "imbalanced"]
    assert table.set_index("variable").loc["tocilizumab_to_day0_days", "smd"] == 0  # matched exactly
    spec = figures.love_plot(table).to_dict()
    encoding = spec["layer"][0]["encoding"]
    # One legend, not two: shape and colour share field, title and scale domain.
    assert encoding["shape"]["field"] == encoding["color"]["field"] and encoding["shape"]["title"] == encoding["color"]["title"]
    assert encoding["shape"]["scale"]["domain"] == encoding["color"]["scale"]["domain"] == figures.FLAGS

"""Tests of anakinra_rescue.examination.balance: standardised mean differences."""

import math

import pandas as pd
import pytest

from anakinra_rescue.book import figures, views
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


def test_balance_table_covers_table1_and_flags_above_threshold():
    analysis = views.book_analysis(str(views.DEFAULT_DATA_DIR))
    table = balance.balance_table(analysis)
    assert list(table["variable"]) == [spec.variable for spec in tables.TABLE1_ROWS]
    assert (table["imbalanced"] == (table["abs_smd"] > 0.1)).all()
    assert table.set_index("variable").loc["tocilizumab_to_day0_days", "smd"] == 0  # matched exactly
    spec = figures.love_plot(table).to_dict()
    encoding = spec["layer"][0]["encoding"]
    # One legend, not two: shape and colour share field, title and scale domain.
    assert encoding["shape"]["field"] == encoding["color"]["field"] and encoding["shape"]["title"] == encoding["color"]["title"]
    assert encoding["shape"]["scale"]["domain"] == encoding["color"]["scale"]["domain"] == figures.FLAGS

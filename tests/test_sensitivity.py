"""Tests of anakinra_rescue.examination.sensitivity and of the committed data/reconstructed/sensitivity.csv."""

import pandas as pd

from anakinra_rescue.data.files import PROJECT_ROOT
from anakinra_rescue.examination import sensitivity

COMMITTED = PROJECT_ROOT / "data" / "reconstructed" / "sensitivity.csv"


def test_parse_seeds():
    assert sensitivity.parse_seeds("1-3,7") == [1, 2, 3, 7]
    assert sensitivity.parse_seeds("5") == [5]


def test_summarise_separates_fixed_from_open_conclusions():
    rows = pd.DataFrame(
        {
            "seed": [1, 2, 1, 2],
            "outcome": ["a", "a", "b", "b"],
            "paired test": ["McNemar, exact"] * 4,
            "paired P": [0.01, 0.20, 0.30, 0.40],
            "paired odds ratio (anakinra vs control)": [2.0, 1.5, 1.0, 0.9],
            "unpaired P": [0.1, 0.1, 0.5, 0.5],
            "match_pct": [90.0] * 4,
        }
    )
    summary = sensitivity.summarise(rows).set_index("outcome")
    assert summary.loc["a", "conclusion"] == "differs between cohorts"
    assert summary.loc["b", "conclusion"] == "same in every cohort"
    assert (summary.loc["a", "paired P min"], summary.loc["a", "paired P max"]) == (0.01, 0.20)


def test_committed_runs_cover_twenty_distinct_cohorts():
    rows = pd.read_csv(COMMITTED)
    assert sorted(rows["seed"].unique()) == [*range(1, 21), 20200406]  # seeds 1-20 and the committed cohort
    assert rows.groupby("seed").size().nunique() == 1
    assert rows["match_pct"].min() >= 85

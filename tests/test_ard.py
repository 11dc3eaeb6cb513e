"""Tests of anakinra_rescue.engine.ard: every regenerated number as Analysis Results Data, in cards' columns."""

import math

import pandas as pd
import pytest

from anakinra_rescue.data.published import KEYS
from anakinra_rescue.engine import ard, pipeline

# The columns of an ARD from the R package cards (>= 0.6: fmt_fun; earlier releases call it fmt_fn), as its
# documentation prints them, e.g. for ard_tabulate_rows(): group1, group1_level, variable, variable_level, context,
# stat_name, stat_label, stat, fmt_fun, warning, error.
CARDS_COLUMNS = [
    "group1",
    "group1_level",
    "variable",
    "variable_level",
    "context",
    "stat_name",
    "stat_label",
    "stat",
    "fmt_fun",
    "warning",
    "error",
]


def test_ard_holds_every_regenerated_number_once(analysis, tmp_path):
    """ard.csv, as `tables` writes it, read back gives every row of regenerated.csv exactly once, with its value."""
    outputs = pipeline.table_outputs(analysis)
    for name in ("regenerated.csv", "ard.csv"):
        pipeline.write_csv(outputs[name](), tmp_path / name)
    regenerated = pd.read_csv(tmp_path / "regenerated.csv", dtype={key: str for key in KEYS})
    written = pd.read_csv(tmp_path / "ard.csv", dtype=str, keep_default_na=False)
    assert list(written.columns) == CARDS_COLUMNS
    assert len(written) == len(regenerated)
    written["stat"] = written["stat"].replace("", "nan").astype(float)
    back = ard.regenerated_from_ard(written)
    assert not back.duplicated(KEYS).any()
    joined = regenerated.merge(back, on=KEYS, how="outer", suffixes=("", "_ard"), indicator=True, validate="one_to_one")
    assert (joined["_merge"] == "both").all()
    for value, from_ard in zip(joined["value"], joined["value_ard"]):
        assert (math.isnan(value) and math.isnan(from_ard)) or value == pytest.approx(from_ard, rel=1e-12)


def test_names_follow_cards(analysis):
    table = ard.ard_table(analysis.regenerated, analysis.record).set_index(["context", "variable", "group1_level", "stat_name"])
    age = table.loc[("table1", "age_years", "anakinra", "mean")]
    assert age["group1"] == "group" and age["stat_label"] == "Mean" and age["fmt_fun"] == "1"  # printed as 65.3
    male = table.loc[("table1", "male_sex", "anakinra", "p")]
    assert male["stat"] == pytest.approx(0.70)  # cards' p is a proportion; the article prints 70 (%)
    p_value = table.loc[("table1", "male_sex", "", "p.value")]
    assert p_value["group1"] == "" and p_value["stat_label"] == "p-value (chi2)" and p_value["fmt_fun"] == "3"
    assert set(table.reset_index()["stat_name"]) <= {
        "n",
        "N",
        "p",
        "mean",
        "sd",
        "median",
        "p25",
        "p75",
        "p.value",
        "conf.low",
        "conf.high",
    }


def test_an_unknown_statistic_or_group_is_refused():
    frame = pd.DataFrame([["table1", "age_years", "anakinra", "mode", 1.0, ""]], columns=[*KEYS, "value", "test"])
    with pytest.raises(ard.UnknownStatistic, match="mode"):
        ard.ard_table(frame)
    frame = pd.DataFrame([["table1", "age_years", "placebo", "mean", 1.0, ""]], columns=[*KEYS, "value", "test"])
    with pytest.raises(ard.UnknownStatistic, match="placebo"):
        ard.ard_table(frame)

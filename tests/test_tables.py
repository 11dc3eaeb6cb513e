"""Tests of anakinra_rescue.engine.tables: summaries, test choice, keys that join the published record."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from anakinra_rescue.data import io, published, simulate
from anakinra_rescue.engine import matching, outcomes, tables
from anakinra_rescue.engine.comparison import KEYS

N = 20


def _two_groups(column, anakinra_values, control_values):
    return pd.DataFrame(
        {
            "group": ["anakinra"] * len(anakinra_values) + ["control"] * len(control_values),
            column: list(anakinra_values) + list(control_values),
        }
    )


def test_binary_row_reproduces_article_male_sex_row():
    frame = _two_groups("male_sex", [True] * 14 + [False] * 6, [True] * 12 + [False] * 8)
    tidy = tables.tidy_rows(frame, [tables.RowSpec("male_sex", "binary")], "table1")
    tidy = tidy[tidy["variable"] == "male_sex"].set_index(["group", "statistic"])
    assert tidy.loc[("anakinra", "n"), "value"] == 14 and tidy.loc[("anakinra", "pct"), "value"] == 70
    assert tidy.loc[("control", "pct"), "value"] == 60
    assert tidy.loc[("comparison", "p_value"), "test"] == "chi2"
    assert round(tidy.loc[("comparison", "p_value"), "value"], 3) == 0.507  # Table 1 prints 0.507


def test_binary_row_switches_to_fisher_like_the_article():
    frame = _two_groups("chronic_kidney_disease", [True] * 3 + [False] * 17, [True] + [False] * 19)
    row = tables.tidy_rows(frame, [tables.RowSpec("chronic_kidney_disease", "binary")], "table1")
    p = row[row["statistic"] == "p_value"].iloc[0]
    assert p["test"] == "fisher" and round(p["value"], 3) == 0.605  # Table 1 prints 0.605


def test_missing_values_shrink_the_denominator():
    frame = _two_groups("obesity", [True] * 7 + [False] * 11 + [None] * 2, [True] * 11 + [False] * 8 + [None])
    frame["obesity"] = frame["obesity"].astype("boolean")
    summary = tables.summarise(frame, tables.RowSpec("obesity", "binary"), "anakinra")
    assert summary["denominator"] == 18 and round(summary["pct"], 1) == 38.9  # Table 1 prints 7 (38.9)


def test_median_row_uses_haverage_quartiles_and_mann_whitney():
    frame = _two_groups("charlson_index", list(range(1, 11)), [5, 3, 1, 4, 2])
    summary = tables.summarise(frame, tables.RowSpec("charlson_index", "median_iqr"), "anakinra")
    assert (summary["q1"], summary["median"], summary["q3"]) == (2.75, 5.5, 8.25)
    # 15 cases: SPSS prints the exact P (the default for Tables 1 and 2); Table 3's outcome rows use the asymptotic one
    assert tables.compare_groups(frame, tables.RowSpec("charlson_index", "median_iqr")).test == "mann_whitney_exact"
    assert tables.rank_test_for("ordinal_status_day7") == "mann_whitney_asymptotic"


def test_mean_sd_row():
    frame = _two_groups("age_years", [60, 70, 80], [50, 60, 70, 80])
    summary = tables.summarise(frame, tables.RowSpec("age_years", "mean_sd"), "control")
    assert summary["mean"] == 65 and summary["sd"] == pytest.approx(np.sqrt(500 / 3), abs=1e-12)
    assert tables.compare_groups(frame, tables.RowSpec("age_years", "mean_sd")).test == "student_t"


def test_interval_is_the_odds_ratio_control_versus_anakinra():
    frame = _two_groups("improvement_day7", [True] * 5 + [False] * 15, [True] * 9 + [False] * 11)
    estimate = tables.interval(frame, tables.RowSpec("improvement_day7", "binary", with_interval=True))
    assert (round(estimate.ci_low, 3), round(estimate.ci_high, 3)) == (0.642, 9.391)  # Table 3 prints 0.642–9.391


@pytest.fixture(scope="module")
def simulated_frame():
    patients, daily = simulate.random_cohort(400, seed=4)
    result = matching.match_controls(patients, daily)
    return outcomes.derive_patient_frame(patients, daily, result.pairs)


def test_tidy_keys_join_the_published_record_one_to_one(simulated_frame):
    record = published.load_published_record()
    regenerated = tables.all_tidy(simulated_frame, record)
    assert not regenerated.duplicated(KEYS).any()
    table_keys = record[record["source"].str.startswith("table")][KEYS]
    joined = table_keys.merge(regenerated[KEYS], how="left", indicator=True)
    missing = joined[joined["_merge"] == "left_only"]
    assert missing.empty, missing


def test_display_tables_follow_article_row_order(simulated_frame):
    record = published.load_published_record()
    for source, shown in tables.display_tables(simulated_frame).items():
        expected = [
            variable for variable in dict.fromkeys(record.loc[record["source"] == source, "variable"]) if variable != "group_size"
        ]
        assert list(shown["variable"]) == expected
        # Every cell has one of the article's three shapes: n (%), mean ± SD, or median (Q1–Q3).
        shapes = (
            r"^\d+ \(\d+(\.\d)?\)$|^-?\d[\d,]*\.\d ± \d[\d,]*\.\d$"
            r"|^-?[\d,]+(\.\d+)? \(-?[\d,]+(\.\d+)?–-?[\d,]+(\.\d+)?\)$"
        )
        for group in ("anakinra", "control"):
            odd = shown.loc[~shown[group].str.match(shapes), ["variable", group]]
            assert odd.empty, odd


def test_figure1_counts_add_up_to_group_sizes(simulated_frame):
    figure = tables.figure1_ordinal_status(simulated_frame)
    day0 = figure[figure["day"] == 0].groupby("group")["n"].sum()
    sizes = simulated_frame["group"].value_counts()
    assert day0.to_dict() == sizes.to_dict()
    assert set(figure["day"]) == {0, 7, 14, 21}


def test_fixture_tables_run_end_to_end():
    cohort = io.load_cohort(Path(__file__).resolve().parent / "fixtures" / "small_cohort")
    result = matching.match_controls(cohort.patients, cohort.daily_status)
    frame = outcomes.derive_patient_frame(cohort.patients, cohort.daily_status, result.pairs)
    shown = tables.display_tables(frame)["table3"].set_index("variable")
    # A2 dies on day 8; the row is known for both cases, so the percentage prints whole (config.display).
    assert shown.loc["mortality_day14", "anakinra"] == "1 (50)"
    assert shown.loc["discharge_day21", "anakinra"] == "1 (50)"  # A1 goes home on day 5


def test_the_test_of_a_row_can_be_overridden_in_the_configuration():
    from dataclasses import replace

    from anakinra_rescue.engine.config import DEFAULT, STATED_RULE

    frame = _two_groups("received_azithromycin", [True] * 13 + [False] * 7, [True] * 18 + [False] * 2)
    spec = tables.RowSpec("received_azithromycin", "binary")
    assert tables.compare_groups(frame, spec, STATED_RULE).test == "fisher"  # an expected count is below 5
    overridden = tables.compare_groups(frame, spec, replace(STATED_RULE, test_overrides=(("received_azithromycin", "chi2"),)))
    assert overridden.test == "chi2" and round(overridden.p_value, 3) == 0.058  # what the article printed
    assert tables.compare_groups(frame, spec).test == "chi2"  # DEFAULT carries the article's choice
    with pytest.raises(
        ValueError, match=r"test_overrides\['received_azithromycin'\] = 'anova' is not allowed; choose one of: chi2,"
    ):
        replace(DEFAULT, test_overrides=(("received_azithromycin", "anova"),))

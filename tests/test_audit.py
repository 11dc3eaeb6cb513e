"""Tests of anakinra_rescue.examination.audit on known cases and properties of the feasibility checkers."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anakinra_rescue.data import published
from anakinra_rescue.data.published import round_as_printed
from anakinra_rescue.examination import audit

RECORD = published.load_published_record()


def _mid_p_by_hand(a, n_a, b, n_b):
    """The definition with exact integer arithmetic (math.comb), sharing no code with the module."""
    from fractions import Fraction

    column, total = a + b, n_a + n_b
    weight = {
        k: Fraction(math.comb(n_a, k) * math.comb(n_b, column - k), math.comb(total, column))
        for k in range(max(0, column - n_b), min(column, n_a) + 1)
    }
    observed = weight[a]
    return float(sum(p for p in weight.values() if p < observed) + sum(p for p in weight.values() if p == observed) / 2)


@pytest.mark.parametrize(("a", "b"), [(3, 1), (2, 8), (17, 13), (0, 4)])
def test_mid_p_matches_the_definition(a, b):
    assert audit.mid_p_fisher(a, 20, b, 20) == pytest.approx(_mid_p_by_hand(a, 20, b, 20), abs=1e-12)


def test_printed_p_reproduced_by_one_test_and_not_another():
    azithromycin = audit.categorical_p_candidates(13, 20, 18, 20)
    assert f"{azithromycin['chi2']:.3f}" == "0.058" and f"{azithromycin['fisher']:.3f}" != "0.058"
    kidney = audit.categorical_p_candidates(3, 20, 1, 20)
    assert f"{kidney['fisher']:.3f}" == "0.605" and f"{kidney['chi2']:.3f}" != "0.605"


def test_t_test_range_holds_the_printed_p_of_temperature():
    low, high = audit.t_p_range("36.7", "0.7", "36.9", "0.8", equal=True, n=20)
    assert low <= 0.418 <= high


def test_grim_and_grimmer_known_cases():
    assert audit.grim_mean("65.3", 20)
    assert not audit.grim_mean("65.33", 20)  # 20 whole numbers cannot average 65.33


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=18, max_value=95), min_size=20, max_size=20))
def test_grim_accepts_every_real_mean(values):
    printed = str(round_as_printed(float(np.mean(values)), 1))
    assert audit.grim_mean(printed, 20)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=20, max_size=20), st.sampled_from(["q1", "median", "q3"]))
def test_every_quartile_of_a_real_dataset_is_judged_feasible(values, statistic):
    fraction = {"q1": 25, "median": 50, "q3": 75}[statistic]
    value = float(np.percentile(values, fraction, method="weibull"))
    printed = str(round_as_printed(value, 2)).rstrip("0").rstrip(".")
    assert "weibull" in audit.quantile_definitions_allowing(printed, statistic, 20)


def test_infeasible_quartile_is_rejected_under_haverage():
    assert "weibull" not in audit.quantile_definitions_allowing("7.7", "q3", 20)
    assert "weibull" in audit.quantile_definitions_allowing("8.75", "q3", 20)


def test_table3_interval_is_identified_as_an_odds_ratio():
    candidates = audit.interval_candidates(5, 9, 20)
    low, high = candidates["odds_ratio_woolf_control_vs_anakinra"]
    assert (round(low, 3), round(high, 3)) == (0.642, 9.391)
    rows = audit.audit_rows(RECORD)
    interval_rows = rows[rows["statistic"].isin(["ci_low", "ci_high"])]
    assert (interval_rows["test"] == "odds_ratio_woolf_control_vs_anakinra").all()


# The record alone shows one clash: the control's tocilizumab Q3 against the anakinra Q3 matching makes it equal to.
# Table 3's clashes depend on which siblings a cohort prints: they are decided with the cohort's certificates
# (examination.table3_decisions), not by the record-only audit.
INCONSISTENT_ROWS = {"tocilizumab_to_day0_days"}


def test_audit_covers_every_printed_number_and_flags_the_inconsistent_ones():
    rows = audit.audit_rows(RECORD)
    assert len(rows) == len(RECORD)
    assert (rows["explanation"].str.len() > 10).all()
    inconsistent = set(rows.loc[rows["status"] == "article_inconsistent", "variable"])
    assert inconsistent == INCONSISTENT_ROWS, inconsistent
    assert (rows.loc[rows["variable"] == "received_azithromycin", "status"] == "reproduced_with_other_test").sum() == 1
    # read naturally, the organisms name 2 + 2 + 1 = 5 patients, the 5 with an infection
    assert set(rows.loc[rows["variable"] == "catheter_bacteraemia_cons", "status"]) == {"consistent"}
    percentage = rows[(rows["variable"] == "obesity") & (rows["statistic"] == "pct")]
    assert set(percentage["status"]) == {"consistent"}


def test_abstract_sd_of_all_patients_is_checked_against_table1():
    rows = audit.audit_rows(RECORD).set_index(["source", "variable", "group", "statistic"])
    row = rows.loc[("abstract", "age_years", "overall", "sd")]
    assert row["status"] == "consistent" and "12.79" in row["explanation"]
    assert not math.isnan(float(row["recomputed"].split("-")[0]))


def test_quartiles_out_of_order_are_inconsistent():
    record = RECORD.copy()
    location = (record["source"] == "table1") & (record["variable"] == "crp_peak_mg_dl") & (record["group"] == "control")
    record.loc[location & (record["statistic"] == "q1"), "value"] = "30.0"  # above the median of 19.9
    rows = audit.audit_rows(record).set_index(["source", "variable", "group", "statistic"])
    assert rows.loc[("table1", "crp_peak_mg_dl", "control", "q1"), "status"] == "article_inconsistent"
    assert rows.loc[("table1", "crp_peak_mg_dl", "anakinra", "q1"), "status"] == "consistent"


def test_median_row_p_values_are_checked_against_spss_exact_test():
    """Peak CRP's 0.495 at 20 vs 20 is the exact P of U = 174; day-0 ferritin's 0.441 at 11 vs 5 that of U = 20."""
    rows = audit.audit_rows(RECORD).set_index(["source", "variable", "group", "statistic"])
    assert "U = 174" in rows.loc[("table1", "crp_peak_mg_dl", "comparison", "p_value"), "explanation"]
    assert "11 vs 5" in rows.loc[("table2", "ferritin_ng_ml", "comparison", "p_value"), "explanation"]
    assert rows.loc[("table2", "ferritin_ng_ml", "comparison", "p_value"), "test"] == "mann_whitney_exact"
    news = rows.loc[("table2", "news_score", "comparison", "p_value")]
    assert news["status"] == "not_checked" and "for no whole U" in news["explanation"]
    assert audit.exact_u_values("0.495", 20, 20) == [174]


def test_no_table3_p_value_is_an_exact_mann_whitney_p():
    """The evidence behind StudyConfig.test_for_outcome_median_rows: at 20 vs 20 no whole U gives Table 3's P."""
    rows = RECORD[
        (RECORD["source"] == "table3")
        & (RECORD["statistic"] == "p_value")
        & RECORD["variable"].str.startswith(("ordinal_status", "score_difference"))
    ]
    assert len(rows) == 6
    assert all(audit.exact_u_values(value, 20, 20) == [] for value in rows["value"])


def test_p_values_repeated_across_rows_are_listed_for_a_possible_copy_error():
    from anakinra_rescue.data import published as published_record

    record = published_record.load_published_record()
    repeats = audit.repeated_p_values(record).set_index("p_value")["rows"].to_dict()
    assert repeats == {
        "0.495": "Table 1: charlson_index, Table 1: crp_peak_mg_dl",
        "0.527": "Table 3: ordinal_status_day21, Table 3: score_difference_day21, Table 3: in_hospital_mortality",
        "0.752": "Table 3: ordinal_status_day7, Table 3: ordinal_status_day14",
        "0.799": "Table 1: tocilizumab_to_day0_days, Table 2: sofa_score",
    }
    rows = audit.audit_rows(record).set_index(["source", "variable", "statistic"])
    assert (
        "Table 2: sofa_score (a copy error is possible)"
        in rows.loc[("table1", "tocilizumab_to_day0_days", "p_value"), "explanation"]
    )


def test_reconciliation_counts_every_printed_number_once_and_agrees_on_the_proofs(analysis):
    """The audit and fidelity classify the same printed numbers; the cross-table counts each once, and the numbers
    proven impossible from the record alone are the same in both."""
    rows = audit.audit_rows(analysis.record, analysis.compared)
    table = audit.reconciliation(rows, analysis.compared)
    assert table.loc["all", "all"] == len(rows) == len(analysis.record)
    assert table.loc["all"].drop("all").to_dict() == analysis.compared["verdict"].value_counts().to_dict()
    assert (
        table.loc["proven_impossible", "proven_impossible"]
        == table.loc["proven_impossible", "all"]
        == table.loc["all", "proven_impossible"]
    )

"""Tests of anakinra_rescue.examination.fidelity: each proof fires on the article and never on real data."""

import numpy as np
import pandas as pd

from anakinra_rescue.data import published
from anakinra_rescue.examination import fidelity


def _keys(found):
    return {tuple(row[1:4]) for row in found}


RECORD = published.load_published_record()


def test_test_rule_contradictions_are_the_three_rows_printed_with_the_other_test():
    assert _keys(fidelity.test_rule_contradictions(RECORD)) == {
        ("received_hydroxychloroquine", "comparison", "p_value"),
        ("received_azithromycin", "comparison", "p_value"),
        ("received_corticosteroids", "comparison", "p_value"),
    }


def test_matching_forces_identical_tocilizumab_intervals():
    assert _keys(fidelity.matching_forced_equalities(RECORD)) == {
        ("tocilizumab_to_day0_days", "control", "q3"),
        ("tocilizumab_to_day0_days", "comparison", "p_value"),
    }


def test_quartile_grid_flags_news_7_7_only():
    assert _keys(fidelity.quartile_grid_violations(RECORD)) == {("news_score", "anakinra", "q3")}


def test_explain_gives_every_number_a_verdict_from_the_vocabulary():
    comparison = pd.DataFrame(
        {
            "source": ["table1", "table1", "results", "table2", "table3", "table2", "table1"],
            "variable": [
                "received_azithromycin",
                "age_years",
                "klebsiella_pneumonia",
                "news_score",
                "ordinal_status_day7",
                "respiratory_rate_rpm",
                "symptom_onset_to_day0_days",
            ],
            "group": ["comparison", "anakinra", "overall", "anakinra", "control", "comparison", "comparison"],
            "statistic": ["p_value", "mean", "n", "q3", "median", "p_value", "p_value"],
            "published": ["0.058", "65.3", "2", "7.7", "2", "0.537", "0.771"],
            "regenerated": ["0.058", "65.3", "", "7.8", "5", "0.546", "0.779"],
            "regenerated_value": [0.058, 65.3, np.nan, 7.75, 5, 0.546, 0.779],
            "status": ["match", "match", "not_computed", "mismatch", "mismatch", "mismatch", "mismatch"],
            "test": ["chi2", "", "", "", "", "student_t", "mann_whitney_exact"],
            "note": [None] * 7,
        }
    )
    explained = fidelity.explain(comparison, RECORD).set_index("variable")
    assert set(explained["verdict"]) <= set(fidelity.VERDICTS)
    assert explained.loc["received_azithromycin", "verdict"] == "reproduced_with_other_test"
    # the reason names the test the rule picks, and the row where the article follows the rule at the same shape
    assert "uses fisher" in explained.loc["received_azithromycin", "reason"]
    assert "ethnicity_hispanic" in explained.loc["received_azithromycin", "reason"]
    assert explained.loc["age_years", "verdict"] == "reproduced"
    assert explained.loc["klebsiella_pneumonia", "verdict"] == "not_computable"
    assert "infections.csv" in explained.loc["klebsiella_pneumonia", "reason"]
    assert explained.loc["news_score", "verdict"] == "proven_impossible"
    assert explained.loc["ordinal_status_day7", "verdict"] in ("proven_impossible", "article_inconsistent")
    # Student's t cannot print 0.537, but the Mann-Whitney P can: without the cohort's certificates it is open,
    # never proven impossible (the t-test proof is not a proof about the number)
    assert explained.loc["respiratory_rate_rpm", "verdict"] == "open_question"
    assert explained.loc["symptom_onset_to_day0_days", "verdict"] == "open_question"


def test_default_test_overrides_are_exactly_the_rows_the_stated_test_cannot_print():
    """The configuration's per-row departures are evidence-based: for each, a check of the record alone shows the
    stated test cannot print the P (the 2x2 rule's other test, no whole-number t-test, no whole U), and for the 2x2
    rows the printed counts give the override's P."""
    from anakinra_rescue.engine.config import DEFAULT

    found = {variable: reason for _, variable, _, _, reason in fidelity.test_rule_contradictions(RECORD)}
    for check in (fidelity.whole_unit_t_test_proofs, fidelity.exact_u_impossibility):
        found |= {variable: reason for _, variable, _, _, reason in check(RECORD)}
    overrides = dict(DEFAULT.test_overrides)
    assert set(overrides) <= set(found)
    for variable, test in overrides.items():
        if test in ("chi2", "fisher"):
            assert f"is {test}'s P" in found[variable]


def test_whole_unit_respiratory_rate_cannot_print_its_p_value():
    """Breaths per minute are whole numbers: the printed means and SDs allow Student/Welch P only in three bands."""
    found = {row[1]: row[4] for row in fidelity.whole_unit_t_test_proofs(RECORD)}
    assert set(found) == {"respiratory_rate_rpm"}, found  # age and heart rate print P-values whole numbers reach
    assert "0.520-0.527, 0.541-0.548" in found["respiratory_rate_rpm"] and "printed 0.537" in found["respiratory_rate_rpm"]


def test_open_table3_p_values_name_the_count_rows_whose_test_prints_them():
    """0.752 (status on days 7 and 14) is Fisher's and Yates's P for in-hospital mortality, 11/20 vs 9/20."""
    hints = fidelity.copy_hints(RECORD, ("table3", "ordinal_status_day7", "comparison", "p_value"))
    assert hints == [
        "0.752 is also what chi2_yates and fisher give for in_hospital_mortality (11/20 vs 9/20): "
        "a copy from that row is possible"
    ]
    assert fidelity.copy_hints(RECORD, ("table3", "mortality_day14", "comparison", "p_value")) == []


def test_exact_u_hints_show_the_onset_p_needs_one_missing_value():
    hints = fidelity.exact_u_hints(RECORD, ("table1", "symptom_onset_to_day0_days", "comparison", "p_value"))
    assert hints == ["SPSS's exact P prints 0.771 at 20 vs 20: no whole U; 19 vs 20: U = 179; 20 vs 19: U = 179"]


def test_record_evidence_is_the_same_from_the_cache(tmp_path, monkeypatch):
    """What record_evidence returns, computed or read back, is what the checks compute."""
    monkeypatch.setenv("ANAKINRA_EVIDENCE_CACHE", str(tmp_path))
    direct = fidelity.known_reasons(RECORD).reset_index(drop=True)
    monkeypatch.setattr(fidelity, "known_reasons", lambda record: direct)  # the proofs once, not twice
    computed = fidelity.record_evidence(RECORD)
    assert len(list(tmp_path.glob("fidelity-*.json"))) == 1
    monkeypatch.setattr(fidelity, "known_reasons", None)  # the second call must not compute: it reads the file
    cached = fidelity.record_evidence(RECORD)
    pd.testing.assert_frame_equal(cached[0], computed[0])
    assert cached[1] == computed[1]
    pd.testing.assert_frame_equal(computed[0], direct)  # what went through the JSON file is what the checks found
    assert any("SPSS's exact P prints 0.771" in hint for hints in computed[1].values() for hint in hints)

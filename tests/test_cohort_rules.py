"""Tests of anakinra_rescue.data.cohort_rules called directly (tests/test_io.py drives them through the files)."""

import pandas as pd

from anakinra_rescue.data import cohort_rules, infection_rules, io
from anakinra_rescue.data.files import RECONSTRUCTED_DIR


def test_every_rule_is_described_in_plain_words_for_the_data_dictionary():
    described = cohort_rules.describe_rules()
    assert list(described["rule"]) == [rule.__name__ for rule in (*cohort_rules.RULES, *infection_rules.INFECTION_RULES)]
    assert described["statement"].str.len().gt(20).all()


def test_the_committed_cohort_breaks_no_rule_and_a_broken_copy_breaks_the_right_ones():
    cohort = io.load_cohort(RECONSTRUCTED_DIR)
    patients, daily = cohort.patients, cohort.daily_status
    assert cohort_rules.check_all(patients, daily, "patients.csv", "daily_status.csv") == []
    broken = daily.copy()
    broken.loc[broken.index[0], "patient_id"] = "NOBODY"  # an orphan row, which also breaks its patient's series
    duplicated = pd.concat([broken, broken.iloc[[5]]], ignore_index=True)  # and one patient-day given twice
    problems = cohort_rules.check_all(patients, duplicated, "patients.csv", "daily_status.csv")
    rules = {problem.rule for problem in problems}
    assert {"orphan_row", "duplicate_patient_day"} <= rules, rules
    orphan = next(problem for problem in problems if problem.rule == "orphan_row")
    assert (orphan.file, orphan.line, orphan.column, orphan.value) == ("daily_status.csv", 2, "patient_id", "NOBODY")

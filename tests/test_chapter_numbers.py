"""Tests of anakinra_rescue.book.chapter_numbers: the glued counts of Table 3's ceiling and of the ensemble."""

import pandas as pd

from anakinra_rescue.book import chapter_numbers


def test_table3_ceiling_of_the_committed_cohort(analysis):
    """The article prints 36 Table 3 quartiles; 22 can hold with every count (an independent CP-SAT re-derivation,
    issue 25), and the committed cohort meets all 22."""
    assert chapter_numbers.table3_ceiling(analysis) == {
        "t3_quartiles_printed": 36,
        "t3_quartiles_optimum": 22,
        "t3_quartiles_met": 22,
    }


def test_sensitivity_position_counts_fixed_lowest_and_highest():
    summary = pd.DataFrame(
        {
            "cohorts with a smaller paired P": [0, 4, 2, 0],
            "cohorts with a larger paired P": [0, 0, 1, 3],
            "cohorts with a smaller unpaired P": [0, 0, 0, 0],
            "cohorts with a larger unpaired P": [0, 0, 0, 0],
        }
    )
    numbers = chapter_numbers.sensitivity_position(summary)
    assert numbers == {
        "sens_outcomes": 4,
        "sens_paired_fixed": 1,
        "sens_paired_lowest": 1,
        "sens_paired_highest": 1,
        "sens_unpaired_fixed": 4,
        "sens_unpaired_lowest": 0,
        "sens_unpaired_highest": 0,
    }
    empty = chapter_numbers.sensitivity_position(pd.DataFrame(columns=["outcome", "conclusion"]))
    assert empty["sens_outcomes"] == 0 and empty["sens_paired_highest"] == 0

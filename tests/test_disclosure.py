"""Tests of anakinra_rescue.book.disclosure: small counts withheld from an aggregate report (MIN_CELL)."""

import dataclasses

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from anakinra_rescue.book import disclosure
from anakinra_rescue.examination import fidelity


@given(count=st.integers(0, 200), threshold=st.integers(0, 20))
def test_a_count_is_small_exactly_from_one_to_below_the_threshold(count, threshold):
    assert disclosure.is_small(count, threshold) == (threshold > 1 and 1 <= count <= threshold - 1)
    shown = disclosure.shown_count(count, threshold)
    assert shown == (f"<{threshold}" if disclosure.is_small(count, threshold) else str(count))


def test_every_small_count_and_its_percentage_is_withheld_everywhere(analysis):
    threshold = 5
    hidden = disclosure.suppress_analysis(analysis, threshold)
    counts = analysis.regenerated[analysis.regenerated["statistic"] == "n"]
    small = counts[(counts["value"] > 0) & (counts["value"] < threshold)]
    assert len(small) > 10  # the committed cohort has counts of 1 to 4 (Table 1 comorbidities, Table 2 levels)
    regenerated = hidden.regenerated.set_index(["source", "variable", "group", "statistic"])["value"]
    for row in small.itertuples(index=False):
        assert np.isnan(regenerated[(row.source, row.variable, row.group, "n")])
        percentage = (row.source, row.variable, row.group, "pct")
        assert percentage not in regenerated.index or np.isnan(regenerated[percentage])
    still_shown = hidden.regenerated[hidden.regenerated["statistic"] == "n"]["value"].dropna()
    assert not ((still_shown > 0) & (still_shown < threshold)).any() and (still_shown == 0).any()
    compared = hidden.compared[hidden.compared["regenerated"] == "<5"]
    assert len(compared) > 0 and (compared["verdict"] == fidelity.NOT_COMPUTABLE).all()
    assert compared["reason"].str.contains("MIN_CELL=5").all()
    assert len(hidden.compared) == len(analysis.compared) and len(hidden.regenerated) == len(analysis.regenerated)


def test_the_tables_print_withheld_counts_as_below_the_threshold(analysis):
    hidden = disclosure.suppress_analysis(analysis, 5)
    table1 = hidden.displayed("table1", 5).set_index("variable")
    original = analysis.displayed("table1").set_index("variable")
    for variable in table1.index:
        for group in ("anakinra", "control"):
            cell = original.loc[variable, group]
            if cell[0].isdigit() and "(" in cell and "–" not in cell and "±" not in cell and 0 < int(cell.split(" ")[0]) < 5:
                assert table1.loc[variable, group] == "<5", (variable, group)
            else:
                assert table1.loc[variable, group] == cell, (variable, group)


def test_figure_counts_are_withheld_and_zero_is_kept():
    figure = pd.DataFrame(
        {"day": [0, 0, 0], "group": ["anakinra"] * 3, "ordinal_status": [1, 2, 3], "n": [0, 3, 17], "pct": [0.0, 15.0, 85.0]}
    )
    hidden = disclosure.suppress_figure(figure, 5)
    assert hidden["n"].tolist()[0] == 0 and np.isnan(hidden["n"].tolist()[1]) and hidden["n"].tolist()[2] == 17
    assert np.isnan(hidden["pct"].tolist()[1]) and disclosure.suppress_figure(figure, 0).equals(figure)


def test_no_threshold_changes_nothing(analysis):
    assert disclosure.suppress_analysis(analysis, 0) is analysis
    same = disclosure.suppress_analysis(dataclasses.replace(analysis), 1)
    pd.testing.assert_frame_equal(same.regenerated, analysis.regenerated)


def test_group_sizes_are_never_withheld(analysis):
    """A group of 2 under MIN_CELL=5 still prints its size: every other row is read against it."""
    hidden = disclosure.suppress_analysis(analysis, 50)  # every count of the committed cohort's groups of 20 is small
    sizes = hidden.regenerated[hidden.regenerated["variable"] == "group_size"]["value"]
    assert sizes.notna().all() and (sizes == 20).any()
    for source in ("table1", "table2", "table3"):
        assert "<50" in hidden.displayed(source, 50).to_string()

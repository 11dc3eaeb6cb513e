"""Tests of anakinra_rescue.book.figures: Figure 1's chart, its alt text and its counts table, withheld counts included."""

import numpy as np
import pandas as pd

from anakinra_rescue.book import disclosure, figures
from anakinra_rescue.data.vocabulary import Level


def _figure():
    rows = []
    for day in (0, 7, 14, 21):
        for group in ("anakinra", "control"):
            counts = {Level.NOT_HOSPITALISED: day // 7, Level.DEATH: 1 if day else 0}
            counts[Level.LOW_FLOW_OXYGEN] = 20 - sum(counts.values())
            for level in Level:
                n = counts.get(level, 0)
                rows.append((day, group, int(level), n, 100 * n / 20))
    return pd.DataFrame(rows, columns=["day", "group", "ordinal_status", "n", "pct"])


def test_the_chart_has_a_panel_per_day_and_every_level_named_whole():
    spec = figures.figure1_chart(_figure()).to_dict()
    facet, colour = spec["encoding"]["facet"], spec["encoding"]["color"]
    assert facet["columns"] == 4 and facet["field"].startswith("day")
    values = spec["datasets"][next(iter(spec["datasets"]))]
    assert {row["day"] for row in values} == {0, 7, 14, 21}
    assert len(colour["scale"]["domain"]) == len(Level) and colour["legend"]["labelLimit"] == 0  # never cut short
    assert figures.figure1_chart(_figure(), columns=2).to_dict()["encoding"]["facet"]["columns"] == 2


def test_the_alt_text_counts_home_and_deaths_and_says_so_for_withheld_counts():
    text = figures.figure1_description(_figure())
    assert "Day 21: anakinra 3 not hospitalised and 1 dead" in text
    withheld = figures.figure1_description(disclosure.suppress_figure(_figure(), 5), 5)
    assert "Day 21: anakinra <5 not hospitalised and <5 dead" in withheld and "Day 0: anakinra 0 not hospitalised" in withheld


def test_the_counts_table_prints_withheld_counts_and_the_articles_day0_counts(analysis):
    figure = disclosure.suppress_figure(_figure(), 5)
    table = figures.figure1_counts_table(figure, analysis.record, 5)
    day21 = table[(table["Day"] == 21) & table["Status"].str.startswith("1:")].iloc[0]
    assert day21["Anakinra"] == "<5" and table.loc[table["Day"] == 0, "Anakinra, printed"].ne("").any()
    assert np.isnan(figure.loc[(figure["day"] == 21) & (figure["ordinal_status"] == 1), "n"]).all()


def test_the_saved_figure_is_named_titled_marked_synthetic_and_twice_the_size():
    """Figure 1's menu saves figure1.svg / figure1.png (not visualization.*), PNG at twice the drawn size; the chart
    carries its title and the data notice, so a saved file says what it is and which data drew it; the menu has an
    accessible name."""
    import json
    import re

    page = figures.figure1_html(_figure()).data
    options = [json.loads(found) for found in re.findall(r'\}, (\{"actions".*?\})\)\.then', page)]
    assert len(options) == 2 and all(option["downloadFileName"] == "figure1" and option["scaleFactor"] == 2 for option in options)
    assert page.count('setAttribute("aria-label", "Save Figure 1 as SVG or PNG")') == 2
    spec = figures.figure1_chart(_figure(), notice="Synthetic data: a reconstructed cohort").to_dict()
    assert spec["title"]["text"].startswith("Figure 1.")
    assert spec["title"]["subtitle"] == ["Synthetic data: a reconstructed cohort"]
